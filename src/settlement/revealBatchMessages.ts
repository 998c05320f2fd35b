import { isAddressEqual, keccak256, type Address, type Hex } from 'viem'
import { JunctionError } from '../errors/JunctionError.js'
import type { L2Contracts } from '../network/types.js'
import { batchTransactionsHash, encodeFailedDepositMessage, summarizeBatchValue, type BatchCommitment, type ValidiumBatchValue } from '../protocol/index.js'
import { bridgeMessageLeafOf } from '../indexer/bridgeMessageLeaf.js'
import { statement, type Store } from '../store/openStore.js'

/**
 * Whether a batch is a validium batch (docs/protocol.md §5.1, §9.10): it commits to its data by hash
 * (`dataHash` ≠ 0, a private chain's), and the Gateway's asset tracker takes none of its bundles.
 */
export function isValidiumBatch(batch: Pick<BatchCommitment, 'dataHash'>): boolean {
  return BigInt(batch.dataHash) !== 0n
}

/** What `GatewayAssetTracker.approveBatches` takes for one batch (docs/protocol.md §9.10). */
export type BatchMessages = {
  /** Every message leaf of the batch, in order: its sender... */
  senders: Address[]
  /** ...and its payload hash. */
  payloadHashes: Hex[]
  /** The payloads of the InteropCenter's (not in a validium batch), the asset router's and the priority inbox's leaves, in order. */
  payloads: Hex[]
}

/** The index lacks the payload of a message a batch holds (it reads each block's events in one go, so this means a store that does not match the chain). */
export class BatchMessagesIncompleteError extends JunctionError {
  override name = 'BatchMessagesIncompleteError'
  constructor(chainId: number, block: number, payloadHash: Hex) {
    super(`the index has no payload for message ${payloadHash} of chain ${chainId} (block ${block})`, {
      details: "A batch's value-carrying messages are revealed to the Gateway's asset tracker from the index; this one is missing. Was the store reset while the chain kept its state?",
    })
  }
}

/**
 * The messages of `chainId`'s blocks `firstBlock..lastBlock` (one batch) as the Gateway's asset tracker
 * takes them: every leaf, and the payloads it reads (bundles, the asset router's withdrawal and
 * transfer messages, the priority inbox's failed-deposit messages), from the index. With `bundles: false`
 * (a validium batch, {@link isValidiumBatch}) no bundle: only its hash, in its leaf.
 *
 * @example
 * ```ts
 * const messages = revealBatchMessages(store, manifest.l2Contracts, 271, { firstBlock: 12, lastBlock: 20 })
 * ```
 */
export function revealBatchMessages(store: Store, contracts: L2Contracts, chainId: number, blocks: { firstBlock: number; lastBlock: number }, options: { bundles?: boolean } = {}): BatchMessages {
  const withBundles = options.bundles !== false
  const leaves = statement(store, 'SELECT block_number, sender, payload_hash FROM message_leaves WHERE chain_id = ? AND block_number BETWEEN ? AND ? ORDER BY block_number, log_index')
    .all(chainId, blocks.firstBlock, blocks.lastBlock) as { block_number: number; sender: Address; payload_hash: Hex }[]
  // Each payload by its leaf's payload hash: its hash, or a private chain's withdrawal's or transfer's blinded commitment (§9.13).
  const bridgeMessages = new Map<string, Hex>()
  const add = (message: Hex, payloadHash = keccak256(message)) => bridgeMessages.set(payloadHash.toLowerCase(), message)
  const inBlocks = (table: string) => statement(store, `SELECT message FROM ${table} WHERE chain_id = ? AND block_number BETWEEN ? AND ?`).all(chainId, blocks.firstBlock, blocks.lastBlock) as { message: Hex }[]
  for (const row of [...inBlocks('withdrawals'), ...inBlocks('transfers')]) add(row.message, bridgeMessageLeafOf(store, chainId, row.message).payloadHash)
  const processed = statement(store, 'SELECT r.idx, r.request_hash FROM priority_processed p JOIN priority_requests r ON r.chain_id = p.chain_id AND r.idx = p.idx WHERE p.chain_id = ? AND p.block_number BETWEEN ? AND ?')
    .all(chainId, blocks.firstBlock, blocks.lastBlock) as { idx: number; request_hash: Hex }[]
  for (const request of processed) add(encodeFailedDepositMessage({ index: request.idx, requestHash: request.request_hash }))
  const bundle = statement(store, 'SELECT bundle FROM bundles_sent WHERE bundle_hash = ?')

  const messages: BatchMessages = { senders: [], payloadHashes: [], payloads: [] }
  for (const leaf of leaves) {
    messages.senders.push(leaf.sender)
    messages.payloadHashes.push(leaf.payload_hash)
    let payload: Hex | undefined
    if (isAddressEqual(leaf.sender, contracts.interopCenter)) {
      if (!withBundles) continue
      payload = (bundle.get(leaf.payload_hash) as { bundle: Hex } | undefined)?.bundle
    } else if (isAddressEqual(leaf.sender, contracts.l2AssetRouter) || isAddressEqual(leaf.sender, contracts.priorityInbox)) payload = bridgeMessages.get(leaf.payload_hash.toLowerCase())
    else continue
    if (payload === undefined) throw new BatchMessagesIncompleteError(chainId, leaf.block_number, leaf.payload_hash)
    messages.payloads.push(payload)
  }
  return messages
}

/**
 * What a private chain's batch shows the Gateway's asset tracker (`approveValidiumBatches`, docs/protocol.md
 * §5.1, §9.10), computed by its operator from the index and its transactions: the hash of the transactions
 * and the value summary of the batch's asset-router and priority-inbox messages ({@link summarizeBatchValue}).
 * The batcher commits to it (`dataHash`); the batch submitter gives it to the tracker.
 *
 * @example
 * ```ts
 * const value = validiumBatchValue(store, manifest.l2Contracts, 4201, { firstBlock: 12, lastBlock: 20 }, transactionHashes)
 * ```
 */
export function validiumBatchValue(store: Store, contracts: L2Contracts, chainId: number, blocks: { firstBlock: number; lastBlock: number }, transactionHashes: readonly Hex[]): ValidiumBatchValue {
  const messages = revealBatchMessages(store, contracts, chainId, blocks, { bundles: false })
  const routerMessages: Hex[] = []
  const inboxMessages: Hex[] = []
  let p = 0
  for (const sender of messages.senders) {
    if (isAddressEqual(sender, contracts.l2AssetRouter)) routerMessages.push(messages.payloads[p++]!)
    else if (isAddressEqual(sender, contracts.priorityInbox)) inboxMessages.push(messages.payloads[p++]!)
  }
  return { transactionsHash: batchTransactionsHash(transactionHashes), ...summarizeBatchValue({ routerMessages, inboxMessages }) }
}

