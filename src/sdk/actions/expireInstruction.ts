import type { Account, Chain, Transport, WalletClient } from 'viem'
import type { Instruction } from '../../protocol/instruction.js'
import { bookTransition, type BookTransitionReturnType } from '../instructionBook.js'

/** Parameters of {@link expireInstruction}. */
export type ExpireInstructionParameters = {
  /** The instruction (its id is `keccak256(abi.encode(instruction))`); one member must be on the client's chain. */
  instruction: Instruction
}

/** What {@link expireInstruction} resolves with: the id, the updates sent to the other books (bundle hashes), the bank's copy after. */
export type ExpireInstructionReturnType = BookTransitionReturnType

/**
 * Expires the copy of a shared instruction on the client's chain (docs/instructions.md), from any account: allowed once that chain's block timestamp reached the instruction's expiry (`ExpiryNotReached` before), while the copy is undecided (`InstructionDecided`) and its bank has not confirmed (`WrongVote`: that copy waits for the other banks' final votes). Records "expired" as the bank's final vote, gives its escrowed share back, and sends it to every other member's book, which then ends expired too (or cancelled, if it learned a cancel first). The relayer's InstructionKeeper does this by itself.
 *
 * @example
 * ```ts
 * await expireInstruction(anyone, { instruction })
 * ```
 */
export async function expireInstruction<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: ExpireInstructionParameters,
): Promise<ExpireInstructionReturnType> {
  return bookTransition(client, parameters.instruction, 'expire', {})
}
