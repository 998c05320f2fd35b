// NodeEvents on a real anvil: blocks and pool announcements arrive, each NodeEvents has a socket of its
// own (stopping one leaves another on the same node announcing: a block producer once stopped hearing
// of transactions when a service following the same node stopped), a missing node is a typed error,
// and a node that goes away is reported once.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createWalletClient, http, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_ACCOUNT_COUNT, DEV_MNEMONIC, devAccount } from './devAccounts.js'
import { NodeEvents, NodeEventsError } from './NodeEvents.js'
import { createAnvil, type AnvilProcess } from './process/index.js'

const CHAIN_ID = 5_402
let node: AnvilProcess
const wsUrl = () => node.rpcUrl.replace(/^http/, 'ws')

before(async () => {
  node = createAnvil({ chainId: CHAIN_ID, port: 0, name: 'events', noMining: true, accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC, extraArgs: ['--base-fee', '0'] })
  await node.start()
})
after(async () => {
  await node?.stop()
})

/** Sends a 0-fee transfer from dev account `from` straight to the node; resolves with its hash. */
const sendTransfer = (from: number) =>
  createWalletClient({ account: privateKeyToAccount(devAccount(from).privateKey), transport: http(node.rpcUrl) }).sendTransaction({ chain: null, to: devAccount(4).address, value: 1n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })

const mine = () => fetch(node.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_mine', params: [] }) })

/** Resolves with the first `event` the NodeEvents emits; fails after 10 s. */
function next<E extends 'block' | 'pending'>(events: NodeEvents, event: E): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 10 s`)), 10_000)
    timer.unref()
    ;(events as unknown as { once(event: string, listener: (value: unknown) => void): void }).once(event, (value) => {
      clearTimeout(timer)
      resolve(value)
    })
  })
}

test('a block and a transaction in the pool are announced', async () => {
  const events = new NodeEvents({ name: 'events', wsUrl: wsUrl(), pendingTransactions: true })
  await events.start()
  try {
    const pending = next(events, 'pending')
    const hash = await sendTransfer(3)
    assert.equal(await pending, hash)
    const block = next(events, 'block')
    await mine()
    const announced = (await block) as { number: number; hash: Hex; timestamp: number }
    assert.ok(announced.number >= 1)
    assert.match(announced.hash, /^0x[0-9a-f]{64}$/)
  } finally {
    await events.stop()
  }
})

test('stopping one NodeEvents leaves another on the same node announcing (each has its own socket)', async () => {
  const kept = new NodeEvents({ name: 'kept', wsUrl: wsUrl(), pendingTransactions: true })
  const stopped = new NodeEvents({ name: 'stopped', wsUrl: wsUrl() })
  await kept.start()
  await stopped.start()
  const errors: unknown[] = []
  kept.on('error', (error) => errors.push(error))
  try {
    await stopped.stop()
    const pending = next(kept, 'pending')
    const hash = await sendTransfer(5)
    assert.equal(await pending, hash)
    const block = next(kept, 'block')
    await mine()
    await block
    assert.deepEqual(errors, [])
  } finally {
    await kept.stop()
  }
})

test('a node that is not there is a NodeEventsError naming it', async () => {
  const missing = new NodeEvents({ name: 'missing', wsUrl: 'ws://127.0.0.1:1' })
  await assert.rejects(missing.start(), (error: unknown) => error instanceof NodeEventsError && error.node === 'missing' && /could not open/.test(error.message))
})

test('a node that goes away is reported once as an error', async () => {
  const other = createAnvil({ chainId: CHAIN_ID + 1, port: 0, name: 'gone', noMining: true, accounts: 1, mnemonic: DEV_MNEMONIC })
  await other.start()
  const events = new NodeEvents({ name: 'gone', wsUrl: other.rpcUrl.replace(/^http/, 'ws') })
  await events.start()
  const errors: unknown[] = []
  events.on('error', (error) => errors.push(error))
  await other.stop()
  const deadline = Date.now() + 10_000
  while (errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  await new Promise((resolve) => setTimeout(resolve, 200))
  assert.equal(errors.length, 1)
  await events.stop()
})
