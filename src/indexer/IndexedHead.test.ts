// The head an indexer reads up to, on a real anvil: told of blocks, it reads up to the announced one without
// asking the node, asks nothing while nothing new is announced, yet asks once a second in case an
// announcement was lost; a connection not told of blocks asks every time.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChainConnection } from '../chain/ChainConnection.js'
import { countedConnectionsToAnvil } from '../testing/countedConnection.js'
import { INDEXER_HEAD_LOOK_MS, IndexedHead } from './IndexedHead.js'

const counted = countedConnectionsToAnvil({ chainId: 31337 })

const mine = async (chain: ChainConnection, blocks: number) => chain.client.request({ method: 'anvil_mine', params: [`0x${blocks.toString(16)}`] } as never)

test('told of blocks: reads up to the announced head without asking, and asks nothing while nothing is new', async () => {
  const { chain, requests: asked, announce } = counted({ follow: true, method: 'eth_blockNumber' })
  const head = new IndexedHead(chain)
  const start = Number(await chain.client.getBlockNumber({ cacheTime: 0 }))
  // Nothing announced yet: the node is asked.
  const before = asked()
  assert.equal(await head.from(start + 1), start)
  assert.equal(asked(), before + 1)
  await mine(chain, 2)
  announce(start + 2)
  assert.equal(await head.from(start + 1), start + 2, 'the announced head')
  assert.equal(await head.from(start + 3), start + 2, 'nothing new: the announced head, below from')
  assert.equal(asked(), before + 1, 'and no request either time')
  // The latest announcement counts, even a lower one (a node started again from an older state).
  announce(start + 1)
  assert.equal(await head.from(start + 1), start + 1)
})

test('an announcement lost: the node is asked again once a second', async () => {
  const { chain, requests: asked, announce } = counted({ follow: true, method: 'eth_blockNumber' })
  const head = new IndexedHead(chain)
  const start = Number(await chain.client.getBlockNumber({ cacheTime: 0 }))
  announce(start)
  await head.from(start + 1) // asks (never asked before)
  await mine(chain, 1) // not announced
  const before = asked()
  assert.equal(await head.from(start + 1), start, 'within the second: the announced head, no request')
  assert.equal(asked(), before)
  await new Promise((resolve) => setTimeout(resolve, INDEXER_HEAD_LOOK_MS + 50))
  assert.equal(await head.from(start + 1), start + 1, 'after it: the node is asked and has the block')
  assert.equal(asked(), before + 1)
})

test('not told of blocks: the node is asked every time', async () => {
  const { chain, requests: asked } = counted({ follow: false, method: 'eth_blockNumber' })
  const head = new IndexedHead(chain)
  const start = Number(await chain.client.getBlockNumber({ cacheTime: 0 }))
  const before = asked()
  await head.from(start + 1)
  await head.from(start + 1)
  assert.equal(asked(), before + 2)
  await mine(chain, 1)
  assert.equal(await head.from(start + 1), start + 1)
})
