import type { Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import type { L2Contracts, ZkChainInfo } from '../network/types.js'
import type { Store } from '../store/openStore.js'

/** Parameters of {@link PriorityProcessor}. */
export type PriorityProcessorParameters = {
  store: Store
  chain: ChainConnection
  info: ZkChainInfo
  contracts: L2Contracts
  /** Most requests processed per tick. */
  maxPerTick?: number
}

/**
 * The sequencer's duty towards the settlement layer: every priority request queued for this chain
 * (a deposit, for now) is processed on the chain, in queue order, through the chain's
 * `L2PriorityInbox` (operator only). The inbox refuses a request out of order, and the settlement
 * layer refuses a batch whose count and rolling hash of processed requests differ from its queue,
 * so a chain that skips, reorders or invents a deposit cannot settle; nor can it commit once a
 * request waited past its deadline unprocessed (forced inclusion, docs/protocol.md §9.2). It processes a
 * request as soon as the settlement layer's indexer has stored it, so a request goes out in the next
 * batch, long before its deadline.
 *
 * Restart-safe: the next index comes from the inbox on the chain.
 *
 * @example
 * ```ts
 * await new PriorityProcessor({ store, chain: alpha, info, contracts }).tick()
 * ```
 */
export class PriorityProcessor {
  readonly #p: Required<PriorityProcessorParameters>
  #next: number | undefined

  constructor(parameters: PriorityProcessorParameters) {
    this.#p = { maxPerTick: 50, ...parameters }
  }

  /** Processes the requests waiting; resolves `true` if it sent any. */
  async tick(): Promise<boolean> {
    const { store, chain, info, contracts } = this.#p
    const waiting = store
      // Wherever they were queued: a chain that moved continues its queue on the new settlement layer.
      .prepare('SELECT idx, l2_target, data FROM priority_requests WHERE chain_id = ? AND idx >= ? ORDER BY idx LIMIT ?')
      .all(info.chainId, this.#next ?? 0, this.#p.maxPerTick) as { idx: number; l2_target: Hex; data: Hex }[]
    if (waiting.length === 0) return false
    if (this.#next === undefined) {
      this.#next = Number(await chain.client.readContract({ address: contracts.priorityInbox, abi: c.l2PriorityInboxAbi, functionName: 'processedCount' }))
    }
    let worked = false
    for (const request of waiting) {
      if (request.idx < this.#next) continue
      if (request.idx > this.#next) break // a gap in the index: wait for the indexer
      try {
        await chain.write(info.operator.privateKey, {
          address: contracts.priorityInbox,
          abi: c.l2PriorityInboxAbi,
          functionName: 'processRequest',
          args: [BigInt(request.idx), request.l2_target, request.data],
          action: `process priority request ${request.idx} on ${info.name}`,
        })
      } catch (error) {
        this.#next = undefined
        throw error
      }
      this.#next++
      worked = true
    }
    return worked
  }
}
