// A fuzz of the permissioned RPC: 1,200 random and mutated JSON-RPC requests (valid requests of member
// A with methods, parameters, fields and bytes changed, batches, garbage) from member A, anonymous
// callers and forged tokens. No crash (no 5xx, the proxy answers after), and no answer carries B's
// data that the request did not already hold: B's transactions, its marked calldata and amounts, its
// token and ETH balances, its address. B's state on the chain is unchanged.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { encodeFunctionData, numberToHex, parseGwei, type Address, type Hex } from 'viem'
import { testTokenAbi } from '../../src/contracts/generated/index.js'
import { SERVED_METHODS } from '../../src/prividium/checkRpcRequest.js'
import { startPrivateChain, type Principal, type PrivateChain } from './support/privateChain.js'

const SEED = 14_000
const REQUESTS = 1_200

let chain: PrivateChain
before(async () => {
  chain = await startPrivateChain({ chainId: 48_104, config: (base) => ({ ...base, limits: { ...base.limits, anonymousRequestsPerMinute: 100_000 } }) })
  await chain.signIn(chain.members.a)
})
after(async () => {
  await chain?.stop()
})

test(`${REQUESTS} random and mutated requests: no crash, no answer leaks member B's data (seed ${SEED})`, async () => {
  const a = chain.members.a.account
  const b = chain.members.b.account
  const c = chain.members.c.account
  const bBlock = numberToHex((await chain.node.getTransactionReceipt({ hash: chain.history.b[1]! })).blockNumber)
  const bNonce = await chain.node.getTransactionCount({ address: b.address })
  const bTokens = await chain.node.readContract({ address: chain.token, abi: testTokenAbi, functionName: 'balanceOf', args: [b.address] })
  const bEth = await chain.node.getBalance({ address: b.address })
  const transfer = (to: Address, amount: bigint) => encodeFunctionData({ abi: testTokenAbi, functionName: 'transfer', args: [to, amount] })
  const balanceOf = (who: Address) => encodeFunctionData({ abi: testTokenAbi, functionName: 'balanceOf', args: [who] })
  const signedByA = await a.signTransaction({ type: 'eip1559', chainId: chain.chainId, nonce: await chain.node.getTransactionCount({ address: a.address }), to: chain.token, data: transfer(c.address, 1n), gas: 100_000n, maxFeePerGas: parseGwei('20'), maxPriorityFeePerGas: 1n })

  const addresses: Address[] = [a.address, b.address, c.address, chain.token, chain.unlisted, '0x0000000000000000000000000000000000000000', '0x0000000000000000000000000000000000000001']
  const hashes: Hex[] = [...chain.history.b, ...chain.history.a, `0x${'00'.repeat(32)}`]
  const blocks: unknown[] = ['latest', 'earliest', 'pending', 'safe', 'finalized', '0x0', bBlock, '0xffffffff', { blockHash: hashes[0] }, { blockNumber: bBlock }]
  /** Valid requests of A, the seeds the mutations start from. */
  const seeds: { method: string; params: unknown[] }[] = [
    { method: 'eth_getBalance', params: [a.address, 'latest'] },
    { method: 'eth_getTransactionCount', params: [a.address, 'pending'] },
    { method: 'eth_call', params: [{ from: a.address, to: chain.token, data: balanceOf(a.address) }, 'latest'] },
    { method: 'eth_estimateGas', params: [{ from: a.address, to: chain.token, data: transfer(c.address, 1n) }] },
    { method: 'eth_sendRawTransaction', params: [signedByA] },
    { method: 'eth_getLogs', params: [{ address: chain.token, fromBlock: '0x0', toBlock: 'latest' }] },
    { method: 'eth_getBlockByNumber', params: [bBlock, true] },
    { method: 'eth_getBlockByHash', params: [hashes[0], false] },
    { method: 'eth_getTransactionByHash', params: [chain.history.a[1]] },
    { method: 'eth_getTransactionReceipt', params: [chain.history.a[1]] },
    { method: 'eth_getProof', params: [a.address, [], 'latest'] },
    { method: 'eth_getCode', params: [chain.token, 'latest'] },
    { method: 'eth_feeHistory', params: ['0x2', 'latest', [25, 75]] },
    { method: 'eth_blockNumber', params: [] },
  ]
  const methods = [...SERVED_METHODS, 'debug_traceTransaction', 'anvil_setBalance', 'evm_mine', 'eth_sendTransaction', 'eth_simulateV1', 'eth_createAccessList', 'eth_accounts', 'txpool_content', 'trace_block', 'eth_getStorageAt', 'eth_newFilter', '__proto__', 'constructor', 'eth_getbalance']

  const value: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...addresses) },
    { weight: 3, arbitrary: fc.constantFrom(...hashes) },
    { weight: 2, arbitrary: fc.constantFrom(...blocks) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null, 0, -1, 2 ** 60, '0x', '0x0', '0x00', '', 'x'.repeat(3_000)) },
    { weight: 2, arbitrary: fc.record({ from: fc.constantFrom(...addresses), to: fc.constantFrom(...addresses), data: fc.constantFrom(balanceOf(b.address), balanceOf(a.address), transfer(a.address, 1n), '0x', '0x70a0') }, { requiredKeys: [] }) },
  )
  /** A seed with its method, a parameter, a field of an object parameter changed, parameters added or cut, or A's addresses and transactions swapped for others'. */
  const mutated = fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), value, fc.constantFrom(...methods), fc.constantFrom('data', 'input', 'from', 'to', 'stateOverride', 'authorizationList', 'address', 'topics', 'blockHash', '__proto__', 'value')).map(([seed, kind, at, v, method, field]) => {
    const params = structuredClone(seed.params)
    switch (kind % 7) {
      case 6: {
        const someoneElse = [b.address, c.address, chain.unlisted][at % 3]!.slice(2).toLowerCase()
        const swapped = JSON.stringify(params).replace(new RegExp(a.address.slice(2), 'gi'), someoneElse).replace(new RegExp(chain.history.a[1]!.slice(2), 'gi'), chain.history.b[at % 3]!.slice(2))
        return { method: seed.method, params: JSON.parse(swapped) as unknown[] }
      }
      case 0:
        return { method, params }
      case 1:
        if (params.length > 0) params[at % params.length] = v
        return { method: seed.method, params }
      case 2: {
        const target = params.find((p) => typeof p === 'object' && p !== null && !Array.isArray(p)) as Record<string, unknown> | undefined
        if (target) target[field] = v
        return { method: seed.method, params }
      }
      case 3:
        return { method: seed.method, params: [...params, v] }
      case 4:
        return { method: seed.method, params: params.slice(0, at % (params.length + 1)) }
      default:
        return { method: seed.method, params: params.map((p) => (typeof p === 'string' && p.startsWith('0x') && p.length > 10 ? flipHexDigit(p, at) : p)) }
    }
  })
  const entry = fc.tuple(mutated, fc.oneof(fc.nat(), fc.string({ maxLength: 10 }), fc.constant(null))).map(([request, id]) => ({ jsonrpc: '2.0', id, ...request }))
  const body: fc.Arbitrary<string> = fc.oneof(
    { weight: 8, arbitrary: entry.map((e) => JSON.stringify(e)) },
    { weight: 2, arbitrary: fc.array(entry, { minLength: 1, maxLength: 6 }).map((es) => JSON.stringify(es)) },
    { weight: 2, arbitrary: fc.tuple(entry, fc.nat(), fc.string({ maxLength: 4 })).map(([e, at, text]) => spliceText(JSON.stringify(e), at, text)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(chain.token, c.address), fc.constantFrom(...addresses)).map(([to, dup]) => `{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"from":"${a.address}","to":"${to}","to":"${dup}","data":"${balanceOf(b.address)}"},"latest"]}`) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  )
  const forged: Principal = { name: 'forged', account: a, token: 'Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbi1mb3JnZWQ' }
  const who = fc.oneof({ weight: 7, arbitrary: fc.constant<Principal | undefined>(chain.members.a) }, { weight: 2, arbitrary: fc.constant<Principal | undefined>(undefined) }, { weight: 1, arbitrary: fc.constant<Principal | undefined>(forged) })
  const cases = fc.sample(fc.tuple(body, who), { seed: SEED, numRuns: REQUESTS })

  const secrets = [...chain.history.b, chain.secrets.bMarker, numberToHex(bTokens), numberToHex(chain.secrets.bToC), numberToHex(bEth), b.address].map((s) => s.slice(2).toLowerCase())
  const outcomes = new Map<string, number>()
  for (const [i, [text, principal]] of cases.entries()) {
    const response = await fetch(chain.proxy.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(principal?.token ? { authorization: `Bearer ${principal.token}` } : {}) }, body: text })
    const answer = await response.text()
    assert.ok(response.status < 500, `case ${i} (seed ${SEED}): HTTP ${response.status} for ${text.slice(0, 300)}: ${answer.slice(0, 300)}`)
    const request = text.toLowerCase()
    const leaked = secrets.filter((secret) => answer.toLowerCase().includes(secret) && !request.includes(secret))
    assert.deepEqual(leaked, [], `case ${i} (seed ${SEED}) as ${principal?.name ?? 'anonymous'} leaked ${leaked.join(', ')}: ${text.slice(0, 300)} → ${answer.slice(0, 500)}`)
    for (const code of answer.match(/"code":-?\d+/g) ?? ['"result"']) outcomes.set(code, (outcomes.get(code) ?? 0) + 1)
    if (/"result":/.test(answer)) outcomes.set('"result"', (outcomes.get('"result"') ?? 0) + 1)
  }
  console.log(`fuzz outcomes over ${REQUESTS} requests: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`)
  for (const code of ['"code":-32001', '"code":-32602', '"code":-32090', '"code":-32600', '"result"']) assert.ok((outcomes.get(code) ?? 0) >= 10, `the fuzz reached ${code} (${outcomes.get(code) ?? 0} times)`)

  assert.equal((await chain.rpc({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' })).body.result, numberToHex(chain.chainId), 'the proxy still answers')
  assert.equal(await chain.node.getTransactionCount({ address: b.address }), bNonce, 'nothing was sent as B')
  assert.equal(await chain.node.getBalance({ address: b.address }), bEth, 'B\'s ETH did not move')
  assert.equal(await chain.node.readContract({ address: chain.token, abi: testTokenAbi, functionName: 'balanceOf', args: [b.address] }), bTokens, 'B\'s tokens did not move')
})

function flipHexDigit(hex: string, at: number): string {
  const i = 2 + (at % (hex.length - 2))
  const digit = hex[i]!.toLowerCase()
  return `${hex.slice(0, i)}${digit === 'f' ? '0' : (parseInt(digit, 16) + 1).toString(16)}${hex.slice(i + 1)}`
}

function spliceText(text: string, at: number, insert: string): string {
  const i = at % (text.length + 1)
  return `${text.slice(0, i)}${insert}${text.slice(i + (at % 3))}`
}
