// The ISO 20022 cross-border payment end to end (src/payments, contracts/payments, src/demo/paymentDemo.ts):
// a pacs.008.001.08 from bank A (on alpha) pays Bob at bank B (on beta) in one bundle; the UETR is the
// on-chain idempotency key; bad messages are refused before anything is sent.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'
import { encodeAbiParameters, keccak256, stringToBytes } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { preparePaymentDemo, readPaymentBalances, runPaymentDemo, type PaymentDemoSetup } from '../../src/demo/paymentDemo.js'
import { DuplicateUetrError, PaymentDeliveryMismatchError, PaymentMessageRefusedError } from '../../src/errors/payments.js'
import { uetrToBytes16 } from '../../src/payments/checkPayment.js'
import { getIsoPayment } from '../../src/sdk/actions/getIsoPayment.js'
import { sendIsoPayment } from '../../src/sdk/actions/sendIsoPayment.js'
import { verifyIsoPayment } from '../../src/sdk/actions/verifyIsoPayment.js'
import { JunctionIndex } from '../../src/sdk/JunctionIndex.js'
import { eventually, rejectsWith } from '../support/e2e.js'
import { getMessageStatus } from '../../src/sdk/actions/getMessageStatus.js'
import { sendBundle } from '../../src/sdk/actions/sendBundle.js'
import { runJunction } from '../support/junctionProcess.js'
import { startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let setup: PaymentDemoSetup
let index: JunctionIndex
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
  await network?.close()
})

const bankAWallet = () => walletFor(setup.a.chain, setup.a.operator.privateKey)
const nonceOfBankA = () => new ChainConnection(setup.a.chain).client.getTransactionCount({ address: setup.a.operator.address })

test('a valid pacs.008 debits Alice on alpha, moves the cash to bank B and credits Bob on beta; both chains record the UETR and the message hash', async () => {
  const result = await runPaymentDemo({ manifest: network.manifest, setup, xml: example, index, timeoutMs: 30_000 })
  assert.equal(result.uetr, EXAMPLE_UETR)
  assert.equal(result.units, 123450n)
  assert.deepEqual(result.steps.map((s) => s.name), ['validated', 'debited', 'credited', 'verified'])
  assert.deepEqual(result.after, {
    alice: result.before.alice - 123450n,
    bob: result.before.bob + 123450n,
    cashA: result.before.cashA - 123450n,
    cashB: result.before.cashB + 123450n,
  })

  const hash = keccak256(stringToBytes(example))
  const onA = await getIsoPayment(new ChainConnection(setup.a.chain).client, { paymentBank: setup.a.paymentBank, uetr: EXAMPLE_UETR })
  const onB = await getIsoPayment(new ChainConnection(setup.b.chain).client, { paymentBank: setup.b.paymentBank, uetr: EXAMPLE_UETR })
  assert.deepEqual(onA, { sent: { messageHash: hash, customer: setup.a.customer, amount: 123450n, counterpartyChainId: BigInt(setup.b.chain.chainId), bundleHash: result.bundleHash }, received: undefined })
  assert.deepEqual(onB, { sent: undefined, received: { messageHash: hash, customer: setup.b.customer, amount: 123450n, counterpartyChainId: BigInt(setup.a.chain.chainId), bundleHash: result.bundleHash } })
})

test('the same UETR again is refused: by the SDK before sending, and by the contract itself; nothing moves', async () => {
  const before = await readPaymentBalances(setup)
  const nonce = await nonceOfBankA()
  await assert.rejects(sendIsoPayment(bankAWallet(), { xml: example, directory: setup.directory, manifest: network.manifest }), DuplicateUetrError)
  // Even with another message hash, the contract keeps the UETR's first payment.
  const refused = await rejectsWith(
    new ChainConnection(setup.a.chain).write(setup.a.operator.privateKey, {
      address: setup.a.paymentBank,
      abi: c.paymentBankAbi,
      functionName: 'sendPayment',
      args: [uetrToBytes16(EXAMPLE_UETR), keccak256('0x01'), setup.a.customer, 1n, BigInt(setup.b.chain.chainId), setup.b.customer],
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

test('a payment above the debtor’s deposit, or above the bank’s cash, is refused on chain before it is sent; the UETR stays free', async () => {
  const before = await readPaymentBalances(setup)
  const aliceShort = message('50000.00') // Alice holds 10 000.00
  const bankShort = message('999999.99') // bank A holds 1 000 000.00 less what it paid
  await rejectsWith(sendIsoPayment(bankAWallet(), { xml: aliceShort, directory: setup.directory, manifest: network.manifest }), 'InsufficientBalance')
  await rejectsWith(sendIsoPayment(bankAWallet(), { xml: bankShort, directory: setup.directory, manifest: network.manifest }), 'InsufficientCash')
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
      args: [uetrToBytes16(randomUUID()), keccak256('0x'), setup.a.customer, 1n, BigInt(setup.b.chain.chainId), setup.b.customer],
    }),
    'NotOperator',
  )
})

test('`junction demo payment` sets both banks up and pays the example, printing each step with its time; `junction pay --file` pays a user\'s message or prints why it is refused', async () => {
  const dataDir = ['--data-dir', network.dataDir]
  const demo = await runJunction(['demo', 'payment', ...dataDir])
  assert.equal(demo.code, 0, `exit code 0\nstdout:\n${demo.stdout}\nstderr:\n${demo.stderr}`)
  console.log(`junction demo payment:\n${demo.stdout}`)
  for (const step of ['validated', 'debited on bank A', 'credited on bank B', 'verified by bank B']) {
    assert.match(demo.stdout, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+\\+\\s*\\d+ ms\\s+${step}\\s`, 'm'), `prints "${step}" with its time`)
  }
  assert.match(demo.stdout, /^paid: UETR eb6305c9-1f7f-49de-aed0-16487c27b42d, 1234\.50 EUR in bundle 0x[0-9a-f]{64}$/m)
  assert.match(demo.stdout, /^Alice \(Bank A, alpha\): 10000\.00 EUR → 8765\.50 EUR; Bob \(Bank B, beta\): 0\.00 EUR → 1234\.50 EUR$/m)

  const file = join(network.dataDir, 'mine.xml')
  writeFileSync(file, message('10.05'))
  const paid = await runJunction(['pay', '--file', file, ...dataDir])
  assert.equal(paid.code, 0, `exit code 0\nstdout:\n${paid.stdout}\nstderr:\n${paid.stderr}`)
  assert.match(paid.stdout, /^Alice \(Bank A, alpha\): 8765\.50 EUR → 8755\.45 EUR; Bob \(Bank B, beta\): 1234\.50 EUR → 1244\.55 EUR$/m)

  const refused = await runJunction(['pay', '--file', fileURLToPath(new URL('../../src/payments/fixtures/unknown-bic.xml', import.meta.url)), ...dataDir])
  assert.notEqual(refused.code, 0)
  assert.match(refused.stderr, /payment refused \(unknownBic\) at \/Document\/FIToFICstmrCdtTrf\/CdtTrfTxInf\/CdtrAgt\/FinInstnId\/BICFI/)
})

test('a bundle from anyone but the correspondent bank is refused on beta: nobody is credited', async () => {
  const stranger = network.manifest.accounts.users[4]!
  const uetr = randomUUID()
  const payload = encodeAbiParameters(
    [{ type: 'bytes16' }, { type: 'bytes32' }, { type: 'address' }, { type: 'uint256' }, { type: 'uint256' }],
    [uetrToBytes16(uetr), keccak256('0x01'), stranger.address, 1_000n, 0n],
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
