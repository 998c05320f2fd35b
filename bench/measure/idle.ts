// The idle network: what the whole network (its nodes, Junction's block producers, the services and the
// relayer) costs in CPU when nothing happens. Measured once the chains stopped making blocks.
import { createPublicClient, http, type PublicClient } from 'viem'
import { CpuMeter } from '../lib/cpu.js'
import type { JunctionBenchNetwork } from '../lib/junctionNetwork.js'
import { round, sleep } from '../../src/testing/load/stats.js'

export type IdleResult = {
  /** Seconds measured, after every chain's head stayed the same for `quietSeconds`. */
  seconds: number
  quietSeconds: number
  /** Cores busy in all (1.0 = one core), and per process. */
  cores: number
  processes: { name: string; cpuMs: number; cores: number }[]
  /** Blocks mined during the measurement, over all chains (0 when idle). */
  blocks: number
}

/** Waits until no chain makes a block for `quietSeconds`, then meters every process of the network for `seconds`. */
export async function measureIdle(parameters: { bench: JunctionBenchNetwork; seconds: number; quietSeconds?: number }): Promise<IdleResult> {
  const { bench } = parameters
  const quietSeconds = parameters.quietSeconds ?? 2
  const clients = [bench.manifest.l1, ...bench.manifest.chains].map((chain) => createPublicClient({ transport: http(chain.rpcUrl) }) as PublicClient)
  const heads = () => Promise.all(clients.map((client) => client.getBlockNumber({ cacheTime: 0 })))
  let last = await heads()
  for (let quietSince = performance.now(); performance.now() - quietSince < quietSeconds * 1000; ) {
    await sleep(250)
    const now = await heads()
    if (now.some((head, i) => head !== last[i])) quietSince = performance.now()
    last = now
  }
  // The bench process holds the block producers (and nothing else runs in it now).
  const meter = new CpuMeter(bench.processes)
  await sleep(parameters.seconds * 1000)
  const { wallMs, processes } = meter.read()
  const after = await heads()
  const blocks = after.reduce((sum, head, i) => sum + Number(head - last[i]!), 0)
  const cores = round(processes.reduce((sum, p) => sum + p.cpuMs, 0) / wallMs, 3)
  return { seconds: round(wallMs / 1000, 1), quietSeconds, cores, processes: processes.map((p) => ({ ...p, cores: round(p.cpuMs / wallMs, 3) })), blocks }
}
