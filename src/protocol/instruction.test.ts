import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { getAddress, toHex, zeroAddress, type Address } from 'viem'
import { ConflictingInstructionUpdateError, InvalidInstructionError, InvalidInstructionMessageError } from '../errors/instructions.js'
import {
  InstructionMessageKind,
  InstructionStatus,
  UNSEEN_INSTRUCTION_COPY,
  checkInstruction,
  decodeInstructionMessage,
  encodeInstructionMessage,
  instructionId,
  localInstructionVote,
  mergeInstructionUpdate,
  type Instruction,
  type InstructionCopy,
} from './instruction.js'

const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(toHex(b)) as Address)
const instruction: fc.Arbitrary<Instruction> = fc
  .uniqueArray(fc.bigInt({ min: 1n, max: 2n ** 64n }), { minLength: 2, maxLength: 8 })
  .chain((chainIds) =>
    fc.record({
      termsHash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b)),
      salt: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b)),
      proposer: fc.nat(chainIds.length - 1).map(BigInt),
      members: fc.tuple(...chainIds.map((chainId) => fc.record({ chainId: fc.constant(chainId), book: address, token: address, amount: fc.bigInt({ min: 1n, max: 2n ** 128n }), payee: address }))),
    }),
  )

test('an instruction message decodes to what was encoded, and the instruction id changes with any member’s payment', () => {
  fc.assert(
    fc.property(instruction, fc.constantFrom(1, 2, 3) as fc.Arbitrary<InstructionMessageKind>, fc.nat(7), (ins, kind, memberIndex) => {
      checkInstruction(ins)
      const decoded = decodeInstructionMessage(encodeInstructionMessage({ kind, instruction: ins, memberIndex: BigInt(memberIndex) }))
      assert.equal(decoded.kind, kind)
      assert.equal(decoded.memberIndex, BigInt(memberIndex))
      assert.equal(instructionId(decoded.instruction), instructionId(ins))
      const last = ins.members.length - 1
      const changed = { ...ins, members: [...ins.members.slice(0, last), { ...ins.members[last]!, amount: ins.members[last]!.amount + 1n }] }
      assert.notEqual(instructionId(changed), instructionId(ins))
    }),
  )
})

test('refuses an instruction with one member or nine, two members on one chain, a half-set payment, or a proposer out of range', () => {
  const member = (chainId: bigint) => ({ chainId, book: '0x00000000000000000000000000000000000000b0' as Address, token: '0x00000000000000000000000000000000000000aa' as Address, amount: 5n, payee: '0x0000000000000000000000000000000000000001' as Address })
  const base: Instruction = { termsHash: toHex(1, { size: 32 }), salt: toHex(2, { size: 32 }), proposer: 0n, members: [member(1n), member(2n), member(3n)] }
  checkInstruction(base)
  checkInstruction({ ...base, members: [{ ...member(1n), token: zeroAddress, amount: 0n, payee: zeroAddress }, member(2n)] })
  const refused = (ins: Instruction) => assert.throws(() => checkInstruction(ins), InvalidInstructionError)
  refused({ ...base, members: [member(1n)] })
  refused({ ...base, members: Array.from({ length: 9 }, (_, i) => member(BigInt(i + 1))) })
  refused({ ...base, members: [member(1n), member(1n)] })
  refused({ ...base, members: [{ ...member(1n), amount: 0n }, member(2n)] })
  refused({ ...base, members: [{ ...member(1n), payee: zeroAddress }, member(2n)] })
  refused({ ...base, members: [{ ...member(1n), token: zeroAddress }, member(2n)] })
  refused({ ...base, proposer: 3n })
  assert.throws(() => decodeInstructionMessage(encodeInstructionMessage({ kind: 4 as never, instruction: base, memberIndex: 0n })), InvalidInstructionMessageError)
  assert.throws(() => decodeInstructionMessage('0x1234'), InvalidInstructionMessageError)
})

test('a copy refuses an update that contradicts a member’s vote and ignores one it already holds', () => {
  const { copy } = mergeInstructionUpdate(UNSEEN_INSTRUCTION_COPY, { kind: InstructionMessageKind.Approved, memberIndex: 1 }, 3)
  assert.deepEqual(copy, { status: InstructionStatus.Proposed, approvedMask: 0b010, cancelledMask: 0, proposalSeen: false }, 'a vote opens the copy before the proposal arrives')
  assert.equal(mergeInstructionUpdate(copy, { kind: InstructionMessageKind.Approved, memberIndex: 1 }, 3).ignored, true)
  assert.throws(() => mergeInstructionUpdate(copy, { kind: InstructionMessageKind.Cancelled, memberIndex: 1 }, 3), ConflictingInstructionUpdateError)
  assert.deepEqual(localInstructionVote(UNSEEN_INSTRUCTION_COPY, { self: 0, vote: 'approved', memberCount: 3 }), { refused: 'unknown' })
  assert.deepEqual(localInstructionVote(copy, { self: 1, vote: 'cancelled', memberCount: 3 }), { refused: 'already-voted' }, 'a bank that approved cannot cancel')
})

