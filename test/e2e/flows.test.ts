// Delivery versus payment on a whole network (src/demo/dvpDemo.ts, contracts/flows, docs/flows.md): a bond with an
// allow-list on alpha against cash bridged from L1 on beta, the flow's home chain. Locks, decisions and payouts go
// through real proven bundles; the relayer and its flow keeper drive the flows; one test stops every service
// through the deadline and refunds by hand with the SDK before the relayer comes back.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { erc20Abi, parseEventLogs, toHex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { prepareDvpDemo, readDvpBalances, runDvpDemo, type DvpDemoSetup } from '../../src/demo/dvpDemo.js'
import type { FlowTerms } from '../../src/protocol/index.js'
import { NetworkServices } from '../../src/services/NetworkServices.js'
import { createFlow, executeBundle, getFlowStatus, getMessageStatus, JunctionIndex, lockLeg, ProofNotReadyError, refundLeg, releaseLeg } from '../../src/sdk/index.js'
import { eventually, sleep, waitForProof } from '../support/e2e.js'
import { startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let setup: DvpDemoSetup
let index: JunctionIndex
let services: NetworkServices | undefined

before(async () => {
  network = await startTestNetwork()
  index = new JunctionIndex(network.manifest)
  setup = await prepareDvpDemo({ manifest: network.manifest, bonds: 1_000n, cash: 1_000_000n })
})
after(async () => {
  await services?.stop()
  await network?.close()
})

const holdings = async (conn: ChainConnection, token: `0x${string}`, holder: `0x${string}`) => conn.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [holder] })
const escrowsHoldNothing = async () => {
  assert.equal(await holdings(new ChainConnection(setup.bondChain), setup.bond, setup.bondEscrow), 0n, 'the bond escrow keeps nothing')
  assert.equal(await holdings(new ChainConnection(setup.cashChain), setup.cash, setup.coordinator), 0n, 'the coordinator keeps no cash')
}

test('the settlement: the bonds go to the buyer on alpha and the cash to the seller on beta, released on a proof of both locks', async () => {
  const result = await runDvpDemo({ manifest: network.manifest, setup, index, scenario: 'settle', bonds: 10n, price: 10_000n, timeoutMs: 60_000 })
  assert.equal(result.outcome, 'released')
  assert.deepEqual(result.steps.map((s) => s.name), ['created', 'buyer-locked', 'seller-locked', 'lock-proven', 'released', 'bonds-delivered'])
  assert.deepEqual(result.status.legs.map((l) => l.state), ['released', 'released'])
  const { before: b, after: a } = result
  assert.deepEqual(a, { sellerBonds: b.sellerBonds - 10n, buyerBonds: b.buyerBonds + 10n, sellerCash: b.sellerCash + 10_000n, buyerCash: b.buyerCash - 10_000n })
  await escrowsHoldNothing()
})

test('the seller never locks: after the deadline the flow keeper refunds, the buyer has the cash back and the seller’s leg is closed', async () => {
  const result = await runDvpDemo({ manifest: network.manifest, setup, index, scenario: 'seller-absent', deadlineSeconds: 4, timeoutMs: 60_000 })
  assert.equal(result.outcome, 'refunded')
  assert.deepEqual(result.status.legs.map((l) => l.state), ['closed', 'refunded'])
  assert.deepEqual(result.after, result.before)
  await escrowsHoldNothing()
})

test('the seller locks a wrong amount: that is another flow, neither completes, both are refunded after the deadline', async () => {
  const result = await runDvpDemo({ manifest: network.manifest, setup, index, scenario: 'wrong-amount', deadlineSeconds: 5, timeoutMs: 60_000 })
  assert.equal(result.outcome, 'refunded')
  assert.deepEqual(result.after, result.before)
  assert.ok(result.steps.some((s) => s.name === 'seller-refunded'))
  await escrowsHoldNothing()
})

