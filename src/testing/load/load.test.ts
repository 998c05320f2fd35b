// The load generator's sends on a real anvil: in JSON-RPC batches, every transaction is accepted in nonce order
// per key and reported once; an entry the node refuses fails the batch with its entry named.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { keccak256 } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createAnvil, type AnvilProcess } from '../../chain/process/index.js'
import { makeFundedKeys, presign, pushSigned, rpc, rpcBatch, RpcError } from './load.js'

let anvil: AnvilProcess

before(async () => {
  anvil = createAnvil({ chainId: 31337, port: 0, accounts: 1 })
  await anvil.start()
})
after(async () => {
  await anvil?.stop()
})

test('pushSigned in batches: every transaction accepted, in order per key, each reported once', async () => {
  const keys = await makeFundedKeys('load test', 3, [anvil.rpcUrl])
  const to = privateKeyToAccount(keys[0]!).address
  const signed = await presign({ chainId: 31337, rpcUrl: anvil.rpcUrl, keys, perKey: 7, build: () => ({ to, value: 1n, gas: 21_000n }) })
  const reported: string[] = []
  let admitted = 0
  const hashes = await pushSigned(anvil.rpcUrl, signed, (k, i) => reported.push(`${k}:${i}`), async () => void admitted++, { perRequest: 3 })
  assert.deepEqual(hashes, signed.map((list) => list.map((raw) => keccak256(raw))))
  assert.equal(admitted, 21, 'each transaction let through once')
  assert.equal(new Set(reported).size, 21)
  for (let k = 0; k < 3; k++) assert.deepEqual(reported.filter((r) => r.startsWith(`${k}:`)), Array.from({ length: 7 }, (_, i) => `${k}:${i}`))
  await rpc(anvil.rpcUrl, 'evm_mine', [])
  for (const key of keys) assert.equal(await rpc(anvil.rpcUrl, 'eth_getTransactionCount', [privateKeyToAccount(key).address, 'latest']), '0x7')
})

test('rpcBatch names the entry the node refused', async () => {
  await assert.rejects(rpcBatch(anvil.rpcUrl, [{ method: 'eth_chainId', params: [] }, { method: 'eth_sendRawTransaction', params: ['0x01'] }]), (error: unknown) => error instanceof RpcError && /batch entry 1/.test(error.message))
  assert.deepEqual(await rpcBatch(anvil.rpcUrl, [{ method: 'eth_chainId', params: [] }]), ['0x7a69'])
  await assert.rejects(pushSigned(anvil.rpcUrl, [[]], undefined, undefined, { perRequest: 0 }), RangeError)
})
