import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import fc from 'fast-check'
import { PaymentMessageRefusedError } from '../errors/payments.js'
import { buildPacs002 } from './buildPacs002.js'
import { parsePacs002 } from './parsePacs002.js'
import { parsePacs008 } from './parsePacs008.js'
import { PAYMENT_REASON_CODES, statusReportFor } from './paymentStatus.js'

const pacs008 = parsePacs008(readFileSync(new URL('../../examples/payments/pacs008.xml', import.meta.url), 'utf8'))
const DECIDED = 1_796_000_000 // 2026-11-30T00:53:20Z

test('an ACSC report names the original message and UETR, carries no reason, and validates against the pacs.002.001.10 subset', () => {
  const xml = buildPacs002(statusReportFor(pacs008, { status: 'ACSC', decidedAt: DECIDED }))
  assert.match(xml, /<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs\.002\.001\.10">/)
  assert.match(xml, /<MsgId>STSeb6305c91f7f49deaed016487c27b42d<\/MsgId>/)
  assert.match(xml, /<CreDtTm>2026-11-30T00:53:20Z<\/CreDtTm>/)
  assert.match(xml, /<OrgnlMsgId>BKAA-20261207-000001<\/OrgnlMsgId>\s*<OrgnlMsgNmId>pacs\.008\.001\.08<\/OrgnlMsgNmId>/)
  assert.match(xml, /<OrgnlUETR>eb6305c9-1f7f-49de-aed0-16487c27b42d<\/OrgnlUETR>\s*<TxSts>ACSC<\/TxSts>\s*<\/TxInfAndSts>/)
  assert.doesNotMatch(xml, /StsRsnInf/)
  const report = parsePacs002(xml)
  assert.equal(report.status, 'ACSC')
  assert.equal(report.instructingAgent, 'BKBBGB2LXXX', 'the creditor bank reports')
  assert.equal(report.instructedAgent, 'BKAADEFFXXX', 'to the debtor bank')
})

test('a RJCT report carries its ISO reason code and its meaning, and reads back as it was written', () => {
  for (const reason of Object.keys(PAYMENT_REASON_CODES)) {
    const written = statusReportFor(pacs008, { status: 'RJCT', reason, decidedAt: DECIDED })
    const xml = buildPacs002(written)
    assert.match(xml, new RegExp(`<TxSts>RJCT</TxSts>\\s*<StsRsnInf>\\s*<Rsn>\\s*<Cd>${reason}</Cd>`))
    assert.deepEqual(parsePacs002(xml), written)
  }
})

test('a RJCT without a reason, or an ACSC with one, is not written', () => {
  assert.throws(() => buildPacs002({ ...statusReportFor(pacs008, { status: 'ACSC', decidedAt: DECIDED }), status: 'RJCT' }), PaymentMessageRefusedError)
  assert.throws(() => buildPacs002({ ...statusReportFor(pacs008, { status: 'ACSC', decidedAt: DECIDED }), reason: 'AC03' }), PaymentMessageRefusedError)
})

test('a report the subset does not accept is refused with the path of the offending element', () => {
  const xml = buildPacs002(statusReportFor(pacs008, { status: 'RJCT', reason: 'AC03', decidedAt: DECIDED }))
  const cases = [
    { xml: xml.replace('<TxSts>RJCT</TxSts>', '<TxSts>NOPE</TxSts>'), path: '/Document/FIToFIPmtStsRpt/TxInfAndSts/TxSts' },
    { xml: xml.replace('<Cd>AC03</Cd>', '<Cd>ac-3</Cd>'), path: '/Document/FIToFIPmtStsRpt/TxInfAndSts/StsRsnInf/Rsn/Cd' },
    { xml: xml.replace(/<OrgnlUETR>[^<]+<\/OrgnlUETR>/, ''), path: '/Document/FIToFIPmtStsRpt/TxInfAndSts/TxSts' },
    { xml: xml.replace('pacs.002.001.10', 'pacs.002.001.12'), path: '/Document' },
  ]
  for (const c of cases) {
    assert.throws(() => parsePacs002(c.xml), (error: unknown) => {
      assert.ok(error instanceof PaymentMessageRefusedError, String(error))
      assert.equal(error.refusal, 'schema')
      assert.equal(error.path, c.path)
      return true
    })
  }
  assert.throws(() => buildPacs002({ ...statusReportFor(pacs008, { status: 'RJCT', reason: 'AC03', decidedAt: DECIDED }), reason: 'AC003' }), (error: unknown) => error instanceof PaymentMessageRefusedError && error.path.endsWith('/Rsn/Cd'))
})

test('any report Junction writes validates and reads back unchanged (property)', () => {
  const text = (max: number) => fc.string({ minLength: 1, maxLength: max, unit: fc.constantFrom('a', 'Z', '0', '-', '&', '<', '>', '"', "'", ' ', 'é') }).filter((s) => s.trim() === s && s.length > 0)
  fc.assert(
    fc.property(
      fc.record({
        status: fc.constantFrom('ACSC' as const, 'RJCT' as const),
        reason: fc.stringMatching(/^[A-Z0-9]{4}$/),
        decidedAt: fc.integer({ min: 0, max: 4_000_000_000 }),
        messageId: text(35),
        endToEndId: text(35),
      }),
      ({ status, reason, decidedAt, messageId, endToEndId }) => {
        const message = { ...pacs008, groupHeader: { ...pacs008.groupHeader, messageId }, transaction: { ...pacs008.transaction, endToEndId } }
        const written = statusReportFor(message, { status, reason, decidedAt })
        assert.deepEqual(parsePacs002(buildPacs002(written)), written)
      },
    ),
    { seed: 20261207, numRuns: 200 },
  )
})
