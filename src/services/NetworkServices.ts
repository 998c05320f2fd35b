import { join } from 'node:path'
import type { Transport } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../chain/ChainConnection.js'
import { ChainHeads } from '../chain/ChainHeads.js'
import { settlementLayerIndexers } from '../indexer/settlementLayerIndexers.js'
import { ZkChainIndexer } from '../indexer/ZkChainIndexer.js'
import { topologyOf } from '../network/topology.js'
import { prividiumTransport } from '../prividium/prividiumTransport.js'
import type { NetworkManifest } from '../network/types.js'
import { LedgerKeeper } from '../relayer/LedgerKeeper.js'
import { FlowKeeper } from '../relayer/FlowKeeper.js'
import { InstructionKeeper } from '../relayer/InstructionKeeper.js'
import { PrivateBundleReader } from '../relayer/PrivateBundleReader.js'
import { Relayer } from '../relayer/Relayer.js'
import { Batcher, GATEWAY_BATCH_BUNDLE_BYTES, type BatchPolicy } from '../sequencer/Batcher.js'
import { PriorityProcessor } from '../sequencer/PriorityProcessor.js'
import { recordFinality, RootImports } from '../sequencer/RootImports.js'
import { BatchSubmitter } from '../settlement/BatchSubmitter.js'
import { openStore, type Store } from '../store/openStore.js'
import { watchStore } from '../store/watchStore.js'

/**
 * Gas the relayer allows each bundle of an `executeBundles` transaction, sent without an estimate
 * (a bundle of the example recipients takes ~60k; a chunk that needs more falls back to one estimated
 * transaction per bundle).
 */
export const RELAYER_GAS_PER_BUNDLE = 400_000n

/** How often the flow keeper looks for flows past their deadline when it found nothing to do (ms). */
export const FLOW_KEEPER_IDLE_MS = 1_000

/**
 * The longest a service sleeps by default when nothing tells it of work. Blocks, the store and other
 * services' work wake it, and what only time brings has its own `wakeAt()`: this is a safety net. At
 * 1 s the thirty services of the default network ticked 600 times in 20 idle seconds, a few percent of one
 * core (noisy runs: docs/benchmarks.md, "The idle network under 10%").
 */
export const SERVICE_IDLE_LOOK_MS = 5_000

/** Parameters of {@link NetworkServices}. */
export type NetworkServicesParameters = {
  manifest: NetworkManifest
  /** Folder of the SQLite store (`junction.db`). */
  dataDir: string
  batchPolicy?: Partial<BatchPolicy>
  /**
   * Who tells the services of each chain's blocks: the block producers of this process
   * (`ChainHeads.of(producers)`, as `junction up` runs them). Default: the nodes themselves
   * (`ChainHeads.follow`: their WebSocket `newHeads`, or a bounded poll of a node without one).
   */
  heads?: ChainHeads
  /**
   * The longest a service with nothing to do sleeps when nothing tells it of new work (a block of its
   * chain, a write to the store, another service's work): what announces nothing is time (retries, a
   * batch's delay, a simulated prover). Default {@link SERVICE_IDLE_LOOK_MS}.
   */
  idleMs?: number
  /** Run the relayer (executing bundles on destinations). Default true. */
  relay?: boolean
  /** Run only the relayer (another process runs the rest on the same store). Default false. */
  relayOnly?: boolean
  /**
   * Run the ledger keeper (recording transfers in L1's ledger, and so the Gateway's credits for value
   * from chains elsewhere). Default true; off, a Gateway chain that spends value it received from a
   * chain on L1 waits for that credit (what a keeper that is down looks like, docs/protocol.md §9.10).
   */
  ledgerKeeper?: boolean
  /**
   * Committed finality (docs/protocol.md §12, opt-in; default false): chains import the message roots
   * of source batches only committed on their settlement layer, and the relayer executes bundles
   * against them. Faster; if such a source batch is never proven, the destination cannot settle past
   * the import.
   */
  committedFinality?: boolean
  /**
   * Whose gas the relayer's executions are (`RelayerParameters.feePolicy`, docs/fees.md): `'sponsor'`
   * (default) executes every bundle; `'require'` only bundles whose fee covers their execution, and claims
   * those fees on the source chains.
   */
  relayerFeePolicy?: 'sponsor' | 'require'
  /** A simulated prover time per batch (`BatchSubmitterParameters.proofDelayMs`; default 0). */
  proofDelayMs?: number
  /** Called with each error a service met; the loop goes on and retries. */
  onError?: (service: string, error: unknown) => void
}

