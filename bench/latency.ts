// Message latency per path on a network with a Gateway, alone (`npx tsx bench/latency.ts [--messages N]
// [--paths Gateway,L1-settled] [--runs K]`): the network of the full bench's Gateway phase (L1, the Gateway;
// alpha and beta on it; gamma and delta on L1; services in their own processes), N messages per path at
// 10/s, p50 / p95 / p99 and the median of each step. For comparing a change before and after in one
// sitting, back to back, without the whole bench. Prints a line per path and run and a JSON line; asserts
// nothing.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openStore } from '../src/store/openStore.js'
import { startJunctionBenchNetwork } from './lib/junctionNetwork.js'
import { measureLatency, messagePaths, type LatencyResult } from './measure/latency.js'

const { values } = parseArgs({ options: { messages: { type: 'string' }, paths: { type: 'string' }, runs: { type: 'string' } } })
const MESSAGES = Number(values.messages ?? 100)
const RUNS = Number(values.runs ?? 1)
const wanted = (values.paths ?? 'Gateway').split(',').map((name) => name.trim())
if (!Number.isInteger(MESSAGES) || MESSAGES < 1) throw new Error(`--messages must be a positive integer, got ${values.messages}`)
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`)

const results: (Omit<LatencyResult, 'samples'> & { run: number; loadAverage: number[] })[] = []
for (let run = 1; run <= RUNS; run++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-bench-latency-'))
  console.error(`run ${run}: starting L1, the Gateway, alpha and beta on it, gamma and delta on L1 (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`)
  const network = await startJunctionBenchNetwork({ dataDir, chains: 4, onGateway: ['alpha', 'beta'] })
  try {
    const { paths } = messagePaths(network.manifest)
    const unknown = wanted.filter((name) => !paths.some((p) => p.name === name))
    if (unknown.length > 0) throw new Error(`no path named ${unknown.join(', ')}; the paths are: ${paths.map((p) => p.name).join(', ')}`)
    const store = openStore(join(dataDir, 'junction.db'))
    try {
      for (const path of paths.filter((p) => wanted.includes(p.name))) {
        const { samples: _samples, ...result } = await measureLatency({ manifest: network.manifest, path, recipient: network.recipient, senderKey: network.manifest.accounts.users[4]!.privateKey, count: MESSAGES, ratePerSecond: 10, store })
        const loadAverage = loadavg().map((l) => Math.round(l * 100) / 100)
        results.push({ ...result, run, loadAverage })
        const { p50, p95, p99 } = result.latencyMs
        console.log(`run ${run}, ${path.name}: p50 ${p50} / p95 ${p95} / p99 ${p99} ms over ${result.latencyMs.count} messages${result.missing ? ` (${result.missing} missing)` : ''}; load ${loadAverage.join(' ')}; steps (p50 ms): ${Object.entries(result.stagesMs).map(([k, v]) => `${k} ${v}`).join(', ')}`)
      }
    } finally {
      store.close()
    }
  } finally {
    await network.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
console.log(JSON.stringify({ messages: MESSAGES, results }))
