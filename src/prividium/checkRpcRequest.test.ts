import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { encodeAbiParameters, encodeFunctionData, keccak256, parseAbiItem, toFunctionSelector, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { checkRpcRequest, PUBLIC_METHODS, SERVED_METHODS, type RpcDecision } from './checkRpcRequest.js'
import { parsePrividiumPermissions, type RuleType } from './config.js'
import { checkContractAccess } from './contractAccess.js'
import { FORBIDDEN, INVALID_PARAMS, UNAUTHORIZED } from './jsonRpc.js'
import { callerOf, indexPermissions, type Caller, type PermissionIndex, type UserCaller } from './permissionIndex.js'

const CHAIN_ID = 4_711
const alice = privateKeyToAccount(keccak256('0xa1'))
const bob = privateKeyToAccount(keccak256('0xb0'))
const auditorKey = privateKeyToAccount(keccak256('0xad'))
const token = '0x1000000000000000000000000000000000000001' as Address
const other = '0x2000000000000000000000000000000000000002' as Address

function indexWith(contractRules: unknown[] = [], eventRules: unknown[] = []): PermissionIndex {
  return indexPermissions(
    parsePrividiumPermissions({
      roles: [
        { name: 'member', permissions: ['plainTransfers'] },
        { name: 'deployer', permissions: ['deployContracts'] },
        { name: 'auditor', permissions: ['fullRead'] },
        { name: 'nobody', permissions: [] },
      ],
      users: [
        { id: 'alice', roles: ['member', 'deployer'], wallets: [alice.address] },
        { id: 'bob', roles: ['nobody'], wallets: [bob.address] },
        { id: 'auditor', roles: ['auditor'], wallets: [auditorKey.address] },
      ],
      contractRules,
      eventRules,
    }),
  )
}
const userOf = (index: PermissionIndex, id: string, wallet: Address, publicKey?: Hex) => callerOf(index, { userId: id, wallet, publicKey }) as UserCaller
const decide = (index: PermissionIndex, caller: Caller, method: string, params: unknown[], codeAt?: { address: Address; hasCode: boolean }): RpcDecision => checkRpcRequest({ entry: { id: 1, method, params }, caller, index, chainId: CHAIN_ID, codeAt })
const kind = (d: RpcDecision) => (d.kind === 'refuse' ? d.code : d.kind)

describe('checkRpcRequest', () => {
  const index = indexWith([{ contractAddress: token, functionSignature: 'balanceOf(address)', accessType: 'read', ruleType: 'restrictArgument', argumentRestrictions: [{ argumentIndex: 0 }] }])
  const a = userOf(index, 'alice', alice.address)
  const auditor = userOf(index, 'auditor', auditorKey.address)
  const anonymous: Caller = { kind: 'anonymous' }

  test('answers eth_chainId and net_version for anyone without asking the node, and nothing else without a session', () => {
    assert.deepEqual(PUBLIC_METHODS, ['eth_chainId', 'net_version'])
    assert.deepEqual(decide(index, anonymous, 'eth_chainId', []), { kind: 'answer', result: '0x1267', reason: 'public' })
    assert.deepEqual(decide(index, anonymous, 'net_version', []), { kind: 'answer', result: '4711', reason: 'public' })
    for (const method of SERVED_METHODS.filter((m) => !PUBLIC_METHODS.includes(m))) assert.equal(kind(decide(index, anonymous, method, [])), UNAUTHORIZED, method)
    assert.match((decide(index, { kind: 'anonymous', sessionProblem: 'the session has expired: sign in again' }, 'eth_blockNumber', []) as { reason: string }).reason, /expired/)
  })

  test('refuses every method not served, for everyone, naming why for known families', () => {
    for (const [method, why] of [
      ['debug_traceCall', /tracing/],
      ['anvil_setCode', /administration/],
      ['evm_increaseTime', /administration/],
      ['eth_sendTransaction', /node would sign/],
      ['eth_simulateV1', /state overrides/],
      ['eth_createAccessList', /storage a call touches/],
      ['txpool_inspect', /pending/],
      ['eth_newFilter', /poll eth_getLogs/],
      ['constructor', /whitelist/],
      ['__proto__', /whitelist/],
      ['toString', /whitelist/],
    ] as [string, RegExp][]) {
      for (const caller of [anonymous, a, auditor]) {
        const d = decide(index, caller, method, [])
        assert.equal(kind(d), FORBIDDEN, method)
        assert.match((d as { reason: string }).reason, why)
      }
    }
  })

  test('forwards own balances and nonces, and others\' only with full read access', () => {
    assert.equal(kind(decide(index, a, 'eth_getBalance', [alice.address, 'latest'])), 'forward')
    assert.equal(kind(decide(index, a, 'eth_getBalance', [alice.address.toLowerCase(), 'latest'])), 'forward', 'addresses compare without case')
    assert.equal(kind(decide(index, a, 'eth_getBalance', [bob.address, 'latest'])), FORBIDDEN)
    assert.equal(kind(decide(index, auditor, 'eth_getBalance', [bob.address, 'latest'])), 'forward')
    assert.equal(kind(decide(index, a, 'eth_getTransactionCount', [bob.address, 'pending'])), FORBIDDEN)
    assert.equal(kind(decide(index, a, 'eth_getBalance', ['0x12', 'latest'])), INVALID_PARAMS)
    assert.equal(kind(decide(index, a, 'eth_getBalance', [alice.address, 'earliest', 'extra'])), FORBIDDEN)
    assert.equal(kind(decide(index, a, 'eth_getBalance', [alice.address, { blockHash: `0x${'11'.repeat(32)}`, requireCanonical: true }])), 'forward')
    assert.equal(kind(decide(index, a, 'eth_getBalance', [alice.address, { blockHash: `0x${'11'.repeat(32)}`, extra: 1 }])), INVALID_PARAMS)
  })

  test('eth_call: needs from among the caller\'s wallets, refuses overrides, unknown fields, and data that differs from input', () => {
    const data = encodeFunctionData({ abi: [parseAbiItem('function balanceOf(address) view returns (uint256)')], args: [alice.address] })
    const ok = decide(index, a, 'eth_call', [{ from: alice.address, to: token, data }, 'latest'])
    assert.equal(ok.kind, 'forward')
    assert.deepEqual((ok as { params: unknown[] }).params, [{ from: alice.address, to: token, data }, 'latest'], 'forwarded as rebuilt from what was checked')
    assert.equal(ok.selector, '0x70a08231')
    assert.equal(kind(decide(index, a, 'eth_call', [{ to: token, data }, 'latest'])), FORBIDDEN, 'no from')
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: bob.address, to: token, data }, 'latest'])), FORBIDDEN, 'another wallet')
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: alice.address, to: token, data }, 'latest', {}])), FORBIDDEN, 'a state override')
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: alice.address, to: token, data }, 'latest', undefined, {}])), FORBIDDEN, 'block overrides')
    assert.equal(kind(decide(index, auditor, 'eth_call', [{ from: auditorKey.address, to: token, data }, 'latest', {}])), FORBIDDEN, 'overrides even with full read')
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: alice.address, to: token, data, authorizationList: [] }])), FORBIDDEN, 'an unknown call field')
    const bobData = encodeFunctionData({ abi: [parseAbiItem('function balanceOf(address) view returns (uint256)')], args: [bob.address] })
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: alice.address, to: token, data, input: bobData }])), FORBIDDEN, 'data and input that differ')
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: alice.address, to: token, input: bobData }])), FORBIDDEN, 'input is checked like data')
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: alice.address, to: token, data, input: data }])), 'forward', 'data and input that agree')
  })

  test('eth_call without to (init code run as a creation) is refused unless the caller reads everything', () => {
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: alice.address, data: '0x6000' }])), FORBIDDEN)
    assert.equal(kind(decide(index, auditor, 'eth_call', [{ from: auditorKey.address, data: '0x6000' }])), 'forward')
  })

  test('asks whether a target no rule names holds code, then refuses a contract and lets a plain account through', () => {
    const read = decide(index, a, 'eth_call', [{ from: alice.address, to: other, data: '0x' }])
    assert.deepEqual(read, { kind: 'lookup', address: other })
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: alice.address, to: other, data: '0x12345678' }], { address: other, hasCode: true })), FORBIDDEN)
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: alice.address, to: other, data: '0x' }], { address: other, hasCode: false })), 'forward')
    assert.equal(kind(decide(index, a, 'eth_estimateGas', [{ from: alice.address, to: other, value: '0x1' }], { address: other, hasCode: false })), 'forward', 'a member may send ETH to an account')
    const b = userOf(index, 'bob', bob.address)
    assert.equal(kind(decide(index, b, 'eth_estimateGas', [{ from: bob.address, to: other, value: '0x1' }], { address: other, hasCode: false })), FORBIDDEN, 'without plainTransfers')
    assert.equal(kind(decide(index, a, 'eth_call', [{ from: alice.address, to: other }], { address: token, hasCode: false })), 'lookup', 'an answer about another address does not count')
  })

  test('eth_estimateGas is decided as a send: a read rule does not allow it', () => {
    const data = encodeFunctionData({ abi: [parseAbiItem('function balanceOf(address) view returns (uint256)')], args: [alice.address] })
    const d = decide(index, a, 'eth_estimateGas', [{ from: alice.address, to: token, data }])
    assert.equal(kind(d), FORBIDDEN)
    assert.match((d as { reason: string }).reason, /allows reading only/)
    assert.equal(kind(decide(index, a, 'eth_estimateGas', [{ from: alice.address, to: token, data }, 'latest', {}])), FORBIDDEN, 'state override')
  })

  test('eth_sendRawTransaction: decodes, checks the signer and the write rules, forwards the canonical bytes', async () => {
    const transferIndex = indexWith([{ contractAddress: token, functionSignature: 'transfer(address,uint256)', accessType: 'write', ruleType: 'checkRole', roles: ['member'] }])
    const caller = userOf(transferIndex, 'alice', alice.address, alice.publicKey)
    const data = encodeFunctionData({ abi: [parseAbiItem('function transfer(address,uint256)')], args: [bob.address, 5n] })
    const sign = (account: typeof alice, request: { to?: Address; data: Hex; chainId?: number }) => account.signTransaction({ type: 'eip1559', chainId: request.chainId ?? CHAIN_ID, nonce: 3, to: request.to, data: request.data, gas: 100_000n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })
    const raw = await sign(alice, { to: token, data })
    const ok = decide(transferIndex, caller, 'eth_sendRawTransaction', [raw])
    assert.deepEqual(ok, { kind: 'forward', method: 'eth_sendRawTransaction', params: [raw], filter: { kind: 'none' }, reason: 'write rule checkRole on transfer(address,uint256)', target: token, selector: '0xa9059cbb' })
    assert.equal(kind(decide(transferIndex, caller, 'eth_sendRawTransaction', [await sign(bob, { to: token, data })])), FORBIDDEN, 'signed by another wallet')
    assert.equal(kind(decide(transferIndex, caller, 'eth_sendRawTransaction', [await sign(alice, { to: token, data, chainId: 1 })])), INVALID_PARAMS, 'another chain')
    assert.equal(kind(decide(transferIndex, caller, 'eth_sendRawTransaction', [await sign(alice, { to: token, data: '0x40c10f19' })])), FORBIDDEN, 'a selector no rule names')
    assert.equal(kind(decide(transferIndex, caller, 'eth_sendRawTransaction', [await sign(alice, { data: '0x6000' })])), 'forward', 'a creation with deployContracts')
    const b = userOf(transferIndex, 'bob', bob.address, bob.publicKey)
    assert.equal(kind(decide(transferIndex, b, 'eth_sendRawTransaction', [await sign(bob, { data: '0x6000' })])), FORBIDDEN, 'a creation without deployContracts')
    assert.equal(kind(decide(transferIndex, b, 'eth_sendRawTransaction', [await sign(bob, { to: token, data })])), FORBIDDEN, 'a checkRole rule without the role')
    assert.equal(kind(decide(transferIndex, caller, 'eth_sendRawTransaction', ['0xdeadbeef'])), INVALID_PARAMS)
  })

  test('eth_sendRawTransaction: a transfer of nothing to one\'s own code-less wallet (a nonce filled) needs no permission; with value, data, another target or code, the rules decide', async () => {
    const b = userOf(index, 'bob', bob.address, bob.publicKey)
    const sign = (request: { to: Address; value?: bigint; data?: Hex }) => bob.signTransaction({ type: 'eip1559', chainId: CHAIN_ID, nonce: 7, to: request.to, value: request.value ?? 0n, data: request.data ?? '0x', gas: 21_000n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })
    const fill = await sign({ to: bob.address })
    const lookup = decide(index, b, 'eth_sendRawTransaction', [fill])
    assert.deepEqual([lookup.kind, lookup.kind === 'lookup' && lookup.address.toLowerCase()], ['lookup', bob.address.toLowerCase()], 'asks first whether the wallet holds code')
    const allowed = decide(index, b, 'eth_sendRawTransaction', [fill], { address: bob.address, hasCode: false })
    assert.deepEqual([allowed.kind, allowed.target?.toLowerCase()], ['forward', bob.address.toLowerCase()])
    assert.equal(kind(decide(index, b, 'eth_sendRawTransaction', [fill], { address: bob.address, hasCode: true })), FORBIDDEN, 'a wallet with code (EIP-7702) would run it')
    assert.equal(kind(decide(index, b, 'eth_sendRawTransaction', [await sign({ to: bob.address, value: 1n })], { address: bob.address, hasCode: false })), FORBIDDEN, 'value to oneself is a plain transfer')
    assert.equal(kind(decide(index, b, 'eth_sendRawTransaction', [await sign({ to: bob.address, data: '0x01' })], { address: bob.address, hasCode: false })), FORBIDDEN, 'data to oneself')
    assert.equal(kind(decide(index, b, 'eth_sendRawTransaction', [await sign({ to: other })], { address: other, hasCode: false })), FORBIDDEN, 'nothing to another account is a plain transfer')
  })

  test('eth_getProof: one\'s own account without storage keys (answer checked after), all with full read access', () => {
    assert.deepEqual((decide(index, a, 'eth_getProof', [alice.address, []]) as { filter: unknown }).filter, { kind: 'ownAccountProof' })
    assert.equal(kind(decide(index, a, 'eth_getProof', [bob.address, []])), FORBIDDEN)
    assert.equal(kind(decide(index, a, 'eth_getProof', [alice.address, [`0x${'00'.repeat(32)}`]])), FORBIDDEN)
    assert.deepEqual((decide(index, auditor, 'eth_getProof', [bob.address, [`0x${'00'.repeat(32)}`], 'latest']) as { filter: unknown }).filter, { kind: 'none' })
  })

  test('blocks are fetched whole for filtering, and given whole to full readers', () => {
    const d = decide(index, a, 'eth_getBlockByNumber', ['latest', false]) as Extract<RpcDecision, { kind: 'forward' }>
    assert.deepEqual([d.params, d.filter], [['latest', true], { kind: 'block', full: false }])
    const full = decide(index, auditor, 'eth_getBlockByHash', [`0x${'ab'.repeat(32)}`, false]) as Extract<RpcDecision, { kind: 'forward' }>
    assert.deepEqual([full.params, full.filter], [[`0x${'ab'.repeat(32)}`, false], { kind: 'none' }])
    assert.equal(kind(decide(index, a, 'eth_getBlockByNumber', ['latest', 'yes'])), INVALID_PARAMS)
  })

  test('eth_getLogs: names its contracts, each with an event rule that applies to the caller', () => {
    const logIndex = indexWith([], [
      { contractAddress: token, eventSignature: 'Transfer(address,address,uint256)', topicRestrictions: [{ topicIndex: 1, equals: 'caller' }], roles: ['member'] },
      { contractAddress: other, eventSignature: 'Ping()', roles: [] },
    ])
    const caller = userOf(logIndex, 'alice', alice.address)
    const b = userOf(logIndex, 'bob', bob.address)
    assert.deepEqual((decide(logIndex, caller, 'eth_getLogs', [{ address: token, fromBlock: '0x0' }]) as { filter: unknown }).filter, { kind: 'logs' })
    assert.equal(kind(decide(logIndex, caller, 'eth_getLogs', [{ fromBlock: '0x0' }])), FORBIDDEN, 'no address')
    assert.equal(kind(decide(logIndex, b, 'eth_getLogs', [{ address: token }])), FORBIDDEN, 'a rule for other roles')
    assert.equal(kind(decide(logIndex, b, 'eth_getLogs', [{ address: other }])), 'forward', 'a rule for everyone')
    assert.equal(kind(decide(logIndex, caller, 'eth_getLogs', [{ address: [token, bob.address] }])), FORBIDDEN, 'one address without a rule')
    assert.equal(kind(decide(logIndex, caller, 'eth_getLogs', [{ address: token, blockHash: `0x${'11'.repeat(32)}`, fromBlock: '0x1' }])), INVALID_PARAMS)
    assert.equal(kind(decide(logIndex, caller, 'eth_getLogs', [{ address: token, limit: 5 }])), FORBIDDEN, 'an unknown filter field')
  })

  test('malformed parameters are -32602 and never throw', () => {
    for (const params of [[null], [1, 2], [{}], ['0x'], [[]], [{ from: 5 }]]) {
      for (const method of SERVED_METHODS) {
        const d = decide(index, a, method, params)
        assert.ok(['refuse', 'forward', 'answer', 'lookup'].includes(d.kind), `${method} ${JSON.stringify(params)}`)
      }
    }
  })
})

