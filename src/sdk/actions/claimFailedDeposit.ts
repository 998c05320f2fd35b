import { isAddressEqual, keccak256, type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import { JunctionError } from '../../errors/JunctionError.js'
import { buildRoutedLeafProof } from '../../indexer/buildProofFromStore.js'
import { topologyOf } from '../../network/topology.js'
import { findFailedDeposit } from '../findFailedDeposit.js'
import type { JunctionIndex } from '../JunctionIndex.js'
import { ProofNotReadyError } from './getMessageProof.js'

/** Parameters of {@link claimFailedDeposit}. */
export type ClaimFailedDepositParameters = {
  /** The ZK chain the deposit was for. */
  chainId: number
  /** The deposit's priority request index in that chain's queue (`requestIndex` of `deposit` / `depositETH`). */
  requestIndex: bigint | number
  /**
   * Where the funds go on L1 (default: the depositor). Another address takes the depositor's word: the
   * client's account is the depositor, or `signature` is its signature ({@link DepositorSignatureRequiredError}
   * otherwise). For a depositor that cannot take them back, e.g. a contract that refuses ETH.
   */
  to?: Address
  /** The depositor's signature of the claim paid to `to` (`signFailedDepositClaim`; ERC-1271 for a contract depositor). */
  signature?: Hex
}

/** What {@link claimFailedDeposit} resolves with. */
export type ClaimFailedDepositReturnType = {
  /** The depositor (as in `DepositInitiated`). */
  depositor: Address
  /** Who got the deposit on L1: the depositor, or the address it named. */
  to: Address
  assetId: Hex
  amount: bigint
  transactionHash: Hex
  receipt: TransactionReceipt
}

/** A claim names another address than the depositor, but the caller is not the depositor and gave no signature of it. */
export class DepositorSignatureRequiredError extends JunctionError {
  override name = 'DepositorSignatureRequiredError'
  constructor(depositor: Address, to: Address) {
    super(`paying the failed deposit of ${depositor} to ${to} needs the depositor's authorisation`, {
      details: 'Claim from the depositor\'s own account, or pass `signature`: the depositor signs the claim with signFailedDepositClaim (a contract depositor answers through ERC-1271, or calls claimFailedDepositTo itself).',
    })
  }
}

/**
 * Returns a failed deposit on L1 (protocol §9.8): finds the chain's `PriorityRequestFailed` for the request
 * and the deposit's `DepositInitiated` on L1, proves the failed-deposit message the chain's priority inbox
 * recorded (once its batch is executed on L1; {@link ProofNotReadyError} before) and has
 * `L1AssetRouter.claimFailedDeposit` release the tokens or ETH from the chain's balance to the depositor,
 * once. With `to`, `claimFailedDepositTo` pays that address instead, on the depositor's authorisation (its
 * own call, or its `signature`). `client` is an L1 wallet: anyone may claim for the depositor. Before the
 * chain processed the request: `DepositNotProcessedError`; a deposit that succeeded: `DepositNotFailedError`.
 *
 * @example
 * ```ts
 * const { requestIndex } = await depositETH(l1Wallet, { manifest, chainId: 271, amount, to: contractThatRefusesEth })
 * await claimFailedDeposit(l1Wallet, index, { chainId: 271, requestIndex })
 * // a depositor that refuses ETH names another address, and signs for it:
 * const { signature } = await signFailedDepositClaim(depositorWallet, index, { chainId: 271, requestIndex, to })
 * await claimFailedDeposit(anyL1Wallet, index, { chainId: 271, requestIndex, to, signature })
 * ```
 */
export async function claimFailedDeposit<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  parameters: ClaimFailedDepositParameters,
): Promise<ClaimFailedDepositReturnType> {
  const { manifest } = index
  const deposit = await findFailedDeposit(index, { chainId: parameters.chainId, requestIndex: BigInt(parameters.requestIndex) })
  const to = parameters.to ?? deposit.depositor
  const elsewhere = !isAddressEqual(to, deposit.depositor)
  const byDepositor = client.account !== undefined && isAddressEqual(client.account.address, deposit.depositor)
  if (elsewhere && !byDepositor && parameters.signature === undefined) throw new DepositorSignatureRequiredError(deposit.depositor, to)
  const built = buildRoutedLeafProof(index.store, {
    topology: topologyOf(manifest, index.store),
    sourceChainId: parameters.chainId,
    destination: manifest.l1.chainId,
    sender: manifest.l2Contracts.priorityInbox,
    payloadHash: keccak256(deposit.message),
    blockNumber: Number(deposit.blockNumber),
  })
  if (!built.ready) throw new ProofNotReadyError(keccak256(deposit.message), built.reason)
  const fields = [BigInt(parameters.chainId), deposit.depositor, deposit.assetId, deposit.amount, deposit.message, built.proof] as const
  const call = elsewhere
    ? { functionName: 'claimFailedDepositTo', args: [...fields, to, byDepositor ? '0x' : parameters.signature!] }
    : { functionName: 'claimFailedDeposit', args: fields }
  const { hash, receipt } = await writeContractAndWait(client as unknown as WalletClient, {
    address: manifest.l1.contracts.assetRouter,
    abi: c.l1AssetRouterAbi,
    ...call,
    action: call.functionName,
    chainName: index.l1.name,
  })
  return { depositor: deposit.depositor, to, assetId: deposit.assetId, amount: deposit.amount, transactionHash: hash, receipt }
}
