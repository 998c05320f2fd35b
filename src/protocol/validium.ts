import { concatHex, encodeAbiParameters, keccak256, numberToHex, type Hex } from 'viem'
import { decodeFailedDepositMessage, decodeTransferMessage, decodeWithdrawalMessage, FAILED_DEPOSIT_TAG, TRANSFER_TAG, WITHDRAWAL_TAG } from './bridge.js'

/**
 * Tag of a private chain's blinded commitments: a bundle's `H(0x08 ‖ bundleHash ‖ blinding)` (protocol §4.1) and a
 * withdrawal's `H(0x08 ‖ keccak256(message) ‖ blinding)` (§9.13); the leaf's sender tells the two apart.
 */
export const BLINDED_BUNDLE_TAG = 0x08

/** Tag of a private chain's batch data commitment: `H(0x09 ‖ transactionsHash ‖ valueSummaryHash)` (protocol §5.1). */
export const VALIDIUM_DATA_TAG = 0x09

/**
 * What a private chain records as the payload hash of a bundle's message leaf (protocol §4.1), as
 * `MessageHashing.blindedBundleCommitment`: `H(0x08 ‖ bundleHash ‖ blinding)`. The destination's
 * InteropHandler recomputes it from the bundle and the blinding it is given (`executeBlindedBundle`).
 *
 * @example
 * ```ts
 * const leaf = messageLeaf(interopCenter, blindedBundleCommitment(bundleHash, blinding))
 * ```
 */
export function blindedBundleCommitment(bundleHash: Hex, blinding: Hex): Hex {
  return keccak256(concatHex([numberToHex(BLINDED_BUNDLE_TAG, { size: 1 }), bundleHash, blinding]))
}

/**
 * What a private chain records as the payload hash of a withdrawal's or transfer's message leaf (protocol §9.13),
 * as `MessageHashing.blindedBridgeMessageCommitment`: the same commitment as a bundle's, over the bridge message's
 * hash, `H(0x08 ‖ keccak256(message) ‖ blinding)`. `L1AssetRouter.finalizeBlindedWithdrawal` and
 * `finalizeBlindedTransfer` recompute it.
 *
 * @example
 * ```ts
 * const leaf = messageLeaf(l2AssetRouter, blindedBridgeMessageCommitment(keccak256(message), blinding))
 * ```
 */
export function blindedBridgeMessageCommitment(payloadHash: Hex, blinding: Hex): Hex {
  return blindedBundleCommitment(payloadHash, blinding)
}

/** One line of a private chain's batch value summary: `amount` of `assetId` leaves for `toChainId` (0: L1). */
export type ValueMove = {
  assetId: Hex
  /** The sum of the batch's moves of this asset to this destination. */
  amount: bigint
  /** The destination chain; 0 for L1 (withdrawals). */
  toChainId: bigint
}

/** A failed deposit the batch sends back to L1: its priority request's index and hash. */
export type FailedDepositRef = { index: bigint; requestHash: Hex }

/**
 * What the Gateway's asset tracker learns of a private chain's batch (`approveValidiumBatches`, protocol
 * §9.10): the hash of its transactions and its value summary, which hash together to its `dataHash`.
 */
export type ValidiumBatchValue = {
  /** {@link batchTransactionsHash} of the batch's transactions. */
  transactionsHash: Hex
  /** Per asset and destination, in order of first appearance in the batch. */
  moves: ValueMove[]
  /** In the batch's order. */
  failedDeposits: FailedDepositRef[]
}

const valueMovesParameter = {
  type: 'tuple[]',
  components: [
    { name: 'assetId', type: 'bytes32' },
    { name: 'amount', type: 'uint256' },
    { name: 'toChainId', type: 'uint256' },
  ],
} as const
const failedDepositsParameter = {
  type: 'tuple[]',
  components: [
    { name: 'index', type: 'uint256' },
    { name: 'requestHash', type: 'bytes32' },
  ],
} as const

/** Tag of a batch transactions step: `H(0x07 ‖ previous ‖ transactionHash)` (protocol §5.1). */
export const BATCH_DATA_STEP_TAG = 0x07

