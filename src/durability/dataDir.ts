import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { DataDirInUseError } from '../errors/durability.js'
import { CHECKPOINTS_DIR } from './checkpointFiles.js'

/** The folder inside a data dir where chains' states are unpacked while a network resumes. */
export const RESTORE_DIR = 'restore'

/** The folder inside a data dir where `junction up --fresh` moves a previous network. */
export const PREVIOUS_DIR = 'previous'

/** What a network keeps in its data dir (the manifest, the store, the checkpoints, the private chains' proxy databases). */
const NETWORK_ENTRIES = ['network.json', 'junction.db', 'junction.db-wal', 'junction.db-shm', CHECKPOINTS_DIR, RESTORE_DIR, 'prividium'] as const

/**
 * The entries of a network that `dataDir` holds (empty when it holds none or does not exist).
 *
 * @example
 * ```ts
 * if (networkEntriesIn('.junction').includes('network.json')) console.log('a network to resume')
 * ```
 */
export function networkEntriesIn(dataDir: string): string[] {
  return NETWORK_ENTRIES.filter((entry) => existsSync(join(dataDir, entry)))
}

/**
 * Throws {@link DataDirInUseError} if `dataDir` holds a network: a new one is never started over it.
 *
 * @example
 * ```ts
 * assertNoNetworkIn('.junction')
 * ```
 */
export function assertNoNetworkIn(dataDir: string): void {
  const found = networkEntriesIn(dataDir)
  if (found.length > 0) throw new DataDirInUseError({ dataDir, found })
}

/**
 * Moves a network's entries out of the way, into `<dataDir>/previous/<time>/` (each entry renamed, so
 * nothing is copied), and returns that folder; undefined if there was nothing to move.
 *
 * @example
 * ```ts
 * const moved = moveNetworkAside('.junction')
 * if (moved) console.log(`the previous network is in ${moved}`)
 * ```
 */
export function moveNetworkAside(dataDir: string, now = new Date()): string | undefined {
  const entries = networkEntriesIn(dataDir)
  if (entries.length === 0) return undefined
  const stamp = now.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')
  let destination = join(dataDir, PREVIOUS_DIR, stamp)
  for (let n = 2; existsSync(destination); n++) destination = join(dataDir, PREVIOUS_DIR, `${stamp}-${n}`)
  mkdirSync(destination, { recursive: true })
  for (const entry of entries) renameSync(join(dataDir, entry), join(destination, entry))
  return destination
}

