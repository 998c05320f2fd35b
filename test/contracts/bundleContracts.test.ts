// The bundle API of protocol §8 on a real EVM: sendBundle builds exactly the bundle `buildBundle`
// predicts (indirect calls included), and the handler's verify / execute / unbundle statuses.
// One anvil plays both roles: the source for sendBundle (to chain 999), and the destination of
// bundles "sent" by chain 500, whose proofs lead to a root imported here.
import { rejectsWith } from '../../src/testing/rejectsWith.js'
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { encodeAbiParameters, encodeErrorResult, erc20Abi, getAddress, getContractAddress, keccak256, parseEventLogs, toFunctionSelector, toHex, zeroAddress, zeroHash, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import { messageLeavesOf } from '../../src/indexer/messageLeaves.js'
import { sentBundlesOf } from '../../src/indexer/sentBundles.js'
import {
  BundleStatus,
  CallDecision,
  CallStatus,
  INTEROP_BUNDLE_VERSION,
  MerkleTree,
  attributeSelectors,
  batchLeaf,
  blindedBundleCommitment,
  buildBundle,
  buildInteropProof,
  buildMessageBundle,
  bundleHash,
  bundleSalt,
  bundleNumber,
  chainLeaf,
  encodeBundle,
  encodeExecutionAddressAttribute,
  encodeTransferMessage,
  encodeIndirectCallAttribute,
  encodeInteropCallValueAttribute,
  encodeUnbundlerAddressAttribute,
  encodeExecutionGasLimitAttribute,
  CallValueToAssetRouterError,
  ZeroDestinationChainError,
  encodeTransferData,
  formatInteroperableAddress,
  messageLeaf,
  receiveId,
  type InteropBundle,
  type InteropCallStarter,
  type InteropProof,
} from '../../src/protocol/index.js'

const CHAIN_ID = 31337
const OTHER_CHAIN = 999n
const SOURCE_CHAIN = 500n
/** A second source chain: its bundles are numbered on their own route. */
const OTHER_SOURCE_CHAIN = 501n
/** Plays L1's chain id for the L2 asset router (a token goes there with withdraw, never as a transfer). */
const L1_CHAIN = 1n
const ZERO: Address = '0x0000000000000000000000000000000000000000'
const deployer = devAccount(0)
const user = devAccount(1)
const unbundler = devAccount(2)
const stranger = devAccount(3)

let anvil: AnvilProcess
let chain: ChainConnection
let center: Address
let handler: Address
let rootStore: Address
let messenger: Address
let l2Router: Address
let holder: Address
/** Plays ETH's asset id (the L2 asset router only records it). */
const ETH_ASSET = keccak256(toHex('eth'))
const HOLDER_PREFUND = 10n ** 19n
let recipients: Address[] = []
let initiator: Address

const rejects = async (promise: Promise<unknown>, errorName: string) => (await rejectsWith(promise, errorName)).errorArgs ?? []

const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
  chain.client.readContract({ address, abi, functionName, args } as never) as Promise<T>

before(async () => {
  anvil = createAnvil({ chainId: CHAIN_ID, port: 0, name: 'bundle-contracts' })
  await anvil.start()
  chain = new ChainConnection({ chainId: CHAIN_ID, name: 'bundle-contracts', rpcUrl: anvil.rpcUrl })
  const key = deployer.privateKey
  messenger = getAddress((await chain.deploy(key, { abi: c.l2MessengerAbi, bytecode: c.l2MessengerBytecode, action: 'deploy L2Messenger' })).address)
  const nonce = await chain.client.getTransactionCount({ address: deployer.address })
  const [predictedCenter, predictedHandler, predictedRouter, predictedHolder] = [0, 1, 2, 3].map((i) => getAddress(getContractAddress({ from: deployer.address, nonce: BigInt(nonce + i) })))
  center = (await chain.deploy(key, { abi: c.interopCenterAbi, bytecode: c.interopCenterBytecode, args: [messenger, predictedHandler, predictedRouter, zeroHash], action: 'deploy InteropCenter' })).address
  // The handler is also the chain's root store (the deployer imports the roots).
  handler = (await chain.deploy(key, { abi: c.interopHandlerAbi, bytecode: c.interopHandlerBytecode, args: [center, deployer.address, zeroAddress, 0n, predictedHolder], action: 'deploy InteropHandler' })).address
  rootStore = handler
  // The router's priority inbox plays no part here: the deployer stands in for it.
  l2Router = (await chain.deploy(key, { abi: c.l2AssetRouterAbi, bytecode: c.l2AssetRouterBytecode, args: [deployer.address, messenger, center, predictedHolder, ETH_ASSET, L1_CHAIN, zeroHash], action: 'deploy L2AssetRouter' })).address
  holder = (await chain.deploy(key, { abi: c.baseTokenHolderAbi, bytecode: c.baseTokenHolderBytecode, args: [predictedRouter, predictedHandler], value: HOLDER_PREFUND, action: 'deploy BaseTokenHolder' })).address
  assert.deepEqual([center, handler, l2Router, holder].map((a) => getAddress(a)), [predictedCenter, predictedHandler, predictedRouter, predictedHolder])
  center = getAddress(center)
  handler = getAddress(handler)
  l2Router = getAddress(l2Router)
  holder = getAddress(holder)
  recipients = []
  for (let i = 0; i < 3; i++)
    recipients.push(getAddress((await chain.deploy(key, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [center], action: 'deploy StandardRecipient' })).address))
  initiator = getAddress((await chain.deploy(key, { abi: c.testIndirectInitiatorAbi, bytecode: c.testIndirectInitiatorBytecode, args: [recipients[0]!], action: 'deploy TestIndirectInitiator' })).address)
})
after(async () => {
  await anvil?.stop()
})

