import type { Account, Address, Chain, TransactionReceipt, Transport, WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import type { WithdrawalProof } from '../../indexer/withdrawalProof.js'

/** Parameters of {@link finalizeProvenWithdrawal}. */
export type FinalizeProvenWithdrawalParameters = {
  /** L1's asset router (`manifest.l1.contracts.assetRouter`). */
  assetRouter: Address
  /** The withdrawal and its proof (`getWithdrawalProof` from a private chain's RPC, or an index). */
  withdrawal: WithdrawalProof
}

/** What {@link finalizeProvenWithdrawal} resolves with. */
export type FinalizeProvenWithdrawalReturnType = {
  transactionHash: `0x${string}`
  receipt: TransactionReceipt
  /** Whether the leaf was blinded (a private chain's) and finalized with `finalizeBlindedWithdrawal` (docs/protocol.md §9.13). */
  blinded: boolean
}

/**
 * Sends a proven withdrawal to L1: `finalizeWithdrawal`, or `finalizeBlindedWithdrawal` with its blinding for a
 * private chain's. L1 checks the proof against its own root history and pays the receiver the withdrawal names,
 * once. `client` is any L1 wallet.
 *
 * @example
 * ```ts
 * await finalizeProvenWithdrawal(l1Wallet, { assetRouter: manifest.l1.contracts.assetRouter, withdrawal })
 * ```
 */
export async function finalizeProvenWithdrawal<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  { assetRouter, withdrawal }: FinalizeProvenWithdrawalParameters,
): Promise<FinalizeProvenWithdrawalReturnType> {
  const router = { address: assetRouter, abi: c.l1AssetRouterAbi, chainName: client.chain?.name ?? 'L1' } as const
  const chainId = BigInt(withdrawal.chainId)
  const { hash, receipt } = await writeContractAndWait(
    client as unknown as WalletClient,
    withdrawal.blinding === undefined
      ? { ...router, functionName: 'finalizeWithdrawal', args: [chainId, withdrawal.message, withdrawal.proof] }
      : { ...router, functionName: 'finalizeBlindedWithdrawal', args: [chainId, withdrawal.message, withdrawal.blinding, withdrawal.proof] },
  )
  return { transactionHash: hash, receipt, blinded: withdrawal.blinding !== undefined }
}
