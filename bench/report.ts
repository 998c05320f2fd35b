// The results writer: bench/results/<date>.json, and bench/results/<date>/ with report.md and the SVG plots.
import type { IdleCpuResult } from './measure/idleCpu.js'
import type { PrivateInteropPath } from './measure/privateInterop.js'
import { prividiumProxyLines, type PrividiumProxyResult } from './measure/prividiumProxy.js'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CeilingResult } from './measure/anvilCeiling.js'
import type { AmortisedGas, LoadGas, MessageGas } from './measure/gas.js'
import type { HyperlaneResult } from './measure/hyperlane.js'
import type { LatencyResult } from './measure/latency.js'
import type { ThroughputResult } from './measure/throughput.js'
import type { IdleResult } from './measure/idle.js'
import { cdfPoints, lineChart } from './plot/svg.js'
import { round } from '../src/testing/load/stats.js'
import type { GatewayL1Gas } from './measure/gateway.js'
import type { LedgerGas } from './measure/ledgerGas.js'
import type { LendingResult } from './measure/lending.js'
import type { MigrationResult } from './measure/migration.js'
import type { DvpResult } from './measure/dvp.js'
import { instructionLines, type InstructionResult } from './measure/instruction.js'
import { paymentLines, type PaymentResult } from './measure/payment.js'
import type { SwapResult, TransferGas } from './measure/swap.js'

export type BenchResults = {
  date: string
  mode: 'full' | 'quick'
  command: string
  machine: { cpus: number; cpu: string | undefined; memoryGiB: number; node: string; anvil: string; loadAverageAtStart: number[] }
  durationSeconds: number
  phases: { name: string; seconds: number }[]
  /** The chain's own ceiling in Junction's block production (before #16's block production: automine, in `ceiling`). */
  ceiling: CeilingResult
  /** The same sent one transaction per request, in the same run (absent before the seventh sitting: `ceiling` was sent so then). */
  ceilingOnePerRequest?: CeilingResult
  /** The same under automine, in the same run (absent in results written before #16). */
  ceilingAutomine?: CeilingResult
  /** The whole network idle (absent in results written before #16). */
  idle?: IdleResult
  latency: LatencyResult[]
  absentPaths: string[]
  throughput: ThroughputResult[]
  gas: { messages: MessageGas[]; bundles: Record<string, { send: number; execute: number }>; amortised: AmortisedGas[]; underLoad: LoadGas }
  /** The one-click cross-chain swap between two chains settling on L1. */
  swap: SwapResult
  /** Gas of one chain → chain token transfer, source and destination. */
  transferGas: TransferGas
  /** Delivery versus payment as an atomic flow (absent in results written before it was measured). */
  dvp?: DvpResult
  payment?: PaymentResult
  /** Multi-bank instruction sync (absent in results written before it was measured). */
  instruction?: InstructionResult
  /** The Gateway's batches on L1. */
  gatewayGas: GatewayL1Gas
  /** L1's ledger cost of a token transfer per path (absent in results written before it was measured). */
  ledgerGas?: LedgerGas[]
  /** The L1 lending round trip from a chain on the Gateway. */
  lending: LendingResult
  /** A chain moved between L1 and the Gateway under traffic. */
  migration: MigrationResult
  hyperlane: HyperlaneResult | { skipped: string }
  ratios: Record<string, number | null>
  rpcOverhead: { applicable: false; note: string }
  /** The idle `junction up` network's CPU, without and with private chains (bench/measure/idleCpu.ts). */
  idleCpu?: IdleCpuResult[]
  /** Private interop (bank-a → bank-b) against public interop (alpha → beta), both on the Gateway (bench/measure/privateInterop.ts). */
  privateInterop?: PrivateInteropPath[]
  /** The permissioned RPC against its raw node (bench/measure/prividiumProxy.ts). */
  prividiumProxy?: PrividiumProxyResult
  processesLeft: number
  notes: string[]
}

const fmt = (n: number) => n.toLocaleString('en-US')

