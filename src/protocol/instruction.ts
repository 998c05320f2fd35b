// Multi-bank instructions (docs/instructions.md; contracts/instructions/): the instruction, its id, the messages
// between the member banks' books, and a model of one copy's merge rule (InstructionBook.receiveMessage, approve,
// cancel), used by the property test of convergence and by the SDK. Pure: no I/O.
import { decodeAbiParameters, encodeAbiParameters, keccak256, zeroAddress, type Address, type Hex } from 'viem'
import { ConflictingInstructionUpdateError, InvalidInstructionError, InvalidInstructionMessageError } from '../errors/instructions.js'

/** Most members of one instruction (`InstructionRules.MAX_MEMBERS`): the vote masks are 8 bits. */
export const MAX_INSTRUCTION_MEMBERS = 8

/** One bank: its book on its chain, and what it pays there on execution (token 0 and amount 0: nothing). */
export type InstructionMember = {
  chainId: bigint
  book: Address
  token: Address
  amount: bigint
  payee: Address
}

/** An instruction shared by 2 to 8 banks; its id is `keccak256(abi.encode(instruction))`. */
export type Instruction = {
  /** Hash of the instruction's terms off chain (e.g. a syndicated loan's payment notice). */
  termsHash: Hex
  /** Anything the proposer chooses, so the same terms twice have two ids. */
  salt: Hex
  /** Index of the member whose book proposes it. */
  proposer: bigint
  members: readonly InstructionMember[]
}

/** Message kinds (`InstructionRules.PROPOSED`, `APPROVED`, `CANCELLED`): the sending member's own transition. */
export const InstructionMessageKind = { Proposed: 1, Approved: 2, Cancelled: 3 } as const
export type InstructionMessageKind = (typeof InstructionMessageKind)[keyof typeof InstructionMessageKind]

/** A copy's status (`InstructionBook.Status`). */
export const InstructionStatus = { None: 0, Proposed: 1, Executed: 2, Cancelled: 3 } as const
export type InstructionStatus = (typeof InstructionStatus)[keyof typeof InstructionStatus]

/** The ABI of `Instruction` (a tuple). */
export const instructionAbiParameter = {
  type: 'tuple',
  components: [
    { name: 'termsHash', type: 'bytes32' },
    { name: 'salt', type: 'bytes32' },
    { name: 'proposer', type: 'uint256' },
    {
      name: 'members',
      type: 'tuple[]',
      components: [
        { name: 'chainId', type: 'uint256' },
        { name: 'book', type: 'address' },
        { name: 'token', type: 'address' },
        { name: 'amount', type: 'uint256' },
        { name: 'payee', type: 'address' },
      ],
    },
  ],
} as const

const messageParameters = [{ type: 'uint8' }, instructionAbiParameter, { type: 'uint256' }] as const

/**
 * The instruction id: `keccak256(abi.encode(instruction))`, as `InstructionRules.instructionId`.
 *
 * @example
 * ```ts
 * const id = instructionId(instruction)
 * ```
 */
export function instructionId(instruction: Instruction): Hex {
  return keccak256(encodeAbiParameters([instructionAbiParameter], [instruction]))
}

/**
 * Checks an instruction as every book does (`InstructionRules.check`): 2 to 8 members on distinct chains, each
 * with a book and a payment all set or all empty, a proposer among them. Throws {@link InvalidInstructionError}.
 *
 * @example
 * ```ts
 * checkInstruction(instruction)
 * ```
 */
export function checkInstruction(instruction: Instruction): void {
  const refuse = (reason: string): never => {
    throw new InvalidInstructionError({ reason })
  }
  const count = instruction.members.length
  if (count < 2 || count > MAX_INSTRUCTION_MEMBERS) refuse(`${count} members (2 to ${MAX_INSTRUCTION_MEMBERS})`)
  if (instruction.proposer >= BigInt(count)) refuse(`proposer ${instruction.proposer} is not one of the ${count} members`)
  instruction.members.forEach((m, i) => {
    const pays = m.token !== zeroAddress
    if (m.chainId === 0n || m.book === zeroAddress || pays !== (m.amount !== 0n) || pays !== (m.payee !== zeroAddress)) {
      refuse(`member ${i} has chain id 0, no book, or a payment not all set (token, amount, payee) nor all empty`)
    }
    const first = instruction.members.findIndex((other) => other.chainId === m.chainId)
    if (first !== i) refuse(`members ${first} and ${i} are both on chain ${m.chainId} (one book per bank chain)`)
  })
}

/**
 * Encodes a book's message: `abi.encode(uint8 kind, Instruction instruction, uint256 memberIndex)`.
 *
 * @example
 * ```ts
 * const payload = encodeInstructionMessage({ kind: InstructionMessageKind.Approved, instruction, memberIndex: 1n })
 * ```
 */
export function encodeInstructionMessage({ kind, instruction, memberIndex }: { kind: InstructionMessageKind; instruction: Instruction; memberIndex: bigint }): Hex {
  return encodeAbiParameters(messageParameters, [kind, instruction, memberIndex])
}

/**
 * Decodes a book's message; throws {@link InvalidInstructionMessageError} for anything else.
 *
 * @example
 * ```ts
 * const { kind, instruction, memberIndex } = decodeInstructionMessage(payload)
 * ```
 */
