// Committed finality end to end (docs/protocol.md §12, opt-in), on real chains: alpha and beta settle
// on L1 and the services run with committed finality. With alpha's proofs held back, a message
// alpha → beta executes on beta as soon as alpha's batch is committed; beta's batch holding that
// import (and everything after it) does not settle on L1 until alpha's batch is proven and executed.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { stringToHex, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { buildCommittedBatchProof, encodeExecutionAddressAttribute, messageLeaf } from '../../src/protocol/index.js'
import { getMessageStatus, JunctionIndex, sendMessage } from '../../src/sdk/index.js'
import { endPause, requestPause } from '../../src/store/settlementPauses.js'
import { eventually, rejectsWith, sleep } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let index: JunctionIndex

before(async () => {
  network = await startTestNetwork({ chains: 2, committedFinality: true })
  index = new JunctionIndex(network.manifest, { store: network.services!.store, syncFromChains: false })
})
after(async () => {
  await network?.close()
})

const ALPHA = 271
const BETA = 272
const l1 = () => new ChainConnection(network.manifest.l1)
const settlementOf = (name: string) => ({ address: chainNamed(network, name).settlement, abi: c.chainSettlementAbi }) as const
const totals = async (name: string) => {
  const [committed, proven, executed] = await Promise.all(['totalCommitted', 'totalProven', 'totalExecuted'].map((functionName) => l1().client.readContract({ ...settlementOf(name), functionName } as never) as Promise<bigint>))
  return { committed: committed!, proven: proven!, executed: executed! }
}

async function send(from: string, to: string, text: string, user = 0, attributes: Hex[] = []): Promise<Hex> {
  const { bundleHash } = await sendMessage(walletFor(chainNamed(network, from), network.manifest.accounts.users[user]!.privateKey), {
    interopCenter: network.manifest.l2Contracts.interopCenter,
    recipient: { chainId: chainNamed(network, to).chainId, address: network.manifest.l2Contracts.exampleRecipient },
    payload: stringToHex(text),
    attributes,
  })
  return bundleHash
}

test('a message executes on a committed, unproven source batch; the destination cannot settle past it until the source batch is proven', async () => {
  const store = network.services!.store
  // A delivery with both proven, before: the relayer still uses settled roots when they are there.
  const warmUp = await send('alpha', 'beta', 'proven')
  await eventually('the proven message executed', async () => ((await getMessageStatus(index, { bundleHash: warmUp })).status === 'executed' ? true : undefined), { timeoutMs: 30_000 })

  requestPause(store, 'proofs', ALPHA)
  const fast = await send('alpha', 'beta', 'committed finality')
  const status = await eventually('executed on beta before alpha proved its batch', async () => {
    const now = await getMessageStatus(index, { bundleHash: fast })
    return now.status === 'executed' ? now : undefined
  }, { timeoutMs: 30_000 })
  assert.equal(status.finality, 'committed')
  assert.ok(status.timeline.some((s) => s.status === 'root-on-destination' && /committed finality/.test(s.detail ?? '')), JSON.stringify(status.timeline))
  const alphaBatch = BigInt(status.batchNumber!)
  const alphaNow = await totals('alpha')
  assert.ok(alphaNow.committed >= alphaBatch && alphaNow.proven < alphaBatch, `alpha's batch ${alphaBatch} is committed, not proven (${JSON.stringify(alphaNow, (_, v) => (typeof v === 'bigint' ? String(v) : v))})`)

  // Beta's batch holding the import is committed and proven, but not executed on L1; beta keeps
  // working (a later message from beta is committed) and none of its batches from then on settles.
  const importBatch = await eventually("beta's batch holding the committed import sealed", () => {
    const row = store
      .prepare('SELECT b.batch_number FROM batches b JOIN imported_batch_roots i ON i.chain_id = b.chain_id AND i.block_number BETWEEN b.first_block AND b.last_block WHERE b.chain_id = ? AND i.source_chain_id = ? AND i.batch_number = ?')
      .get(BETA, ALPHA, Number(alphaBatch)) as { batch_number: number } | undefined
    return row?.batch_number
  })
  await send('beta', 'alpha', 'after the import', 1)
  await eventually("beta's next batch committed on L1", async () => ((await totals('beta')).committed > BigInt(importBatch) ? true : undefined), { timeoutMs: 30_000 })
  await sleep(2_000)
  const betaNow = await totals('beta')
  assert.ok(betaNow.executed < BigInt(importBatch), `beta's batch ${importBatch} (and later ones) not executed while alpha's batch ${alphaBatch} is unproven: executed ${betaNow.executed}`)
  assert.ok(betaNow.proven >= BigInt(importBatch), 'it is proven: only its execution waits')

  // Once alpha's batch is proven and executed, beta settles past the import.
  endPause(store, 'proofs', ALPHA)
  await eventually("beta's batches execute once alpha's batch is executed", async () => ((await totals('beta')).executed > BigInt(importBatch) ? true : undefined), { timeoutMs: 60_000 })
  assert.ok((await totals('alpha')).executed >= alphaBatch)
})

