// PaymentBank's answer paths (contracts/payments, docs/payments.md) on one anvil: two banks whose chain's
// InteropCenter, L2AssetRouter and InteropHandler are a PaymentRig (contracts/test/PaymentRig.sol), so the test
// plays the proof layer and the relayer: it delivers each recorded bundle to the other bank with the chain and
// sender it came from, with or without the cash of call 0, in the order it likes, and may forge answers (and
// payments) as if the correspondent had sent them. The message's XML travels in the payment's bundle; here a
// short stand-in naming the UETR as a pacs.008 does.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { decodeAbiParameters, encodeAbiParameters, erc20Abi, hexToString, keccak256, parseEventLogs, stringToHex, toHex, type Address, type Hex, type TransactionReceipt } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import { uetrToBytes16 } from '../../src/payments/checkPayment.js'
import { getIsoPaymentMessage } from '../../src/sdk/actions/getIsoPaymentMessage.js'
import fc from 'fast-check'
import { rejectsWith } from '../../src/testing/rejectsWith.js'

const A_CHAIN = 4201n
const B_CHAIN = 4202n
const operatorA = devAccount(0)
const operatorB = devAccount(1)
const alice = devAccount(2).address
const bob = devAccount(3).address
const carol = devAccount(4).address
const Status = { None: 0, Pending: 1, Accepted: 2, Rejected: 3 } as const

let anvil: AnvilProcess
let conn: ChainConnection
let rig: Address
let cash: Address
let bankA: Address
let bankB: Address
let tokenA: Address
let tokenB: Address

type Bundle = { bundleHash: Hex; sender: Address; to: readonly Address[]; data: readonly Hex[]; cash: bigint }
const bundlesIn = (receipt: TransactionReceipt): Bundle[] =>
  parseEventLogs({ abi: c.paymentRigAbi, logs: receipt.logs, eventName: 'BundleRecorded' }).map((l) => ({ bundleHash: l.args.bundleHash, sender: l.args.sender, to: l.args.to, data: l.args.data, cash: l.args.cash }))
const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) => conn.client.readContract({ address, abi, functionName, args } as never) as Promise<T>
const balances = async () => ({
  alice: await read<bigint>(tokenA, erc20Abi, 'balanceOf', [alice]),
  bob: await read<bigint>(tokenB, erc20Abi, 'balanceOf', [bob]),
  carol: await read<bigint>(tokenB, erc20Abi, 'balanceOf', [carol]),
  cashA: await read<bigint>(cash, erc20Abi, 'balanceOf', [bankA]),
  cashB: await read<bigint>(cash, erc20Abi, 'balanceOf', [bankB]),
  heldDebits: await read<bigint>(bankA, c.paymentBankAbi, 'heldDebits'),
})
/** `sent` or `received` under the UETR: [status, reason as text]. */
const record = async (bank: Address, side: 'sent' | 'received', uetr: string) => {
  const r = await read<readonly [Hex, Address, number, Hex, number, bigint, bigint, Hex, Hex]>(bank, c.paymentBankAbi, side, [uetrToBytes16(uetr)])
  return { status: r[2], reason: r[3] === '0x00000000' ? undefined : hexToString(r[3]), amount: r[5], messageHash: r[0] }
}

