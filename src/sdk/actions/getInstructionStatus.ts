import type { Hex, PublicClient } from 'viem'
import { instructionId as instructionIdOf, type Instruction } from '../../protocol/instruction.js'
import { INSTRUCTION_STATUS_NAMES, INSTRUCTION_VOTE_NAMES, readInstructionCopy, type InstructionStatusName, type InstructionVoteName } from '../instructionBook.js'
import type { JunctionIndex } from '../JunctionIndex.js'

/** Parameters of {@link getInstructionStatus}. */
export type GetInstructionStatusParameters = {
  instruction: Instruction
  /**
   * Clients to read some members' chains with, by chain id (e.g. a bank's own session on its private chain's
   * permissioned RPC); the other chains are read through the index.
   */
  clients?: Readonly<Record<string, PublicClient>>
}

/** A member's vote as one copy knows it. */
export type InstructionMemberVoteStatus = {
  /** `none` (nothing heard), `approved`, `withdrawn`, `confirmed`, `cancelled` or `expired`. */
  vote: InstructionVoteName
  /** How many votes that member has cast on its own book when it cast this one (0: none heard). */
  version: number
}

/** One bank's copy. */
export type InstructionCopyStatus = {
  memberIndex: number
  chainId: bigint
  /** `unknown` (nothing delivered there yet), `proposed`, `executed`, `cancelled` or `expired`. */
  status: InstructionStatusName
  /** The proposer's proposal reached this copy. */
  proposalSeen: boolean
  /** Each member's latest vote known to this copy, in member order (empty while `unknown`). */
  votes: InstructionMemberVoteStatus[]
}

/** What {@link getInstructionStatus} resolves with. */
export type GetInstructionStatusReturnType = {
  instructionId: Hex
  /** Each member's copy on its own chain, in member order. */
  copies: InstructionCopyStatus[]
  /**
   * `executed` once any copy executed (then no copy ever ends otherwise); else `cancelled` or `expired` once any
   * copy ended so (then none ever executes; a copy may be cancelled while another is expired when one bank cancelled
   * and another bank's copy was expired); else `pending`.
   */
  outcome: 'pending' | 'executed' | 'cancelled' | 'expired'
  /** True when every copy holds the proposal, the same votes at the same versions and the same status: nothing is left in flight. */
  converged: boolean
}

/**
 * Where a shared instruction is on every member bank's chain (docs/instructions.md): each copy's status and the
 * votes it knows. Copies differ while updates are in flight; they converge once every update is delivered.
 *
 * @example
 * ```ts
 * const { outcome, converged, copies } = await getInstructionStatus(index, { instruction })
 * ```
 */
export async function getInstructionStatus(index: JunctionIndex, parameters: GetInstructionStatusParameters): Promise<GetInstructionStatusReturnType> {
  const { instruction } = parameters
  const instructionId = instructionIdOf(instruction)
  const copies = await Promise.all(
    instruction.members.map(async (member, memberIndex): Promise<InstructionCopyStatus> => {
      const client = parameters.clients?.[member.chainId.toString()] ?? index.chain(Number(member.chainId)).client
      const copy = await readInstructionCopy(client, { book: member.book, instructionId })
      return { memberIndex, chainId: member.chainId, status: INSTRUCTION_STATUS_NAMES[copy.status]!, proposalSeen: copy.proposalSeen, votes: copy.votes.map((v) => ({ vote: INSTRUCTION_VOTE_NAMES[v.vote], version: v.version })) }
    }),
  )
  const first = (status: InstructionStatusName) => copies.some((copy) => copy.status === status)
  const outcome = first('executed') ? 'executed' : first('cancelled') ? 'cancelled' : first('expired') ? 'expired' : 'pending'
  const same = (copy: InstructionCopyStatus) => copy.status === copies[0]!.status && copy.proposalSeen && JSON.stringify(copy.votes) === JSON.stringify(copies[0]!.votes)
  return { instructionId, copies, outcome, converged: copies.every(same) }
}
