// The priority processor on a node that mines once a second (anvil --block-time 1, a chain's own block
// time): the requests waiting go out together, so they take a block or two, not one block each; and a
// request that needs the inbox's full call gas still gets it with the fixed gas limit sent.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { encodeFunctionData, zeroHash, type Address } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import { DEV_ACCOUNT_COUNT, DEV_MNEMONIC, devAccount } from '../chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../chain/process/index.js'
import * as c from '../contracts/generated/index.js'
import type { L2Contracts, ZkChainInfo } from '../network/types.js'
import { openStore, type Store } from '../store/openStore.js'
import { PriorityProcessor } from './PriorityProcessor.js'

const CHAIN_ID = 5_301
const operator = devAccount(10)
let node: AnvilProcess
let chain: ChainConnection
let store: Store
let inbox: Address
let recipient: Address

before(async () => {
  node = createAnvil({ chainId: CHAIN_ID, port: 0, name: 'interval', accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC, blockTime: 1 })
  await node.start()
  chain = new ChainConnection({ chainId: CHAIN_ID, name: 'interval', rpcUrl: node.rpcUrl })
  const messenger = (await chain.deploy(operator.privateKey, { abi: c.l2MessengerAbi, bytecode: c.l2MessengerBytecode, action: 'deploy L2Messenger' })).address
  inbox = (await chain.deploy(operator.privateKey, { abi: c.l2PriorityInboxAbi, bytecode: c.l2PriorityInboxBytecode, args: [operator.address, messenger], action: 'deploy L2PriorityInbox' })).address
  // A call target that records what it is given: the example recipient, with this operator as its gateway.
  recipient = (await chain.deploy(operator.privateKey, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [inbox], action: 'deploy recipient' })).address
  store = openStore(':memory:')
})
after(async () => {
  store?.close()
  await node?.stop()
})

/** Queues `count` requests for the chain in the store, as the settlement layer's indexer would, from index `from`. */
function queue(from: number, count: number, data: (i: number) => `0x${string}`) {
  const insert = store.prepare('INSERT INTO priority_requests (sl_chain_id, chain_id, idx, l2_target, data, request_hash, rolling_hash, block_number, seen_at) VALUES (?,?,?,?,?,?,?,?,?)')
  for (let i = from; i < from + count; i++) insert.run(31337, CHAIN_ID, i, recipient, data(i), zeroHash, zeroHash, 1, Date.now())
}

test('on a node with a block time, the requests waiting are processed in a block or two, not one block each, in order', async () => {
  const count = 6
  queue(0, count, (i) => encodeFunctionData({ abi: c.standardRecipientAbi, functionName: 'receiveMessage', args: [zeroHash, '0x', `0x0${i}`] }))
  const info = { chainId: CHAIN_ID, name: 'interval', operator } as ZkChainInfo
  const processor = new PriorityProcessor({ store, chain, info, contracts: { priorityInbox: inbox } as L2Contracts })
  const from = await chain.client.getBlockNumber({ cacheTime: 0 })
  assert.equal(await processor.tick(), true)
  const logs = await chain.client.getContractEvents({ address: inbox, abi: c.l2PriorityInboxAbi, eventName: 'PriorityRequestProcessed', fromBlock: from })
  assert.deepEqual(logs.map((log) => log.args.index), [0n, 1n, 2n, 3n, 4n, 5n], 'every request, in queue order')
  const blocks = new Set(logs.map((log) => log.blockNumber))
  assert.ok(blocks.size <= 2, `${count} requests took ${blocks.size} blocks`)
  // Each call got its full gas and ran: the recipient took them all.
  assert.equal(await chain.client.readContract({ address: recipient, abi: c.standardRecipientAbi, functionName: 'received' }), BigInt(count))
  assert.equal(await chain.client.readContract({ address: inbox, abi: c.l2PriorityInboxAbi, functionName: 'processedCount' }), BigInt(count))
})

test('a request whose call burns all of its gas fits the fixed gas limit: it fails as a request (recorded, the queue moves on), not as a transaction', async () => {
  // Runtime code JUMPDEST PUSH1 0 JUMP: a loop that burns whatever gas the call is given.
  const burner = (await chain.deploy(operator.privateKey, { abi: [], bytecode: '0x635b6000566000526004601cf3', action: 'deploy gas burner' })).address
  const insert = store.prepare('INSERT INTO priority_requests (sl_chain_id, chain_id, idx, l2_target, data, request_hash, rolling_hash, block_number, seen_at) VALUES (?,?,?,?,?,?,?,?,?)')
  insert.run(31337, CHAIN_ID, 6, burner, '0x', zeroHash, zeroHash, 1, Date.now())
  const info = { chainId: CHAIN_ID, name: 'interval', operator } as ZkChainInfo
  const processor = new PriorityProcessor({ store, chain, info, contracts: { priorityInbox: inbox } as L2Contracts })
  assert.equal(await processor.tick(), true)
  const [failed] = await chain.client.getContractEvents({ address: inbox, abi: c.l2PriorityInboxAbi, eventName: 'PriorityRequestFailed', args: { index: 6n }, fromBlock: 0n })
  assert.ok(failed, 'request 6 failed as a request')
  const receipt = await chain.client.getTransactionReceipt({ hash: failed.transactionHash })
  const limit = await chain.client.readContract({ address: inbox, abi: c.l2PriorityInboxAbi, functionName: 'REQUEST_GAS_LIMIT' })
  assert.ok(receipt.gasUsed > limit, `the call burned its ${limit} gas (the transaction used ${receipt.gasUsed})`)
  assert.equal(await chain.client.readContract({ address: inbox, abi: c.l2PriorityInboxAbi, functionName: 'processedCount' }), 7n)
})
