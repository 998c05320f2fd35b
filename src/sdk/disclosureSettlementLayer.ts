import { createPublicClient, http } from 'viem'
import { DisclosureChainNotSettledError } from '../errors/disclosure.js'
import type { NetworkManifest } from '../network/types.js'
import type { DisclosureSettlementLayer } from './actions/getDisclosureProof.js'

/**
 * A network's settlement layer by chain id, as disclosures use it: a client of L1 or of a Gateway, and the
 * ChainRegistry there, from the manifest (the verifier's own copy: the registry is the anchor it trusts).
 *
 * @throws {DisclosureChainNotSettledError} the manifest has no settlement layer of that id.
 * @example
 * ```ts
 * const { client, chainRegistry } = disclosureSettlementLayer(manifest, disclosure.settlementLayer.chainId)
 * ```
 */
export function disclosureSettlementLayer(manifest: Pick<NetworkManifest, 'l1' | 'chains'>, slChainId: number, forChainId?: number): DisclosureSettlementLayer {
  if (slChainId === manifest.l1.chainId) return { client: createPublicClient({ transport: http(manifest.l1.rpcUrl) }), chainRegistry: manifest.l1.contracts.chainRegistry }
  const gateway = manifest.chains.find((chain) => chain.chainId === slChainId && chain.gatewayContracts !== undefined)
  if (gateway === undefined) throw new DisclosureChainNotSettledError(forChainId ?? 0, slChainId === 0 ? `this network's L1 (${manifest.l1.chainId})` : `a settlement layer this manifest knows (chain ${slChainId} is neither its L1 nor a Gateway)`)
  return { client: createPublicClient({ transport: http(gateway.rpcUrl) }), chainRegistry: gateway.gatewayContracts!.chainRegistry }
}
