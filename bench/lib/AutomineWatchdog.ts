import type { PublicClient } from 'viem'

/**
 * Works around an anvil 1.7 automine trap (see ENGINE-NOTES): under concurrent sends some
 * transactions can stay pending forever. Every `intervalMs` the watchdog reads `txpool_status`;
 * if transactions were pending at two checks in a row, it mines a block (`evm_mine`).
 * The bench uses it to measure anvil under automine (the ceiling's comparison); Junction's own chains run
 * with automine off and its block producer mines them (src/sequencer/BlockProducer.ts).
 *
 * @example
 * ```ts
 * const watchdog = new AutomineWatchdog(client, 'alpha')
 * watchdog.start()
 * watchdog.stop()
 * ```
 */
export class AutomineWatchdog {
  readonly #client: PublicClient
  readonly #intervalMs: number
  #timer: NodeJS.Timeout | undefined
  #pendingBefore = false
  /** The check under way, if any (`pause()` waits for it). */
  #checking: Promise<void> | undefined
  /** How many blocks the watchdog had to mine. */
  unstuck = 0
  /** How many checks failed (the chain stopping or restarting), and the last error. */
  failures = 0
  lastError: unknown

  constructor(client: PublicClient, readonly name: string, intervalMs = 250) {
    this.#client = client
    this.#intervalMs = intervalMs
  }

  start(): void {
    if (this.#timer) return
    this.#pendingBefore = false
    this.#timer = setInterval(() => {
      if (this.#checking) return
      this.#checking = this.#check()
        .catch((error: unknown) => {
          // Kept, not thrown: a background timer has nobody to throw to; the next check tries again.
          this.failures++
          this.lastError = error
        })
        .finally(() => {
          this.#checking = undefined
        })
    }, this.#intervalMs)
    this.#timer.unref()
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  /**
   * Stops the checks and resolves once a check under way has finished: from then on the watchdog mines
   * nothing until `start()` (a checkpoint freezes the chains meanwhile, see src/durability/Checkpointer.ts).
   */
  async pause(): Promise<void> {
    this.stop()
    await this.#checking
  }

  async #check(): Promise<void> {
    const status = (await this.#client.request({ method: 'txpool_status' } as never)) as { pending: string }
    const pending = BigInt(status.pending) > 0n
    if (pending && this.#pendingBefore) {
      await this.#client.request({ method: 'evm_mine' } as never)
      this.unstuck++
    }
    this.#pendingBefore = pending
  }
}
