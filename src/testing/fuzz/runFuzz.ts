import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hex, PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../chain/ChainConnection.js'
import { ContractRevertedError } from '../../errors/ContractRevertedError.js'
import { startNetwork, type RunningNetwork } from '../../network/startNetwork.js'
import { NetworkServices } from '../../services/NetworkServices.js'
import type { Store } from '../../store/openStore.js'
import { SeedNotValidError } from './errors.js'
import { forgeOne, validCallsOf } from './forge.js'
import { encodeFuzzCall, type Forgery } from './fuzzCall.js'
import { prepareFuzzScenario, type FuzzScenario } from './fuzzScenario.js'
import { createRandom } from './random.js'
import type { FuzzSeed } from './seeds.js'
import { until } from './until.js'
import { sendForgeries, type SentForgery } from './sendForgeries.js'
import { compareSnapshots, snapshotAccounts, type OwnTransactions, type StateChange } from './stateSnapshot.js'

/** Parameters of {@link runFuzz}. */
export type RunFuzzParameters = {
  /** How many forgeries to send. */
  count: number
  /** The 32-bit seed every forgery is drawn from: the same seed makes the same forgeries. */
  seed: number
  /** Also forge the finalization of a chain's return from the Gateway (holds one move; ~10 s more). Default true. */
  migration?: boolean
  /** Concurrent senders per chain. Default 3. */
  lanesPerChain?: number
  /**
   * Checks the fuzzer itself: also sends, among the forgeries, the valid call of one seed (an ETH
   * withdrawal's finalization). It must come out as a finding (`accepted`), the state check must see what
   * it moved, and the seed must no longer execute afterwards: a run with a canary never passes.
   */
  canary?: boolean
  log?: (line: string) => void
}

/** The mutator name of the canary (`RunFuzzParameters.canary`): a valid call, not a forgery. */
export const CANARY = 'canary: a valid call, not forged'

/** What one seed did after the fuzz: it still executed once, and its replay was refused. */
export type SeedAfterFuzz = { seed: FuzzSeed; executed: boolean; executeError?: string; replayError?: string }

/** Everything a fuzz run found. `ok` only when every forgery was refused by name and nothing changed. */
export type FuzzReport = {
  seed: number
  count: number
  seeds: FuzzSeed[]
  sent: SentForgery[]
  /** Guarded accounts whose state changed during the fuzz (none, when all is well). */
  stateChanges: StateChange[]
  guardedAccounts: number
  /** The valid seeds, executed once after the fuzz, and their replays. */
  seedsAfter: SeedAfterFuzz[]
  /** Errors the services met during the run (they retry; for diagnosis). */
  serviceErrors: string[]
  timings: { networkMs: number; seedsMs: number; forgeMs: number; sendMs: number; checkMs: number; totalMs: number }
  ok: boolean
}

/**
 * `npm run fuzz`: starts a network of real chains (an L1, a Gateway, alpha and beta on it, gamma and delta on
 * L1) with its services but no relayer and no ledger keeper, makes real traffic on every path and keeps its
 * valid calls unexecuted ({@link prepareFuzzScenario}), forges `count` calls from them (deterministic for
 * `seed`), sends each as a real transaction to the handlers' ABI, checks that every one was refused with a
 * named error and that no guarded account changed, then executes each valid seed once and replays it.
 *
 * @example
 * ```ts
 * const report = await runFuzz({ count: 10_000, seed: 1 })
 * console.log(formatFuzzReport(report))
 * ```
 */
