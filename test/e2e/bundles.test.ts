// Bundles end to end on real chains: several calls to one destination, all or none; execution
// addresses; unbundling call by call; attributes refused by name.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { toHex, zeroAddress, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { BundleStatus } from '../../src/protocol/index.js'
import { encodeExecutionAddressAttribute, encodeIndirectCallAttribute, encodeInteropCallValueAttribute, encodeUnbundlerAddressAttribute } from '../../src/protocol/index.js'
import { executeBundle, getBundleStatus, JunctionIndex, sendBundle, unbundle, waitForMessage, type BundleCallStarter } from '../../src/sdk/index.js'
import { eventually, rejectsWith, sleep, waitForProof } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let alpha: ChainConnection
let beta: ChainConnection
let index: JunctionIndex
let deployerKey: Hex

before(async () => {
  network = await startTestNetwork()
  alpha = new ChainConnection(chainNamed(network, 'alpha'))
  beta = new ChainConnection(chainNamed(network, 'beta'))
  index = new JunctionIndex(network.manifest)
  deployerKey = network.manifest.accounts.users[4]!.privateKey
})
after(async () => {
  await network?.close()
})

async function recipients(count: number): Promise<Address[]> {
  const out: Address[] = []
  for (let i = 0; i < count; i++) {
    out.push((await beta.deploy(deployerKey, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [network.manifest.l2Contracts.interopCenter], action: 'deploy recipient' })).address)
  }
  return out
}
const received = (address: Address) => beta.client.readContract({ address, abi: c.standardRecipientAbi, functionName: 'received' }) as Promise<bigint>
const setFail = (address: Address, fail: boolean) => beta.write(deployerKey, { address, abi: c.standardRecipientAbi, functionName: 'setFail', args: [fail] })
/** The handler's status of `bundle` (its bytes: the status is kept under its number on its route and its hash). */
const bundleStatus = (bundle: Hex) =>
  beta.client.readContract({ address: network.manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi, functionName: 'bundleStatus', args: [bundle] }) as Promise<number>
const user = (i: number) => network.manifest.accounts.users[i]!
const send = (from: number, calls: BundleCallStarter[], attributes: Hex[] = []) =>
  sendBundle(walletFor(chainNamed(network, 'alpha'), user(from).privateKey), { destinationChainId: 272, calls, attributes, interopCenter: network.manifest.l2Contracts.interopCenter })

