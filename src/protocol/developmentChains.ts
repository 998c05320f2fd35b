/**
 * The chain ids on which `DevelopmentVerifier` runs (contracts/l1/DevelopmentVerifier.sol): 1337, and 31337
 * to 31346 inclusive. The verifier accepts any proof (it is not a zero-knowledge proof verifier) and
 * refuses to run anywhere else, so a settlement layer (the L1, a Gateway) must have one of these chain
 * ids for any batch to be proven there; the ZK chains settling on it may have any chain id.
 */
export const DEVELOPMENT_CHAIN_IDS = { single: 1337, from: 31337, to: 31346 } as const

/**
 * Whether `chainId` is a development chain id: the mirror of `DevelopmentVerifier.isDevelopmentChain`.
 *
 * @example
 * ```ts
 * isDevelopmentChainId(31337) // true
 * isDevelopmentChainId(11155111) // false: Sepolia
 * ```
 */
export function isDevelopmentChainId(chainId: number | bigint): boolean {
  const id = BigInt(chainId)
  return id === BigInt(DEVELOPMENT_CHAIN_IDS.single) || (id >= BigInt(DEVELOPMENT_CHAIN_IDS.from) && id <= BigInt(DEVELOPMENT_CHAIN_IDS.to))
}
