// Checkpoints measured (`npx tsx bench/checkpoints.ts [--messages N] [--senders K]`): the pause (how
// long every chain is frozen), the store copy inside it, the write after it, and the size on disk, on
// a fresh network of `junction up`'s default shape, while N messages alpha → beta are sent and
// delivered (the checkpointer at its default interval), and after them; then the time to resume from
// the final checkpoint. Prints a table and a JSON line; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import * as c from '../src/contracts/generated/index.js'
import type { CheckpointInfo } from '../src/durability/Checkpointer.js'
import { resumeNetwork } from '../src/network/resumeNetwork.js'
import { startNetwork } from '../src/network/startNetwork.js'
import { formatInteroperableAddress } from '../src/protocol/index.js'
import { calldata, makeFundedKeys, presign, pushSigned, rpc } from '../src/testing/load/load.js'
import { round, sleep, summarize } from '../src/testing/load/stats.js'

const { values } = parseArgs({ options: { messages: { type: 'string' }, senders: { type: 'string' }, samples: { type: 'string' } } })
const MESSAGES = Number(values.messages ?? 3_000)
const SENDERS = Number(values.senders ?? 8)
const SAMPLES = Number(values.samples ?? 15)
const INTERVAL_MS = 4_000

const dataDir = mkdtempSync(join(tmpdir(), 'junction-bench-checkpoints-'))
const mb = (bytes: number) => round(bytes / 1e6, 2)

/** Checkpoints taken one after another on a quiet network. */
async function backToBack(take: () => Promise<CheckpointInfo>, count: number): Promise<CheckpointInfo[]> {
  const taken: CheckpointInfo[] = []
  for (let i = 0; i < count; i++) taken.push(await take())
  return taken
}

function describe(label: string, taken: CheckpointInfo[]) {
  const last = taken.at(-1)
  if (!last) return { label, checkpoints: 0, freezeMs: summarize([]), storeCopyMs: summarize([]), writeMs: summarize([]), totalMB: 0, storeMB: 0, chains: [], gapSeconds: summarize([]) }
  return {
    label,
    checkpoints: taken.length,
    freezeMs: summarize(taken.map((t) => t.freezeMs)),
    storeCopyMs: summarize(taken.map((t) => t.storeCopyMs)),
    writeMs: summarize(taken.map((t) => t.writeMs)),
    totalMB: mb(last.totalBytes),
    storeMB: mb(last.storeBytes),
    chains: last.chains.map((chain) => ({ name: chain.name, head: chain.head, MB: mb(chain.bytes), dumpMs: round(chain.dumpMs) })),
    /** Seconds between one checkpoint's freeze and the next one's. */
    gapSeconds: summarize(taken.slice(1).map((t, i) => (Date.parse(t.takenAt) - Date.parse(taken[i]!.takenAt)) / 1000)),
  }
}

