// Junction's benchmark suite: `npm run bench` (full, under 10 minutes on 2 cores) or
// `npm run bench -- --quick` (under 2 minutes). Measures on this machine, prints a table, writes
// bench/results/<date>.json and bench/results/<date>/ (report.md, SVG plots). Nothing is asserted.
// Every process it starts is stopped at the end (and killed by the kernel if the bench dies).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { findAnvilBinary } from '../src/chain/process/index.js'
import { JunctionIndex } from '../src/sdk/JunctionIndex.js'
import { openStore } from '../src/store/openStore.js'
import { startJunctionBenchNetwork, type JunctionBenchNetwork } from './lib/junctionNetwork.js'
import { round } from '../src/testing/load/stats.js'
import { measureAnvilCeiling } from './measure/anvilCeiling.js'
import { measureAmortisedGas, measureBundleGas, measureLoadGas, measureMessageGas } from './measure/gas.js'
import { measureHyperlane, type HyperlaneResult } from './measure/hyperlane.js'
import { measureIdle, type IdleResult } from './measure/idle.js'
import { measureGatewayL1Gas, type GatewayL1Gas } from './measure/gateway.js'
import { measureLatency, messagePaths, type LatencyResult } from './measure/latency.js'
import { measureLedgerGas, type LedgerGas } from './measure/ledgerGas.js'
import { measureLending, type LendingResult } from './measure/lending.js'
import { measureMigration, type MigrationResult } from './measure/migration.js'
import { measureDvp, type DvpResult } from './measure/dvp.js'
import { instructionLines, measureInstruction, type InstructionResult } from './measure/instruction.js'
import { measurePayment, paymentLines, type PaymentResult } from './measure/payment.js'
import { measureSwap, measureTransferGas, type SwapResult, type TransferGas } from './measure/swap.js'
import { rpcOverhead } from './measure/rpcOverhead.js'
import { idleCpuLine, measureIdleCpu } from './measure/idleCpu.js'
import { measurePrivateInterop, privateInteropLines } from './measure/privateInterop.js'
import { measurePrividiumProxy, prividiumProxyLines } from './measure/prividiumProxy.js'
import { measureThroughput, type ThroughputResult } from './measure/throughput.js'
import { markdown, writeResults, type BenchResults } from './report.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    messages: { type: 'string' },
    'latency-messages': { type: 'string' },
    rate: { type: 'string' },
    senders: { type: 'string' },
    'in-flight': { type: 'string' },
    'per-request': { type: 'string' },
    'ceiling-transactions': { type: 'string' },
    'hyperlane-rate': { type: 'string' },
    'no-hyperlane': { type: 'boolean' },
    'offered-rate': { type: 'string' },
    'offered-messages': { type: 'string' },
  },
})
const quick = values.quick === true
const option = (name: keyof typeof values, full: number, fast: number) => (values[name] === undefined ? (quick ? fast : full) : Number(values[name]))
const THROUGHPUT_MESSAGES = option('messages', 10_000, 500)
const LATENCY_MESSAGES = option('latency-messages', 500, 60)
const COMMITTED_LATENCY_MESSAGES = Math.min(LATENCY_MESSAGES, quick ? 20 : 100)
const RATE = option('rate', 10, 20)
const SENDERS = option('senders', 8, 8)
const IN_FLIGHT = option('in-flight', 1_000, 1_000)
// Send transactions of one load key per JSON-RPC request (a batch): one per request, the load generator's HTTP
// cost took a third of the 2 cores in the throughput run and capped anvil's own ceiling near 1,400 tx/s.
const PER_REQUEST = option('per-request', 20, 20)
const THROUGHPUT_TIMEOUT_MS = Math.max(120_000, THROUGHPUT_MESSAGES * 30)
const HYPERLANE_RATE = option('hyperlane-rate', 20, 20)
const CEILING_TRANSACTIONS = option('ceiling-transactions', 10_000, 1_000)
// Latency under an offered load: this many messages sent at this rate (both directions together).
const OFFERED_RATE = option('offered-rate', 1_000, 1_000)
const OFFERED_MESSAGES = option('offered-messages', 5_000, 1_000)
const IDLE_SECONDS = quick ? 5 : 10
const PAYLOAD_SIZES = [32, 256, 1024]
const SWAP_RUNS = quick ? 5 : 50
const DVP_RUNS = quick ? 5 : 20
const INSTRUCTION_RUNS = quick ? 3 : 10
const PAYMENT_RUNS = quick ? 10 : 50
const PAYMENT_BUSY_PER_BANK = quick ? 20 : 100
const BATCH_SIZES = quick ? [1, 10, 100] : [1, 10, 100, 1_000]