describe('InteropCenter.sendBundle', () => {
  const sendBundle = (callStarters: readonly InteropCallStarter[], bundleAttributes: readonly Hex[], destination = OTHER_CHAIN, value?: bigint) =>
    chain.write(user.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'sendBundle', args: [destination, callStarters, bundleAttributes], value: value as bigint })

  test('sends the bundle buildBundle predicts, routing an indirect call through its initiator', async () => {
    const bundleNumber = await read<bigint>(center, c.interopCenterAbi, 'bundlesSent', [OTHER_CHAIN])
    const callStarters: InteropCallStarter[] = [
      { to: recipients[1]!, data: '0x01', callAttributes: [] },
      { to: initiator, data: '0xbeef', callAttributes: [encodeIndirectCallAttribute(0n), encodeInteropCallValueAttribute(0n)] },
    ]
    const bundleAttributes = [
      encodeUnbundlerAddressAttribute({ chainId: OTHER_CHAIN, address: unbundler.address }),
      encodeExecutionAddressAttribute({ chainId: OTHER_CHAIN, address: stranger.address }),
    ]
    const receipt = await sendBundle(callStarters, bundleAttributes)
    const expected = buildBundle({
      sourceChainId: CHAIN_ID,
      destinationChainId: OTHER_CHAIN,
      sender: user.address,
      bundleNumber,
      callStarters,
      bundleAttributes,
      resolveIndirectCall: ({ originalSender, data }) => ({
        to: recipients[0]!,
        data: encodeAbiParameters([{ type: 'address' }, { type: 'bytes' }], [originalSender, data]),
      }),
    })
    const events = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs })
    // BundleSent is the bundle's leaf too (protocol §2): no MessageRecorded, and no MessageSent for a bundle.
    assert.deepEqual(events.map((e) => e.eventName), ['BundleSent'], 'sendBundle emits BundleSent only')
    assert.deepEqual(parseEventLogs({ abi: c.l2MessengerAbi, logs: receipt.logs, eventName: 'MessageRecorded' }), [])
    const [sent] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'BundleSent' })
    assert.equal(getAddress(sent!.address), center)
    assert.equal(sent!.args.bundle, encodeBundle(expected))
    assert.equal(sent!.args.bundleHash, bundleHash(expected))
    assert.equal(expected.calls[1]!.from, initiator)
    assert.equal(expected.unbundler, unbundler.address)
    assert.equal(expected.executionAddress, stranger.address)
    assert.equal(await read(initiator, c.testIndirectInitiatorAbi, 'lastCaller'), center)
    assert.equal(await read(initiator, c.testIndirectInitiatorAbi, 'lastOriginalSender'), user.address)
    assert.equal(await read(initiator, c.testIndirectInitiatorAbi, 'lastDestinationChainId'), OTHER_CHAIN)
    assert.equal(await read(initiator, c.testIndirectInitiatorAbi, 'lastData'), '0xbeef')
    assert.equal(await read(center, c.interopCenterAbi, 'bundlesSent', [OTHER_CHAIN]), bundleNumber + 1n)
  })

  test('refuses what buildBundle refuses, and sends nothing', async () => {
    const one: InteropCallStarter = { to: recipients[1]!, data: '0x', callAttributes: [] }
    const before = await read<bigint>(center, c.interopCenterAbi, 'bundlesSent', [OTHER_CHAIN])
    await rejects(sendBundle([one], [], BigInt(CHAIN_ID)), 'DestinationIsThisChain')
    await rejects(sendBundle([], []), 'EmptyBundle')
    assert.deepEqual(await rejects(sendBundle(Array.from({ length: 65 }, () => one), []), 'TooManyCalls'), [65n])
    assert.deepEqual(await rejects(sendBundle([{ ...one, callAttributes: [encodeInteropCallValueAttribute(7n)] }], []), 'ValueMismatch'), [7n, 0n])
    assert.deepEqual(await rejects(sendBundle([{ ...one, callAttributes: [encodeIndirectCallAttribute(8n)] }], []), 'ValueMismatch'), [8n, 0n])
    assert.deepEqual(await rejects(sendBundle([one], [], OTHER_CHAIN, 1n), 'ValueMismatch'), [0n, 1n])
    assert.deepEqual(await rejects(sendBundle([{ ...one, callAttributes: [encodeInteropCallValueAttribute(7n)] }], [], OTHER_CHAIN, 8n), 'ValueMismatch'), [7n, 8n])
    assert.deepEqual(await rejects(sendBundle([{ ...one, callAttributes: [encodeUnbundlerAddressAttribute({ chainId: OTHER_CHAIN, address: ZERO })] }], []), 'UnsupportedAttribute'), [attributeSelectors.unbundlerAddress])
    assert.deepEqual(await rejects(sendBundle([one], [encodeInteropCallValueAttribute(0n)]), 'UnsupportedAttribute'), [attributeSelectors.interopCallValue])
    const exec = encodeExecutionAddressAttribute({ chainId: OTHER_CHAIN, address: ZERO })
    assert.deepEqual(await rejects(sendBundle([one], [exec, exec]), 'AttributeRepeated'), [attributeSelectors.executionAddress])
    assert.deepEqual(await rejects(sendBundle([one], [exec.slice(0, -2) as Hex]), 'InvalidAttribute'), [attributeSelectors.executionAddress])
    assert.deepEqual(
      await rejects(sendBundle([one], [encodeExecutionAddressAttribute({ chainId: 1n, address: ZERO })]), 'AttributeChainMismatch'),
      [attributeSelectors.executionAddress, OTHER_CHAIN, 1n],
    )
    assert.equal(await read(center, c.interopCenterAbi, 'bundlesSent', [OTHER_CHAIN]), before)
  })

  test('bridges the value of the calls: paid into the holder, an ETH transfer message recorded before the bundle; indirect values go to the initiator', async () => {
    const callStarters: InteropCallStarter[] = [
      { to: recipients[1]!, data: '0x01', callAttributes: [encodeInteropCallValueAttribute(300n)] },
      { to: initiator, data: '0x02', callAttributes: [encodeIndirectCallAttribute(5n), encodeInteropCallValueAttribute(20n)] },
      { to: recipients[2]!, data: '0x03', callAttributes: [] },
    ]
    // Only ETH that came over the bridge leaves over it: the user's genesis ETH cannot, until a deposit brought some in.
    assert.deepEqual(await rejects(sendBundle(callStarters, [], OTHER_CHAIN, 325n), 'UnbackedValue'), [0n, 320n])
    await chain.write(deployer.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'finalizeETHDeposit', args: [deployer.address, user.address, 1_000n] })
    assert.equal(await read(holder, c.baseTokenHolderAbi, 'bridgedBalance'), 1_000n)
    const bundleNumber = await read<bigint>(center, c.interopCenterAbi, 'bundlesSent', [OTHER_CHAIN])
    const holderBefore = await chain.client.getBalance({ address: holder })
    const initiatorBefore = await chain.client.getBalance({ address: initiator })
    const receipt = await sendBundle(callStarters, [], OTHER_CHAIN, 325n)
    assert.equal(await chain.client.getBalance({ address: holder }), holderBefore + 320n, 'the call values are burned into the holder')
    assert.deepEqual([await read(holder, c.baseTokenHolderAbi, 'totalReleased'), await read(holder, c.baseTokenHolderAbi, 'totalReturned')], [1_000n, 320n], 'counted as bridged out')
    assert.equal(await chain.client.getBalance({ address: initiator }), initiatorBefore + 5n, 'the indirect value goes to the initiator')
    assert.equal(await read(initiator, c.testIndirectInitiatorAbi, 'lastValue'), 5n)
    const message = encodeTransferMessage({ destinationChainId: OTHER_CHAIN, assetId: ETH_ASSET, sender: user.address, receiver: ZERO, amount: 320n })
    const [initiated] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'TransferInitiated' })
    assert.equal(initiated!.args.message, message)
    const [sent] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'BundleSent' })
    // The leaves (protocol §2): the router's ETH transfer message, then the bundle (its BundleSent).
    const recorded = messageLeavesOf(receipt.logs, center)
    assert.deepEqual(recorded.map((r) => [r.sender, r.payloadHash]), [[l2Router, keccak256(message)], [center, sent!.args.bundleHash]])
    const expected = buildBundle({
      sourceChainId: CHAIN_ID, destinationChainId: OTHER_CHAIN, sender: user.address, bundleNumber, callStarters, bundleAttributes: [], value: 325n,
      resolveIndirectCall: ({ originalSender, data }) => ({ to: recipients[0]!, data: encodeAbiParameters([{ type: 'address' }, { type: 'bytes' }], [originalSender, data]) }),
    })
    assert.equal(sent!.args.bundle, encodeBundle(expected))
    assert.deepEqual(expected.calls.map((call) => call.value), [300n, 20n, 0n])
    // Only the center bridges bundle values; only the router and the handler release from the holder.
    assert.deepEqual(await rejects(chain.write(stranger.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'bridgeBundleValue', args: [OTHER_CHAIN, stranger.address], value: 1n }), 'NotInteropCenter'), [stranger.address])
    assert.deepEqual(await rejects(chain.write(stranger.privateKey, { address: holder, abi: c.baseTokenHolderAbi, functionName: 'release', args: [stranger.address, 1n] }), 'NotAuthorized'), [stranger.address])
    // Only the router counts ETH as bridged out; anyone else's payment in is a plain burn, which does not count.
    assert.deepEqual(await rejects(chain.write(stranger.privateKey, { address: holder, abi: c.baseTokenHolderAbi, functionName: 'returnValue', args: [], value: 1n }), 'NotAuthorized'), [stranger.address])
    await chain.write(stranger.privateKey, { address: holder, abi: c.baseTokenHolderAbi, functionName: 'burn', args: [], value: 7n })
    assert.equal(await read(holder, c.baseTokenHolderAbi, 'bridgedBalance'), 680n, 'a burn is not ETH bridged in or out')
  })

  test('sendMessage takes the bundle attributes and interopCallValue, and supportsAttribute says so', async () => {
    for (const [selector, supported] of [
      [attributeSelectors.interopCallValue, true],
      [attributeSelectors.executionAddress, true],
      [attributeSelectors.unbundlerAddress, true],
      [attributeSelectors.indirectCall, false],
      ['0x12345678', false],
    ] as const)
      assert.equal(await read(center, c.interopCenterAbi, 'supportsAttribute', [selector]), supported, selector)
    const bundleNumber = await read<bigint>(center, c.interopCenterAbi, 'bundlesSent', [OTHER_CHAIN])
    const recipient = formatInteroperableAddress({ chainId: OTHER_CHAIN, address: recipients[1]! })
    const attributes = [encodeInteropCallValueAttribute(0n), encodeUnbundlerAddressAttribute({ chainId: OTHER_CHAIN, address: unbundler.address })]
    const receipt = await chain.write(user.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [recipient, '0x42', attributes] })
    const expected = buildMessageBundle({ sourceChainId: CHAIN_ID, sender: user.address, bundleNumber, recipient, payload: '0x42', attributes })
    // A message's bundle is announced by its hash and salt (MessageBundleSent), its bytes rebuilt from MessageSent.
    assert.deepEqual(parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs }).map((e) => e.eventName), ['MessageBundleSent', 'MessageSent'])
    const [sent] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'MessageBundleSent' })
    const [message] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'MessageSent' })
    assert.deepEqual([sent!.args.bundleHash, sent!.args.destinationChainId, getAddress(sent!.args.sender), sent!.args.salt], [bundleHash(expected), OTHER_CHAIN, user.address, bundleSalt(bundleNumber)])
    assert.equal(message!.args.sendId, bundleHash(expected))
    assert.equal(sentBundlesOf(receipt.logs, center)[0]!.bundle, encodeBundle(expected))
    assert.deepEqual(message!.args.attributes, attributes)
    assert.equal(expected.unbundler, unbundler.address)
    await rejects(
      chain.write(user.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [recipient, '0x', [encodeIndirectCallAttribute(0n)]] }),
      'UnsupportedAttribute',
    )
    // With value: msg.value must be the interopCallValue, which is bridged.
    const send = (attrs: Hex[], value: bigint) => chain.write(user.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [recipient, '0x', attrs], value })
    assert.deepEqual(await rejects(send([encodeInteropCallValueAttribute(9n)], 8n), 'ValueMismatch'), [9n, 8n])
    assert.deepEqual(await rejects(send([], 1n), 'ValueMismatch'), [0n, 1n])
    const holderBefore = await chain.client.getBalance({ address: holder })
    const valued = await send([encodeInteropCallValueAttribute(9n)], 9n)
    assert.equal(await chain.client.getBalance({ address: holder }), holderBefore + 9n)
    const [valuedMessage] = parseEventLogs({ abi: c.interopCenterAbi, logs: valued.logs, eventName: 'MessageSent' })
    assert.equal(valuedMessage!.args.value, 9n)
  })

  test('sendMessage and sendBundle announce exactly the bundles the TypeScript mirror builds (a message by its hash, a bundle by its bytes), for any payload size and attributes', async () => {
    // The InteropCenter writes the bundle word by word (BundleEncoding): any payload length (padding), any
    // recipient, execution address and unbundler must give buildMessageBundle's / buildBundle's bytes.
    const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(toHex(b)))
    const payload = fc.uint8Array({ maxLength: 100 }).map((b) => toHex(b))
    // With executionGasLimit (no fee paid here), the version word carries the fee flag, on both sides.
    const bundleAttributes = fc.record({ execution: fc.option(address, { nil: undefined }), unbundler: fc.option(address, { nil: undefined }), gasLimit: fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { nil: undefined }) }).map(({ execution, unbundler: u, gasLimit }) => [
      ...(execution === undefined ? [] : [encodeExecutionAddressAttribute({ chainId: OTHER_CHAIN, address: execution })]),
      ...(u === undefined ? [] : [encodeUnbundlerAddressAttribute({ chainId: OTHER_CHAIN, address: u })]),
      ...(gasLimit === undefined ? [] : [encodeExecutionGasLimitAttribute(gasLimit)]),
    ])
    await fc.assert(
      fc.asyncProperty(address, payload, bundleAttributes, fc.array(fc.record({ to: address, data: payload }), { minLength: 1, maxLength: 3 }), async (to, data, attributes, calls) => {
        const bundleNumber = await read<bigint>(center, c.interopCenterAbi, 'bundlesSent', [OTHER_CHAIN])
        const recipient = formatInteroperableAddress({ chainId: OTHER_CHAIN, address: to })
        const message = await chain.write(user.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [recipient, data, attributes] })
        // The chain's hash of the bundle it built, and the bytes rebuilt from its MessageSent.
        const expectedMessage = buildMessageBundle({ sourceChainId: CHAIN_ID, sender: user.address, bundleNumber, recipient, payload: data, attributes })
        const [sentMessage] = parseEventLogs({ abi: c.interopCenterAbi, logs: message.logs, eventName: 'MessageBundleSent' })
        assert.equal(sentMessage!.args.bundleHash, bundleHash(expectedMessage))
        assert.equal(sentBundlesOf(message.logs, center)[0]!.bundle, encodeBundle(expectedMessage))
        const callStarters = calls.map((call) => ({ ...call, callAttributes: [] }))
        const bundle = await sendBundle(callStarters, attributes)
        const [sentBundle] = parseEventLogs({ abi: c.interopCenterAbi, logs: bundle.logs, eventName: 'BundleSent' })
        assert.equal(sentBundle!.args.bundle, encodeBundle(buildBundle({ sourceChainId: CHAIN_ID, destinationChainId: OTHER_CHAIN, sender: user.address, bundleNumber: bundleNumber + 1n, callStarters, bundleAttributes: attributes })))
      }),
      { numRuns: 12 },
    )
  })

  test('refuses at send time what would burn value: chain 0, value to the asset router, a token transfer to L1; and sends nothing', async () => {
    // The user holds a bridged token (the deployer plays the priority inbox).
    const assetId = keccak256(toHex('a token'))
    await chain.write(deployer.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'finalizeDeposit', args: [assetId, L1_CHAIN, stranger.address, 'Token', 'TKN', 18, stranger.address, user.address, 1_000n] })
    const token = await read<Address>(l2Router, c.l2AssetRouterAbi, 'bridgedToken', [assetId])
    const transfer = (amount: bigint, extra: Hex[] = []): InteropCallStarter => ({ to: l2Router, data: encodeTransferData({ assetId, amount, receiver: user.address }), callAttributes: [encodeIndirectCallAttribute(0n), ...extra] })
    const one: InteropCallStarter = { to: recipients[1]!, data: '0x', callAttributes: [] }
    const [sentBefore, supplyBefore, holderBefore] = [await read<bigint>(center, c.interopCenterAbi, 'bundlesSent', [OTHER_CHAIN]), await read<bigint>(token, erc20Abi, 'totalSupply'), await chain.client.getBalance({ address: holder })]

    await rejects(sendBundle([one], [], 0n), 'ZeroDestinationChain')
    // A value to the router: directly, as the value of a transfer's call, or in a message.
    assert.deepEqual(await rejects(sendBundle([one, { to: l2Router, data: '0x', callAttributes: [encodeInteropCallValueAttribute(5n)] }], [], OTHER_CHAIN, 5n), 'CallValueToAssetRouter'), [1n, 5n])
    assert.deepEqual(await rejects(sendBundle([transfer(10n, [encodeInteropCallValueAttribute(6n)])], [], OTHER_CHAIN, 6n), 'CallValueToAssetRouter'), [0n, 6n])
    const toRouter = formatInteroperableAddress({ chainId: OTHER_CHAIN, address: l2Router })
    assert.deepEqual(
      await rejects(chain.write(user.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [toRouter, '0x', [encodeInteropCallValueAttribute(7n)]], value: 7n }), 'CallValueToAssetRouter'),
      [0n, 7n],
    )
    // The TS mirror refuses the same, given the router.
    const mirror = { sourceChainId: CHAIN_ID, destinationChainId: OTHER_CHAIN, sender: user.address, bundleNumber: sentBefore, bundleAttributes: [], assetRouter: l2Router }
    assert.throws(() => buildBundle({ ...mirror, destinationChainId: 0n, callStarters: [one] }), ZeroDestinationChainError)
    assert.throws(() => buildBundle({ ...mirror, value: 5n, callStarters: [one, { to: l2Router, data: '0x', callAttributes: [encodeInteropCallValueAttribute(5n)] }] }), (e: unknown) => e instanceof CallValueToAssetRouterError && e.callIndex === 1n)
    assert.throws(() => buildBundle({ ...mirror, value: 6n, callStarters: [transfer(10n, [encodeInteropCallValueAttribute(6n)])], resolveIndirectCall: () => ({ to: l2Router, data: '0x' }) }), CallValueToAssetRouterError)
    // A token transfer to L1: L1 has no router to mint it.
    assert.deepEqual(await rejects(sendBundle([transfer(10n)], [], L1_CHAIN), 'TransferToL1'), [L1_CHAIN])
    assert.equal(await read(l2Router, c.l2AssetRouterAbi, 'l1ChainId'), L1_CHAIN)

    assert.equal(await read(center, c.interopCenterAbi, 'bundlesSent', [OTHER_CHAIN]), sentBefore, 'nothing was sent')
    assert.equal(await read(token, erc20Abi, 'totalSupply'), supplyBefore, 'nothing was burned')
    assert.equal(await chain.client.getBalance({ address: holder }), holderBefore, 'no value was paid in')
    // The same transfer to a chain, and a call without value to the router, go out.
    await sendBundle([transfer(10n)], [], OTHER_CHAIN)
    assert.equal(await read(token, erc20Abi, 'totalSupply'), supplyBefore - 10n)
  })
})

