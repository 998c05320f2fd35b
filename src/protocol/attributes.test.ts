import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, concat, encodeAbiParameters, getAddress, keccak256, numberToHex, pad, toFunctionSelector, type Address, type Hex } from 'viem'
import {
  attributeSelector,
  attributeSelectors,
  buildBundle,
  buildMessageBundle,
  decodeAttribute,
  encodeExecutionAddressAttribute,
  encodeIndirectCallAttribute,
  encodeInteropCallValueAttribute,
  encodeUnbundlerAddressAttribute,
  encodeExecutionGasLimitAttribute,
  isMessageAttribute,
  parseBundleAttributes,
  parseCallAttributes,
  parseMessageAttributes,
} from './attributes.js'
import { CallDecision, CallStatus, INTEROP_BUNDLE_PAYS_FEE_FLAG, bundleSalt, bundleVersionWord, encodeBundle, decodeBundle } from './bundle.js'
import {
  AttributeChainMismatchError,
  AttributeRepeatedError,
  DestinationIsThisChainError,
  EmptyBundleError,
  IndirectCallUnresolvedError,
  InvalidAttributeError,
  TooManyCallsError,
  UnsupportedAttributeError,
  ValueMismatchError,
} from './errors.js'
import { formatInteroperableAddress } from './interoperableAddress.js'
import { CallValueToAssetRouterError, ZeroDestinationChainError } from './sendErrors.js'

const alice: Address = '0x1111111111111111111111111111111111111111'
const bob: Address = '0x2222222222222222222222222222222222222222'
const router: Address = '0x3333333333333333333333333333333333333333'
const ZERO: Address = '0x0000000000000000000000000000000000000000'
const word = (value: bigint | number) => numberToHex(value, { size: 32 })

const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b)))
const uint256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n })
const chainId = fc.bigInt({ min: 1n, max: (1n << 256n) - 1n })

describe('attribute encodings', () => {
  test('uses the selectors of the Solidity signatures', () => {
    assert.equal(attributeSelectors.interopCallValue, toFunctionSelector('interopCallValue(uint256)'))
    assert.equal(attributeSelectors.indirectCall, toFunctionSelector('indirectCall(uint256)'))
    assert.equal(attributeSelectors.executionAddress, toFunctionSelector('executionAddress(bytes)'))
    assert.equal(attributeSelectors.unbundlerAddress, toFunctionSelector('unbundlerAddress(bytes)'))
    assert.equal(attributeSelectors.executionGasLimit, toFunctionSelector('executionGasLimit(uint256)'))
  })

  test('writes interopCallValue(v) as selector ‖ u256(v)', () => {
    assert.equal(encodeInteropCallValueAttribute(5n), concat([attributeSelectors.interopCallValue, word(5)]))
    assert.equal(encodeIndirectCallAttribute(0n), concat([attributeSelectors.indirectCall, word(0)]))
  })

  test('writes executionAddress as selector ‖ abi.encode(bytes erc7930)', () => {
    const erc7930 = formatInteroperableAddress({ chainId: 271n, address: bob })
    assert.equal(
      encodeExecutionAddressAttribute({ chainId: 271n, address: bob }),
      concat([attributeSelectors.executionAddress, word(0x20), word(28), pad(erc7930, { dir: 'right', size: 32 })]),
    )
  })

  test('gives the selector of a short attribute right-padded with zeros', () => {
    assert.equal(attributeSelector('0x12'), '0x12000000')
    assert.equal(attributeSelector('0x'), '0x00000000')
  })

  test('refuses a short, truncated, extended or non-canonical attribute as InvalidAttribute', () => {
    const value = encodeInteropCallValueAttribute(1n)
    const unbundler = encodeUnbundlerAddressAttribute({ chainId: 271n, address: bob })
    assert.throws(() => decodeAttribute('0x54b165'), InvalidAttributeError)
    assert.throws(() => decodeAttribute(attributeSelectors.interopCallValue), InvalidAttributeError)
    assert.throws(() => decodeAttribute(value.slice(0, -2) as Hex), InvalidAttributeError)
    assert.throws(() => decodeAttribute(`${value}00`), InvalidAttributeError)
    assert.throws(() => decodeAttribute(`${unbundler}${'00'.repeat(32)}`), InvalidAttributeError)
    // Offset 0x40 instead of 0x20: decodable, but not canonical.
    const shifted = concat([attributeSelectors.unbundlerAddress, word(0x40), word(0), word(28), pad(formatInteroperableAddress({ chainId: 271n, address: bob }), { dir: 'right', size: 32 })])
    assert.throws(() => decodeAttribute(shifted), InvalidAttributeError)
    // Non-zero padding.
    assert.throws(() => decodeAttribute(`${unbundler.slice(0, -2)}01` as Hex), InvalidAttributeError)
    // A canonical `bytes` that is not an ERC-7930 address.
    const notAnAddress = concat([attributeSelectors.executionAddress, encodeAbiParameters([{ type: 'bytes' }], ['0x1234'])])
    assert.throws(() => decodeAttribute(notAnAddress), (e: unknown) => e instanceof InvalidAttributeError && e.selector === attributeSelectors.executionAddress)
  })

  test('refuses an unknown selector as UnsupportedAttribute', () => {
    assert.throws(() => decodeAttribute('0x12345678abcdef'), (e: unknown) => e instanceof UnsupportedAttributeError && e.selector === '0x12345678')
  })

  test('numbers call statuses and decisions as the contracts do', () => {
    assert.deepEqual(CallStatus, { Unprocessed: 0, Executed: 1, Cancelled: 2 })
    assert.deepEqual(CallDecision, { Leave: 0, Execute: 1, Cancel: 2 })
  })
})

