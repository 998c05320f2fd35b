import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { openStore } from '../../store/openStore.js'
import { createRandom } from '../fuzz/random.js'
import { round, summarize, type Summary } from '../load/stats.js'
import { describePools, formatPools, standingOf } from './describeStuck.js'
import { describeFaultPlan, FAULT_KINDS, planFaults, type FaultKind, type PlannedFault } from './faultPlan.js'
import { MessageWatcher, type BundleSighting } from './messageWatcher.js'
import { startSoakNetwork, type SoakNetwork } from './soakNetwork.js'
import { SoakTraffic, soakPaths, type SoakMessage, type SoakPath } from './soakTraffic.js'
import { readChainRecord, verifyDelivery, type DeliveryVerdict } from './verifyDelivery.js'

/** Parameters of {@link runSoak}. */
export type RunSoakParameters = {
  /** Messages in all, over every path. */
  messages: number
  /** The 32-bit seed of the fault plan (and of the payloads): the same seed, the same faults at the same moments. */
  seed: number
  /** Messages per second, over all paths. Default 25. */
  rate?: number
  /** Senders per path. Default 4. */
  sendersPerPath?: number
  /** ZK chains: 3 (alpha, beta on the Gateway; gamma on L1) or 4 (and delta on L1: the L1-settled → L1-settled path). Default 4. */
  chains?: number
  /** Faults of each kind. Default 3 service kills, 3 relayer kills, 2 node restarts, 2 node pauses. */
  faults?: Partial<Record<FaultKind, number>>
  /** The nodes node faults may stop (one drawn per fault). Default `['gamma', 'gateway']`: a chain settling on L1 (source and destination of three paths), and the Gateway (where alpha and beta settle). */
  nodes?: readonly string[]
  /** How long a fault keeps its process or node down: drawn in `[min, max]` ms per kind. */
  durations?: Partial<Record<FaultKind, readonly [number, number]>>
  /** How long a node takes transactions without mining before it crashes, drawn in `[min, max]` ms. Default `[200, 1 500]`. */
  frozenBeforeCrash?: readonly [number, number]
  /** Least time between two faults' starts. Default 15 000 ms. */
  minGapMs?: number
  /** The share of the sending time at the start, and at the end, without faults. Default 0.15 and 0.1. */
  leadIn?: number
  tail?: number
  /** How long every message may take to be delivered after the last fault ended and the last message was sent. Default 120 000 ms. */
  drainTimeoutMs?: number
  /**
   * How long the network may take to recover from a fault (every message sent before it ended delivered);
   * the next fault waits for that, so that a fault is never rescued by the next one (a services restart
   * re-reads everything). Not recovered in time: what is stuck is printed, and the run fails. Default 90 000 ms.
   */
  recoveryTimeoutMs?: number
  /**
   * Checks the checks: also sends one message that must never be delivered (its execution restricted to
   * an address nobody sends from). It is left out of the verdict, and reported on its own: the final
   * reading must find it sent and not executed, with where it stopped. Default false.
   */
  canary?: boolean
  /** The network's folder (default: a new temporary one, removed afterwards unless the run failed). */
  dataDir?: string
  log?: (line: string) => void
}

/** One fault as injected. */
export type InjectedFault = PlannedFault & {
  /** Milliseconds after the start of sending: when it began, and when its process or node ran again. */
  startedMs: number
  endedMs: number
  /**
   * When every message accepted before the fault ended was delivered, in ms after the fault began (its
   * recovery: the time down plus the catch-up); undefined if some never was.
   */
  recoveryMs: number | undefined
  /** Whether it recovered within the recovery timeout, before the next fault (else the next fault waited that long, and the run fails). */
  recoveredInTime: boolean
  /** For a node restart: the head it went down and came back at, and its state's size. */
  detail?: string
}

/** Latency and throughput of a set of messages. */
export type SoakFigures = {
  messages: number
  /** Send accepted by the source node → `BundleExecuted` seen on the destination, in ms. */
  latencyMs: Summary
}

