// The access matrix of the permissioned RPC: anonymous, an unknown wallet, member A, member B, the
// auditor and the admin × every method served and a refused set, on reads, calls, sends and logs.
// Every cell is asserted (outcome, and the value where one comes back), and no refused cell sends the
// node anything but the code lookup a decision may need.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { encodeDeployData, encodeFunctionData, numberToHex, parseGwei, type Address, type Hex } from 'viem'
import { testTokenAbi, testTokenBytecode } from '../../src/contracts/generated/index.js'
import { FORBIDDEN, UNAUTHORIZED } from '../../src/prividium/jsonRpc.js'
import { UNINFORMATIVE_BLOOM } from '../../src/prividium/filterRpcResult.js'
import { PrividiumApiError } from '../../src/prividium/errors.js'
import { signInWithEthereum } from '../../src/prividium/PrividiumApiClient.js'
import { startPrivateChain, type PrivateChain, type Principal } from './support/privateChain.js'

type Who = 'anonymous' | 'stranger' | 'a' | 'b' | 'auditor' | 'admin'
const everyone: Who[] = ['anonymous', 'stranger', 'a', 'b', 'auditor', 'admin']
/** `ok`: a result (checked by the row's `check`); `null`: a null result (withheld as if unknown). */
type Outcome = 'ok' | 'null' | 'unauthorized' | 'forbidden' | 'invalid'

type Row = {
  name: string
  /** The request `who` sends; `self` is its wallet (A's for anonymous callers). */
  request: (self: Address, who: Who) => Promise<{ method: string; params: unknown[] }> | { method: string; params: unknown[] }
  expect: Record<Who, Outcome>
  /** Checks an `ok` result. */
  check?: (result: any, who: Who, self: Address) => Promise<void> | void
}

/** The signed-in callers get `outcome`; callers without a session get -32090. */
const signedIn = (outcome: Outcome, overrides: Partial<Record<Who, Outcome>> = {}): Record<Who, Outcome> => ({ anonymous: 'unauthorized', stranger: 'unauthorized', a: outcome, b: outcome, auditor: outcome, admin: outcome, ...overrides })
/** A method not served: -32001 for everyone, signed in or not. */
const refusedForAll: Record<Who, Outcome> = { anonymous: 'forbidden', stranger: 'forbidden', a: 'forbidden', b: 'forbidden', auditor: 'forbidden', admin: 'forbidden' }

let chain: PrivateChain
let principals: Record<Who, Principal | undefined>

before(async () => {
  chain = await startPrivateChain({ chainId: 48_102 })
  principals = { anonymous: undefined, stranger: chain.stranger, a: chain.members.a, b: chain.members.b, auditor: chain.auditor, admin: chain.admin }
  for (const who of ['a', 'b', 'auditor', 'admin'] as const) await chain.signIn(principals[who]!)
})
after(async () => {
  await chain?.stop()
})

const selfOf = (who: Who): Address => (principals[who] ?? chain.members.a).account.address
const keyOf = (who: Who) => (principals[who] ?? chain.members.a).account
const call = (functionName: string, args: readonly unknown[]) => encodeFunctionData({ abi: testTokenAbi, functionName: functionName as 'transfer', args: args as [Address, bigint] })
const node = (method: string, params: unknown[]) => chain.node.request({ method: method as 'eth_chainId', params: params as never })

/** A transaction signed by `account` (the nonce the node expects next). */
async function signed(account: Principal['account'], request: { to?: Address; data: Hex; value?: bigint; gas?: bigint }): Promise<Hex> {
  const nonce = await chain.node.getTransactionCount({ address: account.address, blockTag: 'pending' })
  return account.signTransaction({ type: 'eip1559', chainId: chain.chainId, nonce, to: request.to, data: request.data, value: request.value ?? 0n, gas: request.gas ?? 3_000_000n, maxFeePerGas: parseGwei('20'), maxPriorityFeePerGas: parseGwei('1') })
}
async function minedSuccessfully(hash: Hex): Promise<void> {
  const receipt = await chain.node.waitForTransactionReceipt({ hash })
  assert.equal(receipt.status, 'success')
}
/** The block of B's token transfer to C (made on the node before the proxy started). */
const bTransfer = () => chain.history.b[1]!

