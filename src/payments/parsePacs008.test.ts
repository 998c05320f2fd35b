import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { keccak256, stringToBytes, type Address } from 'viem'
import { PaymentMessageRefusedError, type PaymentRefusal } from '../errors/payments.js'
import type { BankDirectory } from './bankDirectory.js'
import { checkPayment } from './checkPayment.js'
import { parsePacs008 } from './parsePacs008.js'

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
const valid = readFileSync(new URL('../../examples/payments/pacs008.xml', import.meta.url), 'utf8')
const alice = '0x00000000000000000000000000000000000a11ce' as Address
const bob = '0x0000000000000000000000000000000000000b0b' as Address
const directory: BankDirectory = {
  currencies: { EUR: { decimals: 2 } },
  banks: [
    { bic: 'BKAADEFFXXX', name: 'Bank A', chain: 'alpha', contracts: { EUR: '0x000000000000000000000000000000000000aaaa' }, accounts: { DE44500105175407324931: alice } },
    { bic: 'BKBBGB2L', name: 'Bank B', chain: 'beta', contracts: { EUR: '0x000000000000000000000000000000000000bbbb' }, accounts: { GB33BUKB20201555555555: bob } },
  ],
}
const TX = '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf'

/** Runs the whole check (parse, then directory) and returns the refusal. */
function refusal(xml: string): PaymentMessageRefusedError {
  try {
    checkPayment(parsePacs008(xml), directory)
  } catch (error) {
    assert.ok(error instanceof PaymentMessageRefusedError, `expected a PaymentMessageRefusedError, got ${String(error)}`)
    return error
  }
  assert.fail('the message was accepted')
}

test('a valid pacs.008 is read field by field and resolved to chain terms', () => {
  const message = parsePacs008(valid)
  assert.equal(message.hash, keccak256(stringToBytes(valid)))
  assert.deepEqual(message.groupHeader, { messageId: 'BKAA-20261207-000001', createdAt: '2026-12-07T00:30:00Z', numberOfTransactions: 1, settlementMethod: 'INDA' })
  const t = message.transaction
  assert.equal(t.uetr, 'eb6305c9-1f7f-49de-aed0-16487c27b42d')
  assert.equal(t.endToEndId, 'INVOICE-2026-0042')
  assert.deepEqual(t.amount, { value: '1234.50', currency: 'EUR' })
  assert.equal(t.chargeBearer, 'SHAR')
  assert.deepEqual(t.debtor, { name: 'Alice Example GmbH', account: 'DE44500105175407324931', accountPath: `${TX}/DbtrAcct/Id/IBAN` })
  assert.equal(t.creditorAgent.bic, 'BKBBGB2LXXX')
  assert.deepEqual(t.remittance, ['Invoice 2026-0042'])

  const instruction = checkPayment(message, directory)
  assert.equal(instruction.uetr, '0xeb6305c91f7f49deaed016487c27b42d')
  assert.equal(instruction.units, 123450n)
  assert.equal(instruction.debtor, alice)
  assert.equal(instruction.creditor, bob)
  assert.equal(instruction.debtorBank.name, 'Bank A')
  assert.equal(instruction.creditorBank.name, 'Bank B', 'an 11-character BIC ending in XXX names the 8-character BIC of its head office')
  assert.equal(instruction.creditorContract, '0x000000000000000000000000000000000000bbbb')
})

