import type { Account, Chain, Transport, WalletClient } from 'viem'
import type { Instruction } from '../../protocol/instruction.js'
import { bookTransition, type BookTransitionReturnType } from '../instructionBook.js'

/** Parameters of {@link proposeInstruction}. */
export type ProposeInstructionParameters = {
  /** The instruction (its id is `keccak256(abi.encode(instruction))`); one member must be on the client's chain. */
  instruction: Instruction
}

/** What {@link proposeInstruction} resolves with: the id, the updates sent to the other books (bundle hashes), the bank's copy after. */
export type ProposeInstructionReturnType = BookTransitionReturnType

/**
 * Proposes a shared instruction from the proposer bank's book (docs/instructions.md): opens the bank's copy and sends a "proposed" update to every other member's book. The client's account must be the book's operator (`NotOperator`), its chain the proposer member's (`NotProposer`); an instruction seen there already is refused (`InstructionExists`), and so is one whose expiry the chain's clock reached (`ExpiryReached`). Proposing is not approving: the proposer approves too.
 *
 * @example
 * ```ts
 * const { instructionId, updates } = await proposeInstruction(bankA, { instruction })
 * ```
 */
export async function proposeInstruction<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: ProposeInstructionParameters,
): Promise<ProposeInstructionReturnType> {
  return bookTransition(client, parameters.instruction, 'propose', {})
}
