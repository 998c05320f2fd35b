import type { Hex } from 'viem'
import { proofRoute, type ProofRoute, type Topology } from '../network/topology.js'
import { statement, type Store } from '../store/openStore.js'

/** One settlement epoch of a source chain (blocks `[fromBlock, toBlock)`) and how its messages are proven on a destination. */
type EpochRoute = { fromBlock: number; toBlock: number; route: ProofRoute }

/** The routes of every settlement epoch of `sourceChainId` (docs/protocol.md §11) to `destinationChainId` (§7.2). */
function epochRoutes(topology: Topology, sourceChainId: number, destinationChainId: number): EpochRoute[] {
  const epochs = topology.epochs.get(sourceChainId) ?? []
  return epochs.map((epoch, i) => ({
    fromBlock: epoch.fromBlock,
    toBlock: epochs[i + 1]?.fromBlock ?? Number.MAX_SAFE_INTEGER,
    route: proofRoute(topology, sourceChainId, destinationChainId, epoch.fromBlock),
  }))
}

// Readiness is read with index seeks, never a scan of the waiting bundles: batches execute in order, so
// "every block of the source up to B is settled and covered by the destination's root" is one number B,
// and the bundles it proves are a range of the pending_bundles index. These queries run every few
// milliseconds, whatever the backlog.

/**
 * The last block of `chainId` settled on `slChainId` by a batch executed at or before the layer's block
 * `slBlock` (every block of the chain up to it is in such a batch, since batches execute in order).
 */
function settledThrough(store: Store, slChainId: number, chainId: number, slBlock: number): number | undefined {
  const row = statement(store, 'SELECT last_block FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND executed_block <= ? ORDER BY last_block DESC LIMIT 1')
    .get(slChainId, chainId, slBlock) as { last_block: number } | undefined
  return row?.last_block
}

/** The layer's block at which the batch of `chainId` holding `block` was executed (undefined if not yet). */
function executedAt(store: Store, slChainId: number, chainId: number, block: number): number | undefined {
  const row = statement(store, 'SELECT executed_block FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND last_block >= ? ORDER BY last_block LIMIT 1')
    .get(slChainId, chainId, block) as { executed_block: number | null } | undefined
  return row?.executed_block ?? undefined
}

/** The newest root of `slChainId` `destinationChainId` can check proofs against: a real root it imported, or on L1 L1's own. */
function newestUsableRoot(store: Store, topology: Topology, destinationChainId: number, slChainId: number): number | undefined {
  const row = (
    destinationChainId === topology.l1ChainId
      ? statement(store, 'SELECT MAX(block_number) AS b FROM sl_roots WHERE sl_chain_id = ?').get(slChainId)
      : statement(store, 'SELECT MAX(sl_block_number) AS b FROM real_imported_roots WHERE chain_id = ? AND sl_chain_id = ?').get(destinationChainId, slChainId)
  ) as { b: number | null }
  return row.b ?? undefined
}

/**
 * The last source block whose messages of this epoch are settled as far as `slBlock` allows at the
 * root's layer: one level, the source's batches executed by then; two levels (source on the Gateway),
 * the Gateway's batches executed on L1 by then, and the source's batches executed on the Gateway
 * within the blocks those cover.
 */
function provableThrough(store: Store, sourceChainId: number, route: ProofRoute, slBlock: number): number | undefined {
  if (route.kind === 'direct') return settledThrough(store, route.slChainId, sourceChainId, slBlock)
  const gatewayBlock = settledThrough(store, route.l1ChainId, route.gatewayChainId, slBlock)
  return gatewayBlock === undefined ? undefined : settledThrough(store, route.gatewayChainId, sourceChainId, gatewayBlock)
}

/** The chain whose root proves a route's messages where they are checked. */
const rootLayer = (route: ProofRoute) => (route.kind === 'direct' ? route.slChainId : route.l1ChainId)

/** The (source, destination) pairs with bundles not executed yet: one index probe per pair the network has. */
function pendingPairs(store: Store, topology: Topology, destinationChainId?: number): { source_chain_id: number; destination_chain_id: number }[] {
  const chains = [...topology.epochs.keys()]
  const destinations = destinationChainId === undefined ? [...chains, topology.l1ChainId] : [destinationChainId]
  const any = statement(store, 'SELECT 1 AS ok FROM pending_bundles WHERE source_chain_id = ? AND destination_chain_id = ? LIMIT 1')
  return chains.flatMap((source) => destinations.filter((destination) => any.get(source, destination)).map((destination) => ({ source_chain_id: source, destination_chain_id: destination })))
}

/** A root a destination must import before some waiting bundles can be proven there. */
export type RootDemand = { slChainId: number; neededBlock: number }

