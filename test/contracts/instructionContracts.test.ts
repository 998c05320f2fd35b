// Multi-bank instructions (contracts/instructions, docs/instructions.md) on three real anvils, one per bank, each
// with an InstructionBook whose gateway is a LoopbackGateway: the test plays the proof layer and the relayer,
// delivering each book's update on its destination with its true source chain and sender, late and in whatever
// order it likes. Each bank pays its share of the instruction in a token of its own chain.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { erc20Abi, keccak256, parseEventLogs, toHex, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import {
  InstructionMessageKind,
  InstructionStatus,
  UNSEEN_INSTRUCTION_COPY,
  decodeInstructionMessage,
  encodeInstructionMessage,
  instructionId,
  localInstructionVote,
  mergeInstructionUpdate,
  parseInteroperableAddress,
  type Instruction,
  type InstructionCopy,
} from '../../src/protocol/index.js'
import { rejectsWith } from '../../src/testing/rejectsWith.js'

const CHAIN_IDS = [711n, 712n, 713n] as const
const deployer = devAccount(0)
const operators = [devAccount(1), devAccount(2), devAccount(3)]
const payee = devAccount(5)
const stranger = devAccount(6)

type Bank = { id: bigint; anvil: AnvilProcess; conn: ChainConnection; gateway: Address; book: Address; token: Address; cursor: bigint }
type Message = { sourceChainId: bigint; sendId: Hex; sender: Address; destinationChainId: bigint; recipient: Address; payload: Hex }

const banks: Bank[] = []
const bankOn = (chainId: bigint) => banks.find((b) => b.id === chainId)!
/** Updates sent and not delivered yet, in send order. */
let pending: Message[] = []

const read = <T>(bank: Bank, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
  bank.conn.client.readContract({ address, abi, functionName, args } as never) as Promise<T>
const write = (bank: Bank, key: Hex, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
  bank.conn.write(key, { address, abi: abi as never, functionName, args })
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
/** An instruction of the three banks: each pays `share` of its token to the payee on its chain. */
function newInstruction(options: { proposer?: number; share?: bigint } = {}): Instruction {
  return {
    termsHash: keccak256(toHex(`syndicated loan payment ${++salt}`)),
    salt: toHex(salt, { size: 32 }),
    proposer: BigInt(options.proposer ?? 0),
    members: banks.map((b) => ({ chainId: b.id, book: b.book, token: b.token, amount: options.share ?? 100n, payee: payee.address })),
  }
}
const propose = (ins: Instruction, bank = Number(ins.proposer), key = operators[bank]!.privateKey) => write(banks[bank]!, key, banks[bank]!.book, c.instructionBookAbi, 'propose', [ins])
const approve = (ins: Instruction, bank: number, key = operators[bank]!.privateKey) => write(banks[bank]!, key, banks[bank]!.book, c.instructionBookAbi, 'approve', [ins])
const cancel = (ins: Instruction, bank: number, key = operators[bank]!.privateKey) => write(banks[bank]!, key, banks[bank]!.book, c.instructionBookAbi, 'cancel', [ins])
const STATUS_NAMES = ['none', 'proposed', 'executed', 'cancelled'] as const
/** Bank `bank`'s copy, as the TypeScript model writes it. */
async function copyAt(ins: Instruction, bank: number): Promise<InstructionCopy> {
  const [status, approvedMask, cancelledMask, proposalSeen] = await read<readonly [number, number, number, boolean, number, number]>(banks[bank]!, banks[bank]!.book, c.instructionBookAbi, 'instructionStatus', [instructionId(ins)])
  return { status: status as InstructionStatus, approvedMask, cancelledMask, proposalSeen }
}
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
    banks.push({ id, anvil, conn, gateway, book, token, cursor: (await conn.client.getBlockNumber()) + 1n })
  }
})
after(async () => {
  for (const bank of banks) await bank.anvil.stop()
})

