// anvil 1.7 under automine and concurrent senders sometimes accepts a transaction and then never
// mines it (shared/ENGINE-NOTES.md: "transactions left out"), and a node that restarts loses its pool:
// every later nonce of its sender waits behind the lost one forever, and the AutomineWatchdog, which
// mines only what the pool counts as pending, does not help. A wallet would broadcast them again, and
// then replace the first with a higher fee; so does the load generator of the bench and the soak. The
// calldata stays the same, so the message is the same one.
import { createPublicClient, http, parseTransaction, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { rpc, RpcError } from './load.js'

/** Node answers meaning the transaction is still there (pending, or already mined), or that a replacement must pay more. */
const STILL_KNOWN = /already known|nonce too low|already imported|known transaction|underpriced/i

/**
 * Watches the senders of pre-signed transactions while they are pushed: a sender whose mined nonce
 * did not move between two checks while some of its accepted transactions are not mined gets its
 * unmined transactions sent again (the same signed bytes: each can only be mined once). A node that
 * does not answer (stopped, restarting) is asked again at the next check.
 */
export class DroppedTransactionResender {
  /** Transactions sent again because the node had lost them. */
  resent = 0
  /** Transactions the node said it knew but did not mine, replaced by the same call at a higher fee. */
  replaced = 0
  /** Checks of a sender that found its node not answering (tried again at the next check). */
  unreachable = 0
  /** Transactions accepted so far per sender (update with {@link accepted}). */
  readonly #accepted: number[]
  readonly #client: PublicClient
  readonly #senders: { key: Hex; address: Hex; firstNonce: number; lastMined: number; knownButStuck: number }[]
  #timer: NodeJS.Timeout | undefined
  #checking: Promise<void> = Promise.resolve()
  #error: unknown

  constructor(readonly parameters: { rpcUrl: string; keys: Hex[]; signed: Hex[][]; intervalMs?: number }) {
    this.#client = createPublicClient({ transport: http(parameters.rpcUrl, { retryCount: 0 }) }) as PublicClient
    this.#accepted = parameters.keys.map(() => 0)
    this.#senders = parameters.keys.map((key, k) => {
      const first = parameters.signed[k]?.[0]
      return { key, address: privateKeyToAccount(key).address, firstNonce: first === undefined ? 0 : Number(parseTransaction(first).nonce ?? 0), lastMined: -1, knownButStuck: 0 }
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
        try {
          await this.#checkSender(sender, k)
        } catch (error) {
          // An answer with an error is a finding; no answer (the node is stopped or restarting) is not.
          if (error instanceof RpcError) throw error
          this.unreachable++
        }
      }),
    )
  }

  async #checkSender(sender: { key: Hex; address: Hex; firstNonce: number; lastMined: number; knownButStuck: number }, k: number): Promise<void> {
    const mined = (await this.#client.getTransactionCount({ address: sender.address, blockTag: 'latest' })) - sender.firstNonce
    const accepted = this.#accepted[k]!
    const stuck = mined === sender.lastMined && mined < accepted
    if (mined !== sender.lastMined) sender.knownButStuck = 0
    sender.lastMined = mined
    if (!stuck) return
    const signed = this.parameters.signed[k]!
    // First the same bytes, every accepted one not mined (a restarted node lost them all); if the node
    // says it has the first and still does not mine it, the same call at a higher fee (a replacement at
    // that nonce), a little higher each time.
    if (sender.knownButStuck > 0) {
      try {
        await rpc<Hex>(this.parameters.rpcUrl, 'eth_sendRawTransaction', [await replacement(sender.key, signed[mined]!, sender.knownButStuck)])
        this.replaced++
      } catch (error) {
        if (!(error instanceof RpcError && STILL_KNOWN.test(error.message))) throw error
        sender.knownButStuck++
      }
      return
    }
    for (let i = mined; i < accepted; i++) {
      try {
        await rpc<Hex>(this.parameters.rpcUrl, 'eth_sendRawTransaction', [signed[i]!])
        this.resent++
      } catch (error) {
        if (!(error instanceof RpcError && STILL_KNOWN.test(error.message))) throw error
        if (i === mined) sender.knownButStuck++
      }
    }
  }
}

/** The same transaction (nonce, call, gas) with fees raised by a fifth per `attempt`, signed again. */
async function replacement(key: Hex, raw: Hex, attempt: number): Promise<Hex> {
  const tx = parseTransaction(raw)
  const raise = (fee: bigint | undefined) => ((fee ?? 0n) * BigInt(10 + 2 * attempt)) / 10n + 1n
  return privateKeyToAccount(key).signTransaction({
    type: 'eip1559',
    chainId: tx.chainId!,
    nonce: tx.nonce!,
    to: tx.to ?? null,
    data: tx.data,
    value: tx.value,
    gas: tx.gas!,
    maxFeePerGas: raise(tx.maxFeePerGas),
    maxPriorityFeePerGas: raise(tx.maxPriorityFeePerGas),
  })
}
