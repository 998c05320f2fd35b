import type { ChainConnection } from '../chain/ChainConnection.js'

/** How often an indexer told of blocks still asks the node for its head, in case an announcement was lost (ms). */
export const INDEXER_HEAD_LOOK_MS = 1_000

/**
 * The head an indexer reads up to. A connection told of the chain's blocks ({@link ChainConnection.followBlocks})
 * knows the one last announced: while that is new to the indexer it reads up to it without asking the node, and
 * while it is not, it does not ask either (a tick woken by another service's write then sends no request at all),
 * except once every {@link INDEXER_HEAD_LOOK_MS}, in case an announcement was lost. A connection not told of
 * blocks asks the node each time (`eth_blockNumber`), as before.
 *
 * Measured in a Gateway latency run at 10 messages/s (bench/latency.ts): the indexers' `eth_blockNumber` were
 * ~0.65 s of 10.5 s of the services' CPU, and one round trip of every indexing step.
 *
 * @example
 * ```ts
 * const head = new IndexedHead(chain)
 * const to = await head.from(cursor + 1) // a block >= cursor + 1, or one below it when there is nothing new
 * ```
 */
export class IndexedHead {
  readonly #chain: ChainConnection
  #askedAt = Number.NEGATIVE_INFINITY

  constructor(chain: ChainConnection) {
    this.#chain = chain
  }

  /** The head to read up to from block `from`: below `from` when nothing new is known. */
  async from(from: number): Promise<number> {
    const announced = this.#chain.announcedHead()
    if (announced !== undefined && (announced >= from || Date.now() - this.#askedAt < INDEXER_HEAD_LOOK_MS)) return announced
    this.#askedAt = Date.now()
    // The node's answer, even below the announced head: a node started again from an older state has only that.
    return Number(await this.#chain.client.getBlockNumber({ cacheTime: 0 }))
  }
}
