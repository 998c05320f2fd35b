// What the routes of the permissioned RPC share: the server's state and one request's.
import type { PrividiumConfig } from './config.js'
import type { NodeClient } from './NodeClient.js'
import type { PermissionChange } from './permissionChanges.js'
import type { Caller, PermissionIndex } from './permissionIndex.js'
import type { AuditEntry, PermissionsVersion, ProxyStore } from './proxyStore.js'
import type { RateLimiter, TokenStore } from './sessions.js'
import type { WithdrawalProofs } from './withdrawalProofs.js'

/** The state of one running permissioned RPC. */
export type ProxyContext = {
  config: PrividiumConfig
  chainId: number
  /** `http://host:port`: the API base URL clients use, and the URI of the SIWE messages. */
  origin: string
  node: NodeClient
  store: ProxyStore
  tokens: TokenStore
  /** Sign-in requests, per client address. */
  signInLimiter: RateLimiter
  /** JSON-RPC requests without a session, per client address. */
  anonymousLimiter: RateLimiter
  now: () => number
  /** The permissions in force, indexed. */
  index(): PermissionIndex
  /** The version in force. */
  version(): PermissionsVersion
  /** Applies an admin change (checked whole) and records it as a new version. */
  changePermissions(change: PermissionChange, changedBy: string, description: string): PermissionsVersion
  /** Records a decision in the audit log. */
  audit(entry: Omit<AuditEntry, 'at'>): void
  /** The operator's withdrawal proofs (`junction_getWithdrawalProof`), if its index is attached. */
  withdrawalProofs?: WithdrawalProofs | undefined
}

/** One request, as a route sees it. */
export type RouteRequest = {
  context: ProxyContext
  /** The client's address. */
  client: string
  /** The `:name` parts of the route's path. */
  pathParams: Record<string, string>
  query: URLSearchParams
  /** Who is asking: the session's user, or anonymous (with why, when a token was given). */
  caller: Caller
  /** The bearer token, when one was given. */
  token: string | undefined
  /** The body as text (read within the size limit). */
  bodyText: string
}

/** What a route answers. */
export type RouteAnswer = { status: number; body?: unknown; headers?: Record<string, string> }
