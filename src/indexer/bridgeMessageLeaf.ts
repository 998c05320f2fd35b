import { keccak256, type Hex } from 'viem'
import { statement, type Store } from '../store/openStore.js'

/** A withdrawal's or transfer's message leaf, as its chain's L2AssetRouter recorded it (docs/protocol.md §9, §9.13). */
export type BridgeMessageLeaf = {
  /** keccak256 of the message. */
  messageHash: Hex
  /** The payload hash of its leaf: `messageHash`, or on a private chain its blinded commitment `H(0x08 ‖ messageHash ‖ blinding)`. */
  payloadHash: Hex
  /** Set for a private chain's message: its blinding (`WithdrawalBlinded`, `TransferBlinded`), for `L1AssetRouter.finalizeBlindedWithdrawal` and `finalizeBlindedTransfer`. */
  blinding?: Hex
}

/**
 * The leaf of bridge message `message` (a withdrawal or a transfer) of chain `chainId`, from the index: the
 * payload hash its leaf holds (the message's hash, or, when the index saw the chain's `WithdrawalBlinded` or
 * `TransferBlinded` for it, its blinded commitment) and the blinding. The one place a bridge message's leaf is
 * computed off-chain: proofs, batch reveals and value summaries, chain balances, the ledger keeper. The
 * blinding is indexed with the message (same transaction, same range), so an indexed message without one is a
 * public chain's.
 *
 * @example
 * ```ts
 * const { payloadHash, blinding } = bridgeMessageLeafOf(store, 4201, message)
 * ```
 */
export function bridgeMessageLeafOf(store: Store, chainId: number, message: Hex): BridgeMessageLeaf {
  const messageHash = keccak256(message)
  const blinded = statement(store, 'SELECT blinding, commitment FROM bridge_message_blindings WHERE chain_id = ? AND payload_hash = ?').get(chainId, messageHash.toLowerCase()) as
    | { blinding: Hex; commitment: Hex }
    | undefined
  return blinded ? { messageHash, payloadHash: blinded.commitment, blinding: blinded.blinding } : { messageHash, payloadHash: messageHash }
}
