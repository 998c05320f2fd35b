// The batcher's policy on real chains: a size limit cuts batches, a delay holds a lone message back.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { toHex, type Hex } from 'viem'
import { sendMessage } from '../../src/sdk/index.js'
import { eventually } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>

before(async () => {
  network = await startTestNetwork({ relay: false, batchPolicy: { maxMessages: 2, maxDelayMs: 1_500 } })
})
after(async () => {
  await network?.close()
})

test('seals at most maxMessages messages per batch, and holds a lone message until maxDelayMs has passed', async () => {
  const { manifest } = network
  const wallet = walletFor(chainNamed(network, 'alpha'), manifest.accounts.users[0]!.privateKey)
  const hashes: Hex[] = []
  for (let i = 0; i < 5; i++) {
    const sent = await sendMessage(wallet, { recipient: { chainId: 272, address: manifest.l2Contracts.exampleRecipient }, payload: toHex(`m${i}`), interopCenter: manifest.l2Contracts.interopCenter })
    hashes.push(sent.bundleHash)
  }
  const store = network.services!.store
  const batchOf = (hash: Hex) =>
    store
      .prepare('SELECT b.batch_number, b.commitment, b.sealed_at, s.seen_at FROM bundles_sent s JOIN batches b ON b.chain_id = s.source_chain_id AND s.block_number BETWEEN b.first_block AND b.last_block WHERE s.bundle_hash = ?')
      .get(hash) as { batch_number: number; commitment: string; sealed_at: number; seen_at: number } | undefined
  await eventually('every message batched', () => (hashes.every((h) => batchOf(h)) ? true : undefined), { timeoutMs: 15_000 })
  const counts = (store.prepare('SELECT batch_number, last_block - first_block AS span, commitment FROM batches WHERE chain_id = 271 ORDER BY batch_number').all() as { commitment: string }[]).map(
    (row) => Number(JSON.parse(row.commitment).messageCount.$bigint),
  )
  assert.ok(counts.every((n) => n <= 2), `no batch holds more than 2 messages: ${counts}`)
  assert.equal(counts.reduce((a, b) => a + b, 0), 5, 'all five messages are batched once')
  // The fifth message waited alone: its batch was sealed no sooner than 1.5 s after it was seen.
  const last = batchOf(hashes[4]!)!
  assert.equal(JSON.parse(last.commitment).messageCount.$bigint, '1')
  assert.ok(last.sealed_at - last.seen_at >= 1_500, `sealed ${last.sealed_at - last.seen_at} ms after it was seen`)
})
