import type { Address } from 'viem'
import { getContractAddress } from 'viem'
import { JunctionError } from '../errors/JunctionError.js'
import type { NetworkManifest, ZkChainInfo } from './types.js'

/** Where every chain of a network settles, and which settlement layers there are. */
export type Topology = {
  l1ChainId: number
  /** The Gateway chain, when the network has one. */
  gatewayChainId: number | undefined
  /** The MessageRoot address of every settlement layer (the same on L1 and on the Gateway). */
  settlementLayerMessageRoot: Address
  /** Chain id → the chain id of its settlement layer. */
  settlementLayerOf: ReadonlyMap<number, number>
}

/** How a message of one chain is proven where it is checked (docs/protocol.md §7.2). */
export type ProofRoute =
  /** One level, against a root of `slChainId` (the source chain's settlement layer). */
  | { kind: 'direct'; slChainId: number }
  /** Two levels: to a Gateway root, then the Gateway's batch to an L1 root. */
  | { kind: 'via-gateway'; gatewayChainId: number; l1ChainId: number }

/** A message cannot be proven where it should be checked (a topology the protocol does not allow). */
export class UnroutableMessageError extends JunctionError {
  override name = 'UnroutableMessageError'
  constructor(sourceChainId: number, destination: number) {
    super(`a message from chain ${sourceChainId} cannot be proven on chain ${destination}`, {
      details: 'A message is proven against a root of its source chain\'s settlement layer, or, from a chain on the Gateway, against an L1 root with a two-level proof.',
    })
  }
}

/** The chain is not part of the network. */
export class UnknownChainError extends JunctionError {
  override name = 'UnknownChainError'
  constructor(chainId: number) {
    super(`chain ${chainId} is not part of this network`)
  }
}

/**
 * The topology of a network from its manifest.
 *
 * @example
 * ```ts
 * const topology = topologyOf(manifest)
 * topology.settlementLayerOf.get(271) // 31338 when alpha settles on the Gateway
 * ```
 */
export function topologyOf(manifest: Pick<NetworkManifest, 'l1' | 'chains' | 'accounts'>): Topology {
  const gateway = manifest.chains.find((chain) => chain.role === 'gateway')
  return {
    l1ChainId: manifest.l1.chainId,
    gatewayChainId: gateway?.chainId,
    settlementLayerMessageRoot: settlementLayerMessageRootAddress(manifest.accounts.l1Deployer.address),
    settlementLayerOf: new Map(manifest.chains.map((chain: ZkChainInfo) => [chain.chainId, chain.settlementLayer])),
  }
}

/**
 * The MessageRoot address of every settlement layer: the first contract the L1 deployer creates on
 * L1 and on the Gateway.
 */
export function settlementLayerMessageRootAddress(l1Deployer: Address): Address {
  return getContractAddress({ from: l1Deployer, nonce: 0n })
}

/** The settlement layers whose roots `chainId` may import and check proofs against. */
export function trustedSettlementLayers(topology: Topology, chainId: number): number[] {
  if (chainId === topology.l1ChainId) return [topology.l1ChainId]
  const sl = topology.settlementLayerOf.get(chainId)
  if (sl === undefined) throw new UnknownChainError(chainId)
  // A chain on the Gateway may also import L1 roots the Gateway imported (checked where it settles).
  return sl === topology.gatewayChainId ? [sl, topology.l1ChainId] : [sl]
}

/**
 * How a message recorded on `sourceChainId` is proven on `destination` (a chain id; L1's chain id
 * for L1 itself, e.g. a withdrawal).
 *
 * @example
 * ```ts
 * proofRoute(topology, 271, 272) // { kind: 'direct', slChainId: 31338 } (alpha → beta on the Gateway)
 * proofRoute(topology, 271, 31337) // { kind: 'via-gateway', ... } (a withdrawal from alpha)
 * ```
 */
export function proofRoute(topology: Topology, sourceChainId: number, destination: number): ProofRoute {
  const sourceSl = topology.settlementLayerOf.get(sourceChainId)
  if (sourceSl === undefined) throw new UnknownChainError(sourceChainId)
  const trusted = trustedSettlementLayers(topology, destination)
  if (trusted.includes(sourceSl)) return { kind: 'direct', slChainId: sourceSl }
  if (sourceSl === topology.gatewayChainId && trusted.includes(topology.l1ChainId)) {
    return { kind: 'via-gateway', gatewayChainId: sourceSl, l1ChainId: topology.l1ChainId }
  }
  throw new UnroutableMessageError(sourceChainId, destination)
}
