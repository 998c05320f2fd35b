// The keepers' log scan on a real anvil: with block watches, a chain that had no block since the scan
// caught up is skipped without a single request; a block announced, a scan that is behind, or a
// connection that is not told of blocks makes it ask the node again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseAbiItem } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import { countedConnectionsToAnvil } from '../testing/countedConnection.js'
import { BlockWatches, nextLogWindow } from './nextLogWindow.js'

const event = parseAbiItem('event Ping(uint256 n)')
const counted = countedConnectionsToAnvil({ chainId: 31337 })

const mine = async (chain: ChainConnection, blocks: number) => chain.client.request({ method: 'anvil_mine', params: [`0x${blocks.toString(16)}`] } as never)

test('a chain told of its blocks is not asked again until a block is announced', async () => {
  const { chain, requests, announce } = counted({ follow: true })
  const cursors = new Map<number, bigint>()
  const watches = new BlockWatches()
  await nextLogWindow({ cursors, chainId: 31337, chain, event, blocksPerTick: 1_000n, watches })
  const head = await chain.client.getBlockNumber({ cacheTime: 0 })
  assert.equal(cursors.get(31337), head + 1n, 'the first scan reads up to the head')
  const asked = requests()
  for (let i = 0; i < 3; i++) assert.deepEqual(await nextLogWindow({ cursors, chainId: 31337, chain, event, blocksPerTick: 1_000n, watches }), [])
  assert.equal(requests(), asked, 'no request while no block was announced')

  await mine(chain, 2)
  announce()
  await nextLogWindow({ cursors, chainId: 31337, chain, event, blocksPerTick: 1_000n, watches })
  assert.equal(cursors.get(31337), head + 3n, 'after an announced block the scan reads the new blocks')
})

test('a scan that is behind goes on without announcements until it reaches the head', async () => {
  const { chain, requests } = counted({ follow: true })
  await mine(chain, 3)
  const head = await chain.client.getBlockNumber({ cacheTime: 0 })
  const cursors = new Map([[31337, head - 2n]])
  const watches = new BlockWatches()
  for (let i = 0; i < 3; i++) await nextLogWindow({ cursors, chainId: 31337, chain, event, blocksPerTick: 1n, watches })
  assert.equal(cursors.get(31337), head + 1n, 'one block per scan, three scans to catch up')
  const asked = requests()
  await nextLogWindow({ cursors, chainId: 31337, chain, event, blocksPerTick: 1n, watches })
  assert.equal(requests(), asked, 'caught up: skipped')
})

test('a chain whose connection is not told of blocks is asked on every scan', async () => {
  const { chain, requests } = counted({ follow: false })
  const cursors = new Map<number, bigint>()
  const watches = new BlockWatches()
  await nextLogWindow({ cursors, chainId: 31337, chain, event, blocksPerTick: 1_000n, watches })
  const asked = requests()
  await nextLogWindow({ cursors, chainId: 31337, chain, event, blocksPerTick: 1_000n, watches })
  assert.ok(requests() > asked, 'asked again')
  await mine(chain, 1)
  await nextLogWindow({ cursors, chainId: 31337, chain, event, blocksPerTick: 1_000n, watches })
  assert.equal(cursors.get(31337), (await chain.client.getBlockNumber({ cacheTime: 0 })) + 1n, 'and sees the new block')
})
