// Settlement-layer migration end to end (docs/protocol.md §11), on real chains: gamma starts on L1,
// moves to the Gateway and back while messages flow to and from it the whole time, with a deposit and
// a withdrawal across the moves. Every message is delivered exactly once (counted on the recipients),
// each proven from where its block settled.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { getAbiItem, parseEther, stringToHex, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { GATEWAY_CHAIN_ID, L1_CHAIN_ID } from '../../src/network/startNetwork.js'
import { depositETH, finalizeWithdrawal, getMessageStatus, JunctionIndex, ProofNotReadyError, sendMessage, withdrawETH } from '../../src/sdk/index.js'
import { ChainAlreadyThereError, migrateChain, type MigrationStep } from '../../src/settlement/migrateChain.js'
import { eventually, rejectsWith } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let index: JunctionIndex
const connection = (name: string) => new ChainConnection(name === 'l1' ? network.manifest.l1 : chainNamed(network, name))

before(async () => {
  network = await startTestNetwork({ chains: 3, onGateway: ['alpha', 'beta'] })
  index = new JunctionIndex(network.manifest)
})
after(async () => {
  await network?.close()
})

const GAMMA = 273
const settlesOn = async () =>
  Number(await connection('l1').client.readContract({ address: network.manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi, functionName: 'settlementLayerOf', args: [BigInt(GAMMA)] }))

