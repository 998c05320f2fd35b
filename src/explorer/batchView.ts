import type { Hex } from 'viem'
import { chainName, notFound, type ExplorerContext } from './context.js'
import { bundleRows, bundleSummaries, type BundleSummary } from './networkView.js'
import { visibleChainIds, type Visitor } from './visibility.js'

/** A settlement-layer step of a batch: when, in which block, and the transaction (known to the services' submitter). */
export type BatchStep = { at: number | null; block: number | null; txHash: Hex | null }

/** What `GET /api/chains/:chainId/batches/:batchNumber` answers. */
export type BatchView = {
  chain: { chainId: number; name: string }
  batchNumber: number
  firstBlock: number
  lastBlock: number
  /** The tree root of the batch's messages, as the settlement layer recorded it. */
  messageRoot: Hex | null
  batchHash: Hex | null
  status: string
  settlementLayer: { chainId: number; name: string } | null
  sealedAt: number | null
  committed: BatchStep | null
  proven: BatchStep | null
  executed: BatchStep | null
  /** Roots the chain imported in the batch's blocks: from which settlement layer, of which of its blocks. */
  importedRoots: { block: number; settlementLayer: { chainId: number; name: string }; settlementLayerBlock: number; root: Hex }[]
  messages: BundleSummary[]
}

/** A batch's page: its blocks, message root, imported roots, and the settlement-layer transactions that committed, proved and executed it. */
export async function batchView(context: ExplorerContext, visitor: Visitor, chainId: number, batchNumber: number): Promise<BatchView> {
  const { manifest, store } = context
  if (!visibleChainIds(manifest, visitor).has(chainId)) notFound(`chain ${chainId}`)
  await context.sync()
  const own = store.prepare('SELECT * FROM batches WHERE chain_id = ? AND batch_number = ?').get(chainId, batchNumber) as
    | { first_block: number; last_block: number; batch_hash: Hex; status: string; sealed_at: number; committed_at: number | null; proven_at: number | null; executed_at: number | null; commit_tx: Hex | null; prove_tx: Hex | null; execute_tx: Hex | null }
    | undefined
  // The newest record of the batch on a settlement layer (a chain that moved may have had batch n on another layer before).
  const settled = store.prepare('SELECT * FROM sl_batches WHERE chain_id = ? AND batch_number = ? ORDER BY committed_block DESC LIMIT 1').get(chainId, batchNumber) as
    | { sl_chain_id: number; first_block: number; last_block: number; message_root: Hex; committed_block: number; committed_at: number; proven_block: number | null; proven_at: number | null; executed_block: number | null; executed_at: number | null }
    | undefined
  if (!own && !settled) notFound(`batch ${batchNumber} of chain ${chainName(manifest, chainId)}`, 'It may not be sealed yet: batches are sealed once their blocks hold messages.')
  const firstBlock = own?.first_block ?? settled!.first_block
  const lastBlock = own?.last_block ?? settled!.last_block
  const step = (at: number | null | undefined, block: number | null | undefined, txHash: Hex | null | undefined): BatchStep | null =>
    at == null && block == null && txHash == null ? null : { at: at ?? null, block: block ?? null, txHash: txHash ?? null }
  const imported = store
    .prepare('SELECT block_number, sl_chain_id, sl_block_number, root FROM imported_roots WHERE chain_id = ? AND block_number BETWEEN ? AND ? ORDER BY block_number, log_index')
    .all(chainId, firstBlock, lastBlock) as { block_number: number; sl_chain_id: number; sl_block_number: number; root: Hex }[]
  return {
    chain: { chainId, name: chainName(manifest, chainId) },
    batchNumber,
    firstBlock,
    lastBlock,
    messageRoot: settled?.message_root ?? null,
    batchHash: own?.batch_hash ?? null,
    status: own?.status ?? (settled!.executed_block !== null ? 'executed' : settled!.proven_block !== null ? 'proven' : 'committed'),
    settlementLayer: settled ? { chainId: settled.sl_chain_id, name: chainName(manifest, settled.sl_chain_id) } : null,
    sealedAt: own?.sealed_at ?? null,
    committed: step(settled?.committed_at ?? own?.committed_at, settled?.committed_block, own?.commit_tx),
    proven: step(settled?.proven_at ?? own?.proven_at, settled?.proven_block, own?.prove_tx),
    executed: step(settled?.executed_at ?? own?.executed_at, settled?.executed_block, own?.execute_tx),
    importedRoots: imported.map((row) => ({ block: row.block_number, settlementLayer: { chainId: row.sl_chain_id, name: chainName(manifest, row.sl_chain_id) }, settlementLayerBlock: row.sl_block_number, root: row.root })),
    messages: await bundleSummaries(context, visitor, bundleRows(context, 'WHERE s.source_chain_id = ? AND s.block_number BETWEEN ? AND ? ORDER BY s.block_number, s.log_index', chainId, firstBlock, lastBlock)),
  }
}
