import { JunctionError } from '../errors/JunctionError.js'

/** What the explorer's API answers for an error: its HTTP status and a short code the page shows. */
export type ExplorerErrorCode = 'NOT_FOUND' | 'BAD_REQUEST' | 'UPSTREAM' | 'SIGN_IN_REQUIRED'

/**
 * Base of the explorer's API errors: each carries the HTTP status and code the API answers with.
 *
 * @example
 * ```ts
 * throw new ExplorerNotFoundError('no message 0x12…', { details: 'Check the hash.' })
 * ```
 */
export class ExplorerError extends JunctionError {
  override name = 'ExplorerError'
  readonly status: number = 500
  readonly code: ExplorerErrorCode | 'INTERNAL' = 'INTERNAL'
}

/** A hash, address, chain or batch the network does not have (or the visitor may not see). */
export class ExplorerNotFoundError extends ExplorerError {
  override name = 'ExplorerNotFoundError'
  override readonly status = 404
  override readonly code = 'NOT_FOUND'
}

/** A malformed request: not a hash, not a number, a body that is not JSON. */
export class ExplorerBadRequestError extends ExplorerError {
  override name = 'ExplorerBadRequestError'
  override readonly status = 400
  override readonly code = 'BAD_REQUEST'
}

/** A node or permissioned RPC the explorer reads did not answer as it should. */
export class ExplorerUpstreamError extends ExplorerError {
  override name = 'ExplorerUpstreamError'
  override readonly status = 502
  override readonly code = 'UPSTREAM'
}
