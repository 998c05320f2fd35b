import { parseEventLogs, type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import type { NetworkManifest } from '../../network/types.js'

/** Parameters of {@link requestL2Call}. */
export type RequestL2CallParameters = {
  manifest: NetworkManifest
  /** Destination ZK chain id. */
  chainId: number
  /** The contract to call on the chain. */
  target: Address
  /** The calldata. */
  data: Hex
}

/** What {@link requestL2Call} resolves with. */
export type RequestL2CallReturnType = {
  /** The index of the priority request in the chain's queue (wait for it with `waitForDeposit`). */
  requestIndex: bigint
  transactionHash: Hex
  receipt: TransactionReceipt
}

/**
 * Asks a ZK chain, from L1, to make a call (a forced transaction, docs/protocol.md §9.12): a priority
 * request the chain must process in order and in time, which its L2AssetRouter makes
 * (`finalizeL1Call`: the target sees `msg.sender` = the L2AssetRouter and `l1CallSender()` = the L1
 * account). A private chain restricts these to allow-listed L1 senders: anyone else gets
 * `ContractRevertedError` `L1CallNotAllowed` (and may still deposit). `client` is an L1 wallet. The call
 * may still fail on the chain: the router then emits `L1CallFailed` and the request counts as processed.
 *
 * @example
 * ```ts
 * const { requestIndex } = await requestL2Call(l1Wallet, { manifest, chainId: 4201, target, data: encodeFunctionData({ abi, functionName: 'poke' }) })
 * ```
 */
export async function requestL2Call<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: RequestL2CallParameters,
): Promise<RequestL2CallReturnType> {
  const { hash, receipt } = await writeContractAndWait(client as unknown as WalletClient, {
    address: parameters.manifest.l1.contracts.assetRouter,
    abi: c.l1AssetRouterAbi,
    functionName: 'requestL2Call',
    args: [BigInt(parameters.chainId), parameters.target, parameters.data],
    action: 'requestL2Call',
    chainName: 'L1',
  })
  const [event] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: receipt.logs, eventName: 'L1CallRequested' })
  if (!event) throw new Error(`transaction ${hash} emitted no L1CallRequested event`)
  return { requestIndex: (event.args as { requestIndex: bigint }).requestIndex, transactionHash: hash, receipt }
}
