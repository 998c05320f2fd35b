import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { getAddress, toHex, zeroAddress, type Address } from 'viem'
import { ConflictingInstructionUpdateError, InvalidInstructionError, InvalidInstructionMessageError } from '../errors/instructions.js'
import {
  InstructionMessageKind,
  InstructionStatus,
  InstructionVote,
  UNSEEN_INSTRUCTION_COPY,
  checkInstruction,
  decodeInstructionMessage,
  encodeInstructionMessage,
  instructionId,
  localInstructionVote,
  mergeInstructionUpdate,
  type Instruction,
  type InstructionAction,
  type InstructionCopy,
} from './instruction.js'

const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(toHex(b)) as Address)
const instruction: fc.Arbitrary<Instruction> = fc
  .uniqueArray(fc.bigInt({ min: 1n, max: 2n ** 64n }), { minLength: 2, maxLength: 8 })
  .chain((chainIds) =>
    fc.record({
      termsHash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b)),
      salt: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b)),
      expiry: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
      proposer: fc.nat(chainIds.length - 1).map(BigInt),
      members: fc.tuple(...chainIds.map((chainId) => fc.record({ chainId: fc.constant(chainId), book: address, token: address, amount: fc.bigInt({ min: 1n, max: 2n ** 128n }), payee: address }))),
    }),
  )

test('an instruction message decodes to what was encoded, and the instruction id changes with any member’s payment and the expiry', () => {
  fc.assert(
    fc.property(instruction, fc.integer({ min: 1, max: 6 }) as fc.Arbitrary<InstructionMessageKind>, fc.nat(7), fc.nat(2 ** 32 - 1), (ins, kind, memberIndex, version) => {
      checkInstruction(ins)
      const decoded = decodeInstructionMessage(encodeInstructionMessage({ kind, instruction: ins, memberIndex: BigInt(memberIndex), version }))
      assert.equal(decoded.kind, kind)
      assert.equal(decoded.memberIndex, BigInt(memberIndex))
      assert.equal(decoded.version, version)
      assert.equal(instructionId(decoded.instruction), instructionId(ins))
      const last = ins.members.length - 1
      const changed = { ...ins, members: [...ins.members.slice(0, last), { ...ins.members[last]!, amount: ins.members[last]!.amount + 1n }] }
      assert.notEqual(instructionId(changed), instructionId(ins))
      assert.notEqual(instructionId({ ...ins, expiry: ins.expiry === 1n ? 2n : ins.expiry - 1n }), instructionId(ins))
    }),
  )
})

test('refuses an instruction without expiry, with one member or nine, two members on one chain, a half-set payment, or a proposer out of range', () => {
  const member = (chainId: bigint) => ({ chainId, book: '0x00000000000000000000000000000000000000b0' as Address, token: '0x00000000000000000000000000000000000000aa' as Address, amount: 5n, payee: '0x0000000000000000000000000000000000000001' as Address })
  const base: Instruction = { termsHash: toHex(1, { size: 32 }), salt: toHex(2, { size: 32 }), expiry: 1_900_000_000n, proposer: 0n, members: [member(1n), member(2n), member(3n)] }
  checkInstruction(base)
  checkInstruction({ ...base, members: [{ ...member(1n), token: zeroAddress, amount: 0n, payee: zeroAddress }, member(2n)] })
  const refused = (ins: Instruction) => assert.throws(() => checkInstruction(ins), InvalidInstructionError)
  refused({ ...base, expiry: 0n })
  refused({ ...base, members: [member(1n)] })
  refused({ ...base, members: Array.from({ length: 9 }, (_, i) => member(BigInt(i + 1))) })
  refused({ ...base, members: [member(1n), member(1n)] })
  refused({ ...base, members: [{ ...member(1n), amount: 0n }, member(2n)] })
  refused({ ...base, members: [{ ...member(1n), payee: zeroAddress }, member(2n)] })
  refused({ ...base, members: [{ ...member(1n), token: zeroAddress }, member(2n)] })
  refused({ ...base, proposer: 3n })
  assert.throws(() => decodeInstructionMessage(encodeInstructionMessage({ kind: 7 as never, instruction: base, memberIndex: 0n, version: 1 })), InvalidInstructionMessageError)
  assert.throws(() => decodeInstructionMessage('0x1234'), InvalidInstructionMessageError)
})

