import { type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import type { NetworkManifest } from '../../network/types.js'
import { encodeExecutionGasLimitAttribute, parseCallAttributes } from '../../protocol/index.js'
import { sentBundlesOf } from '../../indexer/sentBundles.js'
import { findDestination } from '../loadManifest.js'

/** One call of a bundle, as the sender describes it. */
export type BundleCallStarter = {
  /** Target on the destination chain (or, with an `indirectCall` attribute, the initiator on the source chain). */
  to: Address
  data: Hex
  /** Call attributes (`interopCallValue`, `indirectCall`), encoded (see src/protocol/attributes.ts). */
  attributes?: Hex[]
}

/** Parameters of {@link sendBundle}. */
export type SendBundleParameters = {
  destinationChainId: number | bigint
  calls: BundleCallStarter[]
  /** Bundle attributes (`executionAddress`, `unbundlerAddress`), encoded. */
  attributes?: Hex[]
  /** The InteropCenter on the sending chain: `manifest.l2Contracts.interopCenter`. */
  interopCenter: Address
  /**
   * ETH sent with the transaction: it must be the sum of every call's `interopCallValue` and
   * `indirectCall` value (else `ValueMismatch`). Default: that sum, read from the call attributes.
   */
  value?: bigint
  /**
   * The fee for the bundle's execution, paid here with the transaction beyond the call values
   * (docs/fees.md), and the gas it buys on the destination (the `executionGasLimit` attribute is added):
   * what `estimateInteropFee` returns. Any fee, 0 wei too, opens a fee record that `topUpFee` can add to.
   * Without it the bundle has no record and pays nothing: a relayer that requires fees skips it, no top-up
   * can change that, and anyone may still execute it (self-relay).
   */
  fee?: { fee: bigint; gasLimit: bigint }
  /**
   * The network: when given (the bound `client.sendBundle` always gives it), a destination that is not one
   * of its chains or its L1 is refused before sending (`ChainNotFoundError`). The InteropCenter itself
   * refuses only chain 0 and its own chain: a bundle to any other unknown chain id would go out and
   * never execute, its value lost.
   */
  manifest?: NetworkManifest
}

/** What {@link sendBundle} resolves with. */
export type SendBundleReturnType = {
  bundleHash: Hex
  /** The bundle as sent (`abi.encode(bundle)`, from `BundleSent`): what the destination's handler takes to execute it or read its status. */
  bundle: Hex
  transactionHash: Hex
  receipt: TransactionReceipt
}

/**
 * Sends several calls to one destination chain as one bundle: on the destination they run all or
 * none (or, when the bundle names an unbundler, call by call as it decides). A call's
 * `interopCallValue` is paid here with the transaction (burned into this chain's base-token holder)
 * and delivered with the call on the destination (protocol §9.7).
 *
 * @example
 * ```ts
 * const { bundleHash } = await sendBundle(alphaWallet, {
 *   destinationChainId: 272,
 *   calls: [{ to: a, data: '0x01' }, { to: b, data: '0x02' }],
 *   interopCenter: manifest.l2Contracts.interopCenter,
 * })
 * ```
 */
export async function sendBundle<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: SendBundleParameters,
): Promise<SendBundleReturnType> {
  if (parameters.manifest) findDestination(parameters.manifest, parameters.destinationChainId)
  const { hash, receipt } = await writeContractAndWait(client as unknown as WalletClient, {
    address: parameters.interopCenter,
    abi: c.interopCenterAbi,
    functionName: 'sendBundle',
    args: [
      BigInt(parameters.destinationChainId),
      parameters.calls.map((call) => ({ to: call.to, data: call.data, callAttributes: call.attributes ?? [] })),
      [...(parameters.attributes ?? []), ...(parameters.fee ? [encodeExecutionGasLimitAttribute(parameters.fee.gasLimit)] : [])],
    ],
    value: parameters.value ?? callValues(parameters.calls) + (parameters.fee?.fee ?? 0n),
    action: 'sendBundle',
    chainName: client.chain?.name ?? 'the source chain',
  })
  const [sent] = sentBundlesOf(receipt.logs, parameters.interopCenter)
  if (!sent) throw new Error(`transaction ${hash} emitted no BundleSent event`)
  const { bundleHash, bundle } = sent
  return { bundleHash, bundle, transactionHash: hash, receipt }
}

/** The sum of the calls' `interopCallValue` and `indirectCall` values (what `sendBundle` must be paid). */
function callValues(calls: readonly BundleCallStarter[]): bigint {
  return calls.reduce((sum, call) => {
    const { value, indirectValue } = parseCallAttributes(call.attributes ?? [])
    return sum + value + indirectValue
  }, 0n)
}
