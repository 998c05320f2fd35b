import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, beforeEach, describe, test } from 'node:test'
import { createPublicClient, verifyMessage, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { prividiumTransport } from './prividiumTransport.js'

const account = privateKeyToAccount(`0x${'11'.repeat(32)}`)

/**
 * A permissioned RPC's API as far as a session goes: SIWE sign-in (the signature checked), and `/rpc`
 * answering `eth_blockNumber` to a valid session, -32090 to anything else, -32001 to `eth_forbidden`.
 * `valid` is the set of live tokens: the test empties it to expire them all.
 */
const api = { logins: 0, rpcCalls: [] as { method: string; authorization: string | undefined }[], valid: new Set<string>(), neverAccept: false }
let server: Server
let apiBaseUrl: string
before(async () => {
  server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk) => (text += chunk))
    req.on('end', async () => {
      const body = JSON.parse(text) as Record<string, unknown>
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(json))
      }
      if (req.url === '/api/siwe-messages') return reply(200, { msg: `sign in ${body.address as string}`, nonceToken: 'nonce' })
      if (req.url === '/api/auth/login/crypto-native') {
        if (!(await verifyMessage({ address: account.address, message: body.message as string, signature: body.signature as Hex }))) return reply(401, { error: { code: 'BAD_SIGNATURE', message: 'bad signature' } })
        const token = `token-${++api.logins}`
        api.valid.add(token)
        return reply(200, { token, expiresAt: new Date(Date.now() + 60_000).toISOString() })
      }
      const authorization = req.headers.authorization
      api.rpcCalls.push({ method: body.method as string, authorization })
      const id = body.id
      if (api.neverAccept || !authorization || !api.valid.has(authorization.replace(/^Bearer /, ''))) return reply(200, { jsonrpc: '2.0', id, error: { code: -32090, message: 'Unauthorized: sign in (no session, or it expired)' } })
      if (body.method === 'eth_forbidden') return reply(200, { jsonrpc: '2.0', id, error: { code: -32001, message: 'Forbidden: no rule allows it' } })
      return reply(200, { jsonrpc: '2.0', id, result: '0x2a' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  apiBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => {
  server.closeAllConnections()
  server.close()
})
beforeEach(() => {
  api.logins = 0
  api.rpcCalls.length = 0
  api.valid.clear()
  api.neverAccept = false
})

const client = () => createPublicClient({ transport: prividiumTransport({ apiBaseUrl, account }) })

describe('prividiumTransport', () => {
  test('signs in on its first request and sends every request to /rpc with the bearer token of that one session', async () => {
    const rpc = client()
    assert.equal(await rpc.getBlockNumber({ cacheTime: 0 }), 42n)
    assert.equal(await rpc.getBlockNumber({ cacheTime: 0 }), 42n)
    assert.equal(api.logins, 1)
    assert.deepEqual(api.rpcCalls, [
      { method: 'eth_blockNumber', authorization: 'Bearer token-1' },
      { method: 'eth_blockNumber', authorization: 'Bearer token-1' },
    ])
  })

  test('signs in again once when the session expired (-32090), and asks again with the new token', async () => {
    const rpc = client()
    await rpc.getBlockNumber({ cacheTime: 0 })
    api.valid.clear()
    assert.equal(await rpc.getBlockNumber({ cacheTime: 0 }), 42n)
    assert.equal(api.logins, 2)
    assert.deepEqual(api.rpcCalls.map((c) => c.authorization), ['Bearer token-1', 'Bearer token-1', 'Bearer token-2'])
  })

  test('requests that meet the same expired session together sign in once', async () => {
    const rpc = client()
    await rpc.getBlockNumber({ cacheTime: 0 })
    api.valid.clear()
    const answers = await Promise.all([1, 2, 3, 4].map(() => rpc.request({ method: 'eth_blockNumber' })))
    assert.deepEqual(answers, ['0x2a', '0x2a', '0x2a', '0x2a'])
    assert.equal(api.logins, 2)
  })

  test('a server that refuses every session: the request fails with -32090 after one sign-in again, not in a loop', async () => {
    api.neverAccept = true
    await assert.rejects(client().request({ method: 'eth_blockNumber' }), (error: Error & { code?: number }) => error.code === -32090)
    assert.equal(api.logins, 2)
    assert.equal(api.rpcCalls.length, 2)
  })

  test('a refusal of the rules (-32001) comes back as it is, without signing in again', async () => {
    await assert.rejects(client().request({ method: 'eth_forbidden' as 'eth_blockNumber' }), (error: Error & { code?: number }) => error.code === -32001 && /no rule allows it/.test(error.message))
    assert.equal(api.logins, 1)
    assert.equal(api.rpcCalls.length, 1)
  })
})