test('a copy keeps a member’s newest vote: an older version arriving late is ignored, the same version with another vote or anything after a final vote is refused', () => {
  const { copy } = mergeInstructionUpdate(UNSEEN_INSTRUCTION_COPY, { kind: InstructionMessageKind.Withdrawn, memberIndex: 1, version: 2 }, 3)
  assert.deepEqual(copy, { status: InstructionStatus.Proposed, proposalSeen: false, votes: [{ vote: 0, version: 0 }, { vote: InstructionVote.Withdrawn, version: 2 }, { vote: 0, version: 0 }] }, 'a vote opens the copy before the proposal arrives')
  assert.equal(mergeInstructionUpdate(copy, { kind: InstructionMessageKind.Approved, memberIndex: 1, version: 1 }, 3).ignored, true, 'the approval the withdrawal replaced cannot come back')
  assert.equal(mergeInstructionUpdate(copy, { kind: InstructionMessageKind.Withdrawn, memberIndex: 1, version: 2 }, 3).ignored, true)
  assert.throws(() => mergeInstructionUpdate(copy, { kind: InstructionMessageKind.Cancelled, memberIndex: 1, version: 2 }, 3), ConflictingInstructionUpdateError)
  const confirmed = mergeInstructionUpdate(copy, { kind: InstructionMessageKind.Confirmed, memberIndex: 1, version: 4 }, 3).copy
  assert.throws(() => mergeInstructionUpdate(confirmed, { kind: InstructionMessageKind.Expired, memberIndex: 1, version: 5 }, 3), ConflictingInstructionUpdateError, 'nothing follows a final vote')
  assert.deepEqual(localInstructionVote(UNSEEN_INSTRUCTION_COPY, { self: 0, action: 'approve', beforeExpiry: true }), { refused: 'unknown' })
  assert.deepEqual(localInstructionVote(confirmed, { self: 1, action: 'cancel', beforeExpiry: true }), { refused: 'wrong-vote' }, 'a bank that confirmed cannot cancel')
  assert.deepEqual(localInstructionVote(confirmed, { self: 1, action: 'expire', beforeExpiry: false }), { refused: 'wrong-vote' }, 'nor be expired')
  assert.deepEqual(localInstructionVote(copy, { self: 0, action: 'expire', beforeExpiry: true }), { refused: 'expiry-not-reached' })
  assert.deepEqual(localInstructionVote(copy, { self: 0, action: 'approve', beforeExpiry: false }), { refused: 'expiry-reached' })
  const approved = localInstructionVote(copy, { self: 0, action: 'approve', beforeExpiry: true })
  assert.ok('copy' in approved)
  assert.deepEqual(localInstructionVote(approved.copy, { self: 0, action: 'confirm', beforeExpiry: true }), { refused: 'approvals-missing' })
})

const ACTIONS: readonly InstructionAction[] = ['approve', 'withdraw', 'confirm', 'cancel', 'expire']
const KIND_OF_ACTION = { approve: InstructionMessageKind.Approved, withdraw: InstructionMessageKind.Withdrawn, confirm: InstructionMessageKind.Confirmed, cancel: InstructionMessageKind.Cancelled, expire: InstructionMessageKind.Expired } as const

/**
 * N banks, each with a copy on its own chain and that chain's own clock; the proposer proposes, then a random
 * schedule interleaves, step by step, a pending message delivered (any of them: late, out of order), a bank's step
 * on its own copy (approve, withdraw, confirm, cancel or expire, tried whatever its state and refused by the rules
 * when not allowed), and one chain's clock moving forward (clocks move apart). At every step no copy is executed
 * while another is cancelled or expired. Then the keeper's part: every clock passes the expiry, `expire` is tried on
 * every undecided copy, and every message is delivered; every copy then has decided, all executed or none, with the
 * same votes.
 */
