import type { Address, Hex } from 'viem'
import { JunctionError } from '../errors/JunctionError.js'
import { batchLeaf, chainLeaf, MerkleTree, messageLeaf, type InteropProof } from '../protocol/index.js'
import type { Store } from '../store/openStore.js'

/** Parameters of {@link buildProofFromStore}. */
export type BuildProofFromStoreParameters = {
  bundleHash: Hex
  /** The InteropCenter address (the same on every chain): the only sender whose messages are bundles. */
  interopCenter: Address
  /** Settlement layer of the source chain and the destination. */
  slChainId: number
}

/** What {@link buildProofFromStore} gives when the message can be proven on its destination now. */
export type BuildProofFromStoreReturnType =
  | { ready: true; bundle: Hex; sourceChainId: number; destinationChainId: number; proof: InteropProof }
  | { ready: false; reason: 'unknown' | 'not-batched' | 'not-executed-on-settlement-layer' | 'root-not-imported'; sourceChainId?: number; destinationChainId?: number }

/** The stored index does not agree with itself: a root rebuilt from it differs from the root on chain. */
export class IndexInconsistentError extends JunctionError {
  override name = 'IndexInconsistentError'
  constructor(what: string) {
    super(`the message index is inconsistent: ${what}`, { details: 'Stop the services and start them on a new --data-dir to re-index from the chains.' })
  }
}

/**
 * Builds the inclusion proof of a sent bundle against the newest settlement-layer root its
 * destination has imported (only roots that really are settlement-layer roots count), from what the indexers stored (section 7 of docs/protocol.md).
 *
 * @example
 * ```ts
 * const result = buildProofFromStore(store, { bundleHash, interopCenter, slChainId: 31337 })
 * if (result.ready) await executeBundle(result.bundle, result.proof)
 * ```
 */
export function buildProofFromStore(store: Store, parameters: BuildProofFromStoreParameters): BuildProofFromStoreReturnType {
  const { bundleHash, interopCenter, slChainId } = parameters
  const sent = store.prepare('SELECT source_chain_id, destination_chain_id, bundle, block_number FROM bundles_sent WHERE bundle_hash = ?').get(bundleHash) as
    | { source_chain_id: number; destination_chain_id: number; bundle: Hex; block_number: number }
    | undefined
  if (!sent) return { ready: false, reason: 'unknown' }
  const ids = { sourceChainId: sent.source_chain_id, destinationChainId: sent.destination_chain_id }
  const batch = store
    .prepare('SELECT batch_number, first_block, last_block, executed_block FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND ? BETWEEN first_block AND last_block')
    .get(slChainId, sent.source_chain_id, sent.block_number) as { batch_number: number; first_block: number; last_block: number; executed_block: number | null } | undefined
  if (!batch) return { ready: false, reason: 'not-batched', ...ids }
  if (batch.executed_block === null) return { ready: false, reason: 'not-executed-on-settlement-layer', ...ids }
  const imported = store
    .prepare(
      `SELECT i.sl_block_number, i.root FROM imported_roots i
       JOIN sl_roots r ON r.sl_chain_id = i.sl_chain_id AND r.block_number = i.sl_block_number AND r.root = i.root
       WHERE i.chain_id = ? AND i.sl_chain_id = ? AND i.sl_block_number >= ? ORDER BY i.sl_block_number DESC LIMIT 1`,
    )
    .get(sent.destination_chain_id, slChainId, batch.executed_block) as { sl_block_number: number; root: Hex } | undefined
  if (!imported) return { ready: false, reason: 'root-not-imported', ...ids }
  const snapshot = imported.sl_block_number

  // Message leaf -> batch message root.
  const leaves = (
    store
      .prepare('SELECT leaf FROM message_leaves WHERE chain_id = ? AND block_number BETWEEN ? AND ? ORDER BY block_number, log_index')
      .all(sent.source_chain_id, batch.first_block, batch.last_block) as { leaf: Hex }[]
  ).map((r) => r.leaf)
  const leaf = messageLeaf(interopCenter, bundleHash)
  const messageIndex = leaves.findIndex((l) => l === leaf)
  if (messageIndex < 0) throw new IndexInconsistentError(`the leaf of ${bundleHash} is not among the leaves of batch ${batch.batch_number}`)
  const messageProof = new MerkleTree(leaves).proof(messageIndex)

  // Every chain's tree of batch leaves as it was at the snapshot block, then the shared tree.
  const chains = store.prepare('SELECT chain_id FROM sl_chains WHERE sl_chain_id = ? AND block_number <= ? ORDER BY idx').all(slChainId, snapshot) as { chain_id: number }[]
  const batchesOf = store.prepare('SELECT batch_number, message_root FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND executed_block <= ? ORDER BY batch_number')
  let sourceTree: MerkleTree | undefined
  const chainLeaves = chains.map(({ chain_id }) => {
    const rows = batchesOf.all(slChainId, chain_id, snapshot) as { batch_number: number; message_root: Hex }[]
    const tree = new MerkleTree(rows.map((r) => batchLeaf(r.batch_number, r.message_root)))
    if (chain_id === sent.source_chain_id) sourceTree = tree
    return chainLeaf(chain_id, tree.root)
  })
  const chainIndex = chains.findIndex((c) => c.chain_id === sent.source_chain_id)
  if (chainIndex < 0 || !sourceTree) throw new IndexInconsistentError(`chain ${sent.source_chain_id} is not registered on ${slChainId} at block ${snapshot}`)
  const sharedTree = new MerkleTree(chainLeaves)
  if (sharedTree.root !== imported.root) throw new IndexInconsistentError(`rebuilt root ${sharedTree.root} of ${slChainId}@${snapshot} is not the imported ${imported.root}`)
  const batchProof = sourceTree.proof(batch.batch_number - 1)
  const chainProof = sharedTree.proof(chainIndex)

  return {
    ready: true,
    bundle: sent.bundle,
    ...ids,
    proof: {
      slChainId: BigInt(slChainId),
      slBlockNumber: BigInt(snapshot),
      messageSender: interopCenter,
      batchNumber: BigInt(batch.batch_number),
      messageIndex: BigInt(messageIndex),
      messageCount: BigInt(messageProof.count),
      messageSiblings: messageProof.siblings,
      batchCount: BigInt(batchProof.count),
      batchSiblings: batchProof.siblings,
      chainIndex: BigInt(chainIndex),
      chainCount: BigInt(chainProof.count),
      chainSiblings: chainProof.siblings,
    },
  }
}
