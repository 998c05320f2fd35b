import type { Hex } from 'viem'
import { JunctionError } from './JunctionError.js'

/**
 * A transaction the node no longer has, and whose nonce another transaction of the same key took (another
 * process sending from that key, or a gap filled): it will never be mined. What it was to do did not happen.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof TransactionDroppedError) await retryFromChainState() }
 * ```
 */
export class TransactionDroppedError extends JunctionError {
  override name = 'TransactionDroppedError'
  readonly hash: Hex
  readonly nonce: number

  constructor({ chainName, action, hash, nonce, minedNonce }: { chainName: string; action: string; hash: Hex; nonce: number; minedNonce: number }) {
    super(`${action} on ${chainName}: transaction ${hash} (nonce ${nonce}) was dropped by the node and its nonce used by another transaction of the same key`, {
      details: `The key's transactions are mined up to nonce ${minedNonce - 1}, and ${hash} is not among them: it will never be mined. Send it again if it is still needed (the chain's state says whether it is).`,
    })
    this.hash = hash
    this.nonce = nonce
  }
}

/**
 * A transaction was not mined in time, although its node still had it or it was sent again: the node
 * does not mine (stopped, or its block production is broken).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof TransactionNotMinedError) console.error(`is ${e.chainName} mining?`) }
 * ```
 */
export class TransactionNotMinedError extends JunctionError {
  override name = 'TransactionNotMinedError'
  readonly hash: Hex
  readonly chainName: string

  constructor({ chainName, action, hash, timeoutMs }: { chainName: string; action: string; hash: Hex; timeoutMs: number }) {
    super(`${action} on ${chainName}: transaction ${hash} not mined after ${timeoutMs} ms`, {
      details: `Is ${chainName} mining? Its node answers but did not include the transaction; if it restarted, it was sent again.`,
    })
    this.hash = hash
    this.chainName = chainName
  }
}
