import { keccak256, type Hex } from 'viem'
import { statement, type Store } from '../store/openStore.js'

/** A withdrawal's message leaf, as its chain's L2AssetRouter recorded it (docs/protocol.md §9, §9.13). */
export type WithdrawalLeaf = {
  /** keccak256 of the withdrawal message. */
  messageHash: Hex
  /** The payload hash of its leaf: `messageHash`, or on a private chain its blinded commitment `H(0x08 ‖ messageHash ‖ blinding)`. */
  payloadHash: Hex
  /** Set for a private chain's withdrawal: its blinding (`WithdrawalBlinded`), for `L1AssetRouter.finalizeBlindedWithdrawal`. */
  blinding?: Hex
}

/**
 * The leaf of withdrawal `message` of chain `chainId`, from the index: the payload hash its leaf holds (the
 * message's hash, or, when the index saw the chain's `WithdrawalBlinded` for it, its blinded commitment) and
 * the blinding. The one place a withdrawal's leaf is computed off-chain: proofs, batch reveals and value
 * summaries, chain balances. The blinding is indexed with the withdrawal (same transaction, same range), so
 * an indexed withdrawal without one is a public chain's.
 *
 * @example
 * ```ts
 * const { payloadHash, blinding } = withdrawalLeafOf(store, 4201, message)
 * ```
 */
export function withdrawalLeafOf(store: Store, chainId: number, message: Hex): WithdrawalLeaf {
  const messageHash = keccak256(message)
  const blinded = statement(store, 'SELECT blinding, commitment FROM withdrawal_blindings WHERE chain_id = ? AND payload_hash = ?').get(chainId, messageHash.toLowerCase()) as
    | { blinding: Hex; commitment: Hex }
    | undefined
  return blinded ? { messageHash, payloadHash: blinded.commitment, blinding: blinded.blinding } : { messageHash, payloadHash: messageHash }
}
