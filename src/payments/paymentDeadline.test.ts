import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import fc from 'fast-check'
import { PaymentMessageRefusedError } from '../errors/payments.js'
import { parsePacs008 } from './parsePacs008.js'
import { DEFAULT_PAYMENT_DEADLINE_SECONDS, paymentDeadline } from './paymentDeadline.js'

const example = readFileSync(new URL('../../examples/payments/pacs008.xml', import.meta.url), 'utf8')
/** The example with `SttlmTmReq/RjctTm` (and, optionally, another settlement date or none). */
const withRejectTime = (rejectTime: string, settlementDate: string | null = '2026-12-07') => {
  const dated = settlementDate === null ? example.replace(/\s*<IntrBkSttlmDt>[^<]*<\/IntrBkSttlmDt>/, '') : example.replace(/<IntrBkSttlmDt>[^<]*</, `<IntrBkSttlmDt>${settlementDate}<`)
  return dated.replace('<ChrgBr>', `<SttlmTmReq><RjctTm>${rejectTime}</RjctTm></SttlmTmReq>\n      <ChrgBr>`)
}

test('a message without RjctTm gets the default deadline after its sending', () => {
  assert.deepEqual(paymentDeadline(parsePacs008(example), { sentAt: 1_796_000_000n }), { deadline: 1_796_000_000n + BigInt(DEFAULT_PAYMENT_DEADLINE_SECONDS), source: 'default' })
  assert.equal(DEFAULT_PAYMENT_DEADLINE_SECONDS, 3600)
})

test('RjctTm names the deadline on the settlement date, an offset applied, no offset read as UTC, a fraction dropped', () => {
  const at = (xml: string) => paymentDeadline(parsePacs008(xml), { sentAt: 0n })
  assert.deepEqual(at(withRejectTime('16:00:00Z')), { deadline: BigInt(Date.UTC(2026, 11, 7, 16) / 1000), source: 'rejectTime' })
  assert.equal(at(withRejectTime('16:00:00+01:00')).deadline, BigInt(Date.UTC(2026, 11, 7, 15) / 1000))
  assert.equal(at(withRejectTime('16:00:00')).deadline, BigInt(Date.UTC(2026, 11, 7, 16) / 1000))
  assert.equal(at(withRejectTime('16:00:00.750Z')).deadline, BigInt(Date.UTC(2026, 11, 7, 16) / 1000))
  // Without IntrBkSttlmDt: the date written in CreDtTm (2026-12-07T00:30:00Z).
  assert.equal(at(withRejectTime('23:59:59Z', null)).deadline, BigInt(Date.UTC(2026, 11, 7, 23, 59, 59) / 1000))
})

test('an RjctTm that is not a time is refused by the schema with its path', () => {
  assert.throws(() => parsePacs008(withRejectTime('4pm')), (error: unknown) => {
    assert.ok(error instanceof PaymentMessageRefusedError)
    assert.equal(error.refusal, 'schema')
    assert.match(error.path, /SttlmTmReq\/RjctTm$/)
    return true
  })
})

test('any moment written as IntrBkSttlmDt and RjctTm (UTC) comes back as that deadline', () => {
  const early = Date.UTC(2000, 0, 1) / 1000
  const late = Date.UTC(2099, 11, 31) / 1000
  fc.assert(
    fc.property(fc.integer({ min: early, max: late }), (seconds) => {
      const iso = new Date(seconds * 1000).toISOString()
      const xml = withRejectTime(`${iso.slice(11, 19)}Z`, iso.slice(0, 10))
      assert.deepEqual(paymentDeadline(parsePacs008(xml), { sentAt: 0n }), { deadline: BigInt(seconds), source: 'rejectTime' })
    }),
    { seed: 15, numRuns: 60 },
  )
})
