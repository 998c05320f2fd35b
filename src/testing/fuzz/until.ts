import { FuzzStepTimeoutError } from './errors.js'

/**
 * Calls `check` until it returns something other than `undefined`, and returns that; throws
 * {@link FuzzStepTimeoutError} after `timeoutMs`. The one polling loop of the fuzzer.
 *
 * @example
 * ```ts
 * const proof = await until('the proof of the withdrawal', () => buildProof(), 60_000)
 * ```
 */
export async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new FuzzStepTimeoutError(what, timeoutMs)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