/**
 * The hash of a private chain's batch transactions (protocol §5.1): `h = 0x00…00`, then for every
 * transaction of the batch's blocks in order `h = H(0x07 ‖ h ‖ transactionHash)` (a transaction hash is
 * the keccak256 of its signed bytes, so `h` commits to all of them). `0x00…00` for a batch without
 * transactions. Part of the batch's `dataHash` ({@link validiumDataHash}).
 *
 * @example
 * ```ts
 * const transactionsHash = batchTransactionsHash(blocks.flatMap((block) => block.transactions))
 * ```
 */
export function batchTransactionsHash(transactionHashes: readonly Hex[]): Hex {
  let h: Hex = `0x${'00'.repeat(32)}`
  for (const transactionHash of transactionHashes) h = keccak256(concatHex([numberToHex(BATCH_DATA_STEP_TAG, { size: 1 }), h, transactionHash]))
  return h
}

/**
 * `keccak256(abi.encode(ValueMove[] moves, FailedDepositRef[] failedDeposits))`, the value summary's hash.
 *
 * @example
 * ```ts
 * const h = valueSummaryHash({ moves: [], failedDeposits: [] })
 * ```
 */
export function valueSummaryHash({ moves, failedDeposits }: Pick<ValidiumBatchValue, 'moves' | 'failedDeposits'>): Hex {
  return keccak256(encodeAbiParameters([valueMovesParameter, failedDepositsParameter], [moves, failedDeposits]))
}

/**
 * A private chain's batch `dataHash` (protocol §5.1), as `MessageHashing.validiumDataHash`:
 * `H(0x09 ‖ transactionsHash ‖ valueSummaryHash)`. Never 0, so a private chain's batch is always a validium
 * batch, even without transactions.
 *
 * @example
 * ```ts
 * const dataHash = validiumDataHash({ transactionsHash: batchTransactionsHash(hashes), moves, failedDeposits })
 * ```
 */
export function validiumDataHash(value: ValidiumBatchValue): Hex {
  return keccak256(concatHex([numberToHex(VALIDIUM_DATA_TAG, { size: 1 }), value.transactionsHash, valueSummaryHash(value)]))
}

const tagOf = (message: Hex) => message.slice(0, 10).toLowerCase()

/**
 * The value summary of a private chain's batch (protocol §5.1) from its value-carrying messages, in the
 * batch's order: each transfer message (section 9.5; one per token call of a bundle and one for a bundle's
 * ETH) adds its amount to its destination, each withdrawal to L1 (`toChainId` 0), summed per asset and
 * destination in order of first appearance; each failed-deposit message is listed. Messages of another
 * kind move nothing. This is what a validity proof of the batch would have to show the summary equals.
 *
 * @example
 * ```ts
 * const { moves, failedDeposits } = summarizeBatchValue({ routerMessages, inboxMessages })
 * ```
 */
export function summarizeBatchValue({ routerMessages, inboxMessages }: { routerMessages: readonly Hex[]; inboxMessages: readonly Hex[] }): Pick<ValidiumBatchValue, 'moves' | 'failedDeposits'> {
  const moves: ValueMove[] = []
  const add = (assetId: Hex, toChainId: bigint, amount: bigint) => {
    if (amount === 0n) return
    const line = moves.find((m) => m.assetId.toLowerCase() === assetId.toLowerCase() && m.toChainId === toChainId)
    if (line) line.amount += amount
    else moves.push({ assetId, amount, toChainId })
  }
  for (const message of routerMessages) {
    if (tagOf(message) === TRANSFER_TAG.toLowerCase()) {
      const transfer = decodeTransferMessage(message)
      add(transfer.assetId, transfer.destinationChainId, transfer.amount)
    } else if (tagOf(message) === WITHDRAWAL_TAG.toLowerCase()) {
      const withdrawal = decodeWithdrawalMessage(message)
      add(withdrawal.assetId, 0n, withdrawal.amount)
    }
  }
  const failedDeposits = inboxMessages.filter((message) => tagOf(message) === FAILED_DEPOSIT_TAG.toLowerCase()).map(decodeFailedDepositMessage)
  return { moves, failedDeposits }
}
