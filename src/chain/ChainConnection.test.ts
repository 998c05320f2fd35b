// A sender whose transaction the node lost: it must not wait forever, nor leave its key's later
// transactions waiting behind the missing nonce (what `npm run soak` found: a chain's node restarted and
// lost its pool, and every later transaction of the services' keys on it waited until the process restarted).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { createPublicClient, createWalletClient, custom, http, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { TransactionDroppedError } from '../errors/transaction.js'
import { ChainConnection, defineJunctionChain } from './ChainConnection.js'
import { DEV_MNEMONIC, devAccount } from './devAccounts.js'
import { createAnvil, type AnvilProcess } from './process/index.js'
import { runningProcesses, stopAll } from './process/processRegistry.js'

const dir = mkdtempSync(join(tmpdir(), 'junction-chain-connection-'))
after(async () => {
  await stopAll()
  rmSync(dir, { recursive: true, force: true })
  assert.deepEqual(runningProcesses(), [], 'every anvil this file started is stopped')
})

const payer = devAccount(3)
const payee = devAccount(4).address
/** A payment of `value` wei from the payer to the payee (a plain transfer: 21,000 gas). */
const payment = (value: bigint) => ({ to: payee, data: '0x' as Hex, value, gas: 21_000n, action: `pay ${value} wei` })

async function node(port = 0): Promise<{ anvil: AnvilProcess; client: PublicClient; request: <T>(method: string, params?: unknown[]) => Promise<T> }> {
  const anvil = createAnvil({ chainId: 31337, port, mnemonic: DEV_MNEMONIC, accounts: 6 })
  await anvil.start()
  const client = createPublicClient({ transport: http(anvil.rpcUrl, { retryCount: 0 }) }) as PublicClient
  return { anvil, client, request: <T>(method: string, params: unknown[] = []) => client.request({ method, params } as never) as Promise<T> }
}