const rows: Row[] = [
  { name: 'eth_chainId', request: () => ({ method: 'eth_chainId', params: [] }), expect: { anonymous: 'ok', stranger: 'ok', a: 'ok', b: 'ok', auditor: 'ok', admin: 'ok' }, check: (r) => assert.equal(r, numberToHex(chain.chainId)) },
  { name: 'net_version', request: () => ({ method: 'net_version', params: [] }), expect: { anonymous: 'ok', stranger: 'ok', a: 'ok', b: 'ok', auditor: 'ok', admin: 'ok' }, check: (r) => assert.equal(r, String(chain.chainId)) },
  { name: 'eth_blockNumber', request: () => ({ method: 'eth_blockNumber', params: [] }), expect: signedIn('ok'), check: async (r) => assert.equal(r, await node('eth_blockNumber', [])) },
  { name: 'eth_gasPrice', request: () => ({ method: 'eth_gasPrice', params: [] }), expect: signedIn('ok') },
  { name: 'eth_maxPriorityFeePerGas', request: () => ({ method: 'eth_maxPriorityFeePerGas', params: [] }), expect: signedIn('ok') },
  { name: 'eth_feeHistory', request: () => ({ method: 'eth_feeHistory', params: ['0x4', 'latest', [50]] }), expect: signedIn('ok'), check: (r) => assert.ok(Array.isArray(r.gasUsedRatio)) },
  { name: 'eth_getBalance of its own wallet', request: (self) => ({ method: 'eth_getBalance', params: [self, 'latest'] }), expect: signedIn('ok'), check: async (r, _w, self) => assert.equal(BigInt(r), await chain.node.getBalance({ address: self })) },
  { name: 'eth_getBalance of member A', request: () => ({ method: 'eth_getBalance', params: [chain.members.a.account.address, 'latest'] }), expect: signedIn('forbidden', { a: 'ok', auditor: 'ok' }), check: async (r) => assert.equal(BigInt(r), await chain.node.getBalance({ address: chain.members.a.account.address })) },
  { name: 'eth_getTransactionCount of its own wallet', request: (self) => ({ method: 'eth_getTransactionCount', params: [self, 'pending'] }), expect: signedIn('ok'), check: async (r, _w, self) => assert.equal(Number(r), await chain.node.getTransactionCount({ address: self, blockTag: 'pending' })) },
  { name: 'eth_getTransactionCount of member B', request: () => ({ method: 'eth_getTransactionCount', params: [chain.members.b.account.address, 'latest'] }), expect: signedIn('forbidden', { b: 'ok', auditor: 'ok' }) },
  { name: 'eth_getCode of a contract the rules name', request: () => ({ method: 'eth_getCode', params: [chain.token, 'latest'] }), expect: signedIn('ok'), check: async (r) => assert.equal(r, await chain.node.getCode({ address: chain.token })) },
  { name: 'eth_getCode of a contract no rule names', request: () => ({ method: 'eth_getCode', params: [chain.unlisted, 'latest'] }), expect: signedIn('forbidden', { auditor: 'ok' }) },
  { name: 'eth_getStorageAt', request: () => ({ method: 'eth_getStorageAt', params: [chain.token, '0x0', 'latest'] }), expect: signedIn('forbidden', { auditor: 'ok' }) },
  { name: 'eth_getProof of its own account', request: (self) => ({ method: 'eth_getProof', params: [self, [], 'latest'] }), expect: signedIn('ok'), check: async (r, _w, self) => assert.equal(BigInt(r.balance), await chain.node.getBalance({ address: self })) },
  { name: 'eth_getProof of member A', request: () => ({ method: 'eth_getProof', params: [chain.members.a.account.address, [], 'latest'] }), expect: signedIn('forbidden', { a: 'ok', auditor: 'ok' }) },
  { name: 'eth_getProof with storage keys', request: (self) => ({ method: 'eth_getProof', params: [self, [`0x${'00'.repeat(32)}`], 'latest'] }), expect: signedIn('forbidden', { auditor: 'ok' }) },
  {
    name: 'eth_call balanceOf(its own wallet)',
    request: (self) => ({ method: 'eth_call', params: [{ from: self, to: chain.token, data: call('balanceOf', [self]) }, 'latest'] }),
    expect: signedIn('ok', { admin: 'forbidden' }),
    check: async (r, _w, self) => assert.equal(BigInt(r), await chain.node.readContract({ address: chain.token, abi: testTokenAbi, functionName: 'balanceOf', args: [self] })),
  },
  {
    name: 'eth_call balanceOf(member B)',
    request: (self) => ({ method: 'eth_call', params: [{ from: self, to: chain.token, data: call('balanceOf', [chain.members.b.account.address]) }, 'latest'] }),
    expect: signedIn('forbidden', { b: 'ok', auditor: 'ok' }),
    check: (r) => assert.equal(BigInt(r), chain.secrets.bTokens),
  },
  { name: 'eth_call from a wallet not its own', request: () => ({ method: 'eth_call', params: [{ from: chain.members.c.account.address, to: chain.token, data: call('balanceOf', [chain.members.c.account.address]) }, 'latest'] }), expect: signedIn('forbidden') },
  { name: 'eth_call without from', request: () => ({ method: 'eth_call', params: [{ to: chain.token, data: call('name', []) }, 'latest'] }), expect: signedIn('forbidden') },
  { name: 'eth_call with a state override', request: (self) => ({ method: 'eth_call', params: [{ from: self, to: chain.token, data: call('balanceOf', [self]) }, 'latest', { [chain.token]: { balance: '0x1' } }] }), expect: signedIn('forbidden') },
  { name: 'eth_call name() (a public read of members)', request: (self) => ({ method: 'eth_call', params: [{ from: self, to: chain.token, data: call('name', []) }, 'latest'] }), expect: signedIn('ok', { admin: 'forbidden' }) },
  { name: 'eth_call to a contract no rule names', request: (self) => ({ method: 'eth_call', params: [{ from: self, to: chain.unlisted, data: call('balanceOf', [self]) }, 'latest'] }), expect: signedIn('forbidden', { auditor: 'ok' }) },
  { name: 'eth_call without to (code run as a creation)', request: (self) => ({ method: 'eth_call', params: [{ from: self, data: encodeDeployData({ abi: testTokenAbi, bytecode: testTokenBytecode, args: ['X', 'X', 18] }) }, 'latest'] }), expect: signedIn('forbidden', { auditor: 'ok' }) },
  { name: 'eth_call to an account without code', request: (self) => ({ method: 'eth_call', params: [{ from: self, to: chain.members.c.account.address, data: '0x' }, 'latest'] }), expect: signedIn('ok'), check: (r) => assert.equal(r, '0x') },
  { name: 'eth_estimateGas of a token transfer', request: (self) => ({ method: 'eth_estimateGas', params: [{ from: self, to: chain.token, data: call('transfer', [chain.members.c.account.address, 1n]) }] }), expect: signedIn('forbidden', { a: 'ok', b: 'ok' }), check: (r) => assert.ok(BigInt(r) > 21_000n) },
  { name: 'eth_estimateGas of a mint (no rule)', request: (self) => ({ method: 'eth_estimateGas', params: [{ from: self, to: chain.token, data: call('mint', [self, 1n]) }] }), expect: signedIn('forbidden') },
  {
    name: 'eth_sendRawTransaction of a token transfer, signed by itself',
    request: async (_self, who) => ({ method: 'eth_sendRawTransaction', params: [await signed(keyOf(who), { to: chain.token, data: call('transfer', [chain.members.c.account.address, 1n]) })] }),
    expect: signedIn('forbidden', { a: 'ok', b: 'ok' }),
    check: minedSuccessfully,
  },
  { name: 'eth_sendRawTransaction of a mint (no rule)', request: async (self, who) => ({ method: 'eth_sendRawTransaction', params: [await signed(keyOf(who), { to: chain.token, data: call('mint', [self, 1n]) })] }), expect: signedIn('forbidden') },
  { name: 'eth_sendRawTransaction signed by another member', request: async () => ({ method: 'eth_sendRawTransaction', params: [await signed(chain.members.c.account, { to: chain.token, data: call('transfer', [chain.members.a.account.address, 1n]) })] }), expect: signedIn('forbidden') },
  { name: 'eth_sendRawTransaction of a contract creation', request: async (_self, who) => ({ method: 'eth_sendRawTransaction', params: [await signed(keyOf(who), { data: encodeDeployData({ abi: testTokenAbi, bytecode: testTokenBytecode, args: ['X', 'X', 18] }) })] }), expect: signedIn('forbidden', { a: 'ok' }), check: minedSuccessfully },
  { name: 'eth_sendRawTransaction of an ETH transfer to an account', request: async (_self, who) => ({ method: 'eth_sendRawTransaction', params: [await signed(keyOf(who), { to: chain.members.c.account.address, data: '0x', value: 1n, gas: 21_000n })] }), expect: signedIn('forbidden', { a: 'ok', b: 'ok' }), check: minedSuccessfully },
  { name: 'eth_sendRawTransaction of ETH to a contract no rule names', request: async (_self, who) => ({ method: 'eth_sendRawTransaction', params: [await signed(keyOf(who), { to: chain.unlisted, data: '0x', value: 1n })] }), expect: signedIn('forbidden') },
  { name: 'eth_getTransactionByHash of B\'s transfer', request: () => ({ method: 'eth_getTransactionByHash', params: [bTransfer()] }), expect: signedIn('null', { b: 'ok', auditor: 'ok' }), check: (r) => assert.equal(r.hash, bTransfer()) },
  { name: 'eth_getTransactionReceipt of B\'s transfer', request: () => ({ method: 'eth_getTransactionReceipt', params: [bTransfer()] }), expect: signedIn('null', { b: 'ok', auditor: 'ok' }), check: (r) => assert.equal(r.transactionHash, bTransfer()) },
  { name: 'eth_getTransactionReceipt of A\'s transfer', request: () => ({ method: 'eth_getTransactionReceipt', params: [chain.history.a[1]] }), expect: signedIn('null', { a: 'ok', auditor: 'ok' }), check: (r) => assert.equal(r.transactionHash, chain.history.a[1]) },
  {
    name: 'eth_getBlockByNumber of the block of B\'s transfer (hashes)',
    request: async () => ({ method: 'eth_getBlockByNumber', params: [numberToHex((await chain.node.getTransactionReceipt({ hash: bTransfer() })).blockNumber), false] }),
    expect: signedIn('ok'),
    check: async (r, who) => {
      const seesIt = who === 'b' || who === 'auditor'
      assert.deepEqual(r.transactions, seesIt ? [bTransfer()] : [], `${who} sees ${seesIt ? 'B\'s transaction' : 'no transaction'}`)
      if (who === 'auditor') assert.notEqual(r.logsBloom, UNINFORMATIVE_BLOOM)
      else assert.equal(r.logsBloom, UNINFORMATIVE_BLOOM, 'the bloom tells nothing')
    },
  },
  {
    name: 'eth_getBlockByHash of the block of B\'s transfer (full transactions)',
    request: async () => ({ method: 'eth_getBlockByHash', params: [(await chain.node.getTransactionReceipt({ hash: bTransfer() })).blockHash, true] }),
    expect: signedIn('ok'),
    check: (r, who) => assert.deepEqual(r.transactions.map((tx: { hash: Hex }) => tx.hash), who === 'b' || who === 'auditor' ? [bTransfer()] : []),
  },
  {
    name: 'eth_getLogs of the token',
    request: () => ({ method: 'eth_getLogs', params: [{ address: chain.token, fromBlock: '0x0', toBlock: 'latest' }] }),
    expect: signedIn('ok', { admin: 'forbidden' }),
    check: async (r: { topics: Hex[] }[], who, self) => {
      const all = (await node('eth_getLogs', [{ address: chain.token, fromBlock: '0x0', toBlock: 'latest' }])) as unknown as { topics: Hex[] }[]
      if (who === 'auditor') return assert.equal(r.length, all.length)
      const mine = all.filter((log) => log.topics.slice(1, 3).some((t) => t.toLowerCase().endsWith(self.slice(2).toLowerCase())))
      assert.ok(mine.length > 0)
      assert.deepEqual(r, mine, `${who} sees exactly the Transfer logs from or to itself`)
    },
  },
  { name: 'eth_getLogs without an address', request: () => ({ method: 'eth_getLogs', params: [{ fromBlock: '0x0' }] }), expect: signedIn('forbidden', { auditor: 'ok' }) },
  { name: 'eth_getLogs of a contract no rule names', request: () => ({ method: 'eth_getLogs', params: [{ address: chain.unlisted, fromBlock: '0x0' }] }), expect: signedIn('forbidden', { auditor: 'ok' }) },
  // The refused set: not served to anyone.
  ...(
    [
      ['debug_traceTransaction', () => [bTransfer()]],
      ['trace_block', () => ['latest']],
      ['anvil_setBalance', (self: Address) => [self, '0xffff']],
      ['anvil_impersonateAccount', () => [chain.members.b.account.address]],
      ['evm_mine', () => []],
      ['evm_snapshot', () => []],
      ['hardhat_setBalance', (self: Address) => [self, '0x1']],
      ['eth_sendTransaction', (self: Address) => [{ from: self, to: chain.members.c.account.address, value: '0x1' }]],
      ['eth_sign', (self: Address) => [self, '0x00']],
      ['personal_sign', (self: Address) => ['0x00', self]],
      ['eth_signTransaction', (self: Address) => [{ from: self, to: self }]],
      ['eth_accounts', () => []],
      ['eth_simulateV1', (self: Address) => [{ blockStateCalls: [{ calls: [{ from: self, to: chain.token, data: call('balanceOf', [chain.members.b.account.address]) }] }] }, 'latest']],
      ['eth_createAccessList', (self: Address) => [{ from: self, to: chain.token, data: call('balanceOf', [self]) }]],
      ['eth_newFilter', () => [{ address: chain.token }]],
      ['eth_getFilterLogs', () => ['0x1']],
      ['eth_subscribe', () => ['logs', {}]],
      ['txpool_content', () => []],
      ['eth_getBlockReceipts', () => ['latest']],
      ['eth_getTransactionByBlockNumberAndIndex', () => ['latest', '0x0']],
      ['eth_getBlockTransactionCountByNumber', () => ['latest']],
      ['web3_clientVersion', () => []],
      ['admin_nodeInfo', () => []],
      ['ETH_GETBALANCE', (self: Address) => [self, 'latest']],
    ] as [string, (self: Address) => unknown[]][]
  ).map(([method, params]): Row => ({ name: method, request: (self) => ({ method, params: params(self) }), expect: refusedForAll })),
]

