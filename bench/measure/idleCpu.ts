// The idle network's CPU (issue 14: with no traffic, the whole network uses at most 10% of one core):
// the network `junction up` starts (L1, Gateway, alpha and beta on the Gateway, gamma on L1, and the
// private chains bank-a and bank-b behind their permissioned RPCs), services and checkpoints running in
// this process as in `junction up`, measured once it settled its start-up, over a quiet window: every
// anvil's CPU from /proc, and this process's (services, proxies, checkpointer, watchdogs).
// Run alone: `npx tsx bench/measure/idleCpu.ts [--seconds S] [--private-chains N]`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startNetwork } from '../../src/network/startNetwork.js'
import { round } from '../../src/testing/load/stats.js'
import { CpuMeter } from '../lib/cpu.js'

export type IdleCpuResult = {
  privateChains: number
  /** ZK chains in all (the Gateway and the private chains included) and the anvils (the L1 too). */
  anvils: number
  windowSeconds: number
  /** Share of one core over the window, in percent: all processes, anvils, this process. */
  totalPercent: number
  anvilsPercent: number
  servicesPercent: number
  /** The busiest anvil's share (percent of one core). */
  busiestAnvil: { name: string; percent: number }
}

/** Starts the default `junction up` network (with `privateChains`), waits `settleMs`, and meters `seconds` of idleness. */
export async function measureIdleCpu(parameters: { privateChains: number; seconds: number; settleMs?: number }): Promise<IdleCpuResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-idle-'))
  const network = await startNetwork({ basePort: 0, dataDir, chains: 3, onGateway: ['alpha', 'beta'], privateChains: parameters.privateChains, checkpoints: true })
  try {
    await new Promise((resolve) => setTimeout(resolve, parameters.settleMs ?? 8_000))
    const anvils = network.processes.map((p) => ({ name: p.name, pid: p.pid! }))
    const meter = new CpuMeter(() => [...anvils, { name: 'junction (services, proxies, checkpoints)', pid: process.pid }])
    await new Promise((resolve) => setTimeout(resolve, parameters.seconds * 1_000))
    const { wallMs, processes } = meter.read()
    const percent = (ms: number) => round((ms / wallMs) * 100, 1)
    const anvilRows = processes.filter((p) => p.name !== 'junction (services, proxies, checkpoints)')
    const anvilMs = anvilRows.reduce((sum, p) => sum + p.cpuMs, 0)
    const servicesMs = processes.find((p) => p.name.startsWith('junction'))!.cpuMs
    const busiest = anvilRows.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a))
    return {
      privateChains: parameters.privateChains,
      anvils: anvilRows.length,
      windowSeconds: round(wallMs / 1000, 1),
      totalPercent: percent(anvilMs + servicesMs),
      anvilsPercent: percent(anvilMs),
      servicesPercent: percent(servicesMs),
      busiestAnvil: { name: busiest.name, percent: percent(busiest.cpuMs) },
    }
  } finally {
    await network.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** One line for the bench's output. */
export function idleCpuLine(r: IdleCpuResult): string {
  return `idle network, ${r.anvils} anvils (${r.privateChains} private chains with their proxies): ${r.totalPercent}% of one core over ${r.windowSeconds} s (anvils ${r.anvilsPercent}%, busiest ${r.busiestAnvil.name} ${r.busiestAnvil.percent}%; services, proxies, checkpoints ${r.servicesPercent}%); target ≤ 10%`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, 'private-chains': { type: 'string' } } })
  const seconds = Number(values.seconds ?? 20)
  const counts = values['private-chains'] === undefined ? [0, 2] : [Number(values['private-chains'])]
  for (const privateChains of counts) console.log(idleCpuLine(await measureIdleCpu({ privateChains, seconds })))
}
