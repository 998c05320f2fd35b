import { parseEventLogs, type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import type { NetworkManifest } from '../../network/types.js'

/** Parameters of {@link withdraw}. */
export type WithdrawParameters = {
  manifest: NetworkManifest
  /** The asset (`assetId` from {@link deposit} or `L1NativeTokenVault.assetId(token)`). */
  assetId: Hex
  amount: bigint
  /** Receiver on L1 (default: the sender). */
  to?: Address
}

/** What {@link withdraw} resolves with: finalize it on L1 with {@link finalizeWithdrawal} once its batch is executed. */
export type WithdrawReturnType = { message: Hex; transactionHash: Hex; receipt: TransactionReceipt }

/**
 * Starts a withdrawal from a ZK chain to L1: burns the bridged tokens and records the withdrawal
 * message. `client` is a wallet on the ZK chain.
 *
 * @example
 * ```ts
 * const { transactionHash } = await withdraw(alphaWallet, { manifest, assetId, amount: 5n })
 * ```
 */
export async function withdraw<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: WithdrawParameters,
): Promise<WithdrawReturnType> {
  const wallet = client as unknown as WalletClient
  const receiver = parameters.to ?? client.account?.address
  if (!receiver) throw new Error('withdraw: give `to` or use a client with an account')
  const { hash, receipt } = await writeContractAndWait(wallet, {
    address: parameters.manifest.l2Contracts.l2AssetRouter,
    abi: c.l2AssetRouterAbi,
    functionName: 'withdraw',
    args: [parameters.assetId, parameters.amount, receiver],
    action: 'withdraw',
    chainName: client.chain?.name ?? 'the chain',
  })
  const [event] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'WithdrawalInitiated' })
  if (!event) throw new Error(`transaction ${hash} emitted no WithdrawalInitiated event`)
  return { message: (event.args as { message: Hex }).message, transactionHash: hash, receipt }
}
