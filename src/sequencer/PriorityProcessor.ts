import type { Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import type { L2Contracts, ZkChainInfo } from '../network/types.js'
import { statement, type Store } from '../store/openStore.js'

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
 * Gas a `processRequest` transaction may use besides the `MIN_GAS_LEFT` the inbox must still hold right
 * before its call: the checks, the rolling hash and its two stores, the event, and after the call a failed
 * request's message and event (a few tens of thousands together); plus {@link PROCESS_GAS_PER_DATA_BYTE}
 * per byte of the request's data (calldata, its copy and its hash).
 */
export const PROCESS_GAS_OVERHEAD = 300_000n
/** See {@link PROCESS_GAS_OVERHEAD}. */
export const PROCESS_GAS_PER_DATA_BYTE = 40n

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
 * The requests waiting go out one after another without waiting for each other's receipts, each with a
 * fixed gas limit rather than an estimate: an estimate of request n+1 made before request n is mined
 * reverts (`RequestOutOfOrder`), and on a node that mines every second (interval mining) waiting for
 * each receipt would process one request per block. The inbox gives every call exactly its
 * `REQUEST_GAS_LIMIT` whatever the transaction carries, so a fixed limit changes nothing about whether
 * a request fails.
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
  /** The inbox's `MIN_GAS_LEFT`, read once. */
  #minGasLeft: bigint | undefined

  constructor(parameters: PriorityProcessorParameters) {
    this.#p = { maxPerTick: 50, ...parameters }
  }

  /** Processes the requests waiting; resolves `true` if it sent any. */
  async tick(): Promise<boolean> {
    const { store, chain, info, contracts } = this.#p
    // Wherever they were queued: a chain that moved continues its queue on the new settlement layer.
    const waiting = statement(store, 'SELECT idx, l2_target, data FROM priority_requests WHERE chain_id = ? AND idx >= ? ORDER BY idx LIMIT ?')
      .all(info.chainId, this.#next ?? 0, this.#p.maxPerTick) as { idx: number; l2_target: Hex; data: Hex }[]
    if (waiting.length === 0) return false
    const inbox = { address: contracts.priorityInbox, abi: c.l2PriorityInboxAbi } as const
    if (this.#next === undefined) this.#next = Number(await chain.client.readContract({ ...inbox, functionName: 'processedCount' }))
    this.#minGasLeft ??= await chain.client.readContract({ ...inbox, functionName: 'MIN_GAS_LEFT' })
    let next = this.#next
    const sent: Promise<unknown>[] = []
    for (const request of waiting) {
      if (request.idx < next) continue
      if (request.idx > next) break // a gap in the index: wait for the indexer
      // Queued in index order on the operator's send queue (its nonces follow that order).
      sent.push(
        chain.write(info.operator.privateKey, {
          ...inbox,
          functionName: 'processRequest',
          args: [BigInt(request.idx), request.l2_target, request.data],
          action: `process priority request ${request.idx} on ${info.name}`,
          gas: this.#minGasLeft + PROCESS_GAS_OVERHEAD + PROCESS_GAS_PER_DATA_BYTE * BigInt((request.data.length - 2) / 2),
        }),
      )
      next++
    }
    const failed = (await Promise.allSettled(sent)).find((result) => result.status === 'rejected')
    if (failed) {
      // Read where the inbox is from the chain next time: the requests after a failed one were refused too.
      this.#next = undefined
      throw failed.reason
    }
    this.#next = next
    return sent.length > 0
  }
}
