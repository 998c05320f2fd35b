// anvil 1.7 under automine and concurrent senders sometimes accepts a transaction and then loses it
// (shared/ENGINE-NOTES.md: "transactions left out"): it is neither mined nor pending, so every later
// nonce of its sender waits behind it forever and the AutomineWatchdog, which mines only pending
// transactions, cannot help. A wallet would broadcast it again; so does the bench's load generator.
import { createPublicClient, http, parseTransaction, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { rpc, RpcError } from './load.js'

/** Node answers meaning the transaction is still there (pending, or already mined). */
const STILL_KNOWN = /already known|nonce too low|already imported|known transaction/i

/**
 * Watches the senders of pre-signed transactions while they are pushed: a sender whose mined nonce
 * did not move between two checks while some of its accepted transactions are not mined gets its
 * first unmined transaction sent again (the same signed bytes: it can only be mined once).
 */
export class DroppedTransactionResender {
  /** Transactions sent again because the node had lost them. */
  resent = 0
  /** Transactions accepted so far per sender (update with {@link accepted}). */
  readonly #accepted: number[]
  readonly #client: PublicClient
  readonly #senders: { address: Hex; firstNonce: number; lastMined: number }[]
  #timer: NodeJS.Timeout | undefined
  #checking: Promise<void> = Promise.resolve()
  #error: unknown

  constructor(readonly parameters: { rpcUrl: string; keys: Hex[]; signed: Hex[][]; intervalMs?: number }) {
    this.#client = createPublicClient({ transport: http(parameters.rpcUrl, { retryCount: 0 }) }) as PublicClient
    this.#accepted = parameters.keys.map(() => 0)
    this.#senders = parameters.keys.map((key, k) => {
      const first = parameters.signed[k]?.[0]
      return { address: privateKeyToAccount(key).address, firstNonce: first === undefined ? 0 : Number(parseTransaction(first).nonce ?? 0), lastMined: -1 }
    })
  }

  /** Records that the node accepted transaction `i` of sender `k`. */
  accepted(k: number, i: number): void {
    this.#accepted[k] = Math.max(this.#accepted[k]!, i + 1)
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#checking = this.#checking.then(() => this.#check()).catch((error: unknown) => {
        this.#error = error
      })
    }, this.parameters.intervalMs ?? 2_000)
    // A measurement that fails before stop() must not keep the bench alive.
    this.#timer.unref()
  }

  /** Stops checking; throws what a check met, if anything. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#checking
    if (this.#error) throw this.#error
  }

  async #check(): Promise<void> {
    await Promise.all(
      this.#senders.map(async (sender, k) => {
        const mined = (await this.#client.getTransactionCount({ address: sender.address, blockTag: 'latest' })) - sender.firstNonce
        const stuck = mined === sender.lastMined && mined < this.#accepted[k]!
        sender.lastMined = mined
        if (!stuck) return
        const raw = this.parameters.signed[k]![mined]!
        try {
          await rpc<Hex>(this.parameters.rpcUrl, 'eth_sendRawTransaction', [raw])
          this.resent++
        } catch (error) {
          // Still in the pool or mined meanwhile: nothing was lost after all.
          if (!(error instanceof RpcError && STILL_KNOWN.test(error.message))) throw error
        }
      }),
    )
  }
}
