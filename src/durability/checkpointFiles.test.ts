import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { CannotResumeError } from '../errors/durability.js'
import { openStore } from '../store/openStore.js'
import { CHECKPOINTS_DIR, findLatestCheckpoint, nextCheckpointSequence, pruneCheckpoints, setAsideCheckpoints, sha256, writeCheckpoint } from './checkpointFiles.js'
import { STORE_FILE, stateFileOf } from './Checkpointer.js'
import { RESTORE_DIR } from './dataDir.js'
import { restoreCheckpoint } from './restoreCheckpoint.js'

const dirs: string[] = []
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-checkpoints-'))
  dirs.push(dir)
  return dir
}

const MANIFEST = '{"version":1}\n'

/** A store whose `meta` table says which checkpoint it belongs to. */
function storeImage(label: string): Buffer {
  const store = openStore(':memory:')
  store.prepare(`INSERT INTO meta (key, value) VALUES ('label', ?)`).run(label)
  const image = store.serialize()
  store.close()
  return image
}

/** Writes checkpoint `sequence` of a one-chain network (alpha) into `dataDir`, its state and store labelled with the sequence. */
async function writeOne(dataDir: string, sequence: number) {
  return writeCheckpoint(
    join(dataDir, CHECKPOINTS_DIR),
    {
      sequence,
      takenAt: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString(),
      reason: 'interval',
      manifestSha256: sha256(MANIFEST),
      freezeMs: 1,
      chains: [{ name: 'alpha', chainId: 271, head: 10 * sequence, headHash: `0x${'ab'.repeat(32)}`, headTimestamp: 1_700_000_000 + sequence, file: stateFileOf('alpha') }],
      store: { file: STORE_FILE },
      nodes: [{ name: 'alpha', chainId: 271, port: 9_000 }],
    },
    [
      { name: stateFileOf('alpha'), bytes: gzipSync(JSON.stringify({ checkpoint: sequence })) },
      { name: STORE_FILE, bytes: storeImage(`checkpoint ${sequence}`) },
    ],
  )
}

/** Flips one byte in the middle of a file. */
function flipByte(path: string): void {
  const bytes = readFileSync(path)
  const middle = bytes.length >> 1
  bytes[middle] = bytes[middle]! ^ 0xff
  writeFileSync(path, bytes)
}

test('the newest whole checkpoint is found; each kind of damage makes it fall back to the one before, naming what is wrong', async () => {
  const damages: { what: string; damage: (dir: string) => void; reason: RegExp }[] = [
    { what: 'a flipped byte in a chain state', damage: (dir) => flipByte(join(dir, stateFileOf('alpha'))), reason: /^alpha\.state\.json\.gz does not match its sha256$/ },
    { what: 'a truncated store', damage: (dir) => truncateSync(join(dir, STORE_FILE), 10), reason: /^junction\.db has 10 bytes, the checkpoint wrote \d+$/ },
    { what: 'a missing file', damage: (dir) => rmSync(join(dir, stateFileOf('alpha'))), reason: /^alpha\.state\.json\.gz is missing$/ },
    { what: 'a missing checkpoint.json', damage: (dir) => rmSync(join(dir, 'checkpoint.json')), reason: /^checkpoint\.json is missing$/ },
    { what: 'checkpoint.json cut short', damage: (dir) => truncateSync(join(dir, 'checkpoint.json'), 40), reason: /^checkpoint\.json is not valid JSON/ },
    { what: 'checkpoint.json edited', damage: (dir) => writeFileSync(join(dir, 'checkpoint.json'), readFileSync(join(dir, 'checkpoint.json'), 'utf8').replace('"head": 30', '"head": 31')), reason: /^checkpoint\.json does not match its checksum$/ },
  ]
  for (const { what, damage, reason } of damages) {
    const dataDir = tmp()
    for (const sequence of [1, 2, 3]) await writeOne(dataDir, sequence)
    const checkpoints = join(dataDir, CHECKPOINTS_DIR)
    assert.equal(findLatestCheckpoint(checkpoints).checkpoint?.meta.sequence, 3, `${what}: before the damage, the newest is found`)
    damage(join(checkpoints, '00000003'))
    const found = findLatestCheckpoint(checkpoints)
    assert.equal(found.checkpoint?.meta.sequence, 2, `${what}: falls back to checkpoint 2`)
    assert.equal(found.skipped.length, 1, what)
    assert.equal(found.skipped[0]!.name, '00000003', what)
    assert.match(found.skipped[0]!.reason, reason, what)
  }
})

