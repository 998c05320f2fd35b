import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, concat, getAddress, keccak256, numberToHex, pad, type Address, type Hex } from 'viem'
import { CallIndexOutOfRangeError, InvalidEncodingError } from './errors.js'
import {
  BundleStatus,
  INTEROP_BUNDLE_VERSION,
  bundleHash,
  bundleSalt,
  bundleNumber,
  decodeBundle,
  encodeBundle,
  messageSenderAddress,
  receiveId,
  type InteropBundle,
} from './bundle.js'

const alice: Address = '0x1111111111111111111111111111111111111111'
const bob: Address = '0x2222222222222222222222222222222222222222'
const word = (value: bigint | number) => numberToHex(value, { size: 32 })
const addressWord = (address: Address) => pad(address, { size: 32 })

const oneCall: InteropBundle = {
  version: INTEROP_BUNDLE_VERSION,
  sourceChainId: 270n,
  destinationChainId: 271n,
  salt: bundleSalt(7n),
  calls: [{ to: bob, from: alice, value: 0n, data: '0x1234' }],
  executionAddress: '0x0000000000000000000000000000000000000000',
  unbundler: '0x0000000000000000000000000000000000000000',
}

const addressArbitrary = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b)))
const uint256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n })
const callArbitrary = fc.record({
  to: addressArbitrary,
  from: addressArbitrary,
  value: uint256,
  data: fc.uint8Array({ maxLength: 100 }).map((b) => bytesToHex(b)),
})
const bundleArbitrary: fc.Arbitrary<InteropBundle> = fc.record({
  version: fc.oneof(fc.constant(1n), uint256),
  sourceChainId: uint256,
  destinationChainId: uint256,
  salt: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b)),
  calls: fc.array(callArbitrary, { maxLength: 5 }),
  executionAddress: addressArbitrary,
  unbundler: addressArbitrary,
})

describe('encodeBundle', () => {
  test('writes abi.encode(bundle) word by word as Solidity does', () => {
    const expected = concat([
      word(0x20), // offset of the bundle tuple (dynamic)
      word(1), word(270), word(271), oneCall.salt,
      word(7 * 32), // offset of calls, from the start of the tuple
      addressWord(oneCall.executionAddress), addressWord(oneCall.unbundler),
      word(1), // calls.length
      word(0x20), // offset of calls[0], from the start of the array's elements
      addressWord(bob), addressWord(alice), word(0), word(4 * 32), // to, from, value, offset of data
      word(2), pad('0x1234', { dir: 'right', size: 32 }),
    ])
    assert.equal(encodeBundle(oneCall), expected)
    assert.equal(bundleHash(oneCall), keccak256(expected))
  })
  test('hashes a bundle and its encoding to the same bundle hash', () => {
    assert.equal(bundleHash(encodeBundle(oneCall)), bundleHash(oneCall))
  })
})

describe('decodeBundle', () => {
  test('refuses bytes that are not a bundle', () => {
    assert.throws(() => decodeBundle('0x1234'), InvalidEncodingError)
    assert.throws(() => decodeBundle('0x'), InvalidEncodingError)
  })
  test('refuses a bundle encoding followed by extra bytes', () => {
    assert.throws(() => decodeBundle(`${encodeBundle(oneCall)}00`), InvalidEncodingError)
    assert.throws(() => decodeBundle(`${encodeBundle(oneCall)}${'00'.repeat(32)}`), /not canonical/)
  })
})

describe('bundle ids', () => {
  test('writes the salt as the bundle number in one 32-byte word, and reads it back', () => {
    assert.equal(bundleSalt(7n), word(7))
    assert.equal(bundleNumber({ salt: bundleSalt(7n) }), 7n)
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (n) => bundleNumber({ salt: bundleSalt(n) }) === n))
    assert.throws(() => bundleSalt(-1n))
  })
  test('derives the receiveId of call i as keccak256(abi.encode(bundleHash, i))', () => {
    const hash = bundleHash(oneCall)
    assert.equal(receiveId(hash, 0n), keccak256(concat([hash, word(0)])))
    assert.notEqual(receiveId(hash, 0), receiveId(hash, 1))
  })
  test('gives the recipient the ERC-7930 sender (sourceChainId, call.from)', () => {
    assert.equal(messageSenderAddress({ bundle: oneCall, callIndex: 0 }), `0x000100000201${'0e'}14${alice.slice(2)}`)
  })
  test('refuses a call index past the last call', () => {
    assert.throws(() => messageSenderAddress({ bundle: oneCall, callIndex: 1n }), CallIndexOutOfRangeError)
  })
  test('numbers the statuses 0 Unreceived, 1 Verified, 2 Executed, 3 Unbundled', () => {
    assert.deepEqual(BundleStatus, { Unreceived: 0, Verified: 1, Executed: 2, Unbundled: 3 })
  })
})

describe('bundle properties', () => {
  test('decode(encode(bundle)) gives back the bundle, and the hash binds every field', () => {
    fc.assert(
      fc.property(bundleArbitrary, (bundle) => {
        const encoded = encodeBundle(bundle)
        assert.deepEqual(decodeBundle(encoded), { ...bundle, calls: bundle.calls.map((call) => ({ ...call })) })
        assert.equal(bundleHash(encoded), bundleHash(bundle))
        assert.notEqual(bundleHash({ ...bundle, destinationChainId: bundle.destinationChainId ^ 1n }), bundleHash(bundle))
        assert.notEqual(bundleHash({ ...bundle, sourceChainId: bundle.sourceChainId ^ 1n }), bundleHash(bundle))
      }),
      { numRuns: 100 },
    )
  })

  test('decoding random bytes either fails with InvalidEncodingError or gives back exactly the input', () => {
    fc.assert(
      fc.property(bundleArbitrary, fc.nat(), fc.integer({ min: 1, max: 255 }), (bundle, position, xor) => {
        const bytes = Buffer.from(encodeBundle(bundle).slice(2), 'hex')
        bytes[position % bytes.length]! ^= xor
        const mutated = `0x${bytes.toString('hex')}` as Hex
        try {
          assert.equal(encodeBundle(decodeBundle(mutated)), mutated)
        } catch (error) {
          assert.ok(error instanceof InvalidEncodingError, String(error))
        }
      }),
      { numRuns: 100 },
    )
  })
})