/** A stand-in for the pacs.008 of payment `uetr` (what bank B checks: it names the UETR in a UETR element). */
const messageOf = (uetr: string, note = '') => `<Document><PmtId><UETR>${uetr}</UETR></PmtId>${note}</Document>`
const hashOf = (uetr: string) => keccak256(toHex(messageOf(uetr)))
/** The chain's time (seconds): deadlines are measured against block times. */
const chainTime = async () => (await conn.client.getBlock({ blockTag: 'latest' })).timestamp
/** Bank A sends a payment (deadline an hour after the chain's time unless given); resolves with its bundle (not delivered). */
async function send(uetr: string, amount: bigint, creditor: Address, options: { message?: string; deadline?: bigint } = {}) {
  const deadline = options.deadline ?? (await chainTime()) + 3600n
  const receipt = await conn.write(operatorA.privateKey, { address: bankA, abi: c.paymentBankAbi, functionName: 'sendPayment', args: [uetrToBytes16(uetr), alice, amount, B_CHAIN, creditor, deadline, toHex(options.message ?? messageOf(uetr))] })
  return bundlesIn(receipt)[0]!
}
/** A payment's payload (call 1): kind, uetr, messageHash, creditor, amount, inputCall, deadline, message. */
const PAYMENT_PAYLOAD = [{ type: 'uint8' }, { type: 'bytes16' }, { type: 'bytes32' }, { type: 'address' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'bytes' }] as const
/** Delivers the last call of `bundle` to its target, with the bundle's cash unless `withCash` is false; resolves with the bundles the delivery sent. */
async function deliver(bundle: Bundle, from: { chain: bigint; sender: Address }, options: { withCash?: boolean; bundleHash?: Hex } = {}) {
  const last = bundle.data.length - 1
  const receipt = await conn.write(operatorA.privateKey, {
    address: rig,
    abi: c.paymentRigAbi,
    functionName: 'deliver',
    args: [options.bundleHash ?? bundle.bundleHash, BigInt(last), bundle.to[last]!, from.chain, from.sender, bundle.data[last]!, options.withCash === false ? 0n : bundle.cash],
  })
  return bundlesIn(receipt)
}
const toB = (bundle: Bundle, options?: { withCash?: boolean; bundleHash?: Hex }) => deliver(bundle, { chain: A_CHAIN, sender: bankA }, options)
const toA = (bundle: Bundle, options?: { withCash?: boolean }) => deliver(bundle, { chain: B_CHAIN, sender: bankB }, options)
/** An answer as bank B would send it, for forging. */
const answer = (uetr: string, messageHash: Hex, status: number, reason: string | undefined, cashAmount = 0n): Bundle => ({
  bundleHash: keccak256(toHex(`forged ${uetr} ${status} ${reason}`)),
  sender: bankB,
  to: [bankA],
  data: [encodeAbiParameters([{ type: 'uint8' }, { type: 'bytes16' }, { type: 'bytes32' }, { type: 'uint8' }, { type: 'bytes4' }, { type: 'uint256' }, { type: 'uint256' }], [2, uetrToBytes16(uetr), messageHash, status, reason ? stringToHex(reason, { size: 4 }) : '0x00000000', 1_700_000_000n, 0n])],
  cash: cashAmount,
})

before(async () => {
  anvil = createAnvil({ chainId: 31337, port: 0, name: 'payments' })
  await anvil.start()
  conn = new ChainConnection({ chainId: 31337, name: 'payments', rpcUrl: anvil.rpcUrl })
  rig = (await conn.deploy(operatorA.privateKey, { abi: c.paymentRigAbi, bytecode: c.paymentRigBytecode, action: 'deploy PaymentRig' })).address
  cash = await read<Address>(rig, c.paymentRigAbi, 'cash')
  const deployBank = async (key: Hex, symbol: string) => {
    const { address } = await conn.deploy(key, { abi: c.paymentBankAbi, bytecode: c.paymentBankBytecode, args: [rig, rig, rig, keccak256('0x01'), `${symbol} deposit`, symbol, 2], action: `deploy PaymentBank ${symbol}` })
    return { address, token: await read<Address>(address, c.paymentBankAbi, 'depositToken') }
  }
  ;({ address: bankA, token: tokenA } = await deployBank(operatorA.privateKey, 'aEUR'))
  ;({ address: bankB, token: tokenB } = await deployBank(operatorB.privateKey, 'bEUR'))
  await conn.write(operatorA.privateKey, { address: bankA, abi: c.paymentBankAbi, functionName: 'setCorrespondent', args: [B_CHAIN, bankB] })
  await conn.write(operatorB.privateKey, { address: bankB, abi: c.paymentBankAbi, functionName: 'setCorrespondent', args: [A_CHAIN, bankA] })
  await conn.write(operatorA.privateKey, { address: rig, abi: c.paymentRigAbi, functionName: 'mintCash', args: [bankA, 1_000_000n] })
  await conn.write(operatorA.privateKey, { address: bankA, abi: c.paymentBankAbi, functionName: 'issue', args: [alice, 100_000n] })
  await conn.write(operatorB.privateKey, { address: bankB, abi: c.paymentBankAbi, functionName: 'setAccount', args: [bob, 1] })
})
after(async () => {
  await anvil?.stop()
})

