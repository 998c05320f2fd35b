// 2. Sustained throughput: many senders push pre-signed sendMessage transactions on both chains
// (alpha → beta and beta → alpha); deliveries are counted on the destinations over time, with the
// number lost and executed twice. Optionally the relayer process is SIGKILLed and restarted twice.
import { createPublicClient, http, keccak256, stringToHex, type Hex, type PublicClient } from 'viem'
import * as c from '../../src/contracts/generated/index.js'
import { formatInteroperableAddress } from '../../src/protocol/index.js'
import type { ServiceStats } from '../../src/services/NetworkServices.js'
import { CpuMeter } from '../lib/cpu.js'
import { DeliveryWatcher } from '../lib/deliveryWatcher.js'
import type { JunctionBenchNetwork } from '../lib/junctionNetwork.js'
import { DroppedTransactionResender } from '../../src/testing/load/droppedTransactions.js'
import { calldata, makeZkChainKeys, presign, pushSigned } from '../../src/testing/load/load.js'
import { rateOverTime, round, sleep, summarize, type Summary } from '../../src/testing/load/stats.js'

export type ThroughputResult = {
  label: string
  /** The offered load, when the sends were paced (messages per second). */
  offeredPerSecond?: number
  messages: number
  senders: number
  /** Send transactions per JSON-RPC request of the load generator. */
  perRequest: number
  /** Most messages on their way at once (sent, not delivered yet): the senders' bound. */
  inFlight: number
  /** Seconds to sign everything (before the clock starts). */
  signSeconds: number
  /** Seconds until the chains accepted every transaction, and the rate they were accepted at. */
  pushSeconds: number
  acceptedPerSecond: number
  /** Seconds from the first send to the last delivery. */
  totalSeconds: number
  delivered: number
  /** Sent on chain (the send transaction mined and succeeded) and never delivered: Junction's losses. */
  lost: number
  /** Accepted by the source chain's node but never mined there (not a Junction message at all; 0 while the resender works). */
  notMinedOnSource: number
  /** Send transactions that reverted on the source. */
  sendReverted: number
  /** Send transactions anvil had lost that the bench broadcast again. */
  resentAfterDrop: number
  /** Send transactions anvil knew but did not mine, replaced by the same call at a higher fee. */
  replacedAfterStuck: number
  executedTwice: number
  /** Delivered messages per second over the whole run, and the best one-second window. */
  deliveredPerSecond: number
  peakPerSecond: number
  /** Delivered per second, second by second (for the plot). */
  overTime: { t: number; perSecond: number }[]
  /** Send accepted → delivered, under this load. */
  latencyMs: Summary
  relayerKills: { atDelivered: number; atSeconds: number }[]
  /** Errors the relayer process(es) reported (count, and the first distinct few without their timestamps). */
  relayerErrors: { count: number; distinct: string[] }
  /** CPU per process over the run (1.0 = one core fully busy). */
  cpu: { wallMs: number; processes: { name: string; cpuMs: number; cores: number }[] }
  /** Time per service step over the run (from `junction services --stats-file`), busiest first. */
  services: (ServiceStats & { share: number })[]
}

