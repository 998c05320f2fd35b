import { encodeFunctionData, keccak256, type Address, type Hex } from 'viem'
import * as c from '../../contracts/generated/index.js'
import { ContractRevertedError } from '../../errors/ContractRevertedError.js'
import { GasPriceUnknownError, RecipientGasUnknownError } from '../../errors/fees.js'
import { bundleVersionWord, encodeBundle, estimateExecutionGas, formatInteroperableAddress, intrinsicGas } from '../../protocol/index.js'
import type { JunctionIndex } from '../JunctionIndex.js'

/** Parameters of {@link estimateInteropFee}. */
export type EstimateInteropFeeParameters = {
  /** The chain the message is sent from (its InteropCenter quotes and takes the fee). */
  sourceChainId: number
  destinationChainId: number
  /** The bundle's calls as they reach the destination (a message is one call: its recipient and payload). */
  calls: readonly { to: Address; data: Hex; value?: bigint }[]
  /** The sender (the calls' `from`); only the bundle's length depends on it. Default: the zero address. */
  sender?: Address
  /** Gas each call's recipient spends; default: simulated from the InteropCenter on the destination. */
  recipientGas?: readonly bigint[]
}

/** What {@link estimateInteropFee} resolves with. */
export type EstimateInteropFeeReturnType = {
  /** Wei of the source's base token to pay with the send (`InteropCenter.quoteFee`). */
  fee: bigint
  /** Gas of the execution on the destination the fee buys (the `executionGasLimit` attribute). */
  gasLimit: bigint
  /** Length of `abi.encode(bundle)`. */
  payloadBytes: number
  /** The destination's gas price the source knows (wei per gas), and the settlement price. */
  executionWeiPerGas: bigint
  settlementWeiPerGas: bigint
  /** The settlement-layer block of the root the destination's price came with, and when it reached the source (seconds). */
  priceSlBlock: bigint
  priceImportedAt: bigint
}

/**
 * Quotes the fee of a message or bundle, paid once on the source chain in its base token (docs/fees.md):
 * the gas of its execution on the destination (the protocol's part from {@link estimateExecutionGas}, each
 * recipient's part simulated on the destination) at the destination's gas price, a share of settlement, and
 * the relayer's reward, as the source's `InteropCenter.quoteFee` computes it with the prices it imported.
 * Pass the result as `fee` to `sendMessage` / `sendBundle`.
 *
 * @example
 * ```ts
 * const fee = await estimateInteropFee(index, { sourceChainId: 271, destinationChainId: 272, calls: [{ to: recipient, data: '0x01' }] })
 * await alpha.sendMessage({ recipient: { chainId: 272, address: recipient }, payload: '0x01', fee })
 * ```
 */
export async function estimateInteropFee(index: JunctionIndex, parameters: EstimateInteropFeeParameters): Promise<EstimateInteropFeeReturnType> {
  const { manifest } = index
  const center = manifest.l2Contracts.interopCenter
  const sender = parameters.sender ?? '0x0000000000000000000000000000000000000000'
  const payloadBytes =
    (encodeBundle({
      // A bundle that pays a fee (its version word has the fee flag; the length is the same either way).
      version: bundleVersionWord(true),
      sourceChainId: BigInt(parameters.sourceChainId),
      destinationChainId: BigInt(parameters.destinationChainId),
      salt: `0x${'00'.repeat(32)}`,
      calls: parameters.calls.map((call) => ({ to: call.to, from: sender, value: call.value ?? 0n, data: call.data })),
      executionAddress: '0x0000000000000000000000000000000000000000',
      unbundler: '0x0000000000000000000000000000000000000000',
    }).length -
      2) /
    2
  const recipientGas = parameters.recipientGas ?? (await Promise.all(parameters.calls.map((call, i) => simulateRecipient(index, parameters, sender, call, i))))
  const gasLimit = estimateExecutionGas({ payloadBytes, recipientGas })
  const source = index.chain(parameters.sourceChainId)
  const rootStore = manifest.l2Contracts.interopRootStore
  const read = (chainId: number) => source.client.readContract({ address: rootStore, abi: c.interopRootStoreAbi, functionName: 'gasPrice', args: [BigInt(chainId)] })
  const [[executionWeiPerGas, priceSlBlock, priceImportedAt], [settlementWeiPerGas]] = await Promise.all([read(parameters.destinationChainId), read(manifest.l1.chainId)])
  if (executionWeiPerGas === 0n) throw new GasPriceUnknownError({ sourceChainId: parameters.sourceChainId, chainId: parameters.destinationChainId })
  let fee: bigint
  try {
    fee = await source.client.readContract({ address: center, abi: c.interopCenterAbi, functionName: 'quoteFee', args: [BigInt(parameters.destinationChainId), gasLimit, BigInt(payloadBytes)] })
  } catch (error) {
    const explained = source.explainRevert(error, 'quoteFee')
    if (explained instanceof ContractRevertedError && explained.errorName === 'GasPriceUnknown')
      throw new GasPriceUnknownError({ sourceChainId: parameters.sourceChainId, chainId: parameters.destinationChainId, cause: explained })
    throw explained
  }
  return { fee, gasLimit, payloadBytes, executionWeiPerGas, settlementWeiPerGas, priceSlBlock, priceImportedAt }
}

/** Gas the recipient of call `i` spends in `receiveMessage`, simulated from the InteropCenter on the destination (without the transaction's intrinsic cost). */
async function simulateRecipient(
  index: JunctionIndex,
  parameters: EstimateInteropFeeParameters,
  sender: Address,
  call: { to: Address; data: Hex; value?: bigint },
  callIndex: number,
): Promise<bigint> {
  const destination = index.chain(parameters.destinationChainId)
  const center = index.manifest.l2Contracts.interopCenter
  const data = encodeFunctionData({
    abi: c.standardRecipientAbi,
    functionName: 'receiveMessage',
    args: [keccak256('0x'), formatInteroperableAddress({ chainId: BigInt(parameters.sourceChainId), address: sender }), call.data],
  })
  const value = call.value ?? 0n
  try {
    const gas = await destination.client.estimateGas({
      account: center,
      to: call.to,
      data,
      value,
      ...(value === 0n ? {} : { stateOverride: [{ address: center, balance: value * 2n }] }),
    })
    return gas - intrinsicGas(data)
  } catch (cause) {
    throw new RecipientGasUnknownError({ callIndex, to: call.to, chainId: parameters.destinationChainId, cause })
  }
}
