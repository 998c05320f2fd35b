// A node started from a genesis dated in the past (anvil --init) counts time from that date; set to now,
// its blocks follow the wall clock again. On a real anvil.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { createPublicClient, http, type PublicClient } from 'viem'
import { createAnvil } from './process/index.js'
import { stopAll } from './process/processRegistry.js'
import { setNodeClockToNow } from './setNodeClockToNow.js'
import { zkChainGenesis, zkChainNodeFlags } from './zkChainNode.js'

const dir = mkdtempSync(join(tmpdir(), 'junction-node-clock-'))
after(async () => {
  await stopAll()
  rmSync(dir, { recursive: true, force: true })
})

/** The timestamp of a block mined now, and the wall clock's seconds. */
async function mineAndDate(client: PublicClient): Promise<{ block: number; now: number }> {
  await client.request({ method: 'evm_mine', params: [] } as never)
  return { block: Number((await client.getBlock({ blockTag: 'latest' })).timestamp), now: Math.floor(Date.now() / 1000) }
}

test('a node started from a genesis written a minute earlier lags by that minute until its clock is set to now; then its blocks are dated now', async () => {
  const genesisFile = join(dir, 'genesis.json')
  const address = '0x00000000000000000000000000000000000000aa'
  writeFileSync(genesisFile, JSON.stringify(zkChainGenesis({ chainId: 5_279, baseTokenHolder: address, feeRecipient: address, timestamp: Math.floor(Date.now() / 1000) - 60 })))
  const node = createAnvil({ chainId: 5_279, port: 0, name: 'late', noMining: true, extraArgs: zkChainNodeFlags({ genesisFile }) })
  await node.start()
  const client = createPublicClient({ transport: http(node.rpcUrl) }) as PublicClient
  const before = await mineAndDate(client)
  assert.ok(before.now - before.block >= 55, `anvil counts from the genesis date: block at ${before.block}, wall clock ${before.now}`)
  await setNodeClockToNow({ rpcUrl: node.rpcUrl })
  const after = await mineAndDate(client)
  assert.ok(Math.abs(after.now - after.block) <= 1, `dated now: block at ${after.block}, wall clock ${after.now}`)
  await new Promise((resolve) => setTimeout(resolve, 1_100))
  const later = await mineAndDate(client)
  assert.ok(later.block > after.block && Math.abs(later.now - later.block) <= 1, `follows the wall clock: block at ${later.block}, wall clock ${later.now}`)
})
