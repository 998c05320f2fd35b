import { EventEmitter } from 'node:events'
import { createPublicClient, http, type Hex, type PublicClient } from 'viem'
import { NodeEvents, type AnnouncedBlock } from '../chain/NodeEvents.js'

/**
 * What goes into a block before the transactions that wait in the pool: called by the producer before
 * each block it mines, between two blocks (never while one is being mined). It may send transactions
 * (the chain's operator importing the roots a destination needs, `rootImportsInBlock`) and resolves
 * whether it sent any: the producer then mines even if nothing else waits.
 */
export type BlockBuilder = { beforeBlock(): Promise<boolean> }

/** After a look at the pool found nothing although transactions were announced: first look again after this many ms, doubling up to the last. */
const RECHECK_FIRST_MS = 25
const RECHECK_LAST_MS = 1_000
/**
 * A look at the pool at least this often, announced or not: an announcement can be lost (the node's socket
 * dropped, a node under load), and a transaction must then wait at most this long, never forever. Each
 * look is a `txpool_status` and a run of the block builder; once a second on seven chains they were a
 * large share of an idle network's CPU (bench/measure/idleCpu.ts; docs/benchmarks.md), hence 5 s.
 */
export const BLOCK_PRODUCER_SAFETY_LOOK_MS = 5_000
/** After the node's socket failed: subscribe again after this many ms (the looks above go on meanwhile). */
const RESUBSCRIBE_MS = 1_000

/** Parameters of {@link BlockProducer}. */
export type BlockProducerParameters = {
  /** The chain's name (errors, logs). */
  name: string
  chainId: number
  /** The node's HTTP RPC: `evm_mine` and `txpool_status` go there. */
  rpcUrl: string
  /** The node's WebSocket (its pool and its heads are announced there). Default: `rpcUrl` with `ws://`. */
  wsUrl?: string
  /** Called with each error mining met (the producer goes on: the next announced transaction tries again). */
  onError?: (error: unknown) => void
}

/** What a producer did since it started, for measurements. */
export type BlockProducerStats = {
  /** Blocks it mined, and the milliseconds their `evm_mine` calls took in all. */
  blocks: number
  mineMs: number
  /** Times it looked at the pool (`txpool_status`) and found nothing to mine. */
  idleLooks: number
  /** Blocks a builder put transactions into first. */
  builtBlocks: number
  failures: number
  /** Looks of the once-a-second timer (`BLOCK_PRODUCER_SAFETY_LOOK_MS`). */
  safetyLooks: number
  /** Times the builder failed before a block (reported; the block was mined without its transactions). */
  builderFailures: number
}

/** Events of a {@link BlockProducer}. */
export type BlockProducerEvents = {
  /** A new block exists (mined by this producer, or by anyone else on the node). */
  block: [block: AnnouncedBlock]
}

/**
 * Junction's block production for a node it started with automine off (`anvil --no-mining`): it mines
 * (`evm_mine`) as soon as transactions wait in the node's pool, whoever sent them (the node announces
 * each one it accepts over its WebSocket, `newPendingTransactions`), never two blocks at once: what
 * arrives while a block is being mined goes into the next one, so under load a block holds everything
 * that arrived during the previous one (up to the block gas limit; what does not fit stays in the pool
 * and the producer mines again). With nothing waiting it looks at the pool once a second and does nothing
 * else (the look bounds the wait of a transaction whose announcement was lost; a failed socket is
 * subscribed again).
 *
 * Before each block a {@link BlockBuilder} may put the operator's transactions first (`builder`).
 * `pause()` stops it between two blocks (a checkpoint freezes the chain so), `resume()` mines what
 * waited. Every new head is emitted as `block`, so services are told instead of polling.
 *
 * Only for nodes Junction started: a node of one's own keeps its own block production.
 *
 * @example
 * ```ts
 * const producer = new BlockProducer({ name: 'alpha', chainId: 271, rpcUrl: anvil.rpcUrl })
 * producer.on('block', ({ number }) => console.log('block', number))
 * await producer.start()
 * await producer.stop()
 * ```
 */
export class BlockProducer extends EventEmitter<BlockProducerEvents> {
  readonly name: string
  readonly chainId: number
  readonly rpcUrl: string
  readonly #client: PublicClient
  readonly #events: NodeEvents
  readonly #onError: (error: unknown) => void
  /** Puts the operator's transactions first in each block (set once the network is deployed). */
  builder: BlockBuilder | undefined
  /** Something may wait: an announced transaction, a builder's request, a block that may have left some behind. */
  #wanted = false
  #running: Promise<void> | undefined
  #paused = false
  #stopped = true
  #failures = 0
  /** Transactions announced since the last block, and the delay of the next look again after an empty one. */
  #announced = 0
  #recheckMs = RECHECK_FIRST_MS
  #safetyLook: NodeJS.Timeout | undefined
  /** The head the node last announced. */
  head: AnnouncedBlock | undefined
  readonly stats: BlockProducerStats = { blocks: 0, mineMs: 0, idleLooks: 0, builtBlocks: 0, failures: 0, safetyLooks: 0, builderFailures: 0 }

