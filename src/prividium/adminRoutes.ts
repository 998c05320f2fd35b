// The admin API: the permissions (users, roles, contract rules, event rules) read and changed at run
// time, and the audit log. Every route needs a user holding the admin permission.
import { jsonObject } from './authRoutes.js'
import type { RouteAnswer, RouteRequest } from './context.js'
import { PrividiumConfigError } from './errors.js'
import { RestError } from './http.js'
import { PermissionEntryNotFoundError, entryKey, type PermissionChange, type PermissionCollection } from './permissionChanges.js'
import { readAuditLog } from './proxyStore.js'

/** `GET /api/admin/permissions` → `{ version, at, changedBy, change, permissions }`. */
export function readPermissions(request: RouteRequest): RouteAnswer {
  const { version, at, changedBy, change, permissions } = request.context.version()
  return { status: 200, body: { version, at: new Date(at).toISOString(), changedBy, change, permissions } }
}

/** `PUT /api/admin/permissions` (the whole permissions) → the new version. */
export function replacePermissions(request: RouteRequest): RouteAnswer {
  return change(request, { action: 'replaceAll', value: jsonObject(request.bodyText) }, 'replaced all permissions')
}

/** `GET /api/admin/<collection>` → `{ <collection>: [...] }`. */
export const listEntries = (collection: PermissionCollection) => (request: RouteRequest): RouteAnswer => ({ status: 200, body: { version: request.context.version().version, [collection]: request.context.version().permissions[collection] } })

/** `POST /api/admin/<collection>` → the new version and the entry as stored. */
export const createEntry = (collection: PermissionCollection) => (request: RouteRequest): RouteAnswer => {
  const value = jsonObject(request.bodyText)
  return change(request, { action: 'create', collection, value }, `created ${collection} entry`)
}

/** `PUT /api/admin/<collection>/<key>` → the new version and the entry as stored. */
export const replaceEntry = (collection: PermissionCollection) => (request: RouteRequest): RouteAnswer =>
  change(request, { action: 'replace', collection, key: keyOf(collection, request), value: jsonObject(request.bodyText) }, `replaced ${collection} entry ${keyOf(collection, request)}`)

/** `DELETE /api/admin/<collection>/<key>` → the new version. */
export const deleteEntry = (collection: PermissionCollection) => (request: RouteRequest): RouteAnswer =>
  change(request, { action: 'delete', collection, key: keyOf(collection, request) }, `deleted ${collection} entry ${keyOf(collection, request)}`)

/** `GET /api/admin/audit-log?limit=&user=&wallet=&method=&refused=1&after=` → `{ entries }`, newest first. */
export function auditLog(request: RouteRequest): RouteAnswer {
  const q = request.query
  const number = (name: string, max: number) => {
    const value = q.get(name)
    if (value === null) return undefined
    const n = Number(value)
    if (!Number.isSafeInteger(n) || n < 0 || n > max) throw new RestError(400, 'VALIDATION_ERROR', `${name} must be a whole number from 0 to ${max}`)
    return n
  }
  const entries = readAuditLog(request.context.store.db, {
    limit: number('limit', 10_000) ?? 100,
    afterId: number('after', Number.MAX_SAFE_INTEGER),
    userId: q.get('user') ?? undefined,
    wallet: q.get('wallet') ?? undefined,
    method: q.get('method') ?? undefined,
    refusedOnly: q.get('refused') === '1' || q.get('refused') === 'true',
  })
  return { status: 200, body: { entries: entries.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })) } }
}

function keyOf(collection: PermissionCollection, request: RouteRequest): string {
  return collection === 'contractRules' ? `${request.pathParams.contractAddress}/${request.pathParams.selector}` : request.pathParams.key!
}

function change(request: RouteRequest, permissionChange: PermissionChange, description: string): RouteAnswer {
  const { context, caller } = request
  const who = caller.kind === 'user' ? caller.userId : 'anonymous'
  const audit = (allowed: boolean, reason: string) =>
    context.audit({ userId: caller.kind === 'user' ? caller.userId : null, wallet: caller.kind === 'user' ? caller.wallet : null, method: `admin:${permissionChange.action} ${'collection' in permissionChange ? permissionChange.collection : 'permissions'}`, target: 'key' in permissionChange ? permissionChange.key : null, selector: null, allowed, reason, client: request.client })
  try {
    const version = context.changePermissions(permissionChange, who, description)
    audit(true, `${description}: version ${version.version}`)
    const body: Record<string, unknown> = { version: version.version }
    if (permissionChange.action === 'create' || permissionChange.action === 'replace') {
      const entries = version.permissions[permissionChange.collection] as unknown[]
      body.entry = permissionChange.action === 'create' ? entries[entries.length - 1] : entries.find((entry) => entryKey(permissionChange.collection, entry) === (permissionChange.collection === 'contractRules' ? permissionChange.key.toLowerCase() : permissionChange.key))
    }
    return { status: permissionChange.action === 'create' ? 201 : 200, body }
  } catch (error) {
    if (error instanceof PrividiumConfigError) {
      audit(false, `refused: ${error.path}: ${error.problem}`)
      throw new RestError(400, 'VALIDATION_ERROR', `${error.path}: ${error.problem}`)
    }
    if (error instanceof PermissionEntryNotFoundError) {
      audit(false, `refused: ${error.message}`)
      throw new RestError(404, 'NOT_FOUND', error.message)
    }
    throw error
  }
}
