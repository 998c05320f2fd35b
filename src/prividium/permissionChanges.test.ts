import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parsePrividiumPermissions } from './config.js'
import { PrividiumConfigError } from './errors.js'
import { applyPermissionChange, hasAdmin, PermissionEntryNotFoundError } from './permissionChanges.js'

const now = '2026-01-01T00:00:00.000Z'
const later = '2026-01-02T00:00:00.000Z'
const current = parsePrividiumPermissions({
  roles: [{ name: 'member', permissions: [] }, { name: 'admin', permissions: ['admin'] }],
  users: [
    { id: 'root', roles: ['admin'], wallets: ['0x0000000000000000000000000000000000000a01'] },
    { id: 'alice', roles: ['member'], wallets: ['0x0000000000000000000000000000000000000a02'] },
  ],
  contractRules: [{ contractAddress: '0x1000000000000000000000000000000000000001', functionSignature: 'f()', accessType: 'write', ruleType: 'checkRole', roles: ['member'] }],
})

describe('applyPermissionChange', () => {
  test('creates a user with its times, replaces it keeping its creation time, deletes it', () => {
    const created = applyPermissionChange(current, { action: 'create', collection: 'users', value: { id: 'bob', roles: ['member'], wallets: ['0x0000000000000000000000000000000000000b01'] } }, now)
    assert.deepEqual(created.users.at(-1), { id: 'bob', displayName: 'bob', roles: ['member'], wallets: ['0x0000000000000000000000000000000000000B01'], createdAt: now, updatedAt: now })
    const replaced = applyPermissionChange(created, { action: 'replace', collection: 'users', key: 'bob', value: { displayName: 'Bob', roles: [], wallets: ['0x0000000000000000000000000000000000000b02'] } }, later)
    assert.deepEqual(replaced.users.at(-1), { id: 'bob', displayName: 'Bob', roles: [], wallets: ['0x0000000000000000000000000000000000000B02'], createdAt: now, updatedAt: later })
    assert.equal(applyPermissionChange(replaced, { action: 'delete', collection: 'users', key: 'bob' }, later).users.length, 2)
  })

  test('finds a contract rule by address and selector in any case', () => {
    const next = applyPermissionChange(current, { action: 'delete', collection: 'contractRules', key: '0x1000000000000000000000000000000000000001/0x26121FF0' }, now)
    assert.equal(next.contractRules.length, 0)
  })

  test('refuses a change that breaks the whole: a role in use deleted, a duplicate, a renamed key', () => {
    assert.throws(() => applyPermissionChange(current, { action: 'delete', collection: 'roles', key: 'member' }, now), (e: unknown) => e instanceof PrividiumConfigError && /no role "member"/.test(e.problem))
    assert.throws(() => applyPermissionChange(current, { action: 'create', collection: 'users', value: { id: 'alice', wallets: ['0x0000000000000000000000000000000000000c01'] } }, now), /defined twice/)
    assert.throws(() => applyPermissionChange(current, { action: 'replace', collection: 'users', key: 'alice', value: { id: 'alicia', wallets: ['0x0000000000000000000000000000000000000a02'] } }, now), /must keep its key "alice"/)
  })

  test('refuses to leave nobody able to administer', () => {
    assert.equal(hasAdmin(current), true)
    assert.throws(() => applyPermissionChange(current, { action: 'delete', collection: 'users', key: 'root' }, now), /no user with the admin permission/)
    assert.throws(() => applyPermissionChange(current, { action: 'replace', collection: 'roles', key: 'admin', value: { name: 'admin', permissions: [] } }, now), /no user with the admin permission/)
  })

  test('names an entry that does not exist', () => {
    assert.throws(() => applyPermissionChange(current, { action: 'delete', collection: 'eventRules', key: 'nope' }, now), (e: unknown) => e instanceof PermissionEntryNotFoundError && e.message === 'no event rule "nope"')
  })
})
