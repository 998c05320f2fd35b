// The one place where the explorer reads an InstructionBook (docs/instructions.md): where an instruction was
// opened (its InstructionOpened event, with the members), and one bank's copy of it (the book's
// `instructionStatus`, through the SDK's reader). When the book's status changes shape, only this file changes.
import type { Address, Client, Hex } from 'viem'
import { getLogs } from 'viem/actions'
import * as c from '../contracts/generated/index.js'
import type { Instruction } from '../protocol/instruction.js'
import { INSTRUCTION_STATUS_NAMES, INSTRUCTION_VOTE_NAMES, readInstructionCopy as readBookCopy, type InstructionStatusName, type InstructionVoteName } from '../sdk/instructionBook.js'

/** One bank's copy of an instruction, as its book holds it. */
export type InstructionCopy = {
  /** `unknown` (nothing delivered there yet), `proposed`, `executed`, `cancelled` or `expired`. */
  status: InstructionStatusName
  /** Every member's latest vote this copy knows (`none`, `approved`, `withdrawn`, `confirmed`, `cancelled`, `expired`), with its version, in member order; empty for a copy never seen. */
  votes: { member: number; vote: InstructionVoteName; version: number }[]
  /** Whether the proposer's proposal reached this copy. */
  proposalSeen: boolean
}

/**
 * The copy of `instructionId` in the book at `book`, read with `client` (a public chain's node, or a private
 * chain's permissioned RPC as the visitor), through the SDK's reader of the book's `instructionStatus`.
 *
 * @example
 * ```ts
 * const copy = await readInstructionCopy(client, book, instructionId)
 * ```
 */
export async function readInstructionCopy(client: Client, book: Address, instructionId: Hex): Promise<InstructionCopy> {
  const copy = await readBookCopy(client, { book, instructionId })
  return {
    status: INSTRUCTION_STATUS_NAMES[copy.status] ?? 'unknown',
    votes: copy.votes.map((v, member) => ({ member, vote: INSTRUCTION_VOTE_NAMES[v.vote] ?? 'none', version: v.version })),
    proposalSeen: copy.proposalSeen,
  }
}

const instructionOpenedEvent = c.instructionBookAbi.find((item) => item.type === 'event' && item.name === 'InstructionOpened')!

/** The instruction `instructionId`, if a book on the chain `client` reads opened it (searched from `fromBlock`). */
export async function findOpenedInstruction(client: Client, instructionId: Hex, fromBlock: bigint): Promise<Instruction | undefined> {
  const logs = await getLogs(client, { event: instructionOpenedEvent, args: { instructionId }, fromBlock, toBlock: 'latest' })
  return logs[0]?.args.instruction as Instruction | undefined
}

/** Every instruction a book on the chain `client` reads opened in blocks `fromBlock` to `toBlock`, by id (lower-case). */
export async function openedInstructions(client: Client, fromBlock: bigint, toBlock: bigint): Promise<Map<string, Instruction>> {
  const logs = await getLogs(client, { event: instructionOpenedEvent, fromBlock, toBlock })
  return new Map(logs.flatMap((log) => (log.args.instructionId && log.args.instruction ? [[log.args.instructionId.toLowerCase(), log.args.instruction as Instruction] as const] : [])))
}
