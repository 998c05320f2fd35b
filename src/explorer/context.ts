// What every view of the explorer reads from: the manifest, the store, the two indexes, and the visibility
// check of a bundle for a visitor (which may ask a private chain's permissioned RPC).
import type { Hex } from 'viem'
import type { NetworkManifest } from '../network/types.js'
import { JunctionIndex } from '../sdk/JunctionIndex.js'
import type { Store } from '../store/openStore.js'
import { ExplorerNotFoundError } from './errors.js'
import { privateChainsOf, privateRpc, publicManifestOf, type PrivateSession } from './privateChains.js'
import { bundleVisibility, type BundleVisibility, type Visitor } from './visibility.js'

export type ExplorerContext = {
  manifest: NetworkManifest
  store: Store
  /**
   * The index over the whole manifest, on the store: for statuses and proofs (store reads). The views
   * never let it read a private chain's node (no simulation or destination read on a private chain).
   */
  index: JunctionIndex
  /** The index over the public chains only: every read of a node's state (heads, balances, the audit). */
  publicIndex: JunctionIndex
  /** Brings the store up to date when the explorer keeps its own index (no services' store); else nothing. */
  sync(): Promise<void>
}

/**
 * The context of an explorer on `manifest`: on the services' `store` when given (read only), else an
 * index of its own in memory, read from the public chains' nodes.
 */
export function createExplorerContext(manifest: NetworkManifest, store?: Store): ExplorerContext {
  const publicManifest = publicManifestOf(manifest)
  const publicIndex = store ? new JunctionIndex(publicManifest, { store, syncFromChains: false }) : new JunctionIndex(publicManifest)
  const index = new JunctionIndex(manifest, { store: publicIndex.store, syncFromChains: false })
  let syncing: Promise<void> | undefined
  return {
    manifest,
    store: publicIndex.store,
    index,
    publicIndex,
    sync() {
      syncing ??= publicIndex.sync().finally(() => (syncing = undefined))
      return syncing
    },
  }
}

/** 'L1', or the chain's name, or its id. */
export function chainName(manifest: NetworkManifest, chainId: number): string {
  if (chainId === manifest.l1.chainId) return manifest.l1.name
  return manifest.chains.find((chain) => chain.chainId === chainId)?.name ?? String(chainId)
}

/** A chain as the API names it: id and name (a private chain the visitor does not see: its id only). */
export function chainRef(manifest: NetworkManifest, chainId: number, visible: Set<number>): { chainId: number; name: string; private?: true } {
  const isPrivate = manifest.chains.some((chain) => chain.chainId === chainId && chain.private === true)
  if (isPrivate && !visible.has(chainId)) return { chainId, name: 'a private chain', private: true }
  return { chainId, name: chainName(manifest, chainId), ...(isPrivate ? { private: true as const } : {}) }
}

/**
 * How a bundle may be shown to `visitor` (see {@link bundleVisibility}); `check-source` is settled here by
 * asking the source's permissioned RPC, with the visitor's token, for the send transaction: `hidden`
 * unless it gives it (once per session and transaction).
 */
export async function resolveBundleVisibility(
  context: ExplorerContext,
  visitor: Visitor,
  bundle: { sourceChainId: number; destinationChainId: number; txHash: Hex },
): Promise<Exclude<BundleVisibility, 'check-source'>> {
  const visibility = bundleVisibility(context.manifest, visitor, bundle)
  if (visibility !== 'check-source') return visibility
  const chain = privateChainsOf(context.manifest).find((c) => c.chainId === bundle.sourceChainId)
  const session = visitor.sessions.get(bundle.sourceChainId)
  if (!chain || !session) return 'hidden'
  let seen = sendsSeen.get(session)
  if (!seen) sendsSeen.set(session, (seen = new Map()))
  const known = seen.get(bundle.txHash.toLowerCase())
  if (known !== undefined) return known ? 'public' : 'hidden'
  const answer = await privateRpc<unknown>(chain, session, 'eth_getTransactionByHash', [bundle.txHash])
  const shown = answer.ok && answer.result !== null
  seen.set(bundle.txHash.toLowerCase(), shown)
  return shown ? 'public' : 'hidden'
}

/**
 * What each session's permissioned RPC answered about send transactions: a bundle in the store was mined, so
 * whether the RPC gives the visitor its transaction does not change for the session (asked once, not on
 * every live tick).
 */
const sendsSeen = new WeakMap<PrivateSession, Map<string, boolean>>()

/** Throws a 404 naming what is missing and what to check. */
export function notFound(what: string, details = 'Check it, and that this explorer shows the network it belongs to.'): never {
  throw new ExplorerNotFoundError(`${what} is not known on this network`, { details })
}
