import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { createPublicClient, http, type Hex, type PublicClient } from 'viem'
import { createAnvil, type AnvilProcess } from '../../chain/process/index.js'
import { waitForDevUserDeposits } from '../../network/fundDevUsers.js'
import { startNetwork, type RunningNetwork } from '../../network/startNetwork.js'
import type { NetworkManifest } from '../../network/types.js'
import { startServicesProcess, type ServicesProcess } from '../load/servicesProcess.js'
import { SoakSimulationError } from './errors.js'

/** What one node restart did: the head the node had when it went down, and when it was back. */
export type NodeRestart = { node: string; head: number; headHash: Hex; stateBytes: number; downAt: number; backAt: number; /** Transactions in its pool when it crashed (lost). */ lostFromPool: number }

/** A service error line, with the process that printed it. */
export type ServiceErrorLine = { process: 'services' | 'relayer'; line: string }

/** The network of a soak: chains started here, the services in two processes of their own, and the faults. */
export type SoakNetwork = {
  network: RunningNetwork
  manifest: NetworkManifest
  dataDir: string
  /** SIGKILLs `junction services --no-relay`, waits `downMs`, starts it again; resolves once it runs (`performance.now()` then). */
  killServices(downMs: number): Promise<number>
  /** The same for `junction services --relay-only`. */
  killRelayer(downMs: number): Promise<number>
  /**
   * Stops `node` as a crash would, keeping what a node keeps on disk: the node frozen (its block producer
   * paused: it takes transactions into its pool and mines nothing) for `frozenMs`, its
   * state dumped (every mined block), SIGKILL (its pool is lost); after `downMs`, started again from that
   * state on the same port.
   *
   * @throws {SoakSimulationError} the node came back without the block it went down at.
   */
  restartNode(node: string, frozenMs: number, downMs: number): Promise<NodeRestart>
  /** Makes `node` unresponsive for `ms` (SIGSTOP, then SIGCONT); resolves with `performance.now()` once it runs again. */
  pauseNode(node: string, ms: number): Promise<number>
  /** Every error line the services processes printed (the killed ones too). */
  serviceErrors(): ServiceErrorLine[]
  /** The processes running now, for CPU figures. */
  processes(): { name: string; pid: number }[]
  stop(): Promise<void>
}

