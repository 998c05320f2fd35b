import type { Account, Chain, Hex, Transport, WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import { FlowStatus, LegState, flowId as flowIdOf, type FlowTerms } from '../../protocol/flow.js'
import { executeDecision } from '../flowContracts.js'
import type { JunctionIndex } from '../JunctionIndex.js'

/** Parameters of {@link refundLeg}. */
export type RefundLegParameters = {
  terms: FlowTerms
  legIndex: number
  /**
   * A wallet on the home chain: if the flow is still open there and the deadline has passed, it asks the
   * coordinator to refund first (anyone may). Without it, the flow must be refunded already.
   */
  homeClient?: WalletClient
}

/** What {@link refundLeg} resolves with. */
export type RefundLegReturnType = {
  flowId: Hex
  /** The leg's state after: `LegState.Refunded`, or `LegState.Closed` for a leg never locked. */
  legState: LegState
  /** The transaction that decided the refund on the home chain, if this call sent it. */
  refundTransactionHash?: Hex
  /** The coordinator's "refund" message executed on the leg's chain (absent if already done, or a home-chain leg). */
  bundleHash?: Hex
  transactionHash?: Hex
}

/**
 * Refunds one leg of a flow after its deadline (docs/flows.md): if the coordinator has not decided yet, asks it
 * to refund (`homeClient`; refused before the deadline by the home chain's clock, `DeadlineNotPassed`, and for a
 * released flow, `FlowDecided`), then executes its proven "refund" message on the leg's chain, which gives the
 * leg back to its depositor. `client` must be connected to the leg's chain.
 *
 * @example
 * ```ts
 * await refundLeg(buyerOnBeta, index, { terms, legIndex: 1, homeClient: buyerOnHome })
 * ```
 */
export async function refundLeg<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  parameters: RefundLegParameters,
): Promise<RefundLegReturnType> {
  const { terms, legIndex, homeClient } = parameters
  const home = index.chain(Number(terms.homeChainId))
  const [status] = (await home.client.readContract({ address: terms.coordinator, abi: c.flowCoordinatorAbi, functionName: 'flowStatus', args: [flowIdOf(terms)] })) as readonly [number, number, number, bigint]
  let refundTransactionHash: Hex | undefined
  if ((status === FlowStatus.None || status === FlowStatus.Open) && homeClient) {
    refundTransactionHash = (await writeContractAndWait(homeClient, { address: terms.coordinator, abi: c.flowCoordinatorAbi, functionName: 'refund', args: [terms], action: 'refund the flow', chainName: home.name })).hash
  }
  const done = await executeDecision(client, index, terms, legIndex, 'refund')
  return { ...done, ...(refundTransactionHash ? { refundTransactionHash } : {}) }
}
