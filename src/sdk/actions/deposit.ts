import { erc20Abi, parseEventLogs, type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import type { NetworkManifest } from '../../network/types.js'

/** Parameters of {@link deposit}. */
export type DepositParameters = {
  manifest: NetworkManifest
  /** Destination ZK chain id. */
  chainId: number
  /** ERC-20 token on L1. */
  token: Address
  amount: bigint
  /** Receiver on the ZK chain (default: the sender). */
  to?: Address
}

/** What {@link deposit} resolves with. */
export type DepositReturnType = { assetId: Hex; requestIndex: bigint; transactionHash: Hex; receipt: TransactionReceipt }

/**
 * Deposits an ERC-20 token from L1 to a ZK chain through the shared bridge: approves the L1 token
 * vault, locks the tokens there (raising the chain's balance in the L1 ledger) and queues a
 * priority request that the chain must process, in order, to settle. `client` is an L1 wallet.
 *
 * @example
 * ```ts
 * const { requestIndex } = await deposit(l1Wallet, { manifest, chainId: 271, token, amount: 10n ** 18n })
 * ```
 */
export async function deposit<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: DepositParameters,
): Promise<DepositReturnType> {
  const wallet = client as unknown as WalletClient
  const { contracts } = parameters.manifest.l1
  await writeContractAndWait(wallet, { address: parameters.token, abi: erc20Abi, functionName: 'approve', args: [contracts.nativeTokenVault, parameters.amount], action: 'approve the vault', chainName: 'L1' })
  const receiver = parameters.to ?? client.account?.address
  if (!receiver) throw new Error('deposit: give `to` or use a client with an account')
  const { hash, receipt } = await writeContractAndWait(wallet, {
    address: contracts.assetRouter,
    abi: c.l1AssetRouterAbi,
    functionName: 'deposit',
    args: [BigInt(parameters.chainId), parameters.token, parameters.amount, receiver],
    chainName: 'L1',
  })
  const [event] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: receipt.logs, eventName: 'DepositInitiated' })
  if (!event) throw new Error(`transaction ${hash} emitted no DepositInitiated event`)
  const args = event.args as { assetId: Hex; requestIndex: bigint }
  return { assetId: args.assetId, requestIndex: args.requestIndex, transactionHash: hash, receipt }
}
