import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { toEventSelector } from 'viem'
import { DEFAULT_PRIVIDIUM_SETTINGS, parsePrividiumConfig, parsePrividiumPermissions } from './config.js'
import { defaultPrividiumConfig, erc20Rules } from './defaultConfig.js'
import { PrividiumConfigError } from './errors.js'

const wallet = '0x90f79bf6eb2c4f870365e785982e1f101e93b906'
const token = '0x1000000000000000000000000000000000000001'
const base = { roles: [{ name: 'member', permissions: [] }], users: [{ id: 'u1', roles: ['member'], wallets: [wallet] }], contractRules: [], eventRules: [] }
const refuses = (input: unknown, path: string, problem: RegExp) =>
  assert.throws(() => parsePrividiumPermissions(input), (error: unknown) => {
    assert.ok(error instanceof PrividiumConfigError, String(error))
    assert.equal(error.path, path)
    assert.match(error.problem, problem)
    return true
  })
const withRule = (rule: Record<string, unknown>) => ({ ...base, contractRules: [{ contractAddress: token, accessType: 'write', ruleType: 'checkRole', roles: ['member'], ...rule }] })

describe('parsePrividiumConfig', () => {
  test('fills in the settings\' defaults and normalises addresses and selectors', () => {
    const config = parsePrividiumConfig({ permissions: withRule({ methodSelector: '0xA9059CBB' }) })
    assert.deepEqual(config.siwe, DEFAULT_PRIVIDIUM_SETTINGS.siwe)
    assert.deepEqual(config.limits, DEFAULT_PRIVIDIUM_SETTINGS.limits)
    assert.equal(config.permissions.users[0]!.wallets[0], '0x90F79bf6EB2c4f870365E785982E1f101E93b906')
    assert.equal(config.permissions.users[0]!.displayName, 'u1')
    assert.equal(config.permissions.contractRules[0]!.methodSelector, '0xa9059cbb')
  })

  test('derives a rule\'s selector from its signature, and an event rule\'s topic 0 and id', () => {
    const permissions = parsePrividiumPermissions({ ...withRule({ functionSignature: 'transfer(address, uint256)' }), eventRules: [{ contractAddress: token, eventSignature: 'Transfer(address,address,uint256)' }] })
    assert.equal(permissions.contractRules[0]!.methodSelector, '0xa9059cbb')
    assert.equal(permissions.contractRules[0]!.functionSignature, 'transfer(address,uint256)')
    assert.equal(permissions.eventRules[0]!.topic0, toEventSelector('event Transfer(address,address,uint256)'))
    assert.match(permissions.eventRules[0]!.id, /^event-[0-9a-f]{12}$/)
  })

  test('names the field of each mistake', () => {
    refuses({ ...base, users: [{ id: 'u1', roles: ['boss'], wallets: [wallet] }] }, '$.users[0].roles[0]', /no role "boss"/)
    refuses({ ...base, users: [...base.users, { id: 'u2', wallets: [wallet.toUpperCase().replace('0X', '0x')] }] }, '$.users[1].wallets[0]', /already belongs to user "u1"/)
    refuses({ ...base, users: [{ id: 'u1', wallets: [] }] }, '$.users[0].wallets', /at least one wallet/)
    refuses({ ...base, users: [{ id: 'u 1', wallets: [wallet] }] }, '$.users[0].id', /letters, digits/)
    refuses({ ...base, roles: [{ name: 'member', permissions: ['root'] }] }, '$.roles[0].permissions[0]', /deployContracts, plainTransfers, fullRead, admin/)
    refuses({ ...base, extra: 1 }, '$.extra', /unknown field/)
    refuses(withRule({}), '$.contractRules[0]', /functionSignature or methodSelector/)
    refuses(withRule({ functionSignature: 'transfer(address,uint256)', methodSelector: '0x12345678' }), '$.contractRules[0].methodSelector', /not the selector of transfer/)
    refuses(withRule({ functionSignature: 'multicall(bytes[])' }), '$.contractRules[0]', /forwards arbitrary calls/)
    refuses(withRule({ methodSelector: '0x82ad56cb' }), '$.contractRules[0]', /aggregate3/)
    refuses(withRule({ functionSignature: 'f(uint256)', ruleType: 'restrictArgument', roles: [], argumentRestrictions: [{ argumentIndex: 0 }] }), '$.contractRules[0].argumentRestrictions[0].argumentIndex', /is uint256: only address arguments/)
    refuses(withRule({ functionSignature: 'f(address)', ruleType: 'restrictArgument', roles: [], argumentRestrictions: [{ argumentIndex: 1 }] }), '$.contractRules[0].argumentRestrictions[0].argumentIndex', /has 1 arguments/)
    refuses(withRule({ methodSelector: '0x12345678', ruleType: 'restrictArgument', roles: [], argumentRestrictions: [{ argumentIndex: 0 }] }), '$.contractRules[0].functionSignature', /needs the function signature/)
    refuses(withRule({ functionSignature: 'f()', roles: [] }), '$.contractRules[0].roles', /needs at least one role/)
    refuses(withRule({ functionSignature: 'f()', ruleType: 'public' }), '$.contractRules[0].roles', /checks no role/)
    refuses(withRule({ functionSignature: 'f(address)', argumentRestrictions: [{ argumentIndex: 0 }] }), '$.contractRules[0].argumentRestrictions', /restricts no argument/)
    refuses({ ...base, contractRules: [...withRule({ functionSignature: 'f()' }).contractRules, ...withRule({ methodSelector: '0x26121ff0' }).contractRules] }, '$.contractRules[1]', /one rule per contract and selector/)
    refuses({ ...base, eventRules: [{ contractAddress: token, topic0: '0x12' }] }, '$.eventRules[0].topic0', /32 bytes/)
    refuses({ ...base, eventRules: [{ contractAddress: token, eventSignature: 'E()', topicRestrictions: [{ topicIndex: 0, equals: 'caller' }] }] }, '$.eventRules[0].topicRestrictions[0].topicIndex', /≥ 1/)
  })

  test("the default config: members (the first a deployer), an auditor reading everything, an admin, a relayer reading the InteropCenter's bundles and sending only its executions and fee claims, members their own withdrawals and blindings, ERC-20 rules", () => {
    const config = defaultPrividiumConfig({ chainId: 300, members: [{ address: wallet }, { address: token }], tokens: [token], l2Contracts: { interopCenter: '0x2000000000000000000000000000000000000002', interopHandler: '0x4000000000000000000000000000000000000004', l2AssetRouter: '0x3000000000000000000000000000000000000003' } })
    assert.equal(config.chainId, 300)
    assert.deepEqual(config.permissions.users.map((u) => [u.id, u.roles]), [['user-1', ['member', 'deployer']], ['user-2', ['member']], ['auditor', ['auditor']], ['admin', ['admin']], ['relayer', ['relayer']]])
    assert.deepEqual(config.permissions.roles.find((r) => r.name === 'relayer')!.permissions, [])
    const relayerRules = config.permissions.eventRules.filter((r) => r.roles.includes('relayer'))
    assert.deepEqual(relayerRules.map((r) => [r.contractAddress, r.eventSignature, r.topicRestrictions]), [
      ['0x2000000000000000000000000000000000000002', 'BundleSent(bytes32,uint256,address,bytes)', []],
      ['0x2000000000000000000000000000000000000002', 'MessageBundleSent(bytes32,uint256,address,bytes32)', []],
      ['0x2000000000000000000000000000000000000002', 'MessageSent(bytes32,bytes,bytes,bytes,uint256,bytes[])', []],
      ['0x2000000000000000000000000000000000000002', 'BundleBlinded(bytes32,bytes32)', []],
    ])
    // Its sends on the chain (executions, fee claims on bundles sent from it), and no other call, read or write.
    assert.deepEqual(config.permissions.contractRules.filter((r) => r.roles.includes('relayer')).map((r) => [r.contractAddress, r.functionSignature?.replace(/\(.*/, ''), r.accessType, r.ruleType, r.roles]), [
      ['0x4000000000000000000000000000000000000004', 'executeBundle', 'write', 'checkRole', ['relayer']],
      ['0x4000000000000000000000000000000000000004', 'executeBundles', 'write', 'checkRole', ['relayer']],
      ['0x4000000000000000000000000000000000000004', 'executeBlindedBundle', 'write', 'checkRole', ['relayer']],
      ['0x2000000000000000000000000000000000000002', 'claimFee', 'write', 'checkRole', ['relayer']],
    ])
    assert.deepEqual(config.permissions.roles.find((r) => r.name === 'auditor')!.permissions, ['fullRead'])
    assert.ok(config.permissions.contractRules.some((r) => r.functionSignature === 'sendMessage(bytes,bytes,bytes[])'))
    assert.ok(config.permissions.contractRules.some((r) => r.functionSignature === 'withdraw(bytes32,uint256,address)'))
    assert.equal(config.permissions.contractRules.filter((r) => r.contractAddress.toLowerCase() === token).length, erc20Rules(token, ['member']).contractRules.length)
    assert.ok(config.permissions.contractRules.filter((r) => r.accessType === 'write').every((r) => r.ruleType !== 'public'), 'no write is public: the auditor writes nothing')
    const memberRouterRules = config.permissions.eventRules.filter((r) => r.contractAddress === '0x3000000000000000000000000000000000000003')
    assert.deepEqual(memberRouterRules.map((r) => [r.eventSignature, r.topicRestrictions, r.roles]), [
      ['WithdrawalInitiated(bytes32,address,address,uint256,bytes)', [{ topicIndex: 2, equals: 'caller' }], ['member']],
      ['WithdrawalBlinded(address,bytes32,bytes32)', [{ topicIndex: 1, equals: 'caller' }], ['member']],
    ])
    assert.equal(parsePrividiumConfig(JSON.parse(JSON.stringify(config))).permissions.eventRules.length, 9, 'it round-trips through JSON')
  })
})
