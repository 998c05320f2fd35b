// The permissioned RPC of a private chain: an HTTP server in front of the chain's raw node that signs
// users in (SIWE), checks every JSON-RPC request against their permissions, and logs every decision.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parsePrividiumPermissions, type PrividiumConfig } from './config.js'
import type { ProxyContext, RouteAnswer } from './context.js'
import { PrividiumChainMismatchError } from './errors.js'
import { RestError, readBody, sendJson, sendPreflight, sendRestError } from './http.js'
import { INTERNAL_ERROR, INVALID_REQUEST, rpcError, rpcErrorMessage } from './jsonRpc.js'
import { NodeClient } from './NodeClient.js'
import { applyPermissionChange, type PermissionChange } from './permissionChanges.js'
import { callerOf, indexPermissions, type Caller, type PermissionIndex } from './permissionIndex.js'
import { ProxyStore, type AuditEntry, type PermissionsVersion } from './proxyStore.js'
import { matchRoute } from './routes.js'
import { RateLimiter, TokenStore } from './sessions.js'
import type { WithdrawalProofs } from './withdrawalProofs.js'

export type CreatePrividiumProxyParameters = {
  /** The private chain's raw node (JSON-RPC over HTTP). Only the proxy and Junction's services use it. */
  nodeUrl: string
  /** The config (`loadPrividiumConfig(file)` or `defaultPrividiumConfig(...)`). */
  config: PrividiumConfig
  /** The SQLite file of the audit log and the permission versions (created if absent). */
  dbPath: string
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string | undefined
  /** Port; `0` lets the OS choose (read `port` after `start()`). Default 0. */
  port?: number | undefined
  /** Name in logs. Default `prividium-<chainId>`. */
  name?: string | undefined
  /** The clock (milliseconds since the epoch); tests move it to expire nonces and sessions. Default `Date.now`. */
  now?: (() => number) | undefined
  /**
   * The operator's withdrawal proofs, from its index: served to each withdrawal's sender by
   * `junction_getWithdrawalProof` (the chain's batches publish no data, so only the operator can build them).
   * Without it the method answers that this RPC serves none.
   */
  withdrawalProofs?: WithdrawalProofs | undefined
}

/**
 * A permissioned RPC in front of one private chain's node. Endpoints, permissions and what is refused:
 * docs/prividium.md. One per private chain: a network starts each with its raw node URL, its config and
 * its SQLite path.
 *
 * Build it with `createPrividiumProxy`.
 */
export class PrividiumProxy {
  readonly name: string
  readonly host: string
  readonly #parameters: CreatePrividiumProxyParameters
  readonly #now: () => number
  #server: Server | undefined
  #node: NodeClient | undefined
  #store: ProxyStore | undefined
  #context: ProxyContext | undefined
  #port: number
  #starting: Promise<void> | undefined

  constructor(parameters: CreatePrividiumProxyParameters) {
    this.#parameters = parameters
    this.host = parameters.host ?? '127.0.0.1'
    this.#port = parameters.port ?? 0
    this.#now = parameters.now ?? Date.now
    this.name = parameters.name ?? `prividium${parameters.config.chainId === undefined ? '' : `-${parameters.config.chainId}`}`
  }

