import type { Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { buildProofFromStore } from '../indexer/buildProofFromStore.js'
import type { L2Contracts } from '../network/types.js'
import type { Store } from '../store/openStore.js'

/** Parameters of {@link Relayer}. */
export type RelayerParameters = {
  store: Store
  /** Destination chains by chain id. */
  chains: Map<number, ChainConnection>
  contracts: L2Contracts
  slChainId: number
  /** Key that pays for executions on destinations. */
  privateKey: Hex
  /** Most bundles executed per tick. */
  maxPerTick?: number
  /** First wait before retrying a bundle that failed, doubled per failure (capped at 60 s). */
  retryBaseMs?: number
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
 * await new Relayer({ store, chains, contracts, slChainId: 31337, privateKey }).tick()
 * ```
 */
export class Relayer {
  readonly #p: Required<RelayerParameters>

  constructor(parameters: RelayerParameters) {
    this.#p = { maxPerTick: 50, retryBaseMs: 500, ...parameters }
  }

  /** Executes what is ready; resolves `true` if it sent anything. */
  async tick(): Promise<boolean> {
    const { store, slChainId } = this.#p
    const now = Date.now()
    const ready = store
      .prepare(
        `SELECT b.bundle_hash, b.destination_chain_id FROM bundles_sent b
         JOIN sl_batches s ON s.sl_chain_id = ? AND s.chain_id = b.source_chain_id AND b.block_number BETWEEN s.first_block AND s.last_block
         LEFT JOIN bundles_executed e ON e.bundle_hash = b.bundle_hash
         LEFT JOIN deliveries d ON d.bundle_hash = b.bundle_hash
         WHERE e.bundle_hash IS NULL AND s.executed_block IS NOT NULL
           AND (d.bundle_hash IS NULL OR (d.status = 'failed' AND d.retry_at <= ?))
           AND EXISTS (SELECT 1 FROM imported_roots i JOIN sl_roots r ON r.sl_chain_id = i.sl_chain_id AND r.block_number = i.sl_block_number AND r.root = i.root
                       WHERE i.chain_id = b.destination_chain_id AND i.sl_chain_id = ? AND i.sl_block_number >= s.executed_block)
         ORDER BY b.source_chain_id, b.block_number, b.log_index LIMIT ?`,
      )
      .all(slChainId, now, slChainId, this.#p.maxPerTick) as { bundle_hash: Hex; destination_chain_id: number }[]
    // Sends go out in order per destination (one nonce queue per key); receipts are awaited together.
    const results = await Promise.all(
      ready.map((row) => {
        const destination = this.#p.chains.get(row.destination_chain_id)
        return destination ? this.#deliver(row.bundle_hash, destination) : false
      }),
    )
    return results.includes(true)
  }

  async #deliver(bundleHash: Hex, destination: ChainConnection): Promise<boolean> {
    const { store, contracts } = this.#p
    const built = buildProofFromStore(store, { bundleHash, interopCenter: contracts.interopCenter, slChainId: this.#p.slChainId })
    if (!built.ready) return false
    const record = store.prepare(
      `INSERT INTO deliveries (bundle_hash, status, attempts, last_error, tx_hash, updated_at, retry_at) VALUES (?,?,1,?,?,?,?)
       ON CONFLICT(bundle_hash) DO UPDATE SET status = excluded.status, attempts = attempts + 1, last_error = excluded.last_error,
         tx_hash = excluded.tx_hash, updated_at = excluded.updated_at, retry_at = excluded.retry_at`,
    )
    try {
      const receipt = await destination.write(this.#p.privateKey, {
        address: contracts.interopHandler,
        abi: c.interopHandlerAbi,
        functionName: 'executeBundle',
        args: [built.bundle, built.proof],
        action: `executeBundle ${bundleHash.slice(0, 10)}`,
      })
      record.run(bundleHash, 'executed', null, receipt.transactionHash, Date.now(), null)
    } catch (error) {
      if (error instanceof ContractRevertedError && error.errorName === 'BundleAlreadyProcessed') {
        record.run(bundleHash, 'executed', null, null, Date.now(), null)
        return true
      }
      const attempts = ((store.prepare('SELECT attempts FROM deliveries WHERE bundle_hash = ?').get(bundleHash) as { attempts: number } | undefined)?.attempts ?? 0) + 1
      const retryAt = Date.now() + Math.min(60_000, this.#p.retryBaseMs * 2 ** (attempts - 1))
      const reason = error instanceof ContractRevertedError ? error.reason : error instanceof Error ? error.message : String(error)
      record.run(bundleHash, 'failed', reason, null, Date.now(), retryAt)
    }
    return true
  }
}
