// Message latency per path, alone (`npx tsx bench/latency.ts [--messages N] [--paths Gateway,L1-settled]
// [--runs K] [--no-gateway]`): on the network of the full bench's Gateway phase (L1, the Gateway; alpha and
// beta on it; gamma and delta on L1), or with `--no-gateway` on its first network (L1, alpha and beta on L1;
// the L1-settled path), services in their own processes; N messages per path at 10/s, p50 / p95 / p99 and
// the median of each step. `--committed`: the services and the relayer with committed finality
// (docs/protocol.md §12), as the full bench's committed-finality phase. For comparing a change before and after in one
// sitting, back to back, without the whole bench. Prints a line per path and run and a JSON line; asserts
// nothing.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openStore } from '../src/store/openStore.js'
import { startJunctionBenchNetwork } from './lib/junctionNetwork.js'
import { measureLatency, messagePaths, type LatencyResult } from './measure/latency.js'

const { values } = parseArgs({ options: { messages: { type: 'string' }, paths: { type: 'string' }, runs: { type: 'string' }, 'no-gateway': { type: 'boolean' }, committed: { type: 'boolean' } } })
const committed = values.committed === true
const withGateway = values['no-gateway'] !== true
const MESSAGES = Number(values.messages ?? 100)
const RUNS = Number(values.runs ?? 1)
const wanted = (values.paths ?? (withGateway ? 'Gateway' : 'L1-settled')).split(',').map((name) => name.trim())
if (!Number.isInteger(MESSAGES) || MESSAGES < 1) throw new Error(`--messages must be a positive integer, got ${values.messages}`)
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`)

const results: (Omit<LatencyResult, 'samples'> & { run: number; loadAverage: number[] })[] = []
for (let run = 1; run <= RUNS; run++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-bench-latency-'))
  console.error(`run ${run}: starting ${withGateway ? 'L1, the Gateway, alpha and beta on it, gamma and delta on L1' : 'L1, alpha and beta on L1'} (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`)
  const network = await startJunctionBenchNetwork(withGateway ? { dataDir, chains: 4, onGateway: ['alpha', 'beta'] } : { dataDir })
  try {
    if (committed) {
      await network.restartCore(['--finality', 'committed'])
      await network.restartRelayer(['--finality', 'committed'])
    }
    const paths = messagePaths(network.manifest).paths.map((p) => (committed ? { ...p, committedFinality: true } : p))
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
