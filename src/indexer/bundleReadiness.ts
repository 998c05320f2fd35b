import type { Hex } from 'viem'
import { proofRoute, type Topology } from '../network/topology.js'
import type { Store } from '../store/openStore.js'

/** How to read, for some waiting bundles, the root that proves them on their destination. */
type RootNeed = {
  slChainId: number
  /** Joins bringing the batches that must be executed, and the column of the block the root must be at or after. */
  join: string
  needed: string
  params: number[]
  /** The bundles this need is for: those sent in blocks `[fromBlock, toBlock)` of the source (one settlement epoch). */
  fromBlock: number
  toBlock: number
}

/**
 * For bundles from one source chain to one destination, how to read from the store the settlement
 * layer whose root proves them on the destination and the smallest block of that root
 * (docs/protocol.md §7.2), one need per settlement epoch of the source (§11: where its blocks
 * settled): for a one-level proof, the block where the source batch was executed on its settlement
 * layer; for a two-level proof (source on the Gateway, destination checking L1 roots), the L1 block
 * where the Gateway batch holding that execution was executed.
 */
function rootNeedsOf(topology: Topology, sourceChainId: number, destinationChainId: number): RootNeed[] {
  const epochs = topology.epochs.get(sourceChainId) ?? []
  return epochs.map((epoch, i) => {
    const bounds = { fromBlock: epoch.fromBlock, toBlock: epochs[i + 1]?.fromBlock ?? Number.MAX_SAFE_INTEGER }
    const route = proofRoute(topology, sourceChainId, destinationChainId, epoch.fromBlock)
    // The batch holding a block is found with an index seek (the first batch ending at or after it),
    // not a scan of every batch: these queries run every few milliseconds over every pending bundle.
    const sourceBatch = `JOIN sl_batches s ON s.sl_chain_id = ? AND s.chain_id = b.source_chain_id AND s.first_block <= b.block_number
      AND s.last_block = (SELECT MIN(x.last_block) FROM sl_batches x WHERE x.sl_chain_id = s.sl_chain_id AND x.chain_id = b.source_chain_id AND x.last_block >= b.block_number)`
    if (route.kind === 'direct') return { slChainId: route.slChainId, join: sourceBatch, needed: 's.executed_block', params: [route.slChainId], ...bounds }
    return {
      slChainId: route.l1ChainId,
      join: `${sourceBatch} JOIN sl_batches g ON g.sl_chain_id = ? AND g.chain_id = ? AND g.first_block <= s.executed_block
        AND g.last_block = (SELECT MIN(y.last_block) FROM sl_batches y WHERE y.sl_chain_id = g.sl_chain_id AND y.chain_id = g.chain_id AND y.last_block >= s.executed_block)`,
      needed: 'g.executed_block',
      params: [route.gatewayChainId, route.l1ChainId, route.gatewayChainId],
      ...bounds,
    }
  })
}

/** The (source, destination) pairs with bundles not executed yet. */
function pendingPairs(store: Store, destinationChainId?: number): { source_chain_id: number; destination_chain_id: number }[] {
  return store
    .prepare(`SELECT DISTINCT source_chain_id, destination_chain_id FROM pending_bundles ${destinationChainId === undefined ? '' : 'WHERE destination_chain_id = ?'}`)
    .all(...(destinationChainId === undefined ? [] : [destinationChainId])) as { source_chain_id: number; destination_chain_id: number }[]
}

/** A root a destination must import before some waiting bundles can be proven there. */
export type RootDemand = { slChainId: number; neededBlock: number }

/**
 * The roots `destinationChainId` needs for the bundles waiting for it whose source side is settled:
 * per settlement layer, the smallest root block that covers all of them.
 *
 * @example
 * ```ts
 * rootDemands(store, topology, 272) // [{ slChainId: 31338, neededBlock: 57 }]
 * ```
 */
export function rootDemands(store: Store, topology: Topology, destinationChainId: number): RootDemand[] {
  const bySl = new Map<number, number>()
  for (const pair of pendingPairs(store, destinationChainId)) {
    for (const need of rootNeedsOf(topology, pair.source_chain_id, destinationChainId)) {
      const row = store
        .prepare(
          `SELECT MAX(${need.needed}) AS needed FROM pending_bundles b ${need.join}
           WHERE b.source_chain_id = ? AND b.destination_chain_id = ? AND b.block_number >= ? AND b.block_number < ?`,
        )
        .get(...need.params, pair.source_chain_id, destinationChainId, need.fromBlock, need.toBlock) as { needed: number | null }
      if (row.needed !== null) bySl.set(need.slChainId, Math.max(bySl.get(need.slChainId) ?? -1, row.needed))
    }
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
  return store
    .prepare(
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
  for (const pair of pendingPairs(store)) {
    for (const need of rootNeedsOf(topology, pair.source_chain_id, pair.destination_chain_id)) {
      if (ready.length >= parameters.limit) break
      const rows = store
        .prepare(
          `SELECT b.bundle_hash, b.destination_chain_id FROM pending_bundles b ${need.join}
           LEFT JOIN deliveries d ON d.bundle_hash = b.bundle_hash
           WHERE b.source_chain_id = ? AND b.destination_chain_id = ? AND b.block_number >= ? AND b.block_number < ? AND ${need.needed} IS NOT NULL
             AND (d.bundle_hash IS NULL OR (d.status = 'failed' AND d.retry_at <= ?))
             AND ${rootAvailable(topology, pair.destination_chain_id, need.needed)}
           ORDER BY b.block_number, b.log_index LIMIT ?`,
        )
        .all(...need.params, pair.source_chain_id, pair.destination_chain_id, need.fromBlock, need.toBlock, parameters.now, need.slChainId, parameters.limit - ready.length) as {
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
  for (const pair of pendingPairs(store)) {
    const sl = topology.settlementLayerOf.get(pair.destination_chain_id)
    if (sl === undefined || pair.destination_chain_id === topology.l1ChainId || already.size + ready.length >= parameters.limit) continue
    const rows = store
      .prepare(
        `SELECT b.bundle_hash, b.destination_chain_id FROM pending_bundles b ${SAME_LAYER_BATCH}
         JOIN imported_batch_roots i ON i.chain_id = b.destination_chain_id AND i.sl_chain_id = s.sl_chain_id AND i.source_chain_id = s.chain_id AND i.batch_number = s.batch_number AND i.root = s.message_root
         LEFT JOIN deliveries d ON d.bundle_hash = b.bundle_hash
         WHERE b.source_chain_id = ? AND b.destination_chain_id = ? AND (d.bundle_hash IS NULL OR (d.status = 'failed' AND d.retry_at <= ?))
         ORDER BY b.block_number, b.log_index LIMIT ?`,
      )
      .all(sl, pair.source_chain_id, pair.destination_chain_id, parameters.now, parameters.limit) as { bundle_hash: Hex; destination_chain_id: number }[]
    ready.push(...rows.filter((r) => !already.has(r.bundle_hash)))
  }
  return ready
}

/**
 * SQL condition: the destination can check a proof ending at a root of settlement layer `?` at or
 * after block `needed`: a real root it imported, or, on L1, L1's own root history.
 */
function rootAvailable(topology: Topology, destinationChainId: number, needed: string): string {
  if (destinationChainId === topology.l1ChainId) return `EXISTS (SELECT 1 FROM sl_roots r WHERE r.sl_chain_id = ? AND r.block_number >= ${needed})`
  return `EXISTS (SELECT 1 FROM real_imported_roots i WHERE i.chain_id = b.destination_chain_id AND i.sl_chain_id = ? AND i.sl_block_number >= ${needed})`
}