describe('checkContractAccess: the rule types', () => {
  const fn = 'transferFrom(address,address,uint256)'
  const cases: [RuleType, boolean, boolean, boolean][] = [
    // ruleType, caller has the role, argument 0 is the signer, allowed
    ['public', false, false, true],
    ['checkRole', true, false, true],
    ['checkRole', false, true, false],
    ['restrictArgument', false, true, true],
    ['restrictArgument', true, false, false],
    ['checkRoleAndRestrictArgument', true, true, true],
    ['checkRoleAndRestrictArgument', true, false, false],
    ['checkRoleAndRestrictArgument', false, true, false],
    ['checkRoleOrRestrictArgument', true, false, true],
    ['checkRoleOrRestrictArgument', false, true, true],
    ['checkRoleOrRestrictArgument', false, false, false],
  ]
  for (const [ruleType, hasRole, ownArgument, allowed] of cases) {
    test(`${ruleType}: ${hasRole ? 'with' : 'without'} the role, argument 0 ${ownArgument ? 'the signer' : 'someone else'} → ${allowed ? 'allowed' : 'refused'}`, () => {
      const checksRole = ruleType.startsWith('checkRole')
      const restricts = ruleType.includes('RestrictArgument') || ruleType === 'restrictArgument'
      const index = indexWith([{ contractAddress: token, functionSignature: fn, accessType: 'write', ruleType, roles: checksRole ? ['member'] : [], argumentRestrictions: restricts ? [{ argumentIndex: 0 }] : [] }])
      const caller = hasRole ? userOf(index, 'alice', alice.address) : userOf(index, 'bob', bob.address)
      const signer = caller.wallet
      const data = encodeFunctionData({ abi: [parseAbiItem(`function ${fn}`)], args: [ownArgument ? signer : other, other, 1n] })
      const verdict = checkContractAccess({ index, caller, access: 'write', signer, to: token, data })
      assert.ok('allowed' in verdict)
      assert.equal(verdict.allowed, allowed, verdict.reason)
    })
  }

  test('finds a restricted argument after dynamic and static-array arguments, and refuses dirty or missing words', () => {
    const signature = 'f(uint256[2],bytes,(uint8,bool),address)'
    const index = indexWith([{ contractAddress: token, functionSignature: signature, accessType: 'write', ruleType: 'restrictArgument', argumentRestrictions: [{ argumentIndex: 3 }] }])
    const caller = userOf(index, 'alice', alice.address)
    const abi = [parseAbiItem(`function ${signature}`)]
    const mine = encodeFunctionData({ abi, functionName: 'f', args: [[1n, 2n], '0xabcdef', [7, true], alice.address] })
    const theirs = encodeFunctionData({ abi, functionName: 'f', args: [[1n, 2n], '0xabcdef', [7, true], bob.address] })
    const check = (data: Hex) => checkContractAccess({ index, caller, access: 'write', signer: alice.address, to: token, data }) as { allowed: boolean; reason: string }
    assert.equal(index.contractRule.get(`${token.toLowerCase()}:${toFunctionSelector(`function ${signature}`)}`)!.restrictedOffsets[0], 4 + 64 + 32 + 64)
    assert.equal(check(mine).allowed, true)
    assert.equal(check(theirs).allowed, false)
    const offset = 2 + (4 + 64 + 32 + 64) * 2
    const dirty = `${mine.slice(0, offset)}ff${mine.slice(offset + 2)}` as Hex
    assert.match(check(dirty).reason, /not a clean address/)
    assert.match(check(mine.slice(0, offset + 10) as Hex).reason, /ends before argument 3/)
    assert.equal(encodeAbiParameters([{ type: 'address' }], [alice.address]).slice(2), mine.slice(offset, offset + 64))
  })

  test('a call with 1 to 3 bytes of data (the fallback) is refused, a call without data needs a rule for selector 0x', () => {
    const index = indexWith([{ contractAddress: token, methodSelector: '0x', accessType: 'write', ruleType: 'public' }])
    const caller = userOf(index, 'alice', alice.address)
    assert.equal((checkContractAccess({ index, caller, access: 'write', signer: alice.address, to: token, data: '0x' }) as { allowed: boolean }).allowed, true)
    assert.match((checkContractAccess({ index, caller, access: 'write', signer: alice.address, to: token, data: '0x12' }) as { reason: string }).reason, /shorter than a selector/)
    assert.equal((checkContractAccess({ index, caller, access: 'write', signer: alice.address, to: token, data: '0x12345678' }) as { allowed: boolean }).allowed, false)
  })
})
