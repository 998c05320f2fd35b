// End to end, on real chains (an L1 and two ZK chains as anvil processes), with every service
// running, the relayer included: messages travel and are delivered exactly once, as ERC-7786 says.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { keccak256, parseAbiItem, parseEventLogs, toEventSelector, toHex, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { sentBundlesOf } from '../../src/indexer/sentBundles.js'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { BundleStatus, formatInteroperableAddress } from '../../src/protocol/index.js'
import { JunctionIndex, junctionActions, waitForMessage } from '../../src/sdk/index.js'
import { rejectsWith, sleep } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

type TestNetwork = Awaited<ReturnType<typeof startTestNetwork>>

/** ERC-7786's `MessageSent`, written from the standard (not from Junction's ABI). */
const STANDARD_MESSAGE_SENT = parseAbiItem('event MessageSent(bytes32 indexed sendId, bytes sender, bytes recipient, bytes payload, uint256 value, bytes[] attributes)')

let network: TestNetwork
let index: JunctionIndex
let alpha: ChainConnection
let beta: ChainConnection
let userKey: Hex
let user: Address

before(async () => {
  network = await startTestNetwork()
  index = new JunctionIndex(network.manifest)
  alpha = new ChainConnection(chainNamed(network, 'alpha'))
  beta = new ChainConnection(chainNamed(network, 'beta'))
  userKey = network.manifest.accounts.users[0]!.privateKey
  user = privateKeyToAccount(userKey).address
})

after(async () => {
  await network?.close()
})

/** Deploys a StandardRecipient whose gateway is the chain's InteropCenter. */
async function deployRecipient(chain: ChainConnection): Promise<Address> {
  const { address } = await chain.deploy(userKey, {
    abi: c.standardRecipientAbi,
    bytecode: c.standardRecipientBytecode,
    args: [network.manifest.l2Contracts.interopCenter],
    action: 'deploy StandardRecipient',
  })
  return address
}

/** What a StandardRecipient recorded, read on chain. */
async function recipientState(chain: ChainConnection, address: Address) {
  const read = (functionName: 'received' | 'lastSender' | 'lastPayload' | 'lastReceiveId') =>
    chain.client.readContract({ address, abi: c.standardRecipientAbi, functionName })
  const [received, lastSender, lastPayload, lastReceiveId] = await Promise.all([read('received'), read('lastSender'), read('lastPayload'), read('lastReceiveId')])
  return { received: received as bigint, lastSender: lastSender as Hex, lastPayload: lastPayload as Hex, lastReceiveId: lastReceiveId as Hex }
}

/** The handler's status of `bundle` (its bytes: the status is kept under its number on its route and its hash). */
function bundleStatus(chain: ChainConnection, bundle: Hex): Promise<number> {
  return chain.client.readContract({ address: network.manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi, functionName: 'bundleStatus', args: [bundle] }) as Promise<number>
}

/** `BundleExecuted` events for `bundleHash` on `chain`, from its whole history. */
async function executions(chain: ChainConnection, bundleHash: Hex) {
  const logs = await chain.client.getLogs({
    address: network.manifest.l2Contracts.interopHandler,
    event: parseAbiItem('event BundleExecuted(bytes32 indexed bundleHash, uint256 indexed sourceChainId)'),
    args: { bundleHash },
    fromBlock: 0n,
    toBlock: 'latest',
  })
  return logs
}

/** Checks on `destination` that `recipient` got the message once, from `sender` on `sourceChainId`, with `payload`. */
async function assertDeliveredOnce(destination: ChainConnection, recipient: Address, { bundleHash, bundle }: { bundleHash: Hex; bundle: Hex }, expected: { sourceChainId: number; sender: Address; payload: Hex }) {
  const state = await recipientState(destination, recipient)
  assert.equal(state.received, 1n, 'the recipient received the message once')
  assert.equal(state.lastSender.toLowerCase(), formatInteroperableAddress({ chainId: expected.sourceChainId, address: expected.sender }).toLowerCase())
  assert.equal(state.lastPayload, expected.payload)
  assert.equal(state.lastReceiveId, keccak256(`${bundleHash}${'0'.repeat(64)}` as Hex), 'receiveId = H(abi.encode(bundleHash, 0))')
  assert.equal(await bundleStatus(destination, bundle), BundleStatus.Executed)
  assert.equal((await executions(destination, bundleHash)).length, 1, 'one BundleExecuted event')
  // The relayer keeps running: nothing executes it a second time.
  await sleep(1_000)
  assert.equal((await recipientState(destination, recipient)).received, 1n, 'still received once after a while')
  assert.equal((await executions(destination, bundleHash)).length, 1, 'still one BundleExecuted event after a while')
}