describe('InteropHandler: verify, execute, unbundle', () => {
  let salt = 0n
  const bundles: InteropBundle[] = []
  const proofs = new Map<Hex, InteropProof>()
  const payload = (i: number) => encodeAbiParameters([{ type: 'uint256' }], [BigInt(i)])

  /** A bundle "sent" by chain 500 (or `sourceChainId`) to this chain, numbered in turn (or `number`); call i goes to recipients[i]. */
  function makeBundle(options: { calls?: number; unbundler?: Address; executionAddress?: Address; values?: bigint[]; sourceChainId?: bigint; number?: bigint; proven?: boolean }): InteropBundle {
    const bundle: InteropBundle = {
      version: INTEROP_BUNDLE_VERSION,
      sourceChainId: options.sourceChainId ?? SOURCE_CHAIN,
      destinationChainId: BigInt(CHAIN_ID),
      salt: bundleSalt(options.number ?? salt++),
      calls: Array.from({ length: options.calls ?? 3 }, (_, i) => ({ to: recipients[i]!, from: user.address, value: options.values?.[i] ?? 0n, data: payload(i) })),
      executionAddress: options.executionAddress ?? ZERO,
      unbundler: options.unbundler ?? unbundler.address,
    }
    if (options.proven !== false) bundles.push(bundle)
    return bundle
  }
  let unbundled: InteropBundle
  let executedAfterVerify: InteropBundle
  let unverified: InteropBundle
  let restricted: InteropBundle
  let noUnbundler: InteropBundle
  let failing: InteropBundle
  let valued: InteropBundle
  let valuedUnbundled: InteropBundle
  let direct: InteropBundle
  let sameNumberOtherSource: InteropBundle
  let verifiedOnly: InteropBundle
  let verifiedTwin: InteropBundle
  /** Recipients that do not accept: an account without code, a contract returning another selector, one returning 31 bytes. */
  let badRecipients: { to: Address; returned: Hex }[]
  let toBadRecipients: InteropBundle[]
  /** One-call bundles to recipients[0] with payloads of these lengths (the InteropCenter pads each to 32 bytes). */
  const PAYLOAD_LENGTHS = [0, 1, 31, 33, 100]
  let payloadBundles: InteropBundle[]

  /** Deploys `runtime` (at most 32 bytes of code) as is. */
  const deployRuntime = async (runtime: Hex) => {
    const length = (runtime.length - 2) / 2
    const initcode = `0x60${length.toString(16).padStart(2, '0')}80600b6000396000f3${runtime.slice(2)}` as Hex
    return getAddress((await chain.sendRaw(deployer.privateKey, { to: undefined, data: initcode, action: 'deploy a raw recipient' })).contractAddress!)
  }

  before(async () => {
    const receiveSelector = toFunctionSelector('receiveMessage(bytes32,bytes,bytes)')
    badRecipients = [
      { to: stranger.address, returned: '0x00000000' },
      // Returns a 32-byte word starting with 0xdeadbeef.
      { to: await deployRuntime('0x63deadbeef60e01b60005260206000f3'), returned: '0xdeadbeef' },
      // Returns 31 bytes starting with the right selector: too short to be an answer.
      { to: await deployRuntime(`0x63${receiveSelector.slice(2)}60e01b600052601f6000f3`), returned: '0x00000000' },
    ]
    /** A one-call bundle whose call is `makeBundle`'s with `change` applied (in the proven batch). */
    const oneCall = (change: Partial<InteropBundle['calls'][number]>) => {
      const b = makeBundle({ calls: 1 })
      const changed = { ...b, calls: [{ ...b.calls[0]!, ...change }] }
      bundles.splice(bundles.indexOf(b), 1, changed)
      return changed
    }
    toBadRecipients = badRecipients.map(({ to }) => oneCall({ to }))
    payloadBundles = PAYLOAD_LENGTHS.map((length) => oneCall({ data: toHex(new Uint8Array(length).map((_, i) => (i * 7 + length) % 256 || 1)) }))
    unbundled = makeBundle({})
    executedAfterVerify = makeBundle({})
    unverified = makeBundle({})
    restricted = makeBundle({ executionAddress: stranger.address })
    noUnbundler = makeBundle({ unbundler: ZERO })
    failing = makeBundle({ calls: 2 })
    valued = makeBundle({ values: [1_000n, 0n, 2_000n] })
    valuedUnbundled = makeBundle({ values: [10n, 20n, 40n] })
    direct = makeBundle({ calls: 1 })
    // Chain 501's bundle with the same number as `direct`: numbers are per route, so both execute.
    sameNumberOtherSource = makeBundle({ calls: 1, sourceChainId: OTHER_SOURCE_CHAIN, number: bundleNumber(direct) })
    verifiedOnly = makeBundle({ calls: 1 })
    // A verified bundle's number on other bytes that no chain sent (no proof exists for them).
    verifiedTwin = makeBundle({ calls: 2, number: bundleNumber(verifiedOnly), proven: false })
    // One batch of each source chain holding its bundles; the shared root over both imported at (1, 1).
    const sources = [SOURCE_CHAIN, OTHER_SOURCE_CHAIN]
    const leavesOf = (source: bigint) => bundles.filter((b) => b.sourceChainId === source).map((b) => messageLeaf(center, bundleHash(b)))
    const chains = sources.map((source) => ({ chainId: source, chainTreeRoot: new MerkleTree([batchLeaf(1n, new MerkleTree(leavesOf(source)).root)]).root }))
    let sharedRoot: Hex | undefined
    for (const b of bundles) {
      const leaves = leavesOf(b.sourceChainId)
      const built = buildInteropProof({
        slChainId: 1n,
        slBlockNumber: 1n,
        messageSender: center,
        bundleHash: bundleHash(b),
        sourceChainId: b.sourceChainId,
        batchNumber: 1n,
        messageLeaves: leaves,
        batchMessageRoots: [new MerkleTree(leaves).root],
        chains,
      })
      proofs.set(bundleHash(b), built.proof)
      sharedRoot = built.sharedRoot
    }
    assert.equal(sharedRoot, new MerkleTree(chains.map((x) => chainLeaf(x.chainId, x.chainTreeRoot))).root)
    await chain.write(deployer.privateKey, { address: rootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRoot', args: [1n, 1n, sharedRoot] })
  })

  const emptyProof: InteropProof = {
    slChainId: 0n, slBlockNumber: 0n, messageSender: ZERO, batchNumber: 0n, messageIndex: 0n, messageCount: 0n,
    messageSiblings: [], batchCount: 0n, batchSiblings: [], chainIndex: 0n, chainCount: 0n, chainSiblings: [], hops: [],
  }
  const status = (b: InteropBundle) => read<number>(handler, c.interopHandlerAbi, 'bundleStatus', [encodeBundle(b)])
  const callStatus = (b: InteropBundle, i: number) => read<number>(handler, c.interopHandlerAbi, 'callStatus', [encodeBundle(b), BigInt(i)])
  const received = (i: number) => read<bigint>(recipients[i]!, c.standardRecipientAbi, 'received')
  const verify = (b: InteropBundle, from = stranger) =>
    chain.write(from.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'verifyBundle', args: [encodeBundle(b), proofs.get(bundleHash(b))!] })
  const execute = (b: InteropBundle, proof: InteropProof, from = stranger) =>
    chain.write(from.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args: [encodeBundle(b), proof] })
  const unbundle = (b: InteropBundle, decisions: number[], from = unbundler) =>
    chain.write(from.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'unbundleBundle', args: [encodeBundle(b), decisions] })

  test('the unbundler executes and cancels single calls of a verified bundle, each at most once', async () => {
    const hash = bundleHash(unbundled)
    assert.deepEqual(await rejects(unbundle(unbundled, [1, 0, 0]), 'BundleNotVerified'), [hash])
    const verified = await verify(unbundled)
    assert.deepEqual(parseEventLogs({ abi: c.interopHandlerAbi, logs: verified.logs }).map((e) => e.eventName), ['BundleVerified'])
    assert.equal(await status(unbundled), BundleStatus.Verified)
    assert.deepEqual(await rejects(verify(unbundled), 'BundleAlreadyProcessed'), [hash, BundleStatus.Verified])

    assert.deepEqual(await rejects(unbundle(unbundled, [1, 0]), 'WrongDecisionCount'), [3n, 2n])
    assert.deepEqual(await rejects(unbundle(unbundled, [1, 0, 0], stranger), 'NotUnbundler'), [stranger.address, unbundler.address])

    const before = await Promise.all([0, 1, 2].map(received))
    const receipt = await unbundle(unbundled, [CallDecision.Execute, CallDecision.Cancel, CallDecision.Leave])
    const events = parseEventLogs({ abi: c.interopHandlerAbi, logs: receipt.logs })
    assert.deepEqual(
      events.map((e) => [e.eventName, e.eventName === 'CallProcessed' ? [e.args.callIndex, e.args.status] : []]),
      [['CallProcessed', [0n, CallStatus.Executed]], ['CallProcessed', [1n, CallStatus.Cancelled]], ['BundleUnbundled', []]],
    )
    assert.deepEqual(await Promise.all([0, 1, 2].map(received)), [before[0]! + 1n, before[1]!, before[2]!])
    assert.equal(await status(unbundled), BundleStatus.Unbundled)
    assert.deepEqual(await Promise.all([0, 1, 2].map((i) => callStatus(unbundled, i))), [CallStatus.Executed, CallStatus.Cancelled, CallStatus.Unprocessed])

    assert.deepEqual(await rejects(unbundle(unbundled, [1, 0, 0]), 'CallAlreadyProcessed'), [hash, 0n, CallStatus.Executed])
    assert.deepEqual(await rejects(unbundle(unbundled, [0, 1, 0]), 'CallAlreadyProcessed'), [hash, 1n, CallStatus.Cancelled])
    assert.deepEqual(await rejects(unbundle(unbundled, [2, 0, 0]), 'CallAlreadyProcessed'), [hash, 0n, CallStatus.Executed])
    await unbundle(unbundled, [0, 0, 1])
    assert.equal(await callStatus(unbundled, 2), CallStatus.Executed)
    assert.equal(await received(2), before[2]! + 1n)
    assert.deepEqual(await rejects(execute(unbundled, proofs.get(hash)!), 'BundleAlreadyProcessed'), [hash, BundleStatus.Unbundled])
  })

  test('a verified bundle executes without a proof, then every call reads Executed and it cannot be unbundled', async () => {
    const hash = bundleHash(executedAfterVerify)
    await verify(executedAfterVerify, user)
    await execute(executedAfterVerify, emptyProof)
    assert.equal(await status(executedAfterVerify), BundleStatus.Executed)
    assert.deepEqual(await Promise.all([0, 1, 2, 7].map((i) => callStatus(executedAfterVerify, i))), [1, 1, 1, 1])
    assert.deepEqual(await rejects(unbundle(executedAfterVerify, [1, 0, 0]), 'BundleAlreadyProcessed'), [hash, BundleStatus.Executed])
    assert.deepEqual(await rejects(execute(executedAfterVerify, proofs.get(hash)!), 'BundleAlreadyProcessed'), [hash, BundleStatus.Executed])
  })

  test('an unverified bundle still needs its proof to execute', async () => {
    await rejects(execute(unverified, emptyProof), 'SenderNotInteropCenter')
    await execute(unverified, proofs.get(bundleHash(unverified))!)
    assert.equal(await status(unverified), BundleStatus.Executed)
  })

  test('only the execution address executes, also after verification; anyone may verify', async () => {
    await verify(restricted, user)
    assert.deepEqual(await rejects(execute(restricted, emptyProof, user), 'NotExecutionAddress'), [user.address, stranger.address])
    await execute(restricted, emptyProof, stranger)
    assert.equal(await status(restricted), BundleStatus.Executed)
  })

  test('nobody unbundles a bundle without unbundler', async () => {
    await verify(noUnbundler)
    assert.deepEqual(await rejects(unbundle(noUnbundler, [1, 1, 1]), 'NotUnbundler'), [unbundler.address, ZERO])
  })

  test('a failing call reverts the whole unbundle and changes no status', async () => {
    await verify(failing)
    await chain.write(deployer.privateKey, { address: recipients[1]!, abi: c.standardRecipientAbi, functionName: 'setFail', args: [true] })
    try {
      const args = await rejects(unbundle(failing, [CallDecision.Cancel, CallDecision.Execute]), 'CallFailed')
      assert.equal(args[0], 1n)
      assert.equal(await status(failing), BundleStatus.Verified)
      assert.deepEqual([await callStatus(failing, 0), await callStatus(failing, 1)], [CallStatus.Unprocessed, CallStatus.Unprocessed])
    } finally {
      await chain.write(deployer.privateKey, { address: recipients[1]!, abi: c.standardRecipientAbi, functionName: 'setFail', args: [false] })
    }
    await unbundle(failing, [CallDecision.Cancel, CallDecision.Execute])
    assert.deepEqual([await callStatus(failing, 0), await callStatus(failing, 1)], [CallStatus.Cancelled, CallStatus.Executed])
  })

  const balance = (address: Address) => chain.client.getBalance({ address })
  const valueReceived = (i: number) => read<bigint>(recipients[i]!, c.standardRecipientAbi, 'valueReceived')

  test('executing a bundle releases each call value from the holder and delivers it with the call; a failure releases nothing', async () => {
    const before = await Promise.all([0, 1, 2].map(valueReceived))
    const holderBefore = await balance(holder)
    await chain.write(deployer.privateKey, { address: recipients[2]!, abi: c.standardRecipientAbi, functionName: 'setFail', args: [true] })
    try {
      const args = await rejects(execute(valued, proofs.get(bundleHash(valued))!), 'CallFailed')
      assert.equal(args[0], 2n)
      assert.equal(await balance(holder), holderBefore, 'the atomic revert leaves the holder untouched')
      assert.equal(await status(valued), BundleStatus.Unreceived)
    } finally {
      await chain.write(deployer.privateKey, { address: recipients[2]!, abi: c.standardRecipientAbi, functionName: 'setFail', args: [false] })
    }
    const receipt = await execute(valued, proofs.get(bundleHash(valued))!)
    console.log(`executeBundle of 3 calls, 2 with value: ${receipt.gasUsed} gas`)
    assert.equal(await balance(holder), holderBefore - 3_000n)
    assert.deepEqual(await Promise.all([0, 1, 2].map(valueReceived)), [before[0]! + 1_000n, before[1]!, before[2]! + 2_000n])
    assert.equal(await balance(handler), 0n, 'the handler keeps nothing')
    assert.deepEqual(await rejects(chain.sendRaw(stranger.privateKey, { to: handler, data: '0x', value: 1n, action: 'pay the handler' }), 'NotBaseTokenHolder'), [stranger.address])
  })

  test('a bundle executed straight away reads Executed, call by call too, and cannot be executed, verified or unbundled again', async () => {
    const hash = bundleHash(direct)
    assert.equal(await status(direct), BundleStatus.Unreceived)
    const receipt = await execute(direct, proofs.get(hash)!)
    // Sent without executionGasLimit (no fee flag in its version word): no execution record follows (docs/fees.md;
    // test/contracts/fees.test.ts executes a flagged one).
    assert.deepEqual(parseEventLogs({ abi: c.interopHandlerAbi, logs: receipt.logs }).map((e) => e.eventName), ['BundleExecuted'])
    assert.equal(await status(direct), BundleStatus.Executed)
    assert.deepEqual(await Promise.all([0, 5].map((i) => callStatus(direct, i))), [CallStatus.Executed, CallStatus.Executed])
    assert.deepEqual(await rejects(execute(direct, proofs.get(hash)!), 'BundleAlreadyProcessed'), [hash, BundleStatus.Executed])
    assert.deepEqual(await rejects(execute(direct, emptyProof), 'BundleAlreadyProcessed'), [hash, BundleStatus.Executed])
    assert.deepEqual(await rejects(verify(direct), 'BundleAlreadyProcessed'), [hash, BundleStatus.Executed])
    // It was never verified: nobody may unbundle it.
    assert.deepEqual(await rejects(unbundle(direct, [1]), 'BundleNotVerified'), [hash])
  })

  test('numbers are per route: the bundle of another source chain with the same number executes; bytes claiming an executed number are refused before any proof', async () => {
    await execute(sameNumberOtherSource, proofs.get(bundleHash(sameNumberOtherSource))!)
    assert.equal(await status(sameNumberOtherSource), BundleStatus.Executed)
    assert.equal(await status(direct), BundleStatus.Executed)
    // Other bytes on chain 500's route with `direct`'s number: refused as that number's bundle, whatever the proof.
    const impostor = makeBundle({ calls: 2, number: bundleNumber(direct), proven: false })
    const before = await received(0)
    assert.deepEqual(await rejects(execute(impostor, proofs.get(bundleHash(direct))!), 'BundleAlreadyProcessed'), [bundleHash(impostor), BundleStatus.Executed])
    const verifyImpostor = chain.write(stranger.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'verifyBundle', args: [encodeBundle(impostor), proofs.get(bundleHash(direct))!] })
    assert.deepEqual(await rejects(verifyImpostor, 'BundleAlreadyProcessed'), [bundleHash(impostor), BundleStatus.Executed])
    assert.equal(await received(0), before, 'nothing delivered')
  })

  test("other bytes with a verified bundle's number are not verified: they meet the proof check, and once the bundle executes, its number is taken", async () => {
    await verify(verifiedOnly)
    assert.equal(await status(verifiedOnly), BundleStatus.Verified)
    assert.equal(await status(verifiedTwin), BundleStatus.Unreceived, 'the Verified status is the bytes\', not the number\'s')
    await rejects(execute(verifiedTwin, emptyProof), 'SenderNotInteropCenter')
    await rejects(execute(verifiedTwin, proofs.get(bundleHash(verifiedOnly))!), 'ProofRootMismatch')
    await rejects(unbundle(verifiedTwin, [1]), 'BundleNotVerified')
    await execute(verifiedOnly, emptyProof)
    assert.equal(await status(verifiedOnly), BundleStatus.Executed)
    assert.deepEqual(await rejects(execute(verifiedTwin, emptyProof), 'BundleAlreadyProcessed'), [bundleHash(verifiedTwin), BundleStatus.Executed])
  })

  test('delivers the exact payload, ERC-7930 sender and receiveId to the recipient, whatever the payload length', async () => {
    for (const b of payloadBundles) {
      await execute(b, proofs.get(bundleHash(b))!)
      const [lastPayload, lastSender, lastReceiveId] = await Promise.all(['lastPayload', 'lastSender', 'lastReceiveId'].map((name) => read<Hex>(recipients[0]!, c.standardRecipientAbi, name)))
      assert.deepEqual([lastPayload, lastSender, lastReceiveId], [b.calls[0]!.data, formatInteroperableAddress({ chainId: SOURCE_CHAIN, address: user.address }), receiveId(bundleHash(b), 0n)], `${(b.calls[0]!.data.length - 2) / 2}-byte payload`)
    }
  })

  test('a recipient that does not return the receiveMessage selector fails the call (InvalidRecipientReturn), and only the handler delivers', async () => {
    for (const [i, b] of toBadRecipients.entries()) {
      const [callIndex, reason] = await rejects(execute(b, proofs.get(bundleHash(b))!), 'CallFailed')
      assert.equal(callIndex, 0n)
      assert.equal(reason, encodeErrorResult({ abi: c.interopCenterAbi, errorName: 'InvalidRecipientReturn', args: [badRecipients[i]!.to, badRecipients[i]!.returned] }))
      assert.equal(await status(b), BundleStatus.Unreceived)
    }
    const deliver = chain.write(stranger.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'deliver', args: [recipients[0]!, zeroHash, '0x', '0x'] })
    assert.deepEqual(await rejects(deliver, 'NotInteropHandler'), [stranger.address])
  })

  test('the unbundler gets the value of the calls it cancels; executed calls get theirs', async () => {
    const hash = bundleHash(valuedUnbundled)
    await verify(valuedUnbundled)
    const holderBefore = await balance(holder)
    const unbundlerBefore = await balance(unbundler.address)
    const before = await Promise.all([0, 1, 2].map(valueReceived))
    const receipt = await unbundle(valuedUnbundled, [CallDecision.Execute, CallDecision.Cancel, CallDecision.Leave])
    const released = parseEventLogs({ abi: c.interopHandlerAbi, logs: receipt.logs, eventName: 'CancelledCallValueReleased' })
    assert.deepEqual(released.map((e) => [e.args.bundleHash, e.args.callIndex, getAddress(e.args.to), e.args.value]), [[hash, 1n, unbundler.address, 20n]])
    const fee = receipt.gasUsed * receipt.effectiveGasPrice
    assert.equal(await balance(unbundler.address), unbundlerBefore - fee + 20n)
    assert.deepEqual(await Promise.all([0, 1, 2].map(valueReceived)), [before[0]! + 10n, before[1]!, before[2]!])
    assert.equal(await balance(holder), holderBefore - 30n)
    // The left call is cancelled later: its value goes to the unbundler then.
    await unbundle(valuedUnbundled, [CallDecision.Leave, CallDecision.Leave, CallDecision.Cancel])
    assert.equal(await balance(holder), holderBefore - 70n)
  })
})