export async function runFuzz(parameters: RunFuzzParameters): Promise<FuzzReport> {
  const started = performance.now()
  const log = parameters.log ?? (() => {})
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-fuzz-'))
  const serviceErrors: string[] = []
  let network: RunningNetwork | undefined
  let services: NetworkServices | undefined
  try {
    network = await startNetwork({ basePort: 0, dataDir, chains: 4, onGateway: ['alpha', 'beta'], services: false })
    const { manifest } = network
    services = new NetworkServices({ manifest, dataDir, relay: false, ledgerKeeper: false, onError: (service, error) => serviceErrors.push(`${service}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`) })
    services.start()
    const networkMs = performance.now() - started
    log(`network up in ${Math.round(networkMs)} ms (${manifest.chains.length + 1} chains)`)

    const scenario = await prepareFuzzScenario({ manifest, store: services.store, migration: parameters.migration ?? true, log })
    const connections = new Map<number, ChainConnection>([[manifest.l1.chainId, new ChainConnection(manifest.l1)], ...manifest.chains.map((info) => [info.chainId, new ChainConnection(info)] as const)])
    await checkSeedsAreValid(scenario, connections)
    const seedsMs = performance.now() - started - networkMs
    log(`every valid seed would succeed now (checked with eth_call)`)

    const forgeStarted = performance.now()
    const random = createRandom(parameters.seed)
    const valid = validCallsOf(scenario.seeds)
    const forgeries: Forgery[] = Array.from({ length: parameters.count }, (_, i) => forgeOne({ context: scenario.context, valid, random: random.fork(`forgery ${i}`) }))
    if (parameters.canary) {
      const seed = scenario.seeds.find((s) => s.state === 'unexecuted' && s.call.fn === 'finalizeWithdrawal')
      if (!seed) throw new Error('no unexecuted withdrawal to use as a canary')
      forgeries.splice(random.fork('canary').int(forgeries.length + 1), 0, { seedId: seed.id, mutators: [CANARY], call: seed.call })
    }
    const forgeMs = performance.now() - forgeStarted

    const clients = new Map<number, PublicClient>([...connections].map(([id, connection]) => [id, connection.client]))
    // The senders are guarded too, on every chain: their nonces and fees are accounted, any other change shows.
    const senderAddresses = [...scenario.senders, scenario.unbundler].map((key) => privateKeyToAccount(key).address)
    const guarded = [...scenario.guarded, ...[...connections.keys()].flatMap((chainId) => senderAddresses.map((address, i) => ({ chainId, label: `fuzz sender ${i} on ${chainId}`, address })))]
    // Nothing in flight that would change a guarded account by right: every queued deposit processed.
    await until('every priority request queued to be processed', () => (unprocessedRequests(services!.store) === 0 ? true : undefined), 90_000)
    const before = await snapshotAccounts(guarded, clients)
    const sendStarted = performance.now()
    let done = 0
    let windowMs = { send: 0, receipt: 0, trace: 0 }
    const sent = await sendForgeries({
      forgeries,
      addresses: scenario.addresses,
      connections,
      senders: scenario.senders,
      unbundler: scenario.unbundler,
      ...(parameters.lanesPerChain !== undefined ? { lanesPerChain: parameters.lanesPerChain } : {}),
      onSent: (one) => {
        done++
        if (one.outcome.kind === 'accepted' || one.outcome.kind === 'unnamed') log(`FINDING #${one.index} ${one.forgery.call.fn} on ${one.chainId} [${one.forgery.mutators.join(' + ')}] from ${one.forgery.seedId}: ${one.outcome.kind} ${'error' in one.outcome ? one.outcome.error : ''} (${one.txHash})`)
        windowMs = { send: windowMs.send + one.ms.send, receipt: windowMs.receipt + one.ms.receipt, trace: windowMs.trace + one.ms.trace }
        if (done % 1_000 === 0) {
          const mean = (ms: number) => (ms / 1_000).toFixed(1)
          log(`${done} / ${forgeries.length} forgeries sent (${Math.round(done / ((performance.now() - sendStarted) / 1000))} per second; the last 1,000 took ${mean(windowMs.send)} / ${mean(windowMs.receipt)} / ${mean(windowMs.trace)} ms each to send / mine / trace)`)
          windowMs = { send: 0, receipt: 0, trace: 0 }
        }
      },
    })
    const sendMs = performance.now() - sendStarted
    const after = await snapshotAccounts(guarded, clients)
    const own = new Map<string, OwnTransactions>()
    for (const s of sent) {
      const key = `${s.chainId}:${s.from}`
      const o = own.get(key) ?? { chainId: s.chainId, address: s.from, count: 0, fees: 0n }
      own.set(key, { ...o, count: o.count + 1, fees: o.fees + s.fee })
    }
    const stateChanges = compareSnapshots(guarded, before, after, [...own.values()])

    const checkStarted = performance.now()
    const seedsAfter = await executeSeedsOnce(scenario, connections, log)
    const checkMs = performance.now() - checkStarted

    const ok =
      sent.length === forgeries.length &&
      sent.every((s) => s.outcome.kind === 'refused' || s.outcome.kind === 'abi-decoder') &&
      stateChanges.length === 0 &&
      seedsAfter.every((s) => s.executed && s.replayError !== undefined)
    return {
      seed: random.seed,
      count: parameters.count,
      seeds: scenario.seeds,
      sent,
      stateChanges,
      guardedAccounts: new Set(guarded.map((g) => `${g.chainId}:${g.address.toLowerCase()}`)).size,
      seedsAfter,
      serviceErrors,
      timings: { networkMs, seedsMs, forgeMs, sendMs, checkMs, totalMs: performance.now() - started },
      ok,
    }
  } finally {
    await services?.stop()
    await network?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Priority requests (deposits, a Gateway's forwarded requests) indexed as queued but not processed yet. */
function unprocessedRequests(store: Store): number {
  const row = store
    .prepare('SELECT COUNT(*) AS n FROM priority_requests r WHERE NOT EXISTS (SELECT 1 FROM priority_processed p WHERE p.chain_id = r.chain_id AND p.idx = r.idx)')
    .get() as { n: number }
  return row.n
}

/** The account a seed's valid call is sent from: its unbundler for an unbundling, else any. */
function senderOf(seed: FuzzSeed, scenario: FuzzScenario): Hex {
  return seed.call.fn === 'unbundleBundle' ? scenario.unbundler : scenario.senders[1]!
}

/** Simulates every valid seed's call (`eth_call`): a seed that would fail makes every refusal of its forgeries meaningless. */
async function checkSeedsAreValid(scenario: FuzzScenario, connections: ReadonlyMap<number, ChainConnection>): Promise<void> {
  for (const seed of scenario.seeds.filter((s) => s.state !== 'executed')) {
    const { to, data } = encodeFuzzCall(seed.call, scenario.addresses)
    const connection = connections.get(seed.call.chainId)!
    try {
      await connection.client.call({ account: privateKeyToAccount(senderOf(seed, scenario)).address, to, data })
    } catch (error) {
      throw new SeedNotValidError(seed.id, connection.explainRevert(error, seed.call.fn))
    }
  }
}

/**
 * After the fuzz: each valid seed is executed once (it must still succeed: the fuzz burned nothing), and
 * sent again (it must be refused by name: a replay). The held chain move finishes through `migrateChain`.
 */
async function executeSeedsOnce(scenario: FuzzScenario, connections: ReadonlyMap<number, ChainConnection>, log: (line: string) => void): Promise<SeedAfterFuzz[]> {
  const results: SeedAfterFuzz[] = []
  for (const seed of scenario.seeds.filter((s) => s.state !== 'executed')) {
    const { to, data } = encodeFuzzCall(seed.call, scenario.addresses)
    const connection = connections.get(seed.call.chainId)!
    const key = senderOf(seed, scenario)
    const result: SeedAfterFuzz = { seed, executed: false }
    try {
      if (seed.call.fn === 'finalizeChainMigration') {
        if (!scenario.finishMigration) throw new Error('no held chain move to finish')
        await scenario.finishMigration()
      } else await connection.sendRaw(key, { to, data, action: seed.id })
      result.executed = true
    } catch (error) {
      result.executeError = error instanceof Error ? error.message.split('\n')[0] : String(error)
    }
    try {
      await connection.sendRaw(key, { to, data, action: `replay ${seed.id}` })
    } catch (error) {
      if (error instanceof ContractRevertedError && error.errorName) result.replayError = error.errorName
    }
    log(`seed "${seed.id}": ${result.executed ? 'executed once' : `NOT executed (${result.executeError})`}, replay ${result.replayError ? `refused with ${result.replayError}` : 'NOT refused by name'}`)
    results.push(result)
  }
  return results
}

/** Counts of `keys`, largest first. */
function countBy<T>(items: readonly T[], key: (item: T) => string | string[]): [string, number][] {
  const counts = new Map<string, number>()
  for (const item of items) for (const k of [key(item)].flat()) counts.set(k, (counts.get(k) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

/**
 * The report printed by `npm run fuzz`: counts by error, by mutator, by function and chain, the findings,
 * the state check, the seeds after the fuzz, the time taken and a one-line verdict.
 *
 * @example
 * ```ts
 * console.log(formatFuzzReport(await runFuzz({ count: 500, seed: 7 })))
 * ```
 */
export function formatFuzzReport(report: FuzzReport): string {
  const lines: string[] = []
  const outcomeName = (s: SentForgery) => (s.outcome.kind === 'refused' ? s.outcome.error : s.outcome.kind === 'abi-decoder' ? '(calldata not ABI-decodable: refused by the decoder, no data)' : `FINDING: ${s.outcome.kind}${'error' in s.outcome ? ` (${s.outcome.error})` : ''}`)
  const pad = (n: number) => String(n).padStart(7)
  lines.push(`fuzz: ${report.count} forgeries, seed ${report.seed} (repeat with --seed ${report.seed} --count ${report.count})`)
  lines.push('', `seeds (${report.seeds.length}):`)
  for (const seed of report.seeds) lines.push(`  ${seed.state.padEnd(10)} ${seed.call.fn.padEnd(32)} ${seed.id} — ${seed.route}`)
  lines.push('', 'refusals by error:')
  for (const [name, n] of countBy(report.sent, outcomeName)) lines.push(`${pad(n)}  ${name}`)
  lines.push('', 'by mutator (a forgery counts once for each of its mutators), with its most frequent errors:')
  const byMutator = new Map<string, SentForgery[]>()
  for (const s of report.sent) for (const m of new Set(s.forgery.mutators)) byMutator.set(m, [...(byMutator.get(m) ?? []), s])
  for (const [name, list] of [...byMutator].sort((a, b) => b[1].length - a[1].length)) {
    const top = countBy(list, outcomeName).slice(0, 3).map(([e, n]) => `${e} ${n}`).join(', ')
    lines.push(`${pad(list.length)}  ${name.padEnd(34)} ${top}`)
  }
  lines.push('', 'by chain: forgeries, how long its senders took, mean ms per forgery to sign and send / wait for the receipt / trace it:')
  const byChain = new Map<number, SentForgery[]>()
  for (const x of report.sent) byChain.set(x.chainId, [...(byChain.get(x.chainId) ?? []), x])
  for (const [chainId, list] of [...byChain].sort((a, b) => b[1].length - a[1].length)) {
    const mean = (f: (x: SentForgery) => number) => (list.reduce((sum, x) => sum + f(x), 0) / list.length).toFixed(1)
    const last = Math.max(...list.map((x) => x.doneAt))
    lines.push(`${pad(list.length)}  chain ${chainId}: done after ${(last / 1000).toFixed(1)} s (${Math.round(list.length / (last / 1000))} per second); ${mean((x) => x.ms.send)} / ${mean((x) => x.ms.receipt)} / ${mean((x) => x.ms.trace)} ms`)
  }
  lines.push('', 'by function and chain:')
  for (const [name, n] of countBy(report.sent, (s) => `${s.forgery.call.fn} on ${s.chainId}`)) lines.push(`${pad(n)}  ${name}`)
  const findings = report.sent.filter((s) => s.outcome.kind === 'accepted' || s.outcome.kind === 'unnamed')
  lines.push('', `findings: ${findings.length}`)
  for (const [name, n] of countBy(findings, (s) => `${outcomeName(s)} — ${s.forgery.call.fn} [${s.forgery.mutators.join(' + ')}]`).slice(0, 40)) lines.push(`${pad(n)}  ${name}`)
  for (const s of findings.slice(0, 5)) lines.push(`  e.g. #${s.index} tx ${s.txHash} on ${s.chainId} from seed "${s.forgery.seedId}": ${s.outcome.detail}; calldata ${s.data.slice(0, 138)}…`)
  lines.push('', `state: ${report.guardedAccounts} guarded accounts on every chain (eth_getProof: balance, nonce, code, storage) ${report.stateChanges.length === 0 ? 'unchanged' : `CHANGED: ${report.stateChanges.length}`}`)
  for (const change of report.stateChanges) lines.push(`  CHANGED ${change.account.label} (${change.account.address} on ${change.account.chainId}): ${change.fields.join(', ')}`)
  const executed = report.seedsAfter.filter((s) => s.executed).length
  const replayed = report.seedsAfter.filter((s) => s.replayError !== undefined).length
  lines.push('', `valid seeds after the fuzz: ${executed} / ${report.seedsAfter.length} executed once, ${replayed} / ${report.seedsAfter.length} replays refused (${countBy(report.seedsAfter, (s) => s.replayError ?? 'NOT refused').map(([e, n]) => `${e} ${n}`).join(', ')})`)
  for (const s of report.seedsAfter.filter((x) => !x.executed || x.replayError === undefined)) lines.push(`  ${s.seed.id}: ${s.executed ? 'executed' : `not executed: ${s.executeError}`}, replay ${s.replayError ?? 'NOT refused by name'}`)
  if (report.serviceErrors.length > 0) lines.push('', `service errors during the run (retried): ${report.serviceErrors.length}, e.g. ${report.serviceErrors[0]}`)
  const t = report.timings
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  lines.push('', `time: ${s(t.totalMs)} in all — network ${s(t.networkMs)}, seeds ${s(t.seedsMs)}, forging ${s(t.forgeMs)}, sending ${s(t.sendMs)} (${Math.round(report.sent.length / (t.sendMs / 1000))} per second), seeds after ${s(t.checkMs)}`)
  const named = report.sent.filter((x) => x.outcome.kind === 'refused').length
  const decoder = report.sent.filter((x) => x.outcome.kind === 'abi-decoder').length
  lines.push(
    report.ok
      ? `VERDICT: PASS — ${report.sent.length} forgeries refused (${named} by a named error, ${decoder} by the ABI decoder), no guarded state changed, every valid seed executed once afterwards and its replay refused`
      : `VERDICT: FAIL — ${findings.length} findings, ${report.stateChanges.length} state changes, ${report.seedsAfter.length - executed} seeds not executable, ${report.seedsAfter.length - replayed} replays not refused by name`,
  )
  return lines.join('\n')
}