test('bank A holds the debit until bank B answers ACSC; then Bob is credited and the debit settled', async () => {
  const before = await balances()
  const uetr = randomUUID()
  const bundle = await send(uetr, 1_000n, bob)
  assert.equal((await record(bankA, 'sent', uetr)).status, Status.Pending)
  assert.deepEqual(await balances(), { ...before, alice: before.alice - 1_000n, cashA: before.cashA - 1_000n, heldDebits: 1_000n })
  const [reply] = await toB(bundle)
  assert.equal(reply!.cash, 0n, 'an ACSC carries no cash')
  assert.deepEqual(await record(bankB, 'received', uetr), { status: Status.Accepted, reason: undefined, amount: 1_000n, messageHash: hashOf(uetr) })
  await toA(reply!)
  assert.equal((await record(bankA, 'sent', uetr)).status, Status.Accepted)
  assert.deepEqual(await balances(), { ...before, alice: before.alice - 1_000n, bob: before.bob + 1_000n, cashA: before.cashA - 1_000n, cashB: before.cashB + 1_000n })
})

test('bank B rejects a creditor without an open account (AC03): the answer returns the cash, Alice is re-credited, every balance is back', async () => {
  const before = await balances()
  const uetr = randomUUID()
  const [reply] = await toB(await send(uetr, 2_500n, carol))
  assert.equal(reply!.cash, 2_500n, 'the rejection sends the cash back in call 0')
  assert.deepEqual(await record(bankB, 'received', uetr), { status: Status.Rejected, reason: 'AC03', amount: 2_500n, messageHash: hashOf(uetr) })
  await toA(reply!)
  assert.deepEqual(await record(bankA, 'sent', uetr), { status: Status.Rejected, reason: 'AC03', amount: 2_500n, messageHash: hashOf(uetr) })
  assert.deepEqual(await balances(), before)
})

test('bank B answers a blocked account with AC06 and an amount above its limit with AM02', async () => {
  await conn.write(operatorB.privateKey, { address: bankB, abi: c.paymentBankAbi, functionName: 'setAccount', args: [bob, 2] })
  const blocked = randomUUID()
  await toA((await toB(await send(blocked, 10n, bob)))[0]!)
  assert.equal((await record(bankA, 'sent', blocked)).reason, 'AC06')
  await conn.write(operatorB.privateKey, { address: bankB, abi: c.paymentBankAbi, functionName: 'setAccount', args: [bob, 1] })
  await conn.write(operatorB.privateKey, { address: bankB, abi: c.paymentBankAbi, functionName: 'setMaxIncomingAmount', args: [100n] })
  const large = randomUUID()
  await toA((await toB(await send(large, 101n, bob)))[0]!)
  assert.equal((await record(bankA, 'sent', large)).reason, 'AM02')
  await conn.write(operatorB.privateKey, { address: bankB, abi: c.paymentBankAbi, functionName: 'setMaxIncomingAmount', args: [0n] })
})

test('a payment delivered twice to bank B is answered RJCT AM05 with its cash back; the first record stays, and bank A refuses the late answer', async () => {
  const uetr = randomUUID()
  const bundle = await send(uetr, 300n, bob)
  const [first] = await toB(bundle)
  await toA(first!)
  const bobAfterFirst = (await balances()).bob
  const [again] = await toB(bundle, { bundleHash: keccak256(toHex(`replay ${uetr}`)) })
  assert.equal(again!.cash, 300n)
  assert.deepEqual(await record(bankB, 'received', uetr), { status: Status.Accepted, reason: undefined, amount: 300n, messageHash: hashOf(uetr) })
  assert.equal((await balances()).bob, bobAfterFirst, 'not credited twice')
  const refused = await rejectsWith(toA(again!), 'UnexpectedAnswer')
  assert.equal(refused.errorArgs?.[2], Status.Accepted)
})

test('bank B refuses a payment whose cash did not arrive in the same bundle (the bundle fails, nothing is answered)', async () => {
  const uetr = randomUUID()
  await rejectsWith(toB(await send(uetr, 5n, bob), { withCash: false }), 'CashNotReceived')
  assert.equal((await record(bankB, 'received', uetr)).status, Status.None)
})

