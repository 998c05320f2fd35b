// The one place where the explorer reads an InstructionBook (docs/instructions.md): where an instruction was
// opened (its InstructionOpened event, with the members), and one bank's copy of it (the book's
// `instructionStatus` tuple). When the book's status changes shape, only this file changes.
import type { Address, Client, Hex } from 'viem'
import { getLogs, readContract } from 'viem/actions'
import * as c from '../contracts/generated/index.js'
import type { Instruction } from '../protocol/instruction.js'
import { INSTRUCTION_STATUS_NAMES, type InstructionStatusName } from '../sdk/instructionBook.js'

/** One bank's copy of an instruction, as its book holds it. */
export type InstructionCopy = {
  /** `unknown` (nothing delivered there yet), `proposed`, `executed` or `cancelled`. */
  status: InstructionStatusName
  /** Members (by index) whose approval this copy knows. */
  approvedBy: number[]
  /** Members whose cancel this copy knows. */
  cancelledBy: number[]
  /** Whether the proposer's proposal reached this copy. */
  proposalSeen: boolean
}

/**
 * The copy of `instructionId` in the book at `book`, read with `client` (a public chain's node, or a private
 * chain's permissioned RPC as the visitor).
 *
 * @example
 * ```ts
 * const copy = await readInstructionCopy(client, book, instructionId)
 * ```
 */
export async function readInstructionCopy(client: Client, book: Address, instructionId: Hex): Promise<InstructionCopy> {
  const [status, approvedMask, cancelledMask, proposalSeen] = (await readContract(client, { address: book, abi: c.instructionBookAbi, functionName: 'instructionStatus', args: [instructionId] })) as readonly [number, number, number, boolean, ...unknown[]]
  const members = (mask: number) => Array.from({ length: 8 }, (_, i) => i).filter((i) => (mask >> i) & 1)
  return { status: INSTRUCTION_STATUS_NAMES[status] ?? 'unknown', approvedBy: members(approvedMask), cancelledBy: members(cancelledMask), proposalSeen }
}

/** The instruction `instructionId`, if a book on the chain `client` reads opened it (searched from `fromBlock`). */
export async function findOpenedInstruction(client: Client, instructionId: Hex, fromBlock: bigint): Promise<Instruction | undefined> {
  const logs = await getLogs(client, { event: c.instructionBookAbi.find((item) => item.type === 'event' && item.name === 'InstructionOpened')!, args: { instructionId }, fromBlock, toBlock: 'latest' })
  return logs[0]?.args.instruction as Instruction | undefined
}
