// `npm run fuzz [-- --count N] [--seed S] [--no-migration] [--lanes L] [--canary]`: forged and mutated proofs and
// bundles sent through the handlers' ABI on a network of real chains (src/testing/fuzz/runFuzz.ts). Prints
// the count by error and by mutator, the state check, the time taken and a verdict; exits 1 unless every
// forgery was refused by name, nothing guarded changed and every valid seed still executed once.
import { parseArgs } from 'node:util'
import { formatFuzzReport, runFuzz } from '../src/testing/fuzz/runFuzz.js'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    'no-migration': { type: 'boolean', default: false },
    lanes: { type: 'string' },
    canary: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log('usage: npm run fuzz -- [--count N (10000)] [--seed S (random, printed)] [--no-migration] [--lanes L (senders per chain, 3)] [--canary (slip one valid call in: the run must fail, naming it)]')
  process.exit(0)
}
const count = Number(values.count)
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 32) : Number(values.seed)
if (!Number.isInteger(count) || count < 1) throw new RangeError(`--count must be a positive integer, got ${values.count}`)
if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new RangeError(`--seed must be an integer from 0 to 2^32 - 1, got ${values.seed}`)
console.log(`fuzz: ${count} forgeries with seed ${seed}`)
const started = Date.now()
const report = await runFuzz({
  count,
  seed,
  migration: !values['no-migration'],
  canary: values.canary,
  ...(values.lanes !== undefined ? { lanesPerChain: Number(values.lanes) } : {}),
  log: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`),
})
console.log('\n' + formatFuzzReport(report))
process.exit(report.ok ? 0 : 1)
