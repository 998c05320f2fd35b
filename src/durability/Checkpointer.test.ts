// A checkpoint of a chain whose state has grown past 10 MB (a Gateway after a few thousand messages):
// viem's HTTP transport refuses answers over 10 MB by default, and `anvil_dumpState` answers with the
// whole state, hex-encoded. Seen in `npm run soak`: the Gateway's dump was 16.6 MB after ~5,700 messages.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { bytesToHex, createPublicClient, http, type PublicClient } from 'viem'
import { DEV_MNEMONIC } from '../chain/devAccounts.js'
import { createAnvil } from '../chain/process/index.js'
import { runningProcesses, stopAll } from '../chain/process/processRegistry.js'
import { BlockProducer } from '../sequencer/BlockProducer.js'
import { checkpointNetwork } from './checkpointNetwork.js'

const dir = mkdtempSync(join(tmpdir(), 'junction-checkpointer-'))
after(async () => {
  await stopAll()
  rmSync(dir, { recursive: true, force: true })
  assert.deepEqual(runningProcesses(), [], 'every anvil this file started is stopped')
})

test('a checkpoint is taken of a chain whose dumped state is larger than 10 MB', { timeout: 60_000 }, async () => {
  const anvil = createAnvil({ chainId: 31337, port: 0, mnemonic: DEV_MNEMONIC, accounts: 2, name: 'l1', noMining: true })
  await anvil.start()
  const producer = new BlockProducer({ name: 'l1', chainId: 31337, rpcUrl: anvil.rpcUrl })
  await producer.start()
  const client = createPublicClient({ transport: http(anvil.rpcUrl) }) as PublicClient
  // 7 contracts of 0.9 MB of random (incompressible) code each: a state of ~6.3 MB gzipped, ~12.6 MB as hex.
  for (let i = 1; i <= 7; i++) {
    await client.request({ method: 'anvil_setCode', params: [`0x${i.toString(16).padStart(40, 'c')}`, bytesToHex(randomBytes(900_000))] } as never)
  }
  await client.request({ method: 'evm_mine', params: [] } as never)
  const manifestPath = join(dir, 'network.json')
  writeFileSync(manifestPath, '{}\n')
  const errors: Error[] = []
  const checkpointer = await checkpointNetwork({ dataDir: dir, manifestPath, processes: [anvil], producers: new Map([['l1', producer]]), onError: (error) => errors.push(error) })
  const taken = checkpointer.taken[0]
  await checkpointer.close()
  await producer.stop()
  assert.deepEqual(errors.map((e) => e.message), [])
  assert.ok(taken, 'the first checkpoint was taken')
  assert.ok(taken.chains[0]!.bytes > 6_000_000, `its state file holds the whole state (${taken.chains[0]!.bytes} bytes gzipped)`)
  await anvil.stop()
})
