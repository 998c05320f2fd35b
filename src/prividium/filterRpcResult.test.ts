import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { pad, toEventSelector, type Address, type Hex } from 'viem'
import { parsePrividiumPermissions } from './config.js'
import { filterRpcResult, logVisible, UNINFORMATIVE_BLOOM } from './filterRpcResult.js'
import { callerOf, indexPermissions, type UserCaller } from './permissionIndex.js'

const alice = '0xa11ce00000000000000000000000000000000001' as Address
const alice2 = '0xa11ce00000000000000000000000000000000002' as Address
const bob = '0xb0b0000000000000000000000000000000000003' as Address
const token = '0x1000000000000000000000000000000000000001' as Address
const transfer = toEventSelector('event Transfer(address indexed, address indexed, uint256)')
const index = indexPermissions(
  parsePrividiumPermissions({
    roles: [{ name: 'member', permissions: [] }, { name: 'ops', permissions: [] }],
    users: [
      { id: 'alice', roles: ['member'], wallets: [alice, alice2] },
      { id: 'bob', roles: ['ops'], wallets: [bob] },
    ],
    eventRules: [
      { contractAddress: token, eventSignature: 'Transfer(address,address,uint256)', topicRestrictions: [{ topicIndex: 2, equals: 'caller' }], roles: ['member'] },
      { contractAddress: token, topic0: pad('0x01'), topicRestrictions: [{ topicIndex: 1, equals: pad('0x05') }], roles: [] },
    ],
  }),
)
const aliceCaller = callerOf(index, { userId: 'alice', wallet: alice }) as UserCaller
const bobCaller = callerOf(index, { userId: 'bob', wallet: bob }) as UserCaller
const topic = (address: Address) => pad(address).toLowerCase() as Hex

describe('filterRpcResult', () => {
  test('shows a transaction or receipt to its sender and recipient, with any of their wallets, and null to others', () => {
    const tx = { hash: '0x01', from: bob, to: alice2 }
    assert.deepEqual(filterRpcResult({ filter: { kind: 'party' }, result: tx, caller: aliceCaller, index }), { result: tx })
    assert.deepEqual(filterRpcResult({ filter: { kind: 'party' }, result: { ...tx, to: alice2.toUpperCase().replace('0X', '0x') }, caller: aliceCaller, index }).result !== null, true)
    const hidden = filterRpcResult({ filter: { kind: 'party' }, result: { ...tx, to: token }, caller: aliceCaller, index })
    assert.equal(hidden.result, null)
    assert.match(hidden.withheld!, /neither its sender nor its recipient/)
    assert.deepEqual(filterRpcResult({ filter: { kind: 'party' }, result: null, caller: aliceCaller, index }), { result: null })
  })

  test('keeps only the caller\'s transactions of a block, as hashes unless full ones were asked, with a bloom that tells nothing', () => {
    const block = { number: '0x5', logsBloom: `0x${'01'.repeat(256)}`, transactions: [{ hash: '0xaa', from: alice, to: token }, { hash: '0xbb', from: bob, to: token }, { hash: '0xcc', from: bob, to: alice }] }
    const hashes = filterRpcResult({ filter: { kind: 'block', full: false }, result: block, caller: aliceCaller, index })
    assert.deepEqual(hashes.result, { number: '0x5', logsBloom: UNINFORMATIVE_BLOOM, transactions: ['0xaa', '0xcc'] })
    assert.match(hashes.withheld!, /1 of the block's 3/)
    const full = filterRpcResult({ filter: { kind: 'block', full: true }, result: block, caller: bobCaller, index })
    assert.deepEqual((full.result as { transactions: unknown[] }).transactions, [block.transactions[1], block.transactions[2]])
  })

  test('refuses the proof of an empty own account (it would end in a neighbour\'s leaf), passes a funded one', () => {
    const empty = { balance: '0x0', nonce: '0x0', codeHash: '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470', accountProof: ['0x…'] }
    assert.match(filterRpcResult({ filter: { kind: 'ownAccountProof' }, result: empty, caller: aliceCaller, index }).refused!, /empty/)
    assert.equal(filterRpcResult({ filter: { kind: 'ownAccountProof' }, result: { ...empty, nonce: '0x1' }, caller: aliceCaller, index }).refused, undefined)
  })
})

describe('logVisible', () => {
  const log = (topics: Hex[], address: Address = token) => ({ address, topics, data: '0x' })
  test('shows a log whose restricted topic is one of the caller\'s wallets, to a role the rule names', () => {
    assert.equal(logVisible(log([transfer, topic(bob), topic(alice2)]), aliceCaller, index), true)
    assert.equal(logVisible(log([transfer, topic(alice), topic(bob)]), aliceCaller, index), false, 'alice is topic 1, the rule restricts topic 2')
    assert.equal(logVisible(log([transfer, topic(bob), topic(bob)]), bobCaller, index), false, 'bob has not the role')
    assert.equal(logVisible(log([transfer, topic(bob), topic(alice)], bob), aliceCaller, index), false, 'another contract')
    assert.equal(logVisible(log([transfer, topic(bob), `0xff${topic(alice).slice(4)}` as Hex]), aliceCaller, index), false, 'a topic with dirty high bytes is no address')
    assert.equal(logVisible(log([transfer, topic(bob)]), aliceCaller, index), false, 'the topic is missing')
  })
  test('a constant topic restriction and a rule for every role', () => {
    assert.equal(logVisible(log([pad('0x01'), pad('0x05')]), bobCaller, index), true)
    assert.equal(logVisible(log([pad('0x01'), pad('0x06')]), bobCaller, index), false)
    assert.equal(logVisible({ address: 5, topics: 'x' }, bobCaller, index), false, 'garbage is never shown')
  })
})