test('random interleavings of votes, deliveries and clocks: copies never disagree on executed, and all decide once the clocks pass the expiry', () => {
  const EXPIRY = 100
  // Some runs only approve and confirm (so that executions happen), the others try every step.
  const steps = (actions: readonly InstructionAction[]) =>
    fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ t: fc.constant('deliver' as const), pick: fc.nat(1_000) }) },
        { weight: 4, arbitrary: fc.record({ t: fc.constant('act' as const), bank: fc.nat(7), action: fc.constantFrom(...actions) }) },
        { weight: 1, arbitrary: fc.record({ t: fc.constant('tick' as const), bank: fc.nat(7), seconds: fc.nat(15) }) },
      ),
      { minLength: 30, maxLength: 150, size: 'max' },
    )
  const scenario = fc.record({ n: fc.integer({ min: 2, max: 5 }), proposer: fc.nat(4), steps: fc.oneof(steps(['approve', 'confirm']), steps(ACTIONS)) })
  const seen = new Set<InstructionStatus>()
  fc.assert(
    fc.property(scenario, ({ n, proposer: p, steps }) => {
      const proposer = p % n
      const copies: InstructionCopy[] = Array.from({ length: n }, () => UNSEEN_INSTRUCTION_COPY)
      const clocks = Array.from({ length: n }, () => 0)
      type Message = { to: number; kind: InstructionMessageKind; memberIndex: number; version: number }
      const pending: Message[] = []
      const broadcast = (from: number, kind: InstructionMessageKind, version: number) => {
        for (let to = 0; to < n; to++) if (to !== from) pending.push({ to, kind, memberIndex: from, version })
      }
      copies[proposer] = { status: InstructionStatus.Proposed, proposalSeen: true, votes: Array.from({ length: n }, () => ({ vote: InstructionVote.None, version: 0 })) }
      broadcast(proposer, InstructionMessageKind.Proposed, 0)
      const act = (bank: number, action: InstructionAction) => {
        const result = localInstructionVote(copies[bank]!, { self: bank, action, beforeExpiry: clocks[bank]! < EXPIRY })
        if ('refused' in result) return
        copies[bank] = result.copy
        broadcast(bank, KIND_OF_ACTION[action], result.version)
      }
      const deliver = (pick: number) => {
        const [m] = pending.splice(pick % pending.length, 1)
        copies[m!.to] = mergeInstructionUpdate(copies[m!.to]!, m!, n).copy
      }
      const neverMixed = () => {
        const statuses = new Set(copies.map((c) => c.status))
        assert.ok(!(statuses.has(InstructionStatus.Executed) && (statuses.has(InstructionStatus.Cancelled) || statuses.has(InstructionStatus.Expired))), 'one copy executed while another is cancelled or expired')
      }
      for (const s of steps) {
        if (s.t === 'deliver' && pending.length > 0) deliver(s.pick)
        if (s.t === 'act') act(s.bank % n, s.action)
        if (s.t === 'tick') clocks[s.bank % n]! += s.seconds
        neverMixed()
      }
      // The keeper: the clocks pass the expiry; it expires what it can and the messages are delivered, oldest first.
      clocks.fill(EXPIRY)
      for (;;) {
        for (let bank = 0; bank < n; bank++) act(bank, 'expire')
        if (pending.length === 0) break
        deliver(0)
        neverMixed()
      }
      const executed = copies.filter((c) => c.status === InstructionStatus.Executed).length
      assert.ok(executed === 0 || executed === n, `${executed} of ${n} copies executed`)
      for (const copy of copies) {
        assert.notEqual(copy.status, InstructionStatus.Proposed, 'every copy decided')
        assert.deepEqual(copy.votes, copies[0]!.votes, 'every copy holds the same votes')
        seen.add(copy.status)
      }
    }),
    { numRuns: 500 },
  )
  assert.ok(seen.has(InstructionStatus.Executed) && seen.has(InstructionStatus.Cancelled) && seen.has(InstructionStatus.Expired), 'the runs reached every outcome')
})