/**
 * The roots `destinationChainId` needs for the bundles waiting for it whose source side is settled, and for
 * the fees of its bundles executed elsewhere and not claimed yet (the destination's execution record, settled,
 * proven here: docs/fees.md): per settlement layer, the smallest root block that covers all of them.
 *
 * @example
 * ```ts
 * rootDemands(store, topology, 272) // [{ slChainId: 31338, neededBlock: 57 }]
 * ```
 */
export function rootDemands(store: Store, topology: Topology, destinationChainId: number): RootDemand[] {
  const bySl = new Map<number, number>()
  const newest = statement(store, 
    'SELECT MAX(block_number) AS b FROM pending_bundles WHERE source_chain_id = ? AND destination_chain_id = ? AND block_number >= ? AND block_number <= ?',
  )
  for (const pair of pendingPairs(store, topology, destinationChainId)) {
    for (const { fromBlock, toBlock, route } of epochRoutes(topology, pair.source_chain_id, destinationChainId)) {
      // The newest waiting bundle whose source side is settled (its batch, and the Gateway batch holding that execution, executed).
      const settled = provableThrough(store, pair.source_chain_id, route, Number.MAX_SAFE_INTEGER)
      if (settled === undefined) continue
      const { b } = newest.get(pair.source_chain_id, destinationChainId, fromBlock, Math.min(toBlock - 1, settled)) as { b: number | null }
      if (b === null) continue
      let needed = executedAt(store, route.kind === 'direct' ? route.slChainId : route.gatewayChainId, pair.source_chain_id, b)
      if (needed !== undefined && route.kind === 'via-gateway') needed = executedAt(store, route.l1ChainId, route.gatewayChainId, needed)
      if (needed === undefined) continue
      const sl = rootLayer(route)
      bySl.set(sl, Math.max(bySl.get(sl) ?? -1, needed))
    }
  }
  // Fees to claim here (docs/fees.md): a root covering the destination's batch that holds the execution record.
  const claims = statement(
    store,
    `SELECT f.destination_chain_id AS chain_id, MAX(e.block_number) AS block FROM unclaimed_fees f JOIN bundles_executed e ON e.bundle_hash = f.bundle_hash
     WHERE f.source_chain_id = ? AND e.chain_id = f.destination_chain_id AND f.destination_chain_id != ? GROUP BY f.destination_chain_id`,
  ).all(destinationChainId, topology.l1ChainId) as { chain_id: number; block: number }[]
  for (const claim of claims) {
    const route = proofRoute(topology, claim.chain_id, destinationChainId, claim.block)
    if ((provableThrough(store, claim.chain_id, route, Number.MAX_SAFE_INTEGER) ?? -1) < claim.block) continue
    let needed = executedAt(store, route.kind === 'direct' ? route.slChainId : route.gatewayChainId, claim.chain_id, claim.block)
    if (needed !== undefined && route.kind === 'via-gateway') needed = executedAt(store, route.l1ChainId, route.gatewayChainId, needed)
    if (needed === undefined) continue
    const sl = rootLayer(route)
    bySl.set(sl, Math.max(bySl.get(sl) ?? -1, needed))
  }
  return [...bySl].map(([slChainId, neededBlock]) => ({ slChainId, neededBlock }))
}

/** Parameters of {@link readyBundles}. */
export type ReadyBundlesParameters = {
  /** Now, in ms: bundles whose last attempt failed are retried after their `retry_at`. */
  now: number
  limit: number
  /**
   * Committed finality (docs/protocol.md §12, opt-in): bundles are also ready when their source batch is
   * only committed on the destination's settlement layer and the destination imported its message root.
   */
  committedFinality?: boolean
}

/**
 * SQL joining, for waiting bundles `b`, the batch `s` holding them on the destination's settlement
 * layer `?` (an index seek: the first batch ending at or after the block). Committed finality: a
 * source batch on the same layer as its destination, committed there, maybe not executed.
 */
const SAME_LAYER_BATCH = `JOIN sl_batches s ON s.sl_chain_id = ? AND s.chain_id = b.source_chain_id AND s.first_block <= b.block_number
  AND s.last_block = (SELECT MIN(x.last_block) FROM sl_batches x WHERE x.sl_chain_id = s.sl_chain_id AND x.chain_id = b.source_chain_id AND x.last_block >= b.block_number)`

/**
 * The source batches of bundles waiting for `destinationChainId` that are committed on its settlement
 * layer, not executed yet, and whose message root it has not imported (committed finality, §12): what
 * its root importer imports when committed finality is on.
 *
 * @example
 * ```ts
 * committedBatchDemands(store, topology, 272) // [{ slChainId: 31337, sourceChainId: 271, batchNumber: 5, messageRoot: '0x…' }]
 * ```
 */
