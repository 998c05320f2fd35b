import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { PaymentMessageRefusedError } from '../errors/payments.js'
import { amountToUnits, unitsToAmount } from './amounts.js'

test('amounts convert to token units exactly', () => {
  assert.equal(amountToUnits('1234.5', 2), 123450n)
  assert.equal(amountToUnits('1234.50000', 2), 123450n)
  assert.equal(amountToUnits('.5', 2), 50n)
  assert.equal(amountToUnits('7', 0), 7n)
  assert.equal(amountToUnits('0.000000000000000001', 18), 1n)
  assert.equal(unitsToAmount(123450n, 2), '1234.50')
  assert.equal(unitsToAmount(5n, 2), '0.05')
  assert.equal(unitsToAmount(7n, 0), '7')
})

test('refuses more decimals than the token has, zero, and what is not a decimal', () => {
  const refusal = (amount: string, decimals: number) => {
    try {
      amountToUnits(amount, decimals, '/x')
    } catch (e) {
      assert.ok(e instanceof PaymentMessageRefusedError)
      assert.equal(e.path, '/x')
      return e.refusal
    }
    return 'accepted'
  }
  assert.equal(refusal('0.001', 2), 'precision')
  assert.equal(refusal('1.5', 0), 'precision')
  assert.equal(refusal('0.00', 2), 'amount')
  assert.equal(refusal('1e3', 2), 'schema')
  assert.equal(refusal('-1', 2), 'schema')
  assert.equal(refusal('.', 2), 'schema')
})

// A decimal string as ISO 20022 writes it: digits, maybe a fraction, maybe trailing zeros.
const decimalString = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 4 }), fc.boolean())
  .map(([digits, point, zeros, leadingPlus]) => {
    const text = digits.toString()
    const cut = Math.max(0, text.length - point)
    const fraction = text.slice(cut) + '0'.repeat(point > 0 ? zeros : 0)
    return `${leadingPlus ? '+' : ''}${text.slice(0, cut) || '0'}${point > 0 ? `.${fraction}` : ''}`
  })

test('property: an amount string is converted to token units exactly, or refused', () => {
  fc.assert(
    fc.property(decimalString, fc.integer({ min: 0, max: 18 }), (amount, decimals) => {
      let units: bigint
      try {
        units = amountToUnits(amount, decimals)
      } catch (e) {
        assert.ok(e instanceof PaymentMessageRefusedError)
        // Refused only for a real reason: a non-zero digit beyond the token's decimals, or zero.
        const [, fraction = ''] = amount.replace('+', '').split('.')
        const significant = fraction.replace(/0+$/, '')
        if (e.refusal === 'precision') assert.ok(significant.length > decimals)
        else assert.equal(e.refusal, 'amount')
        return
      }
      // Exact: the units as an amount are the same number (compared as scaled integers).
      const back = unitsToAmount(units, decimals)
      const scale = (s: string) => {
        const [whole, fraction = ''] = s.replace('+', '').split('.')
        return BigInt((whole || '0') + fraction.padEnd(30, '0'))
      }
      assert.equal(scale(back), scale(amount))
      assert.equal(amountToUnits(back, decimals), units, 'round trip')
    }),
    { seed: Number(process.env.FC_SEED ?? 20261207), numRuns: 2000 },
  )
})

test('property: token units round-trip through an amount string', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }), fc.integer({ min: 0, max: 30 }), (units, decimals) => {
      assert.equal(amountToUnits(unitsToAmount(units, decimals), decimals), units)
    }),
    { seed: Number(process.env.FC_SEED ?? 20261207), numRuns: 2000 },
  )
})
