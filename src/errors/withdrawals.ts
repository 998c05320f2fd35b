import type { Hex } from 'viem'
import { JunctionError } from './JunctionError.js'

/** A private chain's permissioned RPC gave no proof of a withdrawal: not the caller's, unknown, or not ready. */
export class WithdrawalProofUnavailableError extends JunctionError {
  override name = 'WithdrawalProofUnavailableError'
  /** Whether it exists for this caller but waits for its batch (JSON-RPC -32002): ask again later. */
  readonly notReady: boolean
  constructor(transactionHash: Hex, parameters: { notReady: boolean; cause: unknown }) {
    super(`no proof of the withdrawal in ${transactionHash} from the chain's permissioned RPC`, {
      details: parameters.notReady
        ? 'Its batch is not executed on L1 yet: the chain settles every few seconds, ask again then.'
        : 'The RPC serves a proof only to the withdrawal\'s sender, once its operator indexed it: sign in as the sender and check the transaction hash.',
      cause: parameters.cause,
    })
    this.notReady = parameters.notReady
  }
}
