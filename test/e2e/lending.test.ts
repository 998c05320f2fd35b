// L1 from L2 with one signature: bundles sent to L1 run from the sender's alias account there. The
// lending round trip from a chain on the Gateway (two-level proof) and from a chain on L1; a borrow over
// the pool's limit reverts as a whole and leaves the ETH in the alias account, which only its owner's
// next bundle can use; nobody else's bundle, and no message that did not come from the InteropCenter.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { encodeFunctionData, getAddress, keccak256, parseEther, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { bridgedStablecoin, prepareLendingDemo, runLendingDemo, runLendingRepay } from '../../src/demo/lendingDemo.js'
import { buildRoutedLeafProof } from '../../src/indexer/buildProofFromStore.js'
import { L1_CHAIN_ID } from '../../src/network/startNetwork.js'
import { topologyOf } from '../../src/network/topology.js'
import { BundleStatus, decodeBundle, encodeBundle } from '../../src/protocol/index.js'
import { getAliasAddress, getBundleStatus, JunctionIndex, sendBundle } from '../../src/sdk/index.js'
import { eventually, rejectsWith } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let l1: ChainConnection
const handler = () => ({ address: network.manifest.l1.contracts.interopHandler, abi: c.l1InteropHandlerAbi }) as const

before(async () => {
  network = await startTestNetwork({ chains: 3, onGateway: ['alpha', 'beta'] })
  l1 = new ChainConnection(network.manifest.l1)
})
after(async () => {
  await network?.close()
})

const ethOf = (address: Address) => l1.client.getBalance({ address })

