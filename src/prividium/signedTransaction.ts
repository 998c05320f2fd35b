// A raw transaction given to eth_sendRawTransaction, decoded exactly as the node will see it, and its
// sender. Pure (no I/O): bytes in, a decoded transaction or the reason it is refused out.
import { secp256k1 } from '@noble/curves/secp256k1'
import { bytesToHex, keccak256, parseTransaction, serializeTransaction, type Address, type Hex, type TransactionSerializable } from 'viem'
import { publicKeyToAddress } from 'viem/accounts'
import { combinationIsPoint, inverseMod, multiplesTable, type MultiplesTable } from './publicMultiples.js'

/** A raw transaction the proxy may forward: its sender, target, calldata and the canonical bytes to send on. */
export type DecodedRawTransaction = {
  from: Address
  /** Absent for a contract creation. */
  to: Address | undefined
  data: Hex
  value: bigint
  type: 'legacy' | 'eip2930' | 'eip1559'
  /** The transaction re-encoded from what was checked (equal to the input, which must be canonical). */
  raw: Hex
}

export type DecodeRawTransactionReturnType = { ok: true; transaction: DecodedRawTransaction } | { ok: false; reason: string }

/** A wallet whose public key is known (from its sign-in): its raw transactions are checked against it without recovery. */
export type KnownSigner = { address: Address; publicKey: Hex }

/**
 * Decodes a signed transaction and finds its sender. Refuses: anything viem cannot parse, blob (EIP-4844)
 * and set-code (EIP-7702) transactions, unsigned ones, legacy ones without a chain id (EIP-155), another
 * chain's, and encodings that are not canonical (so the bytes forwarded are exactly the ones checked).
 *
 * With `signer`, the signature is first checked against that wallet's public key (`signedBy`, with
 * precomputed tables of G and of the key: 0.5–0.8 ms against 3.4 ms for noble's recovery, load ~7);
 * only if it is not that wallet's is the sender recovered.
 *
 * @example
 * ```ts
 * const decoded = decodeRawTransaction(raw, { chainId: 270, signer: { address, publicKey } })
 * if (decoded.ok) console.log(decoded.transaction.from, decoded.transaction.to)
 * ```
 */
export function decodeRawTransaction(raw: Hex, parameters: { chainId: number; signer?: KnownSigner | undefined }): DecodeRawTransactionReturnType {
  if (typeof raw !== 'string' || !/^0x([0-9a-fA-F]{2})+$/.test(raw)) return { ok: false, reason: 'the raw transaction is not hex bytes' }
  let parsed: ReturnType<typeof parseTransaction>
  try {
    parsed = parseTransaction(raw)
  } catch (error) {
    return { ok: false, reason: `not a signed transaction viem can decode: ${(error as Error).message.split('\n')[0]}` }
  }
  const type = parsed.type
  if (type !== 'legacy' && type !== 'eip2930' && type !== 'eip1559') return { ok: false, reason: `${type} transactions are refused (only legacy with a chain id, EIP-2930 and EIP-1559)` }
  const { r, s, yParity } = parsed as { r?: Hex; s?: Hex; yParity?: number }
  if (r === undefined || s === undefined || yParity === undefined) return { ok: false, reason: 'the transaction is not signed' }
  if (parsed.chainId === undefined) return { ok: false, reason: 'a legacy transaction without a chain id (EIP-155) could be replayed from any chain: refused' }
  if (parsed.chainId !== parameters.chainId) return { ok: false, reason: `the transaction is for chain ${parsed.chainId}, this is chain ${parameters.chainId}` }
  let canonical: Hex
  let signingHash: Hex
  try {
    const { r: _r, s: _s, v, yParity: _y, ...unsigned } = parsed as TransactionSerializable & { r: Hex; s: Hex; v?: bigint; yParity: number }
    canonical = serializeTransaction(unsigned as TransactionSerializable, { r, s, yParity, ...(v === undefined ? {} : { v }) })
    signingHash = keccak256(serializeTransaction(unsigned as TransactionSerializable))
  } catch (error) {
    return { ok: false, reason: `the transaction cannot be re-encoded: ${(error as Error).message.split('\n')[0]}` }
  }
  if (canonical.toLowerCase() !== raw.toLowerCase()) return { ok: false, reason: 'the transaction is not canonically encoded (RLP): re-encode it' }
  let from: Address
  if (parameters.signer && signedBy(signingHash, BigInt(r), BigInt(s), yParity, parameters.signer.publicKey)) from = parameters.signer.address
  else {
    try {
      from = recoverSender(signingHash, BigInt(r), BigInt(s), yParity)
    } catch (error) {
      return { ok: false, reason: `the signature recovers no sender: ${(error as Error).message.split('\n')[0]}` }
    }
  }
  return { ok: true, transaction: { from, to: parsed.to ?? undefined, data: parsed.data ?? '0x', value: parsed.value ?? 0n, type, raw: canonical } }
}

const Point = secp256k1.ProjectivePoint
const n = secp256k1.CURVE.n
/** The generator's table, built at the first check (~30 ms). */
let generatorTable: MultiplesTable | undefined
/** Public keys' tables (~30 ms each, then ~0.2 ms a check), the most recent used last. */
const keyTables = new Map<string, MultiplesTable>()
const KEY_TABLES = 256

/**
 * Whether (r, s, yParity) over `hash` recovers to `publicKey`, as Ethereum recovers it: the point
 * R' = (z/s)·G + (r/s)·P must have x = r exactly and the parity yParity. Equivalent to recovery (the
 * recovered key is r⁻¹(s·R − z·G) with R = (r, yParity)), without an arbitrary-point multiplication.
 * Variable time (publicMultiples.ts): r, s, the hash and the key are all public.
 *
 * @example
 * ```ts
 * signedBy(hash, r, s, yParity, publicKey) // true when the node will see publicKey's address as sender
 * ```
 */
export function signedBy(hash: Hex, r: bigint, s: bigint, yParity: number, publicKey: Hex): boolean {
  if (r <= 0n || r >= n || s <= 0n || s >= n || (yParity !== 0 && yParity !== 1)) return false
  let table = keyTables.get(publicKey)
  if (table === undefined) {
    let point: InstanceType<typeof Point>
    try {
      point = Point.fromHex(publicKey.slice(2)) // checked on the curve, not infinity
    } catch {
      return false
    }
    table = multiplesTable(point.toAffine())
    if (keyTables.size >= KEY_TABLES) keyTables.delete(keyTables.keys().next().value!)
  } else keyTables.delete(publicKey)
  keyTables.set(publicKey, table)
  generatorTable ??= multiplesTable(Point.BASE.toAffine())
  const w = inverseMod(s, n)
  const z = BigInt(hash) % n
  return combinationIsPoint({ u: (z * w) % n, a: generatorTable, v: (r * w) % n, b: table, x: r, yParity })
}

/** The address whose key signed `hash` (Ethereum's recovery: R = (r, yParity)); throws on an invalid signature. */
function recoverSender(hash: Hex, r: bigint, s: bigint, yParity: number): Address {
  const key = new secp256k1.Signature(r, s).addRecoveryBit(yParity).recoverPublicKey(hash.slice(2))
  return publicKeyToAddress(bytesToHex(key.toRawBytes(false)))
}