describe('the access matrix', () => {
  test('an unknown wallet cannot sign in: 401 WALLET_NOT_LINKED after a valid signature', async () => {
    await assert.rejects(signInWithEthereum({ apiBaseUrl: chain.proxy.url, account: chain.stranger.account }), (error: unknown) => {
      assert.ok(error instanceof PrividiumApiError)
      assert.equal(error.status, 401)
      assert.equal(error.code, 'WALLET_NOT_LINKED')
      return true
    })
  })

  for (const row of rows) {
    test(`${row.name}: ${everyone.map((who) => `${who} ${row.expect[who]}`).join(', ')}`, async () => {
      for (const who of everyone) {
        const self = selfOf(who)
        const request = await row.request(self, who)
        const before = chain.relay.methods.length
        const { status, body } = await chain.rpc({ jsonrpc: '2.0', id: 7, method: request.method, params: request.params }, principals[who])
        const reached = chain.relay.methods.slice(before)
        const cell = `${row.name} as ${who}`
        assert.equal(status, 200, cell)
        assert.equal(body.id, 7, cell)
        const expected = row.expect[who]
        switch (expected) {
          case 'ok':
            assert.equal(body.error, undefined, `${cell}: ${JSON.stringify(body.error)}`)
            assert.notEqual(body.result, null, cell)
            await row.check?.(body.result, who, self)
            break
          case 'null':
            assert.equal(body.error, undefined, `${cell}: ${JSON.stringify(body.error)}`)
            assert.equal(body.result, null, `${cell}: withheld as if unknown`)
            break
          case 'unauthorized':
          case 'forbidden':
          case 'invalid':
            assert.equal(body.result, undefined, cell)
            assert.equal(body.error?.code, { unauthorized: UNAUTHORIZED, forbidden: FORBIDDEN, invalid: -32602 }[expected], `${cell}: ${JSON.stringify(body.error)}`)
            assert.ok(reached.every((method) => method === 'eth_getCode'), `${cell}: only a code lookup may reach the node, got ${reached.join(', ')}`)
            break
        }
      }
    })
  }

  test('a batch is decided entry by entry: allowed entries answered, refused ones refused in place', async () => {
    const a = chain.members.a
    const { body } = await chain.rpc(
      [
        { jsonrpc: '2.0', id: 1, method: 'eth_getBalance', params: [a.account.address, 'latest'] },
        { jsonrpc: '2.0', id: 2, method: 'eth_getBalance', params: [chain.members.b.account.address, 'latest'] },
        { jsonrpc: '2.0', id: 3, method: 'anvil_setBalance', params: [a.account.address, '0x1'] },
        { jsonrpc: '2.0', id: 4, method: 'eth_chainId' },
      ],
      a,
    )
    assert.deepEqual(body.map((entry: { id: number }) => entry.id), [1, 2, 3, 4])
    assert.equal(BigInt(body[0].result), await chain.node.getBalance({ address: a.account.address }))
    assert.equal(body[1].error.code, FORBIDDEN)
    assert.equal(body[2].error.code, FORBIDDEN)
    assert.equal(body[3].result, numberToHex(chain.chainId))
    assert.notEqual(await chain.node.getBalance({ address: a.account.address }), 1n, 'anvil_setBalance never ran')
  })

  test('the audit log holds every decision: who, method, target, selector, allowed or why not', async () => {
    chain.proxy.store.flush()
    const { readAuditLog } = await import('../../src/prividium/proxyStore.js')
    const entries = readAuditLog(chain.proxy.store.db, { userId: 'user-1', limit: 10_000 })
    const refusedBalance = entries.find((e) => e.method === 'eth_call' && !e.allowed && e.target?.toLowerCase() === chain.token.toLowerCase() && /argument 0/.test(e.reason))
    assert.ok(refusedBalance, 'A\'s refused eth_call of balanceOf(B) is logged')
    assert.equal(refusedBalance.selector, call('balanceOf', [chain.members.b.account.address]).slice(0, 10))
    assert.match(refusedBalance.reason, /argument 0 must be the signing wallet/)
    const sent = entries.filter((e) => e.method === 'eth_sendRawTransaction' && e.allowed && e.target?.toLowerCase() === chain.token.toLowerCase())
    assert.equal(sent.length, 1, 'A\'s one token transfer is logged as allowed')
    assert.equal(sent[0]!.selector, call('transfer', [chain.members.c.account.address, 1n]).slice(0, 10))
    assert.match(sent[0]!.reason, /write rule checkRole on transfer\(address,uint256\)/)
    const anonymous = readAuditLog(chain.proxy.store.db, { limit: 10_000 }).filter((e) => e.userId === null && e.method === 'eth_getBalance')
    assert.ok(anonymous.length > 0 && anonymous.every((e) => !e.allowed))
  })
})
