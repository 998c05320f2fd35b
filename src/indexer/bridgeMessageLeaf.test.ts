import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { keccak256, type Hex } from 'viem'
import { blindedBridgeMessageCommitment, encodeWithdrawalMessage } from '../protocol/index.js'
import { openStore } from '../store/openStore.js'
import { bridgeMessageLeafOf } from './bridgeMessageLeaf.js'

const message = encodeWithdrawalMessage({ assetId: keccak256('0x01'), l2Sender: '0x1000000000000000000000000000000000000001', l1Receiver: '0x2000000000000000000000000000000000000002', amount: 7n })
const blinding: Hex = keccak256('0x02')

describe('bridgeMessageLeafOf (docs/protocol.md §9.13)', () => {
  test("a withdrawal the index saw no blinding for has its message's hash as leaf payload", () => {
    const store = openStore(':memory:')
    assert.deepEqual(bridgeMessageLeafOf(store, 271, message), { messageHash: keccak256(message), payloadHash: keccak256(message) })
  })

  test("a private chain's blinded withdrawal has its blinded commitment as leaf payload, on that chain only", () => {
    const store = openStore(':memory:')
    store.prepare('INSERT INTO bridge_message_blindings (chain_id, payload_hash, blinding, commitment) VALUES (?,?,?,?)').run(4201, keccak256(message), blinding, blindedBridgeMessageCommitment(keccak256(message), blinding))
    assert.deepEqual(bridgeMessageLeafOf(store, 4201, message), { messageHash: keccak256(message), payloadHash: blindedBridgeMessageCommitment(keccak256(message), blinding), blinding })
    assert.equal(bridgeMessageLeafOf(store, 271, message).payloadHash, keccak256(message))
  })
})
