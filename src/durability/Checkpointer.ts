import { join } from 'node:path'
import { createPublicClient, http, type Hex, type PublicClient } from 'viem'
import { CheckpointFailedError } from '../errors/durability.js'
import { openStore, type Store } from '../store/openStore.js'
import { CHECKPOINTS_DIR, nextCheckpointSequence, pruneCheckpoints, writeCheckpoint, type CheckpointChain, type CheckpointMeta, type CheckpointNode } from './checkpointFiles.js'

/** The store's file name inside a checkpoint (e.g. `checkpoints/00000042/junction.db`). */
export const STORE_FILE = 'junction.db'

/** The file name of a chain's state inside a checkpoint: `stateFileOf('alpha')` is `alpha.state.json.gz`. */
export const stateFileOf = (chainName: string) => `${chainName}.state.json.gz`

/**
 * What produces a chain's blocks and can stop between two of them (its `BlockProducer`): a checkpoint
 * freezes the chain by pausing it, and unfreezes it by resuming it.
 */
export type ChainBlockProduction = { pause(): Promise<void>; resume(): void }

/** Parameters of {@link Checkpointer}. */
export type CheckpointerParameters = {
  /** The network's folder: the store is `<dataDir>/junction.db`, checkpoints go to `<dataDir>/checkpoints/`. */
  dataDir: string
  /** Every chain of the network (L1 first), each an anvil node this process runs, with the producer of its blocks. */
  chains: readonly { name: string; chainId: number; rpcUrl: string; producer: ChainBlockProduction }[]
  /** How to start each node again (kept in every checkpoint). */
  nodes: readonly CheckpointNode[]
  /** sha256 of the network's manifest. */
  manifestSha256: string
  /** How often to look whether anything changed, and take a checkpoint if so. Default 4 000 ms. */
  intervalMs?: number
  /** How many checkpoints to keep. Default 3. */
  keep?: number
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
  /** Milliseconds to copy the store (within the freeze, while the nodes dump; this process's event loop is blocked meanwhile). */
  storeCopyMs: number
  /** Milliseconds to checksum, write and fsync the files (after the freeze; the network runs meanwhile). */
  writeMs: number
  /** Per chain: its head, the bytes of its state on disk, and how long its node took to dump it (from its freeze). */
  chains: { name: string; head: number; bytes: number; dumpMs: number }[]
  storeBytes: number
  totalBytes: number
}

type Frozen = {
  chains: (CheckpointChain & { bytes: Uint8Array; dumpMs: number })[]
  store: { dataVersion: number; image: Buffer; copyMs: number }
  freezeMs: number
  takenAt: string
}

/**
 * Takes consistent checkpoints of a running network: every chain's state and the services' store from
 * one moment, so that `junction up` can resume the network after a crash.
 *
 * One checkpoint: (1) freeze every chain (pause its block producer: a block under way is mined first, then
 * transactions wait in the pool and nothing is mined) and have each dump its state (`anvil_dumpState`)
 * and head; (2) once every chain is frozen, copy the store (`serialize()` on a connection of its own: one
 * read transaction, committed data only) while the nodes dump; (3) unfreeze every chain (resume its
 * producer, which mines what waited); (4) write the files aside, fsync, rename (`writeCheckpoint`), keep
 * the newest `keep`.
 *
 * Why that is consistent (docs/durability.md): while frozen, a chain shows everyone exactly its dumped
 * state, and before that a part of it, so whatever anyone read from one chain and wrote to another ended
 * up in a dump only if what it read is in its chain's dump. The store is copied while every chain is
 * frozen: it knows nothing the chains do not hold (services record what they read, and what they sent
 * once it is mined), and it holds every intention (a sealed batch) whose transaction is on a chain
 * (services record an intention before they send). After a resume, store and chains are where a crash
 * of the services alone would leave them (at most, a transaction sent during the freeze is gone with
 * nothing recorded about it), which the services reconcile.
 *
 * Taken at start, every `intervalMs` if a chain's head or the store changed since the last one, and on
 * `stop()`.
 *
 * @example
 * ```ts
 * const checkpointer = new Checkpointer({ dataDir, chains, nodes, manifestSha256 })
 * await checkpointer.start()
 * await checkpointer.stop() // takes the final checkpoint
 * ```
 */
