import type { Address } from 'viem'
import type { FuzzCall } from './fuzzCall.js'

/**
 * A real call the fuzzer starts from: made from a message, bundle, withdrawal, transfer, failed deposit
 * or chain move that really happened on the network, with a proof the SDK built.
 */
export type FuzzSeed = {
  /** A short name: `gamma → delta message`. */
  id: string
  /** How it is proven: `one level, L1 root`, `two levels through the Gateway`... */
  route: string
  call: FuzzCall
  /**
   * `unexecuted`: valid and never sent (the fuzz must not burn it: it is executed once at the end);
   * `executed`: sent once already, so sending it again is a replay; `verified`: a bundle verified but not
   * executed, whose valid call is its unbundler's `unbundleBundle`.
   */
  state: 'unexecuted' | 'executed' | 'verified'
}

/** What the mutators may draw from besides the seed they mutate: the network's ids, contracts and real roots. */
export type MutationContext = {
  l1ChainId: number
  /** The network's Gateway, if it has one. */
  gatewayChainId: number | undefined
  /** Every chain a bundle call may be sent to: L1 and each ZK chain (the Gateway is one). */
  chainIds: readonly number[]
  /** Contracts a forged proof may claim as the message's sender (InteropCenter, asset router, inbox, MessageRoot...). */
  knownSenders: readonly Address[]
  /**
   * The real roots each chain checks proofs against, by chain id: the roots it imported, and for L1 the
   * blocks of its own root history.
   */
  roots: Readonly<Record<number, readonly { slChainId: bigint; slBlockNumber: bigint }[]>>
  seeds: readonly FuzzSeed[]
}
