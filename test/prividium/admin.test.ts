// The admin API and `junction private`: permissions changed at run time take effect at once (also for
// sessions already open), outlive a restart, give way to an edited config file; the audit log read
// back; a permissioned RPC run standalone by `junction private serve`.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { encodeFunctionData, numberToHex } from 'viem'
import { runCommand } from '../../src/cli/runCommand.js'
import { testTokenAbi } from '../../src/contracts/generated/index.js'
import { loadPrividiumConfig, parsePrividiumConfig } from '../../src/prividium/config.js'
import { FORBIDDEN, UNAUTHORIZED } from '../../src/prividium/jsonRpc.js'
import { PrividiumApiClient } from '../../src/prividium/PrividiumApiClient.js'
import { createPrividiumProxy } from '../../src/prividium/PrividiumProxy.js'
import { startPrivateChain, type PrivateChain } from './support/privateChain.js'

let chain: PrivateChain
let dir: string
before(async () => {
  chain = await startPrivateChain({ chainId: 48_105 })
  dir = mkdtempSync(join(tmpdir(), 'junction-prividium-admin-'))
})
after(async () => {
  await chain?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Runs `junction private ...` in this process; returns what it printed. */
async function junction(...args: string[]): Promise<string> {
  const lines: string[] = []
  const log = console.log
  console.log = (...parts: unknown[]) => void lines.push(parts.join(' '))
  try {
    assert.equal(await runCommand(['private', ...args]), 0)
  } finally {
    console.log = log
  }
  return lines.join('\n')
}

const balanceOf = (who: `0x${string}`) => encodeFunctionData({ abi: testTokenAbi, functionName: 'balanceOf', args: [who] })

describe('the admin API through junction private', () => {
  test('lists users, adds one whose wallet can then sign in, and removes it: its open session ends at once', async () => {
    const api = chain.proxy.url
    const listed = await junction('users', '--api', api)
    assert.match(listed, /user-1 +User 1 +member, deployer/)
    assert.match(listed, /auditor +Auditor +auditor/)
    const stranger = chain.stranger
    assert.match(await junction('add-user', '--api', api, '--id', 'newcomer', '--wallet', stranger.account.address, '--role', 'member', '--name', 'New Comer'), /user newcomer added \(permissions version \d+\)/)
    await chain.signIn(stranger)
    const own = await chain.rpc({ jsonrpc: '2.0', id: 1, method: 'eth_getBalance', params: [stranger.account.address, 'latest'] }, stranger)
    assert.equal(BigInt(own.body.result), await chain.node.getBalance({ address: stranger.account.address }))
    await junction('remove-user', '--api', api, 'newcomer')
    const after = await chain.rpc({ jsonrpc: '2.0', id: 1, method: 'eth_getBalance', params: [stranger.account.address, 'latest'] }, stranger)
    assert.equal(after.body.error.code, UNAUTHORIZED)
    assert.match(after.body.error.message, /user "newcomer" was removed/)
  })

  test('a rule added lets an open session call a contract at once; removed, the call is refused again', async () => {
    const api = chain.proxy.url
    const a = chain.members.a
    await chain.signIn(a)
    const read = () => chain.rpc({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ from: a.account.address, to: chain.unlisted, data: balanceOf(a.account.address) }, 'latest'] }, a)
    assert.equal((await read()).body.error.code, FORBIDDEN)
    await junction('add-rule', '--api', api, '--contract', chain.unlisted, '--function', 'balanceOf(address)', '--access', 'read', '--type', 'checkRoleAndRestrictArgument', '--role', 'member', '--restrict', '0')
    assert.match(await junction('rules', '--api', api), new RegExp(`${chain.unlisted} +balanceOf\\(address\\) +0x70a08231 +read +checkRoleAndRestrictArgument +member +0`, "i"))
    assert.equal((await read()).body.result, numberToHex(0, { size: 32 }))
    await junction('remove-rule', '--api', api, '--contract', chain.unlisted, '--function', 'balanceOf(address)')
    assert.equal((await read()).body.error.code, FORBIDDEN)
  })

  test('refuses a change that breaks the permissions, and any change from a member', async () => {
    const admin = new PrividiumApiClient({ apiBaseUrl: chain.proxy.url, account: chain.admin.account })
    await assert.rejects(admin.request('DELETE', '/api/admin/roles/member'), /400 VALIDATION_ERROR: \$\.users\[0\]\.roles\[0\]: no role "member"/)
    await assert.rejects(admin.request('DELETE', '/api/admin/users/admin'), /no user with the admin permission/)
    await assert.rejects(admin.request('DELETE', '/api/admin/users/nobody'), /404 NOT_FOUND: no user "nobody"/)
    const member = new PrividiumApiClient({ apiBaseUrl: chain.proxy.url, account: chain.members.b.account })
    await assert.rejects(member.request('POST', '/api/admin/roles', { name: 'root', permissions: ['admin'] }), /403 FORBIDDEN_ERROR/)
  })

  test('junction private log reads every decision from the database, refusals and admin changes included', async () => {
    chain.proxy.store.flush()
    const dbPath = chain.proxy.store.db.name
    const refused = await junction('log', '--db', dbPath, '--refused', '--limit', '500')
    assert.match(refused, /REFUSED +no rule names contract/)
    assert.doesNotMatch(refused, / allowed /)
    const changes = await junction('log', '--api', chain.proxy.url, '--user', 'admin', '--limit', '500')
    assert.match(changes, /admin:create users .* allowed +created users entry/)
    assert.match(changes, /admin:delete roles .* REFUSED +refused: \$\.users\[0\]\.roles\[0\]: no role "member"/)
  })
})

