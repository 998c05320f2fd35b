// Bad input to the permissioned RPC: each gets a clear error, and nothing reaches the node (counted by
// a relay between the proxy and anvil, independently of the proxy).
import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, describe, test } from 'node:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request as httpRequest } from 'node:http'
import { parsePrividiumConfig } from '../../src/prividium/config.js'
import { createPrividiumProxy } from '../../src/prividium/PrividiumProxy.js'
import { INVALID_PARAMS, INVALID_REQUEST, PARSE_ERROR, UNAUTHORIZED } from '../../src/prividium/jsonRpc.js'
import { startPrivateChain, type PrivateChain } from './support/privateChain.js'

let chain: PrivateChain
let reachedBefore: number
before(async () => {
  chain = await startPrivateChain({ chainId: 48_103, config: (base) => ({ ...base, limits: { ...base.limits, maxBodyBytes: 16_384, maxBatchSize: 5 } }) })
  await chain.signIn(chain.members.a)
})
after(async () => {
  await chain?.stop()
})
beforeEach(() => {
  reachedBefore = chain.relay.methods.length
})
afterEach(() => {
  assert.deepEqual(chain.relay.methods.slice(reachedBefore), [], 'nothing reached the node')
})

const api = async (path: string, init: { method?: string; body?: unknown; token?: string; raw?: string } = {}) => {
  const response = await fetch(new URL(path, chain.proxy.url), {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined }
}
const issue = async (address = chain.members.a.account.address) => (await api('/api/siwe-messages', { body: { address } })).body as { msg: string; nonceToken: string; nonce: string }
const login = (body: unknown) => api('/api/auth/login/crypto-native', { body })
const expectRestError = (answer: { status: number; body: any }, status: number, code: string, message: RegExp) => {
  assert.equal(answer.status, status, JSON.stringify(answer.body))
  assert.equal(answer.body.error.code, code)
  assert.match(answer.body.error.message, message)
}
const expectRpcError = (answer: { status: number; body: any }, code: number, message: RegExp, status = 200) => {
  assert.equal(answer.status, status)
  assert.equal(answer.body.error.code, code, JSON.stringify(answer.body))
  assert.match(answer.body.error.message, message)
}
const balance = { jsonrpc: '2.0', id: 1, method: 'eth_getBalance', params: [] as unknown[] }

describe('bad input to the JSON-RPC endpoint', () => {
  test('malformed JSON: -32700', async () => {
    expectRpcError(await chain.rpc('{"jsonrpc":"2.0","id":1,"method":"eth_getBalance"', chain.members.a), PARSE_ERROR, /not JSON/)
    expectRpcError(await chain.rpc('', chain.members.a), PARSE_ERROR, /not JSON/)
  })

  test('a body over the limit: 413, whether declared or streamed without a length', async () => {
    expectRpcError(await chain.rpc({ ...balance, params: ['x'.repeat(20_000)] }, chain.members.a), INVALID_REQUEST, /over 16384 bytes/, 413)
    const streamed = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = httpRequest(chain.proxy.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }))
      })
      req.on('error', reject)
      for (let i = 0; i < 40; i++) req.write('['.repeat(1_000))
      req.end()
    })
    expectRpcError(streamed, INVALID_REQUEST, /over 16384 bytes/, 413)
    expectRestError(await api('/api/siwe-messages', { raw: JSON.stringify({ address: 'x'.repeat(20_000) }) }), 413, 'PAYLOAD_TOO_LARGE', /over 16384 bytes/)
  })

  test('a forged token, a malformed Authorization header: -32090, with the reason', async () => {
    expectRpcError(await chain.rpc({ ...balance, params: [chain.members.a.account.address, 'latest'] }, { ...chain.members.a, token: 'forged-token-forged-token-forged-token' }), UNAUTHORIZED, /unknown session token/)
    const lowerCase = await fetch(chain.proxy.rpcUrl, { method: 'POST', headers: { authorization: `bearer ${chain.members.a.token}` }, body: JSON.stringify({ ...balance, params: [chain.members.a.account.address, 'latest'] }) })
    expectRpcError({ status: lowerCase.status, body: await lowerCase.json() }, UNAUTHORIZED, /must be "Bearer <token>"/)
  })

  test('an expired session: -32090 once the session\'s time has passed', async () => {
    const member = { ...chain.members.b }
    await chain.signIn(member)
    chain.clock.offsetMs += 3_600_000
    try {
      expectRpcError(await chain.rpc({ ...balance, params: [member.account.address, 'latest'] }, member), UNAUTHORIZED, /session has expired/)
    } finally {
      chain.clock.offsetMs -= 3_600_000
    }
  })

  test('envelopes that are not requests: -32600 each, a batch over the limit refused whole', async () => {
    const a = chain.members.a
    expectRpcError(await chain.rpc({ jsonrpc: '2.0', method: 'eth_chainId' }, a), INVALID_REQUEST, /notifications/)
    expectRpcError(await chain.rpc({ id: 1, method: 'eth_chainId' }, a), INVALID_REQUEST, /jsonrpc must be "2.0"/)
    expectRpcError(await chain.rpc({ jsonrpc: '2.0', id: 1, method: 'eth_getBalance', params: { address: a.account.address } }, a), INVALID_REQUEST, /params must be an array/)
    expectRpcError(await chain.rpc({ jsonrpc: '2.0', id: { nested: true }, method: 'eth_chainId' }, a), INVALID_REQUEST, /id must be/)
    expectRpcError(await chain.rpc({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', extra: 1 }, a), INVALID_REQUEST, /unknown member/)
    expectRpcError(await chain.rpc([], a), INVALID_REQUEST, /empty batch/)
    expectRpcError(await chain.rpc(Array.from({ length: 6 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_blockNumber' })), a), INVALID_REQUEST, /batch of 6 entries: at most 5, refused whole/)
    const mixed = await chain.rpc([5, 'x', null, { jsonrpc: '2.0', id: 9, method: 'eth_chainId' }], a)
    assert.deepEqual(mixed.body.map((e: { error?: { code: number } }) => e.error?.code), [INVALID_REQUEST, INVALID_REQUEST, INVALID_REQUEST, undefined])
    const deep = await chain.rpc(`${'['.repeat(5_000)}${']'.repeat(5_000)}`, a)
    assert.equal(deep.body.length, 1)
    expectRpcError({ status: deep.status, body: deep.body[0] }, INVALID_REQUEST, /must be a JSON object/)
  })

  test('malformed parameters: -32602, a raw transaction that is not one included', async () => {
    const a = chain.members.a
    expectRpcError(await chain.rpc({ ...balance, params: ['0x1234', 'latest'] }, a), INVALID_PARAMS, /20-byte hex address/)
    expectRpcError(await chain.rpc({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: ['0xc0ffee'] }, a), INVALID_PARAMS, /not a signed transaction/)
    expectRpcError(await chain.rpc({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ from: a.account.address, to: chain.token, data: '0xabc' }] }, a), INVALID_PARAMS, /hex bytes/)
  })

  test('unknown routes and methods: 404 and 405 in Prividium\'s error shape', async () => {
    expectRestError(await api('/api/nowhere', { method: 'GET' }), 404, 'NOT_FOUND', /no route GET \/api\/nowhere/)
    const get = await api('/rpc', { method: 'GET' })
    expectRestError(get, 405, 'METHOD_NOT_ALLOWED', /takes POST/)
    assert.equal(get.headers.get('allow'), 'POST')
  })
})

describe('bad sign-ins', () => {
  test('a replayed SIWE nonce: the second login with the same message, signature and token is refused as a replay', async () => {
    const { msg, nonceToken } = await issue()
    const signature = await chain.members.a.account.signMessage({ message: msg })
    assert.equal((await login({ message: msg, signature, nonceToken })).status, 200)
    expectRestError(await login({ message: msg, signature, nonceToken }), 401, 'UNAUTHORIZED_ERROR', /already used: a replayed sign-in is refused/)
  })

  test('a message naming another domain, another chain id, another nonce, or changed: 401 naming it', async () => {
    const account = chain.members.a.account
    for (const [edit, problem] of [
      [(m: string) => m.replace(/^127\.0\.0\.1 /, 'evil.example '), /domain "evil\.example" is not one this server accepts/],
      [(m: string) => m.replace(/Chain ID: \d+/, 'Chain ID: 1'), /for chain 1, this is chain 48103/],
      [(m: string) => m.replace(/Nonce: \w+/, 'Nonce: abcdefgh12345678'), /nonce is not the one issued/],
      [(m: string) => m.replace(/Expiration Time: .*/, 'Expiration Time: 2999-01-01T00:00:00.000Z'), /differs from the one issued/],
    ] as [(m: string) => string, RegExp][]) {
      const { msg, nonceToken } = await issue()
      const forged = edit(msg)
      assert.notEqual(forged, msg)
      expectRestError(await login({ message: forged, signature: await account.signMessage({ message: forged }), nonceToken }), 401, 'UNAUTHORIZED_ERROR', problem)
    }
  })

  test('another wallet\'s signature, an unknown nonce token, an expired message: 401 each', async () => {
    const { msg, nonceToken } = await issue()
    expectRestError(await login({ message: msg, signature: await chain.members.b.account.signMessage({ message: msg }), nonceToken }), 401, 'UNAUTHORIZED_ERROR', /is not 0x.*'s signature of the message/)
    const fresh = await issue()
    expectRestError(await login({ message: fresh.msg, signature: await chain.members.a.account.signMessage({ message: fresh.msg }), nonceToken: 'made-up' }), 401, 'UNAUTHORIZED_ERROR', /unknown nonce token/)
    const late = await issue()
    chain.clock.offsetMs += 301_000
    try {
      expectRestError(await login({ message: late.msg, signature: await chain.members.a.account.signMessage({ message: late.msg }), nonceToken: late.nonceToken }), 401, 'UNAUTHORIZED_ERROR', /expired/)
    } finally {
      chain.clock.offsetMs -= 301_000
    }
  })

  test('malformed sign-in requests: 400 VALIDATION_ERROR', async () => {
    expectRestError(await api('/api/siwe-messages', { body: { address: 'alice' } }), 400, 'VALIDATION_ERROR', /address/)
    expectRestError(await api('/api/siwe-messages', { body: { address: chain.members.a.account.address, domain: 'evil.example' } }), 400, 'VALIDATION_ERROR', /not one this server accepts/)
    expectRestError(await api('/api/siwe-messages', { raw: '{' }), 400, 'VALIDATION_ERROR', /not JSON/)
    expectRestError(await login({ message: 'x', signature: '0x00', nonceToken: 'y' }), 400, 'VALIDATION_ERROR', /65 bytes/)
    expectRestError(await login([]), 400, 'VALIDATION_ERROR', /JSON object/)
  })

  test('the profile and the admin API: 401 without a session, 403 without the admin permission', async () => {
    expectRestError(await api('/api/profiles/me', { method: 'GET' }), 401, 'UNAUTHORIZED_ERROR', /sign in/)
    expectRestError(await api('/api/admin/users', { method: 'GET', token: chain.members.a.token }), 403, 'FORBIDDEN_ERROR', /admin permission/)
    expectRestError(await api('/api/admin/users', { body: { id: 'mallory', wallets: [chain.stranger.account.address] }, token: chain.members.a.token }), 403, 'FORBIDDEN_ERROR', /admin permission/)
  })
})

describe('rate limits', () => {
  test('sign-ins past the limit per client: 429 with Retry-After; anonymous JSON-RPC past its own: 429 -32005', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-prividium-limits-'))
    const config = parsePrividiumConfig({ ...chain.config, limits: { ...chain.config.limits, authRequestsPerMinute: 3, anonymousRequestsPerMinute: 2 } })
    const proxy = createPrividiumProxy({ nodeUrl: chain.relay.url, config, dbPath: join(dir, 'p.db') })
    const beforeStart = chain.relay.methods.length
    await proxy.start()
    try {
      const ask = () => fetch(`${proxy.url}/api/siwe-messages`, { method: 'POST', body: JSON.stringify({ address: chain.members.a.account.address }) })
      for (let i = 0; i < 3; i++) assert.equal((await ask()).status, 200)
      const limited = await ask()
      assert.equal(limited.status, 429)
      assert.ok(Number(limited.headers.get('retry-after')) >= 1)
      assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'RATE_LIMIT_ERROR')
      const anonymous = () => fetch(proxy.rpcUrl, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }) })
      assert.equal((await anonymous()).status, 200)
      assert.equal((await anonymous()).status, 200)
      const third = await anonymous()
      assert.equal(third.status, 429)
      assert.equal(((await third.json()) as { error: { code: number } }).error.code, -32005)
    } finally {
      await proxy.stop()
      rmSync(dir, { recursive: true, force: true })
    }
    assert.deepEqual(chain.relay.methods.slice(beforeStart), ['eth_chainId'], 'only the new proxy\'s own question at start')
    reachedBefore = chain.relay.methods.length
  })
})
