import type { Account, Address, Chain, Hex, Transport, WalletClient } from 'viem'
import { signTypedData } from 'viem/actions'
import { failedDepositClaimDigest, failedDepositClaimTypedData } from '../../protocol/index.js'
import { findFailedDeposit } from '../findFailedDeposit.js'
import type { JunctionIndex } from '../JunctionIndex.js'

/** Parameters of {@link signFailedDepositClaim}. */
export type SignFailedDepositClaimParameters = {
  /** The ZK chain the deposit was for. */
  chainId: number
  /** The deposit's priority request index in that chain's queue. */
  requestIndex: bigint | number
  /** Where the depositor wants the funds to go on L1. */
  to: Address
}

/** What {@link signFailedDepositClaim} resolves with. */
export type SignFailedDepositClaimReturnType = {
  /** The depositor's EIP-712 signature: give it to `claimFailedDeposit` (anyone may submit it). */
  signature: Hex
  /** The digest signed (`L1AssetRouter.failedDepositClaimDigest`). */
  digest: Hex
  /** The deposit's request hash, which the signature names. */
  requestHash: Hex
  depositor: Address
}

/**
 * The depositor signs, off chain, that its failed deposit is to be paid to `to` (protocol §9.8, EIP-712:
 * `ClaimFailedDeposit(uint256 chainId,bytes32 requestHash,address to)` in the domain of L1's asset router).
 * `client` holds the depositor's key (its chain does not matter: nothing is sent). For a contract
 * depositor, have the key its ERC-1271 `isValidSignature` accepts sign the returned `digest` instead.
 *
 * @example
 * ```ts
 * const { signature } = await signFailedDepositClaim(depositorWallet, index, { chainId: 271, requestIndex, to })
 * await claimFailedDeposit(relayerWallet, index, { chainId: 271, requestIndex, to, signature })
 * ```
 */
export async function signFailedDepositClaim<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  parameters: SignFailedDepositClaimParameters,
): Promise<SignFailedDepositClaimReturnType> {
  const { manifest } = index
  const { depositor, requestHash } = await findFailedDeposit(index, { chainId: parameters.chainId, requestIndex: BigInt(parameters.requestIndex) })
  const claim = { l1ChainId: manifest.l1.chainId, l1AssetRouter: manifest.l1.contracts.assetRouter, chainId: parameters.chainId, requestHash, to: parameters.to }
  const signature = await signTypedData(client as unknown as WalletClient, { ...failedDepositClaimTypedData(claim), account: client.account ?? null } as never)
  return { signature, digest: failedDepositClaimDigest(claim), requestHash, depositor }
}