/** The markdown table of the figures. */
export function markdown(r: BenchResults): string {
  const rows: [string, string][] = []
  for (const ceiling of [r.ceiling, r.ceilingOnePerRequest, r.ceilingAutomine]) {
    if (ceiling) rows.push(['anvil ceiling: plain transfers, ' + ceiling.mode, `${fmt(ceiling.transactionsPerSecond)} tx/s (${fmt(ceiling.transactions)} tx, ${ceiling.senders} senders${ceiling.transactionsPerBlock ? `, ${ceiling.transactionsPerBlock} per block` : ''})`])
  }
  if (r.idle) rows.push([`idle network CPU (every node, the block producers, the services, the relayer), ${r.idle.seconds} s after ${r.idle.quietSeconds} s without a block`, `${r.idle.cores} of one core (${r.idle.processes.map((p) => `${p.name} ${p.cores}`).join('; ')}); ${r.idle.blocks} blocks meanwhile`])
  for (const l of r.latency) {
    rows.push([`latency ${l.path} (${l.from} → ${l.to}), send receipt → delivered, ${l.latencyMs.count} msgs at ${l.ratePerSecond}/s`, `p50 ${fmt(l.latencyMs.p50)} / p95 ${fmt(l.latencyMs.p95)} / p99 ${fmt(l.latencyMs.p99)} ms (${l.missing} missing)`])
    rows.push([`  where it goes (medians, ms)`, Object.entries(l.stagesMs).map(([k, v]) => `${k} ${v}`).join('; ')])
  }
  for (const a of r.absentPaths) rows.push([`latency: path not measured`, a])
  const s = r.swap
  rows.push([`one-click swap ${s.from} → ${s.to} → ${s.from} (L1-settled), signature → Y arrived, ${s.runs} runs`, `p50 ${fmt(s.roundTripMs.p50)} / p95 ${fmt(s.roundTripMs.p95)} / max ${fmt(s.roundTripMs.max)} ms; first leg (executed on ${s.to}) p50 ${fmt(s.firstLegMs.p50)} ms; ${s.refunded} refunded`])
  const tg = r.transferGas
  rows.push([`gas: token transfer ${tg.from} → ${tg.to}, source sendBundle (indirect call through the L2 asset router) / destination executeBundle of it alone (mean of ${tg.samples})`, `${fmt(tg.source)} / ${fmt(tg.destination)}`])
  const d = r.dvp
  if (d) {
    rows.push([`delivery versus payment, bond on ${d.bondChain} / cash on ${d.cashChain} (home), second lock → decision / → both released, ${d.runs} runs`, `p50 ${fmt(d.secondLockToDecisionMs.p50)} / p95 ${fmt(d.secondLockToDecisionMs.p95)} ms; p50 ${fmt(d.secondLockToBothReleasedMs.p50)} / p95 ${fmt(d.secondLockToBothReleasedMs.p95)} ms; ${d.refunded} refunded`])
    rows.push([`  gas: createFlow; lock home leg / escrow leg; execute "locked" + decide; execute "release"`, `${fmt(d.gas.createFlow)}; ${fmt(d.gas.lockHomeLeg)} / ${fmt(d.gas.lockEscrowLeg)}; ${fmt(d.gas.executeLockedAndDecide)}; ${fmt(d.gas.executeRelease)}`])
  }
  if (r.payment) rows.push(...paymentLines(r.payment))
  if (r.instruction) rows.push(...instructionLines(r.instruction))
  rows.push([`L1 gas per Gateway batch (commit + prove + execute, ${r.gatewayGas.batches} batches, ${r.gatewayGas.messagesPerBatchInRun} chain messages per batch in the run)`, fmt(r.gatewayGas.perBatch)])
  rows.push([`L1 gas per message under a Gateway batch, at ${r.gatewayGas.perMessage.map((p) => fmt(p.messagesPerBatch)).join(' / ')} messages per batch`, r.gatewayGas.perMessage.map((p) => fmt(p.gas)).join(' / ')])
  const ap = r.gatewayGas.approvals
  if (ap) rows.push([`Gateway gas of the asset tracker's approvals (docs/protocol.md §9.10), ${fmt(ap.transactions)} transactions, ${fmt(ap.messages)} messages`, `${fmt(ap.gasPerTransaction)} per transaction, ${fmt(ap.gasPerMessage)} per message`])
  for (const g of r.ledgerGas ?? []) rows.push([`L1 ledger cost of a token transfer, ${g.path} (${g.from} → ${g.to}): the ledger keeper's L1 transactions`, g.l1Transactions === 0 ? 'none (0 gas): accounted on the Gateway' : `${g.l1Transactions} transaction(s), ${fmt(g.l1Gas)} gas`])
  rows.push([`lending round trip from ${r.lending.chain} (one signature → stablecoin on the chain), ${r.lending.runs} runs`, `p50 ${fmt(r.lending.roundTripMs.p50)} / p95 ${fmt(r.lending.roundTripMs.p95)} / max ${fmt(r.lending.roundTripMs.max)} ms`])
  rows.push([`lending L1 gas: borrow bundle (first, with the alias account's deployment / later); repay: finalize withdrawal, bundle`, `${fmt(r.lending.l1Gas.borrowBundleFirst)} / ${fmt(r.lending.l1Gas.borrowBundleLater)}; ${fmt(r.lending.l1Gas.repayFinalizeWithdrawal)}, ${fmt(r.lending.l1Gas.repayBundle)} (way back ${fmt(r.lending.repayMs)} ms)`])
  const m = r.migration
  rows.push([
    `migration of ${m.chain} L1 → Gateway → L1, ${m.roundTrips} round trip(s), ${m.messages.ratePerSecond} msg/s to and from it meanwhile`,
    `to the Gateway p50 ${fmt(m.toGatewayMs.p50)} ms, back to L1 p50 ${fmt(m.toL1Ms.p50)} ms; ${m.messages.sent} messages, lost ${m.messages.lost}, executed twice ${m.messages.executedTwice}`,
  ])
  rows.push([`  admin gas: L1 migrateChain to the Gateway; back: L1 start, Gateway release, L1 finalize`, `${fmt(m.gas.migrateToGatewayL1)}; ${fmt(m.gas.startReturnL1)}, ${fmt(m.gas.releaseOnGateway)}, ${fmt(m.gas.finalizeReturnL1)}`])
  for (const t of r.throughput) {
    const engine = [t.notMinedOnSource ? `${t.notMinedOnSource} sends never mined on the source` : '', t.sendReverted ? `${t.sendReverted} sends reverted` : '', t.resentAfterDrop ? `${t.resentAfterDrop} sends anvil lost were sent again` : '', t.replacedAfterStuck ? `${t.replacedAfterStuck} sends anvil kept unmined were replaced at a higher fee` : ''].filter(Boolean).join(', ')
    rows.push([
      `throughput ${t.label}: ${fmt(t.messages)} msgs, ${t.senders} senders, ${t.offeredPerSecond ? `sent at ${fmt(t.offeredPerSecond)}/s, ` : ''}at most ${fmt(t.inFlight)} on their way, alpha ⇄ beta`,
      `${fmt(t.deliveredPerSecond)} msg/s delivered (peak ${fmt(t.peakPerSecond)}/s), lost ${t.lost}, executed twice ${t.executedTwice}, ${t.totalSeconds} s${engine ? ` (${engine})` : ''}`,
    ])
    rows.push([`  sends accepted; latency under this load`, `${fmt(t.acceptedPerSecond)} tx/s; p50 ${fmt(t.latencyMs.p50)} / p99 ${fmt(t.latencyMs.p99)} ms`])
    if (t.relayerKills.length) rows.push([`  relayer SIGKILLed and restarted`, t.relayerKills.map((k) => `at ${k.atSeconds} s (${k.atDelivered} delivered)`).join(', ')])
    if (t.relayerErrors.count) rows.push([`  relayer errors reported (it retries)`, `${t.relayerErrors.count}: ${t.relayerErrors.distinct.join(' / ')}`])
  }
  const t0 = r.throughput[0]
  if (t0) {
    rows.push([`  CPU over the run (cores busy)`, t0.cpu.processes.map((p) => `${p.name} ${p.cores}`).join('; ')])
    rows.push([`  time inside each service loop (share of wall time)`, t0.services.slice(0, 7).map((s) => `${s.name} ${s.share}`).join('; ')])
    const relay = t0.services.find((s) => s.name === 'relay')
    if (relay?.steps) {
      const st = relay.steps
      rows.push([`  relayer steps`, `find ready ${fmt(st.queryMs ?? 0)} ms; build ${fmt(st.proofs ?? 0)} proofs ${fmt(st.proofMs ?? 0)} ms (${round((st.proofMs ?? 0) / Math.max(1, st.proofs ?? 0), 1)} ms each); ${fmt(st.transactions ?? 0)} execute txs (send + receipt; estimated only for a bundle alone) ${fmt(st.sendMs ?? 0)} ms (${fmt(Math.round((st.sendMs ?? 0) / Math.max(1, st.transactions ?? 0)))} ms each)`])
    }
  }
  for (const g of r.gas.messages) rows.push([`gas: sendMessage / execute alone, ${g.payloadBytes}-byte payload (mean of ${g.samples})`, `${fmt(g.send)} / ${fmt(g.execute)}`])
  for (const [size, g] of Object.entries(r.gas.bundles)) rows.push([`gas: sendBundle / executeBundle, ${size} call(s)`, `${fmt(g.send)} / ${fmt(g.execute)}`])
  for (const a of r.gas.amortised) rows.push([`L1 gas, batch of ${fmt(a.messagesInBatch)} (commit + prove + execute)`, `${fmt(a.l1PerBatch)} per batch, ${fmt(a.l1PerMessage)} per message`])
  const u = r.gas.underLoad
  rows.push([`under load (default policy, ${fmt(u.messages)} msgs): L1 gas per message; destination gas per bundle`, `${fmt(u.l1PerMessage)} (${u.l1Batches} batches in ${u.l1Transactions} L1 txs); ${fmt(u.executePerBundle)} (${u.executeTransactions} txs)`])
  if ('skipped' in r.hyperlane) rows.push(['Hyperlane', `skipped: ${r.hyperlane.skipped}`])
  else {
    const h = r.hyperlane
    rows.push([`Hyperlane ${h.version} latency, dispatch receipt → delivered (${h.latency.ism}), ${h.latency.latencyMs.count} msgs at ${h.latency.ratePerSecond}/s`, `p50 ${fmt(h.latency.latencyMs.p50)} / p95 ${fmt(h.latency.latencyMs.p95)} / p99 ${fmt(h.latency.latencyMs.p99)} ms (${h.latency.missing} missing)`])
    for (const g of h.gas) rows.push([`Hyperlane gas: dispatch / process, ${g.payloadBytes}-byte payload, ${g.ism} (mean of 3)`, `${fmt(g.dispatch)} / ${fmt(g.process)}`])
  }
  for (const [k, v] of Object.entries(r.ratios)) rows.push([`ratio: ${k}`, v === null ? 'n/a' : String(v)])
  rows.push(['RPC overhead', r.rpcOverhead.note])
  for (const p of r.privateInterop ?? []) rows.push([`interop latency, ${p.path}, one message at a time`, `p50 ${p.latencyMs.p50} ms, p95 ${p.latencyMs.p95} ms (${p.latencyMs.count} messages)`])
  if (r.prividiumProxy) for (const line of prividiumProxyLines(r.prividiumProxy)) rows.push(['permissioned RPC against its raw node', line])
  for (const idle of r.idleCpu ?? []) rows.push([`idle network CPU, ${idle.anvils} anvils, ${idle.privateChains} private chains (target ≤ 10% of one core)`, `${idle.totalPercent}% (anvils ${idle.anvilsPercent}%, services + proxies + checkpoints ${idle.servicesPercent}%) over ${idle.windowSeconds} s`])
  return [
    `# Junction bench, ${r.date.slice(0, 10)} (${r.mode})`,
    '',
    `Command: \`${r.command}\`. Machine: ${r.machine.cpus} × ${r.machine.cpu ?? '?'}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.anvil}; load average at start ${r.machine.loadAverageAtStart.join(' / ')}. Took ${r.durationSeconds} s.`,
    '',
    '| figure | value |',
    '|---|---|',
    ...rows.map(([a, b]) => `| ${a} | ${b} |`),
    '',
    ...r.notes.map((n) => `- ${n}`),
    '',
  ].join('\n')
}

