// A node started again from its dumped state (what a resume from a checkpoint does), with the
// arguments it was first started with: a genesis file (`--init`, which anvil refuses beside
// `--load-state`), no dev balance (`--balance 0`), zero fees.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { createPublicClient, createWalletClient, http, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { defineJunctionChain } from '../ChainConnection.js'
import { DEV_MNEMONIC, devAccount } from '../devAccounts.js'
import { createAnvil } from './AnvilProcess.js'
import { runningProcesses, stopAll } from './processRegistry.js'

const dir = mkdtempSync(join(tmpdir(), 'junction-load-state-'))
after(async () => {
  await stopAll()
  rmSync(dir, { recursive: true, force: true })
  assert.deepEqual(runningProcesses(), [], 'every anvil this file started is stopped')
})

test('a node started from its dumped state, with its genesis file among its arguments, comes back at the same head, balances and code, and mines on at the present time', async () => {
  const funded = devAccount(3)
  const other = devAccount(4)
  const genesis = join(dir, 'genesis.json')
  writeFileSync(genesis, JSON.stringify({ config: { chainId: 271 }, alloc: { [funded.address]: { balance: '0x3635c9adc5dea00000' } }, timestamp: '0x0' }))
  const parameters = { chainId: 271, port: 0, accounts: 5, mnemonic: DEV_MNEMONIC, balance: 0, extraArgs: ['--base-fee', '0', '--gas-price', '0', '--no-priority-fee', '--init', genesis] }
  const first = createAnvil(parameters)
  await first.start()
  const client = createPublicClient({ transport: http(first.rpcUrl) })
  const wallet = createWalletClient({ account: privateKeyToAccount(funded.privateKey), chain: defineJunctionChain(271, 'alpha', first.rpcUrl), transport: http(first.rpcUrl) })
  for (let i = 0; i < 3; i++) await client.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: other.address, value: 7n, gasPrice: 0n }) })
  // A contract: 0x00 as runtime code, deployed by a constructor that returns one zero byte.
  const deployed = await client.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi: [], bytecode: '0x60016000f3' as Hex, gasPrice: 0n }) })
  const head = await client.getBlock()
  const firstBlock = await client.getBlock({ blockNumber: 1n })
  const balances = { funded: await client.getBalance({ address: funded.address }), other: await client.getBalance({ address: other.address }) }
  const state = (await client.request({ method: 'anvil_dumpState' } as never)) as Hex
  await first.stop()
  const stateFile = join(dir, 'state.json')
  writeFileSync(stateFile, gunzipSync(Buffer.from(state.slice(2), 'hex')))

  const second = createAnvil({ ...parameters, port: first.port, loadState: stateFile })
  await second.start()
  const again = createPublicClient({ transport: http(second.rpcUrl) })
  const resumed = await again.getBlock()
  assert.equal(resumed.number, head.number, 'the same head block number')
  assert.equal(resumed.hash, head.hash, 'the same head block hash')
  assert.equal((await again.getBlock({ blockNumber: 1n })).hash, firstBlock.hash, 'an old block is there')
  assert.equal(await again.getBalance({ address: funded.address }), balances.funded, "the genesis file's account keeps what it has left")
  assert.equal(await again.getBalance({ address: other.address }), 21n, 'a dev account with no genesis balance has exactly what it received')
  assert.equal(await again.getBalance({ address: devAccount(2).address }), 0n, 'and one that received nothing has nothing (--balance 0 holds)')
  assert.equal(await again.getCode({ address: deployed.contractAddress! }), '0x00', 'the contract is there')
  assert.equal(await again.getTransactionCount({ address: funded.address }), 4, 'its nonce too')
  assert.equal((await again.getTransactionReceipt({ hash: deployed.transactionHash })).status, 'success', 'an old receipt is there')

  const before = Math.floor(Date.now() / 1000)
  const resumedWallet = createWalletClient({ account: privateKeyToAccount(funded.privateKey), chain: defineJunctionChain(271, 'alpha', second.rpcUrl), transport: http(second.rpcUrl) })
  await again.waitForTransactionReceipt({ hash: await resumedWallet.sendTransaction({ to: other.address, value: 1n, gasPrice: 0n }) })
  const next = await again.getBlock()
  assert.equal(next.number, head.number + 1n)
  assert.equal(next.parentHash, head.hash, 'the next block builds on the dumped head')
  assert.ok(next.timestamp >= head.timestamp && next.timestamp >= BigInt(before) - 1n && next.timestamp <= BigInt(Math.floor(Date.now() / 1000)) + 1n, `the next block is timed now (${next.timestamp}, head ${head.timestamp}, now ${before})`)
  await second.stop()
})