describe("a private chain's blinded bundles (protocol §4.1)", () => {
  const BLINDED_SOURCE = 502n
  const blindingKey = keccak256(toHex('bank-a blinding key'))
  let bundleNumberOf = 0n
  const blindings = new Map<Hex, Hex>()
  const proofs = new Map<Hex, InteropProof>()
  const blindedBundle = (executionAddress: Address = ZERO): InteropBundle => ({
    version: INTEROP_BUNDLE_VERSION,
    sourceChainId: BLINDED_SOURCE,
    destinationChainId: BigInt(CHAIN_ID),
    salt: bundleSalt(bundleNumberOf++),
    calls: [{ to: recipients[0]!, from: user.address, value: 0n, data: '0x0b' }],
    executionAddress,
    unbundler: ZERO,
  })
  let open: InteropBundle
  let restricted: InteropBundle

  before(async () => {
    open = blindedBundle()
    restricted = blindedBundle(stranger.address)
    // Chain 502 records each bundle's blinded commitment; its batch's root alone is imported at (1, 2).
    const leaves = [open, restricted].map((b) => {
      const blinding = keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'bytes32' }], [blindingKey, bundleHash(b)]))
      blindings.set(bundleHash(b), blinding)
      return messageLeaf(center, blindedBundleCommitment(bundleHash(b), blinding))
    })
    const chains = [{ chainId: BLINDED_SOURCE, chainTreeRoot: new MerkleTree([batchLeaf(1n, new MerkleTree(leaves).root)]).root }]
    let sharedRoot: Hex | undefined
    for (const b of [open, restricted]) {
      const built = buildInteropProof({
        slChainId: 1n, slBlockNumber: 2n, messageSender: center, bundleHash: blindedBundleCommitment(bundleHash(b), blindings.get(bundleHash(b))!), sourceChainId: BLINDED_SOURCE,
        batchNumber: 1n, messageLeaves: leaves, batchMessageRoots: [new MerkleTree(leaves).root], chains,
      })
      proofs.set(bundleHash(b), built.proof)
      sharedRoot = built.sharedRoot
    }
    await chain.write(deployer.privateKey, { address: rootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRoot', args: [1n, 2n, sharedRoot!] })
  })

  const executeBlinded = (b: InteropBundle, blinding: Hex, from = stranger) =>
    chain.write(from.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'executeBlindedBundle', args: [encodeBundle(b), blinding, proofs.get(bundleHash(b))!] })

  test('executes only with its blinding: not as a plain bundle, not with another blinding, not as other bytes; then once', async () => {
    const hash = bundleHash(open)
    const blinding = blindings.get(hash)!
    const received = () => read<bigint>(recipients[0]!, c.standardRecipientAbi, 'received')
    await rejects(chain.write(stranger.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args: [encodeBundle(open), proofs.get(hash)!] }), 'ProofRootMismatch')
    await rejects(executeBlinded(open, keccak256(blinding)), 'ProofRootMismatch')
    // Other bytes with the same number and the right blinding: the commitment binds the whole bundle.
    const tampered = { ...open, calls: [{ ...open.calls[0]!, data: '0x0c' as Hex }] }
    await rejects(chain.write(stranger.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'executeBlindedBundle', args: [encodeBundle(tampered), blinding, proofs.get(hash)!] }), 'ProofRootMismatch')
    const before = await received()
    const receipt = await executeBlinded(open, blinding)
    // Executed straight away (no Verified status written, as executeBundle).
    assert.deepEqual(parseEventLogs({ abi: c.interopHandlerAbi, logs: receipt.logs }).map((e) => e.eventName).filter((n) => n.startsWith('Bundle')), ['BundleExecuted'])
    assert.equal(await received(), before + 1n)
    assert.equal(await read<number>(handler, c.interopHandlerAbi, 'bundleStatus', [encodeBundle(open)]), BundleStatus.Executed)
    assert.deepEqual(await rejects(executeBlinded(open, blinding), 'BundleAlreadyProcessed'), [hash, BundleStatus.Executed])
  })

  test('keeps the execution address: anyone may verify with the blinding, only the execution address executes', async () => {
    const hash = bundleHash(restricted)
    await rejects(executeBlinded(restricted, blindings.get(hash)!, user), 'NotExecutionAddress')
    await chain.write(user.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'verifyBlindedBundle', args: [encodeBundle(restricted), blindings.get(hash)!, proofs.get(hash)!] })
    assert.equal(await read<number>(handler, c.interopHandlerAbi, 'bundleStatus', [encodeBundle(restricted)]), BundleStatus.Verified)
    await executeBlinded(restricted, blindings.get(hash)!, stranger)
    assert.equal(await read<number>(handler, c.interopHandlerAbi, 'bundleStatus', [encodeBundle(restricted)]), BundleStatus.Executed)
  })

  test("a private chain's InteropCenter records a bundle's blinded commitment, with a blinding from a key its code does not hold; a bundle to L1 is recorded plain", async () => {
    const privateCenter = getAddress((await chain.deploy(deployer.privateKey, { abi: c.interopCenterAbi, bytecode: c.interopCenterBytecode, args: [messenger, handler, l2Router, blindingKey], action: 'deploy a private InteropCenter' })).address)
    assert.equal(await read<boolean>(privateCenter, c.interopCenterAbi, 'blindsBundles'), true)
    assert.equal(await read<boolean>(center, c.interopCenterAbi, 'blindsBundles'), false)
    assert.ok(!(await chain.client.getCode({ address: privateCenter }))!.includes(blindingKey.slice(2)))
    for (const destination of [OTHER_CHAIN, L1_CHAIN]) {
      const recipient = formatInteroperableAddress({ chainId: destination, address: recipients[0]! })
      const receipt = await chain.write(user.privateKey, { address: privateCenter, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [recipient, '0x42', []] })
      const events = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs })
      const [sent] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'MessageBundleSent' })
      const hash = sent!.args.bundleHash
      // The leaf is the MessageBundleSent (protocol §2): plain to L1, blinded by the BundleBlinded right before it otherwise.
      if (destination === L1_CHAIN) {
        assert.deepEqual(events.map((e) => e.eventName), ['MessageBundleSent', 'MessageSent'])
        continue
      }
      const [blinded] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'BundleBlinded' })
      assert.deepEqual(events.map((e) => e.eventName), ['BundleBlinded', 'MessageBundleSent', 'MessageSent'])
      const blinding = keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'bytes32' }], [blindingKey, hash]))
      assert.deepEqual([blinded!.args.bundleHash, blinded!.args.blinding], [hash, blinding])
      assert.notEqual(blindedBundleCommitment(hash, blinding), hash)
    }
  })
})