test('the destination refuses a committed-batch proof naming another batch, with levels above the batch, or whose root it did not import', async () => {
  const store = network.services!.store
  requestPause(store, 'proofs', ALPHA)
  try {
    // Only `executor` may execute it: the relayer leaves it to the test.
    const executor = network.manifest.accounts.users[3]!
    const bundleHash = await send('alpha', 'beta', 'refusals', 2, [encodeExecutionAddressAttribute({ chainId: BETA, address: executor.address })])
    const { block } = await eventually('the bundle and its batch indexed', () => {
      const sent = store.prepare('SELECT block_number AS block FROM bundles_sent WHERE bundle_hash = ?').get(bundleHash) as { block: number } | undefined
      const batch = sent && (store.prepare('SELECT batch_number FROM sl_batches WHERE chain_id = ? AND ? BETWEEN first_block AND last_block').get(ALPHA, sent.block) as { batch_number: number } | undefined)
      return batch && sent ? { block: sent.block, batchNumber: batch.batch_number } : undefined
    })
    const batch = store.prepare('SELECT batch_number, first_block, last_block FROM sl_batches WHERE chain_id = ? AND ? BETWEEN first_block AND last_block').get(ALPHA, block) as { batch_number: number; first_block: number; last_block: number }
    const leaves = (store.prepare('SELECT leaf FROM message_leaves WHERE chain_id = ? AND block_number BETWEEN ? AND ? ORDER BY block_number, log_index').all(ALPHA, batch.first_block, batch.last_block) as { leaf: Hex }[]).map((l) => l.leaf)
    const encoded = (store.prepare('SELECT bundle FROM bundles_sent WHERE bundle_hash = ?').get(bundleHash) as { bundle: Hex }).bundle
    const { proof } = buildCommittedBatchProof({ slChainId: network.manifest.l1.chainId, messageSender: network.manifest.l2Contracts.interopCenter, bundleHash, sourceChainId: ALPHA, batchNumber: batch.batch_number, messageLeaves: leaves })
    assert.ok(leaves.includes(messageLeaf(network.manifest.l2Contracts.interopCenter, bundleHash)))
    const beta = new ChainConnection(chainNamed(network, 'beta'))
    const handler = { address: network.manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi } as const
    const key = executor.privateKey
    await rejectsWith(beta.write(key, { ...handler, functionName: 'executeBundle', args: [encoded, { ...proof, batchNumber: proof.batchNumber + 1n }] }), 'MalformedCommittedBatchProof')
    await rejectsWith(beta.write(key, { ...handler, functionName: 'executeBundle', args: [encoded, { ...proof, batchCount: 1n }] }), 'MalformedCommittedBatchProof')
    // Under a settlement layer whose committed batch roots beta never imported.
    await rejectsWith(beta.write(key, { ...handler, functionName: 'executeBundle', args: [encoded, { ...proof, slChainId: 999n }] }), 'RootNotImported')
  } finally {
    endPause(store, 'proofs', ALPHA)
  }
})