  constructor(parameters: BlockProducerParameters) {
    super()
    this.name = parameters.name
    this.chainId = parameters.chainId
    this.rpcUrl = parameters.rpcUrl
    this.#client = createPublicClient({ transport: http(parameters.rpcUrl, { retryCount: 0 }) }) as PublicClient
    this.#events = new NodeEvents({ name: parameters.name, wsUrl: parameters.wsUrl ?? parameters.rpcUrl.replace(/^http/, 'ws'), pendingTransactions: true })
    this.#onError = parameters.onError ?? (() => {})
    this.#events.on('pending', () => {
      this.#announced++
      this.request()
    })
    this.#events.on('block', (block) => {
      if (!this.head || block.number > this.head.number) this.head = block
      this.emit('block', block)
    })
    this.#events.on('error', (error) => {
      this.#onError(error)
      this.#resubscribe()
    })
  }

  /** Subscribes again to a node whose socket failed, every second until it works or the producer stops. */
  #resubscribe(): void {
    setTimeout(() => {
      if (this.#stopped) return
      this.#events.start().then(
        () => this.request(),
        (error: unknown) => {
          this.#onError(error)
          this.#resubscribe()
        },
      )
    }, RESUBSCRIBE_MS).unref()
  }

  /** Subscribes to the node's pool and heads, then mines whatever already waits (and looks at least once a second). */
  async start(): Promise<void> {
    if (!this.#stopped) return
    this.#stopped = false
    await this.#events.start()
    this.#safetyLook = setInterval(() => {
      this.stats.safetyLooks++
      this.request()
    }, BLOCK_PRODUCER_SAFETY_LOOK_MS)
    this.#safetyLook.unref()
    this.request()
  }

  /**
   * Asks for a look at the pool and the builder: a block follows if anything waits (or the builder sends
   * something). Cheap and idempotent: many calls while a block is being mined lead to one more look.
   */
  request(): void {
    this.#wanted = true
    if (this.#running || this.#paused || this.#stopped) return
    this.#running = this.#run().finally(() => {
      this.#running = undefined
      if (this.#wanted) this.request()
    })
  }

  /** Stops mining between two blocks: resolves once a block under way is mined; nothing more is until `resume()`. */
  async pause(): Promise<void> {
    this.#paused = true
    await this.#running
  }

  /** Mines again, starting with what waited meanwhile. */
  resume(): void {
    this.#paused = false
    this.request()
  }

  /** Stops mining (after a block under way) and closes the subscriptions. */
  async stop(): Promise<void> {
    this.#stopped = true
    clearInterval(this.#safetyLook)
    await this.#running
    await this.#events.stop()
  }

  async #run(): Promise<void> {
    while (this.#wanted && !this.#paused && !this.#stopped) {
      this.#wanted = false
      try {
        // A builder that fails is reported and the block is mined without its transactions: the chain never
        // stops for it (a builder failing at every block would otherwise stop its chain for good).
        let built = false
        try {
          built = (await this.builder?.beforeBlock()) ?? false
        } catch (error) {
          this.stats.builderFailures++
          this.#onError(error)
        }
        if (this.#paused || this.#stopped) {
          // Paused while building: what the builder sent waits in the pool for the next block.
          if (built) this.#wanted = true
          return
        }
        if (!built && (await this.#pending()) === 0) {
          this.stats.idleLooks++
          // A transaction announced and not seen as pending yet (the node may announce it before its pool
          // shows it, under load): looked for again, 25 ms later, then twice as late, up to 1 s.
          if (this.#announced > 0 && this.#recheckMs <= RECHECK_LAST_MS) {
            setTimeout(() => this.request(), this.#recheckMs).unref()
            this.#recheckMs *= 2
          }
          continue
        }
        const started = performance.now()
        // What is announced while this block is mined may miss it: those announcements still count.
        const announcedBefore = this.#announced
        await this.#client.request({ method: 'evm_mine' } as never)
        this.stats.mineMs += performance.now() - started
        this.stats.blocks++
        this.#announced -= announcedBefore
        this.#recheckMs = RECHECK_FIRST_MS
        if (built) this.stats.builtBlocks++
        // A block holds what fits under its gas limit: look again (the look finds nothing if all fitted).
        this.#wanted = true
        this.#failures = 0
      } catch (error) {
        this.stats.failures++
        if (this.#stopped) return
        this.#onError(error)
        // Try again, later and later while the node keeps failing (100 ms, doubling up to 5 s).
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** this.#failures++)).unref())
        this.#wanted = true
      }
    }
  }

  /** Transactions the pool holds ready to be mined. */
  async #pending(): Promise<number> {
    const status = (await this.#client.request({ method: 'txpool_status' } as never)) as { pending: Hex }
    return Number(BigInt(status.pending))
  }
}
