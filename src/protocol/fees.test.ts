import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, concat, getAddress, keccak256, pad, type Address, type Hex } from 'viem'
import { CLAIM_GAS, EXECUTION_RECORD_TAG, encodeExecutionRecord, estimateExecutionGas, executionRecordHash, intrinsicGas, quoteInteropFee } from './fees.js'

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b) as Hex)
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b)) as Address)
const price = fc.bigInt({ min: 0n, max: 10n ** 12n })

describe('execution records', () => {
  test('are the tag left-aligned, the bundle hash and the executor, one word each, hashed with keccak-256', () => {
    assert.equal(EXECUTION_RECORD_TAG, '0x957ae389')
    fc.assert(
      fc.property(bytes32, address, (bundleHash, executor) => {
        const record = encodeExecutionRecord(bundleHash, executor)
        assert.equal(record, concat([pad(EXECUTION_RECORD_TAG, { dir: 'right', size: 32 }), bundleHash, pad(executor.toLowerCase() as Hex, { size: 32 })]))
        assert.equal(executionRecordHash(bundleHash, executor), keccak256(record))
      }),
      { numRuns: 200 },
    )
  })

  test('differ for another executor of the same bundle', () => {
    fc.assert(fc.property(bytes32, address, address, (hash, a, b) => a === b || executionRecordHash(hash, a) !== executionRecordHash(hash, b)))
  })
})

describe('quotes', () => {
  test('are the three costs plus a tenth, and grow with the gas limit and the payload', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 30_000_000n }), fc.bigInt({ min: 0n, max: 100_000n }), price, price, price, (gasLimit, payloadBytes, execution, settlement, source) => {
        const p = { gasLimit, payloadBytes, executionWeiPerGas: execution, settlementWeiPerGas: settlement, sourceWeiPerGas: source }
        const cost = gasLimit * execution + CLAIM_GAS * source + (2_000n + 16n * payloadBytes) * settlement
        assert.equal(quoteInteropFee(p), cost + cost / 10n)
        assert.ok(quoteInteropFee({ ...p, gasLimit: gasLimit + 1n }) >= quoteInteropFee(p))
        assert.ok(quoteInteropFee({ ...p, payloadBytes: payloadBytes + 1n }) >= quoteInteropFee(p))
      }),
    )
  })
})

describe('the execution gas model', () => {
  test('adds each recipient with a thirty-second of headroom to the protocol part', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.array(fc.bigInt({ min: 0n, max: 10_000_000n }), { minLength: 1, maxLength: 64 }), (payloadBytes, recipientGas) => {
        const alone = estimateExecutionGas({ payloadBytes, recipientGas: recipientGas.map(() => 0n) })
        const total = recipientGas.reduce((a, b) => a + b, 0n)
        assert.equal(estimateExecutionGas({ payloadBytes, recipientGas }), alone + total + total / 32n)
      }),
    )
  })

  test('intrinsic gas counts 4 per zero byte and 16 per other byte over 21,000', () => {
    assert.equal(intrinsicGas('0x'), 21_000n)
    assert.equal(intrinsicGas('0x0001'), 21_020n)
  })
})
