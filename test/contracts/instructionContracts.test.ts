// Multi-bank instructions (contracts/instructions, docs/instructions.md) on three real anvils, one per bank, each
// with an InstructionBook whose gateway is a LoopbackGateway: the test plays the proof layer and the relayer,
// delivering each book's update on its destination with its true source chain and sender, late and in whatever
// order it likes. Each bank pays its share of the instruction in a token of its own chain. Each chain has its own
// clock, which the test sets: every transaction's block timestamp is the bank's `clock` plus one.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { erc20Abi, keccak256, parseEventLogs, toHex, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import {
  INSTRUCTION_REFUSALS,
  InstructionMessageKind,
  InstructionStatus,
  InstructionVote,
  UNSEEN_INSTRUCTION_COPY,
  decodeInstructionMessage,
  encodeInstructionMessage,
  instructionId,
  localInstructionVote,
  mergeInstructionUpdate,
  parseInteroperableAddress,
  type Instruction,
  type InstructionAction,
  type InstructionCopy,
} from '../../src/protocol/index.js'
import { readInstructionCopy } from '../../src/sdk/instructionBook.js'
import { rejectsWith } from '../../src/testing/rejectsWith.js'

const CHAIN_IDS = [711n, 712n, 713n] as const
const deployer = devAccount(0)
const operators = [devAccount(1), devAccount(2), devAccount(3)]
const payee = devAccount(5)
const stranger = devAccount(6)

type Bank = { id: bigint; anvil: AnvilProcess; conn: ChainConnection; gateway: Address; book: Address; token: Address; cursor: bigint; clock: number }
type Message = { sourceChainId: bigint; sendId: Hex; sender: Address; destinationChainId: bigint; recipient: Address; payload: Hex }

const banks: Bank[] = []
const bankOn = (chainId: bigint) => banks.find((b) => b.id === chainId)!
/** Updates sent and not delivered yet, in send order. */
let pending: Message[] = []

