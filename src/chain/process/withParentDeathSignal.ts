import { execFileSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'

export type WithParentDeathSignalReturnType = {
  command: string
  args: string[]
  /** Whether the kernel will kill the child when this process dies. */
  guarded: boolean
}

/*
 * Why setpriv --pdeathsig:
 *
 * Signal handlers and process.on('exit') (see processRegistry.ts) cover every way this
 * process can end except one: SIGKILL (or an OOM kill, or a native crash), where no JS runs
 * at all. For that the kernel has to do the job. Linux has prctl(PR_SET_PDEATHSIG): the child
 * asks to get a signal when its parent dies. Node cannot call prctl between fork and exec, but
 * util-linux's `setpriv --pdeathsig SIGKILL -- anvil …` does exactly that and then execs anvil,
 * so the pid we get back *is* anvil's pid (no extra process in between, signals go straight
 * to anvil, start-up costs ~1 ms more).
 *
 * Alternatives considered: a watchdog "reaper" node process (another ~40 ms and ~40 MB per
 * network, and it can itself be SIGKILLed); watching a stdin pipe for EOF (anvil doesn't);
 * detached process groups (they make orphans *more* likely, not less).
 *
 * Limits: PR_SET_PDEATHSIG fires when the *thread* that spawned the child ends; Node spawns
 * from the thread that calls spawn, so an anvil started inside a worker_thread dies with that
 * worker. Not Linux, or no setpriv (util-linux < 2.33): plain spawn; the registry's handlers
 * still cover signals, normal exits and uncaught exceptions.
 */

const candidates = ['/usr/bin/setpriv', '/bin/setpriv']
let cached: string | null | undefined

/** Path of a setpriv that supports `--pdeathsig`, or null. Probed once per process. */
function findSetpriv(): string | null {
  if (cached !== undefined) return cached
  cached = null
  if (process.platform !== 'linux' || process.env.JUNCTION_NO_PDEATHSIG === '1') return cached
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK)
      // Older setpriv lacks --pdeathsig; a real run is the only reliable check (~2 ms, once).
      execFileSync(path, ['--pdeathsig', 'SIGKILL', '--', 'true'], { stdio: 'ignore', timeout: 2_000 })
      cached = path
      break
    } catch {}
  }
  return cached
}

/**
 * Rewrites a command so the child is SIGKILLed by the kernel when this process dies, even by
 * SIGKILL. Falls back to the command unchanged where that is not possible.
 *
 * @example
 * ```ts
 * const { command, args } = withParentDeathSignal(findAnvilBinary(), ['--port', '0'])
 * spawn(command, args)
 * ```
 */
export function withParentDeathSignal(command: string, args: readonly string[]): WithParentDeathSignalReturnType {
  const setpriv = findSetpriv()
  if (setpriv === null) return { command, args: [...args], guarded: false }
  return { command: setpriv, args: ['--pdeathsig', 'SIGKILL', '--', command, ...args], guarded: true }
}