/** Pushes `messages` messages through the network from `senders` senders per chain and counts deliveries. */
export async function measureThroughput(parameters: {
  bench: JunctionBenchNetwork
  label: string
  messages: number
  senders: number
  /** Most messages sent and not delivered yet, over both directions: a sender waits while that many are on their way. */
  inFlight: number
  killRelayer: boolean
  timeoutMs: number
  /** An offered load: sends let through at most at this rate (messages per second over both directions). Default: as fast as the chains accept. */
  ratePerSecond?: number
  /** Send transactions of one sender per JSON-RPC request (a batch above 1; default 1). */
  perRequest?: number
}): Promise<ThroughputResult> {
  const { bench, messages, senders } = parameters
  const { manifest } = bench
  const chains = manifest.chains.slice(0, 2)
  const keys = await makeZkChainKeys(parameters.label, senders, chains, manifest.accounts.users[0]!.privateKey)
  const perKey = Math.ceil(messages / (senders * chains.length))
  const payloadOf = (chain: number, k: number, i: number) => stringToHex(`${parameters.label} ${chain} ${k} ${i}`)

  const signStarted = performance.now()
  const signed = await Promise.all(
    chains.map((from, ci) => {
      const to = chains[1 - ci]!
      const recipient = formatInteroperableAddress({ chainId: BigInt(to.chainId), address: bench.recipient })
      return presign({
        chainId: from.chainId,
        rpcUrl: from.rpcUrl,
        keys,
        perKey,
        build: (k, i) => ({ to: manifest.l2Contracts.interopCenter, gas: 200_000n, data: calldata(c.interopCenterAbi, 'sendMessage', [recipient, payloadOf(ci, k, i), []]) }),
      })
    }),
  )
  const signSeconds = (performance.now() - signStarted) / 1000
  const total = perKey * senders * chains.length

  const watcher = new DeliveryWatcher({ rpcUrls: chains.map((ch) => ch.rpcUrl), recipient: bench.recipient, intervalMs: 25 })
  await watcher.start()
  const servicesBefore = [...bench.core.stats(), ...bench.relayer.stats()]
  const cpu = new CpuMeter(bench.processes)
  const sentAt = new Map<Hex, number>()
  const started = performance.now()
  // Sends let through so far: each waits until fewer than `inFlight` messages are on their way.
  let admitted = 0
  const admit = async () => {
    const n = admitted++
    while (n - watcher.firstSeen.size >= parameters.inFlight) await sleep(5)
    if (parameters.ratePerSecond) {
      const due = started + (n * 1000) / parameters.ratePerSecond
      while (performance.now() < due) await sleep(Math.max(1, due - performance.now()))
    }
  }
  // A send transaction anvil loses is broadcast again (see DroppedTransactionResender).
  const resenders = chains.map((ch, ci) => new DroppedTransactionResender({ rpcUrl: ch.rpcUrl, keys, signed: signed[ci]! }))
  for (const r of resenders) r.start()
  const pushing = Promise.all(
    chains.map((ch, ci) =>
      pushSigned(
        ch.rpcUrl,
        signed[ci]!,
        (k, i, at) => {
          sentAt.set(keccak256(payloadOf(ci, k, i)), at)
          resenders[ci]!.accepted(k, i)
        },
        admit,
        { perRequest: parameters.perRequest ?? 1 },
      ),
    ),
  )
  // The relayer is killed once a third, then two thirds, of the messages are delivered (while sends may still go on).
  const kills: { atDelivered: number; atSeconds: number }[] = []
  const killing = (async () => {
    if (!parameters.killRelayer) return
    for (const fraction of [1 / 3, 2 / 3]) {
      while (watcher.firstSeen.size < total * fraction && performance.now() - started < parameters.timeoutMs) await sleep(20)
      kills.push({ atDelivered: watcher.firstSeen.size, atSeconds: round((performance.now() - started) / 1000, 2) })
      await bench.restartRelayer()
    }
  })()
  const sendHashes = await pushing
  const pushSeconds = (performance.now() - started) / 1000
  await killing
  // Gives up early when nothing more arrives for a minute (the relayer restarts in seconds): what is
  // missing then is told apart below instead of being waited for until the timeout.
  const undelivered = await watcher.waitFor(sentAt.keys(), Math.max(1_000, parameters.timeoutMs - (performance.now() - started)), 60_000)
  for (const r of resenders) await r.stop()
  const missing = undelivered === 0 ? { lost: 0, notMined: 0, reverted: 0 } : await classifyUndelivered(chains, sendHashes, (ci, k, i) => watcher.firstSeen.has(keccak256(payloadOf(ci, k, i))))
  const lost = missing.lost
  const relayerErrors = [...bench.relayer.errors, ...bench.relayerErrorsOfKilled()]
  const cpuUsed = cpu.read()
  // Keep watching a little: a second execution would show up now.
  await sleep(1_000)
  await watcher.stop()
  const times = [...watcher.firstSeen.values()]
  const last = Math.max(...times, started)
  const totalSeconds = (last - started) / 1000
  const overTime = rateOverTime(times, started)
  const latencies = [...sentAt].filter(([h]) => watcher.firstSeen.has(h)).map(([h, t]) => watcher.firstSeen.get(h)! - t)
  const servicesAfter = [...bench.core.stats(), ...bench.relayer.stats()]
  return {
    label: parameters.label,
    ...(parameters.ratePerSecond ? { offeredPerSecond: parameters.ratePerSecond } : {}),
    messages: total,
    senders: senders * chains.length,
    perRequest: parameters.perRequest ?? 1,
    inFlight: parameters.inFlight,
    signSeconds: round(signSeconds, 2),
    pushSeconds: round(pushSeconds, 2),
    acceptedPerSecond: round(total / pushSeconds),
    totalSeconds: round(totalSeconds, 2),
    delivered: total - undelivered,
    lost,
    notMinedOnSource: missing.notMined,
    sendReverted: missing.reverted,
    resentAfterDrop: resenders.reduce((n, r) => n + r.resent, 0),
    replacedAfterStuck: resenders.reduce((n, r) => n + r.replaced, 0),
    executedTwice: [...watcher.deliveries.values()].filter((n) => n > 1).length,
    deliveredPerSecond: round((total - undelivered) / totalSeconds),
    peakPerSecond: Math.max(0, ...overTime.map((b) => b.perSecond)),
    overTime,
    latencyMs: summarize(latencies),
    relayerKills: kills,
    relayerErrors: { count: relayerErrors.length, distinct: [...new Set(relayerErrors.map((e) => e.replace(/^\[[^\]]+\] /, '').slice(0, 200)))].slice(0, 5) },
    cpu: cpuUsed,
    services: serviceDelta(servicesBefore, servicesAfter, cpuUsed.wallMs, parameters.killRelayer),
  }
}

