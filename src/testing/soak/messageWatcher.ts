import { createPublicClient, getAbiItem, getAddress, http, keccak256, type Address, type Hex, type PublicClient } from 'viem'
import * as c from '../../contracts/generated/index.js'
import { decodeBundle } from '../../protocol/index.js'
import { sentBundlesOf } from '../../indexer/sentBundles.js'

/** What the chains show of one bundle: where and when it was sent, and each of its executions. */
export type BundleSighting = {
  bundleHash: Hex
  /** keccak256 of the first call's payload (the soak's message id is in it). */
  payloadHash: Hex
  sourceChainId: number
  destinationChainId: number
  sentBlock: number
  /** `performance.now()` when this watcher first saw it sent, and executed. */
  sentSeenAt: number
  executedSeenAt?: number
}

/** One `BundleExecuted` seen on a chain. */
export type Execution = { bundleHash: Hex; chainId: number; block: number; txHash: Hex }

/** One chain the watcher reads. */
export type WatchedChain = { name: string; chainId: number; rpcUrl: string }

/** Most blocks read in one `eth_getLogs`. */
const MAX_RANGE = 2_000n

const bundleExecuted = getAbiItem({ abi: c.interopHandlerAbi, name: 'BundleExecuted' })

/**
 * Reads, on every ZK chain from a given block on, the bundles some senders sent (`BundleSent`,
 * `MessageBundleSent`) and every
 * `BundleExecuted` (whoever's bundle it is). A chain that does not answer (down, paused) is read again
 * at the next round, from where it was: nothing is skipped.
 *
 * @example
 * ```ts
 * const watcher = new MessageWatcher({ chains, interopCenter, interopHandler, senders })
 * await watcher.start()
 * await watcher.stop()
 * ```
 */
export class MessageWatcher {
  /** Bundles of the watched senders, by bundle hash. */
  readonly sent = new Map<Hex, BundleSighting>()
  /** Every execution seen, in order. */
  readonly executions: Execution[] = []
  /** The block each chain was first read from. */
  readonly fromBlocks = new Map<number, bigint>()
  /** Rounds in which a chain did not answer. */
  unanswered = 0
  /** Called with each bundle of the watched senders when first executed. */
  onExecuted: ((sighting: BundleSighting) => void) | undefined
  readonly #chains: { info: WatchedChain; client: PublicClient; next: bigint }[]
  readonly #p: { interopCenter: Address; interopHandler: Address; senders: readonly Address[]; intervalMs: number }
  readonly #senders: ReadonlySet<Address>
  readonly #executedEarly = new Map<Hex, number>()
  #running: Promise<void> | undefined
  #stopping = false

  constructor(parameters: { chains: readonly WatchedChain[]; interopCenter: Address; interopHandler: Address; senders: readonly Address[]; intervalMs?: number }) {
    this.#p = { interopCenter: parameters.interopCenter, interopHandler: parameters.interopHandler, senders: parameters.senders, intervalMs: parameters.intervalMs ?? 50 }
    this.#senders = new Set(parameters.senders.map((sender) => getAddress(sender)))
    this.#chains = parameters.chains.map((info) => ({ info, client: createPublicClient({ transport: http(info.rpcUrl, { retryCount: 0, timeout: 5_000 }) }) as PublicClient, next: 0n }))
  }

  /** Starts reading every chain after its current head. */
  async start(): Promise<void> {
    for (const chain of this.#chains) {
      chain.next = (await chain.client.getBlockNumber({ cacheTime: 0 })) + 1n
      this.fromBlocks.set(chain.info.chainId, chain.next)
    }
    this.#running = this.#loop()
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      await this.round()
      await new Promise((resolve) => setTimeout(resolve, this.#p.intervalMs))
    }
  }

  /** Reads every chain up to its head once (a chain that does not answer is left for the next round). */
  async round(): Promise<void> {
    await Promise.all(
      this.#chains.map(async (chain) => {
        try {
          await this.#read(chain)
        } catch {
          this.unanswered++
        }
      }),
    )
  }

  async #read(chain: { info: WatchedChain; client: PublicClient; next: bigint }): Promise<void> {
    const head = await chain.client.getBlockNumber({ cacheTime: 0 })
    while (chain.next <= head) {
      const to = chain.next + MAX_RANGE - 1n < head ? chain.next + MAX_RANGE - 1n : head
      const [sent, executed] = await Promise.all([
        chain.client.getLogs({ address: this.#p.interopCenter, fromBlock: chain.next, toBlock: to }),
        chain.client.getLogs({ address: this.#p.interopHandler, event: bundleExecuted, fromBlock: chain.next, toBlock: to }),
      ])
      const now = performance.now()
      for (const { log, bundleHash, sender, bundle: encoded } of sentBundlesOf(sent, this.#p.interopCenter)) {
        if (!this.#senders.has(getAddress(sender)) || this.sent.has(bundleHash)) continue
        const bundle = decodeBundle(encoded)
        const sighting: BundleSighting = {
          bundleHash,
          payloadHash: keccak256(bundle.calls[0]!.data),
          sourceChainId: chain.info.chainId,
          destinationChainId: Number(bundle.destinationChainId),
          sentBlock: Number(log.blockNumber),
          sentSeenAt: now,
        }
        // Executed before its source was read this round (the destination was read first).
        const early = this.#executedEarly.get(bundleHash)
        if (early !== undefined) sighting.executedSeenAt = early
        this.sent.set(bundleHash, sighting)
        if (early !== undefined) this.onExecuted?.(sighting)
      }
      for (const log of executed) {
        const bundleHash = log.args.bundleHash!
        this.executions.push({ bundleHash, chainId: chain.info.chainId, block: Number(log.blockNumber), txHash: log.transactionHash })
        const sighting = this.sent.get(bundleHash)
        if (sighting === undefined) {
          if (!this.#executedEarly.has(bundleHash)) this.#executedEarly.set(bundleHash, now)
        } else if (sighting.executedSeenAt === undefined) {
          sighting.executedSeenAt = now
          this.onExecuted?.(sighting)
        }
      }
      chain.next = to + 1n
    }
  }

  /** Stops after the round under way, then reads every chain once more. */
  async stop(): Promise<void> {
    this.#stopping = true
    await this.#running
    await this.round()
  }
}
