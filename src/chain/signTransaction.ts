import { serializeTransaction, type Hex, type TransactionSerializableEIP1559 } from 'viem'
import { sign } from 'viem/accounts'
import { keccak256Hex } from '../protocol/keccak.js'

/** Parameters of {@link signTransaction}. */
export type SignTransactionParameters = {
  privateKey: Hex
  transaction: TransactionSerializableEIP1559
}

/**
 * The signed bytes of an EIP-1559 transaction, as viem's `account.signTransaction` makes them (serialize, hash,
 * sign, serialize with the signature: the same bytes, tested), with the hash taken by hash-wasm instead of
 * viem's JavaScript keccak. The relayer's `executeBundles` of 100 bundles is ~200 KB of calldata: viem hashed it
 * in ~15 ms, and its sender hashed the signed bytes once more for the transaction's hash (5.7 s of the relayer's
 * 24 s of CPU in a 10,000-message bench run); both now take under a millisecond.
 *
 * @example
 * ```ts
 * const raw = await signTransaction({ privateKey, transaction: { type: 'eip1559', chainId: 271, to, data, gas: 100_000n, nonce: 0, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n } })
 * const hash = keccak256Hex(raw)
 * ```
 */
export async function signTransaction(parameters: SignTransactionParameters): Promise<Hex> {
  const { privateKey, transaction } = parameters
  const signature = await sign({ hash: keccak256Hex(serializeTransaction(transaction)), privateKey })
  return serializeTransaction(transaction, signature)
}
