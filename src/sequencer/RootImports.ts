import { zeroHash, type Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { committedBatchDemands, rootDemands, type RootDemand } from '../indexer/bundleReadiness.js'
import { gasPricesForRoot } from '../indexer/gasPrices.js'
import type { Topology } from '../network/topology.js'
import type { L2Contracts, ZkChainInfo } from '../network/types.js'
import { committedBatchKey, isCommittedBatchKey, type ImportedRoot } from '../protocol/index.js'
import { statement, type Store } from '../store/openStore.js'
import { acknowledgePause, pauseAcknowledgedAt, pauseRequested } from '../store/settlementPauses.js'
import type { BlockBuilder } from './BlockProducer.js'

/** Parameters of {@link RootImports}. */
export type RootImportsParameters = {
  store: Store
  /** The destination chain whose root store gets the roots. */
  chain: ChainConnection
  info: ZkChainInfo
  contracts: L2Contracts
  /** Where each chain settles now, read afresh each time (chains may move). */
  topology: () => Topology
  /**
   * Committed finality (docs/protocol.md §12, opt-in): also import the message roots of source batches
   * only committed on this chain's settlement layer, for the bundles waiting for them. Read each time
   * (the services record it in the store: {@link finalityOf}).
   */
  committedFinality: () => boolean
  /**
   * The fee per gas (tip and cap) the operator's import is sent with when it goes into a block Junction
   * produces, so that it is first in the block (a node orders a block's transactions by fee, then by
   * arrival; everyone else sends with no fee on a ZK chain). The operator is the chain's coinbase and
   * gets the tip back. Default {@link ROOT_IMPORT_TIP}; an operator holding less than the gas at this fee
   * sends with no fee (its import then comes after what arrived before it).
   */
  tip?: bigint
  /** Called when an import sent into a block failed (its roots are looked at again). */
  onError?: (error: unknown) => void
}

/** The fee per gas of an import put first in a block (see {@link RootImportsParameters.tip}). */
export const ROOT_IMPORT_TIP = 10_000_000_000n

/**
 * Gas of an import transaction (`addInteropRoots`, `addInteropRootsWithGasPrices`): a base, each root (a new
 * slot, its event, its calldata) and each gas price that comes with them (a slot, its calldata and event data).
 */
export const rootImportGas = (roots: number, prices = 0): bigint => 60_000n + 40_000n * BigInt(roots) + 30_000n * BigInt(prices)

/** The store's key for the finality the services run with (`committed` or `proven`). */
const FINALITY_KEY = 'services:finality'

/**
 * Records in the store the finality the services run with, so that the block producers of another
 * process import what it needs (the committed batch roots of committed finality, §12).
 *
 * @example
 * ```ts
 * recordFinality(store, true)
 * finalityOf(store) // 'committed'
 * ```
 */
export function recordFinality(store: Store, committed: boolean): void {
  store.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(FINALITY_KEY, committed ? 'committed' : 'proven')
}

/** The finality the services recorded (`proven` when none did). */
export function finalityOf(store: Store): 'committed' | 'proven' {
  return (statement(store, 'SELECT value FROM meta WHERE key = ?').get(FINALITY_KEY) as { value: string } | undefined)?.value === 'committed' ? 'committed' : 'proven'
}

/**
 * The interop roots a destination chain needs, imported by its operator into its `InteropRootStore`
 * (operator only, write-once, non-zero), only when a message waits for one: a bundle to this chain whose
 * source side is settled (docs/protocol.md §7.2: its batch executed on its settlement layer and, for a
 * two-level proof, the Gateway batch holding that execution executed on L1), not yet covered by a root
 * this chain imported. It imports the newest root (a shared root covers every batch executed before
 * it), so one import serves every waiting message; all the roots due go in one transaction.
 *
 * A chain on the Gateway may import L1 roots only once the Gateway has imported them (that is how the
 * Gateway checks them when the chain's batch settles there), so the Gateway also imports the L1 roots
 * its chains wait for. Importing only on demand matters: every imported root must itself be settled in
 * the chain's next batch, which creates a new root; importing every root everywhere would never come
 * to rest. With committed finality it also imports, under their committed-batch keys, the message roots
 * of source batches committed on this chain's settlement layer but not executed yet.
 *
 * On the chains Junction produces, this is part of block production (a {@link BlockBuilder}: like the
 * bootloader of a ZKsync chain importing interop roots at the start of a block, the producer puts the
 * operator's import first in its next block, `beforeBlock`); on nodes Junction did not start, the
 * services' root importer sends it (`tick`, waiting for the receipt).
 *
 * While the chain moves between settlement layers it pauses when asked to through the store
 * (`requestPause(store, 'root-imports', chainId)`), and acknowledges with the chain's block at that
 * moment: nothing is imported after it.
 *
 * @example
 * ```ts
 * const imports = new RootImports({ store, chain: beta, info, contracts, topology, committedFinality: () => false })
 * producer.builder = imports
 * ```
 */
export class RootImports implements BlockBuilder {
  readonly #p: RootImportsParameters & { tip: bigint; onError: (error: unknown) => void }
  /** Per settlement layer, the newest root block imported here (until the indexer has seen it). */
  readonly #lastImported = new Map<number, number>()
  /** Settlement layers whose roots this importer imported here (a mined import): their newer roots need no lookup. */
  readonly #importing = new Set<number>()
  /** Committed batch roots imported here (until the indexer has seen them). */
  readonly #committedImported = new Set<string>()
  /** The operator's balance (read once, and again after an import failed): whether it can pay the tip. */
  #balance: Promise<bigint> | undefined
  /** Roots imported, and imports sent, since start (for measurements). */
  readonly stats = { imports: 0, roots: 0, tipped: 0 }

  constructor(parameters: RootImportsParameters) {
    this.#p = { tip: ROOT_IMPORT_TIP, onError: () => {}, ...parameters }
  }

  /**
   * From the store alone (no call to the chain): whether a block should be built now, for a pause to
   * acknowledge or a root that looks due. Cheap: asked at every write to the store.
   */
  wanted(): boolean {
    const { store, chain } = this.#p
    const token = pauseRequested(store, 'root-imports', chain.chainId)
    if (token !== undefined) return pauseAcknowledgedAt(store, 'root-imports', chain.chainId, token) === undefined
    return this.#candidates().length > 0
  }

  /**
   * Between two blocks of the chain: acknowledges a pause, or puts the operator's import of the roots
   * due into the pool, tipped to go first; resolves whether it sent one (the producer then mines it).
   * The import's receipt is awaited in the background: a failure is reported to `onError` and the roots
   * are looked at again.
   */
  async beforeBlock(): Promise<boolean> {
    if (await this.#paused()) return false
    const roots = await this.#due()
    if (roots.length === 0) return false
    const call = this.#importCall(roots)
    const gas = rootImportGas(roots.length, call.prices)
    // Read again after a failed read (a rejected promise kept here failed every import after it).
    this.#balance ??= this.#p.chain.client.getBalance({ address: this.#p.info.operator.address }).catch((error: unknown) => {
      this.#balance = undefined
      throw error
    })
    const tip = this.#p.tip > 0n && (await this.#balance) >= gas * this.#p.tip ? this.#p.tip : 0n
    const { receipt } = await this.#p.chain.submit(this.#p.info.operator.privateKey, { ...call.request, gas, fees: { maxFeePerGas: tip, maxPriorityFeePerGas: tip } })
    this.#remember(roots)
    this.#count(roots, tip > 0n)
    receipt.then(
      () => this.#mined(roots),
      (error: unknown) => {
        this.#forget(roots)
        this.#balance = undefined
        this.#p.onError(error)
      },
    )
    return true
  }

  /** As a service (nodes Junction did not start): acknowledges a pause, or imports the roots due and waits for the receipt. */
  async tick(): Promise<boolean> {
    if (await this.#paused()) return false
    const roots = await this.#due()
    if (roots.length === 0) return false
    this.#remember(roots)
    this.#count(roots, false)
    try {
      const call = this.#importCall(roots)
      await this.#p.chain.write(this.#p.info.operator.privateKey, { ...call.request, gas: rootImportGas(roots.length, call.prices) })
      this.#mined(roots)
    } catch (error) {
      this.#forget(roots)
      throw error
    }
    return true
  }

  /**
   * The import of `roots`, with the gas prices posted on L1 at or before the first root's block (docs/fees.md:
   * the source's fee quotes use them) when the first is a settlement-layer root and prices were posted; the
   * number of prices sent (for the gas).
   */
  #importCall(roots: ImportedRoot[]) {
    const what = roots.map((root) => `${root.slChainId}@${root.slBlockNumber}`).join(', ')
    const action = `import root(s) ${what} into ${this.#p.info.name}`
    const first = roots[0]
    const prices = first && !isCommittedBatchKey(first.slBlockNumber) ? gasPricesForRoot(this.#p.store, this.#p.topology().l1ChainId, Number(first.slChainId), Number(first.slBlockNumber)) : []
    const { interopRootStore: address } = this.#p.contracts
    const abi = c.interopRootStoreAbi
    if (prices.length === 0) return { prices: 0, request: { address, abi, functionName: 'addInteropRoots', args: [roots], action } as const }
    return { prices: prices.length, request: { address, abi, functionName: 'addInteropRootsWithGasPrices', args: [roots, prices], action: `${action} with ${prices.length} gas price(s)` } as const }
  }

  /** Acknowledges a pause asked for (once per request); true while paused. */
  async #paused(): Promise<boolean> {
    const { store, chain } = this.#p
    const token = pauseRequested(store, 'root-imports', chain.chainId)
    if (token === undefined) return false
    if (pauseAcknowledgedAt(store, 'root-imports', chain.chainId, token) === undefined) {
      // Between two blocks (or two imports): every import sent so far is mined at or before the head.
      acknowledgePause(store, 'root-imports', chain.chainId, token, Number(await chain.client.getBlockNumber({ cacheTime: 0 })))
    }
    return true
  }

  /** The roots that look due from the store: the newest of each settlement layer a waiting message needs, and committed batch roots (§12). */
  #candidates(): ImportedRoot[] {
    const { store, chain } = this.#p
    const topology = this.#p.topology()
    const roots: ImportedRoot[] = []
    for (const demand of this.#demands(topology)) {
      const imported = statement(store, 'SELECT MAX(sl_block_number) AS b FROM real_imported_roots WHERE chain_id = ? AND sl_chain_id = ?').get(chain.chainId, demand.slChainId) as { b: number | null }
      const have = Math.max(imported.b ?? -1, this.#lastImported.get(demand.slChainId) ?? -1)
      if (have >= demand.neededBlock) continue
      const ownSl = topology.settlementLayerOf.get(chain.chainId)
      // Roots of the settlement layer itself, or (for a chain on the Gateway) L1 roots the Gateway imported.
      const latest = (
        demand.slChainId === ownSl || ownSl === topology.l1ChainId
          ? statement(store, 'SELECT block_number, root FROM sl_roots WHERE sl_chain_id = ? ORDER BY block_number DESC LIMIT 1').get(demand.slChainId)
          : statement(store, 'SELECT sl_block_number AS block_number, root FROM real_imported_roots WHERE chain_id = ? AND sl_chain_id = ? ORDER BY sl_block_number DESC LIMIT 1').get(ownSl, demand.slChainId)
      ) as { block_number: number; root: Hex } | undefined
      if (!latest || latest.block_number < demand.neededBlock) continue
      roots.push({ slChainId: BigInt(demand.slChainId), slBlockNumber: BigInt(latest.block_number), root: latest.root })
    }
    if (this.#p.committedFinality()) {
      for (const d of committedBatchDemands(store, topology, chain.chainId)) {
        const root = { slChainId: BigInt(d.slChainId), slBlockNumber: committedBatchKey(d.sourceChainId, d.batchNumber), root: d.messageRoot }
        if (!this.#committedImported.has(`${root.slChainId}:${root.slBlockNumber}`)) roots.push(root)
      }
    }
    return roots
  }

  /**
   * The candidates not on the chain already (an import mined that the indexer has not stored yet is remembered, not
   * sent again). Each is looked up on the chain, except a settlement layer's newer root once this importer's own
   * import of that layer's roots was mined here: it is then the chain's importer, and the store and its memory
   * know every root it imported (a lookup is a round trip on every message's path). An import that fails anyway
   * (`RootAlreadySet`: another importer) is forgotten and the next one looks again.
   */
  async #due(): Promise<ImportedRoot[]> {
    const { chain, contracts } = this.#p
    const candidates = this.#candidates()
    const onChain = await Promise.all(
      candidates.map((root) =>
        !isCommittedBatchKey(root.slBlockNumber) && this.#importing.has(Number(root.slChainId))
          ? zeroHash
          : (chain.client.readContract({ address: contracts.interopRootStore, abi: c.interopRootStoreAbi, functionName: 'interopRoot', args: [root.slChainId, root.slBlockNumber] }) as Promise<Hex>),
      ),
    )
    this.#remember(candidates.filter((_, i) => BigInt(onChain[i]!) !== 0n))
    return candidates.filter((_, i) => BigInt(onChain[i]!) === 0n)
  }

  /** Roots imported (or found imported): not sent again before the indexer has them. */
  #remember(roots: ImportedRoot[]): void {
    for (const root of roots) {
      if (isCommittedBatchKey(root.slBlockNumber)) this.#committedImported.add(`${root.slChainId}:${root.slBlockNumber}`)
      else this.#lastImported.set(Number(root.slChainId), Math.max(this.#lastImported.get(Number(root.slChainId)) ?? -1, Number(root.slBlockNumber)))
    }
  }

  #count(roots: ImportedRoot[], tipped: boolean): void {
    this.stats.imports++
    this.stats.roots += roots.length
    if (tipped) this.stats.tipped++
  }

  /** An import that failed: its roots are due again, and looked up on the chain first. */
  #forget(roots: ImportedRoot[]): void {
    for (const root of roots) {
      if (isCommittedBatchKey(root.slBlockNumber)) this.#committedImported.delete(`${root.slChainId}:${root.slBlockNumber}`)
      else {
        this.#lastImported.delete(Number(root.slChainId))
        this.#importing.delete(Number(root.slChainId))
      }
    }
  }

  /** An import of this importer was mined: the newer roots of its settlement layers need no lookup (`#due`). */
  #mined(roots: ImportedRoot[]): void {
    for (const root of roots) if (!isCommittedBatchKey(root.slBlockNumber)) this.#importing.add(Number(root.slChainId))
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
}