describe('attribute lists', () => {
  const value0 = encodeInteropCallValueAttribute(0n)
  const indirect0 = encodeIndirectCallAttribute(0n)
  const exec = encodeExecutionAddressAttribute({ chainId: 271n, address: bob })
  const unbundle = encodeUnbundlerAddressAttribute({ chainId: 271n, address: alice })

  test('reads call attributes and refuses bundle attributes among them', () => {
    assert.deepEqual(parseCallAttributes([]), { value: 0n, indirect: false, indirectValue: 0n })
    assert.deepEqual(parseCallAttributes([indirect0, encodeInteropCallValueAttribute(3n)]), { value: 3n, indirect: true, indirectValue: 0n })
    assert.throws(() => parseCallAttributes([exec]), UnsupportedAttributeError)
  })

  test('reads bundle attributes and refuses call attributes among them', () => {
    assert.deepEqual(parseBundleAttributes([unbundle, exec], 271n), { executionAddress: bob, unbundler: alice, paysFee: false, gasLimit: 0n })
    assert.deepEqual(parseBundleAttributes([], 271n), { executionAddress: ZERO, unbundler: ZERO, paysFee: false, gasLimit: 0n })
    assert.deepEqual(parseBundleAttributes([encodeExecutionGasLimitAttribute(90_000n)], 271n), { executionAddress: ZERO, unbundler: ZERO, paysFee: true, gasLimit: 90_000n })
    assert.throws(() => parseBundleAttributes([value0], 271n), UnsupportedAttributeError)
  })

  test('refuses an address on another chain than the destination', () => {
    assert.throws(
      () => parseBundleAttributes([exec], 272n),
      (e: unknown) => e instanceof AttributeChainMismatchError && e.expected === 272n && e.actual === 271n && e.selector === attributeSelectors.executionAddress,
    )
  })

  test('refuses the same attribute twice, even with different values', () => {
    assert.throws(() => parseCallAttributes([value0, encodeInteropCallValueAttribute(1n)]), AttributeRepeatedError)
    assert.throws(() => parseBundleAttributes([exec, encodeExecutionAddressAttribute({ chainId: 271n, address: alice })], 271n), AttributeRepeatedError)
  })

  test('accepts in sendMessage exactly interopCallValue, executionAddress, unbundlerAddress and executionGasLimit', () => {
    assert.deepEqual(parseMessageAttributes([value0, exec, unbundle], 271n), { value: 0n, executionAddress: bob, unbundler: alice, paysFee: false, gasLimit: 0n })
    assert.deepEqual(parseMessageAttributes([encodeExecutionGasLimitAttribute(1n)], 271n), { value: 0n, executionAddress: ZERO, unbundler: ZERO, paysFee: true, gasLimit: 1n })
    assert.throws(() => parseMessageAttributes([indirect0], 271n), UnsupportedAttributeError)
    assert.equal(isMessageAttribute(attributeSelectors.interopCallValue), true)
    assert.equal(isMessageAttribute(attributeSelectors.executionAddress), true)
    assert.equal(isMessageAttribute(attributeSelectors.executionGasLimit), true)
    assert.equal(isMessageAttribute(attributeSelectors.unbundlerAddress), true)
    assert.equal(isMessageAttribute(attributeSelectors.indirectCall), false)
    assert.equal(isMessageAttribute('0x12345678'), false)
  })

  test('checks attributes in list order: the first bad one names the error', () => {
    assert.throws(() => parseCallAttributes(['0x12345678', '0x01']), UnsupportedAttributeError)
    assert.throws(() => parseCallAttributes(['0x01', '0x12345678']), InvalidAttributeError)
  })
})

