import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { getAddress, toHex, zeroAddress, type Address } from 'viem'
import { InvalidFlowMessageError, InvalidFlowTermsError } from '../errors/flows.js'
import { checkFlowTerms, decodeFlowMessage, encodeFlowMessage, flowId, type FlowTerms } from './flow.js'

const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(toHex(b)) as Address)
const leg = fc.record({ chainId: fc.bigInt({ min: 1n, max: 2n ** 64n }), escrow: address, token: address, amount: fc.bigInt({ min: 1n, max: 2n ** 128n }), depositor: address, recipient: address })
const terms: fc.Arbitrary<FlowTerms> = fc.record({
  homeChainId: fc.bigInt({ min: 1n, max: 2n ** 64n }),
  coordinator: address,
  deadline: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
  salt: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b)),
  legs: fc.array(leg, { minLength: 2, maxLength: 8 }),
})

test('a flow message decodes to what was encoded, and the flow id changes with any field of the terms', () => {
  fc.assert(
    fc.property(terms, fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>, fc.nat(7), (t, kind, legIndex) => {
      const decoded = decodeFlowMessage(encodeFlowMessage({ kind, terms: t, legIndex: BigInt(legIndex) }))
      assert.equal(decoded.kind, kind)
      assert.equal(decoded.legIndex, BigInt(legIndex))
      assert.equal(flowId(decoded.terms), flowId(t))
      const changed = { ...t, legs: [{ ...t.legs[0]!, amount: t.legs[0]!.amount + 1n }, ...t.legs.slice(1)] }
      assert.notEqual(flowId(changed), flowId(t))
    }),
  )
})

test('refuses terms with one leg or nine, a zero amount or address, a home-chain leg not held by the coordinator, or a past deadline', () => {
  const base: FlowTerms = {
    homeChainId: 3n,
    coordinator: '0x00000000000000000000000000000000000000c0',
    deadline: 100n,
    salt: toHex(1, { size: 32 }),
    legs: [1n, 2n].map((chainId) => ({ chainId, escrow: '0x00000000000000000000000000000000000000e0' as Address, token: '0x00000000000000000000000000000000000000aa' as Address, amount: 5n, depositor: '0x0000000000000000000000000000000000000001' as Address, recipient: '0x0000000000000000000000000000000000000002' as Address })),
  }
  checkFlowTerms(base, { now: 99n })
  const refused = (t: FlowTerms, now?: bigint) => assert.throws(() => checkFlowTerms(t, now === undefined ? {} : { now }), InvalidFlowTermsError)
  refused({ ...base, legs: base.legs.slice(0, 1) })
  refused({ ...base, legs: Array(9).fill(base.legs[0]!) })
  refused({ ...base, legs: [{ ...base.legs[0]!, amount: 0n }, base.legs[1]!] })
  refused({ ...base, legs: [{ ...base.legs[0]!, recipient: zeroAddress }, base.legs[1]!] })
  refused({ ...base, legs: [{ ...base.legs[0]!, chainId: 3n }, base.legs[1]!] })
  checkFlowTerms({ ...base, legs: [{ ...base.legs[0]!, chainId: 3n, escrow: base.coordinator }, base.legs[1]!] })
  refused(base, 100n)
  assert.throws(() => decodeFlowMessage(encodeFlowMessage({ kind: 4 as never, terms: base, legIndex: 0n })), InvalidFlowMessageError)
  assert.throws(() => decodeFlowMessage('0x1234'), InvalidFlowMessageError)
})
