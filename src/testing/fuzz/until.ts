import { JunctionError } from '../../errors/JunctionError.js'

/** A fuzz step waited longer than it may for something the network should have done. */
export class FuzzStepTimeoutError extends JunctionError {
  override name = 'FuzzStepTimeoutError'
  constructor(what: string, timeoutMs: number, cause?: unknown) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`, {
      details: 'The services (indexers, batcher, settlement, root importer) must run on this network; on a loaded machine try again.',
      cause,
    })
  }
}

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
