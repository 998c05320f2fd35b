import type { Hex } from 'viem'
import * as c from '../../contracts/generated/index.js'
import { flowId as flowIdOf, type FlowTerms } from '../../protocol/flow.js'
import { readLegState } from '../flowContracts.js'
import type { JunctionIndex } from '../JunctionIndex.js'

const FLOW_STATUS_NAMES = ['unknown', 'open', 'released', 'refunded'] as const
const LEG_STATE_NAMES = ['none', 'locked', 'released', 'refunded', 'closed'] as const

/** Parameters of {@link getFlowStatus}. */
export type GetFlowStatusParameters = { terms: FlowTerms }

/** What {@link getFlowStatus} resolves with. */
export type GetFlowStatusReturnType = {
  flowId: Hex
  /** The coordinator's decision: `unknown` (never seen there), `open`, `released` or `refunded` (final). */
  status: (typeof FLOW_STATUS_NAMES)[number]
  /** The deadline, a home-chain timestamp (seconds). */
  deadline: bigint
  /** The home chain's latest block timestamp: the clock the deadline is read on. */
  homeTime: bigint
  /** Legs whose lock the coordinator has recorded (proven messages arrived, or locked on the home chain). */
  recordedLegs: number[]
  /** Each leg where it is held: `none`, `locked`, `released`, `refunded`, `closed` (refunded before any lock). */
  legs: { legIndex: number; chainId: bigint; state: (typeof LEG_STATE_NAMES)[number] }[]
  /** True once the decision reached every leg (every leg released, or every leg refunded or closed). */
  settled: boolean
}

/**
 * Where an atomic flow is: the coordinator's decision on the home chain, the home chain's time against the
 * deadline, and each leg's state on its own chain (a decision reaches a leg when its message is executed there).
 *
 * @example
 * ```ts
 * const { status, legs, settled } = await getFlowStatus(index, { terms })
 * ```
 */
export async function getFlowStatus(index: JunctionIndex, parameters: GetFlowStatusParameters): Promise<GetFlowStatusReturnType> {
  const { terms } = parameters
  const flowId = flowIdOf(terms)
  const home = index.chain(Number(terms.homeChainId))
  const [[status, lockedMask], block, legStates] = await Promise.all([
    home.client.readContract({ address: terms.coordinator, abi: c.flowCoordinatorAbi, functionName: 'flowStatus', args: [flowId] }) as Promise<readonly [number, number, number, bigint]>,
    home.client.getBlock({ blockTag: 'latest' }),
    Promise.all(terms.legs.map((_, i) => readLegState(index, terms, i))),
  ])
  const statusName = FLOW_STATUS_NAMES[status]!
  const legs = terms.legs.map((leg, i) => ({ legIndex: i, chainId: leg.chainId, state: LEG_STATE_NAMES[legStates[i]!]! }))
  const settled =
    (statusName === 'released' && legs.every((l) => l.state === 'released')) || (statusName === 'refunded' && legs.every((l) => l.state === 'refunded' || l.state === 'closed'))
  return {
    flowId,
    status: statusName,
    deadline: terms.deadline,
    homeTime: block.timestamp,
    recordedLegs: terms.legs.flatMap((_, i) => ((lockedMask >> i) & 1 ? [i] : [])),
    legs,
    settled,
  }
}