/** Everything a soak run found and measured. `ok` only when every message was delivered exactly once and nothing else was executed. */
export type SoakReport = {
  seed: number
  messages: number
  rate: number
  paths: { name: string; kind: string }[]
  sendersPerPath: number
  plan: PlannedFault[]
  faults: InjectedFault[]
  /** Recovery per kind, p50 and max in ms (undefined where a fault never recovered). */
  recovery: { kind: FaultKind; count: number; p50Ms: number | undefined; maxMs: number | undefined }[]
  verdict: DeliveryVerdict
  /** With `canary`: whether the final reading found the canary sent and never executed (`caught`), and where it stopped. */
  canary?: { caught: boolean; lastStep: string; relayer?: string }
  /** Messages delivered within the drain timeout, as watched during the run. */
  deliveredInTime: number
  /** Latency of messages no fault touched (accepted and delivered outside every fault's window up to its recovery), of the others, and of all, overall and per path. */
  withoutFaults: SoakFigures
  withFaults: SoakFigures
  all: SoakFigures
  perPath: { path: string; withoutFaults: Summary; withFaults: Summary }[]
  /** Delivered per second: before the first fault, and from the first fault to the last delivery; the longest time without a delivery meanwhile. */
  throughput: { offeredPerSecond: number; beforeFaultsPerSecond: number; duringFaultsPerSecond: number; overallPerSecond: number; longestGapMs: number; peakBacklog: number }
  load: { resent: number; replaced: number; sendRetries: number; watcherUnanswered: number }
  serviceErrors: { count: number; byService: { service: string; count: number; first: string }[] }
  machine: { cores: number; loadAverageStart: number[]; loadAverageEnd: number[]; loadAverageMean1m: number }
  timings: { networkMs: number; prepareMs: number; sendMs: number; drainMs: number; verifyMs: number; totalMs: number }
  /** Why the run failed, one line each (empty when `ok`). */
  failures: string[]
  ok: boolean
  dataDir: string
}