describe('permissions across restarts', () => {
  test('admin changes outlive a restart; an edited config file replaces them', async () => {
    const configFile = join(dir, 'config.json')
    const dbPath = join(dir, 'restart.db')
    writeFileSync(configFile, JSON.stringify(chain.config))
    const start = async () => {
      const proxy = createPrividiumProxy({ nodeUrl: chain.relay.url, config: loadPrividiumConfig(configFile), dbPath })
      await proxy.start()
      return proxy
    }
    let proxy = await start()
    try {
      const admin = new PrividiumApiClient({ apiBaseUrl: proxy.url, account: chain.admin.account })
      await admin.request('POST', '/api/admin/roles', { name: 'observer', permissions: [] })
      await proxy.stop()
      proxy = await start()
      assert.ok(proxy.permissions.permissions.roles.some((r) => r.name === 'observer'), 'the admin change is still in force')
      assert.equal(proxy.permissions.source, 'admin')
      await proxy.stop()
      writeFileSync(configFile, JSON.stringify({ ...chain.config, sessions: { ttlSeconds: 60 }, permissions: { ...chain.config.permissions, roles: [...chain.config.permissions.roles, { name: 'edited', permissions: [] }] } }))
      proxy = await start()
      assert.deepEqual([proxy.permissions.source, proxy.permissions.permissions.roles.some((r) => r.name === 'edited'), proxy.permissions.permissions.roles.some((r) => r.name === 'observer')], ['file', true, false])
    } finally {
      await proxy.stop()
    }
  })
})

describe('junction private init-config and serve', () => {
  test('init-config writes the default config; serve runs a permissioned RPC on it until stopped', async () => {
    const configFile = join(dir, 'served.json')
    const printed = await junction('init-config', '--out', configFile, '--chain-id', String(chain.chainId), '--token', chain.token, '--data-dir', join(dir, 'no-network'))
    assert.match(printed, /7 users, 9 contract rules, 3 event rules \(members: dev accounts 3 to 7; no network manifest found\)/)
    const config = parsePrividiumConfig(JSON.parse(readFileSync(configFile, 'utf8')))
    assert.equal(config.chainId, chain.chainId)

    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'private', 'serve', '--node', chain.anvil.rpcUrl, '--config', configFile, '--db', join(dir, 'served.db')], { stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const match = /permissioned RPC for chain \d+ at (http:\/\/[\d.]+:\d+)/.exec(out)
          if (match) resolve(match[1]!)
        })
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)))
      })
      const answer = await fetch(`${url}/rpc`, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }) })
      assert.equal(((await answer.json()) as { result: string }).result, numberToHex(chain.chainId))
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      assert.equal(await exited, 143, 'it stops on SIGTERM')
    }
  })
})
