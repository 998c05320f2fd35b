// `npm run soak [-- --messages N] [--seed S] [--quick] [--rate R] [--nodes a,b] [--faults K]`: messages over four
// paths of a network of real chains while the services, the relayer and a chain's node are killed and
// restarted at moments drawn from the seed (src/testing/soak/runSoak.ts). Prints the fault plan, each fault
// and its recovery, the delivery verdict (every chain read again), latency and throughput with and without
// faults, what is stuck and where; exits 1 on any loss, double execution, or message not delivered in time.
import { parseArgs } from 'node:util'
import { FAULT_KINDS, type FaultKind } from '../src/testing/soak/faultPlan.js'
import { formatSoakReport, runSoak } from '../src/testing/soak/runSoak.js'

const { values } = parseArgs({
  options: {
    messages: { type: 'string' },
    seed: { type: 'string' },
    quick: { type: 'boolean', default: false },
    rate: { type: 'string' },
    senders: { type: 'string' },
    nodes: { type: 'string' },
    faults: { type: 'string' },
    chains: { type: 'string' },
    'min-gap': { type: 'string' },
    'drain-timeout': { type: 'string' },
    'data-dir': { type: 'string' },
    json: { type: 'string' },
    canary: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log(`usage: npm run soak -- [options]
  --messages N      messages in all, over every path (default 10000; --quick 1000)
  --seed S          seed of the fault plan (default: random, printed)
  --quick           a short run: 1000 messages, one fault of each kind
  --rate R          messages per second over all paths (default 25)
  --senders K       senders per path (default 4)
  --nodes a,b       chains whose nodes the node faults stop, one drawn per fault (default gamma,gateway)
  --faults K        faults of each kind (default 3 service kills, 3 relayer kills, 2 node restarts, 2 node pauses; --quick 1 each)
  --min-gap S       least seconds between two faults' starts (default 15; --quick 5)
  --chains N        ZK chains: 3, or 4 for the L1-settled → L1-settled path (default 4)
  --drain-timeout S seconds every message may take after the last send and fault (default 120)
  --data-dir D      the network's folder (default: a temporary one, kept if the run fails)
  --json FILE       also write the report as JSON
  --canary          also send one message that must never be delivered, and check that the checks report it`)
  process.exit(0)
}
const int = (name: string, value: string | undefined, fallback: number, min = 1): number => {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name} must be an integer of at least ${min}, got ${value}`)
  return n
}
const quick = values.quick
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 32) : int('seed', values.seed, 0, 0)
if (seed >= 2 ** 32) throw new RangeError(`--seed must be below 2^32, got ${values.seed}`)
const each = values.faults === undefined ? (quick ? 1 : undefined) : int('faults', values.faults, 0, 0)
const faults = each === undefined ? undefined : (Object.fromEntries(FAULT_KINDS.map((kind) => [kind, each])) as Record<FaultKind, number>)
const started = Date.now()
const report = await runSoak({
  messages: int('messages', values.messages, quick ? 1_000 : 10_000),
  seed,
  rate: int('rate', values.rate, 25),
  sendersPerPath: int('senders', values.senders, 4),
  chains: int('chains', values.chains, 4, 3),
  ...(faults ? { faults } : {}),
  ...(values['min-gap'] !== undefined || quick ? { minGapMs: int('min-gap', values['min-gap'], 5) * 1000 } : {}),
  ...(values.nodes ? { nodes: values.nodes.split(',').map((n) => n.trim()).filter(Boolean) } : {}),
  canary: values.canary,
  drainTimeoutMs: int('drain-timeout', values['drain-timeout'], 120) * 1000,
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  log: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`),
})
console.log('\n' + formatSoakReport(report))
if (values.json) {
  const { writeFileSync } = await import('node:fs')
  writeFileSync(values.json, JSON.stringify(report, null, 2) + '\n')
}
process.exit(report.ok ? 0 : 1)
