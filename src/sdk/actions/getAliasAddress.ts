import { concat, encodeAbiParameters, getContractAddress, keccak256, type Address } from 'viem'
import * as c from '../../contracts/generated/index.js'

/** Parameters of {@link getAliasAddress}. */
export type GetAliasAddressParameters = {
  /** The network's L1InteropHandler (`manifest.l1.contracts.interopHandler`). */
  l1InteropHandler: Address
  /** The owner's chain. */
  chainId: number | bigint
  /** The owner's address on that chain. */
  owner: Address
}

/**
 * The L1 alias account of `(chainId, owner)` (docs/protocol.md §11): the CREATE2 address the
 * L1InteropHandler deploys it at on first use, computed from the pair alone (and the handler). Calls
 * of bundles `owner` sends from `chainId` to L1 run from this account; only they can.
 *
 * @example
 * ```ts
 * const account = getAliasAddress({ l1InteropHandler: manifest.l1.contracts.interopHandler, chainId: 271, owner: user })
 * ```
 */
export function getAliasAddress(parameters: GetAliasAddressParameters): Address {
  const pair = encodeAbiParameters([{ type: 'uint256' }, { type: 'address' }], [BigInt(parameters.chainId), parameters.owner])
  return getContractAddress({ opcode: 'CREATE2', from: parameters.l1InteropHandler, salt: keccak256(pair), bytecode: concat([c.aliasAccountBytecode, pair]) })
}
