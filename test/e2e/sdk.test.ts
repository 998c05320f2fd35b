// The SDK against a network whose relayer is off: statuses, failures with their reason, self-relay.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { stringToHex, type Address } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { BundleStatus } from '../../src/protocol/index.js'
import { executeMessage, getMessageStatus, JunctionIndex, sendMessage } from '../../src/sdk/index.js'
import { eventually, waitForProof } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let beta: ChainConnection
let recipient: Address

before(async () => {
  network = await startTestNetwork({ relay: false })
  beta = new ChainConnection(chainNamed(network, 'beta'))
  const deployer = network.manifest.accounts.users[4]!.privateKey
  recipient = (await beta.deploy(deployer, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [network.manifest.l2Contracts.interopCenter], action: 'deploy recipient' })).address
})
after(async () => {
  await network?.close()
})

const received = () => beta.client.readContract({ address: recipient, abi: c.standardRecipientAbi, functionName: 'received' }) as Promise<bigint>
/** The handler's status of `bundle` (its bytes: the status is kept under its number on its route and its hash). */
const statusOnChain = (bundle: `0x${string}`) =>
  beta.client.readContract({ address: network.manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi, functionName: 'bundleStatus', args: [bundle] }) as Promise<number>

describe('SDK with no relayer running', () => {
  test('tracks a message up to its root on the destination, then lets the user execute it (self-relay)', async () => {
    const user = network.manifest.accounts.users[0]!
    const alphaWallet = walletFor(chainNamed(network, 'alpha'), user.privateKey)
    const index = new JunctionIndex(network.manifest)
    const { bundleHash, bundle } = await sendMessage(alphaWallet, { recipient: { chainId: 272, address: recipient }, payload: stringToHex('self-relayed'), interopCenter: network.manifest.l2Contracts.interopCenter })
    await waitForProof(index, bundleHash)
    const before = await getMessageStatus(index, { bundleHash })
    assert.equal(before.status, 'root-on-destination')
    assert.deepEqual(
      before.timeline.map((s) => s.status),
      ['sent', 'committed', 'proven', 'executed-on-settlement-layer', 'root-on-destination'],
    )
    assert.equal(await statusOnChain(bundle), BundleStatus.Unreceived)

    const { receipt } = await executeMessage(walletFor(chainNamed(network, 'beta'), user.privateKey), index, { bundleHash })
    assert.equal(receipt.status, 'success')
    assert.equal(await received(), 1n)
    assert.equal(await statusOnChain(bundle), BundleStatus.Executed)
    const after = await getMessageStatus(index, { bundleHash })
    assert.equal(after.status, 'executed')
    assert.equal(after.executedIn, receipt.transactionHash)
  })

  test('reports a failed message with the revert reason of its recipient, and executes it once the recipient accepts', async () => {
    const user = network.manifest.accounts.users[1]!
    const owner = network.manifest.accounts.users[4]!.privateKey
    await beta.write(owner, { address: recipient, abi: c.standardRecipientAbi, functionName: 'setFail', args: [true] })
    const index = new JunctionIndex(network.manifest)
    const { bundleHash, bundle } = await sendMessage(walletFor(chainNamed(network, 'alpha'), user.privateKey), {
      recipient: { chainId: 272, address: recipient },
      payload: stringToHex('refused first'),
      interopCenter: network.manifest.l2Contracts.interopCenter,
    })
    await waitForProof(index, bundleHash)
    const failed = await eventually('a failed status', async () => {
      const status = await getMessageStatus(index, { bundleHash })
      return status.status === 'failed' ? status : undefined
    })
    assert.match(failed.failure ?? '', /CallFailed\(0, RecipientRefused\(\)\)/)
    const betaWallet = walletFor(chainNamed(network, 'beta'), user.privateKey)
    await assert.rejects(executeMessage(betaWallet, index, { bundleHash }), /RecipientRefused/)
    assert.equal(await statusOnChain(bundle), BundleStatus.Unreceived)

    await beta.write(owner, { address: recipient, abi: c.standardRecipientAbi, functionName: 'setFail', args: [false] })
    const countBefore = await received()
    await executeMessage(betaWallet, index, { bundleHash })
    assert.equal(await received(), countBefore + 1n)
    assert.equal((await getMessageStatus(index, { bundleHash })).status, 'executed')
  })
})
