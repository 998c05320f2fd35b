// 1. Latency of chain → chain messages, per path the network has: from the send transaction's
// receipt to the delivery seen on the destination, over a paced stream of messages.
import { keccak256, stringToHex, type Hex } from 'viem'
import type { NetworkManifest, ZkChainInfo } from '../../src/network/types.js'
import { sendMessage } from '../../src/sdk/actions/sendMessage.js'
import type { Store } from '../../src/store/openStore.js'
import { DeliveryWatcher } from '../lib/deliveryWatcher.js'
import { sleep, summarize, type Summary } from '../../src/testing/load/stats.js'
import { walletFor } from '../../src/chain/walletFor.js'

/** A way a message can travel: where its source and destination settle decides its proof (one or two levels). */
export type MessagePath = { name: string; settlementLayer: number; from: ZkChainInfo; to: ZkChainInfo; hop?: { l1ChainId: number; gatewayChainId: number }; committedFinality?: boolean }

/**
 * The paths this network has, one entry each: two chains on the same settlement layer (L1, or a
 * Gateway: a one-level proof against that layer's roots), and from a chain on a Gateway to a chain on
 * L1 (a two-level proof against an L1 root). The Gateway chain itself is not a path's end. Paths the
 * network lacks are named in `absent`.
 */
export function messagePaths(manifest: NetworkManifest): { paths: MessagePath[]; absent: string[] } {
  const zkChains = manifest.chains.filter((chain) => chain.role !== 'gateway')
  const bySettlementLayer = new Map<number, ZkChainInfo[]>()
  for (const chain of zkChains) bySettlementLayer.set(chain.settlementLayer, [...(bySettlementLayer.get(chain.settlementLayer) ?? []), chain])
  const paths: MessagePath[] = []
  for (const [settlementLayer, chains] of bySettlementLayer) {
    if (chains.length < 2) continue
    const name = settlementLayer === manifest.l1.chainId ? 'L1-settled' : 'Gateway'
    paths.push({ name, settlementLayer, from: chains[0]!, to: chains[1]! })
  }
  const onGateway = zkChains.find((chain) => chain.settlementLayer !== manifest.l1.chainId)
  const onL1 = zkChains.find((chain) => chain.settlementLayer === manifest.l1.chainId)
  if (onGateway && onL1) {
    paths.push({ name: 'Gateway → L1-settled (two-level proof)', settlementLayer: manifest.l1.chainId, from: onGateway, to: onL1, hop: { l1ChainId: manifest.l1.chainId, gatewayChainId: onGateway.settlementLayer } })
  }
  const absent = onGateway ? [] : ['Gateway: no chain of this network settles on a Gateway (measured on the Gateway network)']
  return { paths, absent }
}

export type LatencyResult = {
  path: string
  from: string
  to: string
  ratePerSecond: number
  latencyMs: Summary
  missing: number
  /** Every latency sample (ms), for the CDF plot. */
  samples: number[]
  /** Median time of each step of the way, from the services' store. */
  stagesMs: Record<string, number>
}

/** Sends `count` messages on `path` at `ratePerSecond` (one sender, SDK `sendMessage`) and measures each. */
export async function measureLatency(parameters: {
  manifest: NetworkManifest
  path: MessagePath
  recipient: Hex
  senderKey: Hex
  count: number
  ratePerSecond: number
  store: Store
}): Promise<LatencyResult> {
  const { manifest, path, count, ratePerSecond } = parameters
  const wallet = walletFor(path.from, parameters.senderKey)
  const watcher = new DeliveryWatcher({ rpcUrls: [path.to.rpcUrl], recipient: parameters.recipient })
  await watcher.start()
  const sentAt = new Map<Hex, number>()
  const bundles: Hex[] = []
  const started = performance.now()
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / ratePerSecond
    if (due > performance.now()) await sleep(due - performance.now())
    const payload = stringToHex(`latency ${path.name} ${Date.now()} ${i}`)
    const sent = await sendMessage(wallet, { recipient: { chainId: path.to.chainId, address: parameters.recipient }, payload, interopCenter: manifest.l2Contracts.interopCenter })
    sentAt.set(keccak256(payload), performance.now())
    bundles.push(sent.bundleHash)
  }
  const missing = await watcher.waitFor(sentAt.keys(), 60_000)
  await watcher.stop()
  const samples = [...sentAt].filter(([h]) => watcher.firstSeen.has(h)).map(([h, t]) => watcher.firstSeen.get(h)! - t)
  return { path: path.name, from: path.from.name, to: path.to.name, ratePerSecond, latencyMs: summarize(samples), missing, samples: samples.map((s) => Math.round(s)), stagesMs: stageMedians(parameters.store, bundles, { sourceSettlementLayer: path.from.settlementLayer, ...(path.hop ? { hop: path.hop } : {}), committedFinality: path.committedFinality === true }) }
}

/**
 * Where a message's time goes, from the timestamps the services store (all Date.now() on one
 * machine): indexed on the source → batch sealed → committed → proven → executed on its settlement
 * layer → seen there by the indexer → (two-level proofs: the Gateway batch holding that execution
 * executed on L1) → root imported on the destination → executed by the relayer.
 *
 * Each row is found with key lookups (the batch holding a block: the last one starting at or before
 * it), and the first root imported at or after the needed block by a binary search over the
 * destination's imported roots read once: scans per bundle made this take 10 ms a bundle once a few
 * hundred batches were stored.
 */
