import type { Account, Chain, Transport, WalletClient } from 'viem'
import type { Instruction } from '../../protocol/instruction.js'
import { bookTransition, type BookTransitionReturnType } from '../instructionBook.js'

/** Parameters of {@link cancelInstruction}. */
export type CancelInstructionParameters = {
  /** The instruction (its id is `keccak256(abi.encode(instruction))`); one member must be on the client's chain. */
  instruction: Instruction
}

/** What {@link cancelInstruction} resolves with: the id, the updates sent to the other books (bundle hashes), the bank's copy after. */
export type CancelInstructionReturnType = BookTransitionReturnType

/**
 * The bank on the client's chain vetoes a shared instruction (docs/instructions.md): a final vote, allowed while its copy is undecided (`InstructionDecided`) and the bank has not confirmed (`WrongVote`), also after it approved. Its copy is cancelled at once (its escrowed share back) and a "cancelled" update goes to every other member's book: every copy that learns it ends cancelled (or expired, if it learned an expiry first), and none can execute (the bank's confirmation will never come).
 *
 * @example
 * ```ts
 * await cancelInstruction(bankC, { instruction })
 * ```
 */
export async function cancelInstruction<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: CancelInstructionParameters,
): Promise<CancelInstructionReturnType> {
  return bookTransition(client, parameters.instruction, 'cancel', {})
}
