// Changes to the permissions made through the admin API: each applied to a copy, the result checked
// as a whole (as a config file is), and refused if it would leave nobody able to administer. Pure.
import { parsePrividiumPermissions, type PrividiumPermissions } from './config.js'
import { PrividiumConfigError } from './errors.js'

/** The collections of the permissions the admin API changes. */
export type PermissionCollection = 'users' | 'roles' | 'contractRules' | 'eventRules'

/** One change: create an entry, replace or delete the one with `key`, or replace everything. */
export type PermissionChange =
  | { action: 'create'; collection: PermissionCollection; value: unknown }
  | { action: 'replace'; collection: PermissionCollection; key: string; value: unknown }
  | { action: 'delete'; collection: PermissionCollection; key: string }
  | { action: 'replaceAll'; value: unknown }

/** The entry a change names does not exist (HTTP 404). */
export class PermissionEntryNotFoundError extends Error {
  override name = 'PermissionEntryNotFoundError'
}

/**
 * The key of an entry: a user's id, a role's name, a contract rule's `address/selector` (lower case),
 * an event rule's id.
 *
 * @example
 * ```ts
 * entryKey('contractRules', rule) // '0xabc…/0xa9059cbb'
 * ```
 */
export function entryKey(collection: PermissionCollection, entry: unknown): string {
  const e = entry as Record<string, string>
  switch (collection) {
    case 'users':
      return e.id!
    case 'roles':
      return e.name!
    case 'contractRules':
      return `${e.contractAddress!.toLowerCase()}/${e.methodSelector!.toLowerCase()}`
    case 'eventRules':
      return e.id!
  }
}

/**
 * Applies a change and returns the new permissions, checked whole.
 *
 * @throws {PrividiumConfigError} the result is not valid (a role in use deleted, a wallet given twice, ...), or it leaves no admin.
 * @throws {PermissionEntryNotFoundError} the entry to replace or delete does not exist.
 * @example
 * ```ts
 * const next = applyPermissionChange(current, { action: 'delete', collection: 'users', key: 'bob' }, new Date().toISOString())
 * ```
 */
export function applyPermissionChange(current: PrividiumPermissions, change: PermissionChange, now: string): PrividiumPermissions {
  let candidate: unknown
  if (change.action === 'replaceAll') candidate = change.value
  else {
    const entries: unknown[] = [...current[change.collection]]
    const at = change.action === 'create' ? -1 : entries.findIndex((entry) => entryKey(change.collection, entry) === normaliseKey(change.collection, change.key))
    if (change.action !== 'create' && at === -1) throw new PermissionEntryNotFoundError(`no ${singular[change.collection]} "${change.key}"`)
    if (change.action === 'delete') entries.splice(at, 1)
    else {
      let value = change.value
      if (change.collection === 'users' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const previous = at === -1 ? undefined : (entries[at] as { createdAt?: string })
        value = { ...(value as object), createdAt: previous?.createdAt ?? now, updatedAt: now }
        if (change.action === 'replace' && (value as { id?: unknown }).id === undefined) (value as { id?: unknown }).id = change.key
      }
      if (at === -1) entries.push(value)
      else entries[at] = value
    }
    candidate = { ...current, [change.collection]: entries }
  }
  const next = parsePrividiumPermissions(candidate, '$')
  if (change.action === 'replace') {
    const replaced = (next[change.collection] as unknown[]).some((entry) => entryKey(change.collection, entry) === normaliseKey(change.collection, change.key))
    if (!replaced) throw new PrividiumConfigError({ path: '$', problem: `the new ${singular[change.collection]} must keep its key "${change.key}" (delete it and create another to rename)` })
  }
  if (hasAdmin(current) && !hasAdmin(next)) throw new PrividiumConfigError({ path: '$', problem: 'the change would leave no user with the admin permission: refused' })
  return next
}

/** Whether some user holds a role with the admin permission. */
export function hasAdmin(permissions: PrividiumPermissions): boolean {
  const adminRoles = new Set(permissions.roles.filter((role) => role.permissions.includes('admin')).map((role) => role.name))
  return permissions.users.some((user) => user.roles.some((role) => adminRoles.has(role)))
}

const singular: Record<PermissionCollection, string> = { users: 'user', roles: 'role', contractRules: 'contract rule', eventRules: 'event rule' }

function normaliseKey(collection: PermissionCollection, key: string): string {
  return collection === 'contractRules' ? key.toLowerCase() : key
}
