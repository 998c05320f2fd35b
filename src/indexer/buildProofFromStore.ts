import type { Address, Hex } from 'viem'
import { JunctionError } from '../errors/JunctionError.js'
import { proofRoute, type Topology } from '../network/topology.js'
import { batchLeaf, buildCommittedBatchProof, buildInteropProof, merkleRoot, messageLeaf, withSettlementLayerHop, type InteropProof, type MerkleTree } from '../protocol/index.js'
import { readCursor, statement, type Store } from '../store/openStore.js'
import { zkChainCursor } from './ZkChainIndexer.js'

/** Parameters of {@link buildProofFromStore}. */
export type BuildProofFromStoreParameters = {
  bundleHash: Hex
  /** The InteropCenter address (the same on every chain): the only sender whose messages are bundles. */
  interopCenter: Address
  /** Where each chain settles: decides between a one-level and a two-level proof. */
  topology: Topology
  /**
   * Committed finality (docs/protocol.md §12, opt-in): when the proof against a settled root is not
   * ready, prove the bundle against its committed source batch's message root, if the destination
   * imported it.
   */
  committedFinality?: boolean
}

/** Why a message cannot be proven on its destination yet. */
export type ProofNotReadyReason = 'unknown' | 'not-batched' | 'not-executed-on-settlement-layer' | 'root-not-imported'

/** What {@link buildProofFromStore} gives when the message can be proven on its destination now. */
export type BuildProofFromStoreReturnType =
  | {
      ready: true
      bundle: Hex
      sourceChainId: number
      destinationChainId: number
      proof: InteropProof
      finality: 'proven' | 'committed'
      /** A private chain's bundle: its blinding (docs/protocol.md §4.1), for `executeBlindedBundle`; the proof is of its blinded commitment. */
      blinding?: Hex
    }
  | { ready: false; reason: ProofNotReadyReason; sourceChainId?: number; destinationChainId?: number }

/** The stored index does not agree with itself: a root rebuilt from it differs from the root on chain. */
export class IndexInconsistentError extends JunctionError {
  override name = 'IndexInconsistentError'
  constructor(what: string, cause?: unknown) {
    super(`the message index is inconsistent: ${what}`, { details: 'Stop the services and start them on a new --data-dir to re-index from the chains.', cause })
  }
}

/**
 * Builds the inclusion proof of a sent bundle against the newest settlement-layer root its
 * destination has imported (only roots that really are settlement-layer roots count), from what
 * the indexers stored (section 7 of docs/protocol.md).
 *
 * @example
 * ```ts
 * const result = buildProofFromStore(store, { bundleHash, interopCenter, slChainId: 31337 })
 * if (result.ready) await executeBundle(result.bundle, result.proof)
 * ```
 */
export function buildProofFromStore(store: Store, parameters: BuildProofFromStoreParameters, cache?: SettlementLayerStateCache): BuildProofFromStoreReturnType {
  const sent = statement(store, 'SELECT source_chain_id, destination_chain_id, bundle, block_number FROM bundles_sent WHERE bundle_hash = ?').get(parameters.bundleHash) as
    | { source_chain_id: number; destination_chain_id: number; bundle: Hex; block_number: number }
    | undefined
  if (!sent) return { ready: false, reason: 'unknown' }
  const ids = { sourceChainId: sent.source_chain_id, destinationChainId: sent.destination_chain_id }
  // A private chain's bundle is recorded blinded (docs/protocol.md §4.1): its leaf holds the commitment.
  const blinded = statement(store, 'SELECT blinding, commitment FROM bundle_blindings WHERE bundle_hash = ?').get(parameters.bundleHash) as { blinding: Hex; commitment: Hex } | undefined
  const payloadHash = blinded?.commitment ?? parameters.bundleHash
  const extra = blinded ? { blinding: blinded.blinding } : {}
  const built = buildRoutedLeafProof(
    store,
    { topology: parameters.topology, sourceChainId: ids.sourceChainId, destination: ids.destinationChainId, sender: parameters.interopCenter, payloadHash, blockNumber: sent.block_number },
    cache,
  )
  if (built.ready) return { ready: true, bundle: sent.bundle, ...ids, proof: built.proof, finality: 'proven', ...extra }
  if (parameters.committedFinality) {
    const committed = buildCommittedProofFromStore(store, { ...ids, sender: parameters.interopCenter, payloadHash, blockNumber: sent.block_number, topology: parameters.topology })
    if (committed) return { ready: true, bundle: sent.bundle, ...ids, proof: committed, finality: 'committed', ...extra }
  }
  return { ready: false, reason: built.reason, ...ids }
}

