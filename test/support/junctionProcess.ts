// Runs the `junction` CLI (bin/junction.js) as a child process, and looks at processes through /proc.
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { withParentDeathSignal } from '../../src/chain/process/index.js'
import { isAlive, waitUntilGone } from '../../src/chain/process/testUtils.js'

/** The repository root (where `bin/junction.js` lives). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export type Exit = { code: number | null; signal: NodeJS.Signals | null }

/** A running `junction` process with its output so far. */
export type JunctionProcess = {
  child: ChildProcess
  pid: number
  stdout(): string
  stderr(): string
  /** Resolves when the process has exited (and its output is read). */
  exited: Promise<Exit>
  /** Whether the process has exited. */
  readonly done: boolean
  /** Resolves with the first stdout line matching `pattern`; rejects if the process exits first or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>
  /** Sends `signal` (if still running) and resolves with the exit. */
  kill(signal: NodeJS.Signals): Promise<Exit>
  /** Sends `signal` to the process's whole group, as a terminal's Ctrl-C does, and resolves with the exit. */
  killGroup(signal: NodeJS.Signals): Promise<Exit>
}

/**
 * Starts `node bin/junction.js ...args` in the repository root. The child gets SIGKILL from the
 * kernel if the test process dies (same `setpriv --pdeathsig` wrapper as anvil), so a crashed test
 * leaves nothing behind.
 */
export function spawnJunction(args: string[]): JunctionProcess {
  const { command, args: wrapped } = withParentDeathSignal(process.execPath, [join(repoRoot, 'bin', 'junction.js'), ...args])
  // In a process group of its own, which it leads: `killGroup` signals it the way a terminal does.
  const child = spawn(command, wrapped, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  if (child.pid === undefined) throw new Error(`could not start junction ${args.join(' ')}`)
  let out = ''
  let err = ''
  let done = false
  const waiters = new Set<() => void>()
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk
    for (const waiter of waiters) waiter()
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => {
      done = true
      for (const waiter of waiters) waiter()
      resolve({ code, signal })
    })
  })
  const handle: JunctionProcess = {
    child,
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    exited,
    get done() {
      return done
    },
    waitForLine(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = out.split('\n').find((l) => pattern.test(l))
          if (line !== undefined) finish(() => resolve(line))
          else if (done) finish(() => reject(new Error(`junction ${args.join(' ')} exited before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`)))
        }
        const timer = setTimeout(() => finish(() => reject(new Error(`no line matching ${pattern} from junction ${args.join(' ')} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`))), timeoutMs)
        const finish = (settle: () => void) => {
          clearTimeout(timer)
          waiters.delete(check)
          settle()
        }
        waiters.add(check)
        check()
      })
    },
    async kill(signal) {
      if (!done) child.kill(signal)
      return exited
    },
    async killGroup(signal) {
      if (!done) process.kill(-child.pid!, signal)
      return exited
    },
  }
  return handle
}

/** Runs `junction ...args` to its end; fails after `timeoutMs`. */
export async function runJunction(args: string[], timeoutMs = 60_000): Promise<Exit & { stdout: string; stderr: string }> {
  const junction = spawnJunction(args)
  const timer = setTimeout(() => junction.child.kill('SIGKILL'), timeoutMs)
  const exit = await junction.exited
  clearTimeout(timer)
  return { ...exit, stdout: junction.stdout(), stderr: junction.stderr() }
}

/** The pids of `pid`'s children (from /proc/<pid>/task/<tid>/children). */
export function childPids(pid: number): number[] {
  const pids: number[] = []
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        pids.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number))
      } catch {}
    }
  } catch {}
  return [...new Set(pids)]
}

/** The command line of `pid` as its arguments, or undefined when it is gone. */
export function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
  } catch {
    return undefined
  }
}

/** Whether `pid` no longer runs: it does not exist, or it is a zombie waiting to be reaped. */
export const isGone = (pid: number): boolean => !isAlive(pid)

export { waitUntilGone }
