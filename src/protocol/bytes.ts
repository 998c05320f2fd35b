// Internal byte helpers of the protocol mirror: fast, validating conversions between viem
// `Hex` strings and `Uint8Array`. Not part of the public API.
import type { Hex } from 'viem'
import { IntegerOutOfRangeError, InvalidHexValueError } from './errors.js'

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** 2^256 - 1, the largest uint256. */
export const MAX_UINT256 = (1n << 256n) - 1n

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48
  const lower = code | 0x20
  if (lower >= 97 && lower <= 102) return lower - 87
  return -1
}

/**
 * Lowercase `0x`-prefixed hex of `bytes`.
 *
 * @example
 * ```ts
 * bytesToHex(new Uint8Array([1, 255])) // '0x01ff'
 * ```
 */
export function bytesToHex(bytes: Uint8Array): Hex {
  let out = '0x'
  for (let i = 0; i < bytes.length; i++) out += HEX_BYTE[bytes[i]!]
  return out as Hex
}

/**
 * Bytes of a `0x`-prefixed hex string; `size` (in bytes) is checked when given.
 * Throws {@link InvalidHexValueError} naming `field`.
 *
 * @example
 * ```ts
 * hexToBytes('0x01ff', 'payload') // Uint8Array [1, 255]
 * ```
 */
export function hexToBytes(value: unknown, field: string, size?: number): Uint8Array {
  const expected = size === undefined ? 'a 0x-prefixed hex string of whole bytes' : `${size} bytes as 0x-prefixed hex`
  if (typeof value !== 'string' || value.length % 2 !== 0 || value[0] !== '0' || (value[1] !== 'x' && value[1] !== 'X'))
    throw new InvalidHexValueError({ field, expected, value })
  const length = (value.length - 2) / 2
  if (size !== undefined && length !== size) throw new InvalidHexValueError({ field, expected, value })
  const out = new Uint8Array(length)
  for (let i = 0, j = 2; i < length; i++, j += 2) {
    const hi = nibble(value.charCodeAt(j))
    const lo = nibble(value.charCodeAt(j + 1))
    if (hi < 0 || lo < 0) throw new InvalidHexValueError({ field, expected, value })
    out[i] = (hi << 4) | lo
  }
  return out
}

/** Checks that `bytes` is a `Uint8Array` of `size` bytes. */
export function assertBytes(bytes: unknown, field: string, size: number): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== size)
    throw new InvalidHexValueError({ field, expected: `a Uint8Array of ${size} bytes`, value: bytes })
}

/** A `Uint8Array` or a hex string, as 32 bytes. */
export function toBytes32(value: Uint8Array | Hex, field: string): Uint8Array {
  if (value instanceof Uint8Array) {
    assertBytes(value, field, 32)
    return value
  }
  return hexToBytes(value, field, 32)
}

/**
 * A `bigint` or safe-integer `number` as a `bigint` in `[0, max]`.
 *
 * @example
 * ```ts
 * toUint(5, 'count') // 5n
 * ```
 */
export function toUint(value: bigint | number, field: string, max: bigint = MAX_UINT256): bigint {
  let result: bigint
  if (typeof value === 'bigint') result = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) result = BigInt(value)
  else throw new IntegerOutOfRangeError({ field, value, max: max === MAX_UINT256 ? '2^256 - 1' : String(max) })
  if (result < 0n || result > max)
    throw new IntegerOutOfRangeError({ field, value, max: max === MAX_UINT256 ? '2^256 - 1' : String(max) })
  return result
}

/** `u256(x)`: writes `x` as 32 big-endian bytes into `out` at `offset`. */
export function writeUint256(out: Uint8Array, offset: number, value: bigint): void {
  let x = value
  for (let i = offset + 31; i >= offset; i--) {
    out[i] = Number(x & 0xffn)
    x >>= 8n
  }
}

/** True when every byte is zero. */
export function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false
  return true
}
