import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { keccak256, toRlp, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { balanceSlot } from '../protocol/disclosure.js'
import { checkRpcRequest, type RpcDecision } from './checkRpcRequest.js'
import { parsePrividiumPermissions } from './config.js'
import { erc20Rules } from './defaultConfig.js'
import { filterRpcResult } from './filterRpcResult.js'
import { FORBIDDEN } from './jsonRpc.js'
import { callerOf, indexPermissions, type UserCaller } from './permissionIndex.js'

const alice = privateKeyToAccount(keccak256('0xa1')).address
const alice2 = privateKeyToAccount(keccak256('0xa2')).address
const bob = privateKeyToAccount(keccak256('0xb0')).address
const token = '0x1000000000000000000000000000000000000001' as Address
const unruled = '0x2000000000000000000000000000000000000002' as Address

const index = indexPermissions(
  parsePrividiumPermissions({
    roles: [{ name: 'member', permissions: [] }, { name: 'guest', permissions: [] }],
    users: [
      { id: 'alice', roles: ['member'], wallets: [alice, alice2] },
      { id: 'bob', roles: ['guest'], wallets: [bob] },
    ],
    contractRules: erc20Rules(token, ['member']).contractRules,
    eventRules: [],
  }),
)
const userOf = (id: string, wallet: Address) => callerOf(index, { userId: id, wallet }) as UserCaller
const decide = (caller: UserCaller, address: Address, keys: Hex[]): RpcDecision => checkRpcRequest({ entry: { id: 1, method: 'eth_getProof', params: [address, keys, '0x10'] }, caller, index, chainId: 1 })

describe('eth_getProof of a token balance slot (selective disclosure)', () => {
  test("forwards a member's proof of its own wallets' balance slots, to be filtered as an own balance proof", () => {
    const decision = decide(userOf('alice', alice), token, [balanceSlot({ holder: alice }), balanceSlot({ holder: alice2 })])
    assert.equal(decision.kind, 'forward')
    assert.deepEqual((decision as { filter: unknown }).filter, { kind: 'ownBalanceProof' })
    assert.deepEqual((decision as { params: unknown[] }).params, [token, [balanceSlot({ holder: alice }), balanceSlot({ holder: alice2 })], '0x10'])
  })

  test("refuses another holder's slot, any other slot, a token without a balanceOf rule, and a caller the rule does not let read", () => {
    const refusal = (d: RpcDecision) => (d.kind === 'refuse' ? `${d.code} ${d.reason}` : d.kind)
    assert.match(refusal(decide(userOf('alice', alice), token, [balanceSlot({ holder: bob })])), new RegExp(`^${FORBIDDEN} .*not the balance slot of one of your wallets`))
    assert.match(refusal(decide(userOf('alice', alice), token, [balanceSlot({ holder: alice }), `0x${'00'.repeat(32)}`])), /not the balance slot/)
    assert.match(refusal(decide(userOf('alice', alice), token, [balanceSlot({ holder: alice, balancesSlot: 4n })])), /not the balance slot/)
    assert.match(refusal(decide(userOf('alice', alice), unruled, [balanceSlot({ holder: alice })])), /needs a rule letting you read your balanceOf/)
    assert.match(refusal(decide(userOf('bob', bob), token, [balanceSlot({ holder: bob })])), /needs one of the roles member/)
  })

  test("passes a non-zero balance's proof, and refuses a zero balance's proof that ends in another slot's leaf", () => {
    const leafNode = toRlp([`0x20${'ab'.repeat(32)}`, toRlp('0x05')]) // a leaf: [path with flag 2, value]
    const branchNode = toRlp(Array.from({ length: 17 }, () => '0x' as Hex)) // a branch: 17 items
    const caller = userOf('alice', alice)
    const filter = (storageProof: unknown) => filterRpcResult({ filter: { kind: 'ownBalanceProof' }, result: { accountProof: ['0x01'], storageProof }, caller, index })
    assert.equal(filter([{ key: '0x1', value: '0x5', proof: [branchNode, leafNode] }]).refused, undefined)
    assert.match(filter([{ key: '0x1', value: '0x0', proof: [branchNode, leafNode] }]).refused!, /balance is zero/)
    assert.equal(filter([{ key: '0x1', value: '0x0', proof: [branchNode] }]).refused, undefined)
    assert.match(filter(undefined).refused!, /balance is zero/)
  })
})