test('the lending round trip from alpha (on the Gateway): one signature, collateral and debt on L1, the stablecoin back on alpha', async () => {
  const setup = await prepareLendingDemo({ manifest: network.manifest, chainName: 'alpha' })
  const result = await runLendingDemo({ manifest: network.manifest, setup, onStep: (s) => console.log(`lending: +${s.sinceSignature} ms ${s.name}: ${s.detail}`) })
  console.log(`lending round trip from alpha: ${result.totalMs} ms, L1 execution ${result.l1ExecutionGas} gas`)
  assert.equal(result.outcome, 'borrowed')
  assert.deepEqual(result.position, { collateral: parseEther('1'), debt: parseEther('1000') }, 'the alias account owes 1,000 against 1 ETH')
  assert.equal(await bridgedStablecoin(network.manifest, setup), parseEther('1000'), 'the canonical bridged stablecoin on alpha')
  assert.equal(await ethOf(setup.alias), 0n, 'the alias account passed the ETH on as collateral')
  const alias = { address: setup.alias, abi: c.aliasAccountAbi } as const
  assert.deepEqual(
    await Promise.all([l1.client.readContract({ ...alias, functionName: 'ownerChainId' }), l1.client.readContract({ ...alias, functionName: 'owner' })]),
    [271n, setup.user.address],
  )
  // Its status, as the SDK tells it: the wait for settlement on L1, then executed there.
  const status = await getBundleStatus(new JunctionIndex(network.manifest), { bundleHash: result.bundleHash })
  assert.equal(status.status, 'executed')
  assert.equal(status.destinationStatus, 'executed')
  assert.deepEqual(status.timeline.map((s) => s.status), ['sent', 'committed', 'proven', 'executed-on-settlement-layer', 'settled-on-l1', 'root-on-destination', 'executed'])
  assert.match(status.timeline.find((s) => s.status === 'root-on-destination')!.detail!, /L1's own root/)
  // Replay: the bundle runs once.
  const index = new JunctionIndex(network.manifest)
  await index.sync()
  const sent = index.store.prepare('SELECT bundle FROM bundles_sent WHERE bundle_hash = ?').get(result.bundleHash) as { bundle: Hex }
  const proof = provenTo(index, result.bundleHash, 271, network.manifest.l2Contracts.interopCenter)
  await rejectsWith(l1.write(setup.user.privateKey, { ...handler(), functionName: 'executeBundle', args: [sent.bundle, proof] }), 'BundleAlreadyProcessed')

  // The way back: repay everything, the collateral returns to alpha.
  const back = await runLendingRepay({ manifest: network.manifest, setup, index, onStep: (s) => console.log(`repay: +${s.sinceSignature} ms ${s.name}: ${s.detail}`) })
  console.log(`repay round trip: ${back.totalMs} ms; L1 gas: finalize ${back.l1Gas.finalizeWithdrawal}, bundle ${back.l1Gas.bundle}`)
  assert.deepEqual([back.repaid, back.collateralReturned], [parseEther('1000'), parseEther('1')])
  const pool = { address: setup.pool, abi: c.lendingPoolAbi } as const
  assert.deepEqual(
    await Promise.all([l1.client.readContract({ ...pool, functionName: 'collateral', args: [setup.alias] }), l1.client.readContract({ ...pool, functionName: 'debt', args: [setup.alias] })]),
    [0n, 0n],
  )
  assert.equal(await bridgedStablecoin(network.manifest, setup), 0n)
  assert.equal(await ethOf(setup.alias), 0n)
})

test('a borrow over the limit (from gamma, on L1) reverts as a whole: the ETH stays in the alias account, and only the owner\'s next bundle moves it', async () => {
  const setup = await prepareLendingDemo({ manifest: network.manifest, chainName: 'gamma', userIndex: 1 })
  const result = await runLendingDemo({ manifest: network.manifest, setup, collateral: parseEther('1'), borrow: parseEther('1600') })
  assert.equal(result.outcome, 'failed')
  assert.match(result.failure!, /Undercollateralised/)
  assert.deepEqual(result.position, { collateral: 0n, debt: 0n }, 'nothing happened in the pool')
  assert.equal(await ethOf(setup.alias), parseEther('1'), 'the ETH waits in the alias account')
  assert.equal(await l1.client.readContract({ ...handler(), functionName: 'bundleStatus', args: [result.bundle] }), BundleStatus.Verified)

  // Someone else's bundle cannot move it: their calls run from their own alias account.
  const thief = network.manifest.accounts.users[2]!
  const gamma = chainNamed(network, 'gamma')
  const steal = encodeFunctionData({ abi: c.aliasAccountAbi, functionName: 'spend', args: [thief.address, parseEther('1'), '0x'] })
  const theft = await sendBundle(walletFor(gamma, thief.privateKey), { interopCenter: network.manifest.l2Contracts.interopCenter, destinationChainId: L1_CHAIN_ID, calls: [{ to: setup.alias, data: steal }] })
  await eventually('the theft bundle was tried on L1', async () => ((await l1.client.readContract({ ...handler(), functionName: 'bundleStatus', args: [theft.bundle] })) === BundleStatus.Verified ? true : undefined), { timeoutMs: 60_000 })
  assert.equal(await ethOf(setup.alias), parseEther('1'), "the thief's bundle moved nothing")
  // Nor can anyone call the alias account directly.
  await rejectsWith(l1.write(thief.privateKey, { address: setup.alias, abi: c.aliasAccountAbi, functionName: 'execute', args: [thief.address, parseEther('1'), '0x'] }), 'NotHandler')

  // The owner recovers it with a second bundle: the alias account sends it back to gamma through the bridge.
  const back = encodeFunctionData({ abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [BigInt(gamma.chainId), setup.user.address] })
  const recover = encodeFunctionData({ abi: c.aliasAccountAbi, functionName: 'spend', args: [network.manifest.l1.contracts.assetRouter, parseEther('1'), back] })
  const gammaUser = new ChainConnection(gamma)
  const before = await gammaUser.client.getBalance({ address: setup.user.address })
  const recovery = await sendBundle(walletFor(gamma, setup.user.privateKey), { interopCenter: network.manifest.l2Contracts.interopCenter, destinationChainId: L1_CHAIN_ID, calls: [{ to: setup.alias, data: recover }] })
  await eventually('the recovery bundle executed on L1', async () => ((await l1.client.readContract({ ...handler(), functionName: 'bundleStatus', args: [recovery.bundle] })) === BundleStatus.Executed ? true : undefined), { timeoutMs: 60_000 })
  assert.equal(await ethOf(setup.alias), 0n)
  await eventually('the ETH is back on gamma', async () => ((await gammaUser.client.getBalance({ address: setup.user.address })) > before ? true : undefined), { timeoutMs: 60_000 })
})

test('a bundle recorded by a contract that is not the InteropCenter is refused on L1, whatever its proof', async () => {
  const gamma = new ChainConnection(chainNamed(network, 'gamma'))
  const user = network.manifest.accounts.users[3]!
  const fake = (await gamma.deploy(user.privateKey, { abi: c.fakeSenderAbi, bytecode: c.fakeSenderBytecode, args: [network.manifest.l2Contracts.l2Messenger], action: 'deploy FakeSender' })).address
  // A well-formed bundle to L1 "from" the user, recorded by the fake sender instead of the InteropCenter.
  const index = new JunctionIndex(network.manifest)
  await index.sync()
  const template = index.store.prepare('SELECT bundle FROM bundles_sent WHERE destination_chain_id = ? LIMIT 1').get(L1_CHAIN_ID) as { bundle: Hex }
  const bundle = decodeBundle(template.bundle)
  const forged = encodeBundle({ ...bundle, sourceChainId: 273n, salt: keccak256('0x01') })
  await gamma.write(user.privateKey, { address: fake, abi: c.fakeSenderAbi, functionName: 'recordBundle', args: [forged] })
  const hash = keccak256(forged)
  const proof = await eventually('the fake message is provable on L1', async () => {
    await index.sync()
    try {
      return provenTo(index, hash, 273, fake)
    } catch {
      return undefined
    }
  }, { timeoutMs: 60_000 })
  await rejectsWith(l1.write(user.privateKey, { ...handler(), functionName: 'executeBundle', args: [forged, proof] }), 'SenderNotInteropCenter')
})

test('alias addresses agree between the SDK and the chain (property)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.bigInt({ min: 1n, max: 2n ** 64n }), fc.uint8Array({ minLength: 20, maxLength: 20 }), async (chainId, bytes) => {
      const owner = getAddress(`0x${Buffer.from(bytes).toString('hex')}`)
      const onChain = await l1.client.readContract({ ...handler(), functionName: 'aliasAddress', args: [chainId, owner] })
      assert.equal(getAliasAddress({ l1InteropHandler: network.manifest.l1.contracts.interopHandler, chainId, owner }), onChain)
    }),
    { numRuns: 25 },
  )
})

/** The proof on L1 of the message `hash` recorded by `sender` on `chainId`. */
function provenTo(index: JunctionIndex, hash: Hex, chainId: number, sender: Address) {
  const built = buildRoutedLeafProof(index.store, { topology: topologyOf(network.manifest), sourceChainId: chainId, destination: L1_CHAIN_ID, sender, payloadHash: hash })
  if (!built.ready) throw new Error(`not provable yet: ${built.reason}`)
  return built.proof
}
