import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { keccak256 } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { buildSiweMessage, checkSiweLogin, verifySiweSignature, type IssuedSiweMessage } from './siwe.js'

const account = privateKeyToAccount(keccak256('0x51'))
const other = privateKeyToAccount(keccak256('0x52'))
const now = Date.parse('2026-01-01T00:00:00Z')
const issue = (overrides: Partial<Parameters<typeof buildSiweMessage>[0]> = {}): IssuedSiweMessage => {
  const fields = { address: account.address, domain: '127.0.0.1', uri: 'http://127.0.0.1:8011', chainId: 300, statement: 'Sign in.', nonce: 'abcdef0123456789', issuedAt: new Date(now), expirationTime: new Date(now + 300_000), ...overrides }
  return { address: fields.address, domain: fields.domain, nonce: 'abcdef0123456789', message: buildSiweMessage(fields), expiresAt: now + 300_000 }
}
const check = (message: string, issued = issue(), at = now + 1_000) => checkSiweLogin({ message, issued, domains: ['127.0.0.1', 'localhost'], chainId: 300, now: at })

describe('checkSiweLogin', () => {
  test('accepts the message issued, at any time before it expires', () => {
    const issued = issue()
    assert.equal(check(issued.message, issued), undefined)
    assert.match(issued.message, /^127\.0\.0\.1 wants you to sign in with your Ethereum account:\n0x/)
    assert.match(issued.message, /\nChain ID: 300\nNonce: abcdef0123456789\n/)
  })

  test('names each thing wrong: domain, chain id, nonce, address, expiry, a change', () => {
    const issued = issue()
    assert.match(check(issue({ domain: 'evil.example' }).message, issued)!, /domain "evil\.example" is not one this server accepts/)
    assert.match(check(issue({ chainId: 1 }).message, issued)!, /for chain 1, this is chain 300/)
    assert.match(check(issue({ nonce: 'zzzzzzzz00000000' }).message, issued)!, /nonce is not the one issued/)
    assert.match(check(issue({ address: other.address }).message, issued)!, /signs in 0x.*, the nonce was issued to/)
    assert.match(check(issued.message, issued, now + 300_000)!, /expired/)
    assert.match(check(issue({ notBefore: new Date(now + 60_000) }).message, issued)!, /not valid yet/)
    assert.match(check(issue({ issuedAt: new Date(now + 3_600_000) }).message, issued)!, /issued in the future/)
    assert.match(check(issue({ statement: 'Give all my tokens away.' }).message, issued)!, /differs from the one issued/)
    assert.match(check(`${issued.message}\nResources:\n- https://evil.example`, issued)!, /differs from the one issued/)
    assert.match(check('hello', issued)!, /not an EIP-4361 sign-in message/)
  })
})

describe('verifySiweSignature', () => {
  test('accepts the address\'s signature and returns its public key; refuses another key\'s, a changed message and a malformed signature', async () => {
    const { message } = issue()
    const signature = await account.signMessage({ message })
    assert.deepEqual(await verifySiweSignature({ address: account.address, message, signature }), { valid: true, publicKey: account.publicKey })
    assert.deepEqual(await verifySiweSignature({ address: account.address, message, signature: await other.signMessage({ message }) }), { valid: false })
    assert.deepEqual(await verifySiweSignature({ address: account.address, message: `${message} `, signature }), { valid: false })
    assert.deepEqual(await verifySiweSignature({ address: account.address, message, signature: `0x${'00'.repeat(65)}` }), { valid: false })
  })
})