/**
 * The committed-finality proof (docs/protocol.md §12) of a message: against the message root of its
 * source batch committed on the destination's settlement layer, once the destination imported that
 * root under the batch's committed-batch key. Undefined when there is none.
 */
function buildCommittedProofFromStore(
  store: Store,
  p: { sourceChainId: number; destinationChainId: number; sender: Address; payloadHash: Hex; blockNumber: number; topology: Topology },
): InteropProof | undefined {
  const sl = p.topology.settlementLayerOf.get(p.destinationChainId)
  const batch = statement(store, 
      `SELECT s.batch_number, s.first_block, s.last_block FROM sl_batches s JOIN imported_batch_roots i
         ON i.chain_id = ? AND i.sl_chain_id = s.sl_chain_id AND i.source_chain_id = s.chain_id AND i.batch_number = s.batch_number AND i.root = s.message_root
       WHERE s.sl_chain_id = ? AND s.chain_id = ? AND ? BETWEEN s.first_block AND s.last_block`,
    )
    .get(p.destinationChainId, sl, p.sourceChainId, p.blockNumber) as { batch_number: number; first_block: number; last_block: number } | undefined
  if (!batch || sl === undefined || readCursor(store, zkChainCursor(p.sourceChainId), -1) < batch.last_block) return undefined
  const leaves = statement(store, 'SELECT leaf FROM message_leaves WHERE chain_id = ? AND block_number BETWEEN ? AND ? ORDER BY block_number, log_index')
    .all(p.sourceChainId, batch.first_block, batch.last_block) as { leaf: Hex }[]
  try {
    return buildCommittedBatchProof({ slChainId: sl, messageSender: p.sender, bundleHash: p.payloadHash, sourceChainId: p.sourceChainId, batchNumber: batch.batch_number, messageLeaves: leaves.map((l) => l.leaf) }).proof
  } catch (error) {
    throw new IndexInconsistentError(`cannot build the committed-batch proof of ${p.payloadHash} from the stored batch`, error)
  }
}

/** Parameters of {@link buildLeafProofFromStore}. */
export type BuildLeafProofFromStoreParameters = {
  sourceChainId: number
  /**
   * Where the proof will be checked: a chain id (the proof uses the newest real root that chain
   * imported), or `'settlement-layer'` (the proof uses the settlement layer's own root history,
   * e.g. to finalize a withdrawal on L1).
   */
  destinationChainId: number | 'settlement-layer'
  slChainId: number
  /** Sender recorded by the messenger; it becomes the proof's `messageSender`. */
  sender: Address
  payloadHash: Hex
  /** Block of the source chain the message was recorded in; found from the leaf when omitted. */
  blockNumber?: number
  /**
   * Where the message was recorded, when the same leaf may have been recorded more than once (two
   * identical withdrawals): the proof is for the last such leaf at or before this log position.
   * Without it, the first occurrence is proven.
   */
  recordedBefore?: { blockNumber: number; logIndex: number }
  /**
   * Which settlement-layer root the proof ends at: `'newest'` (default) the newest one usable at
   * the destination; `'at-execution'` the root recorded in the block where the source batch was
   * executed (the lower level of a two-level proof, whose root the Gateway recorded as a message).
   */
  snapshot?: 'newest' | 'at-execution'
}

/** Parameters of {@link buildRoutedLeafProof}. */
export type BuildRoutedLeafProofParameters = Omit<BuildLeafProofFromStoreParameters, 'destinationChainId' | 'slChainId' | 'snapshot'> & {
  topology: Topology
  /** Where the proof is checked: a chain id, or L1's chain id for L1 itself (a withdrawal). */
  destination: number
}

