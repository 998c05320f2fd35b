import { constants } from 'node:os'

/** What the registry needs from a process it looks after. */
export type ManagedProcess = {
  readonly name: string
  readonly pid: number | undefined
  /** Graceful stop; resolves when the process is gone. */
  stop(): Promise<void>
}

export type ShutdownSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP'

/** Application cleanup run on a signal, before the registry stops what is left and exits. */
export type ShutdownCallback = (signal: ShutdownSignal) => void | Promise<void>

const signals: readonly ShutdownSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
const processes = new Set<ManagedProcess>()
const callbacks = new Set<ShutdownCallback>()
let installed = false
let shuttingDown = false

/** How long a signal-triggered shutdown may take before everything left is SIGKILLed. */
const shutdownTimeoutMs = 10_000

/**
 * Adds a started process to the registry (and installs the exit handlers on first use).
 * Returns a function that removes it again; call it when the process has exited.
 *
 * @example
 * ```ts
 * const unregister = registerProcess(anvil)
 * child.once('exit', unregister)
 * ```
 */
export function registerProcess(managed: ManagedProcess): () => void {
  installShutdownHandlers()
  processes.add(managed)
  return () => {
    processes.delete(managed)
  }
}

/**
 * The processes started by this process that have not exited yet.
 *
 * @example
 * ```ts
 * console.log(runningProcesses().map((p) => p.name))
 * ```
 */
export function runningProcesses(): ManagedProcess[] {
  return [...processes]
}

/**
 * Stops every registered process (SIGTERM, then SIGKILL after the grace period), in parallel.
 * Resolves when they are all gone.
 *
 * @example
 * ```ts
 * await stopAll()
 * ```
 */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...processes].map((managed) => managed.stop()))
}

/**
 * Registers application cleanup to run when this process gets SIGINT, SIGTERM or SIGHUP.
 *
 * On such a signal the callbacks run in registration order (each awaited, errors printed and
 * ignored), then every registered process is stopped, then this process exits with
 * 128 + the signal number (130 for SIGINT, 143 for SIGTERM). A callback that wants another
 * exit code calls `process.exit(code)` itself. A second signal during the shutdown, or a
 * shutdown longer than 10 s, SIGKILLs what is left and exits at once. Signals are never
 * swallowed: the process always ends.
 *
 * Returns a function that removes the callback.
 *
 * @example
 * ```ts
 * onShutdown(async (signal) => { await relayer.flush(); console.log(`stopped by ${signal}`) })
 * ```
 */
export function onShutdown(callback: ShutdownCallback): () => void {
  installShutdownHandlers()
  callbacks.add(callback)
  return () => {
    callbacks.delete(callback)
  }
}

/**
 * Installs the signal and exit handlers that keep child processes from outliving this one.
 * Idempotent; called for you by `registerProcess` and `onShutdown`.
 *
 * - SIGINT/SIGTERM/SIGHUP: see `onShutdown`.
 * - `process.on('exit')` (normal end, `process.exit()`, uncaught exception): synchronous
 *   SIGKILL of every process still registered (no async work is possible there).
 * - SIGKILL of this process: no JS runs; children spawned through `withParentDeathSignal`
 *   are killed by the kernel instead.
 *
 * @example
 * ```ts
 * installShutdownHandlers()
 * ```
 */
export function installShutdownHandlers(): void {
  if (installed) return
  installed = true
  for (const signal of signals) process.on(signal, handleSignal)
  process.on('exit', killAllSync)
}

function handleSignal(signal: ShutdownSignal): void {
  const exitCode = 128 + (constants.signals[signal] ?? 15)
  if (shuttingDown) {
    // Second Ctrl-C: the user wants out now.
    killAllSync()
    process.exit(exitCode)
  }
  shuttingDown = true
  const timer = setTimeout(() => {
    killAllSync()
    process.exit(exitCode)
  }, shutdownTimeoutMs)
  timer.unref()
  void (async () => {
    for (const callback of [...callbacks]) {
      try {
        await callback(signal)
      } catch (error) {
        console.error(error)
      }
    }
    await stopAll()
    process.exit(exitCode)
  })()
}

function killAllSync(): void {
  for (const managed of processes) {
    if (managed.pid === undefined) continue
    try {
      process.kill(managed.pid, 'SIGKILL')
    } catch {}
  }
  processes.clear()
}
