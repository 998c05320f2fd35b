import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { keccak256, type Hex } from 'viem'
import { blindedWithdrawalCommitment, encodeWithdrawalMessage } from '../protocol/index.js'
import { openStore } from '../store/openStore.js'
import { withdrawalLeafOf } from './withdrawalLeaf.js'

const message = encodeWithdrawalMessage({ assetId: keccak256('0x01'), l2Sender: '0x1000000000000000000000000000000000000001', l1Receiver: '0x2000000000000000000000000000000000000002', amount: 7n })
const blinding: Hex = keccak256('0x02')

describe('withdrawalLeafOf (docs/protocol.md §9.13)', () => {
  test("a withdrawal the index saw no blinding for has its message's hash as leaf payload", () => {
    const store = openStore(':memory:')
    assert.deepEqual(withdrawalLeafOf(store, 271, message), { messageHash: keccak256(message), payloadHash: keccak256(message) })
  })

  test("a private chain's blinded withdrawal has its blinded commitment as leaf payload, on that chain only", () => {
    const store = openStore(':memory:')
    store.prepare('INSERT INTO withdrawal_blindings (chain_id, payload_hash, blinding, commitment) VALUES (?,?,?,?)').run(4201, keccak256(message), blinding, blindedWithdrawalCommitment(keccak256(message), blinding))
    assert.deepEqual(withdrawalLeafOf(store, 4201, message), { messageHash: keccak256(message), payloadHash: blindedWithdrawalCommitment(keccak256(message), blinding), blinding })
    assert.equal(withdrawalLeafOf(store, 271, message).payloadHash, keccak256(message))
  })
})
