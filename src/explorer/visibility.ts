// What a visitor may see of a private chain, as pure decisions (docs/explorer.md, "Private chains"). The
// server asks the permissioned RPC only what these functions say is needed.
import type { NetworkManifest } from '../network/types.js'
import type { PrivateSession } from './privateChains.js'

/** A visitor: its sessions on private chains, by chain id (none before sign-in). */
export type Visitor = { sessions: ReadonlyMap<number, PrivateSession> }

/** A visitor that has not signed in anywhere. */
export const ANONYMOUS: Visitor = { sessions: new Map() }

/** The chains a visitor sees: every public one, and the private ones it signed in to. */
export function visibleChainIds(manifest: NetworkManifest, visitor: Visitor): Set<number> {
  const ids = new Set<number>([manifest.l1.chainId])
  for (const chain of manifest.chains) if (chain.private !== true || visitor.sessions.has(chain.chainId)) ids.add(chain.chainId)
  return ids
}

/**
 * How a bundle may be shown to a visitor:
 * - `public`: both ends public, shown whole;
 * - `check-source`: sent on a private chain the visitor signed in to: shown only if its permissioned RPC
 *   gives the visitor the send transaction (the server asks it);
 * - `source-side`: sent on a public chain to a private one the visitor did not sign in to: the send is
 *   public (its event names the destination's chain id), the destination's side is not shown;
 * - `hidden`: sent on a private chain the visitor did not sign in to.
 * A bundle to a private chain the visitor signed in to is `public` (or `check-source`) whole.
 */
export type BundleVisibility = 'public' | 'check-source' | 'source-side' | 'hidden'

/** See {@link BundleVisibility}. */
export function bundleVisibility(manifest: NetworkManifest, visitor: Visitor, bundle: { sourceChainId: number; destinationChainId: number }): BundleVisibility {
  const isPrivate = (chainId: number) => manifest.chains.some((chain) => chain.chainId === chainId && chain.private === true)
  if (isPrivate(bundle.sourceChainId)) return visitor.sessions.has(bundle.sourceChainId) && (!isPrivate(bundle.destinationChainId) || visitor.sessions.has(bundle.destinationChainId)) ? 'check-source' : 'hidden'
  if (isPrivate(bundle.destinationChainId) && !visitor.sessions.has(bundle.destinationChainId)) return 'source-side'
  return 'public'
}

/** The steps of a timeline that happen on the destination (hidden on the `source-side` of a private destination). */
export const DESTINATION_STEPS: ReadonlySet<string> = new Set(['root-on-destination', 'executed', 'failed'])