export function decodeInstructionMessage(payload: Hex): { kind: InstructionMessageKind; instruction: Instruction; memberIndex: bigint } {
  let decoded: readonly [number, Instruction, bigint]
  try {
    decoded = decodeAbiParameters(messageParameters, payload) as unknown as readonly [number, Instruction, bigint]
  } catch (cause) {
    throw new InvalidInstructionMessageError({ payload, cause })
  }
  const [kind, instruction, memberIndex] = decoded
  if (kind !== 1 && kind !== 2 && kind !== 3) throw new InvalidInstructionMessageError({ payload })
  return { kind, instruction, memberIndex }
}

/** One copy of an instruction, as a book keeps it (`InstructionBook.Copy`, without the escrow). */
export type InstructionCopy = {
  status: InstructionStatus
  /** Bit i: member i approved. */
  approvedMask: number
  /** Bit i: member i cancelled. */
  cancelledMask: number
  /** The proposer's proposal is known here. */
  proposalSeen: boolean
}

/** A copy never seen: status None, no votes. */
export const UNSEEN_INSTRUCTION_COPY: InstructionCopy = { status: InstructionStatus.None, approvedMask: 0, cancelledMask: 0, proposalSeen: false }

/**
 * What the votes decide (`InstructionBook._settle`): Cancelled once any member cancelled, Executed once all
 * `memberCount` approved, else Proposed. A copy decides once; with honest books (a member votes once) the
 * decision is always this function of the masks it holds.
 *
 * @example
 * ```ts
 * instructionOutcome({ approvedMask: 0b111, cancelledMask: 0, memberCount: 3 }) // InstructionStatus.Executed
 * ```
 */
export function instructionOutcome({ approvedMask, cancelledMask, memberCount }: { approvedMask: number; cancelledMask: number; memberCount: number }): InstructionStatus {
  if (cancelledMask !== 0) return InstructionStatus.Cancelled
  if (approvedMask === (1 << memberCount) - 1) return InstructionStatus.Executed
  return InstructionStatus.Proposed
}

const decide = (copy: InstructionCopy, memberCount: number): InstructionCopy =>
  copy.status === InstructionStatus.Proposed ? { ...copy, status: instructionOutcome({ ...copy, memberCount }) } : copy

/**
 * Merges a member book's update into a copy, as `InstructionBook.receiveMessage` does: opens the copy on first
 * sight, records the proposal or the vote (a union), decides if the votes decide. `ignored` is true for an update
 * that tells nothing new (the book emits `UpdateIgnored`); one contradicting a held vote throws
 * {@link ConflictingInstructionUpdateError} (the book reverts `ConflictingUpdate`).
 *
 * @example
 * ```ts
 * const { copy } = mergeInstructionUpdate(UNSEEN_INSTRUCTION_COPY, { kind: InstructionMessageKind.Approved, memberIndex: 2 }, 3)
 * ```
 */
export function mergeInstructionUpdate(copy: InstructionCopy, update: { kind: InstructionMessageKind; memberIndex: number }, memberCount: number): { copy: InstructionCopy; ignored: boolean } {
  const opened = copy.status === InstructionStatus.None ? { ...copy, status: InstructionStatus.Proposed } : copy
  if (update.kind === InstructionMessageKind.Proposed) {
    return opened.proposalSeen ? { copy: opened, ignored: true } : { copy: { ...opened, proposalSeen: true }, ignored: false }
  }
  const bit = 1 << update.memberIndex
  const held = opened.approvedMask & bit ? 'approved' : opened.cancelledMask & bit ? 'cancelled' : undefined
  const received = update.kind === InstructionMessageKind.Approved ? 'approved' : 'cancelled'
  if (held === received) return { copy: opened, ignored: true }
  if (held !== undefined) throw new ConflictingInstructionUpdateError({ memberIndex: update.memberIndex, held, received })
  const voted = update.kind === InstructionMessageKind.Approved ? { ...opened, approvedMask: opened.approvedMask | bit } : { ...opened, cancelledMask: opened.cancelledMask | bit }
  return { copy: decide(voted, memberCount), ignored: false }
}

/** Why a book refuses its operator's vote (`UnknownInstruction`, `InstructionDecided`, `AlreadyVoted`). */
export type InstructionVoteRefusal = 'unknown' | 'decided' | 'already-voted'

/**
 * A bank's own vote on its copy (member `self`), as `InstructionBook.approve` / `cancel`: refused before the
 * instruction is known there, once the copy is decided, and after the bank voted (a bank that approved cannot
 * cancel); else recorded and decided.
 *
 * @example
 * ```ts
 * const result = localInstructionVote(copy, { self: 1, vote: 'cancelled', memberCount: 3 })
 * if ('refused' in result) console.log(result.refused)
 * ```
 */
export function localInstructionVote(copy: InstructionCopy, { self, vote, memberCount }: { self: number; vote: 'approved' | 'cancelled'; memberCount: number }): { copy: InstructionCopy } | { refused: InstructionVoteRefusal } {
  if (copy.status === InstructionStatus.None) return { refused: 'unknown' }
  if (copy.status !== InstructionStatus.Proposed) return { refused: 'decided' }
  const bit = 1 << self
  if ((copy.approvedMask | copy.cancelledMask) & bit) return { refused: 'already-voted' }
  const voted = vote === 'approved' ? { ...copy, approvedMask: copy.approvedMask | bit } : { ...copy, cancelledMask: copy.cancelledMask | bit }
  return { copy: decide(voted, memberCount) }
}
