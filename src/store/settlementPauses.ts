import { statement, type Store } from './openStore.js'

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
 * Asks the services of `chainId` to pause `pause`; returns the request's token, which the service's
 * acknowledgement carries (so an acknowledgement of an earlier request is never taken for this one).
 *
 * @example
 * ```ts
 * const token = requestPause(store, 'root-imports', 273)
 * ```
 */
export function requestPause(store: Store, pause: SettlementPause, chainId: number): string {
  const token = `${Date.now()}-${Math.random().toString(36).slice(2)}`
  statement(store, 'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key(pause, chainId), token)
  return token
}

/** The token of the pause asked for `chainId`, if one is (the services check it each round). */
export function pauseRequested(store: Store, pause: SettlementPause, chainId: number): string | undefined {
  return (statement(store, 'SELECT value FROM meta WHERE key = ?').get(key(pause, chainId)) as { value: string } | undefined)?.value
}

/** Whether `pause` is asked for `chainId`. */
export function isPauseRequested(store: Store, pause: SettlementPause, chainId: number): boolean {
  return pauseRequested(store, pause, chainId) !== undefined
}

/** The service confirms it paused for the request `token`; `blockNumber` is the chain's block at that moment. */
export function acknowledgePause(store: Store, pause: SettlementPause, chainId: number, token: string, blockNumber: number): void {
  statement(store, 'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(ackKey(pause, chainId), `${token} ${blockNumber}`)
}

/** The block the service acknowledged the request `token` at, once it did. */
export function pauseAcknowledgedAt(store: Store, pause: SettlementPause, chainId: number, token: string): number | undefined {
  const row = statement(store, 'SELECT value FROM meta WHERE key = ?').get(ackKey(pause, chainId)) as { value: string } | undefined
  const [acknowledged, block] = row?.value.split(' ') ?? []
  return acknowledged === token && block !== undefined ? Number(block) : undefined
}

/** Ends the pause. */
export function endPause(store: Store, pause: SettlementPause, chainId: number): void {
  statement(store, 'DELETE FROM meta WHERE key IN (?, ?)').run(key(pause, chainId), ackKey(pause, chainId))
}