describe('buildBundle', () => {
  const base = { sourceChainId: 270n, destinationChainId: 271n, sender: alice, bundleNumber: 4n, bundleAttributes: [] as Hex[] }

  test('builds direct calls from the sender, with the bundle attributes', () => {
    const bundle = buildBundle({
      ...base,
      callStarters: [
        { to: bob, data: '0x01', callAttributes: [] },
        { to: alice, data: '0x02', callAttributes: [encodeInteropCallValueAttribute(0n)] },
      ],
      bundleAttributes: [encodeUnbundlerAddressAttribute({ chainId: 271n, address: bob })],
    })
    assert.deepEqual(bundle, {
      version: 1n,
      sourceChainId: 270n,
      destinationChainId: 271n,
      salt: bundleSalt(4n),
      calls: [
        { to: bob, from: alice, value: 0n, data: '0x01' },
        { to: alice, from: alice, value: 0n, data: '0x02' },
      ],
      executionAddress: ZERO,
      unbundler: bob,
    })
    assert.deepEqual(decodeBundle(encodeBundle(bundle)), bundle)
  })

  test('routes an indirect call through its initiator: to and data from it, from = initiator', () => {
    const seen: unknown[] = []
    const bundle = buildBundle({
      ...base,
      callStarters: [{ to: router, data: '0xaa', callAttributes: [encodeIndirectCallAttribute(0n)] }],
      resolveIndirectCall: (request) => {
        seen.push(request)
        return { to: bob, data: encodeAbiParameters([{ type: 'address' }, { type: 'bytes' }], [request.originalSender, request.data]) }
      },
    })
    assert.deepEqual(seen, [{ callIndex: 0, initiator: router, destinationChainId: 271n, originalSender: alice, data: '0xaa', value: 0n }])
    assert.deepEqual(bundle.calls, [{ to: bob, from: router, value: 0n, data: encodeAbiParameters([{ type: 'address' }, { type: 'bytes' }], [alice, '0xaa']) }])
    assert.throws(() => buildBundle({ ...base, callStarters: [{ to: router, data: '0x', callAttributes: [encodeIndirectCallAttribute(0n)] }] }), IndirectCallUnresolvedError)
  })

  test('refuses what sendBundle refuses', () => {
    const one = [{ to: bob, data: '0x' as Hex, callAttributes: [] }]
    assert.throws(() => buildBundle({ ...base, destinationChainId: 270n, callStarters: one }), DestinationIsThisChainError)
    assert.throws(() => buildBundle({ ...base, value: 1n, callStarters: one }), ValueMismatchError)
    assert.throws(() => buildBundle({ ...base, callStarters: [] }), EmptyBundleError)
    assert.throws(() => buildBundle({ ...base, callStarters: Array.from({ length: 65 }, () => one[0]!) }), TooManyCallsError)
    assert.equal(buildBundle({ ...base, callStarters: Array.from({ length: 64 }, () => one[0]!) }).calls.length, 64)
    assert.throws(() => buildBundle({ ...base, callStarters: [{ ...one[0]!, callAttributes: [encodeInteropCallValueAttribute(1n)] }] }), ValueMismatchError)
    assert.throws(() => buildBundle({ ...base, callStarters: [{ ...one[0]!, callAttributes: [encodeIndirectCallAttribute(2n)] }], resolveIndirectCall: () => ({ to: bob, data: '0x' }) }), ValueMismatchError)
    assert.throws(() => buildBundle({ ...base, destinationChainId: 0n, callStarters: one }), ZeroDestinationChainError)
  })

  test('refuses, given the asset router, a call value to it, direct or through an initiator, as sendBundle and sendMessage do', () => {
    const valued = (to: Hex, attributes: Hex[] = []) => ({ to, data: '0x' as Hex, callAttributes: [...attributes, encodeInteropCallValueAttribute(3n)] })
    const refused = (callIndex: bigint) => (e: unknown) => e instanceof CallValueToAssetRouterError && e.callIndex === callIndex && e.value === 3n
    assert.throws(() => buildBundle({ ...base, value: 3n, assetRouter: router, callStarters: [{ to: bob, data: '0x', callAttributes: [] }, valued(router)] }), refused(1n))
    // Before the value is compared with the sum (the center's order): 0 sent, still this error.
    assert.throws(() => buildBundle({ ...base, assetRouter: router, callStarters: [valued(router)] }), refused(0n))
    const transfer = valued(router, [encodeIndirectCallAttribute(0n)])
    assert.throws(() => buildBundle({ ...base, value: 3n, assetRouter: router, callStarters: [transfer], resolveIndirectCall: () => ({ to: router, data: '0x' }) }), refused(0n))
    // Without the router, or to anything else, the value goes.
    assert.equal(buildBundle({ ...base, value: 3n, callStarters: [valued(router)] }).calls[0]!.value, 3n)
    assert.equal(buildBundle({ ...base, value: 3n, assetRouter: router, callStarters: [valued(bob)] }).calls[0]!.value, 3n)
    const recipient = formatInteroperableAddress({ chainId: 271n, address: router })
    const message = { sourceChainId: 270n, sender: alice, bundleNumber: 0n, recipient, payload: '0x' as Hex, attributes: [encodeInteropCallValueAttribute(3n)], value: 3n, assetRouter: router }
    assert.throws(() => buildMessageBundle(message), refused(0n))
    assert.equal(buildMessageBundle({ ...message, attributes: [], value: 0n }).calls[0]!.to, router)
  })

  test('takes value: the transaction value must be the sum of every call value and indirect value', () => {
    const withValue = (v: bigint) => ({ to: bob, data: '0x' as Hex, callAttributes: [encodeInteropCallValueAttribute(v)] })
    const bundle = buildBundle({ ...base, value: 5n, callStarters: [withValue(2n), withValue(3n)] })
    assert.deepEqual(bundle.calls.map((call) => call.value), [2n, 3n])
    assert.throws(() => buildBundle({ ...base, value: 4n, callStarters: [withValue(2n), withValue(3n)] }), (e: unknown) => e instanceof ValueMismatchError && e.expected === 5n && e.actual === 4n)
    const indirect = { to: router, data: '0x' as Hex, callAttributes: [encodeIndirectCallAttribute(7n), encodeInteropCallValueAttribute(1n)] }
    const routed = buildBundle({ ...base, value: 8n, callStarters: [indirect], resolveIndirectCall: ({ value }) => ({ to: bob, data: `0x0${value}` as Hex }) })
    assert.deepEqual(routed.calls, [{ to: bob, from: router, value: 1n, data: '0x07' }])
  })

  test('buildMessageBundle gives the one-call bundle of sendMessage', () => {
    const recipient = formatInteroperableAddress({ chainId: 271n, address: bob })
    const bundle = buildMessageBundle({ sourceChainId: 270n, sender: alice, bundleNumber: 0n, recipient, payload: '0x1234', attributes: [encodeExecutionAddressAttribute({ chainId: 271n, address: alice })] })
    assert.deepEqual(bundle.calls, [{ to: bob, from: alice, value: 0n, data: '0x1234' }])
    assert.equal(bundle.executionAddress, alice)
    assert.equal(bundle.unbundler, ZERO)
    assert.equal(bundle.salt, word(0), 'the salt is the bundle\'s number on its route')
    assert.throws(() => buildMessageBundle({ sourceChainId: 271n, sender: alice, bundleNumber: 0n, recipient, payload: '0x', attributes: [] }), DestinationIsThisChainError)
    const valued = { sourceChainId: 270n, sender: alice, bundleNumber: 0n, recipient, payload: '0x' as Hex, attributes: [encodeInteropCallValueAttribute(9n)] }
    assert.equal(buildMessageBundle({ ...valued, value: 9n }).calls[0]!.value, 9n)
    assert.throws(() => buildMessageBundle(valued), (e: unknown) => e instanceof ValueMismatchError && e.expected === 9n && e.actual === 0n)
    assert.throws(() => buildMessageBundle({ ...valued, attributes: [], value: 1n }), ValueMismatchError)
  })

  test('sets the fee flag in the version word exactly when the bundle is sent with executionGasLimit, fee or not', () => {
    const recipient = formatInteroperableAddress({ chainId: 271n, address: bob })
    const message = { sourceChainId: 270n, sender: alice, bundleNumber: 0n, recipient, payload: '0x' as Hex }
    assert.equal(buildMessageBundle({ ...message, attributes: [] }).version, 1n)
    assert.equal(buildMessageBundle({ ...message, attributes: [encodeExecutionGasLimitAttribute(50_000n)] }).version, 1n | INTEROP_BUNDLE_PAYS_FEE_FLAG)
    assert.equal(buildMessageBundle({ ...message, attributes: [encodeExecutionGasLimitAttribute(50_000n)], value: 7n }).version, 1n | INTEROP_BUNDLE_PAYS_FEE_FLAG)
    const starters = [{ to: bob, data: '0x01' as Hex, callAttributes: [] }]
    assert.equal(buildBundle({ sourceChainId: 270n, destinationChainId: 271n, sender: alice, bundleNumber: 1n, callStarters: starters, bundleAttributes: [] }).version, 1n)
    assert.equal(buildBundle({ sourceChainId: 270n, destinationChainId: 271n, sender: alice, bundleNumber: 1n, callStarters: starters, bundleAttributes: [encodeExecutionGasLimitAttribute(1n)] }).version, bundleVersionWord(true))
  })
})

