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
export async function nextLogWindow({ cursors, chainId, chain, event, blocksPerTick }: NextLogWindowParameters): Promise<Log[]> {
  const from = cursors.get(chainId) ?? 0n
  const head = await chain.client.getBlockNumber({ cacheTime: 0 })
  if (head < from) return []
  const to = head - from >= blocksPerTick ? from + blocksPerTick - 1n : head
  const logs = await chain.client.getLogs({ event: event as never, fromBlock: from, toBlock: to })
  cursors.set(chainId, to + 1n)
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
