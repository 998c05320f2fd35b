// Settlement without waiting: the commit, the proof and the execution of a chain's batches are sent back
// to back, nonces in order, each without waiting for the one before it to be mined; the proof is still its
// own proveBatches transaction (the development verifier). A step the settlement layer's node loses is sent
// again, one it refuses stops the round there; either way nothing stays stuck behind a nonce.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { decodeFunctionData, toHex, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { JunctionIndex, sendMessage, waitForMessage } from '../../src/sdk/index.js'
import type { BlockProducer } from '../../src/sequencer/BlockProducer.js'
import { endPause, requestPause } from '../../src/store/settlementPauses.js'
import { sleep } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

type TestNetwork = Awaited<ReturnType<typeof startTestNetwork>>
type PoolTransaction = { hash: Hex; nonce: Hex; input: Hex; to: Hex }

let network: TestNetwork
let index: JunctionIndex
let l1: ChainConnection
let l1Producer: BlockProducer

before(async () => {
  network = await startTestNetwork()
  index = new JunctionIndex(network.manifest)
  l1 = new ChainConnection(network.manifest.l1)
  l1Producer = network.producers.find((p) => p.chainId === network.manifest.l1.chainId)!
})

after(async () => {
  l1Producer?.resume()
  await network?.close()
})

/**
 * Sends a message alpha → beta with alpha's commits paused until its batch is sealed, then pauses L1's
 * block production, lets alpha's batches settle and resolves with the settlement steps of alpha's
 * operator that reach L1's pool meanwhile (by nonce), once no more come. L1 stays paused.
 */
async function settlementStepsSentWhileL1Waits(label: string, beforeL1Pauses?: () => Promise<void>): Promise<{ bundleHash: Hex; steps: (PoolTransaction & { functionName: string })[] }> {
  const store = network.services!.store
  const alpha = chainNamed(network, 'alpha')
  const operator = alpha.operator.address
  requestPause(store, 'commits', alpha.chainId)
  const { bundleHash, receipt } = await sendMessage(walletFor(alpha, network.manifest.accounts.users[0]!.privateKey), {
    recipient: { chainId: chainNamed(network, 'beta').chainId, address: network.manifest.l2Contracts.exampleRecipient },
    payload: toHex(label),
    interopCenter: network.manifest.l2Contracts.interopCenter,
  })
  // The message's batch sealed, and every batch before it settled (nothing of alpha's under way on L1).
  for (const deadline = Date.now() + 30_000; ; await sleep(100)) {
    assert.ok(Date.now() < deadline, `alpha's batch holding block ${receipt.blockNumber} was not sealed`)
    const sealed = store.prepare(`SELECT 1 FROM batches WHERE chain_id = ? AND status = 'sealed' AND last_block >= ?`).get(alpha.chainId, Number(receipt.blockNumber))
    const underWay = store.prepare(`SELECT 1 FROM batches WHERE chain_id = ? AND status IN ('committed', 'proven')`).get(alpha.chainId)
    if (sealed && !underWay && (await l1.client.getTransactionCount({ address: operator, blockTag: 'pending' })) === (await l1.client.getTransactionCount({ address: operator, blockTag: 'latest' }))) break
  }
  await beforeL1Pauses?.()
  await l1Producer.pause()
  endPause(store, 'commits', alpha.chainId)
  let steps: (PoolTransaction & { functionName: string })[] = []
  for (let quiet = 0, deadline = Date.now() + 30_000; quiet < 10 || steps.length === 0; await sleep(100)) {
    assert.ok(Date.now() < deadline, `no settlement step of alpha reached L1's pool (${steps.length} so far)`)
    const pool = (await l1.client.request({ method: 'txpool_content' } as never)) as { pending: Record<string, Record<string, PoolTransaction>>; queued: Record<string, Record<string, PoolTransaction>> }
    const ours = Object.entries({ ...pool.queued, ...pool.pending }).flatMap(([from, byNonce]) => (from.toLowerCase() === operator.toLowerCase() ? Object.values(byNonce) : []))
    const now = ours
      .sort((a, b) => Number(BigInt(a.nonce) - BigInt(b.nonce)))
      .map((tx) => ({ ...tx, functionName: decodeFunctionData({ abi: c.chainSettlementAbi, data: tx.input }).functionName }))
    quiet = now.length === steps.length ? quiet + 1 : 0
    steps = now
  }
  return { bundleHash, steps }
}

test('the commit, the proof and the execution of a batch are sent back to back without waiting to be mined, nonces in order, and L1 mines them in one block', async () => {
  const { bundleHash, steps } = await settlementStepsSentWhileL1Waits('pipelined')
  assert.deepEqual(
    steps.map((s) => s.functionName),
    ['commitBatches', 'proveBatches', 'executeBatches'],
    'all three steps wait in L1 pool together, the proof its own transaction (the development verifier)',
  )
  steps.forEach((s, i) => assert.equal(BigInt(s.nonce), BigInt(steps[0]!.nonce) + BigInt(i), 'consecutive nonces'))
  l1Producer.resume()
  assert.equal((await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })).status, 'executed')
  const receipts = await Promise.all(steps.map((s) => l1.client.getTransactionReceipt({ hash: s.hash })))
  assert.deepEqual(
    receipts.map((r) => r.status),
    ['success', 'success', 'success'],
  )
  assert.equal(new Set(receipts.map((r) => r.blockNumber)).size, 1, 'mined in one block')
})

