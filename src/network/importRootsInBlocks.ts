import { join } from 'node:path'
import { ChainConnection } from '../chain/ChainConnection.js'
import type { BlockProducer } from '../sequencer/BlockProducer.js'
import { finalityOf, RootImports } from '../sequencer/RootImports.js'
import { openStore } from '../store/openStore.js'
import { watchStore } from '../store/watchStore.js'
import { topologyOf } from './topology.js'
import type { NetworkManifest } from './types.js'

/** What {@link importRootsInBlocks} returns: each ZK chain's imports, and a way to stop. */
export type ImportRootsInBlocksReturnType = {
  /** Each ZK chain's root imports (its producer's builder), by chain id. */
  imports: Map<number, RootImports>
  /** Takes the builders off the producers, stops watching the store and closes it. */
  stop(): void
}

/**
 * Makes the import of interop roots part of block production on every ZK chain Junction produces (the
 * Gateway's too): each chain's producer gets a {@link RootImports} builder, which puts the operator's
 * import of the roots a waiting message needs first in the chain's next block. The roots come from the
 * services' store in `dataDir` (the services may run in another process); each write to it is looked
 * at (`watchStore`), and a chain with a root due (or a pause of its imports to acknowledge) gets a block.
 *
 * @example
 * ```ts
 * const roots = importRootsInBlocks({ manifest, dataDir, producers })
 * roots.stop()
 * ```
 */
export function importRootsInBlocks(parameters: { manifest: NetworkManifest; dataDir: string; producers: readonly BlockProducer[]; onError?: (chainName: string, error: unknown) => void }): ImportRootsInBlocksReturnType {
  const { manifest, producers } = parameters
  const onError = parameters.onError ?? (() => {})
  const path = join(parameters.dataDir, 'junction.db')
  const store = openStore(path)
  const topology = () => topologyOf(manifest, store)
  const built: { producer: BlockProducer; imports: RootImports }[] = []
  for (const info of manifest.chains) {
    const producer = producers.find((p) => p.chainId === info.chainId)
    if (!producer) continue
    const chain = new ChainConnection(info)
    chain.followBlocks((listener) => {
      producer.on('block', listener)
      return () => producer.off('block', listener)
    })
    const imports = new RootImports({ store, chain, info, contracts: manifest.l2Contracts, topology, committedFinality: () => finalityOf(store) === 'committed', onError: (error) => onError(info.name, error) })
    producer.builder = imports
    built.push({ producer, imports })
  }
  const look = () => {
    for (const { producer, imports } of built) {
      try {
        if (imports.wanted()) producer.request()
      } catch (error) {
        onError(producer.name, error)
      }
    }
  }
  const unwatch = watchStore(path, look, (error) => onError('the store', error))
  look()
  return {
    imports: new Map(built.map(({ producer, imports }) => [producer.chainId, imports])),
    stop() {
      unwatch()
      for (const { producer } of built) producer.builder = undefined
      if (store.open) store.close()
    },
  }
}