test('bank A refuses an answer that is not for a pending payment of that bank, names another message, lacks the returned cash, or is malformed; the debit stays held', async () => {
  const uetr = randomUUID()
  const hash = hashOf(uetr)
  await send(uetr, 700n, bob) // never delivered: pending
  const held = (await balances()).heldDebits
  await rejectsWith(toA(answer(uetr, hash, Status.Rejected, 'AC03', 0n)), 'CashNotReceived')
  await rejectsWith(toA(answer(uetr, keccak256('0x02'), Status.Accepted, undefined)), 'AnswerMismatch')
  await rejectsWith(toA(answer(uetr, hash, Status.Accepted, 'AC03')), 'MalformedMessage')
  await rejectsWith(toA(answer(uetr, hash, Status.Rejected, undefined, 700n)), 'MalformedMessage')
  await rejectsWith(toA(answer(uetr, hash, Status.Pending, undefined)), 'MalformedMessage')
  await rejectsWith(toA(answer(randomUUID(), hash, Status.Accepted, undefined)), 'UnexpectedAnswer')
  await rejectsWith(deliver(answer(uetr, hash, Status.Accepted, undefined), { chain: A_CHAIN, sender: bankB }), 'UntrustedBank')
  assert.equal((await record(bankA, 'sent', uetr)).status, Status.Pending)
  assert.equal((await balances()).heldDebits, held)
  // The right answer is taken once.
  await toA(answer(uetr, hash, Status.Rejected, 'AC03', 700n))
  assert.equal((await record(bankA, 'sent', uetr)).status, Status.Rejected)
  await rejectsWith(toA(answer(uetr, hash, Status.Rejected, 'AC03', 700n)), 'UnexpectedAnswer')
})

/** The payment `bundle` carries, with its message replaced by `message` (the hash sent stays). */
const withMessage = (bundle: Bundle, message: string): Bundle => {
  const decoded = decodeAbiParameters(PAYMENT_PAYLOAD, bundle.data[1]!)
  const data = encodeAbiParameters(PAYMENT_PAYLOAD, [decoded[0], decoded[1], decoded[2], decoded[3], decoded[4], decoded[5], decoded[6], toHex(message)])
  return { ...bundle, data: [bundle.data[0]!, data] }
}

test('the XML travels in the bundle, hashed by bank A on chain; bank B emits it and records its own hash, and getIsoPaymentMessage reads it back', async () => {
  const uetr = randomUUID()
  const message = messageOf(uetr, '<RmtInf><Ustrd>Invoice 7</Ustrd></RmtInf>')
  const deadline = (await chainTime()) + 600n
  const bundle = await send(uetr, 40n, bob, { message, deadline })
  const [, , , , , , , , , sentDeadline] = await read<readonly unknown[]>(bankA, c.paymentBankAbi, 'sent', [uetrToBytes16(uetr)])
  assert.equal(sentDeadline, deadline)
  assert.equal((await record(bankA, 'sent', uetr)).messageHash, keccak256(toHex(message)), 'the hash is computed on chain from the bytes sent')
  const decoded = decodeAbiParameters(PAYMENT_PAYLOAD, bundle.data[1]!)
  assert.equal(hexToString(decoded[7]), message, 'call 1 carries the XML')
  assert.equal(decoded[6], deadline, 'and the deadline')
  assert.equal(await getIsoPaymentMessage(conn.client, { paymentBank: bankB, uetr }), undefined, 'nothing on bank B before the delivery')
  await toA((await toB(bundle))[0]!)
  assert.equal((await record(bankB, 'received', uetr)).status, Status.Accepted)
  const delivered = await getIsoPaymentMessage(conn.client, { paymentBank: bankB, uetr })
  assert.equal(delivered?.xml, message)
  assert.equal(delivered?.messageHash, keccak256(toHex(message)))
})

test('bank B answers RJCT FF01 to a message that does not hash to the hash sent: the cash comes back, Alice is re-credited, Bob is not credited', async () => {
  const before = await balances()
  const uetr = randomUUID()
  const bundle = await send(uetr, 900n, bob)
  const altered = messageOf(uetr, '<RmtInf><Ustrd>altered</Ustrd></RmtInf>')
  const [reply] = await toB(withMessage(bundle, altered))
  assert.equal(reply!.cash, 900n, 'the rejection returns the cash')
  assert.deepEqual(await record(bankB, 'received', uetr), { status: Status.Rejected, reason: 'FF01', amount: 900n, messageHash: keccak256(toHex(altered)) })
  await toA(reply!)
  assert.deepEqual(await record(bankA, 'sent', uetr), { status: Status.Rejected, reason: 'FF01', amount: 900n, messageHash: hashOf(uetr) })
  assert.deepEqual(await balances(), before)
})

