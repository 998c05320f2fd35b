import { JunctionError } from '../errors/JunctionError.js'

/**
 * A permissioned-RPC config (a file given to the proxy, or a change through the admin API) is not
 * valid: `path` names the field (`permissions.users[2].roles[0]`), the message says what is wrong.
 *
 * @example
 * ```ts
 * try { parsePrividiumConfig(json) } catch (e) { if (e instanceof PrividiumConfigError) console.error(e.path, e.problem) }
 * ```
 */
export class PrividiumConfigError extends JunctionError {
  override name = 'PrividiumConfigError'
  /** Where in the config the problem is, as a JSON path. */
  readonly path: string
  /** What is wrong there. */
  readonly problem: string
  constructor(parameters: { path: string; problem: string; cause?: unknown }) {
    super(`permissioned RPC config: ${parameters.path}: ${parameters.problem}`, {
      details: 'Fix the config file (docs/prividium.md describes every field), or the admin request that made this change.',
      cause: parameters.cause,
    })
    this.path = parameters.path
    this.problem = parameters.problem
  }
}

/**
 * The node behind a permissioned RPC is another chain than its config names.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PrividiumChainMismatchError) console.error(e.configured, e.actual) }
 * ```
 */
export class PrividiumChainMismatchError extends JunctionError {
  override name = 'PrividiumChainMismatchError'
  readonly configured: number
  readonly actual: number
  constructor(parameters: { nodeUrl: string; configured: number; actual: number }) {
    super(`permissioned RPC: the node at ${parameters.nodeUrl} is chain ${parameters.actual}, the config says ${parameters.configured}`, {
      details: 'Point the proxy at the private chain\'s own node, or correct `chainId` in its config.',
    })
    this.configured = parameters.configured
    this.actual = parameters.actual
  }
}

/**
 * A permissioned RPC's REST API refused a request (the admin client, `junction private ...`): the HTTP
 * status and the `{ error: { code, message } }` the server answered.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PrividiumApiError && e.status === 403) console.error('not an admin') }
 * ```
 */
export class PrividiumApiError extends JunctionError {
  override name = 'PrividiumApiError'
  readonly status: number
  readonly code: string
  constructor(parameters: { url: string; status: number; code: string; message: string }) {
    super(`${parameters.url}: ${parameters.status} ${parameters.code}: ${parameters.message}`, {
      details:
        parameters.status === 401 || parameters.status === 403
          ? 'The admin API needs a wallet whose user holds the admin permission (--private-key).'
          : parameters.status === 429
            ? 'Too many sign-in attempts from here: wait and try again.'
            : undefined,
    })
    this.status = parameters.status
    this.code = parameters.code
  }
}