describe('attribute properties', () => {
  test('decode(encode(x)) gives back x for every attribute', () => {
    fc.assert(
      fc.property(uint256, chainId, address, (value, id, addr) => {
        assert.deepEqual(decodeAttribute(encodeInteropCallValueAttribute(value)), { name: 'interopCallValue', selector: attributeSelectors.interopCallValue, value })
        assert.deepEqual(decodeAttribute(encodeIndirectCallAttribute(value)), { name: 'indirectCall', selector: attributeSelectors.indirectCall, value })
        const exec = decodeAttribute(encodeExecutionAddressAttribute({ chainId: id, address: addr }))
        assert.deepEqual(exec, { name: 'executionAddress', selector: attributeSelectors.executionAddress, chainId: id, address: exec.name === 'executionAddress' ? getAddress(addr) : addr })
        const unb = decodeAttribute(encodeUnbundlerAddressAttribute({ chainId: id, address: addr }))
        assert.equal(unb.name, 'unbundlerAddress')
        if (unb.name === 'unbundlerAddress') {
          assert.equal(unb.chainId, id)
          assert.equal(getAddress(unb.address), getAddress(addr))
        }
      }),
      { numRuns: 100 },
    )
  })

  test('a mutated attribute either decodes to something that encodes back to it, or is refused with an attribute error', () => {
    const valid = fc.oneof(
      uint256.map((v) => encodeInteropCallValueAttribute(v)),
      uint256.map((v) => encodeIndirectCallAttribute(v)),
      fc.tuple(chainId, address).map(([id, a]) => encodeExecutionAddressAttribute({ chainId: id, address: a })),
      fc.tuple(chainId, address).map(([id, a]) => encodeUnbundlerAddressAttribute({ chainId: id, address: a })),
      uint256.map((v) => encodeExecutionGasLimitAttribute(v)),
    )
    fc.assert(
      fc.property(valid, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(3), (attribute, at, byte, how) => {
        const raw = [...Buffer.from(attribute.slice(2), 'hex')]
        if (how === 0) raw[at % raw.length] = byte
        if (how === 1) raw.length = at % raw.length
        if (how === 2) raw.push(byte)
        const mutated = bytesToHex(Uint8Array.from(raw))
        try {
          const decoded = decodeAttribute(mutated)
          const again =
            decoded.name === 'interopCallValue'
              ? encodeInteropCallValueAttribute(decoded.value)
              : decoded.name === 'indirectCall'
                ? encodeIndirectCallAttribute(decoded.value)
                : decoded.name === 'executionGasLimit'
                  ? encodeExecutionGasLimitAttribute(decoded.value)
                  : decoded.name === 'executionAddress'
                    ? encodeExecutionAddressAttribute(decoded)
                    : encodeUnbundlerAddressAttribute(decoded)
          assert.equal(again, mutated)
        } catch (error) {
          assert.ok(error instanceof InvalidAttributeError || error instanceof UnsupportedAttributeError, String(error))
        }
      }),
      { numRuns: 300 },
    )
  })
})