/** Sends a message on every pair to and from gamma, one round every `intervalMs`, until `stop()`; each payload is unique. */
function keepSending(intervalMs: number) {
  const pairs = [
    ['gamma', 'alpha', 0],
    ['alpha', 'gamma', 1],
    ['beta', 'gamma', 2],
    ['gamma', 'beta', 3],
  ] as const
  const sent: { from: string; to: string; payload: Hex; bundleHash: Hex }[] = []
  let stopped = false
  let round = 0
  const running = (async () => {
    while (!stopped) {
      round++
      await Promise.all(
        pairs.map(async ([from, to, user]) => {
          const payload = stringToHex(`${from}→${to} #${round}`)
          const { bundleHash } = await sendMessage(walletFor(chainNamed(network, from), network.manifest.accounts.users[user]!.privateKey), {
            interopCenter: network.manifest.l2Contracts.interopCenter,
            recipient: { chainId: chainNamed(network, to).chainId, address: network.manifest.l2Contracts.exampleRecipient },
            payload,
          })
          sent.push({ from, to, payload, bundleHash })
        }),
      )
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  })()
  return {
    sent,
    async stop() {
      stopped = true
      await running
    },
  }
}

test('gamma moves from L1 to the Gateway and back while messages flow to and from it: none is lost or executed twice', async () => {
  const store = network.services!.store
  const user = network.manifest.accounts.users[4]!
  const traffic = keepSending(150)
  await eventually('some messages sent', () => (traffic.sent.length >= 8 ? true : undefined))

  const steps: MigrationStep[] = []
  const there = await migrateChain({ manifest: network.manifest, store, chainId: GAMMA, to: 'gateway', onStep: (s) => void steps.push(s) })
  assert.equal(await settlesOn(), GATEWAY_CHAIN_ID)
  assert.equal(there.from, L1_CHAIN_ID)
  assert.ok(steps.some((s) => s.name === 'settles on gateway'), steps.map((s) => s.name).join(', '))
  await assert.rejects(migrateChain({ manifest: network.manifest, store, chainId: GAMMA, to: 'gateway' }), ChainAlreadyThereError)

  // On the Gateway: a deposit arrives through the Gateway's queue, and a withdrawal leaves from there.
  const gamma = connection('gamma')
  const before = await gamma.client.getBalance({ address: user.address })
  await depositETH(walletFor(network.manifest.l1, user.privateKey), { manifest: network.manifest, chainId: GAMMA, amount: parseEther('2'), to: user.address })
  await eventually('the deposit reached gamma on the Gateway', async () => ((await gamma.client.getBalance({ address: user.address })) >= before + parseEther('2') - parseEther('0.01') ? true : undefined), { timeoutMs: 60_000 })
  const withdrawal = await withdrawETH(walletFor(chainNamed(network, 'gamma'), user.privateKey), { manifest: network.manifest, amount: parseEther('1') })
  await eventually('gamma settled batches on the Gateway', () =>
    store.prepare('SELECT 1 AS ok FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND executed_block IS NOT NULL').get(GATEWAY_CHAIN_ID, GAMMA) ? true : undefined, { timeoutMs: 60_000 })
  await eventually('more messages sent while gamma is on the Gateway', () => (traffic.sent.length >= 40 ? true : undefined), { timeoutMs: 60_000 })

  const back = await migrateChain({ manifest: network.manifest, store, chainId: GAMMA, to: 'l1', onStep: (s) => void steps.push(s) })
  assert.equal(await settlesOn(), L1_CHAIN_ID)
  assert.equal(back.from, GATEWAY_CHAIN_ID)
  assert.ok(back.lastBatch > there.lastBatch, 'gamma settled batches on the Gateway between the moves')
  await eventually('more messages sent after the return', () => (traffic.sent.length >= 60 ? true : undefined), { timeoutMs: 60_000 })
  await traffic.stop()

  // Every message delivered, exactly once: one Received event per payload on its recipient.
  for (const name of ['alpha', 'beta', 'gamma']) {
    const expected = traffic.sent.filter((m) => m.to === name)
    const received = await eventually(`every message to ${name} delivered`, async () => {
      const logs = await connection(name).client.getLogs({ address: network.manifest.l2Contracts.exampleRecipient, event: getAbiItem({ abi: c.standardRecipientAbi, name: 'Received' }), fromBlock: 0n })
      return logs.length >= expected.length ? logs : undefined
    }, { timeoutMs: 120_000 }).catch(async (error: unknown) => {
      // Say which messages are missing and where each stands, and what the services met.
      const logs = await connection(name).client.getLogs({ address: network.manifest.l2Contracts.exampleRecipient, event: getAbiItem({ abi: c.standardRecipientAbi, name: 'Received' }), fromBlock: 0n })
      const seen = new Set(logs.map((l) => l.args.payload))
      const missing = expected.filter((m) => !seen.has(m.payload))
      const statuses = await Promise.all(missing.slice(0, 5).map(async (m) => ({ ...m, status: await getMessageStatus(index, { bundleHash: m.bundleHash }) })))
      throw new Error(`${missing.length} of ${expected.length} messages to ${name} missing: ${JSON.stringify(statuses, null, 1)}; service errors: ${network.serviceErrors.slice(-10).join(' | ')}`, { cause: error })
    })
    const counts = new Map<string, number>()
    for (const log of received) counts.set(log.args.payload!, (counts.get(log.args.payload!) ?? 0) + 1)
    for (const m of expected) assert.equal(counts.get(m.payload), 1, `${m.from} → ${m.to} ${m.payload} delivered once`)
    assert.equal(received.length, expected.length, `nothing else delivered to ${name}`)
  }
  // gamma's batches settled on L1, then on the Gateway, then on L1 again; the later ones carry on its numbering.
  const batchesOn = (sl: number) => store.prepare('SELECT MIN(batch_number) AS first, MAX(batch_number) AS last FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND executed_block IS NOT NULL').get(sl, GAMMA) as { first: number; last: number }
  assert.equal(batchesOn(GATEWAY_CHAIN_ID).first, there.lastBatch + 1)
  assert.equal(batchesOn(GATEWAY_CHAIN_ID).last, back.lastBatch)
  await eventually('gamma settles on L1 again', () => (batchesOn(L1_CHAIN_ID).last > back.lastBatch ? true : undefined), { timeoutMs: 60_000 })

  // The withdrawal made on the Gateway is finalized on L1 after the return, with a two-level proof, once.
  const finalized = await eventually('the withdrawal from gamma finalized on L1', async () => {
    try {
      return await finalizeWithdrawal(walletFor(network.manifest.l1, user.privateKey), index, { chainId: GAMMA, transactionHash: withdrawal.transactionHash })
    } catch (error) {
      if (error instanceof ProofNotReadyError) return undefined
      throw error
    }
  }, { timeoutMs: 60_000 })
  assert.equal(finalized.receipt.status, 'success')
  await rejectsWith(finalizeWithdrawal(walletFor(network.manifest.l1, user.privateKey), index, { chainId: GAMMA, transactionHash: withdrawal.transactionHash }), 'WithdrawalAlreadyFinalized')
  assert.ok(traffic.sent.length >= 60)
})

test('gamma goes to the Gateway and back twice with nothing sent meanwhile: each return has a message of its own, and both finalize on L1', async () => {
  const store = network.services!.store
  const moves: { lastBatch: number; message: Hex }[] = []
  for (let round = 0; round < 2; round++) {
    await migrateChain({ manifest: network.manifest, store, chainId: GAMMA, to: 'gateway' })
    const back = await migrateChain({ manifest: network.manifest, store, chainId: GAMMA, to: 'l1' })
    assert.equal(await settlesOn(), L1_CHAIN_ID, `round ${round}: gamma is back on L1 (its return finalized)`)
    const [released] = await connection('gateway').client.getContractEvents({ address: chainNamed(network, 'gateway').gatewayContracts!.chainRegistry, abi: c.chainRegistryAbi, eventName: 'ChainReleased', args: { chainId: BigInt(GAMMA) }, fromBlock: 'earliest' }).then((events) => events.slice(-1))
    moves.push({ lastBatch: back.lastBatch, message: released!.args.message! })
  }
  console.log(`gamma's last batch at each return: ${moves.map((m) => m.lastBatch).join(', ')} (the same: no batch between the moves, the case two equal messages once blocked)`)
  assert.notEqual(moves[0]!.message, moves[1]!.message, 'two releases, two messages')
})
