import type { Hex, TransactionSerializableEIP1559 } from 'viem'
import { sign } from 'viem/accounts'
import { keccak256Bytes } from '../protocol/keccak.js'

/** Parameters of {@link signTransaction}. */
export type SignTransactionParameters = {
  privateKey: Hex
  transaction: TransactionSerializableEIP1559 & { chainId: number }
}

/** What {@link signTransaction} returns: the signed bytes, and the transaction's hash (their keccak). */
export type SignTransactionReturnType = { raw: Hex; hash: Hex }

/**
 * The signed bytes of an EIP-1559 transaction (`0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas,
 * gas, to, value, data, accessList, yParity, r, s])`, no access list), the same bytes as viem's
 * `account.signTransaction` (a fast-check property checks it), and its hash. It works on bytes, with hash-wasm's
 * keccak and Node's hex conversion: viem serializes through hex strings and hashes with a JavaScript keccak,
 * which took ~20 ms for the relayer's `executeBundles` of 100 bundles (~200 KB of calldata, serialized twice and
 * hashed twice), 2.6 s of the relayer's CPU in a 10,000-message bench run. The signature is viem's `sign`.
 *
 * @example
 * ```ts
 * const { raw, hash } = await signTransaction({ privateKey, transaction: { type: 'eip1559', chainId: 271, to, data, gas: 100_000n, nonce: 0, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n } })
 * ```
 */
export async function signTransaction(parameters: SignTransactionParameters): Promise<SignTransactionReturnType> {
  const { privateKey, transaction: tx } = parameters
  if (tx.accessList !== undefined && tx.accessList.length > 0) throw new RangeError('signTransaction: access lists are not supported')
  const fields = [
    integer(tx.chainId),
    integer(tx.nonce ?? 0),
    integer(tx.maxPriorityFeePerGas ?? 0n),
    integer(tx.maxFeePerGas ?? 0n),
    integer(tx.gas ?? 0n),
    tx.to ? bytesOf(tx.to, 'to') : EMPTY,
    integer(tx.value ?? 0n),
    tx.data ? bytesOf(tx.data, 'data') : EMPTY,
  ]
  const unsigned = typed(list([...fields.map(item), EMPTY_LIST]))
  const signature = await sign({ hash: toHex(keccak256Bytes(unsigned)), privateKey })
  const signed = typed(list([...fields.map(item), EMPTY_LIST, item(integer(signature.yParity ?? 0)), item(integer(BigInt(signature.r))), item(integer(BigInt(signature.s)))]))
  return { raw: toHex(signed), hash: toHex(keccak256Bytes(signed)) }
}

const EMPTY = new Uint8Array(0)
const EMPTY_LIST = Uint8Array.of(0xc0)
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/

function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`
}

function bytesOf(value: Hex, field: string): Uint8Array {
  if (!HEX.test(value)) throw new TypeError(`signTransaction: ${field} is not 0x-prefixed hex of whole bytes`)
  return Buffer.from(value.slice(2), 'hex')
}

/** A non-negative integer as RLP wants it: big-endian, no leading zero byte, zero as no bytes. */
function integer(value: bigint | number): Uint8Array {
  const n = BigInt(value)
  if (n < 0n) throw new RangeError(`signTransaction: a negative integer (${n})`)
  if (n === 0n) return EMPTY
  const hex = n.toString(16)
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex')
}

/** The RLP length prefix of a string (`offset` 0x80) or a list (0xc0) of `length` bytes. */
function prefix(offset: number, length: number): Uint8Array {
  if (length <= 55) return Uint8Array.of(offset + length)
  const size = integer(length)
  return Uint8Array.from([offset + 55 + size.length, ...size])
}

/** An RLP string. */
function item(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 1 && bytes[0]! < 0x80) return bytes
  return Buffer.concat([prefix(0x80, bytes.length), bytes])
}

/** An RLP list of encoded items. */
function list(items: Uint8Array[]): Uint8Array {
  const length = items.reduce((sum, i) => sum + i.length, 0)
  return Buffer.concat([prefix(0xc0, length), ...items])
}

/** An EIP-2718 typed transaction of type 2. */
function typed(payload: Uint8Array): Uint8Array {
  return Buffer.concat([Uint8Array.of(0x02), payload])
}
