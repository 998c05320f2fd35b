import type { Account, Chain, Hex, Transport, WalletClient } from 'viem'
import { withdrawalProofOf } from '../../indexer/withdrawalProof.js'
import type { JunctionIndex } from '../JunctionIndex.js'
import { finalizeProvenWithdrawal, type FinalizeProvenWithdrawalReturnType } from './finalizeProvenWithdrawal.js'
import { ProofNotReadyError } from './getMessageProof.js'

/** Parameters of {@link finalizeWithdrawal}. */
export type FinalizeWithdrawalParameters = {
  /** The ZK chain the withdrawal started on. */
  chainId: number
  /** The withdrawal's transaction on that chain. */
  transactionHash: Hex
}

/** What {@link finalizeWithdrawal} resolves with. */
export type FinalizeWithdrawalReturnType = FinalizeProvenWithdrawalReturnType

/**
 * Finalizes a withdrawal on L1 once the batch that holds it is executed there: proves the
 * withdrawal message against L1's own root history and releases the tokens from the vault (the
 * chain's balance in the L1 ledger goes down; a chain can never take out more than it holds).
 * Each withdrawal finalizes once. `client` is an L1 wallet (anyone may finalize; the tokens go to
 * the receiver named in the withdrawal). A private chain's withdrawal, whose leaf is blinded (docs/protocol.md
 * §9.13), is finalized with its blinding (`finalizeBlindedWithdrawal`): the index must be the operator's, which
 * saw the chain's `WithdrawalBlinded`; a member without it asks the chain's permissioned RPC
 * (`getWithdrawalProof`) and sends that with `finalizeProvenWithdrawal`.
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
  const built = withdrawalProofOf(index.store, index.manifest, parameters)
  if (!built.ready) throw new ProofNotReadyError(parameters.transactionHash, built.reason)
  return finalizeProvenWithdrawal(client, { assetRouter: index.manifest.l1.contracts.assetRouter, withdrawal: built.withdrawal })
}
