// The committed gas snapshot (test/contracts/gas-snapshot.json): one figure per fixed scenario, in scenario
// order, one per line, so that a change of a contract shows its cost in the diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GasFigure } from './scenarios.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Where the snapshot lives. */
export const SNAPSHOT_FILE = join(root, 'test', 'contracts', 'gas-snapshot.json')

/** The snapshot's path from the project root, for messages. */
export const SNAPSHOT_PATH = relative(root, SNAPSHOT_FILE)

/** Figure name → gas, in scenario order. */
export type GasSnapshot = Record<string, number>

/** The snapshot of a run: every figure by name (names are unique). */
export function snapshotOf(figures: readonly GasFigure[]): GasSnapshot {
  const out: GasSnapshot = {}
  for (const f of figures) {
    if (f.name in out) throw new Error(`two gas figures are named ${JSON.stringify(f.name)}`)
    out[f.name] = f.gas
  }
  return out
}

/** The committed snapshot ({} when there is none yet). */
export function readSnapshot(): GasSnapshot {
  return existsSync(SNAPSHOT_FILE) ? (JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as GasSnapshot) : {}
}

/** Writes the snapshot, one figure per line. */
export function writeSnapshot(snapshot: GasSnapshot): void {
  const lines = Object.entries(snapshot).map(([name, gas]) => `  ${JSON.stringify(name)}: ${gas}`)
  writeFileSync(SNAPSHOT_FILE, `{\n${lines.join(',\n')}\n}\n`)
}

/** One line per figure that differs between `current` and `committed` (changed, new, or gone). */
export function compareWithSnapshot(current: GasSnapshot, committed: GasSnapshot): string[] {
  const problems: string[] = []
  for (const [name, gas] of Object.entries(current)) {
    const before = committed[name]
    if (before === undefined) problems.push(`${name}: ${gas} gas, not in the snapshot`)
    else if (before !== gas) problems.push(`${name}: ${gas} gas, the snapshot says ${before} (${gas > before ? '+' : ''}${gas - before})`)
  }
  for (const name of Object.keys(committed)) if (!(name in current)) problems.push(`${name}: in the snapshot, no longer measured`)
  return problems
}
