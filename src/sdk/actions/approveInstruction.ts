import type { Account, Chain, Transport, WalletClient } from 'viem'
import type { Instruction } from '../../protocol/instruction.js'
import { bookTransition, type BookTransitionReturnType } from '../instructionBook.js'

/** Parameters of {@link approveInstruction}. */
export type ApproveInstructionParameters = {
  /** The instruction (its id is `keccak256(abi.encode(instruction))`); one member must be on the client's chain. */
  instruction: Instruction
  /** Approve the book for the bank's share first when the allowance is short. Default true. */
  approveToken?: boolean
}

/** What {@link approveInstruction} resolves with: the id, the updates sent to the other books (bundle hashes), the bank's copy after. */
export type ApproveInstructionReturnType = BookTransitionReturnType

/**
 * The bank on the client's chain approves a shared instruction (docs/instructions.md): its book takes the bank's share into escrow (approving the book for it first when the allowance is short), records the vote (a new version) and sends an "approved" update to every other member's book. An approval is revocable (`withdrawInstruction`) until the bank confirms (`confirmInstruction`). Refused before the instruction reached the bank's book (`UnknownInstruction`: its proposal or another member's update must be delivered first), once the copy is decided (`InstructionDecided`), unless the bank's vote is none or withdrawn (`WrongVote`), and once its chain's clock reached the expiry (`ExpiryReached`).
 *
 * @example
 * ```ts
 * const { status } = await approveInstruction(bankB, { instruction })
 * ```
 */
export async function approveInstruction<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: ApproveInstructionParameters,
): Promise<ApproveInstructionReturnType> {
  return bookTransition(client, parameters.instruction, 'approve', { approveToken: parameters.approveToken })
}
