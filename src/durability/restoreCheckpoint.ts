import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { CannotResumeError } from '../errors/durability.js'
import { CHECKPOINTS_DIR, findLatestCheckpoint, setAsideCheckpoints, syncDir, writeSynced, type CheckpointNode, type SkippedCheckpoint, type VerifiedCheckpoint } from './checkpointFiles.js'
import { RESTORE_DIR } from './dataDir.js'
import { rollbackReport, type RollbackReport } from './rollbackReport.js'

/** Parameters of {@link restoreCheckpoint}. */
export type RestoreCheckpointParameters = {
  /** The network's folder (its manifest, store and checkpoints). */
  dataDir: string
  /** sha256 of the network's manifest as it is now: a checkpoint of another manifest is refused. */
  manifestSha256: string
  /** Called with the chosen checkpoint before anything in the data dir changes: throw to leave it as it is. */
  beforeChange?: (checkpoint: VerifiedCheckpoint) => Promise<void> | void
}

/** What {@link restoreCheckpoint} did, and what the nodes need to start again. */
export type RestoreCheckpointReturnType = {
  /** The checkpoint the network resumes from. */
  checkpoint: VerifiedCheckpoint
  /** Newer checkpoints passed over because they were damaged (now set aside as `<sequence>.damaged`). */
  skipped: SkippedCheckpoint[]
  /** Checkpoints a crash left half-written (removed). */
  partial: string[]
  /** What the resume takes back. */
  rollback: RollbackReport
  /** Each node to start, with the file of its state (`--load-state`). */
  nodes: { node: CheckpointNode; stateFile: string }[]
  /** Removes the unpacked state files (once the nodes have loaded them). */
  cleanup(): void
}

/**
 * Prepares a network's data dir to resume from its newest whole checkpoint: falls back past damaged
 * ones (and sets them aside), works out what the resume takes back ({@link rollbackReport}), puts the
 * checkpoint's store in place of `junction.db` (its WAL removed first), and unpacks each chain's state
 * for `anvil --load-state`. Starts no process.
 *
 * @throws {CannotResumeError} no whole checkpoint, or one taken with another manifest (nothing is changed then).
 * @throws whatever `beforeChange` throws (nothing is changed then either).
 *
 * @example
 * ```ts
 * const restored = await restoreCheckpoint({ dataDir: '.junction', manifestSha256 })
 * for (const { node, stateFile } of restored.nodes) createAnvil({ ...node, loadState: stateFile })
 * ```
 */
export async function restoreCheckpoint(parameters: RestoreCheckpointParameters): Promise<RestoreCheckpointReturnType> {
  const { dataDir } = parameters
  const checkpointsDir = join(dataDir, CHECKPOINTS_DIR)
  const found = findLatestCheckpoint(checkpointsDir)
  const problems = [
    ...found.skipped.map((skipped) => `checkpoint ${skipped.name} is damaged: ${skipped.reason}`),
    ...found.partial.map((name) => `${name} was being written when the network ended (never complete)`),
  ]
  const { checkpoint } = found
  if (!checkpoint) throw new CannotResumeError({ dataDir, reason: found.skipped.length === 0 ? `there is no checkpoint in ${checkpointsDir}` : 'no checkpoint there is whole', problems })
  const { meta } = checkpoint
  if (meta.manifestSha256 !== parameters.manifestSha256) {
    throw new CannotResumeError({ dataDir, reason: `network.json is not the manifest checkpoint ${checkpoint.dir} was taken with`, problems: ['network.json was changed or replaced since; put the original back to resume'] })
  }
  const pairs = meta.nodes.map((node) => ({ node, chain: meta.chains.find((c) => c.name === node.name) }))
  const stateless = pairs.find((pair) => pair.chain === undefined)
  if (stateless) throw new CannotResumeError({ dataDir, reason: `checkpoint ${checkpoint.dir} has no state for node ${stateless.node.name}` })
  const storeImage = readFileSync(join(checkpoint.dir, meta.store.file))
  await parameters.beforeChange?.(checkpoint)
  const livePath = join(dataDir, 'junction.db')
  const rollback = rollbackReport(livePath, meta)

  setAsideCheckpoints(checkpointsDir, found)
  // The checkpoint's store replaces the live one: written aside and synced, the live one's WAL and
  // shared memory removed (they belong to the old file), then renamed into place.
  const restoring = `${livePath}.restoring`
  await writeSynced(restoring, storeImage)
  for (const suffix of ['-wal', '-shm']) rmSync(`${livePath}${suffix}`, { force: true })
  renameSync(restoring, livePath)
  await syncDir(dataDir)

  const restoreDir = join(dataDir, RESTORE_DIR)
  rmSync(restoreDir, { recursive: true, force: true })
  mkdirSync(restoreDir, { recursive: true })
  const nodes = pairs.map(({ node, chain }) => {
    const stateFile = join(restoreDir, `${node.name}.json`)
    // anvil reads --load-state as plain JSON. Not synced: if anything fails before the nodes load them,
    // they are unpacked again from the checkpoint.
    writeFileSync(stateFile, gunzipSync(readFileSync(join(checkpoint.dir, chain!.file))))
    return { node, stateFile }
  })
  return { checkpoint, skipped: found.skipped, partial: found.partial, rollback, nodes, cleanup: () => rmSync(restoreDir, { recursive: true, force: true }) }
}

