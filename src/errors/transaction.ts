import type { Hex } from 'viem'
import { JunctionError } from './JunctionError.js'

/**
 * A transaction the node had accepted is gone: neither mined nor in the node's pool any more. anvil 1.7
 * drops a sender's transaction when the one before it did not fit in a full block (docs/benchmarks.md, "A
 * trap of full blocks"); a node may also evict what it cannot mine. Send it again.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof TransactionDroppedError) await resend() }
 * ```
 */
export class TransactionDroppedError extends JunctionError {
  override name = 'TransactionDroppedError'
  readonly hash: Hex
  readonly chainName: string
  constructor(parameters: { hash: Hex; chainName: string; afterMs: number }) {
    super(`${parameters.chainName} dropped transaction ${parameters.hash}: not mined and no longer in the node's pool after ${parameters.afterMs} ms`, {
      details: "Junction's services send it again with the same nonce. For your own transactions: send again (the sender's nonce was not used).",
    })
    this.hash = parameters.hash
    this.chainName = parameters.chainName
  }
}
