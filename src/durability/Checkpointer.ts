import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import { createPublicClient, http, type Hex, type PublicClient } from 'viem'
import { CheckpointFailedError } from '../errors/durability.js'
import { openStore, type Store } from '../store/openStore.js'
import { CHECKPOINTS_DIR, nextCheckpointSequence, pruneCheckpoints, writeCheckpoint, type CheckpointChain, type CheckpointMeta, type CheckpointNode } from './checkpointFiles.js'

const gzip = promisify(gzipCallback)

/** The store's file name inside a checkpoint. */
export const STORE_FILE = 'junction.db.gz'

/** The file name of a chain's state inside a checkpoint. */
export const stateFileOf = (chainName: string) => `${chainName}.state.json.gz`

/** Something that must not write to a chain while the chains are frozen (the automine watchdogs). */
export type QuietDuringFreeze = { pause(): Promise<void>; start(): void }

/** Parameters of {@link Checkpointer}. */
export type CheckpointerParameters = {
  /** The network's folder: the store is `<dataDir>/junction.db`, checkpoints go to `<dataDir>/checkpoints/`. */
  dataDir: string
  /** Every chain of the network (L1 first), each an anvil node this process runs. */
  chains: readonly { name: string; chainId: number; rpcUrl: string }[]
  /** How to start each node again (kept in every checkpoint). */
  nodes: readonly CheckpointNode[]
  /** sha256 of the network's manifest. */
  manifestSha256: string
  /** How often to look whether anything changed, and take a checkpoint if so. Default 4 000 ms. */
  intervalMs?: number
  /** How many checkpoints to keep. Default 3. */
  keep?: number
  /** Paused while the chains are frozen, started again after (the automine watchdogs: they could mine). */
  quiet?: readonly QuietDuringFreeze[]
  /** Called after each checkpoint is on disk. */
  onCheckpoint?: (info: CheckpointInfo) => void
  /** Called when a checkpoint failed (the network runs on; the next interval tries again). */
  onError?: (error: CheckpointFailedError) => void
}

/** What one checkpoint took and weighed. */
export type CheckpointInfo = {
  sequence: number
  reason: CheckpointMeta['reason']
  dir: string
  takenAt: string
  /** Milliseconds the chains were frozen (no block mined on any of them): the network's pause. */
  freezeMs: number
  /** Milliseconds to copy the store (before the freeze; this process's event loop is blocked meanwhile). */
  storeCopyMs: number
  /** Milliseconds to compress, checksum, write and fsync the files (after the freeze; the network runs meanwhile). */
  writeMs: number
  /** Bytes on disk: each chain's state, the store, and in all. */
  chains: { name: string; head: number; bytes: number }[]
  storeBytes: number
  /** Size of the store before compression. */
  storeRawBytes: number
  totalBytes: number
}

type Frozen = { chains: (CheckpointChain & { bytes: Uint8Array })[]; freezeMs: number; takenAt: string }

/**
 * Takes consistent checkpoints of a running network: every chain's state and the services' store from
 * one moment, so that `junction up` can resume the network after a crash.
 *
 * One checkpoint: (1) copy the store (`serialize()` on a connection of its own: one read transaction,
 * committed data only); (2) pause the automine watchdogs; (3) freeze every chain (`evm_setAutomine
 * false`: transactions wait in the pool, nothing is mined), dump each one's state (`anvil_dumpState`)
 * and head; (4) unfreeze every chain (`evm_setAutomine true` mines what waited) and start the watchdogs
 * again; (5) write the files aside, fsync, rename (`writeCheckpoint`), keep the newest `keep`.
 *
 * Why that is consistent (docs/durability.md): while frozen, a chain shows everyone exactly its dumped
 * state, and before that a part of it, so whatever anyone read from one chain and wrote to another ended
 * up in a dump only if what it read is in its chain's dump. The store was copied first, and it only
 * records what was read from chains or mined on them (services write after the receipt), so the chains
 * hold at least what it knows: after a resume they are where a crash of the services alone would leave
 * them, which the services reconcile.
 *
 * Taken at start, every `intervalMs` if a chain's head or the store changed since the last one, and on
 * `stop()`.
 *
 * @example
 * ```ts
 * const checkpointer = new Checkpointer({ dataDir, chains, nodes, manifestSha256, quiet: watchdogs })
 * await checkpointer.start()
 * await checkpointer.stop() // takes the final checkpoint
 * ```
 */