test('a proof L1 loses from its pool between the commit and the execution is sent again: the batch settles and no nonce stays stuck', async () => {
  const { bundleHash, steps } = await settlementStepsSentWhileL1Waits('pipelined, one step lost')
  const prove = steps.find((s) => s.functionName === 'proveBatches')
  assert.ok(prove && steps.at(-1)!.functionName === 'executeBatches', `a proof and an execution behind it were sent: ${steps.map((s) => s.functionName).join(', ')}`)
  await l1.client.request({ method: 'anvil_dropTransaction', params: [prove.hash] } as never)
  l1Producer.resume()
  assert.equal((await waitForMessage(index, { bundleHash, timeoutMs: 60_000 })).status, 'executed')
  const alpha = chainNamed(network, 'alpha')
  // The proof that was lost was mined after all (sent again, the same signed bytes), before the execution.
  const [proved, executed] = await Promise.all([l1.client.getTransactionReceipt({ hash: prove.hash }), l1.client.getTransactionReceipt({ hash: steps.at(-1)!.hash })])
  assert.equal(proved.status, 'success')
  assert.equal(executed.status, 'success')
  assert.ok(proved.blockNumber <= executed.blockNumber)
  const settlement = alpha.settlements.find((s) => s.slChainId === network.manifest.l1.chainId)!.address
  const [committed, executedTotal] = await Promise.all(
    (['totalCommitted', 'totalExecuted'] as const).map((functionName) => l1.client.readContract({ address: settlement, abi: c.chainSettlementAbi, functionName }) as Promise<bigint>),
  )
  assert.equal(executedTotal, committed, 'every committed batch of alpha executed')
  const operator = alpha.operator.address
  assert.equal(await l1.client.getTransactionCount({ address: operator, blockTag: 'pending' }), await l1.client.getTransactionCount({ address: operator, blockTag: 'latest' }), "nothing of alpha's operator waits in L1's pool")
})

test("an execution L1's node refuses to take stops the round there: the commit and the proof are mined and recorded, the execution follows in a later round, and no nonce stays stuck", async () => {
  const alpha = chainNamed(network, 'alpha')
  const operator = alpha.operator.address
  const balance = await l1.client.getBalance({ address: operator })
  // Enough for what the commit (~130k gas) and the proof (140k) may cost at the connection's fees, not for a
  // pipelined execution (600k gas and more): the node refuses that one (insufficient funds) at the send.
  const baseFee = (await l1.client.getBlock()).baseFeePerGas ?? 0n
  const maxFee = baseFee * 3n + 1_000_000_000n + 1_000_000n
  const errorsBefore = network.serviceErrors.length
  const { bundleHash, steps } = await settlementStepsSentWhileL1Waits('pipelined, execution refused', () =>
    l1.client.request({ method: 'anvil_setBalance', params: [operator, toHex(400_000n * maxFee)] } as never),
  )
  assert.deepEqual(
    steps.map((s) => s.functionName),
    ['commitBatches', 'proveBatches'],
    'the execution was refused, nothing sent behind it',
  )
  l1Producer.resume()
  const store = network.services!.store
  for (const deadline = Date.now() + 30_000; ; await sleep(100)) {
    assert.ok(Date.now() < deadline, `the settlement service reported no refused execution: ${network.serviceErrors.slice(errorsBefore).join(' / ')}`)
    if (network.serviceErrors.slice(errorsBefore).some((e) => e.startsWith('settle alpha') && /insufficient funds/i.test(e))) break
  }
  const recorded = store.prepare(`SELECT commit_tx, prove_tx FROM batches WHERE chain_id = ? AND commit_tx = ?`).get(alpha.chainId, steps[0]!.hash) as { commit_tx: Hex; prove_tx: Hex } | undefined
  assert.equal(recorded?.prove_tx, steps[1]!.hash, 'the commit and the proof of the round were recorded')
  await l1.client.request({ method: 'anvil_setBalance', params: [operator, toHex(balance)] } as never)
  assert.equal((await waitForMessage(index, { bundleHash, timeoutMs: 60_000 })).status, 'executed')
  const settlement = alpha.settlements.find((s) => s.slChainId === network.manifest.l1.chainId)!.address
  const [committed, executedTotal] = await Promise.all(
    (['totalCommitted', 'totalExecuted'] as const).map((functionName) => l1.client.readContract({ address: settlement, abi: c.chainSettlementAbi, functionName }) as Promise<bigint>),
  )
  assert.equal(executedTotal, committed, 'every committed batch of alpha executed')
  assert.equal(await l1.client.getTransactionCount({ address: operator, blockTag: 'pending' }), await l1.client.getTransactionCount({ address: operator, blockTag: 'latest' }), "nothing of alpha's operator waits in L1's pool")
})
