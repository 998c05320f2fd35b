// The block producer on a real anvil started with automine off (--no-mining), as Junction starts its
// chains: transactions sent at once by many senders straight to the node are all mined, none dropped,
// each sender's in nonce order, many per block; more than a block holds is mined over several blocks;
// a paused producer mines nothing until resumed.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createPublicClient, http, keccak256, stringToHex, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_ACCOUNT_COUNT, DEV_MNEMONIC, devAccount } from '../chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../chain/process/index.js'
import { BlockProducer } from './BlockProducer.js'

const CHAIN_ID = 5_401
/** A small block gas limit: 23 transfers fit in a block, so the load below needs many blocks. */
const BLOCK_GAS_LIMIT = 500_000n
let node: AnvilProcess
let client: PublicClient
let producer: BlockProducer
const errors: unknown[] = []

before(async () => {
  // As Junction starts a ZK chain (no gas charged), with automine off and a small block gas limit.
  node = createAnvil({ chainId: CHAIN_ID, port: 0, name: 'produced', noMining: true, accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC, extraArgs: ['--base-fee', '0', '--gas-limit', String(BLOCK_GAS_LIMIT)] })
  await node.start()
  client = createPublicClient({ transport: http(node.rpcUrl) }) as PublicClient
  producer = new BlockProducer({ name: 'produced', chainId: CHAIN_ID, rpcUrl: node.rpcUrl, onError: (error) => errors.push(error) })
  await producer.start()
})
after(async () => {
  await producer?.stop()
  await node?.stop()
})

const rpc = <T>(method: string, params: unknown[] = []) => client.request({ method, params } as never) as Promise<T>

