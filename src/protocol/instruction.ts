// Multi-bank instructions (docs/instructions.md; contracts/instructions/): the instruction, its id, the messages
// between the member banks' books, and a model of one copy's rules (InstructionBook.receiveMessage, approve,
// withdraw, confirm, cancel, expire), used by the property test of convergence and by the SDK. Pure: no I/O.
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
  /**
   * Unix time (seconds): each bank confirms only while its own chain's block timestamp is below it; from it on,
   * anyone may expire a copy whose bank has not confirmed.
   */
  expiry: bigint
  /** Index of the member whose book proposes it. */
  proposer: bigint
  members: readonly InstructionMember[]
}

/** Message kinds (`InstructionRules.PROPOSED` ... `EXPIRED`): the sending member's own transition. */
export const InstructionMessageKind = { Proposed: 1, Approved: 2, Withdrawn: 3, Confirmed: 4, Cancelled: 5, Expired: 6 } as const
export type InstructionMessageKind = (typeof InstructionMessageKind)[keyof typeof InstructionMessageKind]

/** A copy's status (`InstructionBook.Status`). */
export const InstructionStatus = { None: 0, Proposed: 1, Executed: 2, Cancelled: 3, Expired: 4 } as const
export type InstructionStatus = (typeof InstructionStatus)[keyof typeof InstructionStatus]

