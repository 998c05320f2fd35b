/**
 * Parameters of every Junction error: a short message, optional details a user can act on,
 * and the error that caused it.
 */
export type JunctionErrorParameters = {
  /** One or more lines saying what to check or do next. */
  details?: string | undefined
  /** The lower-level error this one explains. */
  cause?: unknown
}

/**
 * Base class of every error Junction throws on purpose.
 *
 * The message is short; `details` says what to do; `cause` keeps the chain of errors
 * (revert reasons from chains stay reachable through it).
 *
 * @example
 * ```ts
 * try { await up() } catch (e) { if (e instanceof JunctionError) console.error(e.message + '\n' + e.details) }
 * ```
 */
export class JunctionError extends Error {
  override name = 'JunctionError'
  readonly shortMessage: string
  readonly details: string | undefined

  constructor(shortMessage: string, parameters: JunctionErrorParameters = {}) {
    const lines = [shortMessage]
    if (parameters.details) lines.push('', parameters.details)
    super(lines.join('\n'), parameters.cause === undefined ? undefined : { cause: parameters.cause })
    this.shortMessage = shortMessage
    this.details = parameters.details
  }

  /** Walks the cause chain and returns the first error `predicate` accepts. */
  walk(predicate: (error: unknown) => boolean): unknown {
    let current: unknown = this
    while (current !== undefined && current !== null) {
      if (predicate(current)) return current
      current = (current as { cause?: unknown }).cause
    }
    return undefined
  }
}
