import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, getAddress, type Hex } from 'viem'
import { JunctionError } from '../errors/JunctionError.js'
import { InvalidInteroperableAddressError } from './errors.js'
import { chainReference, formatInteroperableAddress, parseInteroperableAddress } from './interoperableAddress.js'

const vitalik = '0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045'
const vitalikLower = vitalik.slice(2).toLowerCase()

function refuses(value: string, pattern: RegExp): void {
  assert.throws(
    () => parseInteroperableAddress(value as Hex),
    (error: unknown) => error instanceof InvalidInteroperableAddressError && error instanceof JunctionError && pattern.test(error.message),
  )
}

describe('chainReference', () => {
  test('encodes chain id 1 as the single byte 0x01', () => {
    assert.equal(chainReference(1), '0x01')
  })
  test('encodes chain id 0x100 as 0x0100, big-endian and minimal', () => {
    assert.equal(chainReference(0x100), '0x0100')
    assert.equal(chainReference(0xffn), '0xff')
    assert.equal(chainReference(2n ** 256n - 1n), `0x${'ff'.repeat(32)}`)
  })
  test('refuses chain id 0, negative ids, fractions and ids of 2^256 or more', () => {
    for (const id of [0, -1, 1.5, 0n, -5n, 2n ** 256n])
      assert.throws(() => chainReference(id), InvalidInteroperableAddressError)
  })
})

describe('formatInteroperableAddress', () => {
  test('matches the ERC-7930 example for an address on chain 1', () => {
    assert.equal(
      formatInteroperableAddress({ chainId: 1, address: vitalik }),
      '0x00010000010114d8da6bf26964af9d7eed9e03e53415d37aa96045',
    )
  })
  test('writes a two-byte chain reference for chain id 0x100', () => {
    assert.equal(formatInteroperableAddress({ chainId: 0x100n, address: vitalik }), `0x0001000002010014${vitalikLower}`)
  })
  test('refuses an address that is not 20 bytes of hex', () => {
    assert.throws(() => formatInteroperableAddress({ chainId: 1, address: '0x1234' }), InvalidInteroperableAddressError)
    assert.throws(() => formatInteroperableAddress({ chainId: 1, address: `0x${'zz'.repeat(20)}` }), InvalidInteroperableAddressError)
  })
  test('refuses chain id 0', () => {
    assert.throws(() => formatInteroperableAddress({ chainId: 0, address: vitalik }), /chain id must be at least 1/)
  })
})

describe('parseInteroperableAddress', () => {
  test('reads the ERC-7930 example back with a checksummed address', () => {
    assert.deepEqual(parseInteroperableAddress('0x00010000010114d8da6bf26964af9d7eed9e03e53415d37aa96045'), {
      chainId: 1n,
      address: vitalik,
    })
  })
  test('accepts upper-case hex digits', () => {
    assert.equal(parseInteroperableAddress(`0x00010000010114${vitalikLower.toUpperCase()}`).address, vitalik)
  })
  test('refuses a wrong version', () => {
    refuses(`0x00020000010114${vitalikLower}`, /unsupported version 0x0002/)
  })
  test('refuses a chain type other than eip155', () => {
    refuses(`0x00010001010114${vitalikLower}`, /unsupported chain type 0x0001/)
  })
  test('refuses a chain reference of length 0', () => {
    refuses(`0x000100000014${vitalikLower}`, /chain reference is empty/)
  })
  test('refuses a chain reference with a leading zero byte', () => {
    refuses(`0x0001000002000114${vitalikLower}`, /leading zero byte/)
    refuses(`0x00010000010014${vitalikLower}`, /leading zero byte/)
  })
  test('refuses a chain reference longer than 32 bytes', () => {
    refuses(`0x0001000021${'01'.repeat(33)}14${vitalikLower}`, /33 bytes long/)
  })
  test('accepts a chain reference of exactly 32 bytes', () => {
    assert.equal(parseInteroperableAddress(`0x0001000020${'ff'.repeat(32)}14${vitalikLower}`).chainId, 2n ** 256n - 1n)
  })
  test('refuses an absent address (address length 0)', () => {
    refuses('0x000100000101' + '00', /address length is 0 .*absent/)
  })
  test('refuses an address length other than 20', () => {
    refuses(`0x00010000010113${vitalikLower.slice(0, 38)}`, /address length is 19/)
    refuses(`0x00010000010120${'ab'.repeat(32)}`, /address length is 32/)
  })
  test('refuses trailing bytes after the address', () => {
    refuses(`0x00010000010114${vitalikLower}00`, /1 trailing bytes/)
  })
  test('refuses a value truncated inside the address', () => {
    refuses(`0x00010000010114${vitalikLower.slice(0, 38)}`, /truncated inside the address/)
  })
  test('refuses a value truncated inside the chain reference', () => {
    refuses('0x0001000002', /truncated/)
    refuses('0x000100000201', /truncated/)
  })
  test('refuses a value too short to hold the header', () => {
    refuses('0x', /too short/)
    refuses('0x00010000', /too short/)
  })
  test('refuses strings that are not hex', () => {
    refuses('00010000010114', /not a 0x-prefixed hex/)
    refuses('0x0001000001011', /not a 0x-prefixed hex/)
    refuses(`0x000100000101gg${vitalikLower}`, /not a 0x-prefixed hex/)
  })
})

describe('interoperable address properties', () => {
  const chainIdArbitrary = fc.oneof(
    fc.bigInt({ min: 1n, max: 2n ** 64n }),
    fc.bigInt({ min: 1n, max: 2n ** 256n - 1n }),
    fc.integer({ min: 0, max: 256 }).map((bits) => 1n << BigInt(Math.min(bits, 255))),
  )
  const addressArbitrary = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => bytesToHex(bytes))

  test('parse(format(chainId, address)) gives back the chain id and the address, for any chain id from 1 to 2^256 - 1', () => {
    fc.assert(
      fc.property(chainIdArbitrary, addressArbitrary, (chainId, address) => {
        const encoded = formatInteroperableAddress({ chainId, address })
        const reference = chainReference(chainId)
        assert.equal(encoded.length, 2 + 2 * (6 + (reference.length - 2) / 2 + 20))
        assert.notEqual(reference.slice(2, 4), '00')
        assert.equal(BigInt(reference), chainId)
        assert.deepEqual(parseInteroperableAddress(encoded), { chainId, address: getAddress(address) })
      }),
      { numRuns: 300 },
    )
  })

  test('every byte string either parses and formats back to itself, or is refused with InvalidInteroperableAddressError', () => {
    const prefix = fc.constantFrom('0x0001', '0x00010000', '0x000100000101', '0x0001000002', '')
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 40 }), (start, rest) => {
        const value = (start === '' ? bytesToHex(rest) : start + bytesToHex(rest).slice(2)) as Hex
        let parsed
        try {
          parsed = parseInteroperableAddress(value)
        } catch (error) {
          assert.ok(error instanceof InvalidInteroperableAddressError)
          return
        }
        assert.equal(formatInteroperableAddress(parsed), value.toLowerCase())
      }),
      { numRuns: 300 },
    )
  })
})