const benchStarted = performance.now()
const phases: { name: string; seconds: number }[] = []
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now()
  console.log(`… ${name}`)
  const result = await run()
  phases.push({ name, seconds: round((performance.now() - started) / 1000, 1) })
  console.log(`  done in ${phases.at(-1)!.seconds} s`)
  return result
}

const loadAverageAtStart = loadavg().map((l) => round(l, 2))
const dataDir = mkdtempSync(join(tmpdir(), 'junction-bench-'))
console.log(`junction bench (${quick ? 'quick' : 'full'}): ${THROUGHPUT_MESSAGES} messages for throughput, ${LATENCY_MESSAGES} for latency at ${RATE}/s, ${SENDERS} senders per chain; load average ${loadAverageAtStart.join(' ')}`)

try {
  // 3 (first, on a quiet machine): what the engine itself does.
  // The chain's own ceiling in Junction's block production, and under automine (how chains ran before), in the same run.
  const ceiling = await phase(`anvil ceiling: plain transfers, Junction's block production, batches of ${PER_REQUEST}`, () => measureAnvilCeiling({ transactions: CEILING_TRANSACTIONS, senders: SENDERS * 2, produced: true, perRequest: PER_REQUEST }))
  const ceilingOnePerRequest = await phase("anvil ceiling: plain transfers, Junction's block production, one per request", () => measureAnvilCeiling({ transactions: CEILING_TRANSACTIONS, senders: SENDERS * 2, produced: true }))
  const ceilingAutomine = await phase('anvil ceiling: plain transfers, automine', () => measureAnvilCeiling({ transactions: CEILING_TRANSACTIONS, senders: SENDERS * 2 }))

  const bench = await phase('start Junction (L1, alpha, beta, both settling on L1; services and relayer in their own processes)', () => startJunctionBenchNetwork({ dataDir }))
  let latency: LatencyResult[]
  let absentPaths: string[]
  const throughput: ThroughputResult[] = []
  let gasOnQuietNetwork: Omit<BenchResults['gas'], 'underLoad'>
  let swap: SwapResult
  let transferGas: TransferGas
  let dvp: DvpResult
  let idle: IdleResult
  let payment: PaymentResult
  try {
    // 0. The whole network idle (nodes, block producers, services, relayer), before anything is sent.
    idle = await phase(`idle network CPU, ${IDLE_SECONDS} s`, () => measureIdle({ bench, seconds: IDLE_SECONDS }))
    console.log(`  ${idle.cores} of one core in all (${idle.blocks} blocks meanwhile)`)
    // 1. Latency per path.
    const { paths, absent } = messagePaths(bench.manifest)
    absentPaths = absent
    const store = openStore(join(dataDir, 'junction.db'))
    try {
      latency = []
      for (const path of paths) {
        latency.push(await phase(`latency, ${path.name}`, () => measureLatency({ manifest: bench.manifest, path, recipient: bench.recipient, senderKey: bench.manifest.accounts.users[4]!.privateKey, count: LATENCY_MESSAGES, ratePerSecond: RATE, store })))
        console.log(`  ${latencyLine(latency.at(-1)!)}`)
      }
      // 1c. The one-click swap (two legs between chains on L1), then the gas of one token transfer on each side, on the quiet network.
      // Statuses from the services' store: an index synced from the chains would read every log again.
      const index = new JunctionIndex(bench.manifest, { store, syncFromChains: false })
      const swapped = await phase(`one-click swap, ${SWAP_RUNS} runs`, () => measureSwap({ manifest: bench.manifest, index, runs: SWAP_RUNS }))
      swap = swapped.result
      console.log(`  swap p50 ${swap.roundTripMs.p50} / p95 ${swap.roundTripMs.p95} ms`)
      transferGas = await phase('gas of a token transfer', () => measureTransferGas({ manifest: bench.manifest, index, setup: swapped.setup }))
      // 1d. Delivery versus payment (an atomic flow: bond on alpha, cash on beta, the home chain).
      dvp = await phase(`delivery versus payment, ${DVP_RUNS} runs`, () => measureDvp({ manifest: bench.manifest, index, runs: DVP_RUNS }))
      // 1e. The ISO 20022 payment: pacs.008 in → pacs.002 out, both banks busy, gas per leg (alpha ⇄ beta).
      payment = await phase(`ISO 20022 payments, ${PAYMENT_RUNS} one by one, ${PAYMENT_BUSY_PER_BANK} from each bank at once`, () => measurePayment({ manifest: bench.manifest, index, sequential: PAYMENT_RUNS, busyPerBank: PAYMENT_BUSY_PER_BANK }))
      for (const [what, figure] of paymentLines(payment)) console.log(`  ${what}: ${figure}`)
    } finally {
      store.close()
    }
    // 4. Gas.
    const messages = await phase('gas per payload size', () => measureMessageGas(bench, PAYLOAD_SIZES))
    const bundles = await phase('gas of bundles', () => measureBundleGas(bench))
    const amortised = await phase('L1 gas per batch size', () => measureAmortisedGas(bench, BATCH_SIZES))
    gasOnQuietNetwork = { messages, bundles, amortised }
  } finally {
    await bench.stop()
  }

  // 2. Sustained throughput, then again with the relayer killed twice: each run on a fresh network of
  // its own, so both start from the same state (the services' time per round grows with what they
  // have stored: docs/benchmarks.md, "What limits throughput"), and the gas under load is that run's.
  const underLoad = await onFreshNetwork('the steady throughput run', async (fresh) => {
    throughput.push(await phase('throughput', () => measureThroughput({ bench: fresh, label: 'steady', messages: THROUGHPUT_MESSAGES, senders: SENDERS, inFlight: IN_FLIGHT, killRelayer: false, timeoutMs: THROUGHPUT_TIMEOUT_MS, perRequest: PER_REQUEST })))
    console.log(`  ${throughputLine(throughput.at(-1)!)}`)
    const gasUnderLoad = await phase('gas under load', () => measureLoadGas(fresh))
    // Latency under an offered load (sends paced at OFFERED_RATE), on the same network after the steady run.
    throughput.push(
      await phase(`latency at ${OFFERED_RATE} msg/s offered`, () =>
        measureThroughput({ bench: fresh, label: `offered ${OFFERED_RATE}/s`, messages: OFFERED_MESSAGES, senders: SENDERS, inFlight: IN_FLIGHT, killRelayer: false, timeoutMs: THROUGHPUT_TIMEOUT_MS, ratePerSecond: OFFERED_RATE, perRequest: PER_REQUEST }),
      ),
    )
    console.log(`  ${throughputLine(throughput.at(-1)!)}`)
    return gasUnderLoad
  })
  await onFreshNetwork('the run with relayer kills', async (fresh) => {
    throughput.push(
      await phase('throughput, relayer killed twice', () =>
        measureThroughput({ bench: fresh, label: 'relayer killed twice', messages: THROUGHPUT_MESSAGES, senders: SENDERS, inFlight: IN_FLIGHT, killRelayer: true, timeoutMs: THROUGHPUT_TIMEOUT_MS, perRequest: PER_REQUEST }),
      ),
    )
    console.log(`  ${throughputLine(throughput.at(-1)!)}`)
  })
  const gas: BenchResults['gas'] = { ...gasOnQuietNetwork, underLoad }

  // 1b. The Gateway's paths, its L1 cost, and L1 from L2 (the lending round trip), on a network with a Gateway.
  const gatewayDir = mkdtempSync(join(tmpdir(), 'junction-bench-gateway-'))
  let gatewayGas: GatewayL1Gas
  let ledgerGas: LedgerGas[]
  let lending: LendingResult
  let migration: MigrationResult
  let instruction: InstructionResult
  const withGateway = await phase('start Junction with a Gateway (L1, Gateway; alpha, beta on it; gamma, delta on L1)', () =>
    startJunctionBenchNetwork({ dataDir: gatewayDir, chains: 4, onGateway: ['alpha', 'beta'] }),
  )
  try {
    const store = openStore(join(gatewayDir, 'junction.db'))
    try {
      for (const path of messagePaths(withGateway.manifest).paths.filter((p) => p.name !== 'L1-settled')) {
        latency.push(
          await phase(`latency, ${path.name}`, () =>
            measureLatency({ manifest: withGateway.manifest, path, recipient: withGateway.recipient, senderKey: withGateway.manifest.accounts.users[4]!.privateKey, count: LATENCY_MESSAGES, ratePerSecond: RATE, store }),
          ),
        )
        console.log(`  ${latencyLine(latency.at(-1)!)}`)
      }
      absentPaths = absentPaths.filter((a) => !a.startsWith('Gateway'))
      lending = await phase('lending round trip from alpha (on the Gateway)', () => measureLending({ manifest: withGateway.manifest, chainName: 'alpha', runs: quick ? 3 : 20 }))
      gatewayGas = await phase('L1 gas of the Gateway batches', () => measureGatewayL1Gas(withGateway.manifest, store))
      // L1's ledger cost of a token transfer on each path (docs/protocol.md §9.11): none between two Gateway chains.
      ledgerGas = await phase("L1 ledger cost of a token transfer per path", () =>
        measureLedgerGas({ manifest: withGateway.manifest, index: new JunctionIndex(withGateway.manifest, { store, syncFromChains: false }), store, userKey: withGateway.manifest.accounts.users[3]!.privateKey }),
      )
      // 1c. A multi-bank instruction between alpha, beta (on the Gateway) and gamma (on L1), before gamma moves.
      instruction = await phase(`multi-bank instruction, ${INSTRUCTION_RUNS} runs`, () =>
        measureInstruction({ manifest: withGateway.manifest, index: new JunctionIndex(withGateway.manifest, { store, syncFromChains: false }), runs: INSTRUCTION_RUNS }),
      )
      for (const [what, figure] of instructionLines(instruction)) console.log(`  ${what}: ${figure}`)
      // 1d. A chain moved to the Gateway and back under traffic (docs/protocol.md §11).
      const named = (name: string) => withGateway.manifest.chains.find((chain) => chain.name === name)!
      const users = withGateway.manifest.accounts.users
      migration = await phase('settlement-layer migration under traffic', () =>
        measureMigration({ manifest: withGateway.manifest, store, chain: named('gamma'), peer: named('alpha'), recipient: withGateway.recipient, senderKeys: [users[1]!.privateKey, users[2]!.privateKey], roundTrips: quick ? 1 : 3, ratePerSecond: 5 }),
      )
      // 1e. Committed finality (opt-in, docs/protocol.md §12) on the same-layer paths: with the development
      // verifier (batches proven at once), then with a simulated prover taking 1 s per batch, proven and committed.
      const sameLayer = messagePaths(withGateway.manifest).paths.filter((p) => !p.hop)
      const variants: { label: string; core: string[]; relayer: string[]; committed: boolean }[] = [
        { label: 'committed finality', core: ['--finality', 'committed'], relayer: ['--finality', 'committed'], committed: true },
        { label: 'prover 1 s', core: ['--proof-delay-ms', '1000'], relayer: [], committed: false },
        { label: 'prover 1 s, committed finality', core: ['--proof-delay-ms', '1000', '--finality', 'committed'], relayer: ['--finality', 'committed'], committed: true },
      ]
      for (const variant of variants) {
        await withGateway.restartCore(variant.core)
        await withGateway.restartRelayer(variant.relayer)
        for (const path of sameLayer) {
          const named = { ...path, name: `${path.name}, ${variant.label}`, committedFinality: variant.committed }
          latency.push(
            await phase(`latency, ${named.name}`, () =>
              measureLatency({ manifest: withGateway.manifest, path: named, recipient: withGateway.recipient, senderKey: users[4]!.privateKey, count: COMMITTED_LATENCY_MESSAGES, ratePerSecond: RATE, store }),
            ),
          )
          console.log(`  ${latencyLine(latency.at(-1)!)}`)
        }
      }
    } finally {
      store.close()
    }
  } finally {
    await withGateway.stop()
    rmSync(gatewayDir, { recursive: true, force: true })
  }

  // The idle network `junction up` starts, without and with its private chains (issue 14: ≤ 10% of one core).
  const idleCpu = [
    await phase('idle network CPU, no private chain', () => measureIdleCpu({ privateChains: 0, seconds: quick ? 10 : 20 })),
    await phase('idle network CPU, 2 private chains', () => measureIdleCpu({ privateChains: 2, seconds: quick ? 10 : 20 })),
  ]
  for (const r of idleCpu) console.log(`  ${idleCpuLine(r)}`)

  // Private interop (bank-a → bank-b) against public interop (alpha → beta) on the same path: both on the Gateway.
  const privateInterop = await phase('private interop latency against public, on the Gateway', () => measurePrivateInterop({ messages: quick ? 10 : 40 }))
  for (const line of privateInteropLines(privateInterop)) console.log(`  ${line}`)

  // The permissioned RPC against the raw node, side by side (issue 14: rates ≥ 0.9×, ≤ 1 ms added to a call).
  const prividiumProxy = await phase('the permissioned RPC against its raw node', () => measurePrividiumProxy({ rounds: quick ? 3 : 5 }))
  for (const line of prividiumProxyLines(prividiumProxy)) console.log(`  ${line}`)

  // 5. Hyperlane.
  let hyperlane: HyperlaneResult | { skipped: string }
  if (values['no-hyperlane']) hyperlane = { skipped: '--no-hyperlane' }
  else {
    // A failure of the peer's run is reported in the results, not allowed to lose every figure before it.
    try {
      hyperlane = await phase('Hyperlane side by side', () => measureHyperlane({ dataDir, sizes: PAYLOAD_SIZES, latencyCount: LATENCY_MESSAGES, ratePerSecond: HYPERLANE_RATE }))
    } catch (error) {
      console.log(`  Hyperlane failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
      hyperlane = { skipped: `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` }
    }
  }

  const l1Path = latency.find((l) => l.path === 'L1-settled')
  const ratios: Record<string, number | null> = {
    [`Junction delivered msg/s ÷ the chain's own ceiling, Junction's block production, batches of ${PER_REQUEST} (steady run)`]: round(throughput[0]!.deliveredPerSecond / ceiling.transactionsPerSecond, 3),
    "Junction delivered msg/s ÷ the chain's ceiling sent one transaction per request (steady run; the ratio of the sixth sitting and before)": round(throughput[0]!.deliveredPerSecond / ceilingOnePerRequest.transactionsPerSecond, 3),
    'Junction delivered msg/s ÷ anvil transfers/s under automine (steady run; the ratio of earlier runs)': round(throughput[0]!.deliveredPerSecond / ceilingAutomine.transactionsPerSecond, 3),
  }
  if (!('skipped' in hyperlane) && l1Path) {
    ratios['latency p50, Junction L1-settled ÷ Hyperlane'] = round(l1Path.latencyMs.p50 / hyperlane.latency.latencyMs.p50, 2)
    ratios['latency p99, Junction L1-settled ÷ Hyperlane'] = round(l1Path.latencyMs.p99 / hyperlane.latency.latencyMs.p99, 2)
    for (const m of gas.messages) {
      const multisig = hyperlane.gas.find((g) => g.payloadBytes === m.payloadBytes && g.ism.startsWith('MessageId'))
      const trusted = hyperlane.gas.find((g) => g.payloadBytes === m.payloadBytes && g.ism === 'TrustedRelayerIsm')
      if (multisig) ratios[`gas send ÷ dispatch, ${m.payloadBytes} B`] = round(m.send / multisig.dispatch, 2)
      if (multisig) ratios[`gas execute alone ÷ process (multisig ISM), ${m.payloadBytes} B`] = round(m.execute / multisig.process, 2)
      if (trusted) ratios[`gas execute alone ÷ process (trusted relayer ISM), ${m.payloadBytes} B`] = round(m.execute / trusted.process, 2)
      if (multisig) ratios[`gas send + execute in executeBundles under load ÷ dispatch + process (multisig), ${m.payloadBytes} B`] = round((m.send + gas.underLoad.executePerBundle) / (multisig.dispatch + multisig.process), 2)
    }
  }

  const processesLeft = leftoverChildren()
  const results: BenchResults = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    command: `npm run bench${quick ? ' -- --quick' : ''}`,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30), node: process.version, anvil: anvilVersion(), loadAverageAtStart },
    durationSeconds: round((performance.now() - benchStarted) / 1000, 1),
    phases,
    ceiling,
    ceilingOnePerRequest,
    ceilingAutomine,
    idle,
    latency,
    absentPaths,
    throughput,
    gas,
    swap,
    transferGas,
    dvp,
    payment,
    instruction,
    gatewayGas,
    ledgerGas,
    lending,
    migration,
    hyperlane,
    ratios,
    rpcOverhead: rpcOverhead(),
    idleCpu,
    privateInterop,
    prividiumProxy,
    processesLeft,
    notes: [
      'Latency: from the send transaction receipt (SDK sendMessage) to the first sight of the recipient event on the destination (10 ms polling). Throughput latency: from eth_sendRawTransaction accepted.',
      'Settlement uses the development verifier (not a zero-knowledge proof). Junction checks a Merkle proof of every message against an imported settlement-layer root; Hyperlane checks what its ISM checks (see its setup).',
      "Chains: anvil --no-mining, --hardfork cancun, on loopback, their blocks produced by Junction's BlockProducer (in the bench process, with the root imports: mined as soon as transactions wait, never two at once); the services and the relayer each run in their own process, as `junction services`.",
      'Executions on destinations: the relayer executes every ready bundle for a destination in one executeBundles transaction (up to 100); a bundle alone goes through executeBundle.',
      'Committed finality (opt-in): bundles execute once the source batch is committed, before it is proven. The development verifier proves a batch at once, so here it saves only the prove and execute transactions; the "prover 1 s" paths simulate a prover taking 1 s per batch (junction services --proof-delay-ms 1000), proven and committed, to show what the mode saves, at the risk docs/protocol.md §12 states.',
      `Figures are measured on a shared 2-core machine: other work on it moves them.`,
    ],
  }
  console.log()
  console.log(markdown(results))
  const written = writeResults(results)
  console.log(`wrote ${written.json} and ${written.dir}/ (report.md, latency-cdf.svg, throughput.svg, l1-gas-per-message.svg)`)
  console.log(`processes left behind: ${processesLeft}`)
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}

/** Starts an L1 + alpha + beta network of its own (its own folder), runs `measure` on it, then stops it and removes the folder. */
async function onFreshNetwork<T>(purpose: string, measure: (bench: JunctionBenchNetwork) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'junction-bench-fresh-'))
  try {
    const fresh = await phase(`start a fresh Junction (L1, alpha, beta on L1) for ${purpose}`, () => startJunctionBenchNetwork({ dataDir: dir }))
    try {
      return await measure(fresh)
    } finally {
      await fresh.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One line of a throughput run's main figures, printed as soon as it ends. */
function throughputLine(t: ThroughputResult): string {
  return `${t.delivered} of ${t.messages} delivered, ${t.deliveredPerSecond}/s; lost ${t.lost}, executed twice ${t.executedTwice}, never mined on the source ${t.notMinedOnSource}, sent again after anvil lost them ${t.resentAfterDrop}, replaced at a higher fee ${t.replacedAfterStuck}`
}

/** Children of this process still running (every one should have been stopped). */
function leftoverChildren(): number {
  let count = 0
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    const children = readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
    // tsx's own esbuild service is a child of this process too: not one of ours.
    count += children.filter((pid) => !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('esbuild')).length
  }
  return count
}

function anvilVersion(): string {
  return execFileSync(findAnvilBinary(), ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim()
}

/** One latency result in a line, printed as the run goes (a run that fails later keeps it in its log). */
function latencyLine(l: LatencyResult): string {
  return `p50 ${l.latencyMs.p50} / p99 ${l.latencyMs.p99} ms (${l.latencyMs.count} msgs, ${l.missing} missing); ${Object.entries(l.stagesMs).map(([k, v]) => `${k} ${v}`).join('; ')}`
}
