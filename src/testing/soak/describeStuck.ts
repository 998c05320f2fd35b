import { createPublicClient, http, type Address, type Hex, type PublicClient } from 'viem'
import type { NetworkManifest } from '../../network/types.js'
import { getMessageStatus } from '../../sdk/actions/getMessageStatus.js'
import { JunctionIndex } from '../../sdk/JunctionIndex.js'
import { statement, type Store } from '../../store/openStore.js'

/** Where a message that is not delivered stands: the last step of its timeline, and the relayer's record. */
export type MessageStanding = { lastStep: string; delivery?: string }

/**
 * The last step of a bundle's timeline as the services' store tells it (`root-on-destination (root of l1
 * block 812)`, with what a batch waits for), and the relayer's record of it (status, attempts, last error).
 *
 * @example
 * ```ts
 * const { lastStep, delivery } = await standingOf(manifest, store, bundleHash)
 * ```
 */
export async function standingOf(manifest: NetworkManifest, store: Store, bundleHash: Hex): Promise<MessageStanding> {
  const status = await getMessageStatus(new JunctionIndex(manifest, { store, syncFromChains: false }), { bundleHash, simulate: false })
  const last = status.timeline.at(-1)
  const delivery = statement(store, 'SELECT status, attempts, last_error FROM deliveries WHERE bundle_hash = ?').get(bundleHash) as { status: string; attempts: number; last_error: string | null } | undefined
  return {
    lastStep: last ? `${last.status}${last.detail ? ` (${last.detail})` : ''}${status.waiting ? `; ${status.waiting}` : ''}` : 'not in the services’ store',
    ...(delivery ? { delivery: `${delivery.status} after ${delivery.attempts} attempt(s)${delivery.last_error ? `: ${delivery.last_error}` : ''}` } : {}),
  }
}

/** The transactions waiting in one node's pool for one sender, against what the chain mined of that sender. */
export type PoolEntry = { chain: string; sender: string; mined: number; pending: number[]; queued: number[] }

type PoolContent = Record<'pending' | 'queued', Record<Address, Record<string, unknown>>>

/**
 * What waits in every node's pool, per sender: the nonces ready to mine (`pending`) and those waiting
 * behind a missing one (`queued`), with the sender's mined nonce, and the sender named when it is one of
 * the network's accounts (`operator of alpha`, `relayer`). A queued nonce above the mined one, with the
 * mined one in no pool, is a gap: that sender's transactions wait for a nonce nobody sends.
 *
 * @example
 * ```ts
 * for (const e of await describePools(manifest)) console.log(`${e.chain} ${e.sender}: mined ${e.mined}, queued ${e.queued}`)
 * ```
 */
export async function describePools(manifest: NetworkManifest, names: ReadonlyMap<string, string> = new Map()): Promise<PoolEntry[]> {
  const known = new Map<string, string>([
    [manifest.accounts.relayer.address.toLowerCase(), 'relayer'],
    [manifest.accounts.l1Deployer.address.toLowerCase(), 'L1 deployer'],
    [manifest.accounts.l2Deployer.address.toLowerCase(), 'L2 deployer'],
    ...manifest.chains.map((chain) => [chain.operator.address.toLowerCase(), `operator of ${chain.name}`] as const),
    ...manifest.accounts.users.map((user, i) => [user.address.toLowerCase(), `dev user ${i}`] as const),
    ...[...names].map(([address, name]) => [address.toLowerCase(), name] as const),
  ])
  const nodes = [manifest.l1, ...manifest.chains]
  const perNode = await Promise.all(
    nodes.map(async (node) => {
      const client = createPublicClient({ transport: http(node.rpcUrl, { retryCount: 0, timeout: 5_000 }) }) as PublicClient
      let content: PoolContent
      try {
        content = (await client.request({ method: 'txpool_content' } as never)) as PoolContent
      } catch (error) {
        return [{ chain: node.name, sender: `(the node did not answer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`, mined: -1, pending: [], queued: [] }]
      }
      const senders = new Set([...Object.keys(content.pending ?? {}), ...Object.keys(content.queued ?? {})].map((a) => a.toLowerCase()))
      return Promise.all(
        [...senders].map(async (address) => {
          const nonces = (kind: 'pending' | 'queued') =>
            Object.entries(content[kind] ?? {})
              .filter(([a]) => a.toLowerCase() === address)
              .flatMap(([, byNonce]) => Object.keys(byNonce).map(Number))
              .sort((a, b) => a - b)
          return { chain: node.name, sender: known.get(address) ?? address, mined: await client.getTransactionCount({ address: address as Address }), pending: nonces('pending'), queued: nonces('queued') }
        }),
      )
    }),
  )
  return perNode.flat()
}

/**
 * One line per pool entry: `gateway, operator of alpha: mined to nonce 41; queued 43–47 (nonce 42 missing: a gap)`.
 *
 * @example
 * ```ts
 * console.log(formatPools(await describePools(manifest)).join('\n'))
 * ```
 */
export function formatPools(entries: readonly PoolEntry[]): string[] {
  const span = (nonces: number[]) => (nonces.length === 0 ? 'none' : nonces.length === 1 ? `${nonces[0]}` : `${nonces[0]}–${nonces.at(-1)} (${nonces.length})`)
  return entries.map((e) => {
    if (e.mined < 0) return `${e.chain}: ${e.sender}`
    const gap = e.queued.length > 0 && !e.pending.includes(e.mined) ? ` (nonce ${e.mined} is in no pool: a gap)` : ''
    return `${e.chain}, ${e.sender}: next nonce to mine ${e.mined}; ready ${span(e.pending)}; queued ${span(e.queued)}${gap}`
  })
}