describe('bundles', () => {
  for (const size of [1, 3, 20]) {
    test(`delivers a bundle of ${size} call(s), every call once`, async () => {
      const targets = await recipients(size)
      const { bundleHash, bundle, receipt } = await send(0, targets.map((to, i) => ({ to, data: toHex(`call ${i}`) })))
      await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })
      assert.deepEqual(await Promise.all(targets.map(received)), targets.map(() => 1n))
      assert.equal(await bundleStatus(bundle), BundleStatus.Executed)
      const status = await getBundleStatus(index, { bundleHash })
      assert.equal(status.destinationStatus, 'executed')
      assert.deepEqual(status.calls!.map((call) => call.status), targets.map(() => 'executed'))
      console.log(`sendBundle with ${size} call(s): ${receipt.gasUsed} gas`)
    })
  }

  test('runs all calls or none: a failing call reverts the bundle, which executes once the call can succeed', async () => {
    const [a, b, d] = await recipients(3)
    await setFail(b!, true)
    const { bundleHash, bundle } = await send(1, [a!, b!, d!].map((to) => ({ to, data: '0x01' })))
    const failed = await eventually('the bundle reported failed', async () => {
      const status = await getBundleStatus(index, { bundleHash })
      return status.status === 'failed' ? status : undefined
    }, { timeoutMs: 30_000 })
    assert.match(failed.failure ?? '', /CallFailed\(1, RecipientRefused\(\)\)/)
    assert.deepEqual(await Promise.all([a!, b!, d!].map(received)), [0n, 0n, 0n], 'no call ran')
    assert.equal(await bundleStatus(bundle), BundleStatus.Unreceived)
    await setFail(b!, false)
    await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })
    assert.deepEqual(await Promise.all([a!, b!, d!].map(received)), [1n, 1n, 1n])
  })

  test('lets only the execution address execute a restricted bundle; the relayer leaves it', async () => {
    const [target] = await recipients(1)
    const executor = user(2)
    const { bundleHash, bundle } = await send(1, [{ to: target!, data: '0x02' }], [encodeExecutionAddressAttribute({ chainId: 272, address: executor.address })])
    await waitForProof(index, bundleHash, 30_000)
    await sleep(500)
    assert.equal(await bundleStatus(bundle), BundleStatus.Unreceived, 'the relayer did not execute it')
    await rejectsWith(executeBundle(walletFor(chainNamed(network, 'beta'), user(3).privateKey), index, { bundleHash }), 'NotExecutionAddress')
    await executeBundle(walletFor(chainNamed(network, 'beta'), executor.privateKey), index, { bundleHash })
    assert.equal(await received(target!), 1n)
    assert.equal(await bundleStatus(bundle), BundleStatus.Executed)
  })

  test('lets the unbundler execute some calls and cancel others; an executed or cancelled call is final; nobody else may unbundle', async () => {
    const [a, b, d] = await recipients(3)
    await setFail(b!, true)
    const unbundler = user(3)
    // The execution address keeps the relayer away, so the test decides what happens.
    const { bundleHash } = await send(0, [a!, b!, d!].map((to) => ({ to, data: '0x03' })), [
      encodeExecutionAddressAttribute({ chainId: 272, address: unbundler.address }),
      encodeUnbundlerAddressAttribute({ chainId: 272, address: unbundler.address }),
    ])
    await waitForProof(index, bundleHash, 30_000)
    const betaAs = (i: number) => walletFor(chainNamed(network, 'beta'), user(i).privateKey)
    await rejectsWith(unbundle(betaAs(2), index, { bundleHash, decisions: ['execute', 'cancel', 'leave'] }), 'NotUnbundler')

    await unbundle(betaAs(3), index, { bundleHash, decisions: ['execute', 'cancel', 'leave'] })
    assert.deepEqual(await Promise.all([a!, b!, d!].map(received)), [1n, 0n, 0n])
    let status = await getBundleStatus(index, { bundleHash })
    assert.equal(status.destinationStatus, 'unbundled')
    assert.deepEqual(status.calls!.map((call) => call.status), ['executed', 'cancelled', 'unprocessed'])

    await rejectsWith(unbundle(betaAs(3), index, { bundleHash, decisions: ['execute', 'leave', 'leave'] }), 'CallAlreadyProcessed')
    await rejectsWith(unbundle(betaAs(3), index, { bundleHash, decisions: ['leave', 'execute', 'leave'] }), 'CallAlreadyProcessed')
    await rejectsWith(unbundle(betaAs(3), index, { bundleHash, decisions: ['cancel', 'leave', 'leave'] }), 'CallAlreadyProcessed')
    await rejectsWith(executeBundle(betaAs(3), index, { bundleHash }), 'BundleAlreadyProcessed')

    await unbundle(betaAs(3), index, { bundleHash, decisions: ['leave', 'leave', 'execute'] })
    assert.deepEqual(await Promise.all([a!, b!, d!].map(received)), [1n, 0n, 1n])
    status = await getBundleStatus(index, { bundleHash })
    assert.deepEqual(status.calls!.map((call) => call.status), ['executed', 'cancelled', 'executed'])
  })

  test('refuses unknown and repeated attributes by name', async () => {
    const [target] = await recipients(1)
    const center = { address: network.manifest.l2Contracts.interopCenter, abi: c.interopCenterAbi, functionName: 'sendBundle' } as const
    const key = user(0).privateKey
    const call = { to: target!, data: '0x', callAttributes: [] as Hex[] }
    await rejectsWith(alpha.write(key, { ...center, args: [272n, [call], ['0x12345678']] }), 'UnsupportedAttribute')
    const executor = encodeExecutionAddressAttribute({ chainId: 272, address: user(1).address })
    await rejectsWith(alpha.write(key, { ...center, args: [272n, [call], [executor, executor]] }), 'AttributeRepeated')
    await rejectsWith(alpha.write(key, { ...center, args: [272n, [{ ...call, callAttributes: [executor] }], []] }), 'UnsupportedAttribute')
    await rejectsWith(alpha.write(key, { ...center, args: [272n, [{ ...call, callAttributes: [encodeInteropCallValueAttribute(1n)] }], []] }), 'ValueMismatch')
    await rejectsWith(alpha.write(key, { ...center, args: [272n, [], []] }), 'EmptyBundle')
    await rejectsWith(
      alpha.write(key, { ...center, args: [272n, [call], [encodeExecutionAddressAttribute({ chainId: 271, address: user(1).address })]] }),
      'AttributeChainMismatch',
    )
    assert.equal(privateKeyToAccount(key).address, user(0).address)
  })

  test('routes an indirect call through its initiator on the source chain', async () => {
    const [target] = await recipients(1)
    const initiator = (await alpha.deploy(deployerKey, { abi: c.testIndirectInitiatorAbi, bytecode: c.testIndirectInitiatorBytecode, args: [target!], action: 'deploy initiator' })).address
    const { bundleHash } = await send(1, [{ to: initiator, data: '0xabcd', attributes: [encodeIndirectCallAttribute(0n)] }])
    await waitForMessage(index, { bundleHash, timeoutMs: 30_000 })
    assert.equal(await received(target!), 1n)
    const lastSender = (await beta.client.readContract({ address: target!, abi: c.standardRecipientAbi, functionName: 'lastSender' })) as Hex
    assert.ok(lastSender.toLowerCase().endsWith(initiator.slice(2).toLowerCase()), 'the destination call comes from the initiator')
    assert.notEqual(initiator, zeroAddress)
  })
})