export function stageMedians(store: Store, bundleHashes: Hex[], path: { sourceSettlementLayer: number; hop?: { l1ChainId: number; gatewayChainId: number }; committedFinality?: boolean }): Record<string, number> {
  const { hop } = path
  const rowOf = store.prepare(
    `SELECT b.destination_chain_id AS destination, b.seen_at AS indexed, k.sealed_at AS sealed, k.committed_at AS committed, k.proven_at AS proven, k.executed_at AS settled,
       s.executed_at AS slSeen, s.executed_block AS slBlock, g.executed_at AS hopSettled, g.executed_block AS hopBlock, d.updated_at AS delivered
     FROM bundles_sent b
     JOIN batches k ON k.chain_id = b.source_chain_id
       AND k.batch_number = (SELECT x.batch_number FROM batches x WHERE x.chain_id = b.source_chain_id AND x.first_block <= b.block_number ORDER BY x.batch_number DESC LIMIT 1)
       AND k.last_block >= b.block_number
     JOIN sl_batches s ON s.sl_chain_id = ? AND s.chain_id = b.source_chain_id AND s.batch_number = k.batch_number
     LEFT JOIN sl_batches g ON g.sl_chain_id = ? AND g.chain_id = ? AND g.first_block <= s.executed_block
       AND g.last_block = (SELECT MIN(y.last_block) FROM sl_batches y WHERE y.sl_chain_id = g.sl_chain_id AND y.chain_id = g.chain_id AND y.last_block >= s.executed_block)
     LEFT JOIN deliveries d ON d.bundle_hash = b.bundle_hash
     WHERE b.bundle_hash = ?`,
  )
  const rootSl = hop ? hop.l1ChainId : path.sourceSettlementLayer
  const roots = new Map<number, ReturnType<typeof firstImportAtOrAfter>>()
  const rows = bundleHashes.flatMap((hash) => {
    const row = rowOf.get(path.sourceSettlementLayer, hop?.l1ChainId ?? -1, hop?.gatewayChainId ?? -1, hash) as (Record<string, number | null> & { destination: number }) | undefined
    if (!row) return []
    if (!roots.has(row.destination)) roots.set(row.destination, firstImportAtOrAfter(store, row.destination, rootSl))
    const needed = hop ? row.hopBlock : row.slBlock
    const committedImport = path.committedFinality
      ? ((store
          .prepare('SELECT MIN(i.seen_at) AS t FROM imported_batch_roots i JOIN bundles_sent b ON b.bundle_hash = ? JOIN sl_batches s ON s.sl_chain_id = i.sl_chain_id AND s.chain_id = b.source_chain_id AND b.block_number BETWEEN s.first_block AND s.last_block WHERE i.chain_id = b.destination_chain_id AND i.source_chain_id = s.chain_id AND i.batch_number = s.batch_number')
          .get(hash) as { t: number | null }).t)
      : null
    return [{ ...row, rootImported: needed == null ? null : roots.get(row.destination)!(needed), committedImport } as Record<string, number | null>]
  })
  if (path.committedFinality) {
    // Committed finality: the destination imports the committed batch's message root, then the relayer executes.
    const committedSteps: [string, string, string][] = [
      ['batch sealed', 'indexed', 'sealed'],
      ['committed on its settlement layer', 'sealed', 'committed'],
      ['committed batch root imported on destination', 'committed', 'committedImport'],
      ['relayer executed it', 'committedImport', 'delivered'],
    ]
    return Object.fromEntries(committedSteps.map(([name, from, to]) => [name, summarize(rows.filter((r) => r[from] != null && r[to] != null).map((r) => Math.max(0, r[to]! - r[from]!))).p50]))
  }
  const steps: [string, string, string][] = [
    ['batch sealed', 'indexed', 'sealed'],
    ['committed on its settlement layer', 'sealed', 'committed'],
    ['proven there', 'committed', 'proven'],
    ['executed there', 'proven', 'settled'],
    ['indexer saw it', 'settled', 'slSeen'],
    ...(hop ? ([['Gateway batch executed on L1', 'slSeen', 'hopSettled'], ['root imported on destination', 'hopSettled', 'rootImported']] as [string, string, string][]) : [['root imported on destination', 'slSeen', 'rootImported'] as [string, string, string]]),
    ['relayer executed it', 'rootImported', 'delivered'],
  ]
  const out: Record<string, number> = {}
  for (const [name, from, to] of steps) {
    const gaps = rows.filter((r) => r[from] != null && r[to] != null).map((r) => Math.max(0, r[to]! - r[from]!))
    out[name] = summarize(gaps).p50
  }
  return out
}

/**
 * The first time `chainId` had a real root of `slChainId` at or after a block: a lookup over the
 * imported roots read once (earliest sighting among the roots of that block or later).
 */
function firstImportAtOrAfter(store: Store, chainId: number, slChainId: number): (block: number) => number | null {
  const roots = store.prepare('SELECT sl_block_number AS block, seen_at AS seen FROM real_imported_roots WHERE chain_id = ? AND sl_chain_id = ? ORDER BY sl_block_number').all(chainId, slChainId) as { block: number; seen: number }[]
  // Earliest sighting among roots i.. (the roots of a later block may have been seen first).
  const earliestFrom = roots.map((r) => r.seen)
  for (let i = earliestFrom.length - 2; i >= 0; i--) earliestFrom[i] = Math.min(earliestFrom[i]!, earliestFrom[i + 1]!)
  return (block) => {
    let [lo, hi] = [0, roots.length]
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (roots[mid]!.block >= block) hi = mid
      else lo = mid + 1
    }
    return lo < roots.length ? earliestFrom[lo]! : null
  }
}