  /** The port (the real one once started, with `port: 0`). */
  get port(): number {
    return this.#port
  }
  /** The API base URL (an origin: what the prividium SDK takes as `prividiumApiBaseUrl`). */
  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.#port}`
  }
  /** The permissioned JSON-RPC endpoint: `<url>/rpc`. */
  get rpcUrl(): string {
    return `${this.url}/rpc`
  }
  /** The chain id read from the node at start. */
  get chainId(): number {
    return this.#started().chainId
  }
  /** Requests this proxy sent to the node so far. */
  get nodeRequests(): number {
    return this.#node?.requests ?? 0
  }
  /** The permissions in force. */
  get permissions(): PermissionsVersion {
    return this.#started().version()
  }
  /** The SQLite store (audit log, permission versions). */
  get store(): ProxyStore {
    return this.#started().store
  }

  /**
   * Opens the store (the permissions in force: the config file's, or the newest admin version if the file
   * did not change), reads the chain id from the node (checked against `config.chainId`), and listens.
   *
   * @throws {PrividiumConfigError} stored permissions are no longer valid.
   * @throws {PrividiumChainMismatchError} the node is another chain than the config's.
   */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = undefined
      this.#close()
      throw error
    })
    return this.#starting
  }

  async #start(): Promise<void> {
    const { config, nodeUrl, dbPath } = this.#parameters
    this.#node = new NodeClient(nodeUrl)
    const answer = await this.#node.request('eth_chainId', [])
    if (!('result' in answer) || typeof answer.result !== 'string') throw new Error(`the node at ${nodeUrl} did not answer eth_chainId`)
    const chainId = Number(BigInt(answer.result))
    if (config.chainId !== undefined && config.chainId !== chainId) throw new PrividiumChainMismatchError({ nodeUrl, configured: config.chainId, actual: chainId })

    const store = new ProxyStore(dbPath)
    this.#store = store
    let version = store.permissionsAtStart(config.permissions)
    let index = indexPermissions(version.permissions)
    const now = this.#now
    const server = createServer((req, res) => void this.#handle(req, res))
    server.requestTimeout = 30_000
    server.headersTimeout = 10_000
    this.#server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.#port, this.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.#port = (server.address() as AddressInfo).port
    this.#context = {
      config,
      chainId,
      origin: this.url,
      node: this.#node,
      store,
      tokens: new TokenStore({ nonceTtlMs: config.siwe.nonceTtlSeconds * 1_000, sessionTtlMs: config.sessions.ttlSeconds * 1_000, maxPendingNonces: config.limits.maxPendingNonces, now }),
      signInLimiter: new RateLimiter({ perMinute: config.limits.authRequestsPerMinute, now }),
      anonymousLimiter: new RateLimiter({ perMinute: config.limits.anonymousRequestsPerMinute, now }),
      now,
      index: () => index,
      version: () => version,
      changePermissions: (change: PermissionChange, changedBy: string, description: string) => {
        const next = applyPermissionChange(version.permissions, change, new Date(now()).toISOString())
        version = store.savePermissions({ permissions: parsePrividiumPermissions(next), source: 'admin', changedBy, change: description })
        index = indexPermissions(version.permissions)
        return version
      },
      audit: (entry: Omit<AuditEntry, 'at'>) => store.record({ at: now(), ...entry }),
      withdrawalProofs: this.#parameters.withdrawalProofs,
    }
  }

  /** Stops listening, closes open connections, the node client and the store. Idempotent. */
  async stop(): Promise<void> {
    const server = this.#server
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
    this.#close()
  }

  #close(): void {
    this.#server = undefined
    this.#node?.close()
    this.#node = undefined
    if (this.#store?.db.open) this.#store.close()
    this.#store = undefined
    this.#context = undefined
    this.#starting = undefined
  }

  #started(): ProxyContext {
    if (!this.#context) throw new Error(`${this.name} is not started: call start() first`)
    return this.#context
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const context = this.#context
    try {
      if (!context) throw new RestError(503, 'INTERNAL_SERVER_ERROR', 'the server is stopping')
      if (req.method === 'OPTIONS') return sendPreflight(res)
      const url = new URL(req.url ?? '/', 'http://proxy')
      const matched = matchRoute(req.method ?? 'GET', url.pathname)
      if (!matched) throw new RestError(404, 'NOT_FOUND', `no route ${req.method} ${url.pathname.slice(0, 200)}`)
      if ('allowed' in matched) throw new RestError(405, 'METHOD_NOT_ALLOWED', `${url.pathname.slice(0, 200)} takes ${matched.allowed.join(', ')}`, { allow: matched.allowed.join(', ') })
      const { route, pathParams } = matched
      const client = req.socket.remoteAddress ?? 'unknown'
      const isRpc = route.path === '/rpc'
      const body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req, context.config.limits.maxBodyBytes) : { ok: true as const, text: '' }
      if (!body.ok) {
        const reason = `the body is over ${context.config.limits.maxBodyBytes} bytes`
        context.audit({ userId: null, wallet: null, method: isRpc ? 'oversized' : `${req.method} ${route.path}`, target: null, selector: null, allowed: false, reason, client })
        const headers = { connection: 'close' }
        if (isRpc) return sendJson(res, 413, rpcError(null, INVALID_REQUEST, rpcErrorMessage(INVALID_REQUEST, reason)), headers)
        return sendRestError(res, new RestError(413, 'PAYLOAD_TOO_LARGE', reason, headers))
      }
      const { caller, token } = this.#caller(req, context.index())
      if (route.access === 'signIn') {
        const retryAfter = context.signInLimiter.take(client)
        if (retryAfter !== undefined) throw new RestError(429, 'RATE_LIMIT_ERROR', `too many sign-in requests from ${client}: retry in ${retryAfter} s`, { 'retry-after': String(retryAfter) })
      }
      if (route.access === 'session' || route.access === 'admin') {
        if (caller.kind !== 'user') throw new RestError(401, 'UNAUTHORIZED_ERROR', caller.sessionProblem ?? 'sign in first (SIWE) and send Authorization: Bearer <token>')
        if (route.access === 'admin' && !caller.admin) {
          context.audit({ userId: caller.userId, wallet: caller.wallet, method: `admin:${req.method} ${route.path}`, target: null, selector: null, allowed: false, reason: 'needs the admin permission', client })
          throw new RestError(403, 'FORBIDDEN_ERROR', 'the admin API needs the admin permission')
        }
      }
      const answer: RouteAnswer = await route.handle({ context, client, pathParams, query: url.searchParams, caller, token, bodyText: body.text })
      if (answer.status === 204) {
        res.writeHead(204, { 'access-control-allow-origin': '*' })
        res.end()
        return
      }
      sendJson(res, answer.status, answer.body ?? null, answer.headers)
    } catch (error) {
      if (res.headersSent) {
        res.destroy()
        return
      }
      if (error instanceof RestError) return sendRestError(res, error)
      console.error(`[${new Date().toISOString()}] ${this.name}: ${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      if (req.url?.startsWith('/rpc')) return sendJson(res, 500, rpcError(null, INTERNAL_ERROR, rpcErrorMessage(INTERNAL_ERROR, 'the server failed on this request')))
      sendRestError(res, new RestError(500, 'INTERNAL_SERVER_ERROR', 'the server failed on this request'))
    }
  }

  /** The caller of a request: the user of its bearer session, or anonymous (with the reason when a token was given). */
  #caller(req: IncomingMessage, index: PermissionIndex): { caller: Caller; token: string | undefined } {
    const header = req.headers.authorization
    if (header === undefined) return { caller: { kind: 'anonymous' }, token: undefined }
    const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header)
    if (!match) return { caller: { kind: 'anonymous', sessionProblem: 'the Authorization header must be "Bearer <token>"' }, token: undefined }
    const token = match[1]!
    const found = this.#context!.tokens.session(token)
    if (!found.ok) return { caller: { kind: 'anonymous', sessionProblem: found.reason }, token }
    return { caller: callerOf(index, found.session), token }
  }
}

/**
 * Creates (does not start) a permissioned RPC.
 *
 * @example
 * ```ts
 * const proxy = createPrividiumProxy({ nodeUrl: anvil.rpcUrl, config: loadPrividiumConfig('bank-a.json'), dbPath: '.junction/prividium-bank-a.db' })
 * await proxy.start()
 * console.log(proxy.url) // http://127.0.0.1:PORT: give it to the prividium SDK as prividiumApiBaseUrl
 * await proxy.stop()
 * ```
 */
export function createPrividiumProxy(parameters: CreatePrividiumProxyParameters): PrividiumProxy {
  return new PrividiumProxy(parameters)
}
