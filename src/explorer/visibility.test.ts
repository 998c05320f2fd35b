import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { NetworkManifest } from '../network/types.js'
import { remediesFor } from './messageView.js'
import type { PrivateSession } from './privateChains.js'
import { searchKind } from './searchView.js'
import { ANONYMOUS, bundleVisibility, visibleChainIds, type Visitor } from './visibility.js'

// Only what the decisions read: L1, two public chains, two private ones.
const manifest = {
  l1: { chainId: 1 },
  chains: [{ chainId: 10 }, { chainId: 11 }, { chainId: 20, private: true, apiBaseUrl: 'http://127.0.0.1:1' }, { chainId: 21, private: true, apiBaseUrl: 'http://127.0.0.1:2' }],
} as unknown as NetworkManifest
const session = (chainId: number): PrivateSession => ({ chainId, address: '0x00000000000000000000000000000000000000aa', token: 't', expiresAt: new Date(Date.now() + 60_000).toISOString() })
const signedIn = (...chainIds: number[]): Visitor => ({ sessions: new Map(chainIds.map((id) => [id, session(id)])) })

describe('what a visitor may see of private chains', () => {
  test('an anonymous visitor sees L1 and the public chains, no private one', () => {
    assert.deepEqual([...visibleChainIds(manifest, ANONYMOUS)].sort((a, b) => a - b), [1, 10, 11])
  })

  test('a visitor signed in to one private chain sees it and not the other', () => {
    assert.deepEqual([...visibleChainIds(manifest, signedIn(20))].sort((a, b) => a - b), [1, 10, 11, 20])
  })

  test('a bundle between public chains is public to everyone', () => {
    assert.equal(bundleVisibility(manifest, ANONYMOUS, { sourceChainId: 10, destinationChainId: 11 }), 'public')
  })

  test('a bundle sent on a private chain is hidden unless the visitor signed in there, and then its RPC must show the send', () => {
    assert.equal(bundleVisibility(manifest, ANONYMOUS, { sourceChainId: 20, destinationChainId: 10 }), 'hidden')
    assert.equal(bundleVisibility(manifest, signedIn(21), { sourceChainId: 20, destinationChainId: 10 }), 'hidden')
    assert.equal(bundleVisibility(manifest, signedIn(20), { sourceChainId: 20, destinationChainId: 10 }), 'check-source')
  })

  test('a bundle between two private chains needs both sessions', () => {
    assert.equal(bundleVisibility(manifest, signedIn(20), { sourceChainId: 20, destinationChainId: 21 }), 'hidden')
    assert.equal(bundleVisibility(manifest, signedIn(20, 21), { sourceChainId: 20, destinationChainId: 21 }), 'check-source')
  })

  test('a bundle from a public chain to a private one shows only its source side until the visitor signs in to the destination', () => {
    assert.equal(bundleVisibility(manifest, ANONYMOUS, { sourceChainId: 10, destinationChainId: 20 }), 'source-side')
    assert.equal(bundleVisibility(manifest, signedIn(20), { sourceChainId: 10, destinationChainId: 20 }), 'public')
  })
})

describe('search and remedies', () => {
  test('tells a hash, an address, a UETR and a chain apart by shape, and refuses anything else', () => {
    assert.equal(searchKind(`0x${'ab'.repeat(32)}`), 'hash')
    assert.equal(searchKind('0x90F79bf6EB2c4f870365E785982E1f101E93b906'), 'address')
    assert.equal(searchKind('271'), 'chain')
    assert.equal(searchKind('alpha'), 'chain')
    assert.equal(searchKind('eb6305c9-1f7f-49de-aed0-16487c27b42d'), 'uetr', 'a UETR, though it starts like a chain name')
    assert.equal(searchKind('EB6305C9-1F7F-49DE-AED0-16487C27B42D'), 'uetr')
    assert.equal(searchKind('not a hash!'), undefined)
    assert.equal(searchKind(`0x${'ab'.repeat(31)}`), undefined)
  })

  test('offers retry always, unbundling only when the bundle names an unbundler, and nothing unless it failed', () => {
    const zero = '0x0000000000000000000000000000000000000000'
    const unbundler = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
    assert.deepEqual(remediesFor({ status: 'executed', unbundler, executionAddress: zero }, false), [])
    const withUnbundler = remediesFor({ status: 'failed', failure: 'CallFailed(0, RecipientRefused())', unbundler, executionAddress: zero }, false)
    assert.match(withUnbundler[0]!, /^Retry/)
    assert.match(withUnbundler[1]!, new RegExp(`^Unbundle: ${unbundler}`))
    assert.match(remediesFor({ status: 'failed', unbundler: zero, executionAddress: zero }, false)[1]!, /not possible/)
    assert.equal(remediesFor({ status: 'failed', unbundler: zero, executionAddress: zero }, true).length, 3)
  })
})
