import { getAbiItem, keccak256, type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { waitForTransactionReceipt, writeContract } from 'viem/actions'
import * as c from '../../contracts/generated/index.js'
import { JunctionError } from '../../errors/JunctionError.js'
import { buildRoutedLeafProof } from '../../indexer/buildProofFromStore.js'
import { topologyOf } from '../../network/topology.js'
import type { JunctionIndex } from '../JunctionIndex.js'
import { ProofNotReadyError } from './getMessageProof.js'

/** Parameters of {@link claimFailedDeposit}. */
export type ClaimFailedDepositParameters = {
  /** The ZK chain the deposit was for. */
  chainId: number
  /** The deposit's priority request index in that chain's queue (`requestIndex` of `deposit` / `depositETH`). */
  requestIndex: bigint | number
}

/** What {@link claimFailedDeposit} resolves with. */
export type ClaimFailedDepositReturnType = {
  /** Who got the deposit back on L1. */
  depositor: Address
  assetId: Hex
  amount: bigint
  transactionHash: Hex
  receipt: TransactionReceipt
}

/** L1 queued no deposit with this request index for the chain. */
export class DepositNotFoundError extends JunctionError {
  override name = 'DepositNotFoundError'
  constructor(chainId: number, requestIndex: bigint) {
    super(`no deposit with request index ${requestIndex} was queued for chain ${chainId}`, { details: 'Use the requestIndex printed by deposit / depositETH (DepositInitiated on the L1 asset router).' })
  }
}

/** The chain has not processed the deposit yet (its priority processor must run): retry later. */
export class DepositNotProcessedError extends JunctionError {
  override name = 'DepositNotProcessedError'
  constructor(chainId: number, requestIndex: bigint) {
    super(`chain ${chainId} has not processed deposit ${requestIndex} yet`, { details: "The chain's operator processes its L1 queue in order; retry once it has." })
  }
}

/** The chain processed the deposit successfully: there is nothing to claim. */
export class DepositNotFailedError extends JunctionError {
  override name = 'DepositNotFailedError'
  constructor(chainId: number, requestIndex: bigint) {
    super(`deposit ${requestIndex} to chain ${chainId} did not fail: it was delivered on the chain`, { details: 'Only a deposit whose call failed on the chain (PriorityRequestFailed) can be claimed back on L1.' })
  }
}

/**
 * Returns a failed deposit to its depositor on L1 (protocol §9.8): finds the chain's
 * `PriorityRequestFailed` for the request and the deposit's `DepositInitiated` on L1, proves the
 * failed-deposit message the chain's priority inbox recorded (once its batch is executed on L1;
 * {@link ProofNotReadyError} before) and calls `L1AssetRouter.claimFailedDeposit`, which releases the
 * tokens or ETH from the chain's balance to the depositor, once. `client` is an L1 wallet: anyone may
 * claim, the funds go to the depositor. Before the chain processed the request:
 * {@link DepositNotProcessedError}; a deposit that succeeded: {@link DepositNotFailedError}.
 *
 * @example
 * ```ts
 * const { requestIndex } = await depositETH(l1Wallet, { manifest, chainId: 271, amount, to: contractThatRefusesEth })
 * await claimFailedDeposit(l1Wallet, index, { chainId: 271, requestIndex })
 * ```
 */
export async function claimFailedDeposit<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  parameters: ClaimFailedDepositParameters,
): Promise<ClaimFailedDepositReturnType> {
  const { manifest } = index
  const requestIndex = BigInt(parameters.requestIndex)
  const info = manifest.chains.find((chain) => chain.chainId === parameters.chainId)
  if (!info) throw new Error(`chain ${parameters.chainId} is not part of this network`)
  await index.sync()
  const deposits = await index.l1.client.getLogs({
    address: manifest.l1.contracts.assetRouter,
    event: getAbiItem({ abi: c.l1AssetRouterAbi, name: 'DepositInitiated' }),
    args: { chainId: BigInt(parameters.chainId) },
    fromBlock: 0n,
  })
  const deposit = deposits.find((log) => log.args.requestIndex === requestIndex)?.args
  if (!deposit) throw new DepositNotFoundError(parameters.chainId, requestIndex)
  const chain = index.chain(parameters.chainId)
  const inbox = { address: manifest.l2Contracts.priorityInbox, abi: c.l2PriorityInboxAbi } as const
  const [failed] = await chain.client.getLogs({
    ...inbox,
    event: getAbiItem({ abi: c.l2PriorityInboxAbi, name: 'PriorityRequestFailed' }),
    args: { index: requestIndex },
    fromBlock: BigInt(info.genesis.lastBlock + 1),
  })
  if (!failed) {
    const processed = (await chain.client.readContract({ ...inbox, functionName: 'processedCount' })) as bigint
    if (processed > requestIndex) throw new DepositNotFailedError(parameters.chainId, requestIndex)
    throw new DepositNotProcessedError(parameters.chainId, requestIndex)
  }
  const message = failed.args.message!
  const built = buildRoutedLeafProof(index.store, {
    topology: topologyOf(manifest, index.store),
    sourceChainId: parameters.chainId,
    destination: manifest.l1.chainId,
    sender: manifest.l2Contracts.priorityInbox,
    payloadHash: keccak256(message),
    blockNumber: Number(failed.blockNumber),
  })
  if (!built.ready) throw new ProofNotReadyError(keccak256(message), built.reason)
  const hash = await writeContract(client as unknown as WalletClient, {
    address: manifest.l1.contracts.assetRouter,
    abi: c.l1AssetRouterAbi,
    functionName: 'claimFailedDeposit',
    args: [BigInt(parameters.chainId), deposit.depositor!, deposit.assetId!, deposit.amount!, message, built.proof],
    chain: client.chain ?? null,
    account: client.account ?? null,
  } as never).catch((error: unknown) => {
    throw index.l1.explainRevert(error, 'claimFailedDeposit')
  })
  const receipt = await waitForTransactionReceipt(client as unknown as WalletClient, { hash, pollingInterval: 10 })
  return { depositor: deposit.depositor!, assetId: deposit.assetId!, amount: deposit.amount!, transactionHash: hash, receipt }
}