/**
 * Builds the proof of a message leaf for where it is checked, one level or two (docs/protocol.md
 * §7.2): from a chain on the Gateway to a chain that checks L1 roots (or to L1), the message is
 * proven to the Gateway root recorded when its batch was executed there, and that root, recorded as
 * a message of the Gateway chain, is proven to an L1 root.
 *
 * @example
 * ```ts
 * const built = buildRoutedLeafProof(store, { topology, sourceChainId: 271, destination: 31337, sender: l2AssetRouter, payloadHash })
 * ```
 */
export function buildRoutedLeafProof(
  store: Store,
  parameters: BuildRoutedLeafProofParameters,
  cache?: SettlementLayerStateCache,
): { ready: true; proof: InteropProof; sharedRoot: Hex } | { ready: false; reason: ProofNotReadyReason } {
  const { topology, destination, ...leaf } = parameters
  const position = messagePosition(store, leaf)
  if (!position) return { ready: false, reason: 'unknown' }
  // The block's epoch decides where the message settled (a chain may have moved since).
  const route = proofRoute(topology, leaf.sourceChainId, destination, position.blockNumber)
  const checkedAt = (slChainId: number) => (destination === topology.l1ChainId && slChainId === topology.l1ChainId ? 'settlement-layer' : destination)
  const located = { ...leaf, blockNumber: position.blockNumber }
  if (route.kind === 'direct') return buildLeafProofFromStore(store, { ...located, slChainId: route.slChainId, destinationChainId: checkedAt(route.slChainId) }, cache)
  const lower = buildLeafProofFromStore(store, { ...located, slChainId: route.gatewayChainId, destinationChainId: 'settlement-layer', snapshot: 'at-execution' }, cache)
  if (!lower.ready) return lower
  const upper = buildLeafProofFromStore(
    store,
    { sourceChainId: route.gatewayChainId, slChainId: route.l1ChainId, destinationChainId: checkedAt(route.l1ChainId), sender: topology.settlementLayerMessageRoot, payloadHash: lower.sharedRoot },
    cache,
  )
  if (!upper.ready) return { ready: false, reason: upper.reason === 'unknown' ? 'not-executed-on-settlement-layer' : upper.reason }
  return { ready: true, proof: withSettlementLayerHop(lower.proof, upper.proof, route.gatewayChainId), sharedRoot: upper.sharedRoot }
}

/**
 * The position of a recorded message in its batch on `slChainId` (the batch's number and the message's
 * index in its tree): what L1 keys a bridge message by (`withdrawalId`). Undefined until the message is
 * indexed and batched on that layer.
 *
 * @example
 * ```ts
 * const at = messageBatchPosition(store, { sourceChainId: 273, slChainId: 31337, sender: l2AssetRouter, payloadHash, recordedBefore: { blockNumber, logIndex } })
 * if (at) withdrawalId({ chainId: 273, ...at })
 * ```
 */
export function messageBatchPosition(
  store: Store,
  parameters: Pick<BuildLeafProofFromStoreParameters, 'sourceChainId' | 'slChainId' | 'sender' | 'payloadHash' | 'recordedBefore'>,
): { batchNumber: number; messageIndex: number } | undefined {
  const found = messagePosition(store, parameters)
  if (!found?.recorded) return undefined
  const { block_number: block, log_index: logIndex } = found.recorded
  const batch = statement(store, 'SELECT batch_number, first_block FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND last_block >= ? ORDER BY last_block LIMIT 1')
    .get(parameters.slChainId, parameters.sourceChainId, block) as { batch_number: number; first_block: number } | undefined
  if (!batch || batch.first_block > block) return undefined
  const { before } = statement(store, 'SELECT COUNT(*) AS before FROM message_leaves WHERE chain_id = ? AND block_number >= ? AND (block_number < ? OR (block_number = ? AND log_index < ?))')
    .get(parameters.sourceChainId, batch.first_block, block, block, logIndex) as { before: number }
  return { batchNumber: batch.batch_number, messageIndex: before }
}

