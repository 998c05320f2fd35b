import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { encodeAbiParameters, encodeEventTopics, parseAbi, type Hex } from 'viem'
import * as c from '../contracts/generated/index.js'
import { logDecoder } from './logDecoder.js'

const hash = `0x${'ab'.repeat(32)}` as Hex

function executedLog() {
  return { topics: encodeEventTopics({ abi: c.interopHandlerAbi, eventName: 'BundleExecuted', args: { bundleHash: hash, sourceChainId: 271n } }) as [Hex, ...Hex[]], data: '0x' as Hex }
}

describe('logDecoder', () => {
  test('decodes the events it was given and skips every other log', () => {
    const decode = logDecoder({ abi: c.interopHandlerAbi, events: ['BundleExecuted'] })
    const event = decode(executedLog())
    assert.equal(event?.eventName, 'BundleExecuted')
    assert.deepEqual(event?.args, { bundleHash: hash, sourceChainId: 271n })
    assert.equal(decode({ topics: [`0x${'00'.repeat(32)}`], data: '0x' }), undefined)
    assert.equal(decode({ topics: [], data: '0x' }), undefined)
    // The center's MessageSent is not one of them.
    const sent = encodeEventTopics({ abi: c.interopCenterAbi, eventName: 'MessageSent', args: { sendId: hash } }) as [Hex, ...Hex[]]
    assert.equal(decode({ topics: sent, data: '0x' }), undefined)
  })

  test('throws on a log of a wanted event whose data does not fit it', () => {
    const decode = logDecoder({ abi: parseAbi(['event Paid(address indexed who, uint256 amount)']) })
    const topics = encodeEventTopics({ abi: parseAbi(['event Paid(address indexed who, uint256 amount)']), eventName: 'Paid', args: { who: `0x${'11'.repeat(20)}` } }) as [Hex, ...Hex[]]
    assert.equal(decode({ topics, data: encodeAbiParameters([{ type: 'uint256' }], [5n]) })?.args.amount, 5n)
    assert.throws(() => decode({ topics, data: '0x01' }))
  })

  test('refuses an event name the ABI does not have, and two events of one topic indexed differently', () => {
    assert.throws(() => logDecoder({ abi: c.interopHandlerAbi, events: ['NoSuchEvent'] }), /no event NoSuchEvent/)
    assert.throws(() => logDecoder({ abi: parseAbi(['event Paid(address indexed who, uint256 amount)', 'event Paid(address who, uint256 indexed amount)']) }), /share topic/)
  })
})
