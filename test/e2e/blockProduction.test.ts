// Block production on a network Junction starts (every node with automine off, Junction's block
// producers mining): the roots a destination needs are imported by its operator first in a block of the
// destination, also while users' own transactions fill its blocks; and an idle network mines nothing.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { parseAbiItem, toHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { JunctionIndex, sendMessage, waitForMessage } from '../../src/sdk/index.js'
import { sleep } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

type TestNetwork = Awaited<ReturnType<typeof startTestNetwork>>

let network: TestNetwork
let index: JunctionIndex

before(async () => {
  network = await startTestNetwork()
  index = new JunctionIndex(network.manifest)
})

after(async () => {
  await network?.close()
})

test("a root a message waits for is imported by the destination's operator as the first transaction of a block, while users' transactions fill the destination's blocks", async () => {
  const alphaInfo = chainNamed(network, 'alpha')
  const betaInfo = chainNamed(network, 'beta')
  const beta = new ChainConnection(betaInfo)
  const from = await beta.client.getBlockNumber({ cacheTime: 0 })
  // A user sends to beta's node directly, without stopping, while the messages travel: beta's blocks hold
  // its transactions (zero fees, the way Junction's clients send on a ZK chain).
  const spammer = privateKeyToAccount(network.manifest.accounts.users[1]!.privateKey)
  let spamming = true
  let spamSent = 0
  const spam = (async () => {
    let nonce = await beta.client.getTransactionCount({ address: spammer.address, blockTag: 'pending' })
    while (spamming) {
      const raw = await spammer.signTransaction({ chainId: betaInfo.chainId, type: 'eip1559', to: spammer.address, value: 0n, gas: 21_000n, nonce: nonce++, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })
      await beta.client.request({ method: 'eth_sendRawTransaction', params: [raw] } as never)
      spamSent++
    }
  })()
  const sender = walletFor(alphaInfo, network.manifest.accounts.users[0]!.privateKey)
  try {
    for (let i = 0; i < 3; i++) {
      const { bundleHash } = await sendMessage(sender, { recipient: { chainId: betaInfo.chainId, address: network.manifest.l2Contracts.exampleRecipient }, payload: toHex(`root in block ${i}`), interopCenter: network.manifest.l2Contracts.interopCenter })
      assert.equal((await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })).status, 'executed')
    }
  } finally {
    spamming = false
    await spam
  }
  assert.ok(spamSent > 10, `the user sent ${spamSent} transactions meanwhile`)
  const imports = await beta.client.getLogs({ address: network.manifest.l2Contracts.interopRootStore, event: parseAbiItem('event InteropRootAdded(uint256 indexed slChainId, uint256 indexed slBlockNumber, bytes32 root)'), fromBlock: from + 1n, toBlock: 'latest' })
  assert.ok(imports.length >= 1, 'beta imported the L1 roots its messages needed')
  let shared = 0
  for (const hash of new Set(imports.map((log) => log.transactionHash as Hex))) {
    const receipt = await beta.client.getTransactionReceipt({ hash })
    assert.equal(receipt.transactionIndex, 0, `the import ${hash} is the first transaction of block ${receipt.blockNumber}`)
    assert.equal(receipt.from.toLowerCase(), betaInfo.operator.address.toLowerCase(), "sent by beta's operator")
    const block = await beta.client.getBlock({ blockNumber: receipt.blockNumber })
    if (block.transactions.length > 1) shared++
  }
  assert.ok(shared >= 1, "at least one import went into a block with the user's transactions after it")
  // The operator's tip came back to it: it is beta's coinbase.
  const block = await beta.client.getBlock({ blockNumber: imports[0]!.blockNumber! })
  assert.equal(block.miner.toLowerCase(), betaInfo.operator.address.toLowerCase())
})

test('an idle network mines nothing: no empty blocks', async () => {
  const chains = [network.manifest.l1, ...network.manifest.chains].map((info) => new ChainConnection(info))
  // Let what is under way settle (the previous test's last batches), then watch the heads.
  let heads = await Promise.all(chains.map((chain) => chain.client.getBlockNumber({ cacheTime: 0 })))
  const deadline = Date.now() + 60_000
  for (let quiet = 0; quiet < 2; ) {
    assert.ok(Date.now() < deadline, 'the network never went quiet')
    await sleep(1_500)
    const now = await Promise.all(chains.map((chain) => chain.client.getBlockNumber({ cacheTime: 0 })))
    quiet = now.every((head, i) => head === heads[i]) ? quiet + 1 : 0
    heads = now
  }
  await sleep(2_000)
  assert.deepEqual(await Promise.all(chains.map((chain) => chain.client.getBlockNumber({ cacheTime: 0 }))), heads, 'no chain mined a block in 2 s of nothing to do')
  for (const [i, chain] of chains.entries()) {
    const block = await chain.client.getBlock({ blockNumber: heads[i]! })
    assert.ok(block.transactions.length > 0 || block.number === 0n, `${chain.name}'s head block ${block.number} holds transactions`)
  }
})
