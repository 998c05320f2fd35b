// Reading the bundles an InteropCenter sent from its logs (sentBundlesOf): a bundle's bytes from its
// BundleSent; a message's one-call bundle rebuilt from its MessageBundleSent and the MessageSent after it,
// checked against the announced hash. Logs built here as the contract emits them (the contract tests check
// the real InteropCenter's logs against the same function).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { encodeAbiParameters, encodeEventTopics, getAbiItem, getAddress, toHex, type Address, type Hex, type Log } from 'viem'
import * as c from '../contracts/generated/index.js'
import { SentBundleUnreadableError } from '../errors/indexer.js'
import { bundleHash, bundleSalt, buildMessageBundle, encodeBundle, encodeExecutionAddressAttribute, encodeExecutionGasLimitAttribute, encodeInteropCallValueAttribute, formatInteroperableAddress } from '../protocol/index.js'
import { sentBundlesOf } from './sentBundles.js'

const CENTER = getAddress('0x000000000000000000000000000000000001000a')
const SOURCE = 270n
const DESTINATION = 271n
const sender = getAddress('0x1111111111111111111111111111111111111111')
const to = getAddress('0x2222222222222222222222222222222222222222')
let logIndex = 0

/** A log of `event` with `args`, as the node returns it. */
function logOf(name: 'BundleSent' | 'MessageBundleSent' | 'MessageSent' | 'BundleBlinded', args: Record<string, unknown>, options: { address?: Address; tx?: Hex } = {}): Log {
  const item = getAbiItem({ abi: c.interopCenterAbi, name }) as { inputs: readonly { name: string; type: string; indexed?: boolean }[] }
  const topics = encodeEventTopics({ abi: c.interopCenterAbi, eventName: name, args } as never)
  const data = encodeAbiParameters(item.inputs.filter((input) => !input.indexed), item.inputs.filter((input) => !input.indexed).map((input) => args[input.name]) as never)
  return { address: options.address ?? CENTER, topics: topics as never, data, blockNumber: 7n, logIndex: logIndex++, transactionHash: options.tx ?? `0x${'ab'.repeat(32)}`, transactionIndex: 0, blockHash: `0x${'cd'.repeat(32)}`, removed: false }
}

/** The logs `sendMessage` emits: MessageBundleSent, then ERC-7786's MessageSent. */
function messageLogs(parameters: { payload: Hex; attributes: Hex[]; number: bigint; value?: bigint; tx?: Hex }) {
  const recipient = formatInteroperableAddress({ chainId: DESTINATION, address: to })
  const bundle = buildMessageBundle({ sourceChainId: SOURCE, sender, bundleNumber: parameters.number, recipient, payload: parameters.payload, attributes: parameters.attributes, value: parameters.value })
  const hash = bundleHash(bundle)
  const value = bundle.calls[0]!.value
  return {
    bundle,
    logs: [
      logOf('MessageBundleSent', { bundleHash: hash, destinationChainId: DESTINATION, sender, salt: bundleSalt(parameters.number) }, { tx: parameters.tx }),
      logOf('MessageSent', { sendId: hash, sender: formatInteroperableAddress({ chainId: SOURCE, address: sender }), recipient, payload: parameters.payload, value, attributes: parameters.attributes }, { tx: parameters.tx }),
    ],
  }
}

test('a BundleSent gives its bytes; a message is rebuilt from its MessageBundleSent and MessageSent; other contracts and events are skipped; order kept', () => {
  const encoded = encodeBundle({ ...buildMessageBundle({ sourceChainId: SOURCE, sender, bundleNumber: 0n, recipient: formatInteroperableAddress({ chainId: DESTINATION, address: to }), payload: '0x01', attributes: [] }) })
  const plain = logOf('BundleSent', { bundleHash: bundleHash(encoded), destinationChainId: DESTINATION, sender, bundle: encoded })
  const message = messageLogs({ payload: toHex('hello'), attributes: [encodeInteropCallValueAttribute(5n)], number: 1n, value: 5n })
  const elsewhere = logOf('BundleSent', { bundleHash: bundleHash(encoded), destinationChainId: DESTINATION, sender, bundle: encoded }, { address: getAddress('0x00000000000000000000000000000000000000ff') })
  const blinded = logOf('BundleBlinded', { bundleHash: bundleHash(message.bundle), blinding: `0x${'77'.repeat(32)}` })
  const read = sentBundlesOf([elsewhere, plain, blinded, ...message.logs], CENTER)
  assert.deepEqual(read.map((b) => [b.bundleHash, b.bundle, b.destinationChainId, b.sender]), [
    [bundleHash(encoded), encoded, DESTINATION, sender],
    [bundleHash(message.bundle), encodeBundle(message.bundle), DESTINATION, sender],
  ])
  assert.equal(read[1]!.log, message.logs[0], 'the announcing log is the MessageBundleSent')
})

test('any message (payload, value, execution address, fee flag, number) is rebuilt to the bytes the mirror builds', () => {
  const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(toHex(b)))
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }).map((b) => toHex(b)), fc.bigInt({ min: 0n, max: 2n ** 64n }), fc.option(address, { nil: undefined }), fc.boolean(), fc.bigInt({ min: 0n, max: 2n ** 40n }), (payload, value, execution, paysFee, number) => {
      const attributes = [
        ...(value === 0n ? [] : [encodeInteropCallValueAttribute(value)]),
        ...(execution === undefined ? [] : [encodeExecutionAddressAttribute({ chainId: DESTINATION, address: execution })]),
        ...(paysFee ? [encodeExecutionGasLimitAttribute(50_000n)] : []),
      ]
      const message = messageLogs({ payload, attributes, number, value })
      assert.equal(sentBundlesOf(message.logs, CENTER)[0]!.bundle, encodeBundle(message.bundle))
    }),
    { numRuns: 200, seed: 7_786 },
  )
})

test('a MessageBundleSent without its MessageSent, or with one of another send, or one whose bundle hashes otherwise, is refused by name', () => {
  const message = messageLogs({ payload: '0x42', attributes: [], number: 3n })
  assert.throws(() => sentBundlesOf([message.logs[0]!], CENTER), (error: unknown) => error instanceof SentBundleUnreadableError && /no MessageSent of the same sendId follows it/.test(error.message))
  const other = messageLogs({ payload: '0x43', attributes: [], number: 4n, tx: `0x${'ef'.repeat(32)}` })
  assert.throws(() => sentBundlesOf([message.logs[0]!, other.logs[1]!], CENTER), SentBundleUnreadableError)
  // The same sendId, another payload (a node or proxy that altered the log): the rebuilt bundle's hash differs.
  const altered = logOf('MessageSent', { sendId: bundleHash(message.bundle), sender: formatInteroperableAddress({ chainId: SOURCE, address: sender }), recipient: formatInteroperableAddress({ chainId: DESTINATION, address: to }), payload: '0x44', value: 0n, attributes: [] })
  assert.throws(() => sentBundlesOf([message.logs[0]!, altered], CENTER), (error: unknown) => error instanceof SentBundleUnreadableError && /hashes to 0x/.test(error.message))
})
