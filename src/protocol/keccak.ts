import { createKeccak } from 'hash-wasm'

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
