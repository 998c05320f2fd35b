import type { Hex } from 'viem'
import { chainName, notFound, type ExplorerContext } from './context.js'
import { bundleRows, bundleSummaries, networkView, type BundleSummary, type ChainSummary } from './networkView.js'
import { privateChainsOf, privateRpc } from './privateChains.js'
import { visibleChainIds, type Visitor } from './visibility.js'

/** A block as the chain page lists it (on a private chain: only the transactions its RPC shows the visitor). */
export type BlockSummary = { number: number; hash: Hex; timestamp: number; transactions: Hex[] }

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

/** The last 10 blocks: from the node of a public chain, through the visitor's session on a private one. */
async function recentBlocks(context: ExplorerContext, visitor: Visitor, chainId: number, head: number | null): Promise<{ blocks: BlockSummary[]; blocksError?: string }> {
  if (head === null) return { blocks: [], blocksError: 'the head block could not be read' }
  const numbers = Array.from({ length: Math.min(10, head + 1) }, (_, i) => head - i)
  const proxy = privateChainsOf(context.manifest).find((c) => c.chainId === chainId)
  if (proxy) {
    const session = visitor.sessions.get(chainId)!
    const blocks: BlockSummary[] = []
    for (const number of numbers) {
      const answer = await privateRpc<{ number: Hex; hash: Hex; timestamp: Hex; transactions: (Hex | { hash: Hex })[] } | null>(proxy, session, 'eth_getBlockByNumber', [`0x${number.toString(16)}`, false])
      if (!answer.ok) return { blocks, blocksError: `the permissioned RPC refused eth_getBlockByNumber: ${answer.message}` }
      if (answer.result) blocks.push({ number, hash: answer.result.hash, timestamp: Number(BigInt(answer.result.timestamp)), transactions: answer.result.transactions.map((tx) => (typeof tx === 'string' ? tx : tx.hash)) })
    }
    return { blocks }
  }
  const client = context.publicIndex.chain(chainId).client
  try {
    const read = await Promise.all(numbers.map((number) => client.getBlock({ blockNumber: BigInt(number) })))
    return { blocks: read.map((block) => ({ number: Number(block.number), hash: block.hash, timestamp: Number(block.timestamp), transactions: [...block.transactions] })) }
  } catch (error) {
    return { blocks: [], blocksError: (error instanceof Error ? error.message : String(error)).split('\n')[0]! }
  }
}
