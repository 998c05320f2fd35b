// Every route of the permissioned RPC, in one table: method, path, who may call it, what answers.
import { auditLog, createEntry, deleteEntry, listEntries, readPermissions, replaceEntry, replacePermissions } from './adminRoutes.js'
import { issueSiweMessage, login, logout, profile } from './authRoutes.js'
import type { RouteAnswer, RouteRequest } from './context.js'
import { rpc } from './rpcRoute.js'

/**
 * Who may call a route: anyone (`public`), anyone but counted against the sign-in limit per client
 * address (`signIn`), a signed-in user (`session`), or a user holding the admin permission (`admin`).
 */
export type RouteAccess = 'public' | 'signIn' | 'session' | 'admin'

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Segments; `:name` matches one segment and is passed as `pathParams.name`. */
  path: string
  access: RouteAccess
  handle: (request: RouteRequest) => RouteAnswer | Promise<RouteAnswer>
}

/** The routes, as the prividium SDK (0.18.1, SIWE mode) and the `junction private` CLI call them. */
export const routes: readonly Route[] = [
  { method: 'POST', path: '/rpc', access: 'public', handle: rpc },
  { method: 'POST', path: '/api/siwe-messages', access: 'signIn', handle: issueSiweMessage },
  { method: 'POST', path: '/api/auth/login/crypto-native', access: 'signIn', handle: login },
  { method: 'POST', path: '/api/auth/logout', access: 'session', handle: logout },
  { method: 'GET', path: '/api/profiles/me', access: 'session', handle: profile },
  { method: 'GET', path: '/api/admin/permissions', access: 'admin', handle: readPermissions },
  { method: 'PUT', path: '/api/admin/permissions', access: 'admin', handle: replacePermissions },
  { method: 'GET', path: '/api/admin/users', access: 'admin', handle: listEntries('users') },
  { method: 'POST', path: '/api/admin/users', access: 'admin', handle: createEntry('users') },
  { method: 'PUT', path: '/api/admin/users/:key', access: 'admin', handle: replaceEntry('users') },
  { method: 'DELETE', path: '/api/admin/users/:key', access: 'admin', handle: deleteEntry('users') },
  { method: 'GET', path: '/api/admin/roles', access: 'admin', handle: listEntries('roles') },
  { method: 'POST', path: '/api/admin/roles', access: 'admin', handle: createEntry('roles') },
  { method: 'PUT', path: '/api/admin/roles/:key', access: 'admin', handle: replaceEntry('roles') },
  { method: 'DELETE', path: '/api/admin/roles/:key', access: 'admin', handle: deleteEntry('roles') },
  { method: 'GET', path: '/api/admin/contract-rules', access: 'admin', handle: listEntries('contractRules') },
  { method: 'POST', path: '/api/admin/contract-rules', access: 'admin', handle: createEntry('contractRules') },
  { method: 'PUT', path: '/api/admin/contract-rules/:contractAddress/:selector', access: 'admin', handle: replaceEntry('contractRules') },
  { method: 'DELETE', path: '/api/admin/contract-rules/:contractAddress/:selector', access: 'admin', handle: deleteEntry('contractRules') },
  { method: 'GET', path: '/api/admin/event-rules', access: 'admin', handle: listEntries('eventRules') },
  { method: 'POST', path: '/api/admin/event-rules', access: 'admin', handle: createEntry('eventRules') },
  { method: 'PUT', path: '/api/admin/event-rules/:key', access: 'admin', handle: replaceEntry('eventRules') },
  { method: 'DELETE', path: '/api/admin/event-rules/:key', access: 'admin', handle: deleteEntry('eventRules') },
  { method: 'GET', path: '/api/admin/audit-log', access: 'admin', handle: auditLog },
]

export type MatchRouteReturnType = { route: Route; pathParams: Record<string, string> } | { allowed: string[] } | undefined

/**
 * The route of a method and path; `{ allowed }` when the path exists for other methods only (405);
 * undefined when no route has the path (404).
 *
 * @example
 * ```ts
 * matchRoute('DELETE', '/api/admin/users/alice') // { route, pathParams: { key: 'alice' } }
 * ```
 */
export function matchRoute(method: string, pathname: string): MatchRouteReturnType {
  const segments = pathname.split('/')
  const allowed: string[] = []
  for (const route of routes) {
    const pattern = route.path.split('/')
    if (pattern.length !== segments.length) continue
    const pathParams: Record<string, string> = {}
    const matches = pattern.every((part, i) => {
      if (part.startsWith(':')) {
        const value = segments[i]!
        if (value.length === 0 || value.length > 200) return false
        try {
          pathParams[part.slice(1)] = decodeURIComponent(value)
        } catch {
          return false // a broken %-escape: no route
        }
        return true
      }
      return part === segments[i]
    })
    if (!matches) continue
    if (route.method === method) return { route, pathParams }
    allowed.push(route.method)
  }
  return allowed.length > 0 ? { allowed } : undefined
}
