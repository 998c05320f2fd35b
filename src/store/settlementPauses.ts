import type { Store } from './openStore.js'

// Pauses of a chain's settlement services, asked through the store (the services may run in another
// process). While a chain moves between settlement layers (docs/protocol.md §11) two of them pause:
// - root imports: a root imported after the chain's last batch on the old settlement layer would be
//   checked by the new one, which may not accept it. The chain's root importer acknowledges the pause
//   between two imports, with the chain's block at that moment: nothing is imported after it.
// - commits: the old settlement layer lets the chain go only once every committed batch is executed,
//   so the batch submitter stops committing new batches (it still proves and executes the others).
// And an operator may hold the proofs of a chain's batches (they are still committed): what a chain
// whose prover is down looks like to others, which is what committed finality (§12) risks.

/** What can be paused. */
export type SettlementPause = 'root-imports' | 'commits' | 'proofs'

const key = (pause: SettlementPause, chainId: number) => `pause:${pause}:${chainId}`
const ackKey = (pause: SettlementPause, chainId: number) => `pause-ack:${pause}:${chainId}`

/**
 * Asks the services of `chainId` to pause `pause`.
 *
 * @example
 * ```ts
 * requestPause(store, 'root-imports', 273)
 * ```
 */
export function requestPause(store: Store, pause: SettlementPause, chainId: number): void {
  store.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key(pause, chainId), String(Date.now()))
}

/** Whether `pause` was asked for `chainId` (the services check it each round). */
export function isPauseRequested(store: Store, pause: SettlementPause, chainId: number): boolean {
  return store.prepare('SELECT 1 FROM meta WHERE key = ?').get(key(pause, chainId)) !== undefined
}

/** The service confirms it paused; `blockNumber` is the chain's block at that moment. */
export function acknowledgePause(store: Store, pause: SettlementPause, chainId: number, blockNumber: number): void {
  store.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(ackKey(pause, chainId), String(blockNumber))
}

/** The block the service acknowledged the pause at, once it did. */
export function pauseAcknowledgedAt(store: Store, pause: SettlementPause, chainId: number): number | undefined {
  const row = store.prepare('SELECT value FROM meta WHERE key = ?').get(ackKey(pause, chainId)) as { value: string } | undefined
  return row ? Number(row.value) : undefined
}

/** Ends the pause. */
export function endPause(store: Store, pause: SettlementPause, chainId: number): void {
  store.prepare('DELETE FROM meta WHERE key IN (?, ?)').run(key(pause, chainId), ackKey(pause, chainId))
}