test('the relayer down through the deadline: both lock in time, the flow is refunded by hand with the SDK, and the late lock changes nothing once the relayer is back', async () => {
  const { manifest } = network
  await network.services!.stop()
  const before = await readDvpBalances(setup)
  const cashConn = new ChainConnection(setup.cashChain)
  const deadline = BigInt(Math.floor(Date.now() / 1000)) + 3n
  const terms: FlowTerms = {
    homeChainId: BigInt(setup.cashChain.chainId),
    coordinator: setup.coordinator,
    deadline,
    salt: toHex('relayer down', { size: 32 }),
    legs: [
      { chainId: BigInt(setup.bondChain.chainId), escrow: setup.bondEscrow, token: setup.bond, amount: 5n, depositor: setup.seller.address, recipient: setup.buyer.address },
      { chainId: BigInt(setup.cashChain.chainId), escrow: setup.coordinator, token: setup.cash, amount: 500n, depositor: setup.buyer.address, recipient: setup.seller.address },
    ],
  }
  const buyerHome = walletFor(setup.cashChain, setup.buyer.privateKey)
  await createFlow(buyerHome, { terms })
  await lockLeg(buyerHome, { terms, legIndex: 1 })
  const { lockMessage } = await lockLeg(walletFor(setup.bondChain, setup.seller.privateKey), { terms, legIndex: 0 })
  assert.ok(lockMessage)
  await eventually('the deadline passed on the home chain', async () => {
    await sleep(250)
    return BigInt(Math.floor(Date.now() / 1000)) > deadline + 1n ? true : undefined
  }, { timeoutMs: 15_000 })
  // Nothing was mined on beta meanwhile (its services are stopped): a block now puts its clock past the deadline.
  await cashConn.client.request({ method: 'evm_mine', params: [] } as never)
  assert.ok((await cashConn.client.getBlock({ blockTag: 'latest' })).timestamp > deadline)
  let status = await getFlowStatus(index, { terms })
  assert.equal(status.status, 'open')
  assert.deepEqual(status.recordedLegs, [1], 'only the home leg is recorded: the seller’s message is not relayed')

  // Settlement back, no relayer: the buyer refunds the bond leg itself (coordinator first, then the proven message on alpha).
  services = new NetworkServices({ manifest, dataDir: network.dataDir, relay: false })
  services.start()
  const refunded = await eventually('the refund proven on alpha', async () => {
    try {
      return await refundLeg(walletFor(setup.bondChain, setup.buyer.privateKey), index, { terms, legIndex: 0, homeClient: buyerHome })
    } catch (error) {
      if (error instanceof ProofNotReadyError) return undefined
      throw error
    }
  }, { timeoutMs: 60_000, intervalMs: 250 })
  assert.equal(refunded.legState, 3, 'the bond leg is refunded')
  status = await getFlowStatus(index, { terms })
  assert.equal(status.status, 'refunded')
  assert.deepEqual(status.legs.map((l) => l.state), ['refunded', 'refunded'])
  assert.equal(status.settled, true)
  assert.deepEqual(await readDvpBalances(setup), before)

  // The relayer back: the seller's "locked" message finally executes on beta, after the decision: logged, nothing released.
  await services.stop()
  services = new NetworkServices({ manifest, dataDir: network.dataDir })
  services.start()
  const executed = await eventually('the late "locked" message executed', async () => {
    const s = await getMessageStatus(index, { bundleHash: lockMessage, simulate: false })
    return s.status === 'executed' ? s : undefined
  }, { timeoutMs: 60_000, intervalMs: 250 })
  const receipt = await cashConn.client.getTransactionReceipt({ hash: executed.executedIn! })
  const late = parseEventLogs({ abi: c.flowCoordinatorAbi, logs: receipt.logs, eventName: 'LockAfterDecision' })
  assert.equal(late.length, 1, 'the coordinator logged the lock after its decision')
  assert.equal(parseEventLogs({ abi: c.flowCoordinatorAbi, logs: receipt.logs, eventName: 'FlowReleased' }).length, 0)
  assert.deepEqual(await readDvpBalances(setup), before, 'nothing released')
  assert.equal((await getFlowStatus(index, { terms })).status, 'refunded')
  await escrowsHoldNothing()
})

test('without a relayer, the parties drive the flow themselves: the "locked" message executed on beta releases it, releaseLeg delivers the bonds on alpha', async () => {
  const { manifest } = network
  await services?.stop()
  services = new NetworkServices({ manifest, dataDir: network.dataDir, relay: false })
  services.start()
  const before = await readDvpBalances(setup)
  const cashConn = new ChainConnection(setup.cashChain)
  const terms: FlowTerms = {
    homeChainId: BigInt(setup.cashChain.chainId),
    coordinator: setup.coordinator,
    deadline: (await cashConn.client.getBlock({ blockTag: 'latest' })).timestamp + 120n,
    salt: toHex('self-relayed', { size: 32 }),
    legs: [
      { chainId: BigInt(setup.bondChain.chainId), escrow: setup.bondEscrow, token: setup.bond, amount: 3n, depositor: setup.seller.address, recipient: setup.buyer.address },
      { chainId: BigInt(setup.cashChain.chainId), escrow: setup.coordinator, token: setup.cash, amount: 300n, depositor: setup.buyer.address, recipient: setup.seller.address },
    ],
  }
  const buyerHome = walletFor(setup.cashChain, setup.buyer.privateKey)
  await lockLeg(buyerHome, { terms, legIndex: 1 })
  const { lockMessage } = await lockLeg(walletFor(setup.bondChain, setup.seller.privateKey), { terms, legIndex: 0 })
  await waitForProof(index, lockMessage!, 60_000)
  await executeBundle(buyerHome, index, { bundleHash: lockMessage! })
  let status = await getFlowStatus(index, { terms })
  assert.equal(status.status, 'released')
  assert.deepEqual(status.legs.map((l) => l.state), ['locked', 'released'], 'the cash is paid at the decision; the bonds wait for their message')
  const released = await eventually('the release proven on alpha', async () => {
    try {
      return await releaseLeg(walletFor(setup.bondChain, setup.buyer.privateKey), index, { terms, legIndex: 0 })
    } catch (error) {
      if (error instanceof ProofNotReadyError) return undefined
      throw error
    }
  }, { timeoutMs: 60_000, intervalMs: 250 })
  assert.ok(released.transactionHash, 'releaseLeg executed the release message')
  status = await getFlowStatus(index, { terms })
  assert.equal(status.settled, true)
  const after = await readDvpBalances(setup)
  assert.deepEqual(after, { sellerBonds: before.sellerBonds - 3n, buyerBonds: before.buyerBonds + 3n, sellerCash: before.sellerCash + 300n, buyerCash: before.buyerCash - 300n })
  const again = await releaseLeg(walletFor(setup.bondChain, setup.buyer.privateKey), index, { terms, legIndex: 0 })
  assert.equal(again.transactionHash, undefined, 'a second releaseLeg sends nothing')
  await escrowsHoldNothing()
})
