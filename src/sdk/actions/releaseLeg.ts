import type { Account, Chain, Hex, Transport, WalletClient } from 'viem'
import { LegState, type FlowTerms } from '../../protocol/flow.js'
import { executeDecision } from '../flowContracts.js'
import type { JunctionIndex } from '../JunctionIndex.js'

/** Parameters of {@link releaseLeg}. */
export type ReleaseLegParameters = { terms: FlowTerms; legIndex: number }

/** What {@link releaseLeg} resolves with. */
export type ReleaseLegReturnType = {
  flowId: Hex
  /** The leg's state after: `LegState.Released`. */
  legState: LegState
  /** The coordinator's "release" message executed (absent if the leg was released already). */
  bundleHash?: Hex
  transactionHash?: Hex
}

/**
 * Releases one leg of a released flow yourself (self-relay; the relayer does it too): executes the coordinator's
 * proven "release" message on the leg's chain, which pays the leg to its recipient. `client` must be connected
 * to the leg's chain. Resolves at once if the leg is released already; throws `FlowDecisionNotFoundError` if the
 * coordinator has not released the flow, and `ProofNotReadyError` while the message cannot be proven yet.
 *
 * @example
 * ```ts
 * await releaseLeg(anyoneOnBeta, index, { terms, legIndex: 1 })
 * ```
 */
export async function releaseLeg<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  parameters: ReleaseLegParameters,
): Promise<ReleaseLegReturnType> {
  return executeDecision(client, index, parameters.terms, parameters.legIndex, 'release')
}
