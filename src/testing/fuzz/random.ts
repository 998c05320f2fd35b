import { bytesToHex, type Hex } from 'viem'

/**
 * A deterministic source of randomness: the same seed gives the same sequence, so a fuzz run can be
 * repeated exactly (`npm run fuzz -- --seed S`).
 */
export type Random = {
  /** The 32-bit seed this source started from. */
  readonly seed: number
  /** An integer in `[0, n)`; `n` ≥ 1. */
  int(n: number): number
  /** `true` with probability `p`. */
  chance(p: number): boolean
  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T
  /** A bigint of `bits` random bits. */
  bits(bits: number): bigint
  /** `n` random bytes, as hex. */
  bytes(n: number): Hex
  /** An independent source for `label`: the same seed and label give the same sequence, whatever else was drawn. */
  fork(label: string): Random
}

/**
 * A {@link Random} from a 32-bit seed: sfc32, its state filled by splitmix32 from the seed. Not for
 * cryptography; only for reproducible test inputs.
 *
 * @example
 * ```ts
 * const random = createRandom(42)
 * random.int(10) === createRandom(42).int(10) // true
 * ```
 */
export function createRandom(seed: number): Random {
  const seed32 = seed >>> 0
  let s = seed32
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = splitmix()
  let b = splitmix()
  let c = splitmix()
  let d = splitmix()
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t
  }
  for (let i = 0; i < 12; i++) next()
  const random: Random = {
    seed: seed32,
    int(n) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`Random.int needs a positive integer, got ${n}`)
      // Two draws make 53 bits: uniform enough for any n used here.
      return Math.floor(((next() * 2 ** 21 + (next() >>> 11)) / 2 ** 53) * n)
    },
    chance: (p) => next() / 2 ** 32 < p,
    pick(items) {
      if (items.length === 0) throw new RangeError('Random.pick needs a non-empty list')
      return items[random.int(items.length)]!
    },
    bits(bits) {
      let value = 0n
      for (let done = 0; done < bits; done += 32) value = (value << 32n) | BigInt(next())
      return value & ((1n << BigInt(bits)) - 1n)
    },
    bytes(n) {
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) out[i] = next() & 0xff
      return bytesToHex(out)
    },
    fork(label) {
      let h = seed32 ^ 0x811c9dc5
      for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0
      return createRandom(h)
    },
  }
  return random
}
