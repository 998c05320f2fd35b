import { zeroHash, type Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import { zkChainCursor } from '../indexer/ZkChainIndexer.js'
import type { L2Contracts } from '../network/types.js'
import { batchHash, committedBatchKey, importedRootsHash, MerkleTree, validiumDataHash, ZERO_HASH, type BatchCommitment, type ImportedRoot } from '../protocol/index.js'
import { validiumBatchValue } from '../settlement/revealBatchMessages.js'
import { readCursor, statement, type Store } from '../store/openStore.js'
import { fromStoredJson, toStoredJson } from '../store/storedJson.js'
import { lastBlockWithinBytes } from './lastBlockWithinBytes.js'

/** When the batcher seals a batch. */
export type BatchPolicy = {
  /** Seal as soon as this many messages wait. */
  maxMessages: number
  /** Seal once the oldest waiting message or root has waited this long (0 = at the first chance). */
  maxDelayMs: number
}

/** Defaults: seal at once, so a message is never held back waiting for others. */
export const DEFAULT_BATCH_POLICY: BatchPolicy = { maxMessages: 1_000, maxDelayMs: 0 }

/**
 * Most bytes of bundles in a batch of a chain settling on a Gateway: its bundles are revealed to the
 * Gateway's asset tracker in one transaction (docs/protocol.md §9.10), which must fit in a block (about
 * 18 gas per byte of bundle, measured: 15.5k for a one-call bundle of 864 bytes). A single block holding
 * more goes alone.
 */
export const GATEWAY_BATCH_BUNDLE_BYTES = 500_000

/** Parameters of {@link Batcher}. */
export type BatcherParameters = {
  store: Store
  chain: ChainConnection
  genesis: { lastBlock: number; batchHash: Hex }
  policy?: Partial<BatchPolicy>
  /** Most bytes of bundles a batch may hold now (where the chain settles decides; undefined: no limit). */
  bundleBytesLimit?: () => number | undefined
  /**
   * A private chain (validium, docs/protocol.md §5.1): commit to the batch's transactions and to the value it
   * moves out of the chain (`dataHash`, `validiumDataHash` of `validiumBatchValue`, read from the index with
   * these contracts' addresses), and keep the transactions' hashes in the store (`batch_data`). Undefined
   * (default): a public chain, `dataHash` 0.
   */
  keepData?: { contracts: L2Contracts }
}

/**
 * Groups a ZK chain's blocks into batches: each batch covers the blocks after the previous one, up
 * to the last indexed block, and commits to the tree of message leaves recorded in them, to the
 * interop roots imported in them, and to the priority requests (deposits) processed in them. Sealed batches are stored; the settlement submitter takes them on.
 *
 * Blocks with nothing to settle (no message, no imported root, no priority request) are not sealed on their own: they
 * join the next batch that has content.
 *
 * @example
 * ```ts
 * const batcher = new Batcher({ store, chain: alpha, genesis })
 * await batcher.tick()
 * ```
 */
export class Batcher {
  readonly #p: BatcherParameters
  readonly policy: BatchPolicy

  constructor(parameters: BatcherParameters) {
    this.#p = parameters
    this.policy = { ...DEFAULT_BATCH_POLICY, ...parameters.policy }
  }

  /** The last sealed batch, or the genesis batch. */
  lastBatch(): { batchNumber: number; lastBlock: number; batchHash: Hex; priorityRequestsHash: Hex } {
    const row = statement(this.#p.store, 'SELECT batch_number, last_block, batch_hash, commitment FROM batches WHERE chain_id = ? ORDER BY batch_number DESC LIMIT 1')
      .get(this.#p.chain.chainId) as { batch_number: number; last_block: number; batch_hash: Hex; commitment: string } | undefined
    if (!row) return { batchNumber: 0, lastBlock: this.#p.genesis.lastBlock, batchHash: this.#p.genesis.batchHash, priorityRequestsHash: zeroHash }
    const commitment = fromStoredJson<BatchCommitment>(row.commitment)
    return { batchNumber: row.batch_number, lastBlock: row.last_block, batchHash: row.batch_hash, priorityRequestsHash: commitment.priorityRequestsHash }
  }

  /** When the batch the policy holds back is due (its oldest message waited `maxDelayMs`), if one is. */
  #dueAt: number | undefined

  /** When the next batch is due by the policy's delay alone (nothing else announces it), if one waits. */
  wakeAt(): number | undefined {
    return this.#dueAt
  }

  /** Seals the next batch if the policy says so; resolves `true` if it sealed one. */
  async tick(): Promise<boolean> {
    this.#dueAt = undefined
    const { store, chain } = this.#p
    const indexedTo = readCursor(store, zkChainCursor(chain.chainId), this.#p.genesis.lastBlock)
    const previous = this.lastBatch()
    if (indexedTo <= previous.lastBlock) return false

    const leaves = statement(store, 
        `SELECT m.block_number, m.leaf, COALESCE(length(s.bundle), 2) / 2 - 1 AS bundle_bytes FROM message_leaves m LEFT JOIN bundles_sent s ON s.bundle_hash = m.payload_hash
         WHERE m.chain_id = ? AND m.block_number > ? AND m.block_number <= ? ORDER BY m.block_number, m.log_index`,
      )
      .all(chain.chainId, previous.lastBlock, indexedTo) as { block_number: number; leaf: Hex; bundle_bytes: number }[]
    // Every root imported, in event order: settlement-layer roots, and committed source batches' message roots (§12).
    const roots = statement(store, 
        `SELECT block_number, log_index, sl_chain_id, sl_block_number, NULL AS source_chain_id, NULL AS batch_number, root, seen_at FROM imported_roots WHERE chain_id = @chain AND block_number > @after AND block_number <= @to
         UNION ALL SELECT block_number, log_index, sl_chain_id, NULL, source_chain_id, batch_number, root, seen_at FROM imported_batch_roots WHERE chain_id = @chain AND block_number > @after AND block_number <= @to
         ORDER BY block_number, log_index`,
      )
      .all({ chain: chain.chainId, after: previous.lastBlock, to: indexedTo }) as { block_number: number; sl_chain_id: number; sl_block_number: number | null; source_chain_id: number | null; batch_number: number | null; root: Hex; seen_at: number }[]
    const priority = statement(store, 'SELECT block_number, idx, rolling_hash, seen_at FROM priority_processed WHERE chain_id = ? AND block_number > ? AND block_number <= ? ORDER BY block_number, log_index')
      .all(chain.chainId, previous.lastBlock, indexedTo) as { block_number: number; idx: number; rolling_hash: Hex; seen_at: number }[]
    if (leaves.length === 0 && roots.length === 0 && priority.length === 0) return false

    // Cut at a block boundary once maxMessages is reached, or (on a Gateway) before the bundles exceed its limit.
    let lastBlock = indexedTo
    if (leaves.length > this.policy.maxMessages) lastBlock = leaves[this.policy.maxMessages - 1]!.block_number
    const bundleBytes = this.#p.bundleBytesLimit?.()
    if (bundleBytes !== undefined) lastBlock = Math.min(lastBlock, lastBlockWithinBytes(leaves, bundleBytes, indexedTo))
    const batchLeaves = leaves.filter((l) => l.block_number <= lastBlock).map((l) => l.leaf)
    const batchRoots: ImportedRoot[] = roots
      .filter((r) => r.block_number <= lastBlock)
      .map((r) => ({ slChainId: BigInt(r.sl_chain_id), slBlockNumber: r.sl_block_number === null ? committedBatchKey(r.source_chain_id!, r.batch_number!) : BigInt(r.sl_block_number), root: r.root }))

    const batchPriority = priority.filter((p) => p.block_number <= lastBlock)

    if (this.policy.maxDelayMs > 0 && batchLeaves.length < this.policy.maxMessages) {
      const oldest = this.#oldestWaitingSince(previous.lastBlock, lastBlock, [...roots, ...priority])
      if (Date.now() - oldest < this.policy.maxDelayMs) {
        this.#dueAt = oldest + this.policy.maxDelayMs
        return false
      }
    }

    const block = await chain.client.getBlock({ blockNumber: BigInt(lastBlock) })
    const transactionHashes = this.#p.keepData ? await this.#transactionHashes(previous.lastBlock + 1, lastBlock) : []
    const tree = new MerkleTree(batchLeaves)
    const commitment: BatchCommitment = {
      batchNumber: BigInt(previous.batchNumber + 1),
      previousBatchHash: previous.batchHash,
      firstBlock: BigInt(previous.lastBlock + 1),
      lastBlock: BigInt(lastBlock),
      stateRoot: block.stateRoot,
      messageRoot: tree.root,
      messageCount: BigInt(batchLeaves.length),
      // Cumulative: the rolling hash after the last request processed so far.
      priorityRequestsCount: BigInt(batchPriority.length),
      priorityRequestsHash: batchPriority.at(-1)?.rolling_hash ?? previous.priorityRequestsHash,
      importedRootsCount: BigInt(batchRoots.length),
      importedRootsHash: importedRootsHash(batchRoots),
      timestamp: block.timestamp,
      dataHash: this.#p.keepData
        ? validiumDataHash(validiumBatchValue(store, this.#p.keepData.contracts, chain.chainId, { firstBlock: previous.lastBlock + 1, lastBlock }, transactionHashes))
        : ZERO_HASH,
    }
    store.transaction(() => {
      statement(store, 'INSERT INTO batches (chain_id, batch_number, first_block, last_block, commitment, imported_roots, batch_hash, status, sealed_at) VALUES (?,?,?,?,?,?,?,?,?)')
        .run(chain.chainId, previous.batchNumber + 1, previous.lastBlock + 1, lastBlock, toStoredJson(commitment), toStoredJson(batchRoots), batchHash(commitment), 'sealed', Date.now())
      if (this.#p.keepData) statement(store, 'INSERT INTO batch_data (chain_id, batch_number, transaction_hashes) VALUES (?,?,?)').run(chain.chainId, previous.batchNumber + 1, JSON.stringify(transactionHashes))
    })()
    return true
  }

  /** The hashes of the transactions of blocks `from..to`, in order. */
  async #transactionHashes(from: number, to: number): Promise<Hex[]> {
    const blocks = await Promise.all(Array.from({ length: to - from + 1 }, (_, i) => this.#p.chain.client.getBlock({ blockNumber: BigInt(from + i) })))
    return blocks.flatMap((b) => b.transactions as Hex[])
  }

  #oldestWaitingSince(afterBlock: number, toBlock: number, roots: { seen_at: number }[]): number {
    const row = statement(this.#p.store, 'SELECT MIN(seen_at) AS t FROM bundles_sent WHERE source_chain_id = ? AND block_number > ? AND block_number <= ?')
      .get(this.#p.chain.chainId, afterBlock, toBlock) as { t: number | null }
    return Math.min(row.t ?? Date.now(), ...roots.map((r) => r.seen_at))
  }
}