/** Writes the JSON, the markdown and the plots; returns the paths. */
export function writeResults(r: BenchResults, root = 'bench/results'): { json: string; dir: string } {
  const day = r.date.slice(0, 10)
  const dir = join(root, day)
  mkdirSync(dir, { recursive: true })
  const json = join(root, `${day}.json`)
  writeFileSync(json, JSON.stringify(r, null, 2) + '\n')
  writeFileSync(join(dir, 'report.md'), markdown(r))
  const latencySeries = r.latency.map((l) => ({ name: `Junction ${l.path} (${l.latencyMs.count} msgs)`, points: cdfPoints(l.samples), step: true }))
  if (!('skipped' in r.hyperlane)) latencySeries.push({ name: `Hyperlane, ${r.hyperlane.latency.ism} (${r.hyperlane.latency.latencyMs.count} msgs)`, points: cdfPoints(r.hyperlane.latency.samples), step: true })
  writeFileSync(join(dir, 'latency-cdf.svg'), lineChart({ title: 'Latency CDF: send receipt → delivered on the destination', xLabel: 'milliseconds (log)', yLabel: 'fraction of messages', xLog: true, series: latencySeries }))
  writeFileSync(
    join(dir, 'throughput.svg'),
    lineChart({ title: 'Messages delivered per second', xLabel: 'seconds since the first send', yLabel: 'messages / s', series: r.throughput.map((t) => ({ name: `${t.label} (${t.messages} msgs)`, points: t.overTime.map((b) => ({ x: b.t, y: b.perSecond })) })) }),
  )
  writeFileSync(
    join(dir, 'l1-gas-per-message.svg'),
    lineChart({
      title: 'L1 gas per message against batch size',
      xLabel: 'messages per batch (log)',
      yLabel: 'L1 gas per message (log)',
      xLog: true,
      yLog: true,
      markers: true,
      series: [{ name: 'commit + prove + execute of one batch ÷ messages', points: r.gas.amortised.map((a) => ({ x: a.messagesInBatch, y: a.l1PerMessage })) }],
    }),
  )
  return { json, dir }
}

export { round }