test('the same updates merged in any order give the same copy', () => {
  const votes = fc.integer({ min: 2, max: 8 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.constantFrom('approved', 'cancelled', 'none'), { minLength: n, maxLength: n }), fc.nat(n - 1)))
  fc.assert(
    fc.property(votes.chain(([n, vs, proposer]) => {
      const updates = [{ kind: InstructionMessageKind.Proposed, memberIndex: proposer }, ...vs.flatMap((v, i) => (v === 'none' ? [] : [{ kind: v === 'approved' ? InstructionMessageKind.Approved : InstructionMessageKind.Cancelled, memberIndex: i }]))]
      return fc.tuple(fc.constant(n), fc.constant(vs), fc.shuffledSubarray(updates, { minLength: updates.length, maxLength: updates.length }), fc.shuffledSubarray(updates, { minLength: updates.length, maxLength: updates.length }))
    }), ([n, vs, orderA, orderB]) => {
      const fold = (order: typeof orderA) => order.reduce<InstructionCopy>((copy, u) => mergeInstructionUpdate(copy, u, n).copy, UNSEEN_INSTRUCTION_COPY)
      const a = fold(orderA)
      assert.deepEqual(a, fold(orderB))
      const expected = vs.includes('cancelled') ? InstructionStatus.Cancelled : vs.every((v) => v === 'approved') ? InstructionStatus.Executed : InstructionStatus.Proposed
      assert.equal(a.status, expected)
    }),
  )
})

/**
 * N banks, each with a copy; the proposer proposes, each bank means to approve, cancel or do nothing, and acts
 * on its own copy when it can (its copy knows the instruction and is undecided; a bank whose copy is decided
 * first gives up). The schedule picks, at each step, either a pending message to deliver (any of them, so late
 * and out of order) or a bank to act. At every step no copy is executed while another is cancelled; at the end
 * every copy is the same.
 */
test('copies of N banks converge to one state and never disagree on executed versus cancelled, whatever the delivery order', () => {
  const scenario = fc.integer({ min: 2, max: 5 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      proposer: fc.nat(n - 1),
      intents: fc.array(fc.constantFrom('approved', 'approved', 'cancelled', 'none') as fc.Arbitrary<'approved' | 'cancelled' | 'none'>, { minLength: n, maxLength: n }),
      schedule: fc.array(fc.nat(1_000), { maxLength: 200 }),
    }),
  )
  let sawExecuted = false
  let sawCancelled = false
  fc.assert(
    fc.property(scenario, ({ n, proposer, intents, schedule }) => {
      const copies: InstructionCopy[] = Array.from({ length: n }, () => UNSEEN_INSTRUCTION_COPY)
      const acted = intents.map((intent) => intent === 'none')
      type Message = { to: number; kind: InstructionMessageKind; memberIndex: number }
      const pending: Message[] = []
      const broadcast = (from: number, kind: InstructionMessageKind) => {
        for (let to = 0; to < n; to++) if (to !== from) pending.push({ to, kind, memberIndex: from })
      }
      copies[proposer] = { ...UNSEEN_INSTRUCTION_COPY, status: InstructionStatus.Proposed, proposalSeen: true }
      broadcast(proposer, InstructionMessageKind.Proposed)
      const votesCast: ('approved' | 'cancelled')[] = []
      let step = 0
      for (;;) {
        const ready = intents.flatMap((_, i) => (!acted[i] && copies[i]!.status !== InstructionStatus.None ? [i] : []))
        const choices = pending.length + ready.length
        if (choices === 0) break
        const pick = (schedule[step++] ?? 0) % choices
        if (pick < pending.length) {
          const [m] = pending.splice(pick, 1)
          copies[m!.to] = mergeInstructionUpdate(copies[m!.to]!, m!, n).copy
        } else {
          const bank = ready[pick - pending.length]!
          const vote = intents[bank] as 'approved' | 'cancelled'
          acted[bank] = true
          const result = localInstructionVote(copies[bank]!, { self: bank, vote, memberCount: n })
          if ('refused' in result) {
            assert.equal(result.refused, 'decided', 'a bank acting on a known copy is refused only because it is decided')
            continue
          }
          copies[bank] = result.copy
          votesCast.push(vote)
          broadcast(bank, vote === 'approved' ? InstructionMessageKind.Approved : InstructionMessageKind.Cancelled)
        }
        const statuses = new Set(copies.map((c) => c.status))
        assert.ok(!(statuses.has(InstructionStatus.Executed) && statuses.has(InstructionStatus.Cancelled)), 'one copy executed while another is cancelled')
      }
      for (const copy of copies) assert.deepEqual(copy, copies[0], 'every copy ends the same')
      const status = copies[0]!.status
      assert.equal(status, votesCast.includes('cancelled') ? InstructionStatus.Cancelled : votesCast.length === n ? InstructionStatus.Executed : InstructionStatus.Proposed)
      assert.equal(copies[0]!.proposalSeen, true)
      if (status === InstructionStatus.Executed) sawExecuted = true
      if (status === InstructionStatus.Cancelled) sawCancelled = true
    }),
    { numRuns: 300 },
  )
  assert.ok(sawExecuted && sawCancelled, 'the runs reached both outcomes')
})