console.log(`checkpoints bench: ${MESSAGES} messages alpha → beta from ${SENDERS} senders; data dir ${dataDir}; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${cpus().length} cores`)
const serviceErrors: string[] = []
const network = await startNetwork({
  basePort: 0,
  dataDir,
  chains: 3,
  onGateway: ['alpha', 'beta'],
  checkpoints: { intervalMs: INTERVAL_MS, onError: (error) => console.log(`checkpoint failed: ${error.message}`) },
  onServiceError: (service, error) => serviceErrors.push(`${service}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
})
const results: ReturnType<typeof describe>[] = []
let resumeMs = 0
let idleCheckpoints = 0
let loopDelay = { p50: 0, p99: 0, max: 0 }
try {
  const checkpointer = network.checkpointer!
  const { manifest } = network
  await sleep(2_000) // the services index the deployment
  results.push(describe('fresh network, back to back', await backToBack(() => checkpointer.take(), SAMPLES)))

  // Nothing changes: no checkpoint.
  const before = checkpointer.taken.length
  await sleep(2 * INTERVAL_MS + 500)
  idleCheckpoints = checkpointer.taken.length - before

  // The load: pre-signed sendMessage transactions on alpha, to the example recipient on beta.
  const alpha = manifest.chains.find((chain) => chain.name === 'alpha')!
  const beta = manifest.chains.find((chain) => chain.name === 'beta')!
  const keys = await makeFundedKeys('checkpoints', SENDERS, [alpha.rpcUrl])
  const recipient = formatInteroperableAddress({ chainId: BigInt(beta.chainId), address: manifest.l2Contracts.exampleRecipient })
  const perKey = Math.ceil(MESSAGES / SENDERS)
  const signed = await presign({ chainId: alpha.chainId, rpcUrl: alpha.rpcUrl, keys, perKey, build: (k, i) => ({ to: manifest.l2Contracts.interopCenter, data: calldata(c.interopCenterAbi, 'sendMessage', [recipient, `0x${(k * perKey + i).toString(16).padStart(8, '0')}`, []]), gas: 300_000n }) })
  const received = async () => BigInt(await rpc<string>(beta.rpcUrl, 'eth_call', [{ to: manifest.l2Contracts.exampleRecipient, data: calldata(c.standardRecipientAbi, 'received', []) }, 'latest']))
  const start = await received()
  const delay = monitorEventLoopDelay({ resolution: 5 })
  delay.enable()
  const loadStarted = performance.now()
  const loadStartedAt = Date.now()
  await pushSigned(alpha.rpcUrl, signed)
  const target = start + BigInt(perKey * SENDERS)
  for (let last = -1n, since = Date.now(); ; ) {
    const now = await received()
    if (now >= target) break
    if (now !== last) [last, since] = [now, Date.now()]
    if (Date.now() - since > 60_000) {
      const pools = await Promise.all([manifest.l1, ...manifest.chains].map(async (chain) => `${chain.name} ${JSON.stringify(await rpc(chain.rpcUrl, 'txpool_status', []))}`))
      throw new Error(`no delivery for 60 s at ${now - start} of ${target - start}; pools: ${pools.join(', ')}; service errors: ${serviceErrors.length} ${[...new Set(serviceErrors)].slice(0, 5).join(' | ')}`)
    }
    await sleep(250)
  }
  delay.disable()
  loopDelay = { p50: round(delay.percentile(50) / 1e6), p99: round(delay.percentile(99) / 1e6), max: round(delay.max / 1e6) }
  const loadEndedAt = Date.now()
  await sleep(2_000) // a checkpoint frozen during the load may still be writing
  const during = checkpointer.taken.filter((t) => Date.parse(t.takenAt) >= loadStartedAt && Date.parse(t.takenAt) <= loadEndedAt)
  console.log(`load: ${perKey * SENDERS} messages delivered in ${round((performance.now() - loadStarted) / 1000)} s; ${during.length} checkpoints meanwhile`)
  results.push(describe(`while ${perKey * SENDERS} messages were sent and delivered (every ${INTERVAL_MS / 1000} s)`, during))
  results.push(describe(`after ${perKey * SENDERS} messages, back to back`, await backToBack(() => checkpointer.take(), SAMPLES)))
} finally {
  await network.stop()
}
try {
  const resumed = await resumeNetwork({ dataDir, checkpoints: false, services: false })
  resumeMs = round(resumed.startupMs)
  await resumed.stop()
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}

console.log()
console.log('| when | checkpoints | freeze p50 / max (ms) | store copy p50 (ms, in the freeze) | write p50 (ms, after) | gap p50 / max (s) | on disk (MB): total, store | per chain: head block, MB, dump ms |')
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
for (const r of results) {
  console.log(`| ${r.label} | ${r.checkpoints} | ${r.freezeMs.p50} / ${r.freezeMs.max} | ${r.storeCopyMs.p50} | ${r.writeMs.p50} | ${r.gapSeconds.p50} / ${r.gapSeconds.max} | ${r.totalMB}, ${r.storeMB} | ${r.chains.map((chain) => `${chain.name} ${chain.head}, ${chain.MB}, ${chain.dumpMs}`).join('; ')} |`)
}
console.log()
console.log(`checkpoints while nothing changed for ${round((2 * INTERVAL_MS + 500) / 1000)} s: ${idleCheckpoints}`)
console.log(`event-loop delay of the process running the services and the checkpointer, during the load: p50 ${loopDelay.p50} ms, p99 ${loopDelay.p99} ms, max ${loopDelay.max} ms`)
console.log(`resume from the final checkpoint (every node loads its state, heads checked): ${resumeMs} ms`)
console.log(`load average at the end: ${loadavg().map((n) => n.toFixed(1)).join(' ')}`)
console.log(JSON.stringify({ messages: MESSAGES, senders: SENDERS, results, idleCheckpoints, loopDelay, resumeMs }))