test('delivers a message from alpha to beta exactly once, with the ERC-7930 sender and the payload', async () => {
  const recipient = await deployRecipient(beta)
  const sender = await deployRecipient(alpha) // a contract sends, through its own gateway
  const payload = toHex('hello beta, from a contract on alpha')
  const receipt = await alpha.write(userKey, {
    address: sender,
    abi: c.standardRecipientAbi,
    functionName: 'send',
    args: [formatInteroperableAddress({ chainId: beta.chainId, address: recipient }), payload],
  })
  const [sent] = sentBundlesOf(receipt.logs, network.manifest.l2Contracts.interopCenter)
  assert.ok(sent, 'the InteropCenter announced the bundle (MessageBundleSent)')
  const { bundleHash, bundle } = sent
  assert.equal(await bundleStatus(beta, bundle), BundleStatus.Unreceived, 'not executed before it is settled')

  const status = await waitForMessage(index, { bundleHash, timeoutMs: 20_000 })
  assert.equal(status.status, 'executed')
  await assertDeliveredOnce(beta, recipient, { bundleHash, bundle }, { sourceChainId: alpha.chainId, sender, payload })
  assert.equal(await bundleStatus(alpha, bundle), BundleStatus.Unreceived, 'nothing happened on the source chain')
})

test('delivers a message from beta to alpha too, sent by a user with the SDK', async () => {
  const recipient = await deployRecipient(alpha)
  // Its own key: the SDK's wallet client keeps no nonce queue shared with the ChainConnection's.
  const sdkUser = network.manifest.accounts.users[1]!
  const wallet = walletFor(chainNamed(network, 'beta'), sdkUser.privateKey).extend(junctionActions({ manifest: network.manifest, index }))
  const payload = toHex('hello alpha, from a user on beta')
  const sent = await wallet.sendMessage({ recipient: { chainId: alpha.chainId, address: recipient }, payload })
  const { bundleHash } = sent
  const status = await wallet.waitForMessage({ bundleHash, timeoutMs: 20_000 })
  assert.equal(status.status, 'executed')
  assert.equal(status.sourceChainId, beta.chainId)
  assert.equal(status.destinationChainId, alpha.chainId)
  await assertDeliveredOnce(alpha, recipient, sent, { sourceChainId: beta.chainId, sender: sdkUser.address, payload })
})

