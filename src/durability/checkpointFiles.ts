// The checkpoints of a network on disk: <data-dir>/checkpoints/<sequence>/, one folder per checkpoint,
// written aside and renamed into place (so a folder with a sequence name is whole unless the disk
// damaged it), every file checksummed in checkpoint.json, which checksums itself.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Hex } from 'viem'
import type { CreateAnvilParameters } from '../chain/process/index.js'

/** The version of the checkpoint format this code writes and reads. */
export const CHECKPOINT_FORMAT = 1

/** The name of the folder of checkpoints inside a data dir. */
export const CHECKPOINTS_DIR = 'checkpoints'

const META_FILE = 'checkpoint.json'
const SEQUENCE = /^\d{8}$/
const PARTIAL_PREFIX = '.partial-'
const DAMAGED_SUFFIX = '.damaged'

/** One chain in a checkpoint: its head when its state was dumped, and the file holding that state. */
export type CheckpointChain = {
  name: string
  chainId: number
  /** Head block number and hash in the dump (the node must come back exactly there). */
  head: number
  headHash: Hex
  /** Unix seconds of the head block. */
  headTimestamp: number
  /** The gzipped JSON of `anvil_dumpState`. */
  file: string
}

/** How to start a chain's node again: anvil's parameters, with the port it really listened on. */
export type CheckpointNode = Omit<CreateAnvilParameters, 'binary' | 'loadState' | 'stateFile'> & { name: string; port: number }

/** A checkpoint's `checkpoint.json`. */
export type CheckpointMeta = {
  format: typeof CHECKPOINT_FORMAT
  sequence: number
  /** When the chains were frozen (ISO time). */
  takenAt: string
  /** Why it was taken: at start, because something changed, or on a clean stop. */
  reason: 'start' | 'interval' | 'stop'
  /** sha256 of the network's manifest (network.json), which a checkpoint must be resumed with. */
  manifestSha256: string
  /** How long the chains were frozen for it, in milliseconds. */
  freezeMs: number
  chains: CheckpointChain[]
  /** The services' SQLite store (SQLite's `serialize()`), copied while every chain was frozen. */
  store: { file: string }
  nodes: CheckpointNode[]
  /** Every file of the checkpoint with its size and sha256. */
  files: { name: string; bytes: number; sha256: string }[]
  /** sha256 of this JSON without this field. */
  checksum: string
}

/** A checkpoint folder that was found whole. */
export type VerifiedCheckpoint = { dir: string; meta: CheckpointMeta }

/** A checkpoint folder passed over, and why. */
export type SkippedCheckpoint = { name: string; dir: string; reason: string }

/**
 * sha256 of `bytes`, hex.
 *
 * @example
 * ```ts
 * sha256(readFileSync('.junction/network.json')) // 'a3f1…'
 * ```
 */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function metaChecksum(meta: Omit<CheckpointMeta, 'checksum'>): string {
  return sha256(JSON.stringify(meta))
}

/** The folder name of checkpoint `sequence`. */
export const checkpointName = (sequence: number) => String(sequence).padStart(8, '0')

/**
 * Writes a checkpoint atomically: its files into `.partial-<sequence>/`, each fsynced, then
 * checkpoint.json (with every file's sha256 and its own), fsynced, then the folder renamed to
 * `<sequence>` and the parent fsynced. A crash at any point leaves either the whole checkpoint or a
 * `.partial-` folder that readers pass over.
 *
 * @example
 * ```ts
 * await writeCheckpoint('.junction/checkpoints', { ...meta }, [{ name: 'alpha.state.json.gz', bytes }])
 * ```
 */
export async function writeCheckpoint(checkpointsDir: string, meta: Omit<CheckpointMeta, 'files' | 'checksum' | 'format'>, files: { name: string; bytes: Uint8Array }[]): Promise<VerifiedCheckpoint> {
  await mkdir(checkpointsDir, { recursive: true })
  const name = checkpointName(meta.sequence)
  const partial = join(checkpointsDir, `${PARTIAL_PREFIX}${name}`)
  await rm(partial, { recursive: true, force: true })
  await mkdir(partial)
  // In parallel: the file system can take the fsyncs in one journal commit.
  await Promise.all(files.map((file) => writeSynced(join(partial, file.name), file.bytes)))
  const body = { format: CHECKPOINT_FORMAT, ...meta, files: files.map((file) => ({ name: file.name, bytes: file.bytes.length, sha256: sha256(file.bytes) })) } as Omit<CheckpointMeta, 'checksum'>
  const full: CheckpointMeta = { ...body, checksum: metaChecksum(body) }
  await writeSynced(join(partial, META_FILE), JSON.stringify(full, null, 1) + '\n')
  await syncDir(partial)
  const dir = join(checkpointsDir, name)
  await rename(partial, dir)
  await syncDir(checkpointsDir)
  return { dir, meta: full }
}

/**
 * Writes `bytes` to `path` and fsyncs the file.
 *
 * @example
 * ```ts
 * await writeSynced('.junction/junction.db.restoring', image)
 * ```
 */
