// What the flow actions share: which contract holds a leg, the decision message sent for a leg, and
// executing it on the leg's chain (src/sdk/actions: createFlow, lockLeg, getFlowStatus, releaseLeg, refundLeg).
import { parseEventLogs, type Account, type Address, type Chain, type Hex, type Transport, type WalletClient } from 'viem'
import * as c from '../contracts/generated/index.js'
import { FlowDecisionNotFoundError } from '../errors/flows.js'
import { FlowMessageKind, LegState, flowId as flowIdOf, type FlowTerms } from '../protocol/flow.js'
import { executeBundle } from './actions/executeBundle.js'
import type { JunctionIndex } from './JunctionIndex.js'

/** The contract that holds leg `legIndex` and its ABI: the coordinator for a leg on the home chain, else the leg's escrow. */
export function legHolder(terms: FlowTerms, legIndex: number): { address: Address; abi: typeof c.flowEscrowAbi | typeof c.flowCoordinatorAbi; chainId: number } {
  const leg = terms.legs[legIndex]
  if (!leg) throw new RangeError(`leg ${legIndex} does not exist: the flow has ${terms.legs.length} legs`)
  const onHome = leg.chainId === terms.homeChainId
  return { address: leg.escrow, abi: onHome ? c.flowCoordinatorAbi : c.flowEscrowAbi, chainId: Number(leg.chainId) }
}

/** Reads the state of leg `legIndex` where it is held. */
export async function readLegState(index: JunctionIndex, terms: FlowTerms, legIndex: number): Promise<LegState> {
  const holder = legHolder(terms, legIndex)
  return (await index.chain(holder.chainId).client.readContract({ address: holder.address, abi: c.flowEscrowAbi, functionName: 'legState', args: [flowIdOf(terms), BigInt(legIndex)] })) as LegState
}

/** The coordinator's message to leg `legIndex` with the `decision` (its bundle hash), or undefined if it sent none. */
export async function findDecisionMessage(index: JunctionIndex, terms: FlowTerms, legIndex: number, decision: 'release' | 'refund'): Promise<Hex | undefined> {
  const home = index.chain(Number(terms.homeChainId))
  const logs = await home.client.getLogs({ address: terms.coordinator, event: c.flowCoordinatorAbi.find((item) => item.type === 'event' && item.name === 'DecisionSent') as never, args: { flowId: flowIdOf(terms) } as never, fromBlock: 0n })
  const kind = decision === 'release' ? FlowMessageKind.Release : FlowMessageKind.Refund
  const found = parseEventLogs({ abi: c.flowCoordinatorAbi, logs, eventName: 'DecisionSent' }).find((log) => log.args.legIndex === BigInt(legIndex) && log.args.kind === kind)
  return found?.args.sendId
}

/**
 * Executes the coordinator's `decision` for leg `legIndex` on the leg's chain (self-relay of its proven
 * message), unless the leg is settled already. A leg on the home chain was paid when the flow was decided.
 */
export async function executeDecision<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  terms: FlowTerms,
  legIndex: number,
  decision: 'release' | 'refund',
): Promise<{ flowId: Hex; legState: LegState; bundleHash?: Hex; transactionHash?: Hex }> {
  const flowId = flowIdOf(terms)
  const settled = decision === 'release' ? [LegState.Released] : [LegState.Refunded, LegState.Closed]
  const before = await readLegState(index, terms, legIndex)
  if ((settled as number[]).includes(before)) return { flowId, legState: before }
  const bundleHash = await findDecisionMessage(index, terms, legIndex, decision)
  if (!bundleHash) throw new FlowDecisionNotFoundError({ flowId, legIndex, decision })
  const { transactionHash } = await executeBundle(client, index, { bundleHash })
  return { flowId, legState: await readLegState(index, terms, legIndex), bundleHash, transactionHash }
}
