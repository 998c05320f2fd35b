import type { Hex } from 'viem'
import { JunctionError } from '../errors/JunctionError.js'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import type { ZkChainInfo } from '../network/types.js'
import type { BatchCommitment, ImportedRoot } from '../protocol/index.js'
import type { Store } from '../store/openStore.js'
import { fromStoredJson } from '../store/storedJson.js'

/** Parameters of {@link BatchSubmitter}. */
export type BatchSubmitterParameters = {
  store: Store
  /** The settlement layer the chain settles on. */
  sl: ChainConnection
  chain: ZkChainInfo
  /** Most batches sent in one commit, prove or execute transaction. */
  maxBatchesPerTransaction?: number
}

/** A batch imported an interop root that is not in its settlement layer's root history: it can never execute. */
export class BatchCannotSettleError extends JunctionError {
  override name = 'BatchCannotSettleError'
  constructor(chain: string, batchNumber: number) {
    super(`batch ${batchNumber} of ${chain} imported a root its settlement layer does not accept: it cannot be executed`, {
      details: "The chain's operator imported a root that was never a settlement-layer root. The chain cannot settle past this batch; messages in earlier batches are unaffected.",
    })
  }
}

/**
 * The DEVELOPMENT proof sent with `proveBatches`. It is not a zero-knowledge proof: the
 * settlement layer checks it with `DevelopmentVerifier`, which accepts anything on development
 * chain ids and refuses to run anywhere else.
 */
export const DEVELOPMENT_PROOF: Hex = '0x'

type Stage = { from: 'sealed' | 'committed' | 'proven'; to: 'committed' | 'proven' | 'executed' }
const STAGES: Stage[] = [
  { from: 'sealed', to: 'committed' },
  { from: 'committed', to: 'proven' },
  { from: 'proven', to: 'executed' },
]

/**
 * Takes a chain's sealed batches through its settlement contract: commit, prove (with the
 * development verifier: not a zero-knowledge proof), execute with the interop roots each batch
 * imported. The settlement layer is the source of truth: on its first tick (and after any failure)
 * the submitter reads the contract's totals, so a restart neither skips nor repeats a step.
 *
 * @example
 * ```ts
 * const submitter = new BatchSubmitter({ store, sl: l1, chain: alpha })
 * await submitter.tick()
 * ```
 */
export class BatchSubmitter {
  readonly #p: Required<BatchSubmitterParameters>
  #synced = false

  constructor(parameters: BatchSubmitterParameters) {
    this.#p = { maxBatchesPerTransaction: 100, ...parameters }
  }

  /** Advances every stage that has work; resolves `true` if it sent anything. */
  async tick(): Promise<boolean> {
    if (!this.#synced) await this.#syncFromChain()
    let worked = false
    try {
      for (const stage of STAGES) worked = (await this.#advance(stage)) || worked
    } catch (error) {
      this.#synced = false
      throw error
    }
    return worked
  }

  async #advance(stage: Stage): Promise<boolean> {
    const { store, sl, chain } = this.#p
    const rows = store
      .prepare(`SELECT batch_number, commitment, imported_roots FROM batches WHERE chain_id = ? AND status = ? ORDER BY batch_number LIMIT ?`)
      .all(chain.chainId, stage.from, this.#p.maxBatchesPerTransaction) as { batch_number: number; commitment: string; imported_roots: string }[]
    if (rows.length === 0) return false
    // A stage only moves batches whose previous stage is done for every earlier batch.
    const batches = rows.map((r) => fromStoredJson<BatchCommitment>(r.commitment))
    const key = chain.operator.privateKey
    const common = { address: chain.settlement, abi: c.chainSettlementAbi } as const
    let receipt
    if (stage.to === 'committed') {
      receipt = await sl.write(key, { ...common, functionName: 'commitBatches', args: [batches], action: `commit ${chain.name} batches` })
    } else if (stage.to === 'proven') {
      receipt = await sl.write(key, { ...common, functionName: 'proveBatches', args: [batches, DEVELOPMENT_PROOF], action: `prove ${chain.name} batches` })
    } else {
      // A batch that imported a root the settlement layer never had cannot execute; send the
      // batches before it, so one bad import does not hold back the good batches in its company.
      const roots = rows.map((r) => fromStoredJson<ImportedRoot[]>(r.imported_roots))
      const good = await this.#batchesWithRealRoots(roots)
      if (good === 0) throw new BatchCannotSettleError(chain.name, Number(batches[0]!.batchNumber))
      rows.length = good
      receipt = await sl.write(key, { ...common, functionName: 'executeBatches', args: [batches.slice(0, good), roots.slice(0, good)], action: `execute ${chain.name} batches` })
    }
    const column = { committed: 'commit', proven: 'prove', executed: 'execute' }[stage.to]
    const atColumn = `${stage.to}_at`
    store
      .prepare(`UPDATE batches SET status = ?, ${atColumn} = ?, ${column}_tx = ? WHERE chain_id = ? AND batch_number BETWEEN ? AND ?`)
      .run(stage.to, Date.now(), receipt.transactionHash, chain.chainId, rows[0]!.batch_number, rows[rows.length - 1]!.batch_number)
    return true
  }

  /**
   * How many of the leading batches imported only roots the settlement layer accepts (its own
   * history, or on a Gateway the L1 roots the Gateway imported): the settlement contract's own rule,
   * `MessageRoot.acceptedRoot`.
   */
  async #batchesWithRealRoots(roots: ImportedRoot[][]): Promise<number> {
    const { sl } = this.#p
    const messageRoot = await this.#messageRoot()
    for (const [i, list] of roots.entries()) {
      for (const root of list) {
        const [accepted, known] = (await sl.client.readContract({ address: messageRoot, abi: c.messageRootAbi, functionName: 'acceptedRoot', args: [root.slChainId, root.slBlockNumber] })) as readonly [boolean, Hex]
        if (!accepted || known !== root.root) return i
      }
    }
    return roots.length
  }

  #messageRootAddress: Hex | undefined
  async #messageRoot(): Promise<Hex> {
    this.#messageRootAddress ??= (await this.#p.sl.client.readContract({ address: this.#p.chain.settlement, abi: c.chainSettlementAbi, functionName: 'messageRoot' })) as Hex
    return this.#messageRootAddress
  }

  /** Reads the settlement contract's totals and brings the stored statuses in line with them. */
  async #syncFromChain(): Promise<void> {
    const { store, sl, chain } = this.#p
    const read = (functionName: 'totalCommitted' | 'totalProven' | 'totalExecuted') =>
      sl.client.readContract({ address: chain.settlement, abi: c.chainSettlementAbi, functionName }) as Promise<bigint>
    const [committed, proven, executed] = await Promise.all([read('totalCommitted'), read('totalProven'), read('totalExecuted')])
    store.transaction(() => {
      const set = store.prepare(`UPDATE batches SET status = ? WHERE chain_id = ? AND batch_number <= ? AND batch_number > ?`)
      set.run('executed', chain.chainId, Number(executed), 0)
      set.run('proven', chain.chainId, Number(proven), Number(executed))
      set.run('committed', chain.chainId, Number(committed), Number(proven))
      set.run('sealed', chain.chainId, Number.MAX_SAFE_INTEGER, Number(committed))
    })()
    this.#synced = true
  }
}
