import type { Hex, PublicClient } from 'viem'
import * as c from '../../contracts/generated/index.js'
import { instructionId as instructionIdOf, type Instruction } from '../../protocol/instruction.js'
import { INSTRUCTION_STATUS_NAMES, type InstructionStatusName } from '../instructionBook.js'
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

/** One bank's copy. */
export type InstructionCopyStatus = {
  memberIndex: number
  chainId: bigint
  /** `unknown` (nothing delivered there yet), `proposed`, `executed` or `cancelled`. */
  status: InstructionStatusName
  /** Members whose approval this copy knows. */
  approvedBy: number[]
  /** Members whose cancel this copy knows. */
  cancelledBy: number[]
  /** The proposer's proposal reached this copy. */
  proposalSeen: boolean
}

/** What {@link getInstructionStatus} resolves with. */
export type GetInstructionStatusReturnType = {
  instructionId: Hex
  /** Each member's copy on its own chain, in member order. */
  copies: InstructionCopyStatus[]
  /** `executed` or `cancelled` once any copy decided (no copy ever decides the other way), else `pending`. */
  outcome: 'pending' | 'executed' | 'cancelled'
  /** True when every copy holds the same votes, the proposal and the same status: nothing is left in flight. */
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
  const members = (mask: number) => instruction.members.flatMap((_, i) => ((mask >> i) & 1 ? [i] : []))
  const copies = await Promise.all(
    instruction.members.map(async (member, memberIndex): Promise<InstructionCopyStatus> => {
      const client = parameters.clients?.[member.chainId.toString()] ?? index.chain(Number(member.chainId)).client
      const [status, approvedMask, cancelledMask, proposalSeen] = (await client.readContract({ address: member.book, abi: c.instructionBookAbi, functionName: 'instructionStatus', args: [instructionId] })) as readonly [number, number, number, boolean, number, number]
      return { memberIndex, chainId: member.chainId, status: INSTRUCTION_STATUS_NAMES[status]!, approvedBy: members(approvedMask), cancelledBy: members(cancelledMask), proposalSeen }
    }),
  )
  const decided = copies.find((copy) => copy.status === 'executed' || copy.status === 'cancelled')
  const same = (copy: InstructionCopyStatus) => copy.status === copies[0]!.status && copy.proposalSeen && String(copy.approvedBy) === String(copies[0]!.approvedBy) && String(copy.cancelledBy) === String(copies[0]!.cancelledBy)
  return { instructionId, copies, outcome: decided ? (decided.status as 'executed' | 'cancelled') : 'pending', converged: copies.every(same) }
}