/**
 * One service in its loop. `chainId`: it reads that chain's blocks (an indexer), so a block of that chain
 * wakes it. `wakeAt()`: when it has work that only time brings (a retry, a delay), the time in ms. `idleMs`: its own
 * wait when it found nothing to do, instead of the network's; such a service is not woken by the others' work or by
 * blocks (what it waits for is time).
 */
type Service = { name: string; tick(): Promise<boolean>; timings?: Record<string, number>; chainId?: number; wakeAt?: () => number | undefined; idleMs?: number }

/** Where one service's time went since it started: for profiling (`junction services --stats-file`). */
export type ServiceStats = {
  name: string
  /** Ticks run, and how many of them did work. */
  ticks: number
  workedTicks: number
  failedTicks: number
  /** Milliseconds spent inside `tick()` (waiting on RPCs included), in all ticks and in ticks that did work. */
  busyMs: number
  workedMs: number
  /** The longest tick, in milliseconds. */
  maxTickMs: number
  /** Time per step inside the service, when it keeps such figures (the relayer does). */
  steps?: Record<string, number>
}

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
  /**
   * Sleeping loops: `stop()` wakes all; a write to the store and a service's work wake the idle ones (not
   * those backing off after a failure); a chain's block wakes the idle ones reading it.
   */
  readonly #wakers = new Map<() => void, { why: 'idle' | 'timed' | 'backing-off'; chainId: number | undefined }>()
  readonly #connections: ChainConnection[]
  #heads: ChainHeads | undefined
  /** Whether this object made `#heads` (then it starts and stops it). */
  #ownHeads = false
  #unwatchStore: (() => void) | undefined
  /** How many times services were woken by what, for measurements. */
  readonly wakes = { blocks: 0, store: 0, work: 0, timer: 0 }

  constructor(parameters: NetworkServicesParameters) {
    this.#p = parameters
    const { manifest } = parameters
    this.store = openStore(join(parameters.dataDir, 'junction.db'))
    const l1 = new ChainConnection(manifest.l1)
    const chains = new Map(manifest.chains.map((info) => [info.chainId, new ChainConnection(info)]))
    // The relayer key's services (relayer, flow keeper, instruction keeper) share one connection per chain
    // (a connection keeps the key's nonces): on a private chain, one whose sends go through the chain's
    // permissioned RPC with the relayer's session, its rules deciding and its audit log recording each.
    const relayerSessions = privateSessions(manifest)
    const relayerChains = new Map(manifest.chains.map((info) => {
      const sendTransport = relayerSessions.get(info.chainId)
      return [info.chainId, sendTransport ? new ChainConnection({ ...info, sendTransport }) : chains.get(info.chainId)!] as const
    }))
    // Every connection is told of its chain's blocks (`start()`), the relayer's own ones too.
    this.#connections = [l1, ...new Set([...chains.values(), ...relayerChains.values()])]
    this.#heads = parameters.heads
    const store = this.store
    const contracts = manifest.l2Contracts
    const services: Service[] = []
    // Where each chain settles now: the manifest's deployment, and the moves the indexers recorded.
    const topology = () => topologyOf(manifest, store)
    const committedFinality = parameters.committedFinality ?? false
    // The relayer's destinations: every ZK chain, and L1 for bundles sent to it (the L1InteropHandler).
    const relayer = () =>
      named('relay', new Relayer({ store, chains: new Map([...relayerChains, [l1.chainId, l1]]), contracts, topology, l1InteropHandler: manifest.l1.contracts.interopHandler, privateKey: manifest.accounts.relayer.privateKey, committedFinality, gasPerBundle: RELAYER_GAS_PER_BUNDLE, feePolicy: parameters.relayerFeePolicy ?? 'sponsor', privateBundles: relayerSessions.size > 0 ? new PrivateBundleReader({ chains: relayerSessions, interopCenter: manifest.l2Contracts.interopCenter }) : undefined }))
    // Atomic flows past their deadline: asks their coordinator to refund (docs/flows.md). Runs with the relayer.
    // Deadlines are seconds apart: it looks once a second (every 10 ms it cost ~18% of a core on an idle network).
    const flowKeeper = () => named('drive atomic flows', new FlowKeeper({ chains: relayerChains, privateKey: manifest.accounts.relayer.privateKey }), { idleMs: FLOW_KEEPER_IDLE_MS })
    // Multi-bank instructions past their expiry: expires the copies whose bank has not confirmed (docs/instructions.md).
    // Expiries are seconds apart too: it looks as often as the flow keeper.
    const instructionKeeper = () => named('expire instructions', new InstructionKeeper({ chains: relayerChains, privateKey: manifest.accounts.relayer.privateKey }), { idleMs: FLOW_KEEPER_IDLE_MS })
    if (parameters.relayOnly) {
      services.push(relayer(), flowKeeper(), instructionKeeper())
      this.services = services
      return
    }
    for (const info of manifest.chains) {
      const assetTracker = info.gatewayContracts?.assetTracker
      services.push(named(`index ${info.name}`, new ZkChainIndexer({ store, chain: chains.get(info.chainId)!, contracts, startAfterBlock: info.genesis.lastBlock, ...(assetTracker ? { assetTracker } : {}) }), { chainId: info.chainId }))
    }
    const settlementLayers = new Map([[l1.chainId, l1], ...manifest.chains.filter((info) => info.role === 'gateway').map((info) => [info.chainId, chains.get(info.chainId)!] as const)])
    const valueApprovers = new Map(manifest.chains.flatMap((info) => (info.gatewayContracts?.assetTracker ? [[info.chainId, info.gatewayContracts.assetTracker] as const] : [])))
    for (const info of manifest.chains) {
      services.push(named(`process deposits on ${info.name}`, new PriorityProcessor({ store, chain: chains.get(info.chainId)!, info, contracts })))
      services.push(named(`batch ${info.name}`, new Batcher({ store, chain: chains.get(info.chainId)!, genesis: info.genesis, policy: parameters.batchPolicy, ...(info.private === true ? { keepData: { contracts: manifest.l2Contracts } } : {}), bundleBytesLimit: () => (valueApprovers.has(topology().settlementLayerOf.get(info.chainId) ?? -1) ? GATEWAY_BATCH_BUNDLE_BYTES : undefined) })))
      services.push(named(`settle ${info.name}`, new BatchSubmitter({ store, chain: info, settlementLayers, topology, l2Contracts: contracts, valueApprovers, proofDelayMs: parameters.proofDelayMs ?? 0 })))
    }
    for (const { name, indexer, chainId } of settlementLayerIndexers(store, manifest, { l1, chains })) services.push(named(`index ${name}`, indexer, { chainId }))
    // On the chains Junction produces, the block producers import roots as part of their blocks, from
    // this store (src/network/importRootsInBlocks.ts), with the finality recorded here. On nodes Junction
    // did not start, a root importer per chain sends the imports.
    recordFinality(store, committedFinality)
    if (manifest.nodes === 'external') {
      for (const info of manifest.chains) {
        services.push(named(`import roots into ${info.name}`, new RootImports({ store, chain: chains.get(info.chainId)!, info, contracts, topology, committedFinality: () => committedFinality })))
      }
    }
    if (parameters.ledgerKeeper !== false) services.push(named('keep the ledger of chain balances', new LedgerKeeper({ store, sl: l1, manifest, privateKey: manifest.accounts.relayer.privateKey })))
    if (parameters.relay !== false) services.push(relayer(), flowKeeper(), instructionKeeper())
    this.services = services
  }

  /**
   * Starts every service in its own loop. A service with nothing to do sleeps until told: a block of the
   * chain it reads, a write to the store (from this process or another), another service's work, or at
   * most `idleMs`; one that failed backs off.
   */
  start(): void {
    if (this.#running) return
    this.#stopping = false
    const { manifest } = this.#p
    if (!this.#heads) {
      this.#heads = ChainHeads.follow({ chains: [manifest.l1, ...manifest.chains], onError: (chain, error) => this.#p.onError?.(`follow the blocks of ${chain}`, error) })
      this.#ownHeads = true
    }
    const heads = this.#heads
    if (heads) {
      heads.setMaxListeners(0)
      heads.on('block', this.#onBlock)
      // Receipts are looked for when their chain has a new block, not polled.
      for (const connection of this.#connections) {
        connection.followBlocks((listener) => {
          const onBlock = (chainId: number, number: number) => chainId === connection.chainId && listener({ number })
          heads.on('block', onBlock)
          return () => heads.off('block', onBlock)
        })
      }
    }
    this.#unwatchStore = watchStore(
      join(this.#p.dataDir, 'junction.db'),
      () => this.#wake('store'),
      (error) => this.#p.onError?.('watch the store', error),
    )
    const started = this.#ownHeads && heads ? heads.start().catch((error: unknown) => this.#p.onError?.('follow the chains\' blocks', error)) : Promise.resolve()
    this.#running = started.then(() => Promise.all(this.services.map((service) => this.#loop(service)))).then(() => undefined)
  }

  readonly #onBlock = (chainId: number) => {
    this.wakes.blocks++
    for (const [wake, { why, chainId: reads }] of [...this.#wakers]) if (why === 'idle' && reads === chainId) wake()
  }

  /** Wakes the idle loops (not those backing off after a failure). */
  #wake(cause: 'store' | 'work'): void {
    this.wakes[cause]++
    for (const [wake, { why }] of [...this.#wakers]) if (why === 'idle') wake()
  }

  readonly #stats = new Map<string, ServiceStats>()

  /** Time spent per service since start (a copy). */
  stats(): ServiceStats[] {
    return [...this.#stats.values()].map((s) => {
      const timings = this.services.find((service) => service.name === s.name)?.timings
      return timings ? { ...s, steps: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])) } : { ...s }
    })
  }

  async #loop(service: Service): Promise<void> {
    let failures = 0
    const stats: ServiceStats = { name: service.name, ticks: 0, workedTicks: 0, failedTicks: 0, busyMs: 0, workedMs: 0, maxTickMs: 0 }
    this.#stats.set(service.name, stats)
    while (!this.#stopping) {
      let worked = false
      const started = performance.now()
      try {
        worked = await service.tick()
        failures = 0
      } catch (error) {
        failures++
        stats.failedTicks++
        this.#p.onError?.(service.name, error)
      }
      const ms = performance.now() - started
      stats.ticks++
      stats.busyMs += ms
      stats.maxTickMs = Math.max(stats.maxTickMs, ms)
      if (worked) {
        stats.workedTicks++
        stats.workedMs += ms
      }
      if (worked) {
        // What one service did is often what another waits for (a new block indexed, a batch sealed,
        // a root imported): wake the sleeping ones now (the store's watch would, a moment later).
        this.#wake('work')
        continue
      }
      if (this.#stopping) continue
      let wait = failures > 0 ? Math.min(5_000, 100 * 2 ** Math.min(failures, 6)) : (service.idleMs ?? this.#p.idleMs ?? SERVICE_IDLE_LOOK_MS)
      if (failures === 0) {
        const due = service.wakeAt?.()
        if (due !== undefined) wait = Math.max(0, Math.min(wait, due - Date.now()))
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          this.#wakers.delete(wake)
          resolve()
        }
        const timer = setTimeout(() => {
          this.wakes.timer++
          wake()
        }, wait)
        this.#wakers.set(wake, { why: failures > 0 ? 'backing-off' : service.idleMs !== undefined ? 'timed' : 'idle', chainId: service.chainId })
      })
    }
  }

  /** Stops after the current service step and closes the store. */
  async stop(): Promise<void> {
    this.#stopping = true
    this.#unwatchStore?.()
    this.#heads?.off('block', this.#onBlock)
    for (const wake of [...this.#wakers.keys()]) wake()
    await this.#running
    this.#running = undefined
    if (this.#ownHeads) {
      await this.#heads?.stop()
      this.#heads = undefined
      this.#ownHeads = false
    }
    if (this.store.open) this.store.close()
  }
}

/**
 * The relayer's session on each private chain's permissioned RPC (`private` with an `apiBaseUrl` in the
 * manifest), by chain id: its reads of the chain's bundles and its sends there go through it.
 */
function privateSessions(manifest: NetworkManifest): Map<number, Transport> {
  const account = privateKeyToAccount(manifest.accounts.relayer.privateKey)
  return new Map(manifest.chains.filter((info) => info.private && info.apiBaseUrl).map((info) => [info.chainId, prividiumTransport({ apiBaseUrl: info.apiBaseUrl!, account })]))
}

function named(name: string, service: { tick(): Promise<boolean>; timings?: Record<string, number>; wakeAt?: () => number | undefined }, options: { chainId?: number; idleMs?: number } = {}): Service {
  return { name, tick: () => service.tick(), timings: service.timings, ...options, ...(service.wakeAt ? { wakeAt: () => service.wakeAt!() } : {}) }
}
