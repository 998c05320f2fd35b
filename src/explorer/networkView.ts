import type { Hex } from 'viem'
import { zkChainCursor } from '../indexer/ZkChainIndexer.js'
import { settlementLayerCursor } from '../indexer/SettlementLayerIndexer.js'
import { settlementLayerAt, topologyOf } from '../network/topology.js'
import { readCursor } from '../store/openStore.js'
import { chainName, chainRef, resolveBundleVisibility, type ExplorerContext } from './context.js'
import { privateChainsOf, privateRpc } from './privateChains.js'
import { visibleChainIds, type Visitor } from './visibility.js'

/** A chain's line on the network page. */
export type ChainSummary = {
  name: string
  chainId: number
  role: 'L1' | 'gateway' | 'zk-chain'
  private: boolean
  /** Where its blocks settle now (absent for L1). */
  settlesOn?: { chainId: number; name: string }
  /** Its head block, or why it could not be read. */
  head: number | null
  headError?: string
  /** The last block Junction's index holds. */
  indexedBlock: number | null
  batches: { sealed: number; committed: number; proven: number; executed: number }
  /** The wallet the visitor signed in with (private chains). */
  signedInAs?: Hex
}

/** A bundle's line in a list. */
export type BundleSummary = {
  bundleHash: Hex
  source: { chainId: number; name: string }
  destination: { chainId: number; name: string }
  sender: Hex
  txHash: Hex
  sentAt: number
  /** `executed`, `failed` (the relayer's last attempt reverted: `failure`), or `pending`. */
  state: 'executed' | 'failed' | 'pending'
  executedAt?: number
  failure?: string
}

/** What `GET /api/network` answers. */
export type NetworkView = {
  name: string
  l1: ChainSummary
  chains: ChainSummary[]
  /** How many private chains the visitor does not see (their names are not given). */
  hiddenPrivateChains: number
  services: {
    /** Bundles sent and not executed yet, among those the visitor sees. */
    pendingBundles: number
    oldestPendingMs: number | null
    /** Bundles whose last delivery attempt failed. */
    failedDeliveries: number
    /** Batches a Gateway's asset tracker holds back, waiting for a credit. */
    approvalWaits: number
  }
  messages: BundleSummary[]
  /** Latency sent → executed of the most recent bundles, per path (source → destination), oldest first. */
  latency: { path: string; points: { at: number; ms: number }[] }[]
  at: number
}

type SentRow = { bundle_hash: Hex; source_chain_id: number; destination_chain_id: number; sender: Hex; tx_hash: Hex; seen_at: number; executed_at: number | null; delivery_status: string | null; last_error: string | null }

export const BUNDLE_LIST_SQL = `SELECT s.bundle_hash, s.source_chain_id, s.destination_chain_id, s.sender, s.tx_hash, s.seen_at, e.seen_at AS executed_at, d.status AS delivery_status, d.last_error
  FROM bundles_sent s LEFT JOIN bundles_executed e ON e.bundle_hash = s.bundle_hash LEFT JOIN deliveries d ON d.bundle_hash = s.bundle_hash`

/** The bundles of `rows` the visitor may see, as list lines (a private destination's side left out). */
export async function bundleSummaries(context: ExplorerContext, visitor: Visitor, rows: SentRow[]): Promise<BundleSummary[]> {
  const visible = visibleChainIds(context.manifest, visitor)
  const out: BundleSummary[] = []
  for (const row of rows) {
    const visibility = await resolveBundleVisibility(context, visitor, { sourceChainId: row.source_chain_id, destinationChainId: row.destination_chain_id, txHash: row.tx_hash })
    if (visibility === 'hidden') continue
    const whole = visibility === 'public'
    const state = row.executed_at !== null ? 'executed' : row.delivery_status === 'failed' ? 'failed' : 'pending'
    out.push({
      bundleHash: row.bundle_hash,
      source: chainRef(context.manifest, row.source_chain_id, visible),
      destination: chainRef(context.manifest, row.destination_chain_id, visible),
      sender: row.sender,
      txHash: row.tx_hash,
      sentAt: row.seen_at,
      state: whole ? state : 'pending',
      ...(whole && row.executed_at !== null ? { executedAt: row.executed_at } : {}),
      ...(whole && state === 'failed' && row.last_error ? { failure: row.last_error } : {}),
    })
  }
  return out
}

/** Reads the SQL rows of {@link BUNDLE_LIST_SQL} with a WHERE/ORDER clause. */
export function bundleRows(context: ExplorerContext, clause: string, ...args: unknown[]): SentRow[] {
  return context.store.prepare(`${BUNDLE_LIST_SQL} ${clause}`).all(...args) as SentRow[]
}