export class Checkpointer {
  readonly #p: CheckpointerParameters & { intervalMs: number; keep: number }
  readonly #store: Store
  readonly #clients: { info: { name: string; chainId: number }; client: PublicClient }[]
  readonly #dir: string
  #next: number
  #timer: NodeJS.Timeout | undefined
  /** Checkpoints are taken one after another: the last one queued. */
  #queue: Promise<unknown> = Promise.resolve()
  /** The look for changes under way, if any. */
  #round: Promise<void> | undefined
  #stopped = false
  /** Chain heads and the store's data version at the last checkpoint. */
  #lastSignature: string | undefined
  /** Every checkpoint taken since start (the newest 1 000), for measurements. */
  readonly taken: CheckpointInfo[] = []

  constructor(parameters: CheckpointerParameters) {
    this.#p = { intervalMs: 4_000, keep: 3, ...parameters }
    this.#store = openStore(join(parameters.dataDir, 'junction.db'))
    this.#dir = join(parameters.dataDir, CHECKPOINTS_DIR)
    this.#next = nextCheckpointSequence(this.#dir)
    this.#clients = parameters.chains.map((info) => ({ info, client: createPublicClient({ transport: http(info.rpcUrl, { retryCount: 0, timeout: 60_000 }) }) }))
  }

