import type { Address } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { settlementLayerIndexers } from '../indexer/settlementLayerIndexers.js'
import { ZkChainIndexer } from '../indexer/ZkChainIndexer.js'
import type { NetworkManifest } from '../network/types.js'
import { openStore, type Store } from '../store/openStore.js'

/**
 * A local index of a network's Junction events, read straight from the chains' RPCs (no service
 * needed): what the SDK builds proofs and statuses from. In memory by default; give `path` to keep
 * it, or the services' own store to share theirs.
 *
 * @example
 * ```ts
 * const index = new JunctionIndex(manifest)
 * await index.sync()
 * ```
 */
export class JunctionIndex {
  readonly manifest: NetworkManifest
  readonly store: Store
  readonly l1: ChainConnection
  readonly chains: Map<number, ChainConnection>
  readonly #indexers: { tick(): Promise<boolean> }[]

  readonly #syncFromChains: boolean

  /**
   * @param options.store use this store (e.g. the services' own); with `syncFromChains: false` the
   *   index only reads it, trusting whoever keeps it up to date.
   */
  constructor(manifest: NetworkManifest, options: { path?: string; store?: Store; syncFromChains?: boolean } = {}) {
    this.manifest = manifest
    this.#syncFromChains = options.syncFromChains ?? true
    this.store = options.store ?? openStore(options.path ?? ':memory:')
    this.l1 = new ChainConnection(manifest.l1)
    this.chains = new Map(manifest.chains.map((info) => [info.chainId, new ChainConnection(info)]))
    this.#indexers = [
      // A private chain behind its permissioned RPC shows its logs to no one at large: it is indexed only
      // when the manifest gives its raw node (`nodeManifest`, Junction's own tools).
      ...manifest.chains.filter((info) => !(info.private && info.rpcUrl === `${info.apiBaseUrl}/rpc`)).map((info) => new ZkChainIndexer({ store: this.store, chain: this.chains.get(info.chainId)!, contracts: manifest.l2Contracts, startAfterBlock: info.genesis.lastBlock })),
      ...settlementLayerIndexers(this.store, manifest, { l1: this.l1, chains: this.chains }).map((s) => s.indexer),
    ]
  }

  /** Reads every chain up to its head. */
  async sync(): Promise<void> {
    if (!this.#syncFromChains) return
    for (const indexer of this.#indexers) while (await indexer.tick()) {}
  }

  /** Connection to a ZK chain by chain id. */
  chain(chainId: number): ChainConnection {
    const chain = this.chains.get(chainId)
    if (!chain) throw new Error(`chain ${chainId} is not part of this network`)
    return chain
  }

  /**
   * Where bundles to `chainId` are executed: the chain's InteropHandler, or, for L1's chain id, the
   * L1InteropHandler (bundles sent to L1, run from the senders' alias accounts).
   */
  executorOn(chainId: number): { chain: ChainConnection; address: Address; abi: typeof c.interopHandlerAbi | typeof c.l1InteropHandlerAbi } {
    if (chainId === this.manifest.l1.chainId) return { chain: this.l1, address: this.manifest.l1.contracts.interopHandler, abi: c.l1InteropHandlerAbi }
    return { chain: this.chain(chainId), address: this.manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi }
  }
}
