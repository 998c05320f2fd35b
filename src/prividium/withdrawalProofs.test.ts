// junction_getWithdrawalProof's decisions: the proof only for the withdrawal's sender (or full read access);
// to anyone else the very answer an unknown transaction gets; "not ready" only to those who may see it; and
// the answer's wire form reads back to the proof it encodes.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { keccak256, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { WithdrawalProof } from '../indexer/withdrawalProof.js'
import type { InteropProof } from '../protocol/index.js'
import { checkRpcRequest } from './checkRpcRequest.js'
import { parsePrividiumPermissions } from './config.js'
import { callerOf, indexPermissions, type UserCaller } from './permissionIndex.js'
import { answerWithdrawalProof, parseWithdrawalProofRpc } from './withdrawalProofs.js'

const alice = privateKeyToAccount(keccak256('0xa1')).address
const bob = privateKeyToAccount(keccak256('0xb0')).address
const auditor = privateKeyToAccount(keccak256('0xa0d1')).address
const index = indexPermissions(
  parsePrividiumPermissions({
    roles: [{ name: 'member', permissions: [] }, { name: 'auditor', permissions: ['fullRead'] }],
    users: [
      { id: 'alice', roles: ['member'], wallets: [alice] },
      { id: 'bob', roles: ['member'], wallets: [bob] },
      { id: 'audit', roles: ['auditor'], wallets: [auditor] },
    ],
    contractRules: [],
    eventRules: [],
  }),
)
const userOf = (id: string, wallet: Address) => callerOf(index, { userId: id, wallet }) as UserCaller
const tx = keccak256('0x01')
const proof: InteropProof = {
  slChainId: 31337n,
  slBlockNumber: 42n,
  messageSender: '0x000000000000000000000000000000000001000a',
  batchNumber: 3n,
  messageIndex: 1n,
  messageCount: 2n,
  messageSiblings: [keccak256('0x02')],
  batchCount: 3n,
  batchSiblings: [keccak256('0x03'), keccak256('0x04')],
  chainIndex: 0n,
  chainCount: 1n,
  chainSiblings: [],
  hops: [],
}
const withdrawal: WithdrawalProof = { chainId: 4301, l2Sender: alice, message: '0x1234', blinding: keccak256('0x05'), proof }

test('the sender gets its proof, and its wire form reads back to the same withdrawal', () => {
  const answer = answerWithdrawalProof({ ready: true, withdrawal }, userOf('alice', alice), tx)
  assert.equal(answer.kind, 'result')
  assert.deepEqual(parseWithdrawalProofRpc((answer as { result: unknown }).result), withdrawal)
  const { blinding: _, ...plain } = withdrawal
  const unblinded = answerWithdrawalProof({ ready: true, withdrawal: plain }, userOf('alice', alice), tx)
  assert.deepEqual(parseWithdrawalProofRpc((unblinded as { result: unknown }).result), plain, 'a public leaf has no blinding')
})

test('another member is told what an unknown transaction is told, ready or not; full read access sees it', () => {
  const unknown = answerWithdrawalProof({ ready: false, reason: 'unknown' }, userOf('bob', bob), tx)
  assert.equal(unknown.kind, 'not-yours')
  assert.deepEqual(answerWithdrawalProof({ ready: true, withdrawal }, userOf('bob', bob), tx), unknown)
  assert.deepEqual(answerWithdrawalProof({ ready: false, reason: 'not-batched', l2Sender: alice }, userOf('bob', bob), tx), unknown)
  assert.equal(answerWithdrawalProof({ ready: true, withdrawal }, userOf('audit', auditor), tx).kind, 'result')
})

test('not ready is said only to the sender', () => {
  const answer = answerWithdrawalProof({ ready: false, reason: 'not-executed-on-settlement-layer', l2Sender: alice }, userOf('alice', alice), tx)
  assert.equal(answer.kind, 'not-ready')
  assert.match((answer as { reason: string }).reason, /not-executed-on-settlement-layer/)
})

test('the method needs a session and one transaction hash', () => {
  const entry = (params: unknown[]) => ({ id: 1, method: 'junction_getWithdrawalProof', params })
  assert.equal(checkRpcRequest({ entry: entry([tx]), caller: { kind: 'anonymous' } as never, index, chainId: 4301 }).kind, 'refuse')
  assert.deepEqual(checkRpcRequest({ entry: entry([tx]), caller: userOf('alice', alice), index, chainId: 4301 }), { kind: 'withdrawalProof', transactionHash: tx, reason: "a withdrawal's proof from the operator's index, for its sender" })
  for (const params of [[], ['0x12'], [tx, tx]]) assert.equal(checkRpcRequest({ entry: entry(params), caller: userOf('alice', alice), index, chainId: 4301 }).kind, 'refuse', JSON.stringify(params))
})

test('a malformed answer is named', () => {
  assert.throws(() => parseWithdrawalProofRpc({ chainId: '0x1', l2Sender: alice, message: 'nope', blinding: null, proof: '0x' }), /hex message/)
  assert.throws(() => parseWithdrawalProofRpc(null), /hex chainId/)
  assert.throws(() => parseWithdrawalProofRpc({ chainId: '0x1', l2Sender: alice, message: '0x', blinding: null, proof: '0x12' }), /not an ABI-encoded InteropProof/)
})
