import type { Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { committedBatchDemands, rootDemands, type RootDemand } from '../indexer/bundleReadiness.js'
import { gasPricesForRoot } from '../indexer/gasPrices.js'
import { committedBatchKey } from '../protocol/index.js'
import type { Topology } from '../network/topology.js'
import type { L2Contracts, ZkChainInfo } from '../network/types.js'
import type { Store } from '../store/openStore.js'
import { acknowledgePause, pauseRequested } from '../store/settlementPauses.js'

/** Parameters of {@link RootImporter}. */
export type RootImporterParameters = {
  store: Store
  /** The destination chain whose root store this importer writes. */
  chain: ChainConnection
  info: ZkChainInfo
  contracts: L2Contracts
  /** Where each chain settles now, read afresh each round (chains may move). */
  topology: () => Topology
  /**
   * Committed finality (docs/protocol.md §12, opt-in): also import the message roots of source batches
   * only committed on this chain's settlement layer, for the bundles waiting for them. If such a batch is
   * never proven, this chain cannot settle past the import. Default false.
   */
  committedFinality?: boolean
}

/**
 * Writes settlement-layer roots into a destination chain's interop root store, when a message
 * waits for one: a bundle to this chain whose source side is settled (docs/protocol.md §7.2: its
 * batch executed on its settlement layer and, for a two-level proof, the Gateway batch holding that
 * execution executed on L1), not yet covered by a root this chain imported. It imports the newest
 * root (a shared root covers every batch executed before it), so one import serves every waiting
 * message.
 *
 * A chain on the Gateway may import L1 roots only once the Gateway has imported them (that is how
 * the Gateway checks them when the chain's batch settles there), so the Gateway's importer also
 * imports the L1 roots its chains wait for.
 *
 * Importing only on demand matters: every imported root must itself be settled in the chain's next
 * batch, which creates a new root; importing every root everywhere would never come to rest.
 *
 * With committed finality on, it also imports, under their committed-batch keys, the message roots
 * of source batches committed on this chain's settlement layer but not executed yet.
 *
 * While the chain moves between settlement layers the importer pauses when asked to through the store
 * (`requestPause(store, 'root-imports', chainId)`), and acknowledges it with the chain's block at that moment.
 *
 * @example
 * ```ts
 * await new RootImporter({ store, chain: beta, info, contracts, topology: () => topologyOf(manifest, store) }).tick()
 * ```
 */
export class RootImporter {
  readonly #p: RootImporterParameters
  readonly #lastImported = new Map<number, number>()
  /** Committed batch roots imported by this importer (until the indexer has seen them). */
  readonly #committedImported = new Set<string>()

  constructor(parameters: RootImporterParameters) {
    this.#p = parameters
  }

  /** Imports the newest root of each settlement layer a waiting message needs; resolves `true` if it sent a transaction. */
  async tick(): Promise<boolean> {
    const { store, chain } = this.#p
    const pause = pauseRequested(store, 'root-imports', chain.chainId)
    if (pause !== undefined) {
      acknowledgePause(store, 'root-imports', chain.chainId, pause, Number(await chain.client.getBlockNumber({ cacheTime: 0 })))
      return false
    }
    const topology = this.#p.topology()
    let worked = false
    for (const demand of this.#demands(topology)) {
      const imported = store.prepare('SELECT MAX(sl_block_number) AS b FROM real_imported_roots WHERE chain_id = ? AND sl_chain_id = ?').get(chain.chainId, demand.slChainId) as {
        b: number | null
      }
      const have = Math.max(imported.b ?? -1, this.#lastImported.get(demand.slChainId) ?? -1)
      if (have >= demand.neededBlock) continue
      const ownSl = topology.settlementLayerOf.get(chain.chainId)
      // Roots of the settlement layer itself, or (for a chain on the Gateway) L1 roots the Gateway imported.
      const latest = (
        demand.slChainId === ownSl || ownSl === topology.l1ChainId
          ? store.prepare('SELECT block_number, root FROM sl_roots WHERE sl_chain_id = ? ORDER BY block_number DESC LIMIT 1').get(demand.slChainId)
          : store
              .prepare('SELECT sl_block_number AS block_number, root FROM real_imported_roots WHERE chain_id = ? AND sl_chain_id = ? ORDER BY sl_block_number DESC LIMIT 1')
              .get(ownSl, demand.slChainId)
      ) as { block_number: number; root: Hex } | undefined
      if (!latest || latest.block_number < demand.neededBlock) continue
      await this.#import(demand.slChainId, latest.block_number, latest.root)
      worked = true
    }
    if (this.#p.committedFinality) worked = (await this.#importCommittedBatches(topology)) || worked
    return worked
  }

  /** Imports the message roots of the committed source batches waiting bundles need (§12). */
  async #importCommittedBatches(topology: Topology): Promise<boolean> {
    const { store, chain, info, contracts } = this.#p
    const roots = committedBatchDemands(store, topology, chain.chainId)
      .map((d) => ({ slChainId: BigInt(d.slChainId), slBlockNumber: committedBatchKey(d.sourceChainId, d.batchNumber), root: d.messageRoot }))
      .filter((r) => !this.#committedImported.has(`${r.slChainId}:${r.slBlockNumber}`))
    if (roots.length === 0) return false
    await chain.write(info.operator.privateKey, {
      address: contracts.interopRootStore,
      abi: c.interopRootStoreAbi,
      functionName: 'addInteropRoots',
      args: [roots],
      action: `import ${roots.length} committed batch root(s)`,
    })
    for (const r of roots) this.#committedImported.add(`${r.slChainId}:${r.slBlockNumber}`)
    return true
  }

  /** What this chain waits for and, on the Gateway, the L1 roots its chains wait for. */
  #demands(topology: Topology): RootDemand[] {
    const { store, chain } = this.#p
    const demands = rootDemands(store, topology, chain.chainId)
    if (chain.chainId !== topology.gatewayChainId) return demands
    for (const [chainId, sl] of topology.settlementLayerOf) {
      if (sl !== chain.chainId) continue
      for (const d of rootDemands(store, topology, chainId)) {
        if (d.slChainId !== topology.l1ChainId) continue
        const same = demands.find((x) => x.slChainId === d.slChainId)
        if (same) same.neededBlock = Math.max(same.neededBlock, d.neededBlock)
        else demands.push({ ...d })
      }
    }
    return demands
  }

  async #import(slChainId: number, blockNumber: number, root: Hex): Promise<void> {
    const { chain, info, contracts } = this.#p
    const existing = (await chain.client.readContract({
      address: contracts.interopRootStore,
      abi: c.interopRootStoreAbi,
      functionName: 'interopRoot',
      args: [BigInt(slChainId), BigInt(blockNumber)],
    })) as Hex
    if (BigInt(existing) === 0n) {
      // The gas prices posted on L1 come with the root (docs/fees.md): the source's fee quotes use them.
      const prices = gasPricesForRoot(this.#p.store, this.#p.topology().l1ChainId, slChainId, blockNumber)
      await chain.write(info.operator.privateKey, {
        address: contracts.interopRootStore,
        abi: c.interopRootStoreAbi,
        functionName: 'addInteropRootWithGasPrices',
        args: [BigInt(slChainId), BigInt(blockNumber), root, prices],
        action: `import root of ${slChainId}@${blockNumber}`,
      })
    }
    this.#lastImported.set(slChainId, blockNumber)
  }
}
