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
 * A book's message that does not decode as `abi.encode(uint8 kind, Instruction instruction, uint256 memberIndex,
 * uint32 version)` with a known kind (1 proposed to 6 expired).
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
    super('Not an instruction message.', { details: 'An instruction message is abi.encode(uint8 kind, Instruction instruction, uint256 memberIndex, uint32 version), kind 1 (proposed), 2 (approved), 3 (withdrawn), 4 (confirmed), 5 (cancelled) or 6 (expired).', cause })
    this.payload = payload
  }
}

/**
 * An update that contradicts a vote a copy already holds from the same member (the book's `ConflictingUpdate`):
 * the same version with another vote, or any vote after a final one. A member's book numbers its votes and sends
 * nothing after a final one, so one of the two did not come from an honest book.
 *
 * @example
 * ```ts
 * try { mergeInstructionUpdate(copy, update) } catch (e) { if (e instanceof ConflictingInstructionUpdateError) console.log(e.memberIndex) }
 * ```
 */
export class ConflictingInstructionUpdateError extends JunctionError {
  override name = 'ConflictingInstructionUpdateError'
  readonly memberIndex: number
  constructor({ memberIndex, held, heldVersion, received, version }: { memberIndex: number; held: number; heldVersion: number; received: number; version: number }) {
    super(`Member ${memberIndex}'s vote ${held} (version ${heldVersion}) is held; an update says ${received} (version ${version}).`, {
      details: 'A member numbers its votes on its own book and sends nothing after confirming, cancelling or expiring: check that every member book is an InstructionBook on its InteropCenter.',
    })
    this.memberIndex = memberIndex
  }
}