/** Parameters of {@link startSoakNetwork}. */
export type StartSoakNetworkParameters = {
  dataDir: string
  /** ZK chains (the first two settle on the Gateway, the others on L1). */
  chains: number
  onProgress?: (line: string) => void
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Starts the soak's network: L1, a Gateway, alpha and beta on it, the other chains on L1, every node an
 * anvil process of this one; the services as two `junction services` processes (everything but the
 * relayer, and the relayer), as an operator runs them, so that either can be killed alone.
 *
 * @example
 * ```ts
 * const soak = await startSoakNetwork({ dataDir, chains: 4 })
 * await soak.restartNode('gamma', 2_000)
 * await soak.stop()
 * ```
 */
export async function startSoakNetwork(parameters: StartSoakNetworkParameters): Promise<SoakNetwork> {
  const { dataDir } = parameters
  const progress = parameters.onProgress ?? (() => {})
  const network = await startNetwork({ basePort: 0, dataDir, chains: parameters.chains, onGateway: ['alpha', 'beta'], services: false, onProgress: progress })
  const statesDir = join(dataDir, 'soak-node-states')
  mkdirSync(statesDir, { recursive: true })
  const started: ServicesProcess[] = []
  const errorsOfKilled: ServiceErrorLine[] = []
  const start = async (label: 'services' | 'relayer') => {
    const running = await startServicesProcess({ dataDir, label, args: [label === 'services' ? '--no-relay' : '--relay-only'], statsFile: join(dataDir, `stats-${label}.json`) })
    started.push(running)
    return running
  }
  const running: Partial<Record<'services' | 'relayer', ServicesProcess>> = {}
  let restarts = 0
  const stop = async () => {
    // A paused node would keep its clients waiting: let it run before stopping everything.
    for (const p of network.processes) if (p.pid !== undefined) process.kill(p.pid, 'SIGCONT')
    for (const p of started) await p.kill('SIGTERM')
    await network.stop()
  }
  const nodeOf = (name: string): { index: number; node: AnvilProcess } => {
    const index = network.processes.findIndex((p) => p.name === name)
    if (index === -1) throw new RangeError(`no node named ${name}: the network has ${network.processes.map((p) => p.name).join(', ')}`)
    return { index, node: network.processes[index]! }
  }
  try {
    running.services = await start('services')
    // The dev users' ETH on the ZK chains comes from their deposits at start, processed by these services.
    await waitForDevUserDeposits(network.manifest, network.devUserDeposits)
    running.relayer = await start('relayer')
    progress('services running in two processes (--no-relay, --relay-only)')
  } catch (error) {
    await stop()
    throw error
  }
  /** SIGKILL, `downMs` down, started again (as a supervisor would); resolves with `performance.now()` once it runs. */
  const killAndStart = async (label: 'services' | 'relayer', downMs: number) => {
    const killed = running[label]!
    await killed.kill('SIGKILL')
    errorsOfKilled.push(...killed.errors.map((line) => ({ process: label, line })))
    await sleep(downMs)
    running[label] = await start(label)
    return performance.now()
  }
  const soak: SoakNetwork = {
    network,
    manifest: network.manifest,
    dataDir,
    killServices: (downMs) => killAndStart('services', downMs),
    killRelayer: (downMs) => killAndStart('relayer', downMs),
    async restartNode(name, frozenMs, downMs) {
      const { index, node } = nodeOf(name)
      const producer = network.producers.find((p) => p.name === name)
      // A busy chain's state is tens of MB: no cap on the answer's size (viem's default is 10 MB).
      const client = createPublicClient({ transport: http(node.rpcUrl, { retryCount: 0, timeout: 60_000, maxResponseBodySize: false }) }) as PublicClient
      const request = <T>(method: string, params: unknown[] = []) => client.request({ method, params } as never) as Promise<T>
      // Its block producer paused (a block under way is mined first): the node takes transactions and mines nothing.
      await producer?.pause()
      await sleep(frozenMs)
      const pool = await request<{ pending: Hex; queued: Hex }>('txpool_status')
      const state = await request<Hex>('anvil_dumpState')
      const head = await request<{ number: Hex; hash: Hex }>('eth_getBlockByNumber', ['latest', false])
      // The producer's subscriptions end with the node: closed first, opened again on the new node.
      await producer?.stop()
      const exited = new Promise<void>((resolve) => node.once('exit', () => resolve()))
      const downAt = performance.now()
      process.kill(node.pid!, 'SIGKILL')
      await exited
      const json = gunzipSync(Buffer.from(state.slice(2), 'hex'))
      const stateFile = join(statesDir, `${name}-${++restarts}.json`)
      writeFileSync(stateFile, json)
      await sleep(downMs)
      const again = createAnvil({ ...node.parameters, port: node.port, loadState: stateFile, startTimeoutMs: 120_000 })
      await again.start()
      network.processes[index] = again
      // Senders waiting for the node may have had a block mined on it already: the block it went down at must be there.
      const back = await request<{ hash: Hex } | null>('eth_getBlockByNumber', [head.number, false])
      if (back?.hash !== head.hash) throw new SoakSimulationError(`${name} came back without the block it went down at, ${BigInt(head.number)} (${head.hash}): it has ${back?.hash ?? 'no block'} there`)
      producer?.resume()
      await producer?.start()
      return { node: name, head: Number(BigInt(head.number)), headHash: head.hash, stateBytes: json.length, downAt, backAt: performance.now(), lostFromPool: Number(BigInt(pool.pending) + BigInt(pool.queued)) }
    },
    async pauseNode(name, ms) {
      const { node } = nodeOf(name)
      process.kill(node.pid!, 'SIGSTOP')
      try {
        await sleep(ms)
      } finally {
        process.kill(node.pid!, 'SIGCONT')
      }
      return performance.now()
    },
    serviceErrors: () => [...errorsOfKilled, ...(['services', 'relayer'] as const).flatMap((label) => running[label]!.errors.map((line) => ({ process: label, line })))],
    processes: () => [
      ...network.processes.flatMap((p) => (p.pid === undefined ? [] : [{ name: `anvil ${p.name}`, pid: p.pid }])),
      { name: 'junction services --no-relay', pid: running.services!.pid },
      { name: 'junction services --relay-only', pid: running.relayer!.pid },
      { name: 'soak (load, watchers, faults)', pid: process.pid },
    ],
    stop,
  }
  return soak
}
