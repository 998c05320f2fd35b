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
