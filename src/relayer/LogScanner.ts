import { parseEventLogs, type AbiEvent, type Log } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import { BlockWatches, nextLogWindow } from './nextLogWindow.js'

/** Parameters of {@link LogScanner}. */
export type LogScannerParameters<TEvent extends AbiEvent> = {
  /** The event to read, from any address (one ABI item: decoding hashes only it). */
  event: TEvent
  /** Most blocks read per chain and scan. */
  blocksPerTick: bigint
}

/** A log of the scanned event, decoded. */
export type ScannedLog<TEvent extends AbiEvent> = Log<bigint, number, false, TEvent, true, [TEvent]>

/**
 * A keeper's scan of the chains for one event: per chain a cursor (in memory, from block 0) and a watch of
 * its blocks, so that each `next` reads the window after the cursor ({@link nextLogWindow}), skips a chain
 * with no block since it caught up without a request ({@link BlockWatches}), and decodes what it read.
 *
 * @example
 * ```ts
 * const scanner = new LogScanner({ event: getAbiItem({ abi: c.flowCoordinatorAbi, name: 'FlowCreated' }), blocksPerTick: 5_000n })
 * for (const log of await scanner.next(chainId, chain)) console.log(log.args.flowId)
 * ```
 */
export class LogScanner<const TEvent extends AbiEvent> {
  readonly #p: LogScannerParameters<TEvent>
  readonly #cursors = new Map<number, bigint>()
  readonly #watches = new BlockWatches()

  constructor(parameters: LogScannerParameters<TEvent>) {
    this.#p = parameters
  }

  /** The logs of the event in `chainId`'s next window, decoded; none (and no request) when it had no block since the last scan caught up. */
  async next(chainId: number, chain: ChainConnection): Promise<ScannedLog<TEvent>[]> {
    const logs = await nextLogWindow({ cursors: this.#cursors, chainId, chain, event: this.#p.event, blocksPerTick: this.#p.blocksPerTick, watches: this.#watches })
    if (logs.length === 0) return []
    return parseEventLogs({ abi: [this.#p.event] as [TEvent], logs }) as unknown as ScannedLog<TEvent>[]
  }
}
