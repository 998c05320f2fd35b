import type { Hex } from 'viem'
import { statement, type Store } from './openStore.js'

// Batches a Gateway's asset tracker refused for now (docs/protocol.md §9.10): their chain holds less of an
// asset there than they move, so they wait, proven, for a credit from L1 (a transfer from a chain on L1
// that L1 has not recorded yet, say). The batch submitter writes and clears them; statuses read them.

/** A batch waiting for its Gateway's approval. */
export type ApprovalWait = {
  chainId: number
  batchNumber: number
  /** The Gateway whose asset tracker refused it. */
  slChainId: number
  assetId: Hex
  /** What the chain holds of the asset there... */
  balance: bigint
  /** ...and what the batch moves (more). */
  amount: bigint
  /** When it was first refused, and last tried (ms since epoch). */
  since: number
  checkedAt: number
}

/**
 * Records that the tracker refused `batchNumber` of `chainId` for now (keeps when it was first refused).
 *
 * @example
 * ```ts
 * recordApprovalWait(store, { chainId: 271, batchNumber: 9, slChainId: 31338, assetId, balance: 100n, amount: 300n })
 * ```
 */
export function recordApprovalWait(store: Store, wait: Omit<ApprovalWait, 'since' | 'checkedAt'>): void {
  const now = Date.now()
  statement(store, 
      `INSERT INTO approval_waits (chain_id, batch_number, sl_chain_id, asset_id, balance, amount, since, checked_at) VALUES (?,?,?,?,?,?,?,?)
       ON CONFLICT (chain_id, batch_number) DO UPDATE SET sl_chain_id = excluded.sl_chain_id, asset_id = excluded.asset_id, balance = excluded.balance, amount = excluded.amount, checked_at = excluded.checked_at`,
    )
    .run(wait.chainId, wait.batchNumber, wait.slChainId, wait.assetId, String(wait.balance), String(wait.amount), now, now)
}

/**
 * Clears the waits of `chainId`'s batches up to `throughBatch` (approved or executed: they wait no more).
 *
 * @example
 * ```ts
 * clearApprovalWaits(store, 271, 9)
 * ```
 */
export function clearApprovalWaits(store: Store, chainId: number, throughBatch: number): void {
  statement(store, 'DELETE FROM approval_waits WHERE chain_id = ? AND batch_number <= ?').run(chainId, throughBatch)
}

/**
 * The batches waiting for their Gateway's approval: of `chainId`, or of every chain.
 *
 * @example
 * ```ts
 * for (const wait of approvalWaits(store)) console.log(describeApprovalWait(wait))
 * ```
 */
export function approvalWaits(store: Store, chainId?: number): ApprovalWait[] {
  const rows = (chainId === undefined
    ? statement(store, 'SELECT * FROM approval_waits ORDER BY chain_id, batch_number').all()
    : statement(store, 'SELECT * FROM approval_waits WHERE chain_id = ? ORDER BY batch_number').all(chainId)) as {
    chain_id: number; batch_number: number; sl_chain_id: number; asset_id: Hex; balance: string; amount: string; since: number; checked_at: number
  }[]
  return rows.map((r) => ({ chainId: r.chain_id, batchNumber: r.batch_number, slChainId: r.sl_chain_id, assetId: r.asset_id, balance: BigInt(r.balance), amount: BigInt(r.amount), since: r.since, checkedAt: r.checked_at }))
}

/**
 * One line saying why a batch waits, e.g. `batch 9 waits for a credit: the chain holds 100 of asset 0x12…, the batch moves 300`.
 *
 * @example
 * ```ts
 * describeApprovalWait(wait) // 'batch 9 waits for a credit: …'
 * ```
 */
export function describeApprovalWait(wait: ApprovalWait): string {
  return `batch ${wait.batchNumber} waits for a credit: the chain holds ${wait.balance} of asset ${wait.assetId} on its Gateway, the batch moves ${wait.amount} (a credit from L1 may be on its way; retried every round)`
}
