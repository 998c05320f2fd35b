// The ISO 20022 cross-border payment end to end (src/payments, contracts/payments, src/demo/paymentDemo.ts):
// a pacs.008.001.08 from bank A (on alpha) pays Bob at bank B (on beta) in one bundle that carries the XML;
// bank B answers on chain (the pacs.002: ACSC, or RJCT with an ISO reason code and the cash sent back, bank A
// re-crediting the debtor: FF01 for a message that is not the one paid, AB05 after the deadline); the UETR is
// the on-chain idempotency key; bad messages are refused before anything is sent.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'
import { encodeAbiParameters, erc20Abi, keccak256, stringToBytes, stringToHex, type Address } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { DEMO_CLOSED_ACCOUNT, preparePaymentDemo, readPaymentBalances, runPaymentDemo, type PaymentDemoBank, type PaymentDemoSetup } from '../../src/demo/paymentDemo.js'
import { ContractRevertedError } from '../../src/errors/ContractRevertedError.js'
import { DuplicateUetrError, PaymentDeliveryMismatchError, PaymentMessageRefusedError, PaymentRejectedError } from '../../src/errors/payments.js'
import { parsePacs002 } from '../../src/payments/parsePacs002.js'
import { getPaymentStatusReport } from '../../src/sdk/actions/getPaymentStatusReport.js'
import { uetrToBytes16 } from '../../src/payments/checkPayment.js'
import { getIsoPayment } from '../../src/sdk/actions/getIsoPayment.js'
import { getIsoPaymentMessage } from '../../src/sdk/actions/getIsoPaymentMessage.js'
import { NetworkServices } from '../../src/services/NetworkServices.js'
import { sendIsoPayment } from '../../src/sdk/actions/sendIsoPayment.js'
import { verifyIsoPayment } from '../../src/sdk/actions/verifyIsoPayment.js'
import { JunctionIndex } from '../../src/sdk/JunctionIndex.js'
import { eventually, rejectsWith, sleep } from '../support/e2e.js'
import { getMessageStatus } from '../../src/sdk/actions/getMessageStatus.js'
import { sendBundle } from '../../src/sdk/actions/sendBundle.js'
import { runJunction } from '../support/junctionProcess.js'
import { startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let setup: PaymentDemoSetup
let index: JunctionIndex
let services: NetworkServices | undefined
const example = readFileSync(new URL('../../examples/payments/pacs008.xml', import.meta.url), 'utf8')
const fixture = (name: string) => readFileSync(new URL(`../../src/payments/fixtures/${name}`, import.meta.url), 'utf8')
const EXAMPLE_UETR = 'eb6305c9-1f7f-49de-aed0-16487c27b42d'
/** The example message under a fresh UETR (and, optionally, another amount). */
const message = (amount = '1234.50') => example.replace(EXAMPLE_UETR, randomUUID()).replace('>1234.50<', `>${amount}<`)

before(async () => {
  network = await startTestNetwork()
  index = new JunctionIndex(network.manifest)
  setup = await preparePaymentDemo({ manifest: network.manifest, debtorChain: 'alpha', creditorChain: 'beta' })
})
after(async () => {
  await services?.stop()
  await network?.close()
})

const bankAWallet = () => walletFor(setup.a.chain, setup.a.operator.privateKey)
const depositOf = (bank: PaymentDemoBank, holder: Address) => new ChainConnection(bank.chain).client.readContract({ address: bank.depositToken, abi: erc20Abi, functionName: 'balanceOf', args: [holder] })
const heldDebits = () => new ChainConnection(setup.a.chain).client.readContract({ address: setup.a.paymentBank, abi: c.paymentBankAbi, functionName: 'heldDebits' })
const nonceOfBankA = () => new ChainConnection(setup.a.chain).client.getTransactionCount({ address: setup.a.operator.address })

test('a valid pacs.008 debits Alice on alpha, moves the cash to bank B and credits Bob on beta; both chains record the UETR and the message hash', async () => {
  const result = await runPaymentDemo({ manifest: network.manifest, setup, xml: example, index, timeoutMs: 30_000 })
  assert.equal(result.uetr, EXAMPLE_UETR)
  assert.equal(result.units, 123450n)
  assert.deepEqual(result.steps.map((s) => s.name), ['validated', 'debited', 'credited', 'answered', 'verified'])
  assert.equal(result.status, 'ACSC')
  assert.deepEqual(result.after, {
    alice: result.before.alice - 123450n,
    bob: result.before.bob + 123450n,
    cashA: result.before.cashA - 123450n,
    cashB: result.before.cashB + 123450n,
  })

  const hash = keccak256(stringToBytes(example))
  const onA = await getIsoPayment(new ChainConnection(setup.a.chain).client, { paymentBank: setup.a.paymentBank, uetr: EXAMPLE_UETR })
  const onB = await getIsoPayment(new ChainConnection(setup.b.chain).client, { paymentBank: setup.b.paymentBank, uetr: EXAMPLE_UETR })
  const decidedAt = onB.received?.decidedAt
  assert.ok(decidedAt !== undefined && decidedAt > 0, 'bank B recorded when it decided')
  const deadline = onA.sent?.deadline ?? 0n
  assert.ok(deadline > BigInt(decidedAt) && deadline <= BigInt(decidedAt) + 3600n, 'no RjctTm: the deadline is an hour after bank A sent it')
  const answered = { status: 'accepted' as const, reason: undefined, decidedAt, answerBundleHash: result.answerBundleHash, deadline }
  assert.deepEqual(onA, { sent: { messageHash: hash, customer: setup.a.customer, amount: 123450n, counterpartyChainId: BigInt(setup.b.chain.chainId), bundleHash: result.bundleHash, ...answered }, received: undefined })
  assert.deepEqual(onB, { sent: undefined, received: { messageHash: hash, customer: setup.b.customer, amount: 123450n, counterpartyChainId: BigInt(setup.a.chain.chainId), bundleHash: result.bundleHash, ...answered } })
  assert.equal(await heldDebits(), 0n, 'bank A holds no debit once the answer arrived')
  // The XML came with the bundle: bank B's chain has it, as sent.
  const delivered = await getIsoPaymentMessage(new ChainConnection(setup.b.chain).client, { paymentBank: setup.b.paymentBank, uetr: EXAMPLE_UETR })
  assert.equal(delivered?.xml, example)
  assert.equal(delivered?.messageHash, hash)

  // The pacs.002 bank A holds: valid against the pacs.002.001.10 subset, built from the record on its chain.
  const report = parsePacs002(result.statusReport)
  assert.deepEqual(
    { status: report.status, reason: report.reason, uetr: report.uetr, originalMessageId: report.originalMessageId, originalMessageNameId: report.originalMessageNameId, createdAt: report.createdAt, from: report.instructingAgent, to: report.instructedAgent },
    { status: 'ACSC', reason: undefined, uetr: EXAMPLE_UETR, originalMessageId: 'BKAA-20261207-000001', originalMessageNameId: 'pacs.008.001.08', createdAt: new Date(decidedAt * 1000).toISOString().replace('.000Z', 'Z'), from: 'BKBBGB2LXXX', to: 'BKAADEFFXXX' },
  )
  // Bank B builds the same report from its own record.
  const fromB = await getPaymentStatusReport(new ChainConnection(setup.b.chain).client, { xml: example, directory: setup.directory, manifest: network.manifest, bank: 'creditor' })
  assert.equal(fromB.xml, result.statusReport)
})

test('bank B rejects a payment to an account it does not hold (RJCT AC03): the cash comes back, Alice is re-credited, every balance is where it was', async () => {
  const rejectedExample = readFileSync(new URL('../../examples/payments/pacs008-rejected.xml', import.meta.url), 'utf8')
  const carol = setup.directory.banks[1]!.accounts[DEMO_CLOSED_ACCOUNT]!
  const carolBefore = await depositOf(setup.b, carol)
  const result = await runPaymentDemo({ manifest: network.manifest, setup, xml: rejectedExample, index, timeoutMs: 30_000 })
  assert.deepEqual(result.steps.map((s) => s.name), ['validated', 'debited', 'rejected', 'answered'])
  assert.equal(result.status, 'RJCT')
  assert.equal(result.reason, 'AC03')
  assert.deepEqual(result.after, result.before, 'debtor, creditor and both banks\' cash are back where they were')
  assert.equal(await depositOf(setup.b, carol), carolBefore, 'Carol was not credited')
  assert.equal(await heldDebits(), 0n)

  const uetr = '3f1c2a9e-7b4d-4e21-9c3a-5d8e6f70a1b2'
  const onA = await getIsoPayment(new ChainConnection(setup.a.chain).client, { paymentBank: setup.a.paymentBank, uetr })
  const onB = await getIsoPayment(new ChainConnection(setup.b.chain).client, { paymentBank: setup.b.paymentBank, uetr })
  assert.equal(onA.sent?.status, 'rejected')
  assert.equal(onA.sent?.reason, 'AC03')
  assert.equal(onB.received?.status, 'rejected')
  assert.equal(onB.received?.reason, 'AC03')
  assert.equal(onA.sent?.answerBundleHash, result.answerBundleHash)
  const report = parsePacs002(result.statusReport)
  assert.equal(report.status, 'RJCT')
  assert.equal(report.reason, 'AC03')
  assert.match(report.additionalInformation ?? '', /Invalid creditor account/)
  // The UETR stays taken: the same message again is a duplicate, refused before sending.
  await assert.rejects(sendIsoPayment(bankAWallet(), { xml: rejectedExample, directory: setup.directory, manifest: network.manifest }), DuplicateUetrError)
})

test('bank B rejects a payment to a blocked account (AC06) and one above its incoming limit (AM02); nothing moves, and Bob is paid again once it lifts both', async () => {
  const b = new ChainConnection(setup.b.chain)
  const setAccount = (state: number) => b.write(setup.b.operator.privateKey, { address: setup.b.paymentBank, abi: c.paymentBankAbi, functionName: 'setAccount', args: [setup.b.customer, state] })
  const setLimit = (units: bigint) => b.write(setup.b.operator.privateKey, { address: setup.b.paymentBank, abi: c.paymentBankAbi, functionName: 'setMaxIncomingAmount', args: [units] })
  await setAccount(2) // Blocked
  const blocked = await runPaymentDemo({ manifest: network.manifest, setup, xml: message('12.00'), index, timeoutMs: 30_000 })
  assert.deepEqual([blocked.status, blocked.reason], ['RJCT', 'AC06'])
  assert.deepEqual(blocked.after, blocked.before)
  await setAccount(1) // Open
  await setLimit(50_000n) // 500.00 EUR
  const tooLarge = await runPaymentDemo({ manifest: network.manifest, setup, xml: message('500.01'), index, timeoutMs: 30_000 })
  assert.deepEqual([tooLarge.status, tooLarge.reason], ['RJCT', 'AM02'])
  assert.deepEqual(tooLarge.after, tooLarge.before)
  const atLimit = await runPaymentDemo({ manifest: network.manifest, setup, xml: message('500.00'), index, timeoutMs: 30_000 })
  assert.equal(atLimit.status, 'ACSC')
  assert.equal(atLimit.after.bob, atLimit.before.bob + 50_000n)
  await setLimit(0n)
})

test('a status answer from anyone but the correspondent bank is refused on alpha: the held debit stays held, nobody is re-credited', async () => {
  const stranger = network.manifest.accounts.users[4]!
  const answer = encodeAbiParameters(
    [{ type: 'uint8' }, { type: 'bytes16' }, { type: 'bytes32' }, { type: 'uint8' }, { type: 'bytes4' }, { type: 'uint256' }, { type: 'uint256' }],
    [2, uetrToBytes16(EXAMPLE_UETR), keccak256(stringToBytes(example)), 3, stringToHex('AC03', { size: 4 }), 1n, 0n],
  )
  const before = await readPaymentBalances(setup)
  const { bundleHash } = await sendBundle(walletFor(setup.b.chain, stranger.privateKey), {
    destinationChainId: setup.a.chain.chainId,
    calls: [{ to: setup.a.paymentBank, data: answer }],
    interopCenter: network.manifest.l2Contracts.interopCenter,
  })
  const failure = await eventually(`bundle ${bundleHash} refused on alpha`, async () => {
    const status = await getMessageStatus(index, { bundleHash })
    assert.notEqual(status.status, 'executed', 'the forged answer executed')
    return status.status === 'failed' ? status.failure : undefined
  }, { timeoutMs: 30_000 })
  assert.match(failure ?? '', /UntrustedBank/)
  assert.equal((await getIsoPayment(new ChainConnection(setup.a.chain).client, { paymentBank: setup.a.paymentBank, uetr: EXAMPLE_UETR })).sent?.status, 'accepted')
  assert.deepEqual(await readPaymentBalances(setup), before)
})

test('the same UETR again is refused: by the SDK before sending, and by the contract itself; nothing moves', async () => {
  const before = await readPaymentBalances(setup)
  const nonce = await nonceOfBankA()
  await assert.rejects(sendIsoPayment(bankAWallet(), { xml: example, directory: setup.directory, manifest: network.manifest }), DuplicateUetrError)
  // Even with another message, the contract keeps the UETR's first payment.
  const refused = await rejectsWith(
    new ChainConnection(setup.a.chain).write(setup.a.operator.privateKey, {
      address: setup.a.paymentBank,
      abi: c.paymentBankAbi,
      functionName: 'sendPayment',
      args: [uetrToBytes16(EXAMPLE_UETR), setup.a.customer, 1n, BigInt(setup.b.chain.chainId), setup.b.customer, 4_000_000_000n, stringToHex(message())],
    }),
    'DuplicateUetr',
  )
  assert.deepEqual(refused.errorArgs, [uetrToBytes16(EXAMPLE_UETR), keccak256(stringToBytes(example))], 'names the UETR and the message it paid')
  assert.equal(await nonceOfBankA(), nonce, 'no transaction was mined')
  assert.deepEqual(await readPaymentBalances(setup), before)
})

test('bad messages are refused with the path of the offending element, and nothing is sent', async () => {
  const before = await readPaymentBalances(setup)
  const nonce = await nonceOfBankA()
  const cases = [
    { xml: fixture('malformed.xml'), refusal: 'malformed' },
    { xml: fixture('uetr-not-v4.xml'), refusal: 'schema', path: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/UETR' },
    { xml: fixture('unknown-bic.xml'), refusal: 'unknownBic', path: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/CdtrAgt/FinInstnId/BICFI' },
    { xml: fixture('unknown-currency.xml'), refusal: 'currency', path: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt/@Ccy' },
    { xml: fixture('too-many-decimals.xml'), refusal: 'precision', path: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt' },
    { xml: fixture('unknown-creditor-account.xml'), refusal: 'unknownAccount', path: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/CdtrAcct/Id/IBAN' },
  ]
  for (const c of cases) {
    await assert.rejects(sendIsoPayment(bankAWallet(), { xml: c.xml, directory: setup.directory, manifest: network.manifest }), (error: unknown) => {
      assert.ok(error instanceof PaymentMessageRefusedError, String(error))
      assert.equal(error.refusal, c.refusal)
      if (c.path) assert.equal(error.path, c.path)
      return true
    })
  }
  // A valid message signed on the wrong chain (bank B's) is refused too.
  await assert.rejects(sendIsoPayment(walletFor(setup.b.chain, setup.a.operator.privateKey), { xml: message(), directory: setup.directory, manifest: network.manifest }), /the debtor bank BKAADEFFXXX is on alpha/)
  assert.equal(await nonceOfBankA(), nonce, 'no transaction was sent')
  assert.deepEqual(await readPaymentBalances(setup), before, 'no balance moved')
})

test('a payment above the debtor’s deposit, or above the bank’s cash, is refused on chain before it is sent with a pacs.002 RJCT AM04; the UETR stays free', async () => {
  const before = await readPaymentBalances(setup)
  const aliceShort = message('50000.00') // Alice holds 10 000.00
  const bankShort = message('999999.99') // bank A holds 1 000 000.00 less what it paid
  for (const [xml, revert] of [[aliceShort, 'InsufficientBalance'], [bankShort, 'InsufficientCash']] as const) {
    await assert.rejects(sendIsoPayment(bankAWallet(), { xml, directory: setup.directory, manifest: network.manifest }), (error: unknown) => {
      assert.ok(error instanceof PaymentRejectedError, String(error))
      assert.equal(error.reasonCode, 'AM04')
      assert.ok(error.cause instanceof ContractRevertedError && error.cause.errorName === revert, `caused by ${revert}`)
      const report = parsePacs002(error.statusReport)
      assert.deepEqual([report.status, report.reason, report.instructingAgent, report.instructedAgent], ['RJCT', 'AM04', 'BKAADEFFXXX', undefined])
      return true
    })
  }
  assert.deepEqual(await readPaymentBalances(setup), before)
  for (const xml of [aliceShort, bankShort]) {
    const uetr = /<UETR>([^<]+)</.exec(xml)![1]!
    assert.deepEqual(await getIsoPayment(new ChainConnection(setup.a.chain).client, { paymentBank: setup.a.paymentBank, uetr }), { sent: undefined, received: undefined })
  }
})

test('bank B refuses a delivered message that is not the one paid (altered XML, same UETR)', async () => {
  const altered = example.replace('Invoice 2026-0042</Ustrd>', 'Invoice 2026-0043</Ustrd>')
  await assert.rejects(verifyIsoPayment(new ChainConnection(setup.b.chain).client, { xml: altered, directory: setup.directory, manifest: network.manifest }), (error: unknown) => {
    assert.ok(error instanceof PaymentDeliveryMismatchError)
    assert.match(error.reason, /message hash/)
    return true
  })
  // And one never paid at all.
  await assert.rejects(verifyIsoPayment(new ChainConnection(setup.b.chain).client, { xml: message(), directory: setup.directory, manifest: network.manifest }), PaymentDeliveryMismatchError)
})

test('only the chain’s InteropCenter delivers to a PaymentBank; only the bank sends from it', async () => {
  const b = new ChainConnection(setup.b.chain)
  await rejectsWith(b.write(setup.b.operator.privateKey, { address: setup.b.paymentBank, abi: c.paymentBankAbi, functionName: 'receiveMessage', args: [keccak256('0x'), '0x', '0x'] }), 'UnauthorizedGateway')
  const a = new ChainConnection(setup.a.chain)
  await rejectsWith(
    a.write(network.manifest.accounts.users[2]!.privateKey, {
      address: setup.a.paymentBank,
      abi: c.paymentBankAbi,
      functionName: 'sendPayment',
      args: [uetrToBytes16(randomUUID()), setup.a.customer, 1n, BigInt(setup.b.chain.chainId), setup.b.customer, 4_000_000_000n, stringToHex(message())],
    }),
    'NotOperator',
  )
})

test('`junction demo payment` sets both banks up and pays the example, printing both messages and each step with its time; `junction payment send` (alias `pay --file`) pays a user\'s message, prints the RJCT of a rejected one, or why it is refused', async () => {
  const dataDir = ['--data-dir', network.dataDir]
  const demo = await runJunction(['demo', 'payment', ...dataDir])
  assert.equal(demo.code, 0, `exit code 0\nstdout:\n${demo.stdout}\nstderr:\n${demo.stderr}`)
  console.log(`junction demo payment:\n${demo.stdout}`)
  for (const step of ['validated', 'debited on bank A', 'credited on bank B', 'pacs.002 at bank A', 'verified by bank B']) {
    assert.match(demo.stdout, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+\\+\\s*\\d+ ms\\s+${step}\\s`, 'm'), `prints "${step}" with its time`)
  }
  assert.match(demo.stdout, /^paid: UETR eb6305c9-1f7f-49de-aed0-16487c27b42d, 1234\.50 EUR in bundle 0x[0-9a-f]{64}$/m)
  assert.match(demo.stdout, /^pacs\.008 in:\n<\?xml[\s\S]*<UETR>eb6305c9-1f7f-49de-aed0-16487c27b42d<\/UETR>/m, 'prints the pacs.008')
  assert.match(demo.stdout, /^pacs\.002 out[^\n]*\n<\?xml[\s\S]*<TxSts>ACSC<\/TxSts>/m, 'prints the pacs.002')
  assert.match(demo.stdout, /^Alice \(Bank A, alpha\): 10000\.00 EUR → 8765\.50 EUR; Bob \(Bank B, beta\): 0\.00 EUR → 1234\.50 EUR$/m)
  // What bank A would pay on its chain, where it signs, for the payment's delivery on bank B's (docs/fees.md).
  assert.match(demo.stdout, /^fee quote: Bank A on alpha → beta: \d+(\.\d+)? ETH paid on alpha for [\d,]+ gas of execution on beta/m)

  const file = join(network.dataDir, 'mine.xml')
  writeFileSync(file, message('10.05'))
  const paid = await runJunction(['pay', '--file', file, ...dataDir])
  assert.equal(paid.code, 0, `exit code 0\nstdout:\n${paid.stdout}\nstderr:\n${paid.stderr}`)
  assert.match(paid.stdout, /^Alice \(Bank A, alpha\): 8765\.50 EUR → 8755\.45 EUR; Bob \(Bank B, beta\): 1234\.50 EUR → 1244\.55 EUR$/m)

  const rejected = await runJunction(['payment', 'send', fileURLToPath(new URL('../../examples/payments/pacs008-rejected.xml', import.meta.url)), ...dataDir])
  assert.equal(rejected.code, 3, `exit code 3 (RJCT)\nstdout:\n${rejected.stdout}\nstderr:\n${rejected.stderr}`)
  assert.match(rejected.stdout, /<TxSts>RJCT<\/TxSts>\s*<StsRsnInf>\s*<Rsn>\s*<Cd>AC03<\/Cd>/)
  assert.match(rejected.stdout, /^Alice \(Bank A, alpha\): 8755\.45 EUR → 8755\.45 EUR; Bob \(Bank B, beta\): 1244\.55 EUR → 1244\.55 EUR$/m)

  const refused = await runJunction(['pay', '--file', fileURLToPath(new URL('../../src/payments/fixtures/unknown-bic.xml', import.meta.url)), ...dataDir])
  assert.notEqual(refused.code, 0)
  assert.match(refused.stderr, /payment refused \(unknownBic\) at \/Document\/FIToFICstmrCdtTrf\/CdtTrfTxInf\/CdtrAgt\/FinInstnId\/BICFI/)
})

test('a bundle from anyone but the correspondent bank is refused on beta: nobody is credited', async () => {
  const stranger = network.manifest.accounts.users[4]!
  const uetr = randomUUID()
  const forged = example.replace(EXAMPLE_UETR, uetr)
  const payload = encodeAbiParameters(
    [{ type: 'uint8' }, { type: 'bytes16' }, { type: 'bytes32' }, { type: 'address' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'bytes' }],
    [1, uetrToBytes16(uetr), keccak256(stringToBytes(forged)), stranger.address, 1_000n, 0n, 4_000_000_000n, stringToHex(forged)],
  )
  const { bundleHash } = await sendBundle(walletFor(setup.a.chain, stranger.privateKey), {
    destinationChainId: setup.b.chain.chainId,
    calls: [{ to: setup.b.paymentBank, data: payload }],
    interopCenter: network.manifest.l2Contracts.interopCenter,
  })
  const failure = await eventually(`bundle ${bundleHash} refused on beta`, async () => {
    const status = await getMessageStatus(index, { bundleHash })
    assert.notEqual(status.status, 'executed', 'the forged payment executed')
    return status.status === 'failed' ? status.failure : undefined
  }, { timeoutMs: 30_000 })
  assert.match(failure ?? '', /UntrustedBank/)
  assert.deepEqual(await getIsoPayment(new ChainConnection(setup.b.chain).client, { paymentBank: setup.b.paymentBank, uetr }), { sent: undefined, received: undefined })
  const credited = await new ChainConnection(setup.b.chain).client.readContract({ address: setup.b.depositToken, abi: c.depositTokenAbi, functionName: 'balanceOf', args: [stranger.address] })
  assert.equal(credited, 0n)
})

test('bank B answers RJCT FF01 to a message that does not name the UETR paid (sent by bank A\'s operator past the SDK): the cash comes back and Alice is re-credited', async () => {
  const before = await readPaymentBalances(setup)
  const uetr = randomUUID()
  const a = new ChainConnection(setup.a.chain)
  const now = (await a.client.getBlock({ blockTag: 'latest' })).timestamp
  await a.write(setup.a.operator.privateKey, {
    address: setup.a.paymentBank,
    abi: c.paymentBankAbi,
    functionName: 'sendPayment',
    args: [uetrToBytes16(uetr), setup.a.customer, 700n, BigInt(setup.b.chain.chainId), setup.b.customer, now + 3600n, stringToHex(message())],
  })
  const sent = await eventually(`bank B's answer to ${uetr} on alpha`, async () => {
    const { sent } = await getIsoPayment(a.client, { paymentBank: setup.a.paymentBank, uetr })
    return sent?.status === 'rejected' ? sent : undefined
  }, { timeoutMs: 30_000 })
  assert.equal(sent.reason, 'FF01')
  const { received } = await getIsoPayment(new ChainConnection(setup.b.chain).client, { paymentBank: setup.b.paymentBank, uetr })
  assert.deepEqual([received?.status, received?.reason], ['rejected', 'FF01'])
  assert.deepEqual(await readPaymentBalances(setup), before, 'nothing lost, nobody credited')
})

test('a payment delivered after its RjctTm is answered RJCT AB05 (the relayer down through the deadline): the cash comes back, Alice is re-credited', async () => {
  const a = new ChainConnection(setup.a.chain)
  const b = new ChainConnection(setup.b.chain)
  await network.services!.stop()
  const before = await readPaymentBalances(setup)
  // RjctTm two seconds after bank A's chain time, on the settlement date of that moment (UTC).
  const deadlineAt = new Date(Number((await a.client.getBlock({ blockTag: 'latest' })).timestamp + 2n) * 1000).toISOString()
  const uetr = randomUUID()
  const xml = example
    .replace(EXAMPLE_UETR, uetr)
    .replace(/<IntrBkSttlmDt>[^<]*</, `<IntrBkSttlmDt>${deadlineAt.slice(0, 10)}<`)
    .replace('<ChrgBr>', `<SttlmTmReq><RjctTm>${deadlineAt.slice(11, 19)}Z</RjctTm></SttlmTmReq><ChrgBr>`)
  const sent = await sendIsoPayment(bankAWallet(), { xml, directory: setup.directory, manifest: network.manifest })
  assert.deepEqual(sent.deadline, { deadline: BigInt(Date.parse(deadlineAt) / 1000), source: 'rejectTime' })
  await eventually('the deadline passed', async () => {
    await sleep(250)
    return Date.now() / 1000 > Number(sent.deadline.deadline) + 1 ? true : undefined
  }, { timeoutMs: 15_000 })
  // Nothing was mined on beta meanwhile (its services are stopped): blocks now put its clock past the deadline.
  // A ZK chain's node dates its blocks from its genesis's timestamp (anvil --init), so beta's clock may lag the
  // wall clock, and alpha's, by the time its node took to start: mine until beta's own clock is past it.
  await eventually("beta's clock past the deadline", async () => {
    await b.client.request({ method: 'evm_mine', params: [] } as never)
    return (await b.client.getBlock({ blockTag: 'latest' })).timestamp > sent.deadline.deadline ? true : undefined
  }, { timeoutMs: 30_000, intervalMs: 250 })
  services = new NetworkServices({ manifest: network.manifest, dataDir: network.dataDir })
  services.start()
  const report = await getPaymentStatusReport(a.client, { xml, directory: setup.directory, manifest: network.manifest, timeoutMs: 60_000 })
  assert.deepEqual([report.status, report.report?.reason], ['RJCT', 'AB05'])
  assert.match(report.report?.additionalInformation ?? '', /Timeout/)
  const { received } = await getIsoPayment(b.client, { paymentBank: setup.b.paymentBank, uetr })
  assert.ok(received && received.decidedAt !== undefined && BigInt(received.decidedAt) > sent.deadline.deadline, 'decided after the deadline, on beta\'s clock')
  assert.deepEqual(await readPaymentBalances(setup), before, 'nothing moved')
})
