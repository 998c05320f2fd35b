import type { AnvilProcess } from '../chain/process/index.js'
import { BlockProducer } from '../sequencer/BlockProducer.js'

/**
 * Starts a {@link BlockProducer} for each node Junction started (with automine off) and resolves once
 * each one is subscribed to its node; a node that refuses the subscription stops them all and throws.
 *
 * @example
 * ```ts
 * const producers = await startBlockProducers(processes, (name, error) => console.error(name, error))
 * await Promise.all(producers.map((producer) => producer.stop()))
 * ```
 */
export async function startBlockProducers(processes: readonly AnvilProcess[], onError: (chainName: string, error: unknown) => void = () => {}): Promise<BlockProducer[]> {
  const producers = processes.map(
    (process) => new BlockProducer({ name: process.name, chainId: process.chainId, rpcUrl: process.rpcUrl, wsUrl: process.wsUrl, onError: (error) => onError(process.name, error) }),
  )
  try {
    await Promise.all(producers.map((producer) => producer.start()))
  } catch (error) {
    await Promise.allSettled(producers.map((producer) => producer.stop()))
    throw error
  }
  return producers
}
