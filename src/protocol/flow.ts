// Atomic flows (docs/flows.md; contracts/flows/FlowTerms.sol): the terms, the flow id and the messages
// between a coordinator and its escrows. Pure: no I/O.
import { decodeAbiParameters, encodeAbiParameters, keccak256, zeroAddress, type Address, type Hex } from 'viem'
import { InvalidFlowMessageError, InvalidFlowTermsError } from '../errors/flows.js'

/** Most legs in one flow (`FlowRules.MAX_LEGS`). */
export const MAX_FLOW_LEGS = 8

/** One leg: `amount` of `token`, locked by `depositor` in `escrow` on `chainId`; paid to `recipient` on release. */
export type FlowLeg = {
  chainId: bigint
  escrow: Address
  token: Address
  amount: bigint
  depositor: Address
  recipient: Address
}

/** The agreed terms of a flow; its id is `keccak256(abi.encode(terms))`. */
export type FlowTerms = {
  /** The chain whose coordinator decides, and whose clock the deadline is read on. */
  homeChainId: bigint
  coordinator: Address
  /** A home-chain timestamp (seconds): the last moment at which the last lock may be recorded there. */
  deadline: bigint
  /** Anything the parties choose, so that the same trade twice has two ids. */
  salt: Hex
  legs: readonly FlowLeg[]
}

/** Message kinds (`FlowRules.LOCKED`, `RELEASE`, `REFUND`). */
export const FlowMessageKind = { Locked: 1, Release: 2, Refund: 3 } as const
export type FlowMessageKind = (typeof FlowMessageKind)[keyof typeof FlowMessageKind]

/** The coordinator's `FlowStatus`. */
export const FlowStatus = { None: 0, Open: 1, Released: 2, Refunded: 3 } as const
export type FlowStatus = (typeof FlowStatus)[keyof typeof FlowStatus]

/** The escrow's `LegState`. */
export const LegState = { None: 0, Locked: 1, Released: 2, Refunded: 3, Closed: 4 } as const
export type LegState = (typeof LegState)[keyof typeof LegState]

/** The ABI of `FlowTerms` (a tuple). */
export const flowTermsAbiParameter = {
  type: 'tuple',
  components: [
    { name: 'homeChainId', type: 'uint256' },
    { name: 'coordinator', type: 'address' },
    { name: 'deadline', type: 'uint256' },
    { name: 'salt', type: 'bytes32' },
    {
      name: 'legs',
      type: 'tuple[]',
      components: [
        { name: 'chainId', type: 'uint256' },
        { name: 'escrow', type: 'address' },
        { name: 'token', type: 'address' },
        { name: 'amount', type: 'uint256' },
        { name: 'depositor', type: 'address' },
        { name: 'recipient', type: 'address' },
      ],
    },
  ],
} as const

/**
 * The flow id of `terms`: `keccak256(abi.encode(terms))`, as `FlowRules.flowId`.
 *
 * @example
 * ```ts
 * const id = flowId(terms)
 * ```
 */
export function flowId(terms: FlowTerms): Hex {
  return keccak256(encodeAbiParameters([flowTermsAbiParameter], [terms]))
}

/**
 * Checks `terms` as the coordinator does (`FlowRules.check`, `LegOnHomeChain`); given `now` (home-chain
 * seconds), also that the deadline is after it. Throws {@link InvalidFlowTermsError}.
 *
 * @example
 * ```ts
 * checkFlowTerms(terms, { now: BigInt(Math.floor(Date.now() / 1000)) })
 * ```
 */
export function checkFlowTerms(terms: FlowTerms, options: { now?: bigint } = {}): void {
  const refuse = (reason: string): never => {
    throw new InvalidFlowTermsError({ reason })
  }
  const count = terms.legs.length
  if (count < 2 || count > MAX_FLOW_LEGS) refuse(`${count} legs (2 to ${MAX_FLOW_LEGS})`)
  if (terms.homeChainId === 0n || terms.coordinator === zeroAddress) refuse('no coordinator or home chain')
  if (terms.deadline >= 2n ** 64n) refuse(`deadline ${terms.deadline} does not fit in 64 bits`)
  if (options.now !== undefined && terms.deadline <= options.now) refuse(`deadline ${terms.deadline} is not after the home chain's time ${options.now}`)
  terms.legs.forEach((leg, i) => {
    if (leg.chainId === 0n || leg.amount === 0n || [leg.escrow, leg.token, leg.depositor, leg.recipient].includes(zeroAddress)) refuse(`leg ${i} has a zero amount, address or chain`)
    if (leg.chainId === terms.homeChainId && leg.escrow.toLowerCase() !== terms.coordinator.toLowerCase()) refuse(`leg ${i} is on the home chain ${terms.homeChainId}: the coordinator itself must hold it (escrow = coordinator)`)
  })
}

/**
 * Encodes a flow message: `abi.encode(uint8 kind, FlowTerms terms, uint256 legIndex)`.
 *
 * @example
 * ```ts
 * const payload = encodeFlowMessage({ kind: FlowMessageKind.Release, terms, legIndex: 0n })
 * ```
 */
export function encodeFlowMessage({ kind, terms, legIndex }: { kind: FlowMessageKind; terms: FlowTerms; legIndex: bigint }): Hex {
  return encodeAbiParameters([{ type: 'uint8' }, flowTermsAbiParameter, { type: 'uint256' }], [kind, terms, legIndex])
}

/**
 * Decodes a flow message; throws {@link InvalidFlowMessageError} for anything else.
 *
 * @example
 * ```ts
 * const { kind, terms, legIndex } = decodeFlowMessage(payload)
 * ```
 */
export function decodeFlowMessage(payload: Hex): { kind: FlowMessageKind; terms: FlowTerms; legIndex: bigint } {
  let decoded: readonly [number, FlowTerms, bigint]
  try {
    decoded = decodeAbiParameters([{ type: 'uint8' }, flowTermsAbiParameter, { type: 'uint256' }], payload) as unknown as readonly [number, FlowTerms, bigint]
  } catch (cause) {
    throw new InvalidFlowMessageError({ payload, cause })
  }
  const [kind, terms, legIndex] = decoded
  if (kind !== 1 && kind !== 2 && kind !== 3) throw new InvalidFlowMessageError({ payload })
  return { kind, terms, legIndex }
}