/** The ABI of `Instruction` (a tuple). */
export const instructionAbiParameter = {
  type: 'tuple',
  components: [
    { name: 'termsHash', type: 'bytes32' },
    { name: 'salt', type: 'bytes32' },
    { name: 'expiry', type: 'uint64' },
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

const messageParameters = [{ type: 'uint8' }, instructionAbiParameter, { type: 'uint256' }, { type: 'uint32' }] as const

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
 * Checks an instruction as every book does (`InstructionRules.check`): an expiry, 2 to 8 members on distinct chains, each
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
  if (instruction.expiry <= 0n || instruction.expiry >= 2n ** 64n) refuse(`expiry ${instruction.expiry} is not a unix time above 0 (uint64)`)
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

/** A book's message: the sending member's transition and its vote version (0 for "proposed"). */
export type InstructionMessage = { kind: InstructionMessageKind; instruction: Instruction; memberIndex: bigint; version: number }

/**
 * Encodes a book's message: `abi.encode(uint8 kind, Instruction instruction, uint256 memberIndex, uint32 version)`.
 *
 * @example
 * ```ts
 * const payload = encodeInstructionMessage({ kind: InstructionMessageKind.Approved, instruction, memberIndex: 1n, version: 1 })
 * ```
 */
export function encodeInstructionMessage({ kind, instruction, memberIndex, version }: InstructionMessage): Hex {
  return encodeAbiParameters(messageParameters, [kind, instruction, memberIndex, version])
}

/**
 * Decodes a book's message; throws {@link InvalidInstructionMessageError} for anything else.
 *
 * @example
 * ```ts
 * const { kind, instruction, memberIndex, version } = decodeInstructionMessage(payload)
 * ```
 */
export function decodeInstructionMessage(payload: Hex): InstructionMessage {
  let decoded: readonly [number, Instruction, bigint, number]
  try {
    decoded = decodeAbiParameters(messageParameters, payload) as unknown as readonly [number, Instruction, bigint, number]
  } catch (cause) {
    throw new InvalidInstructionMessageError({ payload, cause })
  }
  const [kind, instruction, memberIndex, version] = decoded
  if (!Number.isInteger(kind) || kind < 1 || kind > 6) throw new InvalidInstructionMessageError({ payload })
  return { kind: kind as InstructionMessageKind, instruction, memberIndex, version }
}

/** A member's vote as a copy holds it (`InstructionRules` kinds): `None` before any vote. */
export const InstructionVote = { None: 0, Approved: 2, Withdrawn: 3, Confirmed: 4, Cancelled: 5, Expired: 6 } as const
export type InstructionVote = (typeof InstructionVote)[keyof typeof InstructionVote]

/** Whether a vote is final (confirmed, cancelled, expired): its book sends nothing for that member after it. */
export const isFinalInstructionVote = (vote: InstructionVote): boolean => vote === InstructionVote.Confirmed || vote === InstructionVote.Cancelled || vote === InstructionVote.Expired

/** One member's vote and its version (0: no vote seen), as `InstructionBook.MemberVote`. */
export type InstructionMemberVote = { vote: InstructionVote; version: number }

/** One copy of an instruction, as a book returns it (`InstructionBook.instructionStatus`, without `self` and the escrow). */
export type InstructionCopy = {
  status: InstructionStatus
  /** The proposer's proposal is known here. */
  proposalSeen: boolean
  /** Each member's vote and version, in member order (empty for a copy never seen). */
  votes: readonly InstructionMemberVote[]
}

/** A copy never seen: status None, no votes. */
export const UNSEEN_INSTRUCTION_COPY: InstructionCopy = { status: InstructionStatus.None, proposalSeen: false, votes: [] }

/**
 * What the final votes decide (`InstructionBook._settle`): Cancelled once a member cancelled, else Expired once a
 * member expired, else Executed once every member confirmed, else Proposed. A copy decides once.
 *
 * @example
 * ```ts
 * instructionOutcome([{ vote: 4, version: 2 }, { vote: 4, version: 2 }]) // InstructionStatus.Executed
 * ```
 */
export function instructionOutcome(votes: readonly InstructionMemberVote[]): InstructionStatus {
  if (votes.some((v) => v.vote === InstructionVote.Cancelled)) return InstructionStatus.Cancelled
  if (votes.some((v) => v.vote === InstructionVote.Expired)) return InstructionStatus.Expired
  if (votes.length > 0 && votes.every((v) => v.vote === InstructionVote.Confirmed)) return InstructionStatus.Executed
  return InstructionStatus.Proposed
}

const decide = (copy: InstructionCopy): InstructionCopy => (copy.status === InstructionStatus.Proposed ? { ...copy, status: instructionOutcome(copy.votes) } : copy)
const withVote = (copy: InstructionCopy, memberIndex: number, vote: InstructionMemberVote): InstructionCopy => ({ ...copy, votes: copy.votes.map((v, i) => (i === memberIndex ? vote : v)) })
const open = (copy: InstructionCopy, memberCount: number): InstructionCopy =>
  copy.status === InstructionStatus.None ? { ...copy, status: InstructionStatus.Proposed, votes: Array.from({ length: memberCount }, () => ({ vote: InstructionVote.None, version: 0 })) } : copy

/**
 * Merges a member book's update into a copy, as `InstructionBook.receiveMessage` does: opens the copy on first
 * sight, records the proposal, or the member's vote when its version is above the one held, and decides if the votes
 * decide. `ignored` is true for an update that tells nothing new (the same vote, an older version: the book emits
 * `UpdateIgnored`); the same version with another vote, or anything after a final vote, throws
 * {@link ConflictingInstructionUpdateError} (the book reverts `ConflictingUpdate`).
 *
 * @example
 * ```ts
 * const { copy } = mergeInstructionUpdate(UNSEEN_INSTRUCTION_COPY, { kind: InstructionMessageKind.Approved, memberIndex: 2, version: 1 }, 3)
 * ```
 */
export function mergeInstructionUpdate(copy: InstructionCopy, update: { kind: InstructionMessageKind; memberIndex: number; version: number }, memberCount: number): { copy: InstructionCopy; ignored: boolean } {
  const opened = open(copy, memberCount)
  if (update.kind === InstructionMessageKind.Proposed) {
    return opened.proposalSeen ? { copy: opened, ignored: true } : { copy: { ...opened, proposalSeen: true }, ignored: false }
  }
  const held = opened.votes[update.memberIndex]!
  if (update.version < held.version || (update.version === held.version && update.kind === held.vote)) return { copy: opened, ignored: true }
  if (update.version === held.version || isFinalInstructionVote(held.vote)) {
    throw new ConflictingInstructionUpdateError({ memberIndex: update.memberIndex, held: held.vote, heldVersion: held.version, received: update.kind, version: update.version })
  }
  return { copy: decide(withVote(opened, update.memberIndex, { vote: update.kind as InstructionVote, version: update.version })), ignored: false }
}

/** A bank's own steps on its book. */
export type InstructionAction = 'approve' | 'withdraw' | 'confirm' | 'cancel' | 'expire'

/** Why a book refuses a step, and the book's error for it. */
export const INSTRUCTION_REFUSALS = {
  unknown: 'UnknownInstruction',
  decided: 'InstructionDecided',
  'wrong-vote': 'WrongVote',
  'expiry-reached': 'ExpiryReached',
  'expiry-not-reached': 'ExpiryNotReached',
  'approvals-missing': 'ApprovalsMissing',
} as const
export type InstructionVoteRefusal = keyof typeof INSTRUCTION_REFUSALS

/** The vote each step writes. */
const VOTE_OF_ACTION: Record<InstructionAction, InstructionVote> = {
  approve: InstructionVote.Approved,
  withdraw: InstructionVote.Withdrawn,
  confirm: InstructionVote.Confirmed,
  cancel: InstructionVote.Cancelled,
  expire: InstructionVote.Expired,
}

/**
 * A step on bank `self`'s own copy, as `InstructionBook.approve` / `withdraw` / `confirm` / `cancel` / `expire`
 * check it, in the same order: refused on an unknown or decided copy; approve needs no vote or a withdrawn one and
 * the clock before the expiry; withdraw needs an approval; confirm needs an approval, the clock before the expiry and
 * every member's approval or confirmation known; cancel needs a vote that is not final; expire needs the clock at
 * or past the expiry, then a vote that is not final. Else the bank's next version is recorded and the copy decided.
 * `beforeExpiry`: the book's chain's block timestamp is below the instruction's expiry.
 *
 * @example
 * ```ts
 * const result = localInstructionVote(copy, { self: 1, action: 'confirm', beforeExpiry: true })
 * if ('refused' in result) console.log(result.refused)
 * ```
 */
export function localInstructionVote(copy: InstructionCopy, { self, action, beforeExpiry }: { self: number; action: InstructionAction; beforeExpiry: boolean }): { copy: InstructionCopy; version: number } | { refused: InstructionVoteRefusal } {
  if (copy.status === InstructionStatus.None) return { refused: 'unknown' }
  if (copy.status !== InstructionStatus.Proposed) return { refused: 'decided' }
  const own = copy.votes[self]!
  const refusal = ((): InstructionVoteRefusal | undefined => {
    switch (action) {
      case 'approve':
        if (own.vote !== InstructionVote.None && own.vote !== InstructionVote.Withdrawn) return 'wrong-vote'
        return beforeExpiry ? undefined : 'expiry-reached'
      case 'withdraw':
        return own.vote === InstructionVote.Approved ? undefined : 'wrong-vote'
      case 'confirm':
        if (own.vote !== InstructionVote.Approved) return 'wrong-vote'
        if (!beforeExpiry) return 'expiry-reached'
        return copy.votes.every((v) => v.vote === InstructionVote.Approved || v.vote === InstructionVote.Confirmed) ? undefined : 'approvals-missing'
      case 'cancel':
        return isFinalInstructionVote(own.vote) ? 'wrong-vote' : undefined
      case 'expire':
        if (beforeExpiry) return 'expiry-not-reached'
        return isFinalInstructionVote(own.vote) ? 'wrong-vote' : undefined
    }
  })()
  if (refusal) return { refused: refusal }
  const version = own.version + 1
  return { copy: decide(withVote(copy, self, { vote: VOTE_OF_ACTION[action], version })), version }
}