/** The network page: every chain the visitor sees, the services' health, recent bundles, latency per path. */
export async function networkView(context: ExplorerContext, visitor: Visitor): Promise<NetworkView> {
  await context.sync()
  const { manifest, store } = context
  const visible = visibleChainIds(manifest, visitor)
  const topology = topologyOf(manifest, store)
  const batchCounts = (chainId: number) => {
    const settled = store
      .prepare('SELECT COUNT(*) AS committed, COUNT(proven_block) AS proven, COUNT(executed_block) AS executed FROM sl_batches WHERE chain_id = ?')
      .get(chainId) as { committed: number; proven: number; executed: number }
    const sealed = (store.prepare('SELECT COUNT(*) AS n FROM batches WHERE chain_id = ?').get(chainId) as { n: number }).n
    return { sealed, ...settled }
  }
  const l1Head = await headOf(() => context.publicIndex.l1.client.getBlockNumber({ cacheTime: 0 }))
  const l1: ChainSummary = {
    name: manifest.l1.name,
    chainId: manifest.l1.chainId,
    role: 'L1',
    private: false,
    ...l1Head,
    indexedBlock: nullable(readCursor(store, settlementLayerCursor(manifest.l1.chainId), -1)),
    batches: { sealed: 0, committed: 0, proven: 0, executed: 0 },
  }
  const privateChains = privateChainsOf(manifest)
  const chains: ChainSummary[] = []
  for (const chain of manifest.chains) {
    if (!visible.has(chain.chainId)) continue
    const session = visitor.sessions.get(chain.chainId)
    const proxy = privateChains.find((c) => c.chainId === chain.chainId)
    const head =
      chain.private === true
        ? proxy && session
          ? await headOf(async () => {
              const answer = await privateRpc<Hex>(proxy, session, 'eth_blockNumber', [])
              if (!answer.ok) throw new Error(`the permissioned RPC refused: ${answer.message}`)
              return BigInt(answer.result)
            })
          : { head: null, headError: 'no permissioned RPC in the manifest' }
        : await headOf(() => context.publicIndex.chain(chain.chainId).client.getBlockNumber({ cacheTime: 0 }))
    const slChainId = settlementLayerAt(topology, chain.chainId)
    chains.push({
      name: chain.name,
      chainId: chain.chainId,
      role: chain.role === 'gateway' ? 'gateway' : 'zk-chain',
      private: chain.private === true,
      settlesOn: { chainId: slChainId, name: chainName(manifest, slChainId) },
      ...head,
      indexedBlock: nullable(readCursor(store, zkChainCursor(chain.chainId), -1)),
      batches: batchCounts(chain.chainId),
      ...(session ? { signedInAs: session.address } : {}),
    })
  }
  const pending = store.prepare('SELECT source_chain_id, destination_chain_id, bundle_hash FROM pending_bundles').all() as { source_chain_id: number; destination_chain_id: number; bundle_hash: Hex }[]
  const seenPending = pending.filter((row) => visible.has(row.source_chain_id) && visible.has(row.destination_chain_id))
  const oldest = seenPending.length
    ? (store.prepare(`SELECT MIN(seen_at) AS at FROM bundles_sent WHERE bundle_hash IN (${seenPending.map(() => '?').join(',')})`).get(...seenPending.map((row) => row.bundle_hash)) as { at: number | null }).at
    : null
  const failedDeliveries = (store.prepare(`SELECT COUNT(*) AS n FROM deliveries d JOIN pending_bundles p ON p.bundle_hash = d.bundle_hash WHERE d.status = 'failed'`).get() as { n: number }).n
  const approvalWaits = (store.prepare('SELECT COUNT(*) AS n FROM approval_waits').get() as { n: number }).n
  const now = Date.now()
  return {
    name: `Network of ${manifest.chains.length} chains on L1 ${manifest.l1.chainId}`,
    l1,
    chains,
    hiddenPrivateChains: privateChains.filter((chain) => !visible.has(chain.chainId)).length,
    services: { pendingBundles: seenPending.length, oldestPendingMs: oldest === null ? null : now - oldest, failedDeliveries, approvalWaits },
    messages: await bundleSummaries(context, visitor, bundleRows(context, 'ORDER BY s.seen_at DESC, s.block_number DESC, s.log_index DESC LIMIT 25')),
    latency: latencyPerPath(context, visible),
    at: now,
  }
}

/** Sent → executed latency of the last 200 executed bundles between chains the visitor sees, per path. */
function latencyPerPath(context: ExplorerContext, visible: Set<number>): NetworkView['latency'] {
  const rows = context.store
    .prepare(
      `SELECT * FROM (SELECT s.source_chain_id, s.destination_chain_id, s.seen_at AS sent_at, e.seen_at AS executed_at FROM bundles_sent s JOIN bundles_executed e ON e.bundle_hash = s.bundle_hash
       ORDER BY e.seen_at DESC LIMIT 200) ORDER BY executed_at`,
    )
    .all() as { source_chain_id: number; destination_chain_id: number; sent_at: number; executed_at: number }[]
  const paths = new Map<string, { at: number; ms: number }[]>()
  for (const row of rows) {
    if (!visible.has(row.source_chain_id) || !visible.has(row.destination_chain_id)) continue
    const path = `${chainName(context.manifest, row.source_chain_id)} → ${chainName(context.manifest, row.destination_chain_id)}`
    let points = paths.get(path)
    if (!points) paths.set(path, (points = []))
    points.push({ at: row.executed_at, ms: Math.max(0, row.executed_at - row.sent_at) })
  }
  return [...paths].map(([path, points]) => ({ path, points }))
}

async function headOf(read: () => Promise<bigint>): Promise<{ head: number | null; headError?: string }> {
  try {
    return { head: Number(await read()) }
  } catch (error) {
    return { head: null, headError: (error instanceof Error ? error.message : String(error)).split('\n')[0]! }
  }
}

const nullable = (cursor: number) => (cursor < 0 ? null : cursor)
