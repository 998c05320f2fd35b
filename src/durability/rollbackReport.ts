import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import type { Hex } from 'viem'
import { settlementLayerCursor } from '../indexer/SettlementLayerIndexer.js'
import { zkChainCursor } from '../indexer/ZkChainIndexer.js'
import type { CheckpointMeta } from './checkpointFiles.js'

/** What a resume from a checkpoint takes back: what the network did after it, as its store last knew it. */
export type RollbackReport = {
  /** The store as the network left it: read, absent, or unreadable (then only the checkpoint's side is known). */
  liveStore: { status: 'read' } | { status: 'missing' } | { status: 'unreadable'; error: string }
  /** Per chain: its head in the checkpoint, and the last block the services had indexed before the network ended. */
  chains: { name: string; chainId: number; checkpointHead: number; indexedHead: number | undefined }[]
  /** Messages whose sending came after the checkpoint: gone from their source chains. */
  sentAfter: { bundleHash: Hex; sourceChainId: number; destinationChainId: number }[]
  /** Bundle executions after the checkpoint: undone (the relayer executes them again). */
  executedAfter: { bundleHash: Hex; chainId: number }[]
  /** Priority requests (deposits) queued after the checkpoint: gone from the settlement layer. */
  depositsAfter: number
  /** Withdrawals started after the checkpoint: gone from their chains. */
  withdrawalsAfter: number
}

type Row = Record<string, unknown>

/**
 * What a resume from a checkpoint takes back, read from the store as the network left it
 * (`liveStorePath`, e.g. after a crash): whatever the services had indexed in a block after a chain's
 * head in the checkpoint is gone with that block. After a clean stop (whose final checkpoint comes last)
 * it is empty. What happened after the checkpoint and was not indexed yet is not known to anyone.
 *
 * @example
 * ```ts
 * const report = rollbackReport('.junction/junction.db', meta)
 * console.log(describeRollback(report).join('\n'))
 * ```
 */
export function rollbackReport(liveStorePath: string, meta: Pick<CheckpointMeta, 'chains'>): RollbackReport {
  const report: RollbackReport = {
    liveStore: { status: 'missing' },
    chains: meta.chains.map((chain) => ({ name: chain.name, chainId: chain.chainId, checkpointHead: chain.head, indexedHead: undefined })),
    sentAfter: [],
    executedAfter: [],
    depositsAfter: 0,
    withdrawalsAfter: 0,
  }
  if (!existsSync(liveStorePath)) return report
  let live: Database.Database | undefined
  try {
    // Opened for writing: a store left by a killed process has a WAL to take in first.
    live = new Database(liveStorePath, { fileMustExist: true })
    const cursors = new Map((live.prepare('SELECT name, block FROM cursors').all() as { name: string; block: number }[]).map((row) => [row.name, row.block]))
    const after = (sql: string, chainId: number, head: number) => live!.prepare(sql).all(chainId, head) as Row[]
    for (const chain of report.chains) {
      const indexed = [cursors.get(zkChainCursor(chain.chainId)), cursors.get(settlementLayerCursor(chain.chainId))].filter((block): block is number => block !== undefined)
      chain.indexedHead = indexed.length > 0 ? Math.max(...indexed) : undefined
      const { chainId, checkpointHead: head } = chain
      report.sentAfter.push(
        ...after('SELECT bundle_hash, destination_chain_id FROM bundles_sent WHERE source_chain_id = ? AND block_number > ? ORDER BY block_number, log_index', chainId, head).map((row) => ({
          bundleHash: row.bundle_hash as Hex,
          sourceChainId: chainId,
          destinationChainId: Number(row.destination_chain_id),
        })),
      )
      report.executedAfter.push(...after('SELECT bundle_hash FROM bundles_executed WHERE chain_id = ? AND block_number > ? ORDER BY block_number', chainId, head).map((row) => ({ bundleHash: row.bundle_hash as Hex, chainId })))
      report.depositsAfter += after('SELECT 1 FROM priority_requests WHERE sl_chain_id = ? AND block_number > ?', chainId, head).length
      report.withdrawalsAfter += after('SELECT 1 FROM withdrawals WHERE chain_id = ? AND block_number > ?', chainId, head).length
    }
    report.liveStore = { status: 'read' }
  } catch (error) {
    report.liveStore = { status: 'unreadable', error: error instanceof Error ? error.message : String(error) }
  } finally {
    live?.close()
  }
  return report
}

