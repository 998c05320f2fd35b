import type { Hex } from 'viem'
import { decodeBundle } from '../../protocol/index.js'
import type { JunctionIndex } from '../JunctionIndex.js'
import { getMessageStatus, type GetMessageStatusParameters, type GetMessageStatusReturnType } from './getMessageStatus.js'

/** A bundle's status on its destination, by the names the InteropHandler uses. */
export const BUNDLE_STATUS_NAMES = ['unreceived', 'verified', 'executed', 'unbundled'] as const
/** A call's status on the destination. */
export const CALL_STATUS_NAMES = ['unprocessed', 'executed', 'cancelled'] as const

/** Parameters of {@link getBundleStatus}. */
export type GetBundleStatusParameters = Pick<GetMessageStatusParameters, 'bundleHash' | 'readsNodeOf'>

/** What {@link getBundleStatus} resolves with: the journey ({@link getMessageStatus}) and the state on the destination, per call too. */
export type GetBundleStatusReturnType = GetMessageStatusReturnType & {
  /** The InteropHandler's status of the bundle on the destination. */
  destinationStatus?: (typeof BUNDLE_STATUS_NAMES)[number]
  calls?: { index: number; to: Hex; status: (typeof CALL_STATUS_NAMES)[number] }[]
  executionAddress?: Hex
  unbundler?: Hex
}

/**
 * Where a bundle is, and on its destination the status of the bundle and of each call.
 *
 * @example
 * ```ts
 * const { destinationStatus, calls } = await getBundleStatus(index, { bundleHash })
 * ```
 */
export async function getBundleStatus(index: JunctionIndex, parameters: GetBundleStatusParameters): Promise<GetBundleStatusReturnType> {
  const journey = await getMessageStatus(index, parameters)
  if (journey.destinationChainId === undefined) return journey
  const row = index.store.prepare('SELECT bundle FROM bundles_sent WHERE bundle_hash = ?').get(parameters.bundleHash) as { bundle: Hex }
  const bundle = decodeBundle(row.bundle)
  const { chain: destination, ...handler } = index.executorOn(journey.destinationChainId)
  const [status, ...callStatuses] = (await Promise.all([
    // The handler keeps a bundle's status under its number on its route as well as its hash: it reads the bytes.
    destination.client.readContract({ ...handler, functionName: 'bundleStatus', args: [row.bundle] } as never),
    ...bundle.calls.map((_, i) => destination.client.readContract({ ...handler, functionName: 'callStatus', args: [row.bundle, BigInt(i)] } as never)),
  ])) as number[]
  return {
    ...journey,
    destinationStatus: BUNDLE_STATUS_NAMES[status!],
    calls: bundle.calls.map((call, i) => ({ index: i, to: call.to, status: CALL_STATUS_NAMES[callStatuses[i]!]! })),
    executionAddress: bundle.executionAddress,
    unbundler: bundle.unbundler,
  }
}