describe('multi-bank instructions', () => {
  test('every bank approves, the updates delivered late and out of order: every copy executes once and each bank pays its share on its chain', async () => {
    const ins = newInstruction({ share: 250n })
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
    assert.deepEqual(await copyAt(ins, 2), { status: InstructionStatus.Proposed, approvedMask: 0b010, cancelledMask: 0, proposalSeen: false }, 'bank 2 opened its copy from bank 1’s approval')
    await approve(ins, 2)
    await approve(ins, 0)
    assert.deepEqual(await statuses(ins), ['proposed', 'proposed', 'proposed'], 'no copy knows all three approvals yet')
    const late = await deliver(update(InstructionMessageKind.Proposed, 0, 2))
    assert.equal(parseEventLogs({ abi: c.instructionBookAbi, logs: late.logs, eventName: 'ProposalRecorded' }).length, 1, 'the late proposal is recorded, not refused')
    await deliverAll()
    assert.deepEqual(await statuses(ins), ['executed', 'executed', 'executed'])
    for (const i of [0, 1, 2]) assert.deepEqual(await copyAt(ins, i), { status: InstructionStatus.Executed, approvedMask: 0b111, cancelledMask: 0, proposalSeen: true })
    assert.deepEqual(await payeeBalances(), payeeBefore.map((b) => b + 250n), 'the payee got each bank’s share on each chain')
    assert.deepEqual(await bookBalances(), [0n, 0n, 0n], 'the books keep nothing')
  })

  test('a cancel racing an approval: the cancel wins on every copy, whichever arrives first, and the approving bank gets its share back', async () => {
    const ins = newInstruction()
    await propose(ins)
    await deliverAll()
    const operatorBefore = await balance(banks[1]!, operators[1]!.address)
    await approve(ins, 0)
    await approve(ins, 1) // bank 1 escrows its share
    await cancel(ins, 2) // at the same time, bank 2 vetoes: neither knows of the other
    assert.equal(await balance(banks[1]!, banks[1]!.book), 100n, 'bank 1’s share is escrowed')
    assert.deepEqual(await statuses(ins), ['proposed', 'proposed', 'cancelled'])
    await collect()
    // Bank 0 hears of the cancel first, bank 1 of bank 0's approval first, then the rest newest first.
    await deliver(update(InstructionMessageKind.Cancelled, 2, 0))
    await deliver(update(InstructionMessageKind.Approved, 0, 1))
    await deliverAll()
    assert.deepEqual(await statuses(ins), ['cancelled', 'cancelled', 'cancelled'])
    for (const i of [0, 1, 2]) assert.deepEqual(await copyAt(ins, i), { status: InstructionStatus.Cancelled, approvedMask: 0b011, cancelledMask: 0b100, proposalSeen: true }, `bank ${i}'s copy`)
    assert.equal(await balance(banks[1]!, operators[1]!.address), operatorBefore, 'bank 1’s escrowed share went back to its operator')
    assert.deepEqual(await bookBalances(), [0n, 0n, 0n])
  })

  test('a bank that approved cannot cancel, and a bank that learned of a cancel cannot approve', async () => {
    const ins = newInstruction()
    await propose(ins)
    await deliverAll()
    await approve(ins, 1)
    const error = await rejectsWith(cancel(ins, 1), 'AlreadyVoted')
    assert.deepEqual(error.errorArgs, [instructionId(ins), 1n, 2])
    await rejectsWith(approve(ins, 1), 'AlreadyVoted')
    await cancel(ins, 0)
    await deliverAll()
    await rejectsWith(approve(ins, 2), 'InstructionDecided')
    await rejectsWith(cancel(ins, 2), 'InstructionDecided')
    assert.deepEqual(await statuses(ins), ['cancelled', 'cancelled', 'cancelled'])
  })

  test('refuses a stranger, a proposal from another book than the proposer’s, a second proposal, a vote on an unknown instruction and a malformed member set', async () => {
    const ins = newInstruction({ proposer: 1 })
    await rejectsWith(propose(ins, 1, stranger.privateKey), 'NotOperator')
    await rejectsWith(propose(ins, 0), 'NotProposer')
    await rejectsWith(approve(ins, 0), 'UnknownInstruction')
    await rejectsWith(cancel(ins, 0), 'UnknownInstruction')
    await propose(ins)
    await rejectsWith(propose(ins), 'InstructionExists')
    await rejectsWith(approve(ins, 1, stranger.privateKey), 'NotOperator')
    await rejectsWith(propose({ ...ins, members: [ins.members[1]!, { ...ins.members[1]!, book: banks[0]!.book }] , proposer: 0n }, 1), 'SameChainTwice')
    await rejectsWith(propose({ ...ins, members: [ins.members[1]!], proposer: 0n }, 1), 'WrongMemberCount')
    await rejectsWith(propose({ ...ins, members: [ins.members[0]!, { ...ins.members[1]!, amount: 0n }, ins.members[2]!] }, 1), 'InvalidMember')
    const outsider = { ...ins, members: [ins.members[0]!, { ...ins.members[1]!, book: stranger.address }, ins.members[2]!] }
    await rejectsWith(propose(outsider, 1), 'NotAMember')
    await deliverAll()
  })

  test('refuses updates not from a member’s book or not through the gateway, refuses a conflicting vote, and ignores an update it already holds', async () => {
    const ins = newInstruction()
    await propose(ins)
    await collect()
    const proposal = update(InstructionMessageKind.Proposed, 0, 1)
    await rejectsWith(write(banks[1]!, stranger.privateKey, banks[1]!.book, c.instructionBookAbi, 'receiveMessage', [toHex(0, { size: 32 }), '0x', proposal.payload]), 'UnauthorizedGateway')
    await rejectsWith(deliver({ ...proposal, sender: stranger.address }, keccak256(toHex('forged sender'))), 'NotMemberBook')
    await rejectsWith(deliver({ ...proposal, sourceChainId: CHAIN_IDS[2], payload: encodeInstructionMessage({ kind: InstructionMessageKind.Proposed, instruction: ins, memberIndex: 2n }), sender: banks[2]!.book }, keccak256(toHex('not the proposer'))), 'NotFromProposer')
    await rejectsWith(deliver({ ...proposal, payload: encodeInstructionMessage({ kind: InstructionMessageKind.Approved, instruction: ins, memberIndex: 1n }), sourceChainId: CHAIN_IDS[1], sender: banks[1]!.book }, keccak256(toHex('own index'))), 'NotMemberBook')
    await deliver(proposal)
    // The same proposal delivered again (as a second bundle): nothing new, ignored with an event.
    const again = await deliver({ ...proposal }, keccak256(toHex('proposal again')))
    assert.equal(parseEventLogs({ abi: c.instructionBookAbi, logs: again.logs, eventName: 'UpdateIgnored' }).length, 1)
    await approve(ins, 0)
    await collect()
    const approval = update(InstructionMessageKind.Approved, 0, 1)
    await deliver(approval)
    const conflicting = { ...approval, payload: encodeInstructionMessage({ kind: InstructionMessageKind.Cancelled, instruction: ins, memberIndex: 0n }) }
    const error = await rejectsWith(deliver(conflicting, keccak256(toHex('conflicting'))), 'ConflictingUpdate')
    assert.deepEqual(error.errorArgs, [instructionId(ins), 0n, 2, 3])
    assert.deepEqual(await copyAt(ins, 1), { status: InstructionStatus.Proposed, approvedMask: 0b001, cancelledMask: 0, proposalSeen: true }, 'the conflicting update changed nothing')
    await deliverAll()
  })

  test('an instruction without payments executes as a recorded effect only', async () => {
    const ins = { ...newInstruction(), members: banks.map((b) => ({ chainId: b.id, book: b.book, token: '0x0000000000000000000000000000000000000000' as Address, amount: 0n, payee: '0x0000000000000000000000000000000000000000' as Address })) }
    await propose(ins)
    await deliverAll()
    for (const i of [2, 1, 0]) await approve(ins, i)
    await deliverAll()
    assert.deepEqual(await statuses(ins), ['executed', 'executed', 'executed'])
  })

  test('the books agree with the TypeScript model on random delivery orders, step by step', async () => {
    let runs = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('approved', 'approved', 'cancelled', 'none') as fc.Arbitrary<'approved' | 'cancelled' | 'none'>, { minLength: 3, maxLength: 3 }), fc.array(fc.nat(100), { minLength: 12, maxLength: 12 }), async (intents, schedule) => {
        runs++
        const ins = newInstruction({ share: 7n })
        const booksBefore = await bookBalances()
        const model: InstructionCopy[] = banks.map(() => UNSEEN_INSTRUCTION_COPY)
        await propose(ins)
        model[0] = { ...UNSEEN_INSTRUCTION_COPY, status: InstructionStatus.Proposed, proposalSeen: true }
        await collect()
        const acted = intents.map((i) => i === 'none')
        for (let step = 0; ; step++) {
          const ready = intents.flatMap((_, i) => (!acted[i] && model[i]!.status !== InstructionStatus.None ? [i] : []))
          const choices = pending.length + ready.length
          if (choices === 0) break
          const pick = (schedule[step] ?? 0) % choices
          if (pick < pending.length) {
            const m = pending[pick]!
            const to = CHAIN_IDS.indexOf(m.destinationChainId as never)
            const { kind, memberIndex } = decodeInstructionMessage(m.payload)
            model[to] = mergeInstructionUpdate(model[to]!, { kind, memberIndex: Number(memberIndex) }, 3).copy
            await deliver(m)
          } else {
            const bank = ready[pick - pending.length]!
            acted[bank] = true
            const vote = intents[bank] as 'approved' | 'cancelled'
            const result = localInstructionVote(model[bank]!, { self: bank, vote, memberCount: 3 })
            if ('refused' in result) {
              await rejectsWith(vote === 'approved' ? approve(ins, bank) : cancel(ins, bank), 'InstructionDecided')
              continue
            }
            model[bank] = result.copy
            await (vote === 'approved' ? approve(ins, bank) : cancel(ins, bank))
            await collect()
          }
          for (const i of [0, 1, 2]) assert.deepEqual(await copyAt(ins, i), model[i], `bank ${i}'s copy after step ${step}`)
        }
        for (const i of [1, 2]) assert.deepEqual(model[i], model[0], 'every copy ends the same')
        // A bank's share stays escrowed only while its copy is undecided and it approved.
        const held = model.map((copy, i) => (copy.status === InstructionStatus.Proposed && copy.approvedMask & (1 << i) ? 7n : 0n))
        assert.deepEqual(await bookBalances(), booksBefore.map((b, i) => b + held[i]!))
      }),
      { numRuns: 6, seed: 15, examples: [[['approved', 'approved', 'approved'], Array(12).fill(0)]] },
    )
    assert.ok(runs >= 6)
  })
})
