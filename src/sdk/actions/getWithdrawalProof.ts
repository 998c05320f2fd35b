import { BaseError, type Client, type Hex, type Transport } from 'viem'
import { WithdrawalProofUnavailableError } from '../../errors/withdrawals.js'
import type { WithdrawalProof } from '../../indexer/withdrawalProof.js'
import { NOT_READY } from '../../prividium/jsonRpc.js'
import { parseWithdrawalProofRpc } from '../../prividium/withdrawalProofs.js'

/** Parameters of {@link getWithdrawalProof}. */
export type GetWithdrawalProofParameters = {
  /** The withdrawal's transaction on the private chain. */
  transactionHash: Hex
}

/** What {@link getWithdrawalProof} resolves with: what {@link finalizeProvenWithdrawal} sends to L1. */
export type GetWithdrawalProofReturnType = WithdrawalProof

/**
 * Asks a private chain's permissioned RPC for the proof of one's own withdrawal
 * (`junction_getWithdrawalProof`). A private chain publishes no batch data, so only its operator can build
 * the path of the withdrawal's leaf; the RPC serves it, with the leaf's blinding, to the withdrawal's sender
 * once its batch is executed on L1. `client` reads through the RPC signed in as the sender (the `prividium`
 * SDK's `prividium.transport`). Throws {@link WithdrawalProofUnavailableError} (`notReady` when it only waits
 * for its batch).
 *
 * @example
 * ```ts
 * const withdrawal = await getWithdrawalProof(bankAClient, { transactionHash })
 * await finalizeProvenWithdrawal(l1Wallet, { assetRouter: manifest.l1.contracts.assetRouter, withdrawal })
 * ```
 */
export async function getWithdrawalProof(client: Client<Transport>, { transactionHash }: GetWithdrawalProofParameters): Promise<GetWithdrawalProofReturnType> {
  let answer: unknown
  try {
    answer = await client.request({ method: 'junction_getWithdrawalProof', params: [transactionHash] } as never)
  } catch (error) {
    // viem turns a JSON-RPC error into an error with its code (-32002: ResourceUnavailableRpcError).
    const coded = error instanceof BaseError ? (error.walk((e) => typeof (e as { code?: unknown }).code === 'number') as { code: number } | null) : null
    const code = coded?.code
    throw new WithdrawalProofUnavailableError(transactionHash, { notReady: code === NOT_READY, cause: error })
  }
  return parseWithdrawalProofRpc(answer)
}
