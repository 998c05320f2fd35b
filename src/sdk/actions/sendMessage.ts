import { type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import type { NetworkManifest } from '../../network/types.js'
import { encodeExecutionGasLimitAttribute, formatInteroperableAddress, parseInteroperableAddress, parseMessageAttributes } from '../../protocol/index.js'
import { sentBundlesOf } from '../../indexer/sentBundles.js'
import { findDestination } from '../loadManifest.js'

/** Parameters of {@link sendMessage}. */
export type SendMessageParameters = {
  /** The recipient: an ERC-7930 address, or its chain id and address. */
  recipient: Hex | { chainId: number | bigint; address: Address }
  /** Bytes handed to the recipient's `receiveMessage`. */
  payload: Hex
  /** ERC-7786 attributes: `executionAddress`, `unbundlerAddress`, `interopCallValue` (see src/protocol/attributes.ts). */
  attributes?: Hex[]
  /** The InteropCenter (ERC-7786 gateway) on the sending chain: `manifest.l2Contracts.interopCenter`. */
  interopCenter: Address
  /** ETH sent with the transaction: it must be the `interopCallValue` attribute (else `ValueMismatch`), plus `fee`. Default: that attribute's value plus `fee`. */
  value?: bigint
  /**
   * The fee for the message's execution, paid here with the transaction (docs/fees.md): wei beyond the call
   * value, and the gas it buys on the destination (the `executionGasLimit` attribute is added). Pass what
   * `estimateInteropFee` returns. Any fee, 0 wei too, opens a fee record that `topUpFee` can add to. Without
   * it the message has no record and pays nothing: a relayer that requires fees skips it, no top-up can change
   * that, and it can be executed by anyone who pays for the gas (`executeMessage`, self-relay).
   */
  fee?: { fee: bigint; gasLimit: bigint }
  /**
   * The network: when given (the bound `client.sendMessage` always gives it), a recipient on a chain that
   * is not one of its chains or its L1 is refused before sending (`ChainNotFoundError`); the InteropCenter
   * cannot tell, and such a message would never execute.
   */
  manifest?: NetworkManifest
}

/** What {@link sendMessage} resolves with. */
export type SendMessageReturnType = {
  /** Bundle hash: the ERC-7786 sendId and the id to follow the message with. */
  bundleHash: Hex
  /** The bundle as sent (`abi.encode(bundle)`, rebuilt from `MessageBundleSent` and `MessageSent`): what the destination's handler takes to execute it or read its status. */
  bundle: Hex
  transactionHash: Hex
  receipt: TransactionReceipt
}

/**
 * Sends an ERC-7786 message through the chain's InteropCenter and waits for it to be mined. With an
 * `interopCallValue` attribute, that much ETH is paid with the transaction and delivered with the
 * message on the destination (protocol §9.7).
 *
 * @example
 * ```ts
 * const { bundleHash } = await sendMessage(alphaWallet, {
 *   recipient: { chainId: 272, address: recipient },
 *   payload: '0x1234',
 *   interopCenter: manifest.l2Contracts.interopCenter,
 * })
 * ```
 */
export async function sendMessage<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: SendMessageParameters,
): Promise<SendMessageReturnType> {
  const recipient =
    typeof parameters.recipient === 'string'
      ? parameters.recipient
      : formatInteroperableAddress({ chainId: BigInt(parameters.recipient.chainId), address: parameters.recipient.address })
  const destination = parseInteroperableAddress(recipient).chainId
  if (parameters.manifest) findDestination(parameters.manifest, destination)
  const attributes = [...(parameters.attributes ?? []), ...(parameters.fee ? [encodeExecutionGasLimitAttribute(parameters.fee.gasLimit)] : [])]
  const value = parameters.value ?? parseMessageAttributes(attributes, destination).value + (parameters.fee?.fee ?? 0n)
  const { hash, receipt } = await writeContractAndWait(client as unknown as WalletClient, {
    address: parameters.interopCenter,
    abi: c.interopCenterAbi,
    functionName: 'sendMessage',
    args: [recipient, parameters.payload, attributes],
    value,
    action: 'sendMessage',
    chainName: client.chain?.name ?? 'the source chain',
  })
  const [sent] = sentBundlesOf(receipt.logs, parameters.interopCenter)
  if (!sent) throw new Error(`transaction ${hash} emitted no MessageBundleSent event`)
  const { bundleHash, bundle } = sent
  return { bundleHash, bundle, transactionHash: hash, receipt }
}
