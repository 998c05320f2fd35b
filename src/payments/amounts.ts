import { PaymentMessageRefusedError } from '../errors/payments.js'

const DECIMAL = /^\+?(\d*)(?:\.(\d*))?$/
const MAX_UINT256 = (1n << 256n) - 1n

/**
 * An ISO 20022 amount (an `xs:decimal`, e.g. `1234.50`) in whole units of a token with `decimals`
 * decimals, exactly: `1234.50` with 2 decimals is `123450n`. Trailing zeros beyond the token's decimals are
 * fine (`1.500` with 2 decimals is `150n`); a non-zero digit beyond them is refused (`precision`), never
 * rounded; so is zero or more than uint256 (`amount`), and anything that is not a non-negative decimal
 * (`schema`). `path` names the element in the error.
 *
 * @example
 * ```ts
 * amountToUnits('1234.5', 2) // 123450n
 * amountToUnits('0.001', 2)  // throws PaymentMessageRefusedError (precision)
 * ```
 */
export function amountToUnits(amount: string, decimals: number, path = 'amount'): bigint {
  const match = DECIMAL.exec(amount.trim())
  const whole = match?.[1] ?? ''
  const fraction = match?.[2] ?? ''
  if (!match || whole.length + fraction.length === 0) {
    throw new PaymentMessageRefusedError({ refusal: 'schema', path, reason: `"${amount}" is not a non-negative decimal amount` })
  }
  const significant = fraction.replace(/0+$/, '')
  if (significant.length > decimals) {
    throw new PaymentMessageRefusedError({ refusal: 'precision', path, reason: `${amount} has ${significant.length} decimals; the token has ${decimals}` })
  }
  const units = BigInt((whole || '0') + significant.padEnd(decimals, '0'))
  if (units === 0n) throw new PaymentMessageRefusedError({ refusal: 'amount', path, reason: 'the amount is zero' })
  if (units > MAX_UINT256) throw new PaymentMessageRefusedError({ refusal: 'amount', path, reason: `${amount} does not fit in uint256 units` })
  return units
}

/**
 * Token units as an ISO 20022 amount with exactly the token's decimals: `123450n` with 2 decimals is
 * `"1234.50"` (the inverse of {@link amountToUnits}).
 *
 * @example
 * ```ts
 * unitsToAmount(123450n, 2) // '1234.50'
 * ```
 */
export function unitsToAmount(units: bigint, decimals: number): string {
  if (units < 0n) throw new RangeError(`unitsToAmount: negative units ${units}`)
  if (decimals === 0) return units.toString()
  const digits = units.toString().padStart(decimals + 1, '0')
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`
}