export async function writeSynced(path: string, bytes: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w')
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Fsyncs a folder (so that a rename or a new file in it survives a power loss).
 *
 * @example
 * ```ts
 * renameSync(partial, final)
 * await syncDir(dirname(final))
 * ```
 */
export async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Checks one checkpoint folder: checkpoint.json parses, is of this format and matches its own
 * checksum, and every file it lists is there with its size and sha256. Returns the reason it is not
 * whole, or its meta.
 *
 * @example
 * ```ts
 * const checked = verifyCheckpoint('.junction/checkpoints/00000012')
 * if ('reason' in checked) console.error(checked.reason)
 * ```
 */
export function verifyCheckpoint(dir: string): { meta: CheckpointMeta } | { reason: string } {
  const metaPath = join(dir, META_FILE)
  if (!existsSync(metaPath)) return { reason: `${META_FILE} is missing` }
  let meta: CheckpointMeta
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8')) as CheckpointMeta
  } catch (error) {
    return { reason: `${META_FILE} is not valid JSON (${error instanceof Error ? error.message : String(error)})` }
  }
  if (meta.format !== CHECKPOINT_FORMAT) return { reason: `${META_FILE} is of format ${String(meta.format)}, this Junction reads ${CHECKPOINT_FORMAT}` }
  const { checksum, ...body } = meta
  if (metaChecksum(body) !== checksum) return { reason: `${META_FILE} does not match its checksum` }
  for (const file of meta.files) {
    const path = join(dir, file.name)
    if (!existsSync(path)) return { reason: `${file.name} is missing` }
    const size = statSync(path).size
    if (size !== file.bytes) return { reason: `${file.name} has ${size} bytes, the checkpoint wrote ${file.bytes}` }
    if (sha256(readFileSync(path)) !== file.sha256) return { reason: `${file.name} does not match its sha256` }
  }
  return { meta }
}

/** The sequence numbers of the checkpoint folders (whole or damaged) under `checkpointsDir`, newest first. */
function sequenceDirs(checkpointsDir: string): string[] {
  if (!existsSync(checkpointsDir)) return []
  return readdirSync(checkpointsDir)
    .filter((name) => SEQUENCE.test(name))
    .sort()
    .reverse()
}

/**
 * The sequence number the next checkpoint takes: one more than any folder there, damaged or partial ones too.
 *
 * @example
 * ```ts
 * nextCheckpointSequence('.junction/checkpoints') // 43 after 00000042
 * ```
 */
export function nextCheckpointSequence(checkpointsDir: string): number {
  if (!existsSync(checkpointsDir)) return 1
  const numbers = readdirSync(checkpointsDir)
    .map((name) => /(\d{8})/.exec(name)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number)
  return numbers.length === 0 ? 1 : Math.max(...numbers) + 1
}

/** What {@link findLatestCheckpoint} found. */
export type FindLatestCheckpointReturnType = {
  /** The newest whole checkpoint, if any. */
  checkpoint: VerifiedCheckpoint | undefined
  /** Newer checkpoints passed over because they are damaged, newest first. */
  skipped: SkippedCheckpoint[]
  /** Folders of checkpoints that were being written when the process ended (never complete). */
  partial: string[]
}

/**
 * The newest checkpoint under `checkpointsDir` that is whole; the newer ones that are damaged are
 * listed with the reason, and so are the partial ones a crash left behind. Reads only.
 *
 * @example
 * ```ts
 * const { checkpoint, skipped } = findLatestCheckpoint('.junction/checkpoints')
 * for (const s of skipped) console.log(`checkpoint ${s.name} is damaged: ${s.reason}`)
 * ```
 */
export function findLatestCheckpoint(checkpointsDir: string): FindLatestCheckpointReturnType {
  const skipped: SkippedCheckpoint[] = []
  const partial = existsSync(checkpointsDir) ? readdirSync(checkpointsDir).filter((name) => name.startsWith(PARTIAL_PREFIX)) : []
  for (const name of sequenceDirs(checkpointsDir)) {
    const dir = join(checkpointsDir, name)
    const checked = verifyCheckpoint(dir)
    if ('meta' in checked) return { checkpoint: { dir, meta: checked.meta }, skipped, partial }
    skipped.push({ name, dir, reason: checked.reason })
  }
  return { checkpoint: undefined, skipped, partial }
}

/**
 * Sets damaged checkpoints aside (`<sequence>.damaged`, kept for a look until pruned) and removes
 * partial ones, so that they are never read again.
 *
 * @example
 * ```ts
 * const found = findLatestCheckpoint(dir)
 * setAsideCheckpoints(dir, found)
 * ```
 */
export function setAsideCheckpoints(checkpointsDir: string, found: Pick<FindLatestCheckpointReturnType, 'skipped' | 'partial'>): void {
  for (const skipped of found.skipped) renameSync(skipped.dir, `${skipped.dir}${DAMAGED_SUFFIX}`)
  for (const name of found.partial) rmSync(join(checkpointsDir, name), { recursive: true, force: true })
}

/**
 * Keeps the newest `keep` checkpoints and removes the older ones (damaged ones set aside included).
 *
 * @example
 * ```ts
 * pruneCheckpoints('.junction/checkpoints', 3)
 * ```
 */
export async function pruneCheckpoints(checkpointsDir: string, keep: number): Promise<void> {
  const kept = sequenceDirs(checkpointsDir).slice(0, keep)
  const oldest = kept.at(-1)
  if (oldest === undefined) return
  for (const name of readdirSync(checkpointsDir)) {
    const digits = /^(\d{8})(\.damaged)?$/.exec(name)?.[1]
    if (digits !== undefined && digits < oldest) await rm(join(checkpointsDir, name), { recursive: true, force: true })
  }
}