/** Waits until the node's pool holds `count` transactions ready to mine. */
async function poolHolds(request: <T>(method: string, params?: unknown[]) => Promise<T>, count: number): Promise<void> {
  for (;;) {
    const { pending } = await request<{ pending: Hex }>('txpool_status')
    if (Number(BigInt(pending)) >= count) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

test('a transaction the node dropped from its pool is sent again, and the key’s next transaction is mined after it', { timeout: 30_000 }, async () => {
  const { anvil, client, request } = await node()
  const connection = new ChainConnection({ chainId: 31337, name: 'l1', rpcUrl: anvil.rpcUrl })
  const before = { nonce: await client.getTransactionCount({ address: payer.address }), payee: await client.getBalance({ address: payee }) }
  await request('evm_setAutomine', [false])
  const first = connection.sendRaw(payer.privateKey, payment(1n))
  await poolHolds(request, 1)
  await request('anvil_dropAllTransactions')
  await request('evm_setAutomine', [true])
  const second = await connection.sendRaw(payer.privateKey, payment(2n))
  const firstReceipt = await first
  assert.equal(firstReceipt.status, 'success')
  assert.equal(second.status, 'success')
  assert.equal((await client.getTransaction({ hash: firstReceipt.transactionHash })).nonce, before.nonce, 'the dropped transaction was mined with its own nonce')
  assert.equal((await client.getTransaction({ hash: second.transactionHash })).nonce, before.nonce + 1)
  assert.equal(await client.getBalance({ address: payee }), before.payee + 3n, 'both payments, once each')
  assert.equal(await client.getTransactionCount({ address: payer.address }), before.nonce + 2)
  await anvil.stop()
})

test('after its node restarted without its pool, the lost transaction is sent again from its signed bytes and the next one is mined after it', { timeout: 30_000 }, async () => {
  const { anvil, client, request } = await node()
  const connection = new ChainConnection({ chainId: 31337, name: 'l1', rpcUrl: anvil.rpcUrl })
  const before = { nonce: await client.getTransactionCount({ address: payer.address }), payee: await client.getBalance({ address: payee }) }
  await request('evm_setAutomine', [false])
  // Its caller hears of the node going away (or of the receipt, if it comes back in time): either is fine.
  const first = connection.sendRaw(payer.privateKey, payment(1n)).then(
    (receipt) => receipt,
    (error: unknown) => error,
  )
  await poolHolds(request, 1)
  // The node crashes keeping every mined block (a dump while it mines nothing) and loses its pool.
  const state = await request<Hex>('anvil_dumpState')
  const stateFile = join(dir, 'restarted.json')
  writeFileSync(stateFile, gunzipSync(Buffer.from(state.slice(2), 'hex')))
  const exited = new Promise((resolve) => anvil.once('exit', resolve))
  process.kill(anvil.pid!, 'SIGKILL')
  await exited
  const again = createAnvil({ ...anvil.parameters, port: anvil.port, loadState: stateFile })
  await again.start()
  assert.equal(await client.getTransactionCount({ address: payer.address }), before.nonce, 'the restarted node does not have the first payment')
  const second = await connection.sendRaw(payer.privateKey, payment(2n))
  assert.equal(second.status, 'success')
  assert.equal(await client.getBalance({ address: payee }), before.payee + 3n, 'the lost payment was sent again and mined once, then the second')
  assert.equal(await client.getTransactionCount({ address: payer.address }), before.nonce + 2)
  const outcome = await first
  if (!(outcome instanceof Error)) assert.equal((outcome as { status: string }).status, 'success')
  await again.stop()
})

test('a dropped transaction whose nonce another sender of the same key took fails with TransactionDroppedError, and the connection sends on', { timeout: 30_000 }, async () => {
  const { anvil, client, request } = await node()
  const connection = new ChainConnection({ chainId: 31337, name: 'l1', rpcUrl: anvil.rpcUrl })
  const otherProcess = new ChainConnection({ chainId: 31337, name: 'l1', rpcUrl: anvil.rpcUrl })
  const before = { nonce: await client.getTransactionCount({ address: payer.address }), payee: await client.getBalance({ address: payee }) }
  await request('evm_setAutomine', [false])
  const first = connection.sendRaw(payer.privateKey, payment(1n)).then(
    () => undefined,
    (error: unknown) => error,
  )
  await poolHolds(request, 1)
  await request('anvil_dropAllTransactions')
  await request('evm_setAutomine', [true])
  const taken = await otherProcess.sendRaw(payer.privateKey, payment(5n))
  assert.equal((await client.getTransaction({ hash: taken.transactionHash })).nonce, before.nonce, 'the other sender took the dropped nonce')
  const error = await first
  assert.ok(error instanceof TransactionDroppedError, `the dropped one failed by name: ${String(error)}`)
  assert.equal(error.nonce, before.nonce)
  const next = await connection.sendRaw(payer.privateKey, payment(7n))
  assert.equal(next.status, 'success')
  assert.equal(await client.getBalance({ address: payee }), before.payee + 12n, 'the dropped payment never happened; the other two did')
  await anvil.stop()
})

test('a gap left by a transaction this connection never sent (another process, gone) is filled with a no-op, and its own transaction is mined', { timeout: 30_000 }, async () => {
  const { anvil, client, request } = await node()
  const connection = new ChainConnection({ chainId: 31337, name: 'l1', rpcUrl: anvil.rpcUrl, gapFillAfterMs: 500 })
  const before = { nonce: await client.getTransactionCount({ address: payer.address }), payee: await client.getBalance({ address: payee }) }
  await request('evm_setAutomine', [false])
  // Another process sends nonce n and dies; the node then loses that transaction.
  const wallet = createWalletClient({ account: privateKeyToAccount(payer.privateKey), chain: defineJunctionChain(31337, 'l1', anvil.rpcUrl), transport: http(anvil.rpcUrl) })
  const gone = await wallet.sendTransaction({ to: payee, value: 1n, nonce: before.nonce, gas: 21_000n })
  await poolHolds(request, 1)
  const own = connection.sendRaw(payer.privateKey, payment(2n))
  await poolHolds(request, 2)
  await request('anvil_dropTransaction', [gone])
  await request('evm_setAutomine', [true])
  const receipt = await own
  assert.equal(receipt.status, 'success')
  assert.equal((await client.getTransaction({ hash: receipt.transactionHash })).nonce, before.nonce + 1)
  const blocks = await Promise.all([receipt.blockNumber - 1n, receipt.blockNumber].map((blockNumber) => client.getBlock({ blockNumber, includeTransactions: true })))
  const filler = blocks.flatMap((block) => block.transactions).find((tx) => tx.from.toLowerCase() === payer.address.toLowerCase() && tx.nonce === before.nonce)
  assert.ok(filler, 'nonce n was mined, with or before the connection’s own transaction')
  assert.equal(filler.from.toLowerCase(), payer.address.toLowerCase())
  assert.equal(filler.to?.toLowerCase(), payer.address.toLowerCase(), 'by a transfer to itself')
  assert.equal(filler.value, 0n, 'of nothing')
  assert.equal(await client.getBalance({ address: payee }), before.payee + 2n, 'the lost payment never happened')
  await anvil.stop()
})

test('with a send transport, its signed transactions go through it (the first send and the send again of one the node dropped), and every read stays on the node', { timeout: 30_000 }, async () => {
  const { anvil, client, request } = await node()
  // Stands for a private chain's permissioned RPC: records what it is asked and passes it to the node.
  const relayed: string[] = []
  const toNode = http(anvil.rpcUrl, { retryCount: 0 })
  const sendTransport = custom({ request: ({ method, params }) => (relayed.push(method), toNode({}).request({ method, params } as never)) })
  const connection = new ChainConnection({ chainId: 31337, name: 'l1', rpcUrl: anvil.rpcUrl, sendTransport })
  await request('evm_setAutomine', [false])
  const first = connection.sendRaw(payer.privateKey, payment(1n))
  await poolHolds(request, 1)
  await request('anvil_dropAllTransactions')
  await request('evm_setAutomine', [true])
  const receipt = await first
  assert.equal(receipt.status, 'success')
  assert.equal((await client.getTransaction({ hash: receipt.transactionHash })).from.toLowerCase(), payer.address.toLowerCase())
  assert.deepEqual(relayed, ['eth_sendRawTransaction', 'eth_sendRawTransaction'], 'sent, then sent again after the node lost it; nothing else')
  assert.equal(connection.recovered.resent, 1)
  await anvil.stop()
})
