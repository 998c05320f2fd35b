import { parseEventLogs, type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import type { NetworkManifest } from '../../network/types.js'

/** Parameters of {@link withdrawETH}. */
export type WithdrawETHParameters = {
  manifest: NetworkManifest
  /** Amount in wei (sent with the transaction). */
  amount: bigint
  /** Receiver on L1 (default: the sender). */
  to?: Address
}

/** What {@link withdrawETH} resolves with: finalize it on L1 with `finalizeWithdrawal` once its batch is executed. */
export type WithdrawETHReturnType = { message: Hex; transactionHash: Hex; receipt: TransactionReceipt }

/**
 * Starts a withdrawal of native ETH from a ZK chain to L1 (protocol §9.7): the ETH is paid into the
 * chain's base-token holder (it leaves the chain) and the withdrawal message is recorded. Once the
 * batch is executed on L1, `finalizeWithdrawal` releases the ETH from the L1 vault (never more than
 * the chain's ETH balance in the ledger). `client` is a wallet on the ZK chain.
 *
 * @example
 * ```ts
 * const { transactionHash } = await withdrawETH(alphaWallet, { manifest, amount: parseEther('0.5') })
 * await finalizeWithdrawal(l1Wallet, index, { chainId: 271, transactionHash })
 * ```
 */
export async function withdrawETH<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: WithdrawETHParameters,
): Promise<WithdrawETHReturnType> {
  const wallet = client as unknown as WalletClient
  const receiver = parameters.to ?? client.account?.address
  if (!receiver) throw new Error('withdrawETH: give `to` or use a client with an account')
  const { hash, receipt } = await writeContractAndWait(wallet, {
    address: parameters.manifest.l2Contracts.l2AssetRouter,
    abi: c.l2AssetRouterAbi,
    functionName: 'withdrawETH',
    args: [receiver],
    value: parameters.amount,
    action: 'withdrawETH',
    chainName: client.chain?.name ?? 'the chain',
  })
  const [event] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'WithdrawalInitiated' })
  if (!event) throw new Error(`transaction ${hash} emitted no WithdrawalInitiated event`)
  return { message: (event.args as { message: Hex }).message, transactionHash: hash, receipt }
}
