import { formatEther, getAddress, isAddress, type Address, type Hex } from 'viem'
import { decodeBundle } from '../protocol/index.js'
import { chainName, notFound, resolveBundleVisibility, type ExplorerContext } from './context.js'
import { ExplorerBadRequestError } from './errors.js'
import { findInstruction } from './instructionView.js'
import { isUetr, paymentView } from './paymentView.js'
import { bundleRows, bundleSummaries, type BundleSummary } from './networkView.js'
import { privateChainsOf, privateRpc } from './privateChains.js'
import { visibleChainIds, type Visitor } from './visibility.js'

/** What `GET /api/search?q=` answers: the page to open. */
export type SearchResult =
  | { kind: 'message'; bundleHash: Hex; via: string }
  | { kind: 'batch'; chainId: number; batchNumber: number; via: string }
  | { kind: 'address'; address: Address }
  | { kind: 'chain'; chainId: number }
  | { kind: 'payment'; uetr: string }
  | { kind: 'instruction'; instructionId: Hex }

/** What kind of thing `q` is, by its shape: a 32-byte hash, an address, a UETR (a UUID), a chain id or name; else `undefined`. */
export function searchKind(q: string): 'hash' | 'address' | 'uetr' | 'chain' | undefined {
  if (/^0x[0-9a-fA-F]{64}$/.test(q)) return 'hash'
  if (isAddress(q, { strict: false })) return 'address'
  if (isUetr(q)) return 'uetr'
  if (/^[0-9]{1,12}$/.test(q) || /^[a-z][a-z0-9-]{0,40}$/i.test(q)) return 'chain'
  return undefined
}

/**
 * Finds what `q` names: a bundle hash; a transaction that sent or executed a bundle, or committed, proved or
 * executed a batch; an instruction by its id; an address; a payment by its UETR; a chain by id or name. Only
 * what the visitor may see.
 */
export async function search(context: ExplorerContext, visitor: Visitor, query: string): Promise<SearchResult> {
  const q = query.trim()
  const kind = searchKind(q)
  if (!kind) throw new ExplorerBadRequestError(`"${q.slice(0, 80)}" is neither a hash, an address, a UETR nor a chain`, { details: 'Search by bundle hash or transaction hash (0x + 64 hex digits), address (0x + 40), a payment\'s UETR (a UUID), or chain id or name.' })
  await context.sync()
  const { manifest, store } = context
  const visible = visibleChainIds(manifest, visitor)
  if (kind === 'address') return { kind: 'address', address: getAddress(q) }
  if (kind === 'uetr') return { kind: 'payment', uetr: (await paymentView(context, visitor, q)).uetr }
  if (kind === 'chain') {
    const chain = manifest.chains.find((c) => String(c.chainId) === q || c.name.toLowerCase() === q.toLowerCase())
    if (!chain || !visible.has(chain.chainId)) notFound(`chain ${q}`)
    return { kind: 'chain', chainId: chain.chainId }
  }
  const hash = q.toLowerCase() as Hex
  const bundles = store
    .prepare(
      `SELECT bundle_hash, source_chain_id, destination_chain_id, tx_hash, 'bundle hash' AS via FROM bundles_sent WHERE bundle_hash = ?
       UNION ALL SELECT bundle_hash, source_chain_id, destination_chain_id, tx_hash, 'transaction that sent it' FROM bundles_sent WHERE lower(tx_hash) = ?
       UNION ALL SELECT s.bundle_hash, s.source_chain_id, s.destination_chain_id, s.tx_hash, 'transaction that executed it' FROM bundles_executed e JOIN bundles_sent s ON s.bundle_hash = e.bundle_hash WHERE lower(e.tx_hash) = ?`,
    )
    .all(hash, hash, hash) as { bundle_hash: Hex; source_chain_id: number; destination_chain_id: number; tx_hash: Hex; via: string }[]
  for (const bundle of bundles) {
    const visibility = await resolveBundleVisibility(context, visitor, { sourceChainId: bundle.source_chain_id, destinationChainId: bundle.destination_chain_id, txHash: bundle.tx_hash })
    // The execution on a private destination is the destination's side.
    if (visibility === 'public' || (visibility === 'source-side' && bundle.via !== 'transaction that executed it')) return { kind: 'message', bundleHash: bundle.bundle_hash, via: bundle.via }
  }
  const batch = store
    .prepare(
      `SELECT chain_id, batch_number, CASE WHEN lower(commit_tx) = ? THEN 'commit' WHEN lower(prove_tx) = ? THEN 'proof' ELSE 'execution' END AS via
       FROM batches WHERE lower(commit_tx) = ? OR lower(prove_tx) = ? OR lower(execute_tx) = ? LIMIT 1`,
    )
    .get(hash, hash, hash, hash, hash) as { chain_id: number; batch_number: number; via: string } | undefined
  if (batch && visible.has(batch.chain_id)) return { kind: 'batch', chainId: batch.chain_id, batchNumber: batch.batch_number, via: `transaction of its ${batch.via}` }
  if (await findInstruction(context, visitor, hash)) return { kind: 'instruction', instructionId: hash }
  notFound(`${q}`, 'No bundle has this hash, no bundle or batch transaction either (only Junction transactions are indexed), and no instruction book on a chain you see opened an instruction with this id. A private chain\'s show only after you sign in.')
}

