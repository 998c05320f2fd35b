import { getAbiItem, type Address, type Hex } from 'viem'
import * as c from '../contracts/generated/index.js'
import { JunctionError } from '../errors/JunctionError.js'
import { decodeFailedDepositMessage } from '../protocol/index.js'
import type { JunctionIndex } from './JunctionIndex.js'
import { findChain } from './loadManifest.js'

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

/** A failed deposit, as L1 queued it and the chain recorded its failure (protocol §9.8). */
export type FailedDeposit = {
  depositor: Address
  assetId: Hex
  amount: bigint
  /** The failed-deposit message the chain's priority inbox recorded. */
  message: Hex
  /** The request's hash in the chain's queue (what a depositor's signature names). */
  requestHash: Hex
  /** The chain's block that recorded the failure. */
  blockNumber: bigint
}

/**
 * Finds deposit `requestIndex` to `chainId`: its `DepositInitiated` on L1 and the chain's
 * `PriorityRequestFailed` for it. Throws {@link DepositNotFoundError}, {@link DepositNotProcessedError} or
 * {@link DepositNotFailedError}. Shared by `claimFailedDeposit` and `signFailedDepositClaim`.
 *
 * @example
 * ```ts
 * const { depositor, message } = await findFailedDeposit(index, { chainId: 271, requestIndex: 3n })
 * ```
 */
export async function findFailedDeposit(index: JunctionIndex, { chainId, requestIndex }: { chainId: number; requestIndex: bigint }): Promise<FailedDeposit> {
  const { manifest } = index
  const info = findChain(manifest, chainId)
  await index.sync()
  const deposits = await index.l1.client.getLogs({
    address: manifest.l1.contracts.assetRouter,
    event: getAbiItem({ abi: c.l1AssetRouterAbi, name: 'DepositInitiated' }),
    args: { chainId: BigInt(chainId) },
    fromBlock: 0n,
  })
  const deposit = deposits.find((log) => log.args.requestIndex === requestIndex)?.args
  if (!deposit) throw new DepositNotFoundError(chainId, requestIndex)
  const chain = index.chain(chainId)
  const inbox = { address: manifest.l2Contracts.priorityInbox, abi: c.l2PriorityInboxAbi } as const
  // Whether it was processed, and its failure, read at one block: the chain may process it in between.
  const head = await chain.client.getBlockNumber()
  const processed = (await chain.client.readContract({ ...inbox, functionName: 'processedCount', blockNumber: head })) as bigint
  if (processed <= requestIndex) throw new DepositNotProcessedError(chainId, requestIndex)
  const [failed] = await chain.client.getLogs({
    ...inbox,
    event: getAbiItem({ abi: c.l2PriorityInboxAbi, name: 'PriorityRequestFailed' }),
    args: { index: requestIndex },
    fromBlock: BigInt(info.genesis.lastBlock + 1),
    toBlock: head,
  })
  if (!failed) throw new DepositNotFailedError(chainId, requestIndex)
  const message = failed.args.message!
  return { depositor: deposit.depositor!, assetId: deposit.assetId!, amount: deposit.amount!, message, requestHash: decodeFailedDepositMessage(message).requestHash, blockNumber: failed.blockNumber }
}