/**
 * Where the message leaf `messageLeaf(sender, payloadHash)` was recorded on the source chain: its block
 * (given, the occurrence at or before `recordedBefore`, or the first one) and, for `recordedBefore`, its
 * exact log position. Undefined when the indexer has not seen it.
 */
function messagePosition(
  store: Store,
  parameters: Pick<BuildLeafProofFromStoreParameters, 'sourceChainId' | 'sender' | 'payloadHash' | 'blockNumber' | 'recordedBefore'>,
): { blockNumber: number; recorded: { block_number: number; log_index: number } | undefined; leaf: Hex } | undefined {
  const { sourceChainId, sender, payloadHash } = parameters
  const leaf = messageLeaf(sender, payloadHash)
  const recorded = parameters.recordedBefore
    ? (statement(store, 
          'SELECT block_number, log_index FROM message_leaves WHERE chain_id = ? AND leaf = ? AND (block_number < ? OR (block_number = ? AND log_index <= ?)) ORDER BY block_number DESC, log_index DESC LIMIT 1',
        )
        .get(sourceChainId, leaf, parameters.recordedBefore.blockNumber, parameters.recordedBefore.blockNumber, parameters.recordedBefore.logIndex) as { block_number: number; log_index: number } | undefined)
    : undefined
  const blockNumber =
    recorded?.block_number ??
    parameters.blockNumber ??
    (statement(store, 'SELECT block_number FROM message_leaves WHERE chain_id = ? AND leaf = ? ORDER BY block_number LIMIT 1').get(sourceChainId, leaf) as { block_number: number } | undefined)
      ?.block_number
  return blockNumber === undefined ? undefined : { blockNumber, recorded, leaf }
}

/**
 * Builds the inclusion proof of any message leaf `messageLeaf(sender, payloadHash)` recorded on the
 * source chain. {@link buildProofFromStore} is this with the InteropCenter as sender; tests use it to
 * show that messages recorded by other contracts are refused.
 *
 * @example
 * ```ts
 * const built = buildLeafProofFromStore(store, { sourceChainId: 271, destinationChainId: 272, slChainId: 31337, sender, payloadHash })
 * ```
 */