  /** Takes a first checkpoint now and resolves with it (throws {@link CheckpointFailedError} if it failed), then looks every `intervalMs`. */
  async start(): Promise<CheckpointInfo> {
    if (this.#timer || this.#stopped) throw new Error('the checkpointer was started already')
    const first = await this.take('start')
    if (!this.#stopped) this.#schedule(this.#p.intervalMs)
    return first
  }

  /**
   * Stops looking, waits for a checkpoint under way, and takes a final one (call it after the services
   * stopped, before the chains do). Resolves with it, or undefined if it failed (reported to `onError`).
   */
  async stop(): Promise<CheckpointInfo | undefined> {
    if (this.#stopped || !this.#store.open) return undefined
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#round
    const final = await this.#attempt('stop')
    this.#store.close()
    return final
  }

  /** Stops looking and closes the store connection, without a final checkpoint (after a failed start). */
  async close(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#round
    await this.#queue
    if (this.#store.open) this.#store.close()
  }

  /**
   * Takes a checkpoint now (after any under way) and resolves with it; throws
   * {@link CheckpointFailedError} if it failed.
   */
  take(reason: CheckpointMeta['reason'] = 'interval'): Promise<CheckpointInfo> {
    const taking = this.#queue.then(() => this.#take(reason))
    this.#queue = taking.catch(() => undefined)
    return taking
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#round = this.#look().finally(() => (this.#round = undefined))
    }, delayMs)
    this.#timer.unref()
  }

  /** One look: a checkpoint if anything changed since the last one; the next look `intervalMs` after this one began. */
  async #look(): Promise<void> {
    const started = Date.now()
    try {
      await this.#queue
      if (!this.#stopped && (await this.#changed()) && !this.#stopped) await this.#attempt('interval')
    } catch (error) {
      this.#p.onError?.(new CheckpointFailedError({ step: 'looked for changes', cause: error }))
    }
    if (!this.#stopped) this.#schedule(Math.max(0, this.#p.intervalMs - (Date.now() - started)))
  }

  /** Takes a checkpoint, reporting a failure to `onError` instead of throwing. */
  async #attempt(reason: CheckpointMeta['reason']): Promise<CheckpointInfo | undefined> {
    try {
      return await this.take(reason)
    } catch (error) {
      this.#p.onError?.(error instanceof CheckpointFailedError ? error : new CheckpointFailedError({ step: 'was taken', cause: error }))
      return undefined
    }
  }

  /** Whether a chain's head or the store moved since the last checkpoint. */
  async #changed(): Promise<boolean> {
    if (this.#lastSignature === undefined) return true
    const heads = await Promise.all(this.#clients.map(async ({ client }) => Number(BigInt((await client.request({ method: 'eth_blockNumber' } as never)) as Hex))))
    return this.#signature(heads, this.#dataVersion()) !== this.#lastSignature
  }

  #dataVersion(): number {
    return Number(this.#store.pragma('data_version', { simple: true }))
  }

  #signature(heads: number[], dataVersion: number): string {
    return `${heads.join(',')}|${dataVersion}`
  }

  async #take(reason: CheckpointMeta['reason']): Promise<CheckpointInfo> {
    const sequence = this.#next++
    const step = async <T>(what: string, run: () => Promise<T> | T): Promise<T> => {
      try {
        return await run()
      } catch (error) {
        throw new CheckpointFailedError({ step: what, cause: error })
      }
    }
    const storeStarted = performance.now()
    const { dataVersion, image } = await step('copied the store', () => ({ dataVersion: this.#dataVersion(), image: this.#store.serialize() }))
    const storeCopyMs = performance.now() - storeStarted
    const frozen = await step('froze and dumped the chains', () => this.#freezeAndDump())
    const writeStarted = performance.now()
    const written = await step('wrote its files', async () => {
      const store = await gzip(image, { level: 1 })
      const files = [...frozen.chains.map((chain) => ({ name: chain.file, bytes: chain.bytes })), { name: STORE_FILE, bytes: store }]
      const checkpoint = await writeCheckpoint(
        this.#dir,
        {
          sequence,
          takenAt: frozen.takenAt,
          reason,
          manifestSha256: this.#p.manifestSha256,
          freezeMs: Math.round(frozen.freezeMs * 100) / 100,
          chains: frozen.chains.map(({ bytes: _bytes, ...chain }) => chain),
          store: { file: STORE_FILE },
          nodes: [...this.#p.nodes],
        },
        files,
      )
      await pruneCheckpoints(this.#dir, this.#p.keep)
      return { checkpoint, storeBytes: store.length }
    })
    this.#lastSignature = this.#signature(
      frozen.chains.map((chain) => chain.head),
      dataVersion,
    )
    const info: CheckpointInfo = {
      sequence,
      reason,
      dir: written.checkpoint.dir,
      takenAt: frozen.takenAt,
      freezeMs: frozen.freezeMs,
      storeCopyMs,
      writeMs: performance.now() - writeStarted,
      chains: frozen.chains.map((chain) => ({ name: chain.name, head: chain.head, bytes: chain.bytes.length })),
      storeBytes: written.storeBytes,
      storeRawBytes: image.length,
      totalBytes: written.checkpoint.meta.files.reduce((sum, file) => sum + file.bytes, 0),
    }
    this.taken.push(info)
    if (this.taken.length > 1_000) this.taken.shift()
    this.#p.onCheckpoint?.(info)
    return info
  }

  /** Freezes every chain, dumps each one's state and head, unfreezes them all; the watchdogs are paused meanwhile. */
  async #freezeAndDump(): Promise<Frozen> {
    const quiet = this.#p.quiet ?? []
    await Promise.all(quiet.map((q) => q.pause()))
    const takenAt = new Date().toISOString()
    const started = performance.now()
    // Every chain is frozen and dumped before any is unfrozen: allSettled, so that a chain that fails
    // does not unfreeze the others while their freeze is still on its way.
    const dumped = await Promise.allSettled(
      this.#clients.map(async ({ info, client }) => {
        await client.request({ method: 'evm_setAutomine', params: [false] } as never)
        const [state, head] = await Promise.all([
          client.request({ method: 'anvil_dumpState' } as never) as Promise<Hex>,
          client.request({ method: 'eth_getBlockByNumber', params: ['latest', false] } as never) as Promise<{ number: Hex; hash: Hex; timestamp: Hex }>,
        ])
        return { info, state, head }
      }),
    )
    const thawed = await Promise.allSettled(this.#clients.map(({ client }) => client.request({ method: 'evm_setAutomine', params: [true] } as never)))
    const freezeMs = performance.now() - started
    for (const q of quiet) q.start()
    const failed = [...dumped, ...thawed].find((result): result is PromiseRejectedResult => result.status === 'rejected')
    if (failed) throw failed.reason
    const chains = dumped.map((result) => {
      const { info, state, head } = (result as PromiseFulfilledResult<{ info: { name: string; chainId: number }; state: Hex; head: { number: Hex; hash: Hex; timestamp: Hex } }>).value
      return {
        name: info.name,
        chainId: info.chainId,
        head: Number(BigInt(head.number)),
        headHash: head.hash,
        headTimestamp: Number(BigInt(head.timestamp)),
        file: stateFileOf(info.name),
        bytes: Buffer.from(state.slice(2), 'hex'),
      }
    })
    return { chains, freezeMs, takenAt }
  }
}
