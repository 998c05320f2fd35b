import type { Hex } from 'viem'
import { JunctionError } from './JunctionError.js'

/**
 * A `MessageBundleSent` whose bundle cannot be rebuilt: no `MessageSent` of the same `sendId` follows it in
 * its transaction's logs, or the bundle rebuilt from it does not hash to the announced bundle hash.
 */
export class SentBundleUnreadableError extends JunctionError {
  override name = 'SentBundleUnreadableError'
  constructor(parameters: { bundleHash: Hex; transactionHash: Hex | null; reason: string; cause?: unknown }) {
    super(`the bundle ${parameters.bundleHash} announced by MessageBundleSent${parameters.transactionHash ? ` in ${parameters.transactionHash}` : ''} cannot be rebuilt: ${parameters.reason}`, {
      details: 'Give the logs of whole transactions (the InteropCenter emits MessageSent right after MessageBundleSent); on a private chain the reader needs the event rules of both (docs/prividium.md).',
      cause: parameters.cause,
    })
  }
}
