import type { Address, Hex } from 'viem'
import type { NetworkManifest } from '../network/types.js'
import { topologyOf } from '../network/topology.js'
import type { InteropProof } from '../protocol/index.js'
import { statement, type Store } from '../store/openStore.js'
import { buildRoutedLeafProof, type ProofNotReadyReason } from './buildProofFromStore.js'
import { bridgeMessageLeafOf } from './bridgeMessageLeaf.js'

/** Parameters of {@link withdrawalProofOf}. */
export type WithdrawalProofOfParameters = {
  /** The ZK chain the withdrawal started on. */
  chainId: number
  /** The withdrawal's transaction on that chain. */
  transactionHash: Hex
}

/** What L1's `finalizeWithdrawal` / `finalizeBlindedWithdrawal` needs, with who sent the withdrawal. */
export type WithdrawalProof = {
  chainId: number
  /** The L2 account that withdrew (the permissioned RPC serves the proof only to it). */
  l2Sender: Address
  /** The withdrawal message, as L2AssetRouter recorded it. */
  message: Hex
  /** Set for a private chain's blinded leaf (docs/protocol.md §9.13): finalize with `finalizeBlindedWithdrawal`. */
  blinding?: Hex
  proof: InteropProof
}

/**
 * The proof that L1 finalizes withdrawal `transactionHash` of chain `chainId` with, built from an index
 * (`store`) that saw the withdrawal, its batch and the roots it settled under: the SDK's `finalizeWithdrawal`
 * with a local index, and a private chain's permissioned RPC with its operator's (`junction_getWithdrawalProof`).
 * `unknown` if the index holds no withdrawal in that transaction; otherwise the step the proof waits for
 * (with the sender, so that a permissioned RPC tells it only to the sender).
 *
 * @example
 * ```ts
 * const built = withdrawalProofOf(store, manifest, { chainId: 271, transactionHash })
 * if (built.ready) console.log(built.withdrawal.proof)
 * ```
 */
export function withdrawalProofOf(
  store: Store,
  manifest: Pick<NetworkManifest, 'l1' | 'chains' | 'accounts' | 'l2Contracts'>,
  { chainId, transactionHash }: WithdrawalProofOfParameters,
): { ready: true; withdrawal: WithdrawalProof } | { ready: false; reason: ProofNotReadyReason; l2Sender?: Address } {
  const row = statement(store, 'SELECT message, l2_sender, block_number, log_index FROM withdrawals WHERE chain_id = ? AND tx_hash = ?').get(chainId, transactionHash.toLowerCase()) as
    | { message: Hex; l2_sender: Address; block_number: number; log_index: number }
    | undefined
  if (!row) return { ready: false, reason: 'unknown' }
  const leaf = bridgeMessageLeafOf(store, chainId, row.message)
  const built = buildRoutedLeafProof(store, {
    topology: topologyOf(manifest, store),
    sourceChainId: chainId,
    destination: manifest.l1.chainId,
    sender: manifest.l2Contracts.l2AssetRouter,
    payloadHash: leaf.payloadHash,
    // Two identical withdrawals record the same leaf: prove this one.
    recordedBefore: { blockNumber: row.block_number, logIndex: row.log_index },
  })
  if (!built.ready) return { ready: false, reason: built.reason, l2Sender: row.l2_sender }
  return { ready: true, withdrawal: { chainId, l2Sender: row.l2_sender, message: row.message, ...(leaf.blinding === undefined ? {} : { blinding: leaf.blinding }), proof: built.proof } }
}
