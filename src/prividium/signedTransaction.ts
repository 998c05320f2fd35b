// A raw transaction given to eth_sendRawTransaction, decoded exactly as the node will see it, and its
// sender. Pure (no I/O): bytes in, a decoded transaction or the reason it is refused out.
import { secp256k1 } from '@noble/curves/secp256k1'
import { bytesToHex, keccak256, parseTransaction, serializeTransaction, type Address, type Hex, type TransactionSerializable } from 'viem'
import { publicKeyToAddress } from 'viem/accounts'

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
 * With `signer`, the signature is first checked against that wallet's public key (a fixed-point check,
 * ~3× quicker than recovering the key); only if it is not that wallet's is the sender recovered.
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
/** Public keys with their multiples precomputed (8-bit windows: ~30 ms once, then ~0.5 ms a check), the most recent used last. */
const precomputed = new Map<string, InstanceType<typeof Point>>()
const PRECOMPUTED_KEYS = 256

/**
 * Whether (r, s, yParity) over `hash` recovers to `publicKey`, as Ethereum recovers it: the point
 * R' = (z/s)·G + (r/s)·P must have x = r exactly and the parity yParity. Equivalent to recovery (the
 * recovered key is r⁻¹(s·R − z·G) with R = (r, yParity)), without an arbitrary-point multiplication.
 *
 * @example
 * ```ts
 * signedBy(hash, r, s, yParity, publicKey) // true when the node will see publicKey's address as sender
 * ```
 */
export function signedBy(hash: Hex, r: bigint, s: bigint, yParity: number, publicKey: Hex): boolean {
  if (r <= 0n || r >= n || s <= 0n || s >= n || (yParity !== 0 && yParity !== 1)) return false
  let P = precomputed.get(publicKey)
  if (P === undefined) {
    try {
      P = Point.fromHex(publicKey.slice(2))
    } catch {
      return false
    }
    P._setWindowSize(8)
    if (precomputed.size >= PRECOMPUTED_KEYS) precomputed.delete(precomputed.keys().next().value!)
  } else precomputed.delete(publicKey)
  precomputed.set(publicKey, P)
  const w = inverse(s)
  const z = BigInt(hash) % n
  // multiply(), not multiplyUnsafe(): in @noble/curves 1.9 the latter is wrong on a point given its own
  // precomputed window (signedTransaction.test.ts pins the agreement with recovery).
  const u1 = (z * w) % n
  const R = (u1 === 0n ? Point.ZERO : Point.BASE.multiply(u1)).add(P.multiply((r * w) % n))
  if (R.equals(Point.ZERO)) return false
  const { x, y } = R.toAffine()
  return x === r && Number(y & 1n) === yParity
}

/** s⁻¹ mod n (extended Euclid; s is in [1, n)). */
function inverse(s: bigint): bigint {
  let [a, b, x0, x1] = [n, s, 0n, 1n]
  while (b !== 0n) {
    const q = a / b
    ;[a, b] = [b, a - q * b]
    ;[x0, x1] = [x1, x0 - q * x1]
  }
  return ((x0 % n) + n) % n
}

/** The address whose key signed `hash` (Ethereum's recovery: R = (r, yParity)); throws on an invalid signature. */
function recoverSender(hash: Hex, r: bigint, s: bigint, yParity: number): Address {
  const key = new secp256k1.Signature(r, s).addRecoveryBit(yParity).recoverPublicKey(hash.slice(2))
  return publicKeyToAddress(bytesToHex(key.toRawBytes(false)))
}