export function committedBatchDemands(store: Store, topology: Topology, destinationChainId: number): { slChainId: number; sourceChainId: number; batchNumber: number; messageRoot: Hex }[] {
  const sl = topology.settlementLayerOf.get(destinationChainId)
  if (sl === undefined) return []
  return statement(store, 
      `SELECT DISTINCT s.sl_chain_id AS slChainId, s.chain_id AS sourceChainId, s.batch_number AS batchNumber, s.message_root AS messageRoot FROM pending_bundles b ${SAME_LAYER_BATCH}
       WHERE b.destination_chain_id = ? AND s.executed_block IS NULL AND NOT EXISTS
         (SELECT 1 FROM imported_batch_roots i WHERE i.chain_id = b.destination_chain_id AND i.sl_chain_id = s.sl_chain_id AND i.source_chain_id = s.chain_id AND i.batch_number = s.batch_number)
       ORDER BY s.chain_id, s.batch_number`,
    )
    .all(sl, destinationChainId) as { slChainId: number; sourceChainId: number; batchNumber: number; messageRoot: Hex }[]
}

/**
 * The bundles a relayer can execute now: not executed, not being retried later, and their
 * destination has imported a real root that proves them, in send order per pair.
 *
 * @example
 * ```ts
 * for (const { bundle_hash, destination_chain_id } of readyBundles(store, topology, { now: Date.now(), limit: 400 })) ...
 * ```
 */
export function readyBundles(store: Store, topology: Topology, parameters: ReadyBundlesParameters): { bundle_hash: Hex; destination_chain_id: number }[] {
  const ready: { bundle_hash: Hex; destination_chain_id: number }[] = []
  const inRange = statement(store, 
    `SELECT b.bundle_hash, b.destination_chain_id FROM pending_bundles b LEFT JOIN deliveries d ON d.bundle_hash = b.bundle_hash
     WHERE b.source_chain_id = ? AND b.destination_chain_id = ? AND b.block_number >= ? AND b.block_number <= ?
       AND (d.bundle_hash IS NULL OR (d.status IN ('failed', 'unpaid') AND d.retry_at <= ?))
     ORDER BY b.block_number, b.log_index LIMIT ?`,
  )
  for (const pair of pendingPairs(store, topology)) {
    for (const { fromBlock, toBlock, route } of epochRoutes(topology, pair.source_chain_id, pair.destination_chain_id)) {
      if (ready.length >= parameters.limit) break
      const root = newestUsableRoot(store, topology, pair.destination_chain_id, rootLayer(route))
      const through = root === undefined ? undefined : provableThrough(store, pair.source_chain_id, route, root)
      if (through === undefined || through < fromBlock) continue
      const rows = inRange.all(pair.source_chain_id, pair.destination_chain_id, fromBlock, Math.min(toBlock - 1, through), parameters.now, parameters.limit - ready.length) as {
        bundle_hash: Hex
        destination_chain_id: number
      }[]
      ready.push(...rows)
    }
  }
  if (parameters.committedFinality) ready.push(...committedReady(store, topology, parameters, new Set(ready.map((r) => r.bundle_hash))))
  return ready
}

/** Bundles ready through committed finality only (§12): their destination imported the committed source batch's message root. */
function committedReady(store: Store, topology: Topology, parameters: ReadyBundlesParameters, already: ReadonlySet<Hex>): { bundle_hash: Hex; destination_chain_id: number }[] {
  const ready: { bundle_hash: Hex; destination_chain_id: number }[] = []
  for (const pair of pendingPairs(store, topology)) {
    const sl = topology.settlementLayerOf.get(pair.destination_chain_id)
    if (sl === undefined || pair.destination_chain_id === topology.l1ChainId || already.size + ready.length >= parameters.limit) continue
    const rows = statement(store, 
        `SELECT b.bundle_hash, b.destination_chain_id FROM pending_bundles b ${SAME_LAYER_BATCH}
         JOIN imported_batch_roots i ON i.chain_id = b.destination_chain_id AND i.sl_chain_id = s.sl_chain_id AND i.source_chain_id = s.chain_id AND i.batch_number = s.batch_number AND i.root = s.message_root
         LEFT JOIN deliveries d ON d.bundle_hash = b.bundle_hash
         WHERE b.source_chain_id = ? AND b.destination_chain_id = ? AND (d.bundle_hash IS NULL OR (d.status IN ('failed', 'unpaid') AND d.retry_at <= ?))
         ORDER BY b.block_number, b.log_index LIMIT ?`,
      )
      .all(sl, pair.source_chain_id, pair.destination_chain_id, parameters.now, parameters.limit) as { bundle_hash: Hex; destination_chain_id: number }[]
    ready.push(...rows.filter((r) => !already.has(r.bundle_hash)))
  }
  return ready
}