/** Time per service over the run; after relayer restarts the relayer's figures are those of its last process. */
function serviceDelta(before: ServiceStats[], after: ServiceStats[], wallMs: number, restarted: boolean): (ServiceStats & { share: number })[] {
  return after
    .map((s) => {
      const b = before.find((x) => x.name === s.name)
      const base = restarted && s.name === 'relay' ? undefined : b
      const busyMs = s.busyMs - (base?.busyMs ?? 0)
      return {
        ...s,
        ticks: s.ticks - (base?.ticks ?? 0),
        workedTicks: s.workedTicks - (base?.workedTicks ?? 0),
        failedTicks: s.failedTicks - (base?.failedTicks ?? 0),
        busyMs: Math.round(busyMs),
        workedMs: Math.round(s.workedMs - (base?.workedMs ?? 0)),
        maxTickMs: Math.round(s.maxTickMs),
        share: round(busyMs / wallMs, 2),
        ...(s.steps ? { steps: Object.fromEntries(Object.entries(s.steps).map(([k, v]) => [k, v - (base?.steps?.[k] ?? 0)])) } : {}),
      }
    })
    .sort((a, b) => b.busyMs - a.busyMs)
}

/**
 * Why messages were not delivered: their send transaction never mined on the source (the node lost
 * it), reverted there, or mined and succeeded (a message Junction lost).
 */
async function classifyUndelivered(
  chains: { rpcUrl: string }[],
  sendHashes: Hex[][][],
  delivered: (chain: number, k: number, i: number) => boolean,
): Promise<{ lost: number; notMined: number; reverted: number }> {
  const out = { lost: 0, notMined: 0, reverted: 0 }
  for (const [ci, chain] of chains.entries()) {
    const client = createPublicClient({ transport: http(chain.rpcUrl, { retryCount: 0 }) }) as PublicClient
    for (const [k, hashes] of sendHashes[ci]!.entries()) {
      for (const [i, hash] of hashes.entries()) {
        if (delivered(ci, k, i)) continue
        const receipt = await client.getTransactionReceipt({ hash }).catch((error: unknown) => {
          if (error instanceof Error && error.name === 'TransactionReceiptNotFoundError') return undefined
          throw error
        })
        if (!receipt) out.notMined++
        else if (receipt.status !== 'success') out.reverted++
        else out.lost++
      }
    }
  }
  return out
}
