import type { Address } from 'viem'
import { getContractAddress } from 'viem'
import { JunctionError } from '../errors/JunctionError.js'
import { statement, type Store } from '../store/openStore.js'
import type { NetworkManifest } from './types.js'

/** From `fromBlock` on, a chain's blocks settle on `slChainId`. */
export type SettlementEpoch = { fromBlock: number; slChainId: number }

/** Where every chain of a network settles, and which settlement layers there are. */
export type Topology = {
  l1ChainId: number
  /** The Gateway chain, when the network has one. */
  gatewayChainId: number | undefined
  /** The MessageRoot address of every settlement layer (the same on L1 and on the Gateway). */
  settlementLayerMessageRoot: Address
  /** Chain id → the chain id of the settlement layer it settles on now. */
  settlementLayerOf: ReadonlyMap<number, number>
  /**
   * Chain id → where its blocks settle (docs/protocol.md §11): the deployment's settlement layer, then
   * one epoch per move, in the order L1 recorded them. A message is proven from where its block settled.
   */
  epochs: ReadonlyMap<number, readonly SettlementEpoch[]>
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
 * The topology of a network: from its manifest (where each chain settled at deployment) and, when a
 * store is given, the moves between settlement layers the settlement-layer indexers recorded in it.
 * Cheap (one small query): services build it afresh each round.
 *
 * @example
 * ```ts
 * const topology = topologyOf(manifest, store)
 * topology.settlementLayerOf.get(271) // 31338 when alpha settles on the Gateway
 * ```
 */
export function topologyOf(manifest: Pick<NetworkManifest, 'l1' | 'chains' | 'accounts'>, store?: Store): Topology {
  const gateway = manifest.chains.find((chain) => chain.role === 'gateway')
  const epochs = new Map<number, SettlementEpoch[]>(manifest.chains.map((chain) => [chain.chainId, [{ fromBlock: chain.genesis.lastBlock + 1, slChainId: chain.settlementLayer }]]))
  const moves = store
    ? (statement(store, 'SELECT chain_id, from_block, sl_chain_id FROM settlement_epochs ORDER BY chain_id, l1_block, log_index').all() as { chain_id: number; from_block: number; sl_chain_id: number }[])
    : []
  for (const move of moves) epochs.get(move.chain_id)?.push({ fromBlock: move.from_block, slChainId: move.sl_chain_id })
  return {
    l1ChainId: manifest.l1.chainId,
    gatewayChainId: gateway?.chainId,
    settlementLayerMessageRoot: settlementLayerMessageRootAddress(manifest.accounts.l1Deployer.address),
    settlementLayerOf: new Map([...epochs].map(([chainId, list]) => [chainId, list.at(-1)!.slChainId])),
    epochs,
  }
}

/** The settlement epoch holding a block: blocks `[fromBlock, toBlock)` of the chain settle on `slChainId`. */
export type EpochAt = SettlementEpoch & { toBlock: number }

/**
 * The settlement epoch of `chainId` holding block `blockNumber`; the current one when the block is
 * not given.
 *
 * @example
 * ```ts
 * epochAt(topology, 273, 120) // { fromBlock: 31, toBlock: 151, slChainId: 31337 } if gamma moved to the Gateway after block 150
 * ```
 */
export function epochAt(topology: Topology, chainId: number, blockNumber?: number): EpochAt {
  const epochs = topology.epochs.get(chainId)
  if (!epochs) throw new UnknownChainError(chainId)
  // Moves are in the order L1 recorded them, their first blocks never decreasing; of two that start at
  // the same block, the later one counts (the earlier epoch is empty).
  let i = epochs.length - 1
  if (blockNumber !== undefined) while (i > 0 && epochs[i]!.fromBlock > blockNumber) i--
  return { ...epochs[i]!, toBlock: epochs[i + 1]?.fromBlock ?? Number.MAX_SAFE_INTEGER }
}

/**
 * The settlement layer where `chainId`'s block `blockNumber` settles (its epoch); where it settles now
 * when the block is not given.
 *
 * @example
 * ```ts
 * settlementLayerAt(topology, 273, 120) // 31337 if gamma moved to the Gateway after block 150
 * ```
 */
export function settlementLayerAt(topology: Topology, chainId: number, blockNumber?: number): number {
  return epochAt(topology, chainId, blockNumber).slChainId
}

/**
 * The MessageRoot address of every settlement layer: the first contract the L1 deployer creates on
 * L1 and on the Gateway.
 */
export function settlementLayerMessageRootAddress(l1Deployer: Address): Address {
  // Asked by every service at every tick (topologyOf): an RLP encoding and a JavaScript keccak each time.
  let address = messageRootAddresses.get(l1Deployer)
  if (!address) messageRootAddresses.set(l1Deployer, (address = getContractAddress({ from: l1Deployer, nonce: 0n })))
  return address
}

const messageRootAddresses = new Map<Address, Address>()

/** The settlement layers whose roots `chainId` may import and check proofs against. */
export function trustedSettlementLayers(topology: Topology, chainId: number): number[] {
  if (chainId === topology.l1ChainId) return [topology.l1ChainId]
  const sl = topology.settlementLayerOf.get(chainId)
  if (sl === undefined) throw new UnknownChainError(chainId)
  // A chain on the Gateway may also import L1 roots the Gateway imported (checked where it settles).
  return sl === topology.gatewayChainId ? [sl, topology.l1ChainId] : [sl]
}

/**
 * How a message recorded on `sourceChainId` (in block `sourceBlock`: its epoch decides where it
 * settled; without it, where the chain settles now) is proven on `destination` (a chain id; L1's
 * chain id for L1 itself, e.g. a withdrawal), as the destination settles now.
 *
 * @example
 * ```ts
 * proofRoute(topology, 271, 272) // { kind: 'direct', slChainId: 31338 } (alpha → beta on the Gateway)
 * proofRoute(topology, 271, 31337) // { kind: 'via-gateway', ... } (a withdrawal from alpha)
 * ```
 */
export function proofRoute(topology: Topology, sourceChainId: number, destination: number, sourceBlock?: number): ProofRoute {
  const sourceSl = settlementLayerAt(topology, sourceChainId, sourceBlock)
  const trusted = trustedSettlementLayers(topology, destination)
  if (trusted.includes(sourceSl)) return { kind: 'direct', slChainId: sourceSl }
  if (sourceSl === topology.gatewayChainId && trusted.includes(topology.l1ChainId)) {
    return { kind: 'via-gateway', gatewayChainId: sourceSl, l1ChainId: topology.l1ChainId }
  }
  throw new UnroutableMessageError(sourceChainId, destination)
}