const read = <T>(bank: Bank, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
  bank.conn.client.readContract({ address, abi, functionName, args } as never) as Promise<T>
/** Sends a transaction on `bank`'s chain in a block with timestamp `bank.clock + 1` (the bank's clock moves with it). */
async function write(bank: Bank, key: Hex, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) {
  bank.clock += 1
  await bank.conn.client.request({ method: 'evm_setNextBlockTimestamp' as never, params: [toHex(bank.clock)] as never })
  return bank.conn.write(key, { address, abi: abi as never, functionName, args })
}
/** The next transaction on `bank`'s chain is in a block with timestamp `timestamp`. */
const setClock = (bank: number, timestamp: number) => {
  banks[bank]!.clock = timestamp - 1
}
const balance = (bank: Bank, account: Address) => read<bigint>(bank, bank.token, erc20Abi, 'balanceOf', [account])

/** Reads every update the gateways queued since the last call into `pending`. */
async function collect(): Promise<void> {
  for (const bank of banks) {
    const head = await bank.conn.client.getBlockNumber({ cacheTime: 0 })
    if (head < bank.cursor) continue
    const logs = await bank.conn.client.getLogs({ address: bank.gateway, fromBlock: bank.cursor, toBlock: head })
    bank.cursor = head + 1n
    for (const log of parseEventLogs({ abi: c.loopbackGatewayAbi, logs, eventName: 'MessageQueued' })) {
      const to = parseInteroperableAddress(log.args.recipient)
      pending.push({ sourceChainId: bank.id, sendId: log.args.sendId, sender: log.args.sender, destinationChainId: to.chainId, recipient: to.address, payload: log.args.payload })
    }
  }
}
/** Delivers one update on its destination (the proof layer's and the relayer's job, done by the test). */
async function deliver(message: Message, deliveryId = keccak256(toHex(`${message.sourceChainId}:${message.sendId}`))) {
  pending = pending.filter((m) => m !== message)
  const bank = bankOn(message.destinationChainId)
  return write(bank, deployer.privateKey, bank.gateway, c.loopbackGatewayAbi, 'deliver', [deliveryId, message.sourceChainId, message.sender, message.recipient, message.payload])
}
/** The pending update of `kind` from bank `from` to bank `to`. */
function update(kind: InstructionMessageKind, from: number, to: number): Message {
  const found = pending.find((m) => m.sourceChainId === CHAIN_IDS[from] && m.destinationChainId === CHAIN_IDS[to] && decodeInstructionMessage(m.payload).kind === kind)
  assert.ok(found, `no pending update ${kind} from bank ${from} to bank ${to}`)
  return found
}
async function deliverAll() {
  await collect()
  while (pending.length > 0) await deliver(pending[pending.length - 1]!) // newest first: the reverse of the send order
}

let salt = 0
/** An instruction of the three banks: each pays `share` of its token to the payee on its chain; it expires `expiresIn` seconds after the latest bank clock. */
function newInstruction(options: { proposer?: number; share?: bigint; expiresIn?: number } = {}): Instruction {
  return {
    termsHash: keccak256(toHex(`syndicated loan payment ${++salt}`)),
    salt: toHex(salt, { size: 32 }),
    expiry: BigInt(Math.max(...banks.map((b) => b.clock)) + (options.expiresIn ?? 10_000)),
    proposer: BigInt(options.proposer ?? 0),
    members: banks.map((b) => ({ chainId: b.id, book: b.book, token: b.token, amount: options.share ?? 100n, payee: payee.address })),
  }
}
const propose = (ins: Instruction, bank = Number(ins.proposer), key = operators[bank]!.privateKey) => write(banks[bank]!, key, banks[bank]!.book, c.instructionBookAbi, 'propose', [ins])
/** Bank `bank`'s step on its own book, by its operator (or `key`). */
const step = (action: InstructionAction, ins: Instruction, bank: number, key = operators[bank]!.privateKey) => write(banks[bank]!, key, banks[bank]!.book, c.instructionBookAbi, action, [ins])
const approve = (ins: Instruction, bank: number) => step('approve', ins, bank)
const confirm = (ins: Instruction, bank: number) => step('confirm', ins, bank)
const cancel = (ins: Instruction, bank: number) => step('cancel', ins, bank)
const STATUS_NAMES = ['none', 'proposed', 'executed', 'cancelled', 'expired'] as const
/** Bank `bank`'s copy, as the TypeScript model writes it. */
async function copyAt(ins: Instruction, bank: number): Promise<InstructionCopy> {
  const { status, proposalSeen, votes } = await readInstructionCopy(banks[bank]!.conn.client, { book: banks[bank]!.book, instructionId: instructionId(ins) })
  return { status, proposalSeen, votes }
}
/** A copy's votes, written short: [vote, version] per member. */
const votesAt = async (ins: Instruction, bank: number) => (await copyAt(ins, bank)).votes.map((v) => [v.vote, v.version])
const statuses = async (ins: Instruction) => Promise.all(banks.map(async (_, i) => STATUS_NAMES[(await copyAt(ins, i)).status]))
const payeeBalances = () => Promise.all(banks.map((b) => balance(b, payee.address)))
const bookBalances = () => Promise.all(banks.map((b) => balance(b, b.book)))

before(async () => {
  for (const [i, id] of CHAIN_IDS.entries()) {
    const anvil = createAnvil({ chainId: Number(id), port: 0, name: `instructions-${id}` })
    await anvil.start()
    const conn = new ChainConnection({ chainId: Number(id), name: `bank-${i}`, rpcUrl: anvil.rpcUrl })
    const deploy = async (abi: readonly unknown[], bytecode: Hex, args: readonly unknown[], action: string) => (await conn.deploy(deployer.privateKey, { abi: abi as never, bytecode, args, action })).address
    const gateway = await deploy(c.loopbackGatewayAbi, c.loopbackGatewayBytecode, [], 'deploy LoopbackGateway')
    const book = await deploy(c.instructionBookAbi, c.instructionBookBytecode, [gateway, operators[i]!.address], 'deploy InstructionBook')
    const token = await deploy(c.testTokenAbi, c.testTokenBytecode, [`Bank ${i} deposit`, `D${i}`, 6], 'deploy token')
    await conn.write(deployer.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [operators[i]!.address, 10n ** 12n] })
    await conn.write(operators[i]!.privateKey, { address: token, abi: erc20Abi, functionName: 'approve', args: [book, 2n ** 256n - 1n] })
    const latest = await conn.client.getBlock({ blockTag: 'latest' })
    banks.push({ id, anvil, conn, gateway, book, token, cursor: latest.number + 1n, clock: Number(latest.timestamp) + 10 })
  }
})
after(async () => {
  for (const bank of banks) await bank.anvil.stop()
})

