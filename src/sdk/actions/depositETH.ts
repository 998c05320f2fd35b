import { parseEventLogs, type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import type { NetworkManifest } from '../../network/types.js'

/** Parameters of {@link depositETH}. */
export type DepositETHParameters = {
  manifest: NetworkManifest
  /** Destination ZK chain id. */
  chainId: number
  /** Amount in wei. */
  amount: bigint
  /** Receiver on the ZK chain (default: the sender). */
  to?: Address
}

/** What {@link depositETH} resolves with. */
export type DepositETHReturnType = { assetId: Hex; requestIndex: bigint; requestHash: Hex; transactionHash: Hex; receipt: TransactionReceipt }

/**
 * Deposits ETH from L1 to a ZK chain (protocol §9.7): the L1 vault keeps the ETH (the chain's ETH
 * balance in the L1 ledger goes up) and a priority request has the chain release as much native ETH
 * from its base-token holder to the receiver. If the receiver refuses ETH the deposit fails on the
 * chain and {@link claimFailedDeposit} returns it. `client` is an L1 wallet.
 *
 * @example
 * ```ts
 * const { requestIndex } = await depositETH(l1Wallet, { manifest, chainId: 271, amount: parseEther('1') })
 * ```
 */
export async function depositETH<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: DepositETHParameters,
): Promise<DepositETHReturnType> {
  const wallet = client as unknown as WalletClient
  const receiver = parameters.to ?? client.account?.address
  if (!receiver) throw new Error('depositETH: give `to` or use a client with an account')
  const { hash, receipt } = await writeContractAndWait(wallet, {
    address: parameters.manifest.l1.contracts.assetRouter,
    abi: c.l1AssetRouterAbi,
    functionName: 'depositETH',
    args: [BigInt(parameters.chainId), receiver],
    value: parameters.amount,
    action: 'depositETH',
    chainName: 'L1',
  })
  const [event] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: receipt.logs, eventName: 'DepositInitiated' })
  const [queued] = parseEventLogs({ abi: c.chainSettlementAbi, logs: receipt.logs, eventName: 'PriorityRequestQueued' })
  if (!event || !queued) throw new Error(`transaction ${hash} emitted no DepositInitiated / PriorityRequestQueued event`)
  const args = event.args as { assetId: Hex; requestIndex: bigint }
  return { assetId: args.assetId, requestIndex: args.requestIndex, requestHash: (queued.args as { requestHash: Hex }).requestHash, transactionHash: hash, receipt }
}