const DEFAULT_FAULTS: Record<FaultKind, number> = { 'kill-services': 3, 'kill-relayer': 3, 'restart-node': 2, 'pause-node': 2 }
const DEFAULT_DURATIONS: Record<FaultKind, readonly [number, number]> = {
  'kill-services': [500, 3_000],
  'kill-relayer': [500, 3_000],
  'restart-node': [1_000, 5_000],
  'pause-node': [2_000, 12_000],
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * `npm run soak`: a network of real chains (L1, a Gateway, alpha and beta on it, gamma and delta on L1),
 * its services in two processes of their own as an operator runs them, `messages` messages sent at a
 * steady rate over four paths, and meanwhile faults at moments drawn from `seed`: the services process
 * and the relayer process SIGKILLed and started again, a chain's node crashed and restarted from what
 * its disk keeps, and a node unresponsive for seconds. Afterwards every chain is read again: each
 * message must be executed exactly once on its destination, nothing executed that was never sent, and
 * the store must agree. Measures the time to recover from each fault, and latency and throughput with
 * and without faults.
 *
 * @example
 * ```ts
 * const report = await runSoak({ messages: 10_000, seed: 1 })
 * console.log(formatSoakReport(report))
 * ```
 */
export async function runSoak(parameters: RunSoakParameters): Promise<SoakReport> {
  const started = performance.now()
  const log = parameters.log ?? (() => {})
  const rate = parameters.rate ?? 25
  const sendersPerPath = parameters.sendersPerPath ?? 4
  const counts = { ...DEFAULT_FAULTS, ...parameters.faults }
  const durations = { ...DEFAULT_DURATIONS, ...parameters.durations }
  const dataDir = parameters.dataDir ?? mkdtempSync(join(tmpdir(), 'junction-soak-'))
  const sendingMs = (parameters.messages * 1000) / rate
  const plan = planFaults({
    random: createRandom(parameters.seed).fork('faults'),
    counts,
    fromMs: Math.round(sendingMs * (parameters.leadIn ?? 0.15)),
    toMs: Math.round(sendingMs * (1 - (parameters.tail ?? 0.1))),
    minGapMs: parameters.minGapMs ?? 15_000,
    durations,
    nodes: parameters.nodes ?? ['gamma', 'gateway'],
    frozen: parameters.frozenBeforeCrash ?? [200, 1_500],
  })
  const loadAverageStart = loadavg().map((n) => round(n, 2))
  const loadSamples: number[] = [loadAverageStart[0]!]
  const loadTimer = setInterval(() => loadSamples.push(loadavg()[0]!), 10_000)
  loadTimer.unref()
  log(`soak: ${parameters.messages} messages at ${rate}/s, seed ${parameters.seed}; load average ${loadAverageStart.join(' ')} on ${cpus().length} cores; data dir ${dataDir}`)
  log(`fault plan (ms after the first send):\n  ${describeFaultPlan(plan).join('\n  ')}`)

  let soak: SoakNetwork | undefined
  let failed = true
  try {
    soak = await startSoakNetwork({ dataDir, chains: parameters.chains ?? 4, onProgress: (line) => log(`  ${line}`) })
    const networkMs = performance.now() - started
    const { manifest } = soak
    const paths = soakPaths(manifest)
    log(`network up in ${(networkMs / 1000).toFixed(1)} s; paths: ${paths.map((p) => `${p.name} (${p.kind})`).join(', ')}`)
    const prepareStarted = performance.now()
    const traffic = await SoakTraffic.prepare({ manifest, paths, messages: parameters.messages, rate, sendersPerPath, seed: parameters.seed })
    const canary = parameters.canary ? await traffic.sendCanary() : undefined
    const prepareMs = performance.now() - prepareStarted
    const watcher = new MessageWatcher({ chains: manifest.chains, interopCenter: manifest.l2Contracts.interopCenter, interopHandler: manifest.l2Contracts.interopHandler, senders: traffic.senders })
    await watcher.start()
    const byPayload = new Map<Hex, SoakMessage>(traffic.messages.map((m) => [m.payloadHash, m]))
    const executedAt = new Map<number, number>()
    watcher.onExecuted = (sighting: BundleSighting) => {
      const message = byPayload.get(sighting.payloadHash)
      if (message && !executedAt.has(message.id)) executedAt.set(message.id, sighting.executedSeenAt!)
    }
    log(`signed ${parameters.messages} messages from ${sendersPerPath} senders per path in ${(prepareMs / 1000).toFixed(1)} s; sending for ${(sendingMs / 1000).toFixed(0)} s`)

    // The load, the faults on their schedule, and a line of progress every 10 s.
    let accepted = 0
    let peakBacklog = 0
    const sending = traffic.send(() => accepted++)
    const sendStart = traffic.startedAt
    const injected: InjectedFault[] = []
    /** What is stuck now, for the log: where each path's undelivered messages stand, and every node's pool. */
    const describeStuckNow = async (stuck: SoakMessage[]): Promise<string> => {
      const bundleOf = new Map([...watcher.sent.values()].map((s) => [s.payloadHash, s.bundleHash]))
      const lines = [`  ${stuck.length} message(s) sent before it ended are not delivered:`]
      const store = openStore(join(dataDir, 'junction.db'))
      try {
        for (const [p, path] of paths.entries()) {
          const ofPath = stuck.filter((m) => m.path === p)
          if (ofPath.length === 0) continue
          const first = ofPath[0]!
          const bundleHash = bundleOf.get(first.payloadHash)
          const standing = bundleHash ? await standingOf(manifest, store, bundleHash) : { lastStep: 'its send is not on its source chain yet' }
          lines.push(`    ${ofPath.length} × ${path.name}, the oldest (message ${first.id}${bundleHash ? `, bundle ${bundleHash}` : ''}): ${standing.lastStep}${'delivery' in standing && standing.delivery ? `; relayer: ${standing.delivery}` : '; the relayer has no record of it'}`)
        }
      } finally {
        store.close()
      }
      const names = new Map(traffic.senders.map((address, i) => [address, `soak sender ${i}`]))
      lines.push('  pools (what waits in each node, per sender):', ...formatPools(await describePools(manifest, names)).map((line) => `    ${line}`))
      return lines.join('\n')
    }
    // Recovered from a fault that ended at `endedAt`: every message accepted by then is delivered.
    const undeliveredBy = (endedAt: number) => traffic.messages.filter((m) => m.acceptedAt !== undefined && m.acceptedAt <= endedAt && !executedAt.has(m.id))
    const recoveryTimeoutMs = parameters.recoveryTimeoutMs ?? 90_000
    const faulting = (async () => {
      for (const fault of plan) {
        const wait = sendStart + fault.atMs - performance.now()
        if (wait > 0) await sleep(wait)
        const startedAt = performance.now()
        log(`  fault ${describeFaultPlan([fault])[0]} (starts at ${((startedAt - sendStart) / 1000).toFixed(1)} s)`)
        let detail: string | undefined
        let endedAt: number
        if (fault.kind === 'kill-services') endedAt = await soak!.killServices(fault.durationMs)
        else if (fault.kind === 'kill-relayer') endedAt = await soak!.killRelayer(fault.durationMs)
        else if (fault.kind === 'pause-node') endedAt = await soak!.pauseNode(fault.node!, fault.durationMs)
        else {
          const restart = await soak!.restartNode(fault.node!, fault.frozenMs ?? 0, fault.durationMs)
          endedAt = restart.backAt
          detail = `crashed at block ${restart.head} with ${restart.lostFromPool} transaction(s) in its pool (lost), came back with every block (state ${round(restart.stateBytes / 1e6, 1)} MB)`
        }
        // The next fault waits for this one's recovery: a later restart must not rescue what this one broke.
        while (undeliveredBy(endedAt).length > 0 && performance.now() - endedAt < recoveryTimeoutMs) await sleep(100)
        const stuck = undeliveredBy(endedAt)
        log(`  fault #${fault.index} over after ${((endedAt - startedAt) / 1000).toFixed(1)} s${detail ? ` (${detail})` : ''}; ${stuck.length === 0 ? `recovered after ${((performance.now() - startedAt) / 1000).toFixed(1)} s` : `NOT recovered ${recoveryTimeoutMs / 1000} s after it ended`}`)
        if (stuck.length > 0) log(await describeStuckNow(stuck))
        injected.push({ ...fault, startedMs: startedAt - sendStart, endedMs: endedAt - sendStart, recoveryMs: undefined, recoveredInTime: stuck.length === 0, ...(detail ? { detail } : {}) })
      }
    })()
    const progress = setInterval(() => {
      const backlog = accepted - executedAt.size
      peakBacklog = Math.max(peakBacklog, backlog)
      log(`  ${((performance.now() - sendStart) / 1000).toFixed(0)} s: ${accepted} sent, ${executedAt.size} delivered, ${backlog} on their way`)
    }, 10_000)
    progress.unref()
    try {
      await Promise.all([sending, faulting])
      const sendMs = performance.now() - sendStart
      const drainFrom = performance.now()
      const drainTimeoutMs = parameters.drainTimeoutMs ?? 120_000
      log(`every message sent and every fault over at ${(sendMs / 1000).toFixed(1)} s; waiting up to ${drainTimeoutMs / 1000} s for the deliveries`)
      while (executedAt.size < traffic.messages.length && performance.now() - drainFrom < drainTimeoutMs) await sleep(100)
      const drainMs = performance.now() - drainFrom
      const deliveredInTime = executedAt.size
      if (deliveredInTime < traffic.messages.length) log(await describeStuckNow(traffic.messages.filter((m) => !executedAt.has(m.id))))
      clearInterval(progress)
      await traffic.stop()
      // A second execution would show now: watch one more second before the final reading.
      await sleep(1_000)
      await watcher.stop()
      log(`${deliveredInTime} of ${traffic.messages.length} delivered ${(drainMs / 1000).toFixed(1)} s after the last send and fault; reading every chain again`)

      const verifyStarted = performance.now()
      const store = openStore(join(dataDir, 'junction.db'))
      let verdict: DeliveryVerdict
      let canaryResult: SoakReport['canary']
      try {
        const record = await readChainRecord(manifest)
        verdict = await verifyDelivery(record, { manifest, store, paths, messages: traffic.messages, senders: traffic.senders })
        if (canary) {
          const checked = await verifyDelivery(record, { manifest, store, paths, messages: [canary.message], senders: [canary.sender] })
          const lost = checked.lost[0]
          canaryResult = { caught: checked.sentOnChain === 1 && lost !== undefined, lastStep: lost?.lastStep ?? checked.notSent[0]?.lastStep ?? 'executed', ...(lost?.delivery ? { relayer: lost.delivery } : {}) }
        }
      } finally {
        store.close()
      }
      const verifyMs = performance.now() - verifyStarted
      const figures = measure(traffic.messages, executedAt, injected, paths, sendStart)
      const report: SoakReport = {
        seed: parameters.seed,
        messages: parameters.messages,
        rate,
        paths: paths.map((p) => ({ name: p.name, kind: p.kind })),
        sendersPerPath,
        plan,
        faults: injected,
        recovery: FAULT_KINDS.filter((kind) => counts[kind] > 0).map((kind) => {
          const ofKind = injected.filter((f) => f.kind === kind)
          const recovered = ofKind.flatMap((f) => (f.recoveryMs === undefined ? [] : [f.recoveryMs]))
          const all = recovered.length === ofKind.length
          const s = summarize(recovered)
          return { kind, count: ofKind.length, p50Ms: recovered.length ? s.p50 : undefined, maxMs: all && recovered.length ? s.max : undefined }
        }),
        verdict,
        ...(canaryResult ? { canary: canaryResult } : {}),
        deliveredInTime,
        ...figures,
        throughput: { ...figures.throughput, offeredPerSecond: rate, peakBacklog },
        load: { ...traffic.resent, sendRetries: traffic.retries, watcherUnanswered: watcher.unanswered },
        serviceErrors: summarizeServiceErrors(soak.serviceErrors()),
        machine: { cores: cpus().length, loadAverageStart, loadAverageEnd: loadavg().map((n) => round(n, 2)), loadAverageMean1m: round(loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length, 2) },
        timings: { networkMs: Math.round(networkMs), prepareMs: Math.round(prepareMs), sendMs: Math.round(sendMs), drainMs: Math.round(drainMs), verifyMs: Math.round(verifyMs), totalMs: 0 },
        failures: [],
        ok: false,
        dataDir,
      }
      report.failures = failuresOf(report, traffic.messages.length)
      report.ok = report.failures.length === 0
      report.timings.totalMs = Math.round(performance.now() - started)
      failed = !report.ok
      return report
    } finally {
      clearInterval(progress)
      // After a failure too: nothing may go on sending or reading once the network is stopped.
      await traffic.stop().catch(() => {})
      await watcher.stop().catch(() => {})
    }
  } finally {
    clearInterval(loadTimer)
    await soak?.stop()
    // A failed run keeps its data dir (the store, the node states) for a look afterwards.
    if (!failed && parameters.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Latency with and without faults, recovery of each fault, and throughput. */
function measure(messages: readonly SoakMessage[], executedAt: ReadonlyMap<number, number>, faults: InjectedFault[], paths: readonly SoakPath[], sendStart: number) {
  // Recovery: every message accepted before the fault ended is delivered.
  for (const fault of faults) {
    const endedAt = sendStart + fault.endedMs
    let last = endedAt
    let all = true
    for (const m of messages) {
      if (m.acceptedAt === undefined || m.acceptedAt > endedAt) continue
      const at = executedAt.get(m.id)
      if (at === undefined) all = false
      else last = Math.max(last, at)
    }
    // Rounded up: a recovery is never shorter than the fault it follows (whose times are not whole milliseconds).
    fault.recoveryMs = all ? Math.ceil(last - (sendStart + fault.startedMs)) : undefined
  }
  const windows = faults.map((f) => [sendStart + f.startedMs, f.recoveryMs === undefined ? Infinity : sendStart + f.startedMs + f.recoveryMs] as const)
  const touched = (m: SoakMessage, at: number) => windows.some(([from, to]) => m.acceptedAt! <= to && at >= from)
  const clear: number[] = []
  const hit: number[] = []
  const perPath = paths.map(() => ({ clear: [] as number[], hit: [] as number[] }))
  const deliveries: number[] = []
  for (const m of messages) {
    const at = executedAt.get(m.id)
    if (at === undefined || m.acceptedAt === undefined) continue
    deliveries.push(at)
    const latency = at - m.acceptedAt
    if (touched(m, at)) {
      hit.push(latency)
      perPath[m.path]!.hit.push(latency)
    } else {
      clear.push(latency)
      perPath[m.path]!.clear.push(latency)
    }
  }
  deliveries.sort((a, b) => a - b)
  const firstFault = faults.length ? sendStart + faults[0]!.startedMs : Infinity
  const lastDelivery = deliveries.at(-1) ?? sendStart
  const beforeFaults = deliveries.filter((t) => t < firstFault).length
  const duringFaults = deliveries.length - beforeFaults
  let longestGapMs = 0
  for (let i = 1; i < deliveries.length; i++) if (deliveries[i]! >= firstFault) longestGapMs = Math.max(longestGapMs, deliveries[i]! - deliveries[i - 1]!)
  return {
    withoutFaults: { messages: clear.length, latencyMs: summarize(clear) },
    withFaults: { messages: hit.length, latencyMs: summarize(hit) },
    all: { messages: clear.length + hit.length, latencyMs: summarize([...clear, ...hit]) },
    perPath: paths.map((p, i) => ({ path: p.name, withoutFaults: summarize(perPath[i]!.clear), withFaults: summarize(perPath[i]!.hit) })),
    throughput: {
      beforeFaultsPerSecond: Number.isFinite(firstFault) ? round((beforeFaults * 1000) / (firstFault - sendStart)) : round((deliveries.length * 1000) / Math.max(1, lastDelivery - sendStart)),
      duringFaultsPerSecond: Number.isFinite(firstFault) && lastDelivery > firstFault ? round((duringFaults * 1000) / (lastDelivery - firstFault)) : 0,
      overallPerSecond: round((deliveries.length * 1000) / Math.max(1, lastDelivery - sendStart)),
      longestGapMs: Math.round(longestGapMs),
    },
  }
}

/** Service errors by service name (each line is `[time] service: message`). */
function summarizeServiceErrors(lines: { process: string; line: string }[]): SoakReport['serviceErrors'] {
  const byService = new Map<string, { count: number; first: string }>()
  for (const { process, line } of lines) {
    const match = /^\[[^\]]+\] ([^:]+): (.*)$/.exec(line)
    const service = `${process}: ${match?.[1] ?? 'other'}`
    const entry = byService.get(service) ?? { count: 0, first: (match?.[2] ?? line).slice(0, 160) }
    entry.count++
    byService.set(service, entry)
  }
  return { count: lines.length, byService: [...byService].map(([service, e]) => ({ service, ...e })).sort((a, b) => b.count - a.count) }
}

function failuresOf(report: SoakReport, expected: number): string[] {
  const v = report.verdict
  const failures: string[] = []
  if (v.lost.length) failures.push(`${v.lost.length} message(s) sent and never executed`)
  if (v.executedTwice.length) failures.push(`${v.executedTwice.length} bundle(s) executed more than once`)
  if (v.executedElsewhere.length) failures.push(`${v.executedElsewhere.length} execution(s) on another chain than the bundle's destination`)
  if (v.executedNeverSent.length) failures.push(`${v.executedNeverSent.length} execution(s) of bundles never sent`)
  if (v.notSent.length) failures.push(`${v.notSent.length} message(s) whose send is not on its source chain (the load's failure: the run proves nothing about them)`)
  const s = v.store
  if (s.notIndexedAsSent || s.notIndexedAsExecuted || s.executedOnWrongChain || s.stillPending) {
    failures.push(`the store disagrees with the chains: ${s.notIndexedAsSent} not indexed as sent, ${s.notIndexedAsExecuted} not as executed, ${s.executedOnWrongChain} on the wrong chain, ${s.stillPending} still pending`)
  }
  const unrecovered = report.faults.filter((f) => !f.recoveredInTime)
  if (unrecovered.length) failures.push(`no recovery within the recovery timeout from fault(s) ${unrecovered.map((f) => `#${f.index} (${f.kind}${f.node ? ` ${f.node}` : ''})`).join(', ')}`)
  if (report.deliveredInTime < expected && v.lost.length === 0) failures.push(`${expected - report.deliveredInTime} message(s) delivered only after the drain timeout`)
  if (v.executedOnce !== expected) failures.push(`${v.executedOnce} of ${expected} messages executed exactly once on their destination`)
  if (report.canary && !report.canary.caught) failures.push(`the canary, a message that must not be delivered, was not reported as such (${report.canary.lastStep}): the checks are blind`)
  return failures
}

const ms = (n: number | undefined) => (n === undefined ? 'never' : n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n).toLocaleString('en-US')} ms`)
const lat = (s: Summary) => `p50 ${ms(s.p50)} / p95 ${ms(s.p95)} / p99 ${ms(s.p99)} / max ${ms(s.max)} (${s.count})`

/**
 * The report of a soak run as text: the faults and their recovery, the delivery verdict, latency and
 * throughput with and without faults, what is stuck and where, and the verdict.
 *
 * @example
 * ```ts
 * console.log(formatSoakReport(await runSoak({ messages: 300, seed: 1 })))
 * ```
 */
export function formatSoakReport(report: SoakReport): string {
  const v = report.verdict
  const lines = [
    `soak, seed ${report.seed}: ${report.messages} messages at ${report.rate}/s over ${report.paths.map((p) => `${p.name} (${p.kind})`).join(', ')}; ${report.sendersPerPath} senders per path`,
    `machine: ${report.machine.cores} cores, load average ${report.machine.loadAverageStart.join(' ')} at the start, ${report.machine.loadAverageEnd.join(' ')} at the end (1-minute mean ${report.machine.loadAverageMean1m})`,
    '',
    'faults (time after the first send; down = until its process or node ran again; recovered = until every message sent before it ended was delivered):',
    ...report.faults.map((f) => `  #${f.index} ${f.kind}${f.node ? ` ${f.node}` : ''} at ${(f.startedMs / 1000).toFixed(1)} s: down ${ms(f.endedMs - f.startedMs)}, recovered after ${ms(f.recoveryMs)}${f.recoveredInTime ? '' : ' (NOT within the recovery timeout)'}${f.detail ? `; ${f.detail}` : ''}`),
    ...report.recovery.map((r) => `  ${r.kind}: ${r.count} injected, recovery p50 ${ms(r.p50Ms)}, max ${ms(r.maxMs)}`),
    '',
    `delivery (every chain read again from block 0): ${v.sentOnChain} sent on chain, ${v.executedOnce} executed exactly once on their destination; lost ${v.lost.length}, executed twice ${v.executedTwice.length}, elsewhere ${v.executedElsewhere.length}, executed but never sent ${v.executedNeverSent.length}, not sent by the load ${v.notSent.length}`,
    ...(report.canary ? [`canary (a message whose execution is restricted to an address nobody sends from): ${report.canary.caught ? 'caught' : 'NOT caught'}, found sent and not executed, at ${report.canary.lastStep}${report.canary.relayer ? `; relayer: ${report.canary.relayer}` : ''}`] : []),
    `store: ${v.store.notIndexedAsSent} not indexed as sent, ${v.store.notIndexedAsExecuted} not indexed as executed, ${v.store.executedOnWrongChain} on a wrong chain, ${v.store.stillPending} still pending`,
    `delivered in time: ${report.deliveredInTime} of ${report.messages} (${ms(report.timings.drainMs)} after the last send and fault)`,
    '',
    `latency, send accepted → executed on the destination: without faults ${lat(report.withoutFaults.latencyMs)}; through a fault ${lat(report.withFaults.latencyMs)}; all ${lat(report.all.latencyMs)}`,
    ...report.perPath.map((p) => `  ${p.path}: without faults ${lat(p.withoutFaults)}; through a fault ${lat(p.withFaults)}`),
    `throughput: offered ${report.throughput.offeredPerSecond}/s; delivered ${report.throughput.beforeFaultsPerSecond}/s before the first fault, ${report.throughput.duringFaultsPerSecond}/s from it to the last delivery, ${report.throughput.overallPerSecond}/s overall; longest time without a delivery after the first fault ${ms(report.throughput.longestGapMs)}; most messages on their way ${report.throughput.peakBacklog}`,
    `load: ${report.load.resent} send(s) a node lost sent again, ${report.load.replaced} replaced at a higher fee, ${report.load.sendRetries} send attempt(s) to a node that did not answer`,
    `service errors (they retry): ${report.serviceErrors.count}${report.serviceErrors.byService.length ? '' : ''}`,
    ...report.serviceErrors.byService.slice(0, 12).map((e) => `  ${e.count} × ${e.service}: ${e.first}`),
    `time: network ${ms(report.timings.networkMs)}, signing ${ms(report.timings.prepareMs)}, sending ${ms(report.timings.sendMs)}, drain ${ms(report.timings.drainMs)}, checks ${ms(report.timings.verifyMs)}, in all ${ms(report.timings.totalMs)}`,
  ]
  const stuck = [...v.lost, ...v.notSent]
  if (stuck.length) {
    lines.push('', `not delivered (${stuck.length}), by path and where each stopped:`)
    const groups = new Map<string, typeof stuck>()
    for (const s of stuck) {
      const key = `${s.path}: ${s.lastStep.replace(/\d+/g, 'N')}`
      groups.set(key, [...(groups.get(key) ?? []), s])
    }
    for (const [, group] of groups) {
      const first = group[0]!
      lines.push(`  ${group.length} × ${first.path}, e.g. message ${first.id}${first.bundleHash ? ` (bundle ${first.bundleHash})` : ''}: ${first.lastStep}${first.delivery ? `; relayer: ${first.delivery}` : '; the relayer has no record of it'}`)
    }
  }
  if (v.executedTwice.length) lines.push(`executed twice: ${v.executedTwice.slice(0, 10).map((e) => `${e.bundleHash} ×${e.executions}`).join(', ')}`)
  if (v.executedNeverSent.length) lines.push(`executed but never sent: ${v.executedNeverSent.slice(0, 10).map((e) => `${e.bundleHash} on ${e.chainId}`).join(', ')}`)
  lines.push('', report.ok ? 'VERDICT: PASS — 0 lost, 0 executed twice, nothing executed that was not sent' : `VERDICT: FAIL — ${report.failures.join('; ')}${report.dataDir ? ` (data dir kept: ${report.dataDir})` : ''}`)
  return lines.join('\n')
}