test('a checkpoint left half-written by a crash is passed over; with none whole, none is found and every damaged one is named', async () => {
  const dataDir = tmp()
  const checkpoints = join(dataDir, CHECKPOINTS_DIR)
  await writeOne(dataDir, 1)
  await writeOne(dataDir, 2)
  // What a crash during the write of checkpoint 3 leaves: a .partial- folder without its checkpoint.json.
  mkdirSync(join(checkpoints, '.partial-00000003'))
  writeFileSync(join(checkpoints, '.partial-00000003', stateFileOf('alpha')), 'half')
  const found = findLatestCheckpoint(checkpoints)
  assert.equal(found.checkpoint?.meta.sequence, 2)
  assert.deepEqual(found.partial, ['.partial-00000003'])
  assert.deepEqual(found.skipped, [])
  assert.equal(nextCheckpointSequence(checkpoints), 4, 'the next checkpoint takes a number of its own')

  flipByte(join(checkpoints, '00000002', STORE_FILE))
  flipByte(join(checkpoints, '00000001', stateFileOf('alpha')))
  const none = findLatestCheckpoint(checkpoints)
  assert.equal(none.checkpoint, undefined)
  assert.deepEqual(
    none.skipped.map((s) => [s.name, s.reason]),
    [
      ['00000002', 'junction.db does not match its sha256'],
      ['00000001', 'alpha.state.json.gz does not match its sha256'],
    ],
  )
  // Resuming says why, and changes nothing.
  const before = readdirSync(checkpoints).sort()
  await assert.rejects(restoreCheckpoint({ dataDir, manifestSha256: sha256(MANIFEST) }), (error: unknown) => {
    assert.ok(error instanceof CannotResumeError)
    assert.match(error.message, /no checkpoint there is whole/)
    assert.match(error.message, /checkpoint 00000002 is damaged: junction\.db does not match its sha256/)
    assert.match(error.message, /\.partial-00000003 was being written when the network ended/)
    assert.match(error.message, /junction up --fresh/)
    return true
  })
  assert.deepEqual(readdirSync(checkpoints).sort(), before, 'nothing was moved or removed')
  assert.equal(existsSync(join(dataDir, 'junction.db')), false, 'no store was put in place')
})

test('a resume from a damaged newest checkpoint puts the previous one in place: its store and chain state, the damaged one set aside', async () => {
  const dataDir = tmp()
  writeFileSync(join(dataDir, 'network.json'), MANIFEST)
  for (const sequence of [1, 2, 3]) await writeOne(dataDir, sequence)
  // The store as the network left it: newer than any checkpoint, with a WAL of its own.
  const live = openStore(join(dataDir, 'junction.db'))
  live.prepare(`INSERT INTO meta (key, value) VALUES ('label', 'live')`).run()
  live.close()
  const checkpoints = join(dataDir, CHECKPOINTS_DIR)
  flipByte(join(checkpoints, '00000003', stateFileOf('alpha')))

  const restored = await restoreCheckpoint({ dataDir, manifestSha256: sha256(MANIFEST) })
  assert.equal(restored.checkpoint.meta.sequence, 2)
  assert.deepEqual(restored.skipped.map((s) => s.name), ['00000003'])
  assert.ok(existsSync(join(checkpoints, '00000003.damaged')), 'the damaged checkpoint is set aside')
  assert.equal(findLatestCheckpoint(checkpoints).checkpoint?.meta.sequence, 2, 'and never read again')
  assert.equal(nextCheckpointSequence(checkpoints), 4, 'its number is not taken again')

  const store = openStore(join(dataDir, 'junction.db'))
  assert.equal((store.prepare(`SELECT value FROM meta WHERE key = 'label'`).get() as { value: string }).value, 'checkpoint 2', "checkpoint 2's store is in place")
  store.close()
  assert.deepEqual(restored.nodes.map((n) => [n.node.name, n.node.port]), [['alpha', 9_000]])
  assert.deepEqual(JSON.parse(readFileSync(restored.nodes[0]!.stateFile, 'utf8')), { checkpoint: 2 }, "alpha's state of checkpoint 2 is unpacked for --load-state")
  assert.equal(restored.rollback.chains[0]!.checkpointHead, 20)
  restored.cleanup()
  assert.equal(existsSync(join(dataDir, RESTORE_DIR)), false)

  // A manifest that is not the one the checkpoints were taken with is refused.
  await assert.rejects(restoreCheckpoint({ dataDir, manifestSha256: sha256('{"version":2}\n') }), /network\.json is not the manifest/)
})

test('pruning keeps the newest checkpoints and removes older ones, damaged ones set aside included', async () => {
  const dataDir = tmp()
  const checkpoints = join(dataDir, CHECKPOINTS_DIR)
  for (const sequence of [1, 2, 3, 4, 5]) await writeOne(dataDir, sequence)
  flipByte(join(checkpoints, '00000002', STORE_FILE))
  setAsideCheckpoints(checkpoints, { skipped: [{ name: '00000002', dir: join(checkpoints, '00000002'), reason: 'test' }], partial: [] })
  await pruneCheckpoints(checkpoints, 3)
  assert.deepEqual(readdirSync(checkpoints).sort(), ['00000003', '00000004', '00000005'])
})
