import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { secp256k1 } from '@noble/curves/secp256k1'
import { combinationIsPoint, inverseMod, multiplesTable, multiplyWithTable } from './publicMultiples.js'

const Point = secp256k1.ProjectivePoint
const n = secp256k1.CURVE.n
const G = Point.BASE
const generatorTable = multiplesTable(G.toAffine())

/** noble's k·A (constant-time `multiply`, which takes 1 ≤ k < n), undefined for infinity. */
function nobleMultiple(point: InstanceType<typeof Point>, k: bigint): { x: bigint; y: bigint } | undefined {
  const reduced = k % n
  return reduced === 0n ? undefined : point.multiply(reduced).toAffine()
}

/** Scalars at the edges of the signed 8-bit digits and of the group order. */
const edgeScalars = [
  0n, 1n, 2n, 127n, 128n, 129n, 255n, 256n, 257n, 2n ** 128n, 2n ** 255n, n - 2n, n - 1n, n, n + 1n, 2n ** 256n - 1n,
  BigInt(`0x${'80'.repeat(32)}`), BigInt(`0x${'7f'.repeat(32)}`), BigInt(`0x${'81'.repeat(32)}`), BigInt(`0x${'ff'.repeat(31)}00`),
]
const scalarArbitrary = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.bigInt({ min: 1n, max: n - 1n }), fc.constantFrom(...edgeScalars))
const keyArbitrary = fc.bigInt({ min: 1n, max: n - 1n })

describe('multiplyWithTable', () => {
  test('equals noble\'s multiply for the generator at every edge scalar', () => {
    for (const k of edgeScalars) assert.deepEqual(multiplyWithTable(generatorTable, k), nobleMultiple(G, k), `k = ${k}`)
  })

  test('equals noble\'s multiply for random points and scalars (property, fixed seed)', () => {
    fc.assert(
      fc.property(keyArbitrary, fc.array(scalarArbitrary, { minLength: 1, maxLength: 4 }), (key, scalars) => {
        const point = G.multiply(key)
        const table = multiplesTable(point.toAffine())
        for (const k of scalars) assert.deepEqual(multiplyWithTable(table, k), nobleMultiple(point, k), `key ${key}, k ${k}`)
      }),
      { seed: 14_140, numRuns: 25 },
    )
  })
})

describe('combinationIsPoint', () => {
  test('is true exactly for the x and parity of noble\'s u·G + v·A (property, fixed seed)', () => {
    fc.assert(
      fc.property(keyArbitrary, scalarArbitrary, scalarArbitrary, (key, u, v) => {
        const point = G.multiply(key)
        const table = multiplesTable(point.toAffine())
        const a = nobleMultiple(G, u)
        const b = nobleMultiple(point, v)
        const sum = a === undefined ? (b === undefined ? undefined : Point.fromAffine(b)) : b === undefined ? Point.fromAffine(a) : Point.fromAffine(a).add(Point.fromAffine(b))
        const expected = sum === undefined || sum.equals(Point.ZERO) ? undefined : sum.toAffine()
        for (const yParity of [0, 1]) {
          for (const x of expected ? [expected.x, (expected.x + 1n) % secp256k1.CURVE.Fp.ORDER] : [1n, 0n]) {
            const truth = expected !== undefined && x === expected.x && Number(expected.y & 1n) === yParity
            assert.equal(combinationIsPoint({ u, a: generatorTable, v, b: table, x, yParity }), truth, `key ${key} u ${u} v ${v} x ${x} parity ${yParity}`)
          }
        }
      }),
      { seed: 14_141, numRuns: 25 },
    )
  })

  test('handles sums that pass through a double (G + G) or cancel to infinity (G + (n−1)·G)', () => {
    const two = G.multiply(2n).toAffine()
    assert.equal(combinationIsPoint({ u: 1n, a: generatorTable, v: 1n, b: generatorTable, x: two.x, yParity: Number(two.y & 1n) }), true)
    assert.equal(combinationIsPoint({ u: 1n, a: generatorTable, v: 1n, b: generatorTable, x: two.x, yParity: 1 - Number(two.y & 1n) }), false)
    for (const x of [0n, 1n, G.toAffine().x]) {
      for (const yParity of [0, 1]) assert.equal(combinationIsPoint({ u: 1n, a: generatorTable, v: n - 1n, b: generatorTable, x, yParity }), false)
    }
    const key = 0x1234_5678n
    const table = multiplesTable(G.multiply(key).toAffine())
    const v = 0xabcdefn
    assert.equal(combinationIsPoint({ u: (n - ((v * key) % n)) % n, a: generatorTable, v, b: table, x: 0n, yParity: 0 }), false, 'u·G + v·(key·G) = 0')
  })
})

describe('inverseMod', () => {
  test('gives a·a⁻¹ ≡ 1 mod n and mod p, and refuses 0 (property, fixed seed)', () => {
    const p = secp256k1.CURVE.Fp.ORDER
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 256n - 1n }), (a) => {
        for (const m of [n, p]) if (a % m !== 0n) assert.equal((a * inverseMod(a, m)) % m, 1n)
      }),
      { seed: 14_142, numRuns: 200 },
    )
    assert.throws(() => inverseMod(0n, n), RangeError)
    assert.throws(() => inverseMod(n, n), RangeError)
  })
})
