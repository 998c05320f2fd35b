import type { ChainConnection } from '../chain/ChainConnection.js'
import type { NetworkManifest } from '../network/types.js'
import type { Store } from '../store/openStore.js'
import { SettlementLayerIndexer } from './SettlementLayerIndexer.js'

/**
 * One {@link SettlementLayerIndexer} per settlement layer of the network: L1 (with the chains
 * settling on it, the Gateway among them) and the Gateway, when there is one (with its chains).
 *
 * @example
 * ```ts
 * for (const { name, indexer } of settlementLayerIndexers(store, manifest, { l1, chains })) await indexer.tick()
 * ```
 */
export function settlementLayerIndexers(
  store: Store,
  manifest: NetworkManifest,
  connections: { l1: ChainConnection; chains: ReadonlyMap<number, ChainConnection> },
): { name: string; indexer: SettlementLayerIndexer }[] {
  const settlingOn = (slChainId: number) => manifest.chains.filter((c) => c.settlementLayer === slChainId).map((c) => ({ chainId: c.chainId, settlement: c.settlement }))
  const indexers = [
    { name: manifest.l1.name, indexer: new SettlementLayerIndexer({ store, sl: connections.l1, contracts: manifest.l1.contracts, settlements: settlingOn(manifest.l1.chainId) }) },
  ]
  for (const gateway of manifest.chains) {
    if (gateway.role !== 'gateway' || !gateway.gatewayContracts) continue
    const sl = connections.chains.get(gateway.chainId)!
    indexers.push({ name: `${gateway.name} (settlement layer)`, indexer: new SettlementLayerIndexer({ store, sl, contracts: gateway.gatewayContracts, settlements: settlingOn(gateway.chainId) }) })
  }
  return indexers
}
