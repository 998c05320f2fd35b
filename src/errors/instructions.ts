import type { Hex } from 'viem'
import { JunctionError } from './JunctionError.js'

/**
 * An instruction Junction refuses before anything is sent (docs/instructions.md): the same rules as the
 * contracts' `InstructionRules.check` (`WrongMemberCount`, `InvalidMember`, `SameChainTwice`, `ProposerOutOfRange`),
 * or a client on a chain that is not the member's.
 *
 * @example
 * ```ts
 * try { checkInstruction(instruction) } catch (e) { if (e instanceof InvalidInstructionError) console.log(e.reason) }
 * ```
 */
export class InvalidInstructionError extends JunctionError {
  override name = 'InvalidInstructionError'
  readonly reason: string
  constructor({ reason }: { reason: string }) {
    super(`Invalid instruction: ${reason}.`, {
      details:
        'An instruction has 2 to 8 members on distinct chains, each with its InstructionBook and a payment all set (token, amount above 0, payee) or all empty, and a proposer among them; each bank acts on its own book, with a client on its own chain.',
    })
    this.reason = reason
  }
}

/**
 * A book's message that does not decode as `abi.encode(uint8 kind, Instruction instruction, uint256 memberIndex)`
 * with a known kind (1 proposed, 2 approved, 3 cancelled).
 *
 * @example
 * ```ts
 * try { decodeInstructionMessage(payload) } catch (e) { if (e instanceof InvalidInstructionMessageError) console.log(e.payload) }
 * ```
 */
export class InvalidInstructionMessageError extends JunctionError {
  override name = 'InvalidInstructionMessageError'
  readonly payload: Hex
  constructor({ payload, cause }: { payload: Hex; cause?: unknown }) {
    super('Not an instruction message.', { details: 'An instruction message is abi.encode(uint8 kind, Instruction instruction, uint256 memberIndex), kind 1 (proposed), 2 (approved) or 3 (cancelled).', cause })
    this.payload = payload
  }
}

/**
 * An update that contradicts a vote a copy already holds from the same member (the book's
 * `ConflictingUpdate`): a member votes once, so one of the two did not come from an honest book.
 *
 * @example
 * ```ts
 * try { mergeInstructionUpdate(copy, update) } catch (e) { if (e instanceof ConflictingInstructionUpdateError) console.log(e.memberIndex) }
 * ```
 */
export class ConflictingInstructionUpdateError extends JunctionError {
  override name = 'ConflictingInstructionUpdateError'
  readonly memberIndex: number
  constructor({ memberIndex, held, received }: { memberIndex: number; held: 'approved' | 'cancelled'; received: 'approved' | 'cancelled' }) {
    super(`Member ${memberIndex} already ${held}; an update says it ${received}.`, {
      details: 'A member votes once on its own book, and a bank that approved cannot cancel: check that every member book is an InstructionBook on its InteropCenter.',
    })
    this.memberIndex = memberIndex
  }
}