/** Dev account `index` sends itself 1 wei straight to the node (no announcement needed to be mined by a timer look); resolves with the hash. */
async function sendToSelf(index: number): Promise<Hex> {
  const sender = privateKeyToAccount(devAccount(index).privateKey)
  const nonce = await client.getTransactionCount({ address: sender.address, blockTag: 'pending' })
  return rpc<Hex>('eth_sendRawTransaction', [await sender.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', to: sender.address, value: 1n, gas: 21_000n, nonce, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })])
}

/** Resolves with the receipt of `hash` once mined; fails after `timeoutMs`. */
async function minedReceipt(hash: Hex, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const receipt = await client.getTransactionReceipt({ hash }).catch(() => undefined)
    if (receipt) return receipt
    if (Date.now() > deadline) throw new Error(`${hash} not mined after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

test('transactions sent at once by many senders straight to the node are all mined, none dropped, each sender in nonce order, many per block', async () => {
  const senders = 40
  const perSender = 15
  const keys = Array.from({ length: senders }, (_, i) => keccak256(stringToHex(`block producer test sender ${i}`)))
  // Each sender gets ETH from a dev account, in one block the producer mines by itself.
  const funder = privateKeyToAccount(devAccount(0).privateKey)
  let funderNonce = await client.getTransactionCount({ address: funder.address })
  const fundings = await Promise.all(
    keys.map(async (key) => rpc<Hex>('eth_sendRawTransaction', [await funder.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', to: privateKeyToAccount(key).address, value: 10n ** 18n, gas: 21_000n, nonce: funderNonce++, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })])),
  )
  for (const hash of fundings) assert.equal((await minedReceipt(hash)).status, 'success')

  const from = await client.getBlockNumber({ cacheTime: 0 })
  // Signed first, then sent all at once: every sender's transactions in nonce order, the senders side by side.
  const signed = await Promise.all(
    keys.map((key, k) => {
      const account = privateKeyToAccount(key)
      const to = privateKeyToAccount(keys[(k + 1) % senders]!).address
      return Promise.all(Array.from({ length: perSender }, (_, nonce) => account.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', to, value: BigInt(nonce + 1), gas: 21_000n, nonce, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })))
    }),
  )
  const hashes = await Promise.all(signed.map(async (transactions) => {
    const sent: Hex[] = []
    for (const raw of transactions) sent.push(await rpc<Hex>('eth_sendRawTransaction', [raw]))
    return sent
  }))

  const receipts = await Promise.all(hashes.map((list) => Promise.all(list.map((hash) => minedReceipt(hash)))))
  const total = senders * perSender
  assert.equal(receipts.flat().filter((receipt) => receipt.status === 'success').length, total, 'every transaction mined and succeeded')
  for (const [k, list] of receipts.entries()) {
    const positions = list.map((receipt) => [receipt.blockNumber, receipt.transactionIndex] as const)
    for (let i = 1; i < positions.length; i++) {
      const [block, index] = positions[i]!
      const [previousBlock, previousIndex] = positions[i - 1]!
      assert.ok(block > previousBlock || (block === previousBlock && index > previousIndex), `sender ${k}: nonce ${i} mined after nonce ${i - 1}`)
    }
    const account = privateKeyToAccount(keys[k]!).address
    assert.equal(await client.getTransactionCount({ address: account }), perSender, `sender ${k}'s nonce moved past its last transaction`)
  }
  assert.deepEqual(await rpc('txpool_status'), { pending: '0x0', queued: '0x0' }, 'nothing left in the pool')
  const blocks = new Set(receipts.flat().map((receipt) => receipt.blockNumber))
  // 23 transfers fill a block of this node: the load needed many blocks, each holding many transactions.
  const perBlock = Number(BLOCK_GAS_LIMIT / 21_000n)
  assert.ok(blocks.size >= Math.ceil(total / perBlock), `${total} transfers in ${blocks.size} blocks`)
  assert.ok(blocks.size < total / 4, `${total} transfers in ${blocks.size} blocks: many per block`)
  const head = await client.getBlockNumber({ cacheTime: 0 })
  for (let number = from + 1n; number <= head; number++) {
    const block = await client.getBlock({ blockNumber: number })
    assert.ok(block.transactions.length > 0, `block ${number} is not empty: the producer mines only when something waits`)
  }
  assert.deepEqual(errors, [])
})

test('a paused producer mines nothing; resumed, it mines what waited', async () => {
  const sender = privateKeyToAccount(devAccount(1).privateKey)
  await producer.pause()
  const head = await client.getBlockNumber({ cacheTime: 0 })
  const nonce = await client.getTransactionCount({ address: sender.address })
  const hash = await rpc<Hex>('eth_sendRawTransaction', [await sender.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', to: sender.address, value: 1n, gas: 21_000n, nonce, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })])
  await new Promise((resolve) => setTimeout(resolve, 300))
  assert.equal(await client.getBlockNumber({ cacheTime: 0 }), head, 'no block while paused')
  assert.deepEqual(await rpc('txpool_status'), { pending: '0x1', queued: '0x0' }, 'the transaction waits in the pool')
  producer.resume()
  const receipt = await minedReceipt(hash)
  assert.equal(receipt.blockNumber, head + 1n, 'mined in the next block once resumed')
})

test('every block is announced, also one mined by someone else', async () => {
  const announced: number[] = []
  const listener = ({ number }: { number: number }) => announced.push(number)
  producer.on('block', listener)
  try {
    await rpc('evm_mine')
    const head = Number(await client.getBlockNumber({ cacheTime: 0 }))
    const deadline = Date.now() + 5_000
    while (!announced.includes(head) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    assert.ok(announced.includes(head), `block ${head} announced (${announced.join(', ')})`)
    assert.equal(producer.head?.number, head)
  } finally {
    producer.off('block', listener)
  }
})

test('a transaction whose announcement never comes is still mined: the producer looks at the pool once a second', async () => {
  // The producer hears a silent node (a second anvil) and mines this one: no announcement reaches it.
  const silent = createAnvil({ chainId: CHAIN_ID + 1, port: 0, name: 'silent', noMining: true, accounts: 1, mnemonic: DEV_MNEMONIC })
  await silent.start()
  const deaf = new BlockProducer({ name: 'deaf', chainId: CHAIN_ID, rpcUrl: node.rpcUrl, wsUrl: silent.rpcUrl.replace(/^http/, 'ws'), onError: (error) => errors.push(error) })
  await producer.stop()
  try {
    await deaf.start()
    const hash = await sendToSelf(2)
    assert.equal((await minedReceipt(hash)).status, 'success')
    // The receipt can be seen before the producer has the answer to its evm_mine (and counts the block).
    const deadline = Date.now() + 5_000
    while (deaf.stats.blocks === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    assert.ok(deaf.stats.safetyLooks > 0 && deaf.stats.blocks === 1, `mined by a look of the timer (${JSON.stringify(deaf.stats)})`)
  } finally {
    await deaf.stop()
    await silent.stop()
    await producer.start()
  }
  assert.deepEqual(errors, [])
})

test('a builder that fails does not stop the chain: its error is reported and the waiting transaction is mined', async () => {
  const failures: unknown[] = []
  const failing = new BlockProducer({ name: 'failing builder', chainId: CHAIN_ID, rpcUrl: node.rpcUrl, onError: (error) => failures.push(error) })
  failing.builder = { beforeBlock: async () => Promise.reject(new Error('the builder cannot read the operator balance')) }
  await producer.stop()
  try {
    await failing.start()
    const hash = await sendToSelf(3)
    assert.equal((await minedReceipt(hash, 10_000)).status, 'success')
    assert.ok(failing.stats.builderFailures > 0 && failures.some((e) => e instanceof Error && /operator balance/.test(e.message)), 'the failure reported')
  } finally {
    await failing.stop()
    await producer.start()
  }
})