const cases: { fixture: string; refusal: PaymentRefusal; path: string; reason: RegExp }[] = [
  { fixture: 'malformed.xml', refusal: 'malformed', path: '/', reason: /expected '>'/ },
  { fixture: 'uetr-not-v4.xml', refusal: 'schema', path: `${TX}/PmtId/UETR`, reason: /pattern/ },
  { fixture: 'missing-charge-bearer.xml', refusal: 'schema', path: `${TX}/Dbtr`, reason: /Expected is one of \( SttlmTmReq, InstdAmt, ChrgBr \)/ },
  { fixture: 'missing-message-id.xml', refusal: 'schema', path: '/Document/FIToFICstmrCdtTrf/GrpHdr/CreDtTm', reason: /Expected is \( MsgId \)/ },
  { fixture: 'too-many-decimals.xml', refusal: 'precision', path: `${TX}/IntrBkSttlmAmt`, reason: /3 decimals; the token has 2/ },
  { fixture: 'unknown-bic.xml', refusal: 'unknownBic', path: `${TX}/CdtrAgt/FinInstnId/BICFI`, reason: /ZZZZGB2LXXX/ },
  { fixture: 'unknown-currency.xml', refusal: 'currency', path: `${TX}/IntrBkSttlmAmt/@Ccy`, reason: /no token maps to JPY/ },
  { fixture: 'unknown-creditor-account.xml', refusal: 'unknownAccount', path: `${TX}/CdtrAcct/Id/IBAN`, reason: /GB94BARC10201530093459/ },
]
for (const c of cases) {
  test(`refuses ${c.fixture} as ${c.refusal} at ${c.path}`, () => {
    const error = refusal(fixture(c.fixture))
    assert.equal(error.refusal, c.refusal)
    assert.equal(error.path, c.path)
    assert.match(error.reason, c.reason)
    assert.ok(error.details, 'says what to do')
  })
}

test('the line of the offending element is reported', () => {
  assert.equal(refusal(fixture('malformed.xml')).line, 23, 'the unclosed tag is on line 22; libxml2 finds it on the next')
  assert.equal(refusal(fixture('uetr-not-v4.xml')).line, 18)
})

test('refuses an element outside the schema subset rather than ignoring it', () => {
  const error = refusal(valid.replace('<ChrgBr>SHAR</ChrgBr>', '<ChrgBr>SHAR</ChrgBr><ChrgsInf><Amt Ccy="EUR">1</Amt></ChrgsInf>'))
  assert.equal(error.refusal, 'schema')
  assert.equal(error.path, `${TX}/ChrgsInf`)
})

test('refuses a message of another namespace (another message version)', () => {
  const error = refusal(valid.replace('xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"', 'xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09"'))
  assert.equal(error.refusal, 'schema')
  assert.equal(error.path, '/Document')
})

test('refuses a bad currency code, a negative amount, a second transaction count, a bad BIC as schema errors with their paths', () => {
  assert.equal(refusal(valid.replace('Ccy="EUR"', 'Ccy="eur"')).path, `${TX}/IntrBkSttlmAmt/@Ccy`)
  assert.equal(refusal(valid.replace('>1234.50<', '>-1<')).path, `${TX}/IntrBkSttlmAmt`)
  assert.equal(refusal(valid.replace('<NbOfTxs>1<', '<NbOfTxs>2<')).path, '/Document/FIToFICstmrCdtTrf/GrpHdr/NbOfTxs')
  assert.equal(refusal(valid.replace('<BICFI>BKAADEFFXXX<', '<BICFI>bkaadeff<')).path, `${TX}/DbtrAgt/FinInstnId/BICFI`)
})

test('refuses a zero amount and an unknown debtor account', () => {
  const zero = refusal(valid.replace('>1234.50<', '>0.00<'))
  assert.equal(zero.refusal, 'amount')
  assert.equal(zero.path, `${TX}/IntrBkSttlmAmt`)
  const debtor = refusal(valid.replace('<IBAN>DE44500105175407324931<', '<IBAN>DE89370400440532013000<'))
  assert.equal(debtor.refusal, 'unknownAccount')
  assert.equal(debtor.path, `${TX}/DbtrAcct/Id/IBAN`)
})

test('a currency the creditor bank has no token for is refused at the currency', () => {
  const usd: BankDirectory = { ...directory, currencies: { ...directory.currencies, USD: { decimals: 2 } }, banks: directory.banks.map((b, i) => (i === 0 ? { ...b, contracts: { ...b.contracts, USD: b.contracts.EUR! } } : b)) }
  assert.throws(() => checkPayment(parsePacs008(valid.replace('Ccy="EUR"', 'Ccy="USD"')), usd), (e: unknown) => e instanceof PaymentMessageRefusedError && e.refusal === 'currency' && /Bank B/.test(e.reason))
})
