// u·A + v·B on secp256k1 in variable time, for public data only (a transaction's signature and a
// signed-in wallet's public key): each point gets a table of its signed 8-bit-window multiples, so a
// combination costs one mixed addition per window and no doubling. Not for secrets: the time taken
// depends on the scalars. Pure (bigints in, bigints out).

/** The field prime p = 2²⁵⁶ − 2³² − 977. */
const P = 2n ** 256n - 2n ** 32n - 977n
const WINDOW_BITS = 8
/** Signed digits in [−127, 128]: a window's table holds 1·B … 128·B. */
const HALF = 1 << (WINDOW_BITS - 1)
/** 32 windows of 8 bits for a scalar below 2²⁵⁶, and one more for the last carry. */
const WINDOWS = 256 / WINDOW_BITS + 1

/** An affine point (never the point at infinity). */
type Affine = { x: bigint; y: bigint }
/** Jacobian coordinates: x = X/Z², y = Y/Z³; Z = 0 is the point at infinity. */
type Jacobian = { X: bigint; Y: bigint; Z: bigint }

/** Multiples of one point: `windows[i][j]` is (j + 1)·256ⁱ·A, affine. Build it with `multiplesTable`. */
export type MultiplesTable = { readonly windows: readonly (readonly Affine[])[] }

const INFINITY: Jacobian = { X: 1n, Y: 1n, Z: 0n }

const mod = (a: bigint): bigint => {
  const r = a % P
  return r < 0n ? r + P : r
}

/**
 * a⁻¹ mod m for a prime m (extended Euclid, variable time); throws a RangeError when a ≡ 0.
 *
 * @example
 * ```ts
 * inverseMod(s, secp256k1.CURVE.n) // s⁻¹ mod n
 * ```
 */
export function inverseMod(a: bigint, m: bigint): bigint {
  let x = ((a % m) + m) % m
  let y = m
  let u = 1n
  let v = 0n
  while (x !== 0n) {
    const q = y / x
    const nextX = y - q * x
    y = x
    x = nextX
    const nextU = v - q * u
    v = u
    u = nextU
  }
  if (y !== 1n) throw new RangeError(`${a} has no inverse mod ${m}`)
  return ((v % m) + m) % m
}

const invert = (a: bigint): bigint => inverseMod(a, P)

function double(a: Jacobian): Jacobian {
  if (a.Z === 0n || a.Y === 0n) return INFINITY
  const XX = mod(a.X * a.X)
  const YY = mod(a.Y * a.Y)
  const S = mod(4n * a.X * YY)
  const M = mod(3n * XX)
  const X = mod(M * M - 2n * S)
  return { X, Y: mod(M * (S - X) - 8n * YY * YY), Z: mod(2n * a.Y * a.Z) }
}

/** a + b with b affine (any case: b = ±a gives the double or infinity). */
function addAffine(a: Jacobian, b: Affine): Jacobian {
  if (a.Z === 0n) return { X: b.x, Y: b.y, Z: 1n }
  const ZZ = mod(a.Z * a.Z)
  const H = mod(b.x * ZZ - a.X)
  const R = mod(b.y * ZZ * a.Z - a.Y)
  if (H === 0n) return R === 0n ? double(a) : INFINITY
  const HH = mod(H * H)
  const HHH = mod(H * HH)
  const V = mod(a.X * HH)
  const X = mod(R * R - HHH - 2n * V)
  return { X, Y: mod(R * (V - X) - a.Y * HHH), Z: mod(a.Z * H) }
}

/** The affine forms of non-infinite points, with one inversion (Montgomery's trick). */
function toAffineAll(points: readonly Jacobian[]): Affine[] {
  const prefix: bigint[] = []
  let product = 1n
  for (const point of points) {
    prefix.push(product)
    product = mod(product * point.Z)
  }
  let inverse = invert(product)
  const affine: Affine[] = new Array(points.length)
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i]!
    const zInv = mod(inverse * prefix[i]!)
    inverse = mod(inverse * point.Z)
    const zz = mod(zInv * zInv)
    affine[i] = { x: mod(point.X * zz), y: mod(point.Y * zz * zInv) }
  }
  return affine
}

/**
 * The window table of a point on the curve (the caller checks that it is: parse it with noble's
 * `ProjectivePoint.fromHex`). 33 windows of 128 points: ~4,200 additions once.
 *
 * @example
 * ```ts
 * const { x, y } = secp256k1.ProjectivePoint.fromHex(publicKey.slice(2)).toAffine()
 * const table = multiplesTable({ x, y })
 * ```
 */
export function multiplesTable(point: { x: bigint; y: bigint }): MultiplesTable {
  const windows: Affine[][] = []
  let base: Affine = { x: point.x, y: point.y }
  for (let w = 0; w < WINDOWS; w++) {
    const multiples: Jacobian[] = []
    let sum: Jacobian = INFINITY
    for (let j = 0; j < HALF; j++) {
      sum = addAffine(sum, base)
      multiples.push(sum)
    }
    const affine = toAffineAll([...multiples, double(sum)])
    base = affine.pop()!
    windows.push(affine)
  }
  return { windows }
}

/** Adds k·A (k in [0, 2²⁵⁶)) to `into`, one signed 8-bit digit of k per window of A's table. */
function addMultiple(into: Jacobian, table: MultiplesTable, k: bigint): Jacobian {
  let sum = into
  let carry = 0
  for (let w = 0; w < WINDOWS; w++) {
    let digit = Number(k & 0xffn) + carry
    k >>= 8n
    carry = 0
    if (digit > HALF) {
      digit -= 1 << WINDOW_BITS
      carry = 1
    }
    if (digit > 0) sum = addAffine(sum, table.windows[w]![digit - 1]!)
    else if (digit < 0) {
      const point = table.windows[w]![-digit - 1]!
      sum = addAffine(sum, { x: point.x, y: point.y === 0n ? 0n : P - point.y })
    }
  }
  return sum
}

/**
 * Whether u·A + v·B is the affine point with x = `x` and y of parity `yParity` (false when it is the
 * point at infinity). Scalars in [0, 2²⁵⁶); `x` below p.
 *
 * @example
 * ```ts
 * // ECDSA recovery check: (z/s)·G + (r/s)·Q has x = r and the signature's y parity
 * combinationIsPoint({ u: z * w % n, a: generatorTable, v: r * w % n, b: keyTable, x: r, yParity })
 * ```
 */
export function combinationIsPoint(parameters: { u: bigint; a: MultiplesTable; v: bigint; b: MultiplesTable; x: bigint; yParity: number }): boolean {
  const { u, a, v, b, x, yParity } = parameters
  const sum = addMultiple(addMultiple(INFINITY, a, u), b, v)
  if (sum.Z === 0n) return false
  const zz = mod(sum.Z * sum.Z)
  if (sum.X !== mod(x * zz)) return false
  const zInv = invert(sum.Z)
  const y = mod(sum.Y * zInv * zInv * zInv)
  return Number(y & 1n) === yParity
}

/**
 * u·A in affine coordinates, or undefined for the point at infinity (for tests against noble).
 *
 * @example
 * ```ts
 * multiplyWithTable(multiplesTable(point), 5n) // { x, y } of 5·point
 * ```
 */
export function multiplyWithTable(table: MultiplesTable, u: bigint): { x: bigint; y: bigint } | undefined {
  const sum = addMultiple(INFINITY, table, u)
  return sum.Z === 0n ? undefined : toAffineAll([sum])[0]
}
