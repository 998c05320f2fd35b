import type { Account, Chain, Transport, WalletClient } from 'viem'
import type { Instruction } from '../../protocol/instruction.js'
import { bookTransition, type BookTransitionReturnType } from '../instructionBook.js'

/** Parameters of {@link withdrawInstruction}. */
export type WithdrawInstructionParameters = {
  /** The instruction (its id is `keccak256(abi.encode(instruction))`); one member must be on the client's chain. */
  instruction: Instruction
}

/** What {@link withdrawInstruction} resolves with: the id, the updates sent to the other books (bundle hashes), the bank's copy after. */
export type WithdrawInstructionReturnType = BookTransitionReturnType

/**
 * The bank on the client's chain withdraws its approval of a shared instruction (docs/instructions.md): its escrowed share goes back to who paid it, and a "withdrawn" update (a newer version of the bank's vote than its approval) goes to every other member's book, where it replaces the approval however late the approval arrives. Refused unless the bank's vote is "approved" (`WrongVote`: not after it confirmed) and its copy is undecided (`InstructionDecided`). The bank may approve again later.
 *
 * @example
 * ```ts
 * await withdrawInstruction(bankB, { instruction })
 * ```
 */
export async function withdrawInstruction<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: WithdrawInstructionParameters,
): Promise<WithdrawInstructionReturnType> {
  return bookTransition(client, parameters.instruction, 'withdraw', {})
}
