// The chain page's last blocks, kept between requests: a block is read once, then served from here, so the
// page's live reloads read only the blocks mined since (a cursor per chain, and per visitor's session on a
// private chain, whose RPC shows each visitor other transactions).
import type { Hex } from 'viem'
import type { ExplorerContext } from './context.js'
import { privateChainsOf, privateRpc, type PrivateSession } from './privateChains.js'
import type { Visitor } from './visibility.js'

/** A block as the chain page lists it (on a private chain: only the transactions its RPC shows the visitor). */
export type BlockSummary = { number: number; hash: Hex; timestamp: number; transactions: Hex[] }

/** How many blocks the chain page lists. */
export const RECENT_BLOCKS = 10

/** Blocks already read, by number, per chain (public) or per session (private). */
type BlockCache = Map<number, BlockSummary>

const publicCaches = new WeakMap<ExplorerContext, Map<number, BlockCache>>()
const privateCaches = new WeakMap<PrivateSession, BlockCache>()

/**
 * The last {@link RECENT_BLOCKS} blocks up to `head`: from the node of a public chain, through the visitor's
 * session on a private one; only those not read before are asked for. A head below what was read (a network
 * resumed from an earlier checkpoint) drops the blocks above it.
 *
 * @example
 * ```ts
 * const { blocks } = await recentBlocks(context, visitor, 271, 42)
 * ```
 */
export async function recentBlocks(context: ExplorerContext, visitor: Visitor, chainId: number, head: number | null): Promise<{ blocks: BlockSummary[]; blocksError?: string }> {
  if (head === null) return { blocks: [], blocksError: 'the head block could not be read' }
  const numbers = Array.from({ length: Math.min(RECENT_BLOCKS, head + 1) }, (_, i) => head - i)
  const proxy = privateChainsOf(context.manifest).find((c) => c.chainId === chainId)
  if (proxy) {
    const session = visitor.sessions.get(chainId)!
    let cache = privateCaches.get(session)
    if (!cache) privateCaches.set(session, (cache = new Map()))
    trim(cache, head)
    for (const number of numbers) {
      if (cache.has(number)) continue
      const answer = await privateRpc<{ number: Hex; hash: Hex; timestamp: Hex; transactions: (Hex | { hash: Hex })[] } | null>(proxy, session, 'eth_getBlockByNumber', [`0x${number.toString(16)}`, false])
      if (!answer.ok) return { blocks: shown(cache, numbers), blocksError: `the permissioned RPC refused eth_getBlockByNumber: ${answer.message}` }
      if (answer.result) cache.set(number, { number, hash: answer.result.hash, timestamp: Number(BigInt(answer.result.timestamp)), transactions: answer.result.transactions.map((tx) => (typeof tx === 'string' ? tx : tx.hash)) })
    }
    return { blocks: shown(cache, numbers) }
  }
  let caches = publicCaches.get(context)
  if (!caches) publicCaches.set(context, (caches = new Map()))
  let cache = caches.get(chainId)
  if (!cache) caches.set(chainId, (cache = new Map()))
  trim(cache, head)
  const client = context.publicIndex.chain(chainId).client
  try {
    const read = await Promise.all(numbers.filter((number) => !cache.has(number)).map((number) => client.getBlock({ blockNumber: BigInt(number) })))
    for (const block of read) cache.set(Number(block.number), { number: Number(block.number), hash: block.hash, timestamp: Number(block.timestamp), transactions: [...block.transactions] })
    return { blocks: shown(cache, numbers) }
  } catch (error) {
    return { blocks: shown(cache, numbers), blocksError: (error instanceof Error ? error.message : String(error)).split('\n')[0]! }
  }
}

/** Forgets blocks above `head` and below the window the page shows. */
function trim(cache: BlockCache, head: number): void {
  for (const number of cache.keys()) if (number > head || number <= head - RECENT_BLOCKS) cache.delete(number)
}

function shown(cache: BlockCache, numbers: number[]): BlockSummary[] {
  return numbers.flatMap((number) => cache.get(number) ?? [])
}
