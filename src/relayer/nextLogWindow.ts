import type { AbiEvent, Log } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'

/** Parameters of {@link nextLogWindow}. */
export type NextLogWindowParameters = {
  /** The keeper's cursors: the next block to read, by chain id (absent: block 0). Advanced past the window read. */
  cursors: Map<number, bigint>
  chainId: number
  chain: ChainConnection
  /** The event to read, from any address. */
  event: AbiEvent
  /** Most blocks read in one window. */
  blocksPerTick: bigint
  /** Lets the scan skip a chain that had no block since the keeper caught up with it (no request at all). */
  watches?: BlockWatches
}

/**
 * A keeper's knowledge of which chains had a block since its last scan, from the blocks its connections
 * are told of ({@link ChainConnection.onBlock}): an idle network's keepers then send no request per tick.
 * A chain whose connection is not told of blocks is always scanned.
 */
export class BlockWatches {
  readonly #chains = new Map<number, { told: boolean; blockSince: boolean; caughtUp: boolean }>()

  /** Whether `chainId`'s scan can be skipped: told of its blocks, caught up, and no block since. Otherwise starts a new watch. */
  skip(chainId: number, chain: ChainConnection): boolean {
    let state = this.#chains.get(chainId)
    if (!state) {
      const fresh = { told: false, blockSince: true, caughtUp: false }
      fresh.told = chain.onBlock(() => (fresh.blockSince = true)) !== undefined
      this.#chains.set(chainId, (state = fresh))
    }
    if (state.told && state.caughtUp && !state.blockSince) return true
    // From here, a block announced during the scan makes the next one look again; a scan that fails
    // leaves the chain not caught up, so the next one looks again too.
    state.blockSince = false
    state.caughtUp = false
    return false
  }

  /** Records whether the scan just made read up to the chain's head. */
  scanned(chainId: number, caughtUp: boolean): void {
    const state = this.#chains.get(chainId)
    if (state) state.caughtUp = caughtUp
  }
}

/**
 * The keepers' scan of one chain: the logs of `event` in the next window of at most `blocksPerTick` blocks
 * after the chain's cursor, up to the chain's head; the cursor then points past the window. Empty, with the
 * cursor unchanged, when the head is behind the cursor.
 *
 * @example
 * ```ts
 * const logs = await nextLogWindow({ cursors, chainId, chain, event: flowCreatedEvent, blocksPerTick: 5_000n })
 * ```
 */
export async function nextLogWindow({ cursors, chainId, chain, event, blocksPerTick, watches }: NextLogWindowParameters): Promise<Log[]> {
  if (watches?.skip(chainId, chain)) return []
  const from = cursors.get(chainId) ?? 0n
  const head = await chain.client.getBlockNumber({ cacheTime: 0 })
  if (head < from) {
    watches?.scanned(chainId, true)
    return []
  }
  const to = head - from >= blocksPerTick ? from + blocksPerTick - 1n : head
  const logs = await chain.client.getLogs({ event: event as never, fromBlock: from, toBlock: to })
  cursors.set(chainId, to + 1n)
  watches?.scanned(chainId, to === head)
  return logs as Log[]
}

/**
 * The time a chain's next block will have at least: its latest block's timestamp, or `wallClock` (seconds) if
 * later, since a node that follows the wall clock stamps its next block no earlier. Keepers compare deadlines
 * and expiries with it before sending what the contract would refuse earlier.
 */
export async function nextBlockTimeAtLeast(chain: ChainConnection, wallClock: bigint): Promise<bigint> {
  const { timestamp } = await chain.client.getBlock({ blockTag: 'latest' })
  return timestamp > wallClock ? timestamp : wallClock
}

/**
 * One keeper tick's view of the chains' clocks: `clockOf(chainId)` is {@link nextBlockTimeAtLeast} with the
 * wall clock at the tick's start, asked of each chain at most once however many items on it are open.
 */
export function tickClocks(chains: ReadonlyMap<number, ChainConnection>): (chainId: number) => Promise<bigint> {
  const wallClock = BigInt(Math.floor(Date.now() / 1000))
  const clocks = new Map<number, Promise<bigint>>()
  return (chainId) => {
    let clock = clocks.get(chainId)
    if (!clock) clocks.set(chainId, (clock = nextBlockTimeAtLeast(chains.get(chainId)!, wallClock)))
    return clock
  }
}
