// 1. Latency of chain → chain messages, per path the network has: from the send transaction's
// receipt to the delivery seen on the destination, over a paced stream of messages.
import { createWalletClient, http, keccak256, stringToHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { defineJunctionChain } from '../../src/chain/ChainConnection.js'
import type { NetworkManifest, ZkChainInfo } from '../../src/network/types.js'
import { sendMessage } from '../../src/sdk/actions/sendMessage.js'
import type { Store } from '../../src/store/openStore.js'
import { DeliveryWatcher } from '../lib/deliveryWatcher.js'
import { sleep, summarize, type Summary } from '../lib/stats.js'

/** A way a message can travel: where its source and destination settle decides its proof (one or two levels). */
export type MessagePath = { name: string; settlementLayer: number; from: ZkChainInfo; to: ZkChainInfo; hop?: { l1ChainId: number; gatewayChainId: number } }

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
  const wallet = createWalletClient({ account: privateKeyToAccount(parameters.senderKey), chain: defineJunctionChain(path.from.chainId, path.from.name, path.from.rpcUrl), transport: http(path.from.rpcUrl) })
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
  return { path: path.name, from: path.from.name, to: path.to.name, ratePerSecond, latencyMs: summarize(samples), missing, samples: samples.map((s) => Math.round(s)), stagesMs: stageMedians(parameters.store, bundles, path.hop) }
}

/**
 * Where a message's time goes, from the timestamps the services store (all Date.now() on one
 * machine): indexed on the source → batch sealed → committed → proven → executed on its settlement
 * layer → seen there by the indexer → (two-level proofs: the Gateway batch holding that execution
 * executed on L1) → root imported on the destination → executed by the relayer.
 */
export function stageMedians(store: Store, bundleHashes: Hex[], hop?: { l1ChainId: number; gatewayChainId: number }): Record<string, number> {
  const rows = bundleHashes.flatMap((hash) => {
    const row = store
      .prepare(
        `SELECT b.seen_at AS indexed, k.sealed_at AS sealed, k.committed_at AS committed, k.proven_at AS proven, k.executed_at AS settled,
           s.executed_at AS slSeen, g.executed_at AS hopSettled,
           (SELECT MIN(i.seen_at) FROM real_imported_roots i WHERE i.chain_id = b.destination_chain_id
              AND i.sl_chain_id = ${hop ? '?' : 's.sl_chain_id'} AND i.sl_block_number >= ${hop ? 'g.executed_block' : 's.executed_block'}) AS rootImported,
           d.updated_at AS delivered
         FROM bundles_sent b
         JOIN batches k ON k.chain_id = b.source_chain_id AND b.block_number BETWEEN k.first_block AND k.last_block
         JOIN sl_batches s ON s.chain_id = b.source_chain_id AND s.batch_number = k.batch_number
         LEFT JOIN sl_batches g ON g.sl_chain_id = ? AND g.chain_id = ? AND s.executed_block BETWEEN g.first_block AND g.last_block
         LEFT JOIN deliveries d ON d.bundle_hash = b.bundle_hash
         WHERE b.bundle_hash = ?`,
      )
      .get(...(hop ? [hop.l1ChainId, hop.l1ChainId, hop.gatewayChainId] : [-1, -1]), hash) as Record<string, number | null> | undefined
    return row ? [row] : []
  })
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
