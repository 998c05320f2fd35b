// Watches chains for BenchRecipient deliveries: the first time each payload hash was seen, and how
// many times each was delivered (more than once would be a double execution).
import { createPublicClient, http, parseEventLogs, type Address, type Hex, type PublicClient } from 'viem'
import { benchRecipientAbi } from './benchContracts.js'

/** Polls `Received` logs of `recipient` on each chain every `intervalMs`. */
export class DeliveryWatcher {
  /** Wall-clock time (performance.now()) at which each payload hash was first seen delivered. */
  readonly firstSeen = new Map<Hex, number>()
  /** Deliveries per payload hash. */
  readonly deliveries = new Map<Hex, number>()
  readonly #chains: { client: PublicClient; from: bigint }[]
  #running: Promise<void> | undefined
  #stopping = false
  /** An error the loop met (it stops on the first one; `stop()` throws it). */
  #error: unknown

  constructor(readonly parameters: { rpcUrls: string[]; recipient: Address; intervalMs?: number }) {
    this.#chains = parameters.rpcUrls.map((url) => ({ client: createPublicClient({ transport: http(url, { retryCount: 0 }) }) as PublicClient, from: 0n }))
  }

  async start(): Promise<void> {
    for (const chain of this.#chains) chain.from = (await chain.client.getBlockNumber({ cacheTime: 0 })) + 1n
    this.#running = this.#loop().catch((error: unknown) => {
      this.#error = error
    })
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      await Promise.all(this.#chains.map((chain) => this.#poll(chain)))
      await new Promise((r) => setTimeout(r, this.parameters.intervalMs ?? 10))
    }
  }

  async #poll(chain: { client: PublicClient; from: bigint }): Promise<void> {
    const head = await chain.client.getBlockNumber({ cacheTime: 0 })
    if (head < chain.from) return
    const logs = await chain.client.getLogs({ address: this.parameters.recipient, fromBlock: chain.from, toBlock: head })
    const now = performance.now()
    for (const log of parseEventLogs({ abi: benchRecipientAbi, logs, eventName: 'Received' })) {
      const hash = log.args.payloadHash
      if (!this.firstSeen.has(hash)) this.firstSeen.set(hash, now)
      this.deliveries.set(hash, (this.deliveries.get(hash) ?? 0) + 1)
    }
    chain.from = head + 1n
  }

  /**
   * Resolves once every hash in `hashes` was seen, after `timeoutMs`, or (with `stallMs`) once no
   * more of them was seen for that long; returns how many are still missing.
   */
  async waitFor(hashes: Iterable<Hex>, timeoutMs: number, stallMs = Infinity): Promise<number> {
    const wanted = [...hashes]
    const deadline = performance.now() + timeoutMs
    let [lastMissing, progressAt] = [Infinity, performance.now()]
    for (;;) {
      if (this.#error) throw this.#error
      const missing = wanted.filter((h) => !this.firstSeen.has(h)).length
      if (missing < lastMissing) [lastMissing, progressAt] = [missing, performance.now()]
      if (missing === 0 || performance.now() > deadline || performance.now() - progressAt > stallMs) return missing
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true
    await this.#running
    if (this.#error) throw this.#error
  }
}
