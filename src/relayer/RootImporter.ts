import type { Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import type { L2Contracts, ZkChainInfo } from '../network/types.js'
import type { Store } from '../store/openStore.js'

/** Parameters of {@link RootImporter}. */
export type RootImporterParameters = {
  store: Store
  /** The destination chain whose root store this importer writes. */
  chain: ChainConnection
  info: ZkChainInfo
  contracts: L2Contracts
}

/**
 * Writes settlement-layer roots into a destination chain's interop root store, when a message
 * waits for one: a bundle to this chain whose source batch is executed on the settlement layer,
 * not yet covered by a root this chain imported. It imports the newest root (a shared root covers
 * every batch executed before it), so one import serves every waiting message.
 *
 * Importing only on demand matters: every imported root must itself be settled in the chain's next
 * batch, which creates a new root; importing every root everywhere would never come to rest.
 *
 * @example
 * ```ts
 * await new RootImporter({ store, chain: beta, info, contracts }).tick()
 * ```
 */
export class RootImporter {
  readonly #p: RootImporterParameters
  #lastImported = -1

  constructor(parameters: RootImporterParameters) {
    this.#p = parameters
  }

  /** Imports the newest root if a waiting message needs it; resolves `true` if it sent a transaction. */
  async tick(): Promise<boolean> {
    const { store, chain, info, contracts } = this.#p
    const sl = info.settlementLayer
    const need = store
      .prepare(
        `SELECT MAX(s.executed_block) AS needed FROM bundles_sent b
         JOIN sl_batches s ON s.sl_chain_id = ? AND s.chain_id = b.source_chain_id AND b.block_number BETWEEN s.first_block AND s.last_block
         LEFT JOIN bundles_executed e ON e.bundle_hash = b.bundle_hash
         WHERE b.destination_chain_id = ? AND e.bundle_hash IS NULL AND s.executed_block IS NOT NULL`,
      )
      .get(sl, chain.chainId) as { needed: number | null }
    if (need.needed === null) return false
    // Only roots that really are settlement-layer roots count (an operator may have imported a bad one).
    const imported = store
      .prepare(
        'SELECT MAX(sl_block_number) AS b FROM real_imported_roots WHERE chain_id = ? AND sl_chain_id = ?',
      )
      .get(chain.chainId, sl) as {
      b: number | null
    }
    const have = Math.max(imported.b ?? -1, this.#lastImported)
    if (have >= need.needed) return false
    const latest = store.prepare('SELECT block_number, root FROM sl_roots WHERE sl_chain_id = ? ORDER BY block_number DESC LIMIT 1').get(sl) as
      | { block_number: number; root: Hex }
      | undefined
    if (!latest || latest.block_number < need.needed) return false
    const existing = (await chain.client.readContract({
      address: contracts.interopRootStore,
      abi: c.interopRootStoreAbi,
      functionName: 'interopRoot',
      args: [BigInt(sl), BigInt(latest.block_number)],
    })) as Hex
    if (BigInt(existing) === 0n) {
      await chain.write(info.operator.privateKey, {
        address: contracts.interopRootStore,
        abi: c.interopRootStoreAbi,
        functionName: 'addInteropRoot',
        args: [BigInt(sl), BigInt(latest.block_number), latest.root],
        action: `import root of ${sl}@${latest.block_number}`,
      })
    }
    this.#lastImported = latest.block_number
    return true
  }
}