export function buildLeafProofFromStore(
  store: Store,
  parameters: BuildLeafProofFromStoreParameters,
  cache?: SettlementLayerStateCache,
): { ready: true; proof: InteropProof; sharedRoot: Hex } | { ready: false; reason: ProofNotReadyReason } {
  const { sourceChainId, destinationChainId, slChainId, sender, payloadHash } = parameters
  const found = messagePosition(store, parameters)
  if (!found) return { ready: false, reason: 'unknown' }
  const { blockNumber, recorded: position, leaf } = found
  // The batch holding the block: the first one ending at or after it (an index seek, not a scan of every batch).
  const found_ = statement(store, 'SELECT batch_number, first_block, last_block, executed_block FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND last_block >= ? ORDER BY last_block LIMIT 1')
    .get(slChainId, sourceChainId, blockNumber) as { batch_number: number; first_block: number; last_block: number; executed_block: number | null } | undefined
  const batch = found_ && found_.first_block <= blockNumber ? found_ : undefined
  if (!batch) return { ready: false, reason: 'not-batched' }
  if (batch.executed_block === null) return { ready: false, reason: 'not-executed-on-settlement-layer' }
  // The settlement layer's indexer may be ahead of the chain's: wait until every leaf of the batch is in.
  if (readCursor(store, zkChainCursor(sourceChainId), -1) < batch.last_block) return { ready: false, reason: 'unknown' }
  const imported = (
    parameters.snapshot === 'at-execution'
      ? statement(store, 'SELECT block_number AS sl_block_number, root FROM sl_roots WHERE sl_chain_id = ? AND block_number = ?').get(slChainId, batch.executed_block)
      : destinationChainId === 'settlement-layer'
      ? statement(store, 'SELECT block_number AS sl_block_number, root FROM sl_roots WHERE sl_chain_id = ? AND block_number >= ? ORDER BY block_number DESC LIMIT 1')
          .get(slChainId, batch.executed_block)
      : statement(store, 
            'SELECT sl_block_number, root FROM real_imported_roots WHERE chain_id = ? AND sl_chain_id = ? AND sl_block_number >= ? ORDER BY sl_block_number DESC LIMIT 1',
          )
          .get(destinationChainId, slChainId, batch.executed_block)
  ) as { sl_block_number: number; root: Hex } | undefined
  if (!imported) return { ready: false, reason: 'root-not-imported' }
  const snapshot = imported.sl_block_number

  const stateAt = (key: string, movesUpTo: number) => {
    let state = cache?.get(key)
    if (!state) {
      state = settlementLayerStateAt(store, slChainId, snapshot, movesUpTo)
      cache?.set(key, state)
    }
    return state
  }
  const prove = (state: SettlementLayerState, key: string) => {
    try {
      return buildInteropProof({
        slChainId,
        slBlockNumber: snapshot,
        messageSender: sender,
        bundleHash: payloadHash,
        sourceChainId,
        batchNumber: batch.batch_number,
        messageLeaves,
        messageIndex,
        batchMessageRoots: state.batchMessageRoots.get(sourceChainId) ?? [],
        chains: state.chains,
        // Many proofs against one snapshot (a relayer's round) build each tree once.
        treeCache: state.trees,
        treeKey: { snapshot: key, batch: `${sourceChainId}:${batch.batch_number}` },
      })
    } catch (error) {
      throw new IndexInconsistentError(`cannot build the proof of ${payloadHash} from the stored batches`, error)
    }
  }
  const key = `${slChainId}@${snapshot}`
  const state = stateAt(key, snapshot)
  // Another settlement layer's indexer has not caught up with batches this one's trees hold: wait.
  if (state.incomplete.size > 0) return { ready: false, reason: 'not-executed-on-settlement-layer' }
  const { rows, leaves: messageLeaves, firstIndexOf } = batchLeaves(store, state, sourceChainId, batch)
  const messageIndex = position
    ? rows.findIndex((r) => r.block_number === position.block_number && r.log_index === position.log_index)
    : firstIndexOf.get(leaf)
  let built = prove(state, key)
  // A chain added, or a chain's tree imported (a chain moving here), records no root: the root recorded in
  // that block is the one of its last executed batch, before or after the move in the block. The store
  // knows the block, not the order: the state before the block's moves is the other candidate.
  if (built.sharedRoot !== imported.root.toLowerCase() && movesInBlock(store, slChainId, snapshot)) {
    const before = stateAt(`${key} before its moves`, snapshot - 1)
    if (before.incomplete.size === 0) {
      const other = prove(before, `${key} before its moves`)
      if (other.sharedRoot === imported.root.toLowerCase()) built = other
    }
  }
  if (built.sharedRoot !== imported.root.toLowerCase()) {
    throw new IndexInconsistentError(`rebuilt root ${built.sharedRoot} of ${slChainId}@${snapshot} is not the imported ${imported.root}`)
  }
  return { ready: true, proof: built.proof, sharedRoot: built.sharedRoot }
}

/** A settlement layer's trees at one block: every chain's tree root in registration order, and each chain's batch message roots. */
export type SettlementLayerState = {
  chains: { chainId: bigint; chainTreeRoot: Hex }[]
  batchMessageRoots: Map<number, Hex[]>
  /** Merkle trees built for proofs against this state (see `buildInteropProof`'s `treeCache`). */
  trees: Map<string, MerkleTree>
  /** Chains whose tree here holds batches executed elsewhere that the store does not have yet (an indexer behind). */
  incomplete: Set<number>
  /** The message leaves of batches proven against this state, by `chainId:batchNumber` (see {@link batchLeaves}). */
  batchLeaves?: Map<string, BatchLeaves>
}

/** A batch's message leaves in order, and where each leaf first occurs. */
type BatchLeaves = { rows: { block_number: number; log_index: number; leaf: Hex }[]; leaves: Hex[]; firstIndexOf: Map<Hex, number> }

/**
 * The message leaves of `batch` of `chainId`, read once per state: every proof of a relayer's round reads the same
 * batch, and reading its leaves again for each (and finding the message among them) was a third of the relayer's proof
 * time with batches of a few hundred messages. A batch's leaves never change once its source is indexed past it.
 */