/**
 * Whether the report names anything that was taken back.
 *
 * @example
 * ```ts
 * if (!rolledBackAnything(report)) console.log('nothing rolled back')
 * ```
 */
export function rolledBackAnything(report: RollbackReport): boolean {
  return (
    report.chains.some((chain) => chain.indexedHead !== undefined && chain.indexedHead > chain.checkpointHead) ||
    report.sentAfter.length + report.executedAfter.length + report.depositsAfter + report.withdrawalsAfter > 0
  )
}

/**
 * The report as lines for a person: per chain the head then and at the checkpoint, the messages whose
 * sending is gone (with their hashes), the executions to be done again, deposits and withdrawals gone.
 *
 * @example
 * ```ts
 * for (const line of describeRollback(report)) console.log(line)
 * ```
 */
export function describeRollback(report: RollbackReport, options: { listAtMost?: number } = {}): string[] {
  const nameOf = (chainId: number) => report.chains.find((chain) => chain.chainId === chainId)?.name ?? String(chainId)
  const lines: string[] = []
  if (report.liveStore.status === 'unreadable') lines.push(`the store as the network left it could not be read (${report.liveStore.error}): what the services saw after the checkpoint is unknown`)
  if (report.liveStore.status === 'missing') lines.push('there was no store beside the checkpoints: what happened after the checkpoint is unknown')
  const width = Math.max(...report.chains.map((chain) => chain.name.length))
  for (const chain of report.chains) {
    const lost = chain.indexedHead === undefined ? undefined : chain.indexedHead - chain.checkpointHead
    const then = chain.indexedHead === undefined ? '' : `, indexed up to block ${chain.indexedHead} before`
    lines.push(`${chain.name.padEnd(width)}  checkpoint at block ${chain.checkpointHead}${then}${lost !== undefined && lost > 0 ? `: ${lost} block${lost === 1 ? '' : 's'} rolled back` : ''}`)
  }
  const atMost = options.listAtMost ?? 10
  if (report.sentAfter.length > 0) {
    lines.push(`${report.sentAfter.length} message${report.sentAfter.length === 1 ? ' was' : 's were'} sent after the checkpoint: gone from ${report.sentAfter.length === 1 ? 'its source chain' : 'their source chains'}, send ${report.sentAfter.length === 1 ? 'it' : 'them'} again:`)
    for (const sent of report.sentAfter.slice(0, atMost)) lines.push(`  ${sent.bundleHash} ${nameOf(sent.sourceChainId)} → ${nameOf(sent.destinationChainId)}`)
    if (report.sentAfter.length > atMost) lines.push(`  … and ${report.sentAfter.length - atMost} more`)
  }
  if (report.executedAfter.length > 0) lines.push(`${report.executedAfter.length} bundle execution${report.executedAfter.length === 1 ? '' : 's'} after the checkpoint undone: the relayer executes ${report.executedAfter.length === 1 ? 'it' : 'them'} again`)
  if (report.depositsAfter > 0) lines.push(`${report.depositsAfter} deposit${report.depositsAfter === 1 ? '' : 's'} queued after the checkpoint: gone (the funds are back with the depositor on L1)`)
  if (report.withdrawalsAfter > 0) lines.push(`${report.withdrawalsAfter} withdrawal${report.withdrawalsAfter === 1 ? '' : 's'} started after the checkpoint: gone (the funds are back on the chain)`)
  return lines
}
