import { parseEventLogs, zeroAddress, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { decodeBundle, executionRecordHash } from '../protocol/index.js'
import { decodeJunctionError, type ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { buildProofFromStore, buildRoutedLeafProof, type BuildProofFromStoreReturnType, type SettlementLayerStateCache } from '../indexer/buildProofFromStore.js'
import { readyBundles } from '../indexer/bundleReadiness.js'
import type { Topology } from '../network/topology.js'
import type { L2Contracts } from '../network/types.js'
import { statement, type Store } from '../store/openStore.js'
import type { PrivateBundleReader } from './PrivateBundleReader.js'

/** Parameters of {@link Relayer}. */
export type RelayerParameters = {
  store: Store
  /** Destination chains by chain id. */
  chains: Map<number, ChainConnection>
  contracts: L2Contracts
  /** Where each chain settles (one- or two-level proofs), read afresh each round (chains may move). */
  topology: () => Topology
  /** The L1InteropHandler, for bundles sent to L1 (the L1 connection must be in `chains`). */
  l1InteropHandler?: Address
  /**
   * Private chains' bundles: read with their blindings through the source's permissioned RPC, signed in with
   * the relayer role (docs/prividium.md, "Private interop"), instead of from the operator's index. Without it,
   * from the index.
   */
  privateBundles?: PrivateBundleReader
  /** Key that pays for executions on destinations. */
  privateKey: Hex
  /** Most bundles executed per tick. */
  maxPerTick?: number
  /** Most bundles in one `executeBundles` transaction. */
  maxPerTransaction?: number
  /** First wait before retrying a bundle that failed, doubled per failure (capped at 60 s). */
  retryBaseMs?: number
  /**
   * Committed finality (docs/protocol.md §12, opt-in): also execute bundles whose source batch is only
   * committed, against its message root the destination imported. Default false (proven finality).
   */
  committedFinality?: boolean
  /**
   * Gas allowed per bundle in an `executeBundles` transaction, sent without estimating it (the estimate
   * executes every bundle once more); capped at the destination's block gas limit. A chunk that needs
   * more reverts and its bundles go one by one, estimated. Undefined: estimate every chunk.
   */
  gasPerBundle?: bigint
  /**
   * Whose gas executions are (docs/fees.md): `'sponsor'` (default) executes every bundle at the relayer's
   * cost, as a network's own relayer does; `'require'` executes only bundles whose fee on the source covers
   * their execution at the prices the source knows now (`InteropCenter.quoteFee` of the gas they need, at
   * least the gas limit they bought), records the others as `unpaid` with the reason (looked at again later,
   * so a top-up is noticed) and claims on the source chains the fees of what its key executed (found in the
   * store each round, so a restart loses none) once the execution can be proven there.
   */
  feePolicy?: 'sponsor' | 'require'
}

/**
 * Executes sent bundles on their destinations as soon as they can be proven: the source batch is
 * executed on the settlement layer and the destination has imported a root that covers it. The
 * relayer is not trusted: the InteropHandler checks the proof, and its per-bundle status makes a
 * second execution impossible, so a relayer that restarts and sends again changes nothing.
 *
 * A bundle that reverts (a recipient refuses it) is recorded with its revert reason and retried later.
 *
 * @example
 * ```ts
 * await new Relayer({ store, chains, contracts, topology: () => topologyOf(manifest, store), privateKey }).tick()
 * ```
 */
export class Relayer {
  readonly #p: Required<Omit<RelayerParameters, 'l1InteropHandler' | 'gasPerBundle' | 'privateBundles'>> & Pick<RelayerParameters, 'l1InteropHandler' | 'gasPerBundle' | 'privateBundles'>
  /** Fees this process claimed whose `FeeClaimed` the indexer may not have seen yet (not claimed twice meanwhile). */
  readonly #claimedHere = new Set<Hex>()
  readonly #address: Address
  /** Settlement-layer states rebuilt for proofs, by snapshot (the newest few, across rounds). */
  readonly #states: SettlementLayerStateCache = new Map()
  /** Milliseconds spent per step since start (finding ready bundles, building proofs, sending and awaiting transactions), for profiling. */
  readonly timings = { queryMs: 0, proofMs: 0, proofs: 0, sendMs: 0, transactions: 0 }

  constructor(parameters: RelayerParameters) {
    this.#p = { maxPerTick: 400, maxPerTransaction: 100, retryBaseMs: 500, committedFinality: false, feePolicy: 'sponsor', ...parameters }
    this.#address = privateKeyToAccount(parameters.privateKey).address
  }

  /** The earliest retry of a bundle this relayer saw fail (a retry is due at a time: nothing else announces it). */
  #nextRetryAt: number | undefined

  /** When a bundle that failed here is due to be tried again, if one is. */
  wakeAt(): number | undefined {
    return this.#nextRetryAt
  }

  /** Executes what is ready; resolves `true` if it sent anything. */
  async tick(): Promise<boolean> {
    if (this.#nextRetryAt !== undefined && this.#nextRetryAt <= Date.now()) this.#nextRetryAt = undefined
    const { store } = this.#p
    const topology = this.#p.topology()
    const queryStarted = performance.now()
    const ready = readyBundles(store, topology, { now: Date.now(), limit: this.#p.maxPerTick, committedFinality: this.#p.committedFinality })
    this.timings.queryMs += performance.now() - queryStarted
    // Per destination, one executeBundles transaction for everything ready; proofs share the
    // rebuilt settlement-layer trees, kept for the next rounds too (a settlement layer's trees at a
    // block never change), except a state an indexer had not caught up with.
    const cache = this.#states
    const byDestination = new Map<number, Hex[]>()
    for (const row of ready) byDestination.set(row.destination_chain_id, [...(byDestination.get(row.destination_chain_id) ?? []), row.bundle_hash])
    const results = await Promise.all(
      [...byDestination].map(async ([chainId, hashes]) => {
        const destination = this.#p.chains.get(chainId)
        if (!destination) return false
        // Chunks go out one after another through the key's send queue, without waiting for each
        // other's receipts: the next chunk's estimate and send overlap the previous one's mining.
        const chunks: Hex[][] = []
        for (let i = 0; i < hashes.length; i += this.#p.maxPerTransaction) chunks.push(hashes.slice(i, i + this.#p.maxPerTransaction))
        const sent = await Promise.all(chunks.map((chunk) => this.#deliverMany(chunk, destination, topology, cache)))
        return sent.includes(true)
      }),
    )
    for (const [key, state] of cache) if (state.incomplete.size > 0) cache.delete(key)
    for (const key of [...cache.keys()].slice(0, Math.max(0, cache.size - 8))) cache.delete(key)
    const claimed = await this.#claimFees(topology)
    return results.includes(true) || claimed
  }

  /** Whether `hash` pays for its execution on `destination` now; if not, records it as `unpaid` with the reason. */
  async #pays(hash: Hex, built: Extract<BuildProofFromStoreReturnType, { ready: true }>, destination: ChainConnection): Promise<boolean> {
    const source = this.#p.chains.get(built.sourceChainId)
    const center = this.#p.contracts.interopCenter
    const unpaid = (reason: string) => {
      this.#recordStatement().run(hash, 'unpaid', reason, null, Date.now(), this.#retryAt(hash))
      return false
    }
    if (!source) return unpaid(`its source chain ${built.sourceChainId} is not connected to this relayer, which cannot read its fee`)
    const [paid, gasLimit, feeDestination] = await source.client.readContract({ address: center, abi: c.interopCenterAbi, functionName: 'feeOf', args: [hash] })
    // No record: sent without executionGasLimit (a record of 0 wei is underpaid, below, and can be topped up).
    if (feeDestination === 0n) return unpaid('it paid no fee (sent without executionGasLimit, it cannot be topped up: send it again with a fee, even of 0 wei, or execute it yourself)')
    let needed: bigint
    try {
      needed = await destination.client.estimateContractGas({ address: this.#p.contracts.interopHandler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args: [built.bundle, built.proof], account: this.#address })
    } catch {
      // It reverts: the execution below records why.
      return true
    }
    if (gasLimit !== 0n && needed > gasLimit) return unpaid(`its execution needs ${needed} gas, its fee buys ${gasLimit}`)
    const bytes = BigInt((built.bundle.length - 2) / 2)
    let quote: bigint
    try {
      quote = await source.client.readContract({ address: center, abi: c.interopCenterAbi, functionName: 'quoteFee', args: [BigInt(built.destinationChainId), gasLimit === 0n ? needed : gasLimit, bytes] })
    } catch (error) {
      return unpaid(`its source cannot quote its execution now (${source.explainRevert(error, 'quoteFee').message.split('\n')[0]})`)
    }
    if (paid < quote) return unpaid(`it pays ${paid} wei, its execution costs ${quote} wei at the prices its source knows now (top it up with topUpFee)`)
    return true
  }

  /**
   * Claims on their sources the fees of the bundles this relayer's key executed, once their executions can be
   * proven there (`feePolicy: 'require'`). Read from the store each time, not kept in memory: the fees paid and
   * not claimed (`unclaimed_fees`) of executed bundles whose execution record names this key, so a restarted
   * relayer, or one whose key executed a bundle elsewhere, claims them too.
   */
  async #claimFees(topology: Topology): Promise<boolean> {
    if (this.#p.feePolicy !== 'require') return false
    const rows = statement(this.#p.store, `SELECT f.bundle_hash, f.source_chain_id, f.destination_chain_id FROM unclaimed_fees f JOIN bundles_executed e ON e.bundle_hash = f.bundle_hash AND e.chain_id = f.destination_chain_id`)
      .all() as { bundle_hash: Hex; source_chain_id: number; destination_chain_id: number }[]
    const waiting = new Set(rows.map((row) => row.bundle_hash))
    for (const hash of this.#claimedHere) if (!waiting.has(hash)) this.#claimedHere.delete(hash)
    let claimed = false
    for (const { bundle_hash: hash, source_chain_id: sourceChainId, destination_chain_id: destinationChainId } of rows) {
      const source = this.#p.chains.get(sourceChainId)
      if (!source || this.#claimedHere.has(hash)) continue
      // Not ready when no execution record names this key (another executor's bundle) or it is not provable yet.
      const built = buildRoutedLeafProof(this.#p.store, { topology, sourceChainId: destinationChainId, destination: sourceChainId, sender: this.#p.contracts.interopHandler, payloadHash: executionRecordHash(hash, this.#address) })
      if (!built.ready) continue
      try {
        await source.write(this.#p.privateKey, { address: this.#p.contracts.interopCenter, abi: c.interopCenterAbi, functionName: 'claimFee', args: [hash, this.#address, built.proof], action: `claimFee ${hash.slice(0, 10)}` })
        claimed = true
      } catch (error) {
        // Another submitter claimed it for this relayer first: nothing left to do.
        if (!(error instanceof ContractRevertedError && error.errorName === 'FeeAlreadyClaimed')) throw error
      }
      this.#claimedHere.add(hash)
    }
    return claimed
  }

  /** When to look at `hash` again after a failed or unpaid attempt: the base wait doubled per attempt, at most 60 s. */
  #retryAt(hash: Hex): number {
    const attempts = ((statement(this.#p.store, 'SELECT attempts FROM deliveries WHERE bundle_hash = ?').get(hash) as { attempts: number } | undefined)?.attempts ?? 0) + 1
    const at = Date.now() + Math.min(60_000, this.#p.retryBaseMs * 2 ** (attempts - 1))
    // Nothing else announces a retry (or a top-up of an unpaid fee): the services wake the relayer then (wakeAt).
    this.#nextRetryAt = Math.min(this.#nextRetryAt ?? at, at)
    return at
  }

  /** Executes `hashes` on `destination` in one transaction; if that would revert, one by one, so each failure gets its own reason. */
  async #deliverMany(hashes: Hex[], destination: ChainConnection, topology: Topology, cache: SettlementLayerStateCache): Promise<boolean> {
    const { store, contracts } = this.#p
    const proofStarted = performance.now()
    let built = hashes
      .map((bundleHash) => ({ bundleHash, built: buildProofFromStore(store, { bundleHash, interopCenter: contracts.interopCenter, topology, committedFinality: this.#p.committedFinality }, cache) }))
      .filter((b) => b.built.ready && this.#mayExecute(b.bundleHash, b.built.bundle)) as { bundleHash: Hex; built: Extract<BuildProofFromStoreReturnType, { ready: true }> }[]
    this.timings.proofMs += performance.now() - proofStarted
    this.timings.proofs += built.length
    if (this.#p.feePolicy === 'require' && destination.chainId !== topology.l1ChainId) {
      const pays = await Promise.all(built.map((b) => this.#pays(b.bundleHash, b.built, destination)))
      built = built.filter((_, i) => pays[i])
    }
    if (built.length === 0) return false
    await this.#readPrivateBundles(built)
    // On L1 a bundle whose calls fail does not revert (its value stays in the alias accounts): one
    // transaction per bundle, so each failure is seen. A private chain's bundle (blinded) goes alone too.
    if (built.length > 1 && destination.chainId !== topology.l1ChainId && built.every((b) => b.built.blinding === undefined)) {
      const sendStarted = performance.now()
      try {
        const receipt = await destination.write(this.#p.privateKey, {
          address: contracts.interopHandler,
          abi: c.interopHandlerAbi,
          functionName: 'executeBundles',
          args: [built.map((b) => b.built.bundle), built.map((b) => b.built.proof)],
          action: `executeBundles (${built.length})`,
          ...(this.#p.gasPerBundle === undefined ? {} : { gas: await this.#chunkGas(destination, built.length, this.#p.gasPerBundle) }),
        })
        this.timings.sendMs += performance.now() - sendStarted
        this.timings.transactions++
        const record = this.#recordStatement()
        store.transaction(() => {
          for (const b of built) record.run(b.bundleHash, 'executed', null, receipt.transactionHash, Date.now(), null)
        })()
        return true
      } catch (error) {
        if (!(error instanceof ContractRevertedError)) throw error
        // One of them fails: fall through to one transaction each.
      }
    }
    for (const b of built) await this.#deliver(b.bundleHash, destination, b.built, topology.l1ChainId)
    return true
  }

  /** Private sources' bundles and blindings, read through their permissioned RPCs (when a reader is given). */
  async #readPrivateBundles(built: { bundleHash: Hex; built: Extract<BuildProofFromStoreReturnType, { ready: true }> }[]): Promise<void> {
    const reader = this.#p.privateBundles
    if (!reader) return
    const sentIn = statement(this.#p.store, 'SELECT block_number FROM bundles_sent WHERE bundle_hash = ?')
    await Promise.all(
      built
        .filter((b) => b.built.blinding !== undefined && reader.reads(b.built.sourceChainId))
        .map(async (b) => {
          const { block_number } = sentIn.get(b.bundleHash) as { block_number: number }
          const read = await reader.read(b.built.sourceChainId, b.bundleHash, block_number)
          b.built = { ...b.built, bundle: read.bundle, blinding: read.blinding }
        }),
    )
  }

  readonly #blockGasLimits = new Map<number, bigint>()

  /** The gas limit of a chunk of `bundles` bundles on `destination`: a base and an allowance per bundle, at most the block gas limit. */
  async #chunkGas(destination: ChainConnection, bundles: number, perBundle: bigint): Promise<bigint> {
    let limit = this.#blockGasLimits.get(destination.chainId)
    if (limit === undefined) {
      limit = (await destination.client.getBlock()).gasLimit
      this.#blockGasLimits.set(destination.chainId, limit)
    }
    const wanted = 150_000n + BigInt(bundles) * perBundle
    return wanted < limit ? wanted : limit
  }

  /**
   * A bundle whose execution address is someone else is theirs to execute: record it as
   * `restricted` once (so it is not picked again) and leave it.
   */
  #mayExecute(bundleHash: Hex, encoded: Hex): boolean {
    const { executionAddress } = decodeBundle(encoded)
    if (executionAddress === zeroAddress || executionAddress.toLowerCase() === this.#address.toLowerCase()) return true
    this.#recordStatement().run(bundleHash, 'restricted', `only ${executionAddress} may execute it`, null, Date.now(), null)
    return false
  }

  #recordStatement() {
    return statement(this.#p.store, 
      `INSERT INTO deliveries (bundle_hash, status, attempts, last_error, tx_hash, updated_at, retry_at) VALUES (?,?,1,?,?,?,?)
       ON CONFLICT(bundle_hash) DO UPDATE SET status = excluded.status, attempts = attempts + 1, last_error = excluded.last_error,
         tx_hash = excluded.tx_hash, updated_at = excluded.updated_at, retry_at = excluded.retry_at`,
    )
  }

  /** Bundles whose last attempt with a fixed gas limit failed: the next attempt estimates (out of gas has no reason to replay). */
  readonly #estimateNext = new Set<Hex>()

  /**
   * Executes one bundle; resolves whether this relayer executed it. On a ZK chain, with `gasPerBundle`, it is sent
   * with a fixed gas limit instead of an estimate (which executes the bundle once more before the transaction
   * does: a round trip and the bundle's execution on every delivery of a quiet network); a mined revert is
   * replayed for its reason, and the bundle's next attempt estimates. On L1 it is estimated (its gas is paid).
   */
  async #deliver(bundleHash: Hex, destination: ChainConnection, built: Extract<BuildProofFromStoreReturnType, { ready: true }>, l1ChainId: number): Promise<boolean> {
    const record = this.#recordStatement()
    const retryAt = () => this.#retryAt(bundleHash)
    const sendStarted = performance.now()
    const fixedGas = this.#p.gasPerBundle !== undefined && destination.chainId !== l1ChainId && !this.#estimateNext.has(bundleHash)
    try {
      const action = `executeBundle ${bundleHash.slice(0, 10)}`
      const gas = fixedGas ? { gas: await this.#chunkGas(destination, 1, this.#p.gasPerBundle!) } : {}
      const receipt =
        built.blinding === undefined
          ? await destination.write(this.#p.privateKey, { ...this.#handlerOn(destination.chainId, l1ChainId), functionName: 'executeBundle', args: [built.bundle, built.proof], action, ...gas })
          : await destination.write(this.#p.privateKey, { address: this.#p.contracts.interopHandler, abi: c.interopHandlerAbi, functionName: 'executeBlindedBundle', args: [built.bundle, built.blinding, built.proof], action, ...gas })
      this.#estimateNext.delete(bundleHash)
      const [failed] = parseEventLogs({ abi: c.l1InteropHandlerAbi, eventName: 'BundleExecutionFailed', logs: receipt.logs })
      if (failed) record.run(bundleHash, 'failed', decodeJunctionError(failed.args.reason).text, receipt.transactionHash, Date.now(), retryAt())
      else record.run(bundleHash, 'executed', null, receipt.transactionHash, Date.now(), null)
      this.timings.sendMs += performance.now() - sendStarted
      this.timings.transactions++
      return !failed
    } catch (error) {
      if (fixedGas) this.#estimateNext.add(bundleHash)
      if (error instanceof ContractRevertedError && error.errorName === 'BundleAlreadyProcessed') {
        this.#estimateNext.delete(bundleHash)
        record.run(bundleHash, 'executed', null, null, Date.now(), null)
        return false
      }
      const reason = error instanceof ContractRevertedError ? error.reason : error instanceof Error ? error.message : String(error)
      record.run(bundleHash, 'failed', reason, null, Date.now(), retryAt())
      return false
    }
  }

  /** The bundle executor on `chainId`: the InteropHandler of a ZK chain, or the L1InteropHandler. */
  #handlerOn(chainId: number, l1ChainId: number) {
    if (chainId !== l1ChainId) return { address: this.#p.contracts.interopHandler, abi: c.interopHandlerAbi } as const
    if (!this.#p.l1InteropHandler) throw new Error('the relayer was not given the L1InteropHandler address')
    return { address: this.#p.l1InteropHandler, abi: c.l1InteropHandlerAbi } as const
  }
}
