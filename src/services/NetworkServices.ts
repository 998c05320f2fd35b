import { join } from 'node:path'
import { ChainConnection } from '../chain/ChainConnection.js'
import { settlementLayerIndexers } from '../indexer/settlementLayerIndexers.js'
import { ZkChainIndexer } from '../indexer/ZkChainIndexer.js'
import { topologyOf } from '../network/topology.js'
import type { NetworkManifest } from '../network/types.js'
import { LedgerKeeper } from '../relayer/LedgerKeeper.js'
import { RootImporter } from '../relayer/RootImporter.js'
import { Relayer } from '../relayer/Relayer.js'
import { Batcher, type BatchPolicy } from '../sequencer/Batcher.js'
import { PriorityProcessor } from '../sequencer/PriorityProcessor.js'
import { BatchSubmitter } from '../settlement/BatchSubmitter.js'
import { openStore, type Store } from '../store/openStore.js'

/** Parameters of {@link NetworkServices}. */
export type NetworkServicesParameters = {
  manifest: NetworkManifest
  /** Folder of the SQLite store (`junction.db`). */
  dataDir: string
  batchPolicy?: Partial<BatchPolicy>
  /** Wait between rounds when a round found nothing to do. */
  idleMs?: number
  /** Run the relayer (executing bundles on destinations). Default true. */
  relay?: boolean
  /** Called with each error a service met; the loop goes on and retries. */
  onError?: (service: string, error: unknown) => void
}

type Service = { name: string; tick(): Promise<boolean> }

/**
 * Junction's off-chain services for one network, each in its own loop in this process: index the
 * chains, seal batches, settle them, index the settlement layer, import roots where messages wait
 * for them, relay. Progress lives in SQLite under `dataDir`: stop the
 * process at any point, start it again on the same folder, and it resumes.
 *
 * @example
 * ```ts
 * const services = new NetworkServices({ manifest, dataDir: '.junction' })
 * services.start()
 * await services.stop()
 * ```
 */
export class NetworkServices {
  readonly store: Store
  readonly services: Service[]
  readonly #p: NetworkServicesParameters
  #running: Promise<void> | undefined
  #stopping = false
  readonly #wakers = new Set<() => void>()

  constructor(parameters: NetworkServicesParameters) {
    this.#p = parameters
    const { manifest } = parameters
    this.store = openStore(join(parameters.dataDir, 'junction.db'))
    const l1 = new ChainConnection(manifest.l1)
    const chains = new Map(manifest.chains.map((info) => [info.chainId, new ChainConnection(info)]))
    const store = this.store
    const contracts = manifest.l2Contracts
    const services: Service[] = []
    for (const info of manifest.chains) {
      services.push(named(`index ${info.name}`, new ZkChainIndexer({ store, chain: chains.get(info.chainId)!, contracts, startAfterBlock: info.genesis.lastBlock })))
    }
    const topology = topologyOf(manifest)
    const slConnection = (chainId: number) => (chainId === l1.chainId ? l1 : chains.get(chainId)!)
    for (const info of manifest.chains) {
      services.push(named(`process deposits on ${info.name}`, new PriorityProcessor({ store, chain: chains.get(info.chainId)!, info, contracts })))
      services.push(named(`batch ${info.name}`, new Batcher({ store, chain: chains.get(info.chainId)!, genesis: info.genesis, policy: parameters.batchPolicy })))
      services.push(named(`settle ${info.name}`, new BatchSubmitter({ store, sl: slConnection(info.settlementLayer), chain: info })))
    }
    for (const { name, indexer } of settlementLayerIndexers(store, manifest, { l1, chains })) services.push(named(`index ${name}`, indexer))
    for (const info of manifest.chains) {
      services.push(named(`import roots into ${info.name}`, new RootImporter({ store, chain: chains.get(info.chainId)!, info, contracts, topology })))
    }
    services.push(named('keep the ledger of chain balances', new LedgerKeeper({ store, sl: l1, manifest, privateKey: manifest.accounts.relayer.privateKey })))
    if (parameters.relay !== false) {
      // Destinations: every ZK chain, and L1 for bundles sent to it (executed by the L1InteropHandler).
      const destinations = new Map([...chains, [l1.chainId, l1]])
      services.push(
        named('relay', new Relayer({ store, chains: destinations, contracts, topology, l1InteropHandler: manifest.l1.contracts.interopHandler, privateKey: manifest.accounts.relayer.privateKey })),
      )
    }
    this.services = services
  }

  /** Starts every service in its own loop: a service with nothing to do sleeps `idleMs`, one that failed backs off. */
  start(): void {
    if (this.#running) return
    this.#stopping = false
    this.#running = Promise.all(this.services.map((service) => this.#loop(service))).then(() => undefined)
  }

  async #loop(service: Service): Promise<void> {
    let failures = 0
    while (!this.#stopping) {
      let worked = false
      try {
        worked = await service.tick()
        failures = 0
      } catch (error) {
        failures++
        this.#p.onError?.(service.name, error)
      }
      if (worked || this.#stopping) continue
      const wait = failures > 0 ? Math.min(5_000, 100 * 2 ** Math.min(failures, 6)) : (this.#p.idleMs ?? 10)
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          this.#wakers.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, wait)
        this.#wakers.add(wake)
      })
    }
  }

  /** Stops after the current service step and closes the store. */
  async stop(): Promise<void> {
    this.#stopping = true
    for (const wake of [...this.#wakers]) wake()
    await this.#running
    this.#running = undefined
    if (this.store.open) this.store.close()
  }
}

function named(name: string, service: { tick(): Promise<boolean> }): Service {
  return { name, tick: () => service.tick() }
}
