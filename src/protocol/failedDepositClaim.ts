import { concatHex, encodeAbiParameters, keccak256, stringToHex, type Address, type Hex } from 'viem'
import { toUint } from './bytes.js'

// The depositor's authorisation of a failed-deposit claim paid elsewhere (protocol §9.8), mirroring
// BridgeMessages.failedDepositClaimDigest and L1AssetRouter.claimFailedDepositTo.

/** EIP-712 domain name of the L1AssetRouter's signed claims. */
export const FAILED_DEPOSIT_CLAIM_DOMAIN_NAME = 'Junction L1AssetRouter'

/** EIP-712 domain version of the L1AssetRouter's signed claims. */
export const FAILED_DEPOSIT_CLAIM_DOMAIN_VERSION = '1'

/** The EIP-712 types of a claim: `ClaimFailedDeposit(uint256 chainId,bytes32 requestHash,address to)`. */
export const FAILED_DEPOSIT_CLAIM_TYPES = {
  ClaimFailedDeposit: [
    { name: 'chainId', type: 'uint256' },
    { name: 'requestHash', type: 'bytes32' },
    { name: 'to', type: 'address' },
  ],
} as const

/** What a depositor authorises: its failed deposit to `chainId`, under `requestHash`, paid to `to`. */
export type FailedDepositClaimParameters = {
  /** L1's chain id (the domain's). */
  l1ChainId: bigint | number
  /** L1's L1AssetRouter (the domain's verifying contract). */
  l1AssetRouter: Address
  /** The chain the deposit was for. */
  chainId: bigint | number
  /** The deposit's priority request hash (`PriorityRequestQueued`, or the failed-deposit message). */
  requestHash: Hex
  /** Where the funds go. */
  to: Address
}

/**
 * The EIP-712 typed data a depositor signs (viem `signTypedData`) to have its failed deposit paid to `to`
 * by `L1AssetRouter.claimFailedDepositTo`.
 *
 * @example
 * ```ts
 * const signature = await wallet.signTypedData(failedDepositClaimTypedData({ l1ChainId: 31337, l1AssetRouter, chainId: 271, requestHash, to }))
 * ```
 */
export function failedDepositClaimTypedData(parameters: FailedDepositClaimParameters) {
  return {
    domain: { name: FAILED_DEPOSIT_CLAIM_DOMAIN_NAME, version: FAILED_DEPOSIT_CLAIM_DOMAIN_VERSION, chainId: toUint(parameters.l1ChainId, 'l1ChainId'), verifyingContract: parameters.l1AssetRouter },
    types: FAILED_DEPOSIT_CLAIM_TYPES,
    primaryType: 'ClaimFailedDeposit' as const,
    message: { chainId: toUint(parameters.chainId, 'chainId'), requestHash: parameters.requestHash, to: parameters.to },
  }
}

const DOMAIN_TYPEHASH = keccak256(stringToHex('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'))
const CLAIM_TYPEHASH = keccak256(stringToHex('ClaimFailedDeposit(uint256 chainId,bytes32 requestHash,address to)'))

/**
 * The digest of {@link failedDepositClaimTypedData}, as `L1AssetRouter.failedDepositClaimDigest` computes
 * it: `keccak256(0x1901 ‖ domainSeparator ‖ keccak256(abi.encode(typehash, chainId, requestHash, to)))`.
 *
 * @example
 * ```ts
 * const digest = failedDepositClaimDigest({ l1ChainId: 31337, l1AssetRouter, chainId: 271, requestHash, to })
 * ```
 */
export function failedDepositClaimDigest(parameters: FailedDepositClaimParameters): Hex {
  const domainSeparator = keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }],
      [DOMAIN_TYPEHASH, keccak256(stringToHex(FAILED_DEPOSIT_CLAIM_DOMAIN_NAME)), keccak256(stringToHex(FAILED_DEPOSIT_CLAIM_DOMAIN_VERSION)), toUint(parameters.l1ChainId, 'l1ChainId'), parameters.l1AssetRouter],
    ),
  )
  const structHash = keccak256(
    encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }, { type: 'bytes32' }, { type: 'address' }], [CLAIM_TYPEHASH, toUint(parameters.chainId, 'chainId'), parameters.requestHash, parameters.to]),
  )
  return keccak256(concatHex(['0x1901', domainSeparator, structHash]))
}
