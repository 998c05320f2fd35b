import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { RateLimiter, TokenStore } from './sessions.js'

const issued = (expiresAt: number) => ({ address: '0x0000000000000000000000000000000000000a01' as const, domain: '127.0.0.1', nonce: 'abcdefgh', message: 'm', expiresAt })

describe('TokenStore', () => {
  test('a nonce token is used once: the second use is named a replay, an unknown one is named unknown', () => {
    let now = 1_000_000
    const tokens = new TokenStore({ nonceTtlMs: 300_000, sessionTtlMs: 3_600_000, maxPendingNonces: 10, now: () => now })
    const { nonceToken } = tokens.issueNonce(issued)!
    assert.equal(tokens.takeNonce(nonceToken).ok, true)
    assert.match((tokens.takeNonce(nonceToken) as { reason: string }).reason, /already used: a replayed sign-in/)
    assert.match((tokens.takeNonce('forged') as { reason: string }).reason, /unknown nonce token/)
    const late = tokens.issueNonce(issued)!.nonceToken
    now += 300_000
    assert.match((tokens.takeNonce(late) as { reason: string }).reason, /expired/)
  })

  test('refuses to issue past the number of nonces waiting, until they expire', () => {
    let now = 0
    const tokens = new TokenStore({ nonceTtlMs: 1_000, sessionTtlMs: 1_000, maxPendingNonces: 2, now: () => now })
    assert.ok(tokens.issueNonce(issued))
    assert.ok(tokens.issueNonce(issued))
    assert.equal(tokens.issueNonce(issued), undefined)
    now += 2_000
    assert.ok(tokens.issueNonce(issued))
  })

  test('a session lasts its time and is found only by its token; closing it ends it', () => {
    let now = 0
    const tokens = new TokenStore({ nonceTtlMs: 1_000, sessionTtlMs: 60_000, maxPendingNonces: 2, now: () => now })
    const { token, session } = tokens.openSession({ userId: 'alice', wallet: '0x0000000000000000000000000000000000000a01' })
    assert.equal(session.expiresAt, 60_000)
    assert.deepEqual(tokens.session(token), { ok: true, session })
    assert.equal(tokens.session(`${token}x`).ok, false)
    now = 60_000
    assert.match((tokens.session(token) as { reason: string }).reason, /expired/)
    const second = tokens.openSession({ userId: 'alice', wallet: '0x0000000000000000000000000000000000000a01' }).token
    assert.equal(tokens.close(second), true)
    assert.match((tokens.session(second) as { reason: string }).reason, /unknown session token/)
  })
})

describe('RateLimiter', () => {
  test('allows the number per minute per client, then says how long to wait, and starts again next minute', () => {
    let now = 0
    const limiter = new RateLimiter({ perMinute: 2, now: () => now })
    assert.equal(limiter.take('a'), undefined)
    assert.equal(limiter.take('a'), undefined)
    now = 15_000
    assert.equal(limiter.take('a'), 45)
    assert.equal(limiter.take('b'), undefined, 'another client has its own count')
    now = 60_000
    assert.equal(limiter.take('a'), undefined)
  })
})
