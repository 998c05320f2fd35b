import type { ChainConnection } from '../chain/ChainConnection.js'
import type { NetworkManifest } from '../network/types.js'
import type { Store } from '../store/openStore.js'
import { SettlementLayerIndexer } from './SettlementLayerIndexer.js'

/**
 * One {@link SettlementLayerIndexer} per settlement layer of the network: L1 (with every chain's
 * settlement contract there, the Gateway's among them) and the Gateway, when there is one (with
 * every chain's settlement contract there).
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
): { name: string; chainId: number; indexer: SettlementLayerIndexer }[] {
  // Every chain's settlement contract on that layer, active or not: a chain may move there.
  const settlingOn = (slChainId: number) =>
    manifest.chains.flatMap((c) => c.settlements.filter((s) => s.slChainId === slChainId).map((s) => ({ chainId: c.chainId, settlement: s.address })))
  const indexers = [
    { name: manifest.l1.name, chainId: manifest.l1.chainId, indexer: new SettlementLayerIndexer({ store, sl: connections.l1, contracts: manifest.l1.contracts, settlements: settlingOn(manifest.l1.chainId) }) },
  ]
  for (const gateway of manifest.chains) {
    if (gateway.role !== 'gateway' || !gateway.gatewayContracts) continue
    const sl = connections.chains.get(gateway.chainId)!
    indexers.push({ name: `${gateway.name} (settlement layer)`, chainId: gateway.chainId, indexer: new SettlementLayerIndexer({ store, sl, contracts: gateway.gatewayContracts, settlements: settlingOn(gateway.chainId) }) })
  }
  return indexers
}
