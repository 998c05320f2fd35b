import type { Hex } from 'viem'
import { zkChainCursor } from '../indexer/ZkChainIndexer.js'
import { settlementLayerCursor } from '../indexer/SettlementLayerIndexer.js'
import { settlementLayerAt, topologyOf } from '../network/topology.js'
import { readCursor } from '../store/openStore.js'
import { chainName, chainRef, resolveBundleVisibility, type ExplorerContext } from './context.js'
import type { ZkChainInfo } from '../network/types.js'
import { privateChainsOf, privateRpc, type PrivateSession } from './privateChains.js'
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

/**
 * The part of the network view that is the same for every visitor, read once for all of them (the live view
 * reads it once per tick, whatever the number of pages open): L1 and the public chains' lines (their heads
 * from their nodes), and the store's rows that each visitor's view filters.
 */
export type NetworkSnapshot = {
  at: number
  l1: ChainSummary
  /** The public chains' lines, by chain id. */
  publicChains: Map<number, ChainSummary>
  topology: ReturnType<typeof topologyOf>
  pending: { source_chain_id: number; destination_chain_id: number; seen_at: number | null }[]
  failedDeliveries: number
  approvalWaits: number
  /** The 25 most recent bundles of every chain (each visitor sees those it may). */
  recent: SentRow[]
  latency: LatencyRow[]
}

type LatencyRow = { source_chain_id: number; destination_chain_id: number; sent_at: number; executed_at: number }

/** Reads the {@link NetworkSnapshot}: each public node's head (and L1's) once, and the store. */
export async function networkSnapshot(context: ExplorerContext): Promise<NetworkSnapshot> {
  await context.sync()
  const { manifest, store } = context
  const topology = topologyOf(manifest, store)
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
  const publicChains = new Map<number, ChainSummary>()
  await Promise.all(
    manifest.chains
      .filter((chain) => chain.private !== true)
      .map(async (chain) => publicChains.set(chain.chainId, chainLine(context, topology, chain, await headOf(() => context.publicIndex.chain(chain.chainId).client.getBlockNumber({ cacheTime: 0 }))))),
  )
  return {
    at: Date.now(),
    l1,
    publicChains,
    topology,
    pending: store.prepare('SELECT p.source_chain_id, p.destination_chain_id, s.seen_at FROM pending_bundles p LEFT JOIN bundles_sent s ON s.bundle_hash = p.bundle_hash').all() as NetworkSnapshot['pending'],
    failedDeliveries: (store.prepare(`SELECT COUNT(*) AS n FROM deliveries d JOIN pending_bundles p ON p.bundle_hash = d.bundle_hash WHERE d.status = 'failed'`).get() as { n: number }).n,
    approvalWaits: (store.prepare('SELECT COUNT(*) AS n FROM approval_waits').get() as { n: number }).n,
    recent: bundleRows(context, 'ORDER BY s.seen_at DESC, s.block_number DESC, s.log_index DESC LIMIT 25'),
    latency: store
      .prepare(
        `SELECT * FROM (SELECT s.source_chain_id, s.destination_chain_id, s.seen_at AS sent_at, e.seen_at AS executed_at FROM bundles_sent s JOIN bundles_executed e ON e.bundle_hash = s.bundle_hash
         ORDER BY e.seen_at DESC LIMIT 200) ORDER BY executed_at`,
      )
      .all() as LatencyRow[],
  }
}

/** A chain's line from the store, with its head as read (by the explorer for a public chain, through the visitor's session for a private one). */
function chainLine(context: ExplorerContext, topology: NetworkSnapshot['topology'], chain: ZkChainInfo, head: { head: number | null; headError?: string }, session?: PrivateSession): ChainSummary {
  const { manifest, store } = context
  const settled = store
    .prepare('SELECT COUNT(*) AS committed, COUNT(proven_block) AS proven, COUNT(executed_block) AS executed FROM sl_batches WHERE chain_id = ?')
    .get(chain.chainId) as { committed: number; proven: number; executed: number }
  const sealed = (store.prepare('SELECT COUNT(*) AS n FROM batches WHERE chain_id = ?').get(chain.chainId) as { n: number }).n
  const slChainId = settlementLayerAt(topology, chain.chainId)
  return {
    name: chain.name,
    chainId: chain.chainId,
    role: chain.role === 'gateway' ? 'gateway' : 'zk-chain',
    private: chain.private === true,
    settlesOn: { chainId: slChainId, name: chainName(manifest, slChainId) },
    ...head,
    indexedBlock: nullable(readCursor(store, zkChainCursor(chain.chainId), -1)),
    batches: { sealed, ...settled },
    ...(session ? { signedInAs: session.address } : {}),
  }
}

/**
 * The network page as `visitor` sees it, from a {@link NetworkSnapshot}: the public part as read, and the
 * visitor's own part: each private chain it signed in to (its head through its permissioned RPC, with its
 * session) and the bundles, waits and latencies it may see.
 */
export async function networkViewFor(context: ExplorerContext, visitor: Visitor, snapshot: NetworkSnapshot): Promise<NetworkView> {
  const { manifest } = context
  const visible = visibleChainIds(manifest, visitor)
  const privateChains = privateChainsOf(manifest)
  const chains: ChainSummary[] = []
  for (const chain of manifest.chains) {
    if (!visible.has(chain.chainId)) continue
    if (chain.private !== true) {
      chains.push(snapshot.publicChains.get(chain.chainId)!)
      continue
    }
    const session = visitor.sessions.get(chain.chainId)
    const proxy = privateChains.find((c) => c.chainId === chain.chainId)
    const head =
      proxy && session
        ? await headOf(async () => {
            const answer = await privateRpc<Hex>(proxy, session, 'eth_blockNumber', [])
            if (!answer.ok) throw new Error(`the permissioned RPC refused: ${answer.message}`)
            return BigInt(answer.result)
          })
        : { head: null, headError: 'no permissioned RPC in the manifest' }
    chains.push(chainLine(context, snapshot.topology, chain, head, session))
  }
  const seenPending = snapshot.pending.filter((row) => visible.has(row.source_chain_id) && visible.has(row.destination_chain_id))
  const times = seenPending.map((row) => row.seen_at).filter((at): at is number => at !== null)
  const oldest = times.length ? Math.min(...times) : null
  const now = Date.now()
  return {
    name: `Network of ${manifest.chains.length} chains on L1 ${manifest.l1.chainId}`,
    l1: snapshot.l1,
    chains,
    hiddenPrivateChains: privateChains.filter((chain) => !visible.has(chain.chainId)).length,
    services: { pendingBundles: seenPending.length, oldestPendingMs: oldest === null ? null : now - oldest, failedDeliveries: snapshot.failedDeliveries, approvalWaits: snapshot.approvalWaits },
    messages: await bundleSummaries(context, visitor, snapshot.recent),
    latency: latencyPerPath(context, snapshot.latency, visible),
    at: now,
  }
}

/** The network page: every chain the visitor sees, the services' health, recent bundles, latency per path. */
export async function networkView(context: ExplorerContext, visitor: Visitor): Promise<NetworkView> {
  return networkViewFor(context, visitor, await networkSnapshot(context))
}

/** Sent → executed latency of the last 200 executed bundles between chains the visitor sees, per path. */
function latencyPerPath(context: ExplorerContext, rows: LatencyRow[], visible: Set<number>): NetworkView['latency'] {
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