function batchLeaves(store: Store, state: SettlementLayerState, chainId: number, batch: { batch_number: number; first_block: number; last_block: number }): BatchLeaves {
  const key = `${chainId}:${batch.batch_number}`
  const cached = state.batchLeaves?.get(key)
  if (cached) return cached
  const rows = statement(store, 'SELECT block_number, log_index, leaf FROM message_leaves WHERE chain_id = ? AND block_number BETWEEN ? AND ? ORDER BY block_number, log_index')
    .all(chainId, batch.first_block, batch.last_block) as BatchLeaves['rows']
  const leaves = rows.map((r) => r.leaf)
  const firstIndexOf = new Map<Hex, number>()
  for (const [i, leaf] of leaves.entries()) if (!firstIndexOf.has(leaf.toLowerCase() as Hex)) firstIndexOf.set(leaf.toLowerCase() as Hex, i)
  const built = { rows, leaves, firstIndexOf }
  ;(state.batchLeaves ??= new Map()).set(key, built)
  return built
}

/** Whether a chain was added to `slChainId`'s trees, or brought its tree there, in block `block`. */
function movesInBlock(store: Store, slChainId: number, block: number): boolean {
  return (
    statement(store, 'SELECT 1 AS one FROM sl_chains WHERE sl_chain_id = ? AND block_number = ? UNION ALL SELECT 1 FROM sl_chain_trees WHERE sl_chain_id = ? AND block_number = ? LIMIT 1').get(slChainId, block, slChainId, block) !== undefined
  )
}

/** States already rebuilt, by `slChainId@block`: pass one map to build many proofs against the same roots. */
export type SettlementLayerStateCache = Map<string, SettlementLayerState>

/**
 * Rebuilds the settlement layer's trees as they were at block `snapshot`, from the stored batches.
 * A chain's tree there holds its first `count` batches, wherever they were executed (a chain that
 * moved brought its tree along, docs/protocol.md §11): `count` is the last batch appended there, or
 * the size of the tree it brought, whichever is larger. `movesUpTo` (default `snapshot`): the last block
 * whose chain additions and tree imports count (`snapshot - 1` for the state before the moves of that block).
 */
export function settlementLayerStateAt(store: Store, slChainId: number, snapshot: number, movesUpTo = snapshot): SettlementLayerState {
  const chains = statement(store, 'SELECT chain_id FROM sl_chains WHERE sl_chain_id = ? AND block_number <= ? ORDER BY idx').all(slChainId, movesUpTo) as { chain_id: number }[]
  const countOf = statement(store, 
    `SELECT MAX(COALESCE((SELECT MAX(batch_number) FROM sl_batches WHERE sl_chain_id = @sl AND chain_id = @chain AND executed_block <= @snapshot), 0),
                COALESCE((SELECT MAX(batch_count) FROM sl_chain_trees WHERE sl_chain_id = @sl AND chain_id = @chain AND block_number <= @movesUpTo), 0)) AS count`,
  )
  const batchesOf = statement(store, 
    'SELECT batch_number, MIN(message_root) AS message_root FROM sl_batches WHERE chain_id = ? AND executed_block IS NOT NULL AND batch_number <= ? GROUP BY batch_number ORDER BY batch_number',
  )
  const batchMessageRoots = new Map<number, Hex[]>()
  const incomplete = new Set<number>()
  const roots = chains.map(({ chain_id }) => {
    const { count } = countOf.get({ sl: slChainId, chain: chain_id, snapshot, movesUpTo }) as { count: number }
    const rows = batchesOf.all(chain_id, count) as { batch_number: number; message_root: Hex }[]
    if (rows.length !== count) incomplete.add(chain_id)
    batchMessageRoots.set(chain_id, rows.map((r) => r.message_root))
    return { chainId: BigInt(chain_id), chainTreeRoot: merkleRoot(rows.map((r) => batchLeaf(r.batch_number, r.message_root))) }
  })
  return { chains: roots, batchMessageRoots, trees: new Map(), incomplete }
}