test('the gateway conforms to ERC-7786: no attribute supported, attributes refused, MessageSent emitted as the standard says', async () => {
  const { interopCenter, interopHandler } = network.manifest.l2Contracts
  // One gateway address on every chain, and the handler delivers through it.
  for (const chain of [alpha, beta]) {
    assert.notEqual(await chain.client.getCode({ address: interopCenter }), undefined, `the InteropCenter has code on ${chain.name}`)
    const handlerGateway = await chain.client.readContract({ address: interopHandler, abi: c.interopHandlerAbi, functionName: 'interopCenter' })
    assert.equal(handlerGateway, interopCenter, `the InteropHandler of ${chain.name} delivers through the one InteropCenter`)
  }
  assert.equal(await alpha.client.getCode({ address: interopCenter }), await beta.client.getCode({ address: interopCenter }))
  const recipient = await deployRecipient(beta)
  assert.equal(await beta.client.readContract({ address: recipient, abi: c.standardRecipientAbi, functionName: 'gateway' }), interopCenter)

  assert.equal(await alpha.client.readContract({ address: interopCenter, abi: c.ierc7786GatewaySourceAbi, functionName: 'supportsAttribute', args: ['0x12345678'] }), false)

  const recipient7930 = formatInteroperableAddress({ chainId: beta.chainId, address: recipient })
  const sentBefore = await alpha.client.readContract({ address: interopCenter, abi: c.interopCenterAbi, functionName: 'bundlesSent', args: [BigInt(beta.chainId)] })
  const refused = await rejectsWith(
    alpha.write(userKey, { address: interopCenter, abi: c.ierc7786GatewaySourceAbi, functionName: 'sendMessage', args: [recipient7930, '0x01', ['0x12345678abcdef']] }),
    'UnsupportedAttribute',
  )
  assert.deepEqual(refused.errorArgs, ['0x12345678'])
  assert.equal(
    await alpha.client.readContract({ address: interopCenter, abi: c.interopCenterAbi, functionName: 'bundlesSent', args: [BigInt(beta.chainId)] }),
    sentBefore,
    'a refused message sends nothing',
  )

  const payload = toHex('standard')
  const receipt = await alpha.write(userKey, { address: interopCenter, abi: c.ierc7786GatewaySourceAbi, functionName: 'sendMessage', args: [recipient7930, payload, []] })
  const standardTopic = toEventSelector('MessageSent(bytes32,bytes,bytes,bytes,uint256,bytes[])')
  const raw = receipt.logs.filter((log) => log.address.toLowerCase() === interopCenter.toLowerCase() && log.topics[0] === standardTopic)
  assert.equal(raw.length, 1, 'one MessageSent event with the standard signature')
  const [event] = parseEventLogs({ abi: [STANDARD_MESSAGE_SENT], logs: raw })
  const [sent] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'MessageBundleSent' })
  assert.ok(event && sent)
  assert.equal(event.args.sendId, sent.args.bundleHash, 'sendId is the bundle hash')
  assert.equal(event.args.sender.toLowerCase(), formatInteroperableAddress({ chainId: alpha.chainId, address: user }).toLowerCase())
  assert.equal(event.args.recipient, recipient7930)
  assert.equal(event.args.payload, payload)
  assert.equal(event.args.value, 0n)
  assert.deepEqual(event.args.attributes, [])

  // The recipient, which only accepts calls from its own chain's gateway, accepts the delivery.
  await waitForMessage(index, { bundleHash: sent.args.bundleHash, timeoutMs: 20_000 })
  const state = await recipientState(beta, recipient)
  assert.equal(state.received, 1n)
  assert.equal(state.lastPayload, payload)
})

test('delivers the other bundles when one is refused, reports the refused one with its reason, and retries it until it executes', async () => {
  const client = walletFor(chainNamed(network, 'alpha'), network.manifest.accounts.users[2]!.privateKey).extend(junctionActions({ manifest: network.manifest, index }))
  const accepting = await deployRecipient(beta)
  const refusing = await deployRecipient(beta)
  await beta.write(userKey, { address: refusing, abi: c.standardRecipientAbi, functionName: 'setFail', args: [true] })
  const send = (address: Address, text: string) => client.sendMessage({ recipient: { chainId: 272, address }, payload: toHex(text) })
  const first = await send(accepting, 'one')
  const refused = await send(refusing, 'two')
  const third = await send(accepting, 'three')
  await waitForMessage(index, { bundleHash: first.bundleHash, timeoutMs: 30_000 })
  await waitForMessage(index, { bundleHash: third.bundleHash, timeoutMs: 30_000 })
  assert.equal((await recipientState(beta, accepting)).received, 2n)
  assert.equal(await bundleStatus(beta, refused.bundle), BundleStatus.Unreceived)
  const status = await client.getMessageStatus({ bundleHash: refused.bundleHash })
  assert.equal(status.status, 'failed')
  assert.match(status.failure ?? '', /RecipientRefused/)
  const delivery = network.services!.store.prepare('SELECT status, last_error FROM deliveries WHERE bundle_hash = ?').get(refused.bundleHash) as { status: string; last_error: string } | undefined
  assert.equal(delivery?.status, 'failed')
  assert.match(delivery?.last_error ?? '', /CallFailed\(0, RecipientRefused\(\)\)/)

  await beta.write(userKey, { address: refusing, abi: c.standardRecipientAbi, functionName: 'setFail', args: [false] })
  await waitForMessage(index, { bundleHash: refused.bundleHash, timeoutMs: 30_000 })
  assert.equal(await bundleStatus(beta, refused.bundle), BundleStatus.Executed)
  assert.equal((await recipientState(beta, refusing)).received, 1n)
})
