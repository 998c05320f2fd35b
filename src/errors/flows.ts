import type { Hex } from 'viem'
import { JunctionError } from './JunctionError.js'

/**
 * Flow terms Junction refuses before anything is sent (docs/flows.md): the same rules as the contracts'
 * `FlowRules.check` and the coordinator's (`WrongLegCount`, `InvalidLeg`, `HomeLegNotHeldHere`), plus a deadline
 * already past.
 *
 * @example
 * ```ts
 * try { checkFlowTerms(terms) } catch (e) { if (e instanceof InvalidFlowTermsError) console.log(e.reason) }
 * ```
 */
export class InvalidFlowTermsError extends JunctionError {
  override name = 'InvalidFlowTermsError'
  readonly reason: string
  constructor({ reason }: { reason: string }) {
    super(`Invalid flow terms: ${reason}.`, {
      details: 'A flow has 2 to 8 legs, each with an escrow (the coordinator itself for a leg on the home chain), a token, a depositor, a recipient and an amount above 0; its deadline is a home-chain timestamp in the future.',
    })
    this.reason = reason
  }
}

/**
 * A flow message (a coordinator's or an escrow's ERC-7786 payload) that does not decode as
 * `abi.encode(uint8 kind, FlowTerms terms, uint256 legIndex)` with a known kind.
 *
 * @example
 * ```ts
 * try { decodeFlowMessage(payload) } catch (e) { if (e instanceof InvalidFlowMessageError) console.log(e.payload) }
 * ```
 */
export class InvalidFlowMessageError extends JunctionError {
  override name = 'InvalidFlowMessageError'
  readonly payload: Hex
  constructor({ payload, cause }: { payload: Hex; cause?: unknown }) {
    super('Not a flow message.', { details: 'A flow message is abi.encode(uint8 kind, FlowTerms terms, uint256 legIndex), kind 1 (locked), 2 (release) or 3 (refund).', cause })
    this.payload = payload
  }
}

/**
 * The flow's decision message for a leg was not found (not sent yet, or not indexed yet).
 *
 * @example
 * ```ts
 * try { await releaseLeg(client, { terms, legIndex: 0 }) } catch (e) { if (e instanceof FlowDecisionNotFoundError) console.log(e.flowId) }
 * ```
 */
export class FlowDecisionNotFoundError extends JunctionError {
  override name = 'FlowDecisionNotFoundError'
  readonly flowId: Hex
  readonly legIndex: number
  constructor({ flowId, legIndex, decision }: { flowId: Hex; legIndex: number; decision: 'release' | 'refund' }) {
    super(`No ${decision} message of flow ${flowId} to leg ${legIndex} on the home chain.`, {
      details:
        decision === 'release'
          ? 'The coordinator sends the releases when the last "locked" message reaches it before the deadline: wait for every leg to lock and its message to be relayed (getFlowStatus).'
          : 'The coordinator sends the refunds once the deadline has passed on the home chain: call refundLeg after the deadline (it asks the coordinator to refund first), or wait for the relayer.',
    })
    this.flowId = flowId
    this.legIndex = legIndex
  }
}