/** What `GET /api/addresses/:address` answers. */
export type AddressView = {
  address: Address
  /** ETH on every chain the visitor sees (on a private chain only its own, through its permissioned RPC). */
  balances: { chainId: number; name: string; balance: string | null; note?: string }[]
  sent: BundleSummary[]
  /** Bundles with a call to this address. */
  received: BundleSummary[]
}

/** An address's page: its ETH on each chain, the bundles it sent and those that call it. */
export async function addressView(context: ExplorerContext, visitor: Visitor, address: Address): Promise<AddressView> {
  await context.sync()
  const { manifest } = context
  const visible = visibleChainIds(manifest, visitor)
  const balances: AddressView['balances'] = []
  for (const chain of [{ chainId: manifest.l1.chainId, name: manifest.l1.name, private: false }, ...manifest.chains]) {
    if (!visible.has(chain.chainId)) continue
    const proxy = privateChainsOf(manifest).find((c) => c.chainId === chain.chainId)
    if (proxy) {
      const answer = await privateRpc<Hex>(proxy, visitor.sessions.get(chain.chainId)!, 'eth_getBalance', [address, 'latest'])
      balances.push({ chainId: chain.chainId, name: chain.name, ...(answer.ok ? { balance: `${formatEther(BigInt(answer.result))} ETH` } : { balance: null, note: `the permissioned RPC refused: ${answer.message}` }) })
      continue
    }
    const client = chain.chainId === manifest.l1.chainId ? context.publicIndex.l1.client : context.publicIndex.chain(chain.chainId).client
    balances.push({ chainId: chain.chainId, name: chainName(manifest, chain.chainId), balance: `${formatEther(await client.getBalance({ address }))} ETH` })
  }
  const needle = address.slice(2).toLowerCase()
  const calling = bundleRows(context, `WHERE instr(lower(s.bundle), ?) > 0 ORDER BY s.seen_at DESC LIMIT 100`, needle).filter((row) => {
    const bundle = context.store.prepare('SELECT bundle FROM bundles_sent WHERE bundle_hash = ?').get(row.bundle_hash) as { bundle: Hex }
    return decodeBundle(bundle.bundle).calls.some((call) => call.to.toLowerCase() === address.toLowerCase())
  })
  const sent = await bundleSummaries(context, visitor, bundleRows(context, 'WHERE lower(s.sender) = ? ORDER BY s.seen_at DESC LIMIT 50', address.toLowerCase()))
  const received: BundleSummary[] = []
  for (const row of await bundleSummaries(context, visitor, calling.slice(0, 50))) {
    // Calls into a private destination the visitor does not see are that destination's side.
    const visibility = await resolveBundleVisibility(context, visitor, { sourceChainId: row.source.chainId, destinationChainId: row.destination.chainId, txHash: row.txHash })
    if (visibility === 'public') received.push(row)
  }
  return { address, balances, sent, received }
}
