// Interop fees (docs/fees.md): the quote `InteropCenter.quoteFee` computes, and the execution record a
// destination's InteropHandler records for the executor of a bundle, which the executor proves back on the
// source chain to claim the bundle's fee (`InteropCenter.claimFee`).
import { encodeAbiParameters, keccak256, toFunctionSelector, type Address, type Hex } from 'viem'
import { toUint } from './bytes.js'

/** Settlement gas charged per message in a quote, besides 16 gas per payload byte (`InteropCenter.SETTLEMENT_GAS_PER_MESSAGE`). */
export const SETTLEMENT_GAS_PER_MESSAGE = 2_000n
/** Settlement gas charged per byte of the bundle (calldata of a batch's data on the settlement layer). */
export const SETTLEMENT_GAS_PER_BYTE = 16n
/** Gas of a fee claim on the source chain, charged at the source's gas price (`InteropCenter.CLAIM_GAS`). */
export const CLAIM_GAS = 110_000n
/** The relayer's reward, in basis points of the execution, claim and settlement costs (`InteropCenter.RELAYER_REWARD_BPS`). */
export const RELAYER_REWARD_BPS = 1_000n

/** Parameters of {@link quoteInteropFee}. */
export type QuoteInteropFeeParameters = {
  /** Gas of the bundle's execution on the destination. */
  gasLimit: bigint | number
  /** Length of `abi.encode(bundle)` in bytes. */
  payloadBytes: bigint | number
  /** Wei per gas on the destination, as posted. */
  executionWeiPerGas: bigint
  /** Wei per gas of settlement (L1), as posted (0 when none was). */
  settlementWeiPerGas: bigint
  /** Wei per gas on the source chain, where the executor claims the fee, as posted (0 when none was). */
  sourceWeiPerGas: bigint
}

/**
 * The fee `InteropCenter.quoteFee` returns, in wei of the source's base token:
 * `(gasLimit × execution price + 110,000 × source price + (2,000 + 16 × payloadBytes) × settlement price) × 1.1`
 * (the last factor is the relayer's reward, `RELAYER_REWARD_BPS`; integer division as on chain).
 *
 * @example
 * ```ts
 * quoteInteropFee({ gasLimit: 60_000n, payloadBytes: 416n, executionWeiPerGas: 10n ** 9n, settlementWeiPerGas: 10n ** 9n, sourceWeiPerGas: 10n ** 9n })
 * ```
 */
export function quoteInteropFee(parameters: QuoteInteropFeeParameters): bigint {
  const gasLimit = toUint(parameters.gasLimit, 'gasLimit')
  const payloadBytes = toUint(parameters.payloadBytes, 'payloadBytes')
  const cost =
    gasLimit * parameters.executionWeiPerGas + CLAIM_GAS * parameters.sourceWeiPerGas + (SETTLEMENT_GAS_PER_MESSAGE + SETTLEMENT_GAS_PER_BYTE * payloadBytes) * parameters.settlementWeiPerGas
  return cost + (cost * RELAYER_REWARD_BPS) / 10_000n
}

/** The tag of an execution record: `bytes4(keccak256("executed(bytes32,address)"))` (`InteropHandler.EXECUTION_RECORD_TAG`). */
export const EXECUTION_RECORD_TAG: Hex = toFunctionSelector('executed(bytes32,address)')

/**
 * The execution record a destination records when `executor` executes `bundleHash`:
 * `abi.encode(bytes4 EXECUTION_RECORD_TAG, bytes32 bundleHash, address executor)` (96 bytes).
 *
 * @example
 * ```ts
 * encodeExecutionRecord(bundleHash, relayer).length // 2 + 192
 * ```
 */
export function encodeExecutionRecord(bundleHash: Hex, executor: Address): Hex {
  return encodeAbiParameters([{ type: 'bytes4' }, { type: 'bytes32' }, { type: 'address' }], [EXECUTION_RECORD_TAG, bundleHash, executor])
}

/**
 * The payload hash of the execution record (the message of the destination's InteropHandler, leaf
 * `messageLeaf(interopHandler, executionRecordHash(...))`), which the claim on the source proves.
 *
 * @example
 * ```ts
 * const leaf = messageLeaf(interopHandler, executionRecordHash(bundleHash, relayer))
 * ```
 */
export function executionRecordHash(bundleHash: Hex, executor: Address): Hex {
  return keccak256(encodeExecutionRecord(bundleHash, executor))
}

/** Gas of a bundle's execution besides what its recipients spend (see {@link estimateExecutionGas}). */
export const EXECUTION_GAS_MODEL = {
  /** The transaction, the proof check against an imported root (room for about 30 siblings besides the
   * measured 43,000 gas with one-leaf trees), the status, the events and the execution record. */
  base: 65_000n,
  /** Per call: the delivery through the InteropCenter (formatting the sender, the call, the return check). */
  perCall: 4_500n,
  /** Per byte of the encoded bundle: its calldata (16 gas per non-zero byte), its hashing and copies. */
  perByte: 18n,
  /**
   * Headroom on what the recipients spend, as a fraction 1/n: a call keeps 1/64 of the gas it forwards (EIP-150),
   * twice on the way to a recipient (handler → InteropCenter → recipient), so a relayer must supply about 1/32
   * more than the recipients use.
   */
  recipientHeadroomDivisor: 32n,
} as const

/** Parameters of {@link estimateExecutionGas}. */
export type EstimateExecutionGasParameters = {
  /** Length of `abi.encode(bundle)` in bytes. */
  payloadBytes: bigint | number
  /** Gas each call's recipient spends in `receiveMessage` (one entry per call). */
  recipientGas: readonly bigint[]
}

/**
 * The gas limit to buy for a bundle executed alone with `executeBundle` (the dearest way: in an
 * `executeBundles` of several, the transaction's cost is shared): `base + perCall × calls + perByte ×
 * payloadBytes + R + R / 32` with `R = Σ recipientGas` ({@link EXECUTION_GAS_MODEL}). test/contracts/fees.test.ts
 * pins it across payload sizes and call counts: never below what a relayer must supply (its gas estimate)
 * nor what the execution uses, at most 25% above what it uses.
 *
 * @example
 * ```ts
 * estimateExecutionGas({ payloadBytes: 416, recipientGas: [25_000n] })
 * ```
 */
export function estimateExecutionGas(parameters: EstimateExecutionGasParameters): bigint {
  const m = EXECUTION_GAS_MODEL
  const recipients = parameters.recipientGas.reduce((sum, gas) => sum + gas, 0n)
  return m.base + m.perCall * BigInt(parameters.recipientGas.length) + m.perByte * toUint(parameters.payloadBytes, 'payloadBytes') + recipients + recipients / m.recipientHeadroomDivisor
}

/**
 * The intrinsic gas of a transaction carrying `data`: 21,000 plus 4 per zero byte and 16 per other byte. What
 * `eth_estimateGas` of a call includes besides the call itself (the SDK removes it from a recipient's estimate).
 *
 * @example
 * ```ts
 * intrinsicGas('0x0001') // 21_020n
 * ```
 */
export function intrinsicGas(data: Hex): bigint {
  let gas = 21_000n
  for (let i = 2; i < data.length; i += 2) gas += data.slice(i, i + 2) === '00' ? 4n : 16n
  return gas
}