export class Checkpointer {
  readonly #p: CheckpointerParameters & { intervalMs: number; keep: number }
  readonly #store: Store
  readonly #clients: { info: { name: string; chainId: number }; client: PublicClient; producer: ChainBlockProduction }[]
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
    // A busy chain's dumped state is tens of MB of hex: no cap on an answer's size (viem's default, 10 MB,
    // refused every checkpoint of a Gateway after ~5,000 messages).
    this.#clients = parameters.chains.map((info) => ({ info: { name: info.name, chainId: info.chainId }, producer: info.producer, client: createPublicClient({ transport: http(info.rpcUrl, { retryCount: 0, timeout: 60_000, maxResponseBodySize: false }) }) }))
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
    const frozen = await this.#freeze()
    const writeStarted = performance.now()
    let written
    try {
      // The store as it is (compressing it took seconds of a busy machine's threadpool, for a factor of 4).
      const files = [...frozen.chains.map((chain) => ({ name: chain.file, bytes: chain.bytes })), { name: STORE_FILE, bytes: frozen.store.image }]
      const checkpoint = await writeCheckpoint(
        this.#dir,
        {
          sequence,
          takenAt: frozen.takenAt,
          reason,
          manifestSha256: this.#p.manifestSha256,
          freezeMs: Math.round(frozen.freezeMs * 100) / 100,
          chains: frozen.chains.map(({ bytes: _bytes, dumpMs: _dumpMs, ...chain }) => chain),
          store: { file: STORE_FILE },
          nodes: [...this.#p.nodes],
        },
        files,
      )
      await pruneCheckpoints(this.#dir, this.#p.keep)
      written = { checkpoint, storeBytes: frozen.store.image.length }
    } catch (error) {
      throw new CheckpointFailedError({ step: 'wrote its files', cause: error })
    }
    this.#lastSignature = this.#signature(
      frozen.chains.map((chain) => chain.head),
      frozen.store.dataVersion,
    )
    const info: CheckpointInfo = {
      sequence,
      reason,
      dir: written.checkpoint.dir,
      takenAt: frozen.takenAt,
      freezeMs: frozen.freezeMs,
      storeCopyMs: frozen.store.copyMs,
      writeMs: performance.now() - writeStarted,
      chains: frozen.chains.map((chain) => ({ name: chain.name, head: chain.head, bytes: chain.bytes.length, dumpMs: chain.dumpMs })),
      storeBytes: written.storeBytes,
      totalBytes: written.checkpoint.meta.files.reduce((sum, file) => sum + file.bytes, 0),
    }
    this.taken.push(info)
    if (this.taken.length > 1_000) this.taken.shift()
    this.#p.onCheckpoint?.(info)
    return info
  }

  /**
   * Freezes every chain (pauses its block producer); once all are frozen, copies the store; dumps each
   * chain's state and head (the dumps run in the nodes while the store is copied here); unfreezes them all.
   */
  async #freeze(): Promise<Frozen> {
    const takenAt = new Date().toISOString()
    const started = performance.now()
    const request = <T>(client: PublicClient, method: string, params: unknown[] = []) => client.request({ method, params } as never) as Promise<T>
    const freezes = this.#clients.map(({ producer }) => producer.pause())
    const dumps = this.#clients.map(({ client }, i) =>
      freezes[i]!.then(async () => {
        const dumpStarted = performance.now()
        const [state, head] = await Promise.all([request<Hex>(client, 'anvil_dumpState'), request<{ number: Hex; hash: Hex; timestamp: Hex }>(client, 'eth_getBlockByNumber', ['latest', false])])
        return { state, head, dumpMs: performance.now() - dumpStarted }
      }),
    )
    // Settled below, all of them, before any chain is unfrozen.
    for (const dump of dumps) dump.catch(() => {})
    const frozen = await Promise.allSettled(freezes)
    let store: Frozen['store'] | undefined
    let storeError: unknown
    // The store is copied once every chain is frozen: whatever a service recorded it sent is then on its
    // chain or never will be, and whatever it read from a chain is in that chain's dump.
    if (frozen.every((result) => result.status === 'fulfilled')) {
      try {
        const copyStarted = performance.now()
        const dataVersion = this.#dataVersion()
        store = { dataVersion, image: this.#store.serialize(), copyMs: 0 }
        store.copyMs = performance.now() - copyStarted
      } catch (error) {
        storeError = error
      }
    }
    const dumped = await Promise.allSettled(dumps)
    // Every chain is unfrozen, whatever failed: its producer mines what waited.
    const thawed = await Promise.allSettled(this.#clients.map(async ({ producer }) => producer.resume()))
    const freezeMs = performance.now() - started
    const failed = [...frozen, ...dumped, ...thawed].find((result): result is PromiseRejectedResult => result.status === 'rejected')
    if (failed) throw new CheckpointFailedError({ step: 'froze and dumped the chains', cause: failed.reason })
    if (!store) throw new CheckpointFailedError({ step: 'copied the store', cause: storeError })
    const chains = dumped.map((result, i) => {
      const { state, head, dumpMs } = (result as PromiseFulfilledResult<{ state: Hex; head: { number: Hex; hash: Hex; timestamp: Hex }; dumpMs: number }>).value
      const { info } = this.#clients[i]!
      return {
        name: info.name,
        chainId: info.chainId,
        head: Number(BigInt(head.number)),
        headHash: head.hash,
        headTimestamp: Number(BigInt(head.timestamp)),
        file: stateFileOf(info.name),
        bytes: Buffer.from(state.slice(2), 'hex'),
        dumpMs,
      }
    })
    return { chains, store, freezeMs, takenAt }
  }
}
