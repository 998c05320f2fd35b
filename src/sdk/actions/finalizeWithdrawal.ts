import { type Account, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import { buildRoutedLeafProof } from '../../indexer/buildProofFromStore.js'
import { withdrawalLeafOf } from '../../indexer/withdrawalLeaf.js'
import { topologyOf } from '../../network/topology.js'
import type { JunctionIndex } from '../JunctionIndex.js'
import { ProofNotReadyError } from './getMessageProof.js'

/** Parameters of {@link finalizeWithdrawal}. */
export type FinalizeWithdrawalParameters = {
  /** The ZK chain the withdrawal started on. */
  chainId: number
  /** The withdrawal's transaction on that chain. */
  transactionHash: Hex
}

/** What {@link finalizeWithdrawal} resolves with. */
export type FinalizeWithdrawalReturnType = {
  transactionHash: Hex
  receipt: TransactionReceipt
  /** Whether the withdrawal was a private chain's, recorded blinded and finalized with `finalizeBlindedWithdrawal` (docs/protocol.md §9.13). */
  blinded: boolean
}

/**
 * Finalizes a withdrawal on L1 once the batch that holds it is executed there: proves the
 * withdrawal message against L1's own root history and releases the tokens from the vault (the
 * chain's balance in the L1 ledger goes down; a chain can never take out more than it holds).
 * Each withdrawal finalizes once. `client` is an L1 wallet (anyone may finalize; the tokens go to
 * the receiver named in the withdrawal). A private chain's withdrawal, whose leaf is blinded (docs/protocol.md
 * §9.13), is finalized with its blinding (`finalizeBlindedWithdrawal`): the index must be the operator's, which
 * saw the chain's `WithdrawalBlinded`.
 *
 * @example
 * ```ts
 * await finalizeWithdrawal(l1Wallet, index, { chainId: 271, transactionHash })
 * ```
 */
export async function finalizeWithdrawal<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  parameters: FinalizeWithdrawalParameters,
): Promise<FinalizeWithdrawalReturnType> {
  await index.sync()
  const row = index.store.prepare('SELECT message, block_number, log_index FROM withdrawals WHERE chain_id = ? AND tx_hash = ?').get(parameters.chainId, parameters.transactionHash) as
    | { message: Hex; block_number: number; log_index: number }
    | undefined
  if (!row) throw new ProofNotReadyError(parameters.transactionHash, 'unknown')
  const { manifest } = index
  const leaf = withdrawalLeafOf(index.store, parameters.chainId, row.message)
  const built = buildRoutedLeafProof(index.store, {
    topology: topologyOf(manifest, index.store),
    sourceChainId: parameters.chainId,
    destination: manifest.l1.chainId,
    sender: manifest.l2Contracts.l2AssetRouter,
    payloadHash: leaf.payloadHash,
    // Two identical withdrawals record the same leaf: prove this one.
    recordedBefore: { blockNumber: row.block_number, logIndex: row.log_index },
  })
  if (!built.ready) throw new ProofNotReadyError(parameters.transactionHash, built.reason)
  const router = { address: manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi, chainName: index.l1.name } as const
  const { hash, receipt } = await writeContractAndWait(
    client as unknown as WalletClient,
    leaf.blinding === undefined
      ? { ...router, functionName: 'finalizeWithdrawal', args: [BigInt(parameters.chainId), row.message, built.proof] }
      : { ...router, functionName: 'finalizeBlindedWithdrawal', args: [BigInt(parameters.chainId), row.message, leaf.blinding, built.proof] },
  )
  return { transactionHash: hash, receipt, blinded: leaf.blinding !== undefined }
}
