import { chainName, notFound, type ExplorerContext } from './context.js'
import { bundleRows, bundleSummaries, networkView, type BundleSummary, type ChainSummary } from './networkView.js'
import { recentBlocks, type BlockSummary } from './recentBlocks.js'
import { visibleChainIds, type Visitor } from './visibility.js'

export type { BlockSummary }

/** A batch as the chain page lists it. */
export type BatchSummary = {
  batchNumber: number
  firstBlock: number
  lastBlock: number
  /** The submitter's status (`sealed`, `committed`, `proven`, `executed`) or, without the services' store, what the settlement layer says. */
  status: string
  settlementLayer?: { chainId: number; name: string }
}

/** What `GET /api/chains/:chainId` answers. */
export type ChainView = {
  chain: ChainSummary
  blocks: BlockSummary[]
  /** Why blocks could not be read, if they could not. */
  blocksError?: string
  batches: BatchSummary[]
  sent: BundleSummary[]
  received: BundleSummary[]
}

/** A chain's page: its recent blocks and batches, the bundles it sent and received. */
export async function chainView(context: ExplorerContext, visitor: Visitor, chainId: number): Promise<ChainView> {
  const { manifest, store } = context
  if (!visibleChainIds(manifest, visitor).has(chainId) || chainId === manifest.l1.chainId) notFound(`chain ${chainId}`, 'Give the chain id of a ZK chain of this network (a private chain shows only after you sign in).')
  const network = await networkView(context, visitor)
  const chain = network.chains.find((c) => c.chainId === chainId)!
  const { blocks, blocksError } = await recentBlocks(context, visitor, chainId, chain.head)
  const sealed = store.prepare('SELECT batch_number, first_block, last_block, status FROM batches WHERE chain_id = ? ORDER BY batch_number DESC LIMIT 20').all(chainId) as { batch_number: number; first_block: number; last_block: number; status: string }[]
  const settled = store
    .prepare('SELECT sl_chain_id, batch_number, first_block, last_block, proven_block, executed_block FROM sl_batches WHERE chain_id = ? ORDER BY batch_number DESC LIMIT 20')
    .all(chainId) as { sl_chain_id: number; batch_number: number; first_block: number; last_block: number; proven_block: number | null; executed_block: number | null }[]
  const batches: BatchSummary[] = (sealed.length ? sealed : settled).map((row) => {
    const sl = settled.find((s) => s.batch_number === row.batch_number)
    const status = 'status' in row ? row.status : row.executed_block !== null ? 'executed' : row.proven_block !== null ? 'proven' : 'committed'
    return { batchNumber: row.batch_number, firstBlock: row.first_block, lastBlock: row.last_block, status, ...(sl ? { settlementLayer: { chainId: sl.sl_chain_id, name: chainName(manifest, sl.sl_chain_id) } } : {}) }
  })
  return {
    chain,
    blocks,
    ...(blocksError ? { blocksError } : {}),
    batches,
    sent: await bundleSummaries(context, visitor, bundleRows(context, 'WHERE s.source_chain_id = ? ORDER BY s.block_number DESC, s.log_index DESC LIMIT 25', chainId)),
    received: await bundleSummaries(context, visitor, bundleRows(context, 'WHERE s.destination_chain_id = ? ORDER BY s.seen_at DESC LIMIT 25', chainId)),
  }
}
