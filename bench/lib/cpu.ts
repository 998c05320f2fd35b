// CPU time of processes, read from /proc (Linux): where the machine's two cores went during a phase.
import { readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100

/** User + system CPU milliseconds used so far by `pid`, or undefined when it is gone. */
export function cpuMs(pid: number): number | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1000) / TICKS_PER_SECOND
}

/** A named set of processes whose CPU time is sampled at the start and end of a phase. */
export class CpuMeter {
  readonly #start = new Map<string, number>()
  readonly #startedAt = performance.now()

  constructor(readonly processes: () => { name: string; pid: number }[]) {
    for (const { pid } of processes()) this.#start.set(String(pid), cpuMs(pid) ?? 0)
  }

  /** CPU milliseconds per process since the meter was made, and as a share of the wall time (1.0 = one core busy). */
  read(): { wallMs: number; processes: { name: string; cpuMs: number; cores: number }[] } {
    const wallMs = performance.now() - this.#startedAt
    const rows = this.processes().map(({ name, pid }) => {
      // A process started after the meter (a restarted relayer) counts from its own start.
      const used = (cpuMs(pid) ?? 0) - (this.#start.get(String(pid)) ?? 0)
      return { name, cpuMs: Math.round(used), cores: Math.round((used / wallMs) * 100) / 100 }
    })
    return { wallMs: Math.round(wallMs), processes: rows }
  }
}
