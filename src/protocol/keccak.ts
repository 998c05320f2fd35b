import { createKeccak } from 'hash-wasm'
import type { Hex } from 'viem'
import { hexToBytes } from './bytes.js'

// keccak-256 on bytes for the protocol's hot paths (trees, proofs, leaves). hash-wasm's WebAssembly
// keccak with one reused hasher is about 8× faster here than @noble/hashes (`../shared/ENGINE-NOTES.md`
// and the property tests, which check it against @noble/hashes). JavaScript is single-threaded and a
// digest is taken before the next input, so one hasher serves every call.
const hasher = await createKeccak(256)

/**
 * keccak-256 of `data` (a new 32-byte array).
 *
 * @example
 * ```ts
 * const digest = keccak256Bytes(new Uint8Array(65))
 * ```
 */
export function keccak256Bytes(data: Uint8Array): Uint8Array {
  hasher.init()
  hasher.update(data)
  return hasher.digest('binary')
}

/**
 * keccak-256 of the bytes `value` spells (`0x`-prefixed hex), as lowercase hex: viem's `keccak256` on hex, at
 * hash-wasm's speed (a signed transaction of an `executeBundles` of 100 bundles is ~200 KB: ~15 ms with
 * @noble/hashes here, under 1 ms this way). Throws `InvalidHexValueError` naming `field` for anything but whole bytes of hex.
 *
 * @example
 * ```ts
 * keccak256Hex('0x') // '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'
 * ```
 */
export function keccak256Hex(value: Hex, field = 'value'): Hex {
  const bytes = hexToBytes(value, field)
  hasher.init()
  hasher.update(bytes)
  return `0x${hasher.digest('hex')}`
}
