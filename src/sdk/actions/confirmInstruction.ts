import type { Account, Chain, Transport, WalletClient } from 'viem'
import type { Instruction } from '../../protocol/instruction.js'
import { bookTransition, type BookTransitionReturnType } from '../instructionBook.js'

/** Parameters of {@link confirmInstruction}. */
export type ConfirmInstructionParameters = {
  /** The instruction (its id is `keccak256(abi.encode(instruction))`); one member must be on the client's chain. */
  instruction: Instruction
}

/** What {@link confirmInstruction} resolves with: the id, the updates sent to the other books (bundle hashes), the bank's copy after. */
export type ConfirmInstructionReturnType = BookTransitionReturnType

/**
 * The bank on the client's chain confirms a shared instruction (docs/instructions.md): final, it can no longer withdraw or cancel; every copy executes once it holds every member's confirmation. Allowed only while the bank's own chain's block timestamp is below the instruction's expiry (`ExpiryReached`), after the bank approved (`WrongVote`), and once the bank's copy knows every member's approval or confirmation (`ApprovalsMissing`: deliver their updates first).
 *
 * @example
 * ```ts
 * const { status } = await confirmInstruction(bankB, { instruction })
 * ```
 */
export async function confirmInstruction<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: ConfirmInstructionParameters,
): Promise<ConfirmInstructionReturnType> {
  return bookTransition(client, parameters.instruction, 'confirm', {})
}