test('bank B answers RJCT FF01 to a message that names another UETR than the one paid; nothing is lost', async () => {
  const before = await balances()
  const uetr = randomUUID()
  const [reply] = await toB(await send(uetr, 75n, bob, { message: messageOf(randomUUID()) }))
  assert.equal(reply!.cash, 75n)
  assert.equal((await record(bankB, 'received', uetr)).reason, 'FF01')
  await toA(reply!)
  assert.equal((await record(bankA, 'sent', uetr)).reason, 'FF01')
  assert.deepEqual(await balances(), before)
})

test('bank B answers RJCT AB05 to a payment delivered after its deadline, ACSC to one delivered at it; the late one moves nothing', async () => {
  const before = await balances()
  const late = randomUUID()
  const onTime = randomUUID()
  const deadline = (await chainTime()) + 100n
  const lateBundle = await send(late, 60n, bob, { deadline })
  await conn.client.request({ method: 'evm_setNextBlockTimestamp', params: [toHex(deadline)] } as never)
  await toA((await toB(await send(onTime, 5n, bob, { deadline: deadline + 1n })))[0]!)
  assert.equal((await record(bankB, 'received', onTime)).status, Status.Accepted, 'delivered in the deadline\'s second: accepted')
  await conn.client.request({ method: 'evm_setNextBlockTimestamp', params: [toHex(deadline + 1n)] } as never)
  const [reply] = await toB(lateBundle)
  assert.equal(reply!.cash, 60n)
  assert.equal((await record(bankB, 'received', late)).reason, 'AB05')
  await toA(reply!)
  assert.deepEqual(await record(bankA, 'sent', late), { status: Status.Rejected, reason: 'AB05', amount: 60n, messageHash: hashOf(late) })
  assert.deepEqual(await balances(), { ...before, alice: before.alice - 5n, bob: before.bob + 5n, cashA: before.cashA - 5n, cashB: before.cashB + 5n })
})

test('bank A refuses a second payment with the same UETR, a deadline not after its block time, and an empty message; nothing is debited', async () => {
  const uetr = randomUUID()
  await send(uetr, 10n, bob)
  const before = await balances()
  const refused = await rejectsWith(send(uetr, 10n, bob, { message: messageOf(uetr, 'another') }), 'DuplicateUetr')
  assert.deepEqual(refused.errorArgs, [uetrToBytes16(uetr), hashOf(uetr)], 'names the UETR and the message it paid')
  const past = await rejectsWith(send(randomUUID(), 10n, bob, { deadline: await chainTime() }), 'DeadlinePassed')
  assert.equal(past.errorArgs?.length, 2)
  await rejectsWith(send(randomUUID(), 10n, bob, { message: '' }), 'EmptyMessage')
  assert.deepEqual(await balances(), before)
})

test('bank B\'s UETR check (PaymentMessageCheck) finds the UETR\'s canonical text in a UETR element anywhere in the message, and only there (property, seed printed on failure)', async () => {
  const { address: harness } = await conn.deploy(operatorA.privateKey, { abi: c.paymentMessageCheckHarnessAbi, bytecode: c.paymentMessageCheckHarnessBytecode, action: 'deploy PaymentMessageCheckHarness' })
  const text = (bytes: Uint8Array) => {
    const hex = Buffer.from(bytes).toString('hex')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
  const namesUetr = (message: string, uetr: string) => read<boolean>(harness, c.paymentMessageCheckHarnessAbi, 'namesUetr', [toHex(message), uetrToBytes16(uetr)])
  const seed = Number(process.env.FC_SEED ?? 1507)
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), fc.constantFrom('', 'p:'), async (paid, other, before, after, prefix) => {
      const uetr = text(paid)
      assert.equal(hexToString(await read<Hex>(harness, c.paymentMessageCheckHarnessAbi, 'uetrText', [uetrToBytes16(uetr)])), uetr, 'the canonical text, as uetrToBytes16 reads it')
      assert.equal(await namesUetr(`${before}<${prefix}UETR>${uetr}</${prefix}UETR>${after}`, uetr), true)
      const without = `${before}<${prefix}UETR>${text(other)}</${prefix}UETR>${after}`
      assert.equal(await namesUetr(without, uetr), without.includes(`UETR>${uetr}</`))
      assert.equal(await namesUetr(`${before}${uetr}${after}`, uetr), `${before}${uetr}${after}`.includes(`UETR>${uetr}</`), 'outside a UETR element it does not count')
    }),
    { seed, numRuns: 40, verbose: true },
  )
})