describe('multi-bank instructions', () => {
  test('every bank approves and confirms, the updates delivered late and out of order: every copy executes once, a confirmation arriving after the receiver’s clock passed the expiry still counts', async () => {
    const ins = newInstruction({ share: 250n })
    const expiry = Number(ins.expiry)
    const payeeBefore = await payeeBalances()
    const proposed = await propose(ins)
    const [opened] = parseEventLogs({ abi: c.instructionBookAbi, logs: proposed.logs, eventName: 'InstructionOpened' })
    assert.equal(opened!.args.instructionId, instructionId(ins), 'the TypeScript instruction id is the contract’s')
    await collect()
    assert.deepEqual(pending.map((m) => decodeInstructionMessage(m.payload).kind), [1, 1], 'one "proposed" update to each other bank')
    // Only bank 1 hears of it; it approves, and its approval reaches bank 2 before the proposal does.
    await deliver(update(InstructionMessageKind.Proposed, 0, 1))
    await approve(ins, 1)
    await collect()
    await deliver(update(InstructionMessageKind.Approved, 1, 2))
    assert.deepEqual(await copyAt(ins, 2), { status: InstructionStatus.Proposed, proposalSeen: false, votes: [{ vote: 0, version: 0 }, { vote: InstructionVote.Approved, version: 1 }, { vote: 0, version: 0 }] }, 'bank 2 opened its copy from bank 1’s approval')
    await approve(ins, 2)
    await approve(ins, 0)
    const missing = await rejectsWith(confirm(ins, 0), 'ApprovalsMissing')
    assert.deepEqual(missing.errorArgs, [instructionId(ins), 0b110], 'bank 0 confirms only once it knows every approval')
    await deliverAll()
    await confirm(ins, 2)
    await confirm(ins, 1)
    assert.deepEqual(await statuses(ins), ['proposed', 'proposed', 'proposed'], 'no copy knows all three confirmations yet')
    await collect()
    await deliver(update(InstructionMessageKind.Confirmed, 1, 0))
    await deliver(update(InstructionMessageKind.Confirmed, 2, 0))
    await confirm(ins, 0)
    assert.deepEqual(await statuses(ins), ['executed', 'proposed', 'proposed'])
    // Banks 1 and 2's clocks pass the expiry before bank 0's confirmation reaches them: it was confirmed before the
    // expiry on bank 0's own clock, so it counts.
    setClock(1, expiry + 5)
    setClock(2, expiry + 5)
    await deliverAll()
    assert.deepEqual(await statuses(ins), ['executed', 'executed', 'executed'])
    for (const i of [0, 1, 2]) assert.deepEqual(await votesAt(ins, i), [[4, 2], [4, 2], [4, 2]], `bank ${i}'s copy holds every confirmation, version 2`)
    assert.deepEqual(await payeeBalances(), payeeBefore.map((b) => b + 250n), 'the payee got each bank’s share on each chain')
    assert.deepEqual(await bookBalances(), [0n, 0n, 0n], 'the books keep nothing')
  })

  test('a withdrawn approval cannot come back: the older approval delivered after the withdrawal is ignored, and the bank approves again with a newer version', async () => {
    const ins = newInstruction()
    await propose(ins)
    await deliverAll()
    const operatorBefore = await balance(banks[1]!, operators[1]!.address)
    for (const i of [0, 1, 2]) await approve(ins, i)
    assert.equal(await balance(banks[1]!, banks[1]!.book), 100n, 'bank 1’s share is escrowed')
    const withdrawn = await step('withdraw', ins, 1)
    assert.equal(parseEventLogs({ abi: c.instructionBookAbi, logs: withdrawn.logs, eventName: 'EscrowReturned' }).length, 1)
    assert.equal(await balance(banks[1]!, operators[1]!.address), operatorBefore, 'the share went back on withdrawal')
    await collect()
    await deliver(update(InstructionMessageKind.Withdrawn, 1, 0))
    const late = await deliver(update(InstructionMessageKind.Approved, 1, 0))
    assert.equal(parseEventLogs({ abi: c.instructionBookAbi, logs: late.logs, eventName: 'UpdateIgnored' }).length, 1, 'the late approval (version 1) is ignored')
    await deliver(update(InstructionMessageKind.Approved, 2, 0))
    assert.deepEqual(await votesAt(ins, 0), [[2, 1], [3, 2], [2, 1]], 'bank 0 holds bank 1’s withdrawal, version 2')
    const missing = await rejectsWith(confirm(ins, 0), 'ApprovalsMissing')
    assert.deepEqual(missing.errorArgs, [instructionId(ins), 0b010])
    await approve(ins, 1)
    await deliverAll()
    for (const i of [0, 1, 2]) assert.deepEqual(await votesAt(ins, i), [[2, 1], [2, 3], [2, 1]], `bank ${i}'s copy: bank 1 approved again, version 3`)
    for (const i of [1, 0, 2]) await confirm(ins, i)
    await deliverAll()
    assert.deepEqual(await statuses(ins), ['executed', 'executed', 'executed'])
    await rejectsWith(step('withdraw', ins, 1), 'InstructionDecided')
  })

  test('a cancel racing confirmations: the cancel wins on every copy, whichever arrives first, and the escrowed shares go back', async () => {
    const ins = newInstruction()
    await propose(ins)
    await deliverAll()
    const before = await Promise.all(banks.map((b, i) => balance(b, operators[i]!.address)))
    for (const i of [0, 1, 2]) await approve(ins, i)
    await deliverAll()
    await confirm(ins, 0)
    await confirm(ins, 1)
    await cancel(ins, 2) // bank 2 approved, then vetoes before confirming: neither knows of the other
    await rejectsWith(step('withdraw', ins, 0), 'WrongVote') // a confirmation is final
    await rejectsWith(cancel(ins, 0), 'WrongVote')
    await collect()
    await deliver(update(InstructionMessageKind.Cancelled, 2, 0))
    await deliver(update(InstructionMessageKind.Confirmed, 0, 1))
    await deliverAll()
    assert.deepEqual(await statuses(ins), ['cancelled', 'cancelled', 'cancelled'])
    for (const i of [0, 1, 2]) assert.deepEqual(await votesAt(ins, i), [[4, 2], [4, 2], [5, 2]], `bank ${i}'s copy`)
    assert.deepEqual(await Promise.all(banks.map((b, i) => balance(b, operators[i]!.address))), before, 'every escrowed share went back to its operator')
    assert.deepEqual(await bookBalances(), [0n, 0n, 0n])
    await rejectsWith(cancel(ins, 1), 'InstructionDecided')
  })

  test('expiry edges, each judged by the bank’s own chain clock: confirm at expiry − 1 is accepted and at expiry refused; expire before the expiry or on a confirmed bank is refused; an expiry called by anyone propagates to every copy', async () => {
    const ins = newInstruction({ expiresIn: 500 })
    const expiry = Number(ins.expiry)
    await propose(ins)
    await deliverAll()
    const before = await Promise.all(banks.map((b, i) => balance(b, operators[i]!.address)))
    for (const i of [0, 1, 2]) await approve(ins, i)
    await deliverAll()
    await confirm(ins, 0)
    setClock(1, expiry)
    const late = await rejectsWith(confirm(ins, 1), 'ExpiryReached')
    assert.deepEqual(late.errorArgs, [instructionId(ins), ins.expiry, BigInt(expiry)])
    setClock(2, expiry - 1)
    await confirm(ins, 2) // bank 2's clock is still before the expiry, though bank 1's is past it
    setClock(0, expiry - 1)
    await rejectsWith(step('expire', ins, 0, stranger.privateKey), 'ExpiryNotReached')
    await rejectsWith(step('expire', ins, 0, stranger.privateKey), 'WrongVote') // now at the expiry, but bank 0 confirmed: its copy waits
    await rejectsWith(approve(ins, 1), 'WrongVote')
    const expired = await step('expire', ins, 1, stranger.privateKey) // anyone, on bank 1's chain
    assert.equal(parseEventLogs({ abi: c.instructionBookAbi, logs: expired.logs, eventName: 'InstructionExpired' }).length, 1)
    assert.deepEqual(await statuses(ins), ['proposed', 'expired', 'proposed'])
    await deliverAll()
    assert.deepEqual(await statuses(ins), ['expired', 'expired', 'expired'])
    for (const i of [0, 1, 2]) assert.deepEqual(await votesAt(ins, i), [[4, 2], [6, 2], [4, 2]], `bank ${i}'s copy`)
    assert.deepEqual(await Promise.all(banks.map((b, i) => balance(b, operators[i]!.address))), before, 'every escrowed share went back')
    assert.deepEqual(await bookBalances(), [0n, 0n, 0n])
  })

  test('refuses a stranger, a proposal from another book than the proposer’s, a second proposal, a proposal past its expiry, a vote on an unknown instruction, a step the bank’s vote does not allow, and a malformed instruction', async () => {
    const ins = newInstruction({ proposer: 1 })
    await rejectsWith(propose(ins, 1, stranger.privateKey), 'NotOperator')
    await rejectsWith(propose(ins, 0), 'NotProposer')
    await rejectsWith(approve(ins, 0), 'UnknownInstruction')
    await rejectsWith(cancel(ins, 0), 'UnknownInstruction')
    await rejectsWith(step('expire', ins, 0, stranger.privateKey), 'UnknownInstruction')
    await rejectsWith(propose({ ...ins, expiry: 0n }), 'NoExpiry')
    await rejectsWith(propose({ ...ins, expiry: BigInt(banks[1]!.clock) }), 'ExpiryReached')
    await propose(ins)
    await rejectsWith(propose(ins), 'InstructionExists')
    await rejectsWith(step('approve', ins, 1, stranger.privateKey), 'NotOperator')
    await rejectsWith(step('withdraw', ins, 1), 'WrongVote')
    await rejectsWith(confirm(ins, 1), 'WrongVote')
    await approve(ins, 1)
    await rejectsWith(approve(ins, 1), 'WrongVote')
    await rejectsWith(propose({ ...ins, members: [ins.members[1]!, { ...ins.members[1]!, book: banks[0]!.book }], proposer: 0n }, 1), 'SameChainTwice')
    await rejectsWith(propose({ ...ins, members: [ins.members[1]!], proposer: 0n }, 1), 'WrongMemberCount')
    await rejectsWith(propose({ ...ins, members: [ins.members[0]!, { ...ins.members[1]!, amount: 0n }, ins.members[2]!] }, 1), 'InvalidMember')
    const outsider = { ...ins, members: [ins.members[0]!, { ...ins.members[1]!, book: stranger.address }, ins.members[2]!] }
    await rejectsWith(propose(outsider, 1), 'NotAMember')
    await cancel(ins, 1)
    await deliverAll()
  })

  test('refuses updates not from a member’s book or not through the gateway, refuses a vote that conflicts with the held version or follows a final vote, and ignores one it already holds', async () => {
    const ins = newInstruction()
    await propose(ins)
    await collect()
    const proposal = update(InstructionMessageKind.Proposed, 0, 1)
    await rejectsWith(write(banks[1]!, stranger.privateKey, banks[1]!.book, c.instructionBookAbi, 'receiveMessage', [toHex(0, { size: 32 }), '0x', proposal.payload]), 'UnauthorizedGateway')
    await rejectsWith(deliver({ ...proposal, sender: stranger.address }, keccak256(toHex('forged sender'))), 'NotMemberBook')
    await rejectsWith(deliver({ ...proposal, sourceChainId: CHAIN_IDS[2], payload: encodeInstructionMessage({ kind: InstructionMessageKind.Proposed, instruction: ins, memberIndex: 2n, version: 0 }), sender: banks[2]!.book }, keccak256(toHex('not the proposer'))), 'NotFromProposer')
    await rejectsWith(deliver({ ...proposal, payload: encodeInstructionMessage({ kind: InstructionMessageKind.Approved, instruction: ins, memberIndex: 1n, version: 1 }), sourceChainId: CHAIN_IDS[1], sender: banks[1]!.book }, keccak256(toHex('own index'))), 'NotMemberBook')
    await deliver(proposal)
    // The same proposal delivered again (as a second bundle): nothing new, ignored with an event.
    const again = await deliver({ ...proposal }, keccak256(toHex('proposal again')))
    assert.equal(parseEventLogs({ abi: c.instructionBookAbi, logs: again.logs, eventName: 'UpdateIgnored' }).length, 1)
    await approve(ins, 0)
    await collect()
    const approval = update(InstructionMessageKind.Approved, 0, 1)
    await deliver(approval)
    const forged = (kind: InstructionMessageKind, version: number, name: string) => deliver({ ...approval, payload: encodeInstructionMessage({ kind, instruction: ins, memberIndex: 0n, version }) }, keccak256(toHex(name)))
    const error = await rejectsWith(forged(InstructionMessageKind.Cancelled, 1, 'same version'), 'ConflictingUpdate')
    assert.deepEqual(error.errorArgs, [instructionId(ins), 0n, 2, 1, 5, 1])
    await forged(InstructionMessageKind.Expired, 7, 'final')
    await rejectsWith(forged(InstructionMessageKind.Approved, 8, 'after final'), 'ConflictingUpdate')
    assert.deepEqual(await copyAt(ins, 1), { status: InstructionStatus.Expired, proposalSeen: true, votes: [{ vote: InstructionVote.Expired, version: 7 }, { vote: 0, version: 0 }, { vote: 0, version: 0 }] }, 'the refused updates changed nothing')
    await cancel(ins, 0)
    await deliverAll()
  })

  test('an instruction without payments executes as a recorded effect only', async () => {
    const ins = { ...newInstruction(), members: banks.map((b) => ({ chainId: b.id, book: b.book, token: '0x0000000000000000000000000000000000000000' as Address, amount: 0n, payee: '0x0000000000000000000000000000000000000000' as Address })) }
    await propose(ins)
    await deliverAll()
    for (const i of [2, 1, 0]) await approve(ins, i)
    await deliverAll()
    for (const i of [0, 2, 1]) await confirm(ins, i)
    await deliverAll()
    assert.deepEqual(await statuses(ins), ['executed', 'executed', 'executed'])
  })

  test('the books agree with the TypeScript model step by step on random interleavings of votes, deliveries and each chain’s clock, and end all executed or none', async () => {
    let runs = 0
    const outcomes = new Set<string>()
    const ACTIONS = ['approve', 'approve', 'confirm', 'confirm', 'confirm', 'withdraw', 'cancel', 'expire'] as const
    const schedule = fc.array(fc.record({ t: fc.constantFrom('deliver', 'deliver', 'act', 'act', 'tick'), pick: fc.nat(1_000), bank: fc.nat(2), action: fc.constantFrom(...ACTIONS), seconds: fc.nat(20) }), { minLength: 10, maxLength: 30 })
    // Every bank approves and confirms as soon as it can: the example that executes.
    const at = (t: 'deliver' | 'act', bank = 0, action: (typeof ACTIONS)[number] = 'approve') => ({ t, pick: 0, bank, action, seconds: 0 })
    const cooperative = [at('deliver'), at('deliver'), ...[0, 1, 2].map((b) => at('act', b, 'approve')), ...Array.from({ length: 6 }, () => at('deliver')), ...[0, 1, 2].map((b) => at('act', b, 'confirm'))]
    await fc.assert(
      fc.asyncProperty(schedule, async (steps) => {
        runs++
        const ins = newInstruction({ share: 7n, expiresIn: 40 })
        const expiry = Number(ins.expiry)
        const booksBefore = await bookBalances()
        const model: InstructionCopy[] = banks.map(() => UNSEEN_INSTRUCTION_COPY)
        await propose(ins)
        model[0] = { status: InstructionStatus.Proposed, proposalSeen: true, votes: banks.map(() => ({ vote: InstructionVote.None, version: 0 })) }
        await collect()
        const act = async (bank: number, action: InstructionAction) => {
          const result = localInstructionVote(model[bank]!, { self: bank, action, beforeExpiry: banks[bank]!.clock + 1 < expiry })
          const sent = step(action, ins, bank, action === 'expire' ? stranger.privateKey : operators[bank]!.privateKey)
          if ('refused' in result) return void (await rejectsWith(sent, INSTRUCTION_REFUSALS[result.refused]))
          model[bank] = result.copy
          await sent
          await collect()
        }
        const deliverPick = async (pick: number) => {
          const m = pending[pick % pending.length]!
          const to = CHAIN_IDS.indexOf(m.destinationChainId as never)
          const { kind, memberIndex, version } = decodeInstructionMessage(m.payload)
          model[to] = mergeInstructionUpdate(model[to]!, { kind, memberIndex: Number(memberIndex), version }, 3).copy
          await deliver(m)
        }
        const check = async (when: string) => {
          for (const i of [0, 1, 2]) assert.deepEqual(await copyAt(ins, i), model[i], `bank ${i}'s copy ${when}`)
          const now = new Set(model.map((copy) => copy.status))
          assert.ok(!(now.has(InstructionStatus.Executed) && (now.has(InstructionStatus.Cancelled) || now.has(InstructionStatus.Expired))), `executed and not executed at once ${when}`)
        }
        for (const [n, s] of steps.entries()) {
          if (s.t === 'deliver' && pending.length > 0) await deliverPick(s.pick)
          else if (s.t === 'act') await act(s.bank, s.action)
          else if (s.t === 'tick') banks[s.bank]!.clock += s.seconds
          await check(`after step ${n}`)
        }
        // The keeper's part: every clock past the expiry, `expire` where the model allows it, every message delivered.
        for (const bank of banks) bank.clock = Math.max(bank.clock, expiry)
        for (;;) {
          for (const i of [0, 1, 2]) if (!('refused' in localInstructionVote(model[i]!, { self: i, action: 'expire', beforeExpiry: false }))) await act(i, 'expire')
          if (pending.length === 0) break
          await deliverPick(0)
        }
        await check('at the end')
        const ends = new Set(model.map((copy) => copy.status))
        assert.ok(!ends.has(InstructionStatus.Proposed), 'every copy decided')
        assert.ok(!(ends.has(InstructionStatus.Executed) && ends.size > 1), 'all executed or none')
        for (const copy of model) outcomes.add(STATUS_NAMES[copy.status])
        assert.deepEqual(await bookBalances(), booksBefore, 'no share stays escrowed')
      }),
      { numRuns: 6, seed: 15, examples: [[cooperative]] },
    )
    console.log(`${runs} runs, outcomes reached: ${[...outcomes].join(', ')}`)
    assert.ok(runs >= 5)
    assert.ok(outcomes.has('executed'), 'the cooperative example executed')
  })
})
