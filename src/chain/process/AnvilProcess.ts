import { type ChildProcess, spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import type { Readable } from 'node:stream'
import { AnvilExitedError, AnvilStartTimeoutError, PortInUseError } from '../../errors/process.js'
import { findAnvilBinary } from './findAnvilBinary.js'
import { isPortFree } from './isPortFree.js'
import { registerProcess } from './processRegistry.js'
import { withParentDeathSignal } from './withParentDeathSignal.js'

export type CreateAnvilParameters = {
  /** Chain id the node reports (`--chain-id`). */
  chainId: number
  /** Port to listen on; `0` lets the OS choose a free one (read `port` after `start()`). */
  port: number
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string | undefined
  /** Name used in logs and errors. Default `chain-<chainId>`. */
  name?: string | undefined
  /** Interval mining, in seconds (`--block-time`). */
  blockTime?: number | undefined
  /** Mine only on `evm_mine` (`--no-mining`). */
  noMining?: boolean | undefined
  /** EVM hardfork. Default `cancun` (about 2× faster than anvil's default here). */
  hardfork?: string | undefined
  /** Number of funded dev accounts. Default 10. */
  accounts?: number | undefined
  /** Balance of each dev account, in ether. anvil's default is 10000. */
  balance?: number | string | undefined
  /** Mnemonic of the dev accounts. */
  mnemonic?: string | undefined
  /** Load state from this file at start and save it on a clean stop (`--state`). */
  stateFile?: string | undefined
  /**
   * Start from this state (the JSON of `anvil_dumpState`, un-gzipped; `--load-state`): a chain resumed
   * from a checkpoint. anvil refuses `--init` beside it, so a genesis file among the arguments is left
   * out (the loaded state holds the genesis allocation and everything after it).
   */
  loadState?: string | undefined
  /** More anvil arguments, appended as given. */
  extraArgs?: readonly string[] | undefined
  /** How long to wait for the "Listening on" line. Default 10 000 ms. */
  startTimeoutMs?: number | undefined
  /** How long `stop()` waits after SIGTERM before SIGKILL. Default 2 000 ms. */
  stopTimeoutMs?: number | undefined
  /** anvil executable. Default: `findAnvilBinary()`. */
  binary?: string | undefined
}

export type AnvilStatus = 'idle' | 'starting' | 'started' | 'stopping' | 'stopped'

export type AnvilReadyInfo = {
  /** The port anvil actually listens on (useful with `port: 0`). */
  port: number
  rpcUrl: string
  /** Milliseconds from spawn to the "Listening on" line. */
  startupMs: number
}

export type AnvilExitInfo = {
  code: number | null
  signal: NodeJS.Signals | null
  /** True when the exit followed `stop()` (or a failed start we cleaned up). */
  expected: boolean
}

/** Events of an `AnvilProcess`, each with its listener arguments. */
export type AnvilProcessEvents = {
  ready: [info: AnvilReadyInfo]
  exit: [info: AnvilExitInfo]
  stderr: [line: string]
  stdout: [line: string]
}

export type CreateAnvilReturnType = AnvilProcess

export type CreateAnvilErrorType = PortInUseError | AnvilStartTimeoutError | AnvilExitedError

const stderrTailLength = 20
const listeningLine = /Listening on (\S+):(\d+)\s*$/

/**
 * One anvil node run as a child process: `start()`, `stop()`, a `status`, and typed events
 * (`ready`, `exit`, `stderr`, `stdout`). Readiness is the "Listening on host:port" line anvil
 * prints, never a sleep. Every started process is registered so it is stopped with this one
 * (see `processRegistry.ts` and `withParentDeathSignal.ts`).
 *
 * Build it with `createAnvil`.
 */
export class AnvilProcess extends EventEmitter<AnvilProcessEvents> {
  readonly name: string
  readonly chainId: number
  readonly host: string
  /** Milliseconds the last start took to reach "Listening on", or undefined before that. */
  startupMs: number | undefined

  readonly #parameters: CreateAnvilParameters
  #port: number
  #status: AnvilStatus = 'idle'
  #child: ChildProcess | undefined
  #exited: Promise<void> = Promise.resolve()
  #starting: Promise<void> | undefined
  #stopping: Promise<void> | undefined
  #stopRequested = false
  #stderrTail: string[] = []

  constructor(parameters: CreateAnvilParameters) {
    super()
    this.#parameters = parameters
    this.name = parameters.name ?? `chain-${parameters.chainId}`
    this.chainId = parameters.chainId
    this.host = parameters.host ?? '127.0.0.1'
    this.#port = parameters.port
  }

  /** The port; with `port: 0` it is the real one once started. */
  get port(): number {
    return this.#port
  }
  get rpcUrl(): string {
    return `http://${urlHost(this.host)}:${this.#port}`
  }
  get wsUrl(): string {
    return `ws://${urlHost(this.host)}:${this.#port}`
  }
  /** pid of the running anvil, undefined when not running. */
  get pid(): number | undefined {
    return this.#child?.pid
  }
  get status(): AnvilStatus {
    return this.#status
  }
  /** The parameters it was created with (a copy): what a checkpoint keeps to start the node again. */
  get parameters(): CreateAnvilParameters {
    return { ...this.#parameters }
  }

  /**
   * Spawns anvil and resolves once it listens. Calling it while starting returns the same
   * promise; calling it when started does nothing.
   *
   * @throws {PortInUseError} the port is taken.
   * @throws {AnvilStartTimeoutError} no "Listening on" line in time (anvil is killed).
   * @throws {AnvilExitedError} anvil exited before it was ready.
   * @throws {AnvilNotFoundError} no anvil binary.
   */
  start(): Promise<void> {
    if (this.#status === 'started') return Promise.resolve()
    if (this.#starting) return this.#starting
    this.#starting = (async () => {
      if (this.#stopping) await this.#stopping
      await this.#start()
    })().finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  /**
   * SIGTERM, then SIGKILL if anvil is still there after `stopTimeoutMs` (2 s). Resolves when
   * the process is gone (reaped: its pid no longer exists). Idempotent.
   */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping
    const child = this.#child
    // Still checking the port or resolving the binary: let that finish, then stop what it started.
    if (!child && this.#starting)
      return this.#starting.then(
        () => this.stop(),
        () => this.stop(),
      )
    if (!child || child.exitCode !== null || child.signalCode !== null) return this.#exited
    this.#stopRequested = true
    this.#status = 'stopping'
    const exited = this.#exited
    this.#stopping = (async () => {
      child.kill('SIGTERM')
      let timer: NodeJS.Timeout | undefined
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), this.#parameters.stopTimeoutMs ?? 2_000)
        }),
      ])
      clearTimeout(timer)
      if (timedOut) {
        child.kill('SIGKILL')
        await exited
      }
    })().finally(() => {
      this.#stopping = undefined
    })
    return this.#stopping
  }

  async #start(): Promise<void> {
    const p = this.#parameters
    this.#status = 'starting'
    this.#stopRequested = false
    this.#stderrTail = []
    this.#port = p.port

    try {
      if (p.port !== 0 && !(await isPortFree(p.port, this.host))) throw this.#portInUse()
      const binary = p.binary ?? findAnvilBinary()
      const { command, args } = withParentDeathSignal(binary, this.#arguments())

      const spawnedAt = performance.now()
      // Its own process group: a terminal's Ctrl-C (SIGINT to the foreground group) reaches the program
      // that owns this node, which stops its services first and the node after, not the node at once.
      // It still dies with its parent (the death signal above), and stop() signals it directly.
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      this.#child = child
      let resolveExited!: () => void
      this.#exited = new Promise((resolve) => (resolveExited = resolve))
      const unregister = child.pid === undefined ? () => {} : registerProcess(this)

      child.once('exit', (code, signal) => {
        unregister()
        const expected = this.#stopRequested
        if (this.#child === child) {
          this.#child = undefined
          this.#status = 'stopped'
        }
        resolveExited()
        this.emit('exit', { code, signal, expected })
      })

      await new Promise<void>((resolve, reject) => {
        let settled = false
        const settle = (error?: Error) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          if (error) reject(error)
          else resolve()
        }

        const timeoutMs = p.startTimeoutMs ?? 10_000
        const timer = setTimeout(() => {
          this.#stopRequested = true
          child.kill('SIGKILL')
          this.#exited.then(() =>
            settle(new AnvilStartTimeoutError({ chainName: this.name, timeoutMs, stderr: [...this.#stderrTail] })),
          )
        }, timeoutMs)

        child.once('error', (error) => {
          // Spawn failed (ENOENT, EACCES): no 'exit' will follow.
          this.#status = 'stopped'
          resolveExited()
          settle(new AnvilExitedError({ chainName: this.name, exitCode: null, signal: null, stderr: [], whileStarting: true, cause: error }))
        })

        // Exit before ready: wait for stdio to drain so the last stderr lines are there.
        child.once('exit', (code, signal) => {
          const closed = new Promise((r) => child.once('close', r))
          void Promise.race([closed, sleep(250)]).then(() => {
            if (this.#stderrTail.some((line) => /address already in use/i.test(line)))
              return settle(this.#portInUse())
            settle(
              new AnvilExitedError({ chainName: this.name, exitCode: code, signal, stderr: [...this.#stderrTail], whileStarting: true }),
            )
          })
        })

        readLines(child.stderr!, (line) => {
          this.#stderrTail.push(line)
          if (this.#stderrTail.length > stderrTailLength) this.#stderrTail.shift()
          this.emit('stderr', line)
        })

        let ready = false
        readLines(
          child.stdout!,
          (line) => {
            this.emit('stdout', line)
            if (ready) return
            const match = listeningLine.exec(line)
            if (!match) return
            ready = true
            this.#port = Number(match[2])
            this.startupMs = performance.now() - spawnedAt
            this.#status = 'started'
            settle()
            this.emit('ready', { port: this.#port, rpcUrl: this.rpcUrl, startupMs: this.startupMs })
          },
          // Once ready, anvil logs every request; don't split lines nobody listens to.
          () => ready && this.listenerCount('stdout') === 0,
        )
      })
    } catch (error) {
      if (this.#status === 'starting') this.#status = 'stopped'
      throw error
    }
  }

  #arguments(): string[] {
    const p = this.#parameters
    // Keep the last 64 states in memory and none on disk (ENGINE-NOTES: disk trap). A bare
    // --prune-history keeps no past state, and a read of "latest" racing a new block then fails.
    const args = [
      '--prune-history', '64',
      '--chain-id', String(p.chainId),
      '--port', String(p.port),
      '--host', this.host,
      '--hardfork', p.hardfork ?? 'cancun',
      '--accounts', String(p.accounts ?? 10),
    ]
    if (p.balance !== undefined) args.push('--balance', String(p.balance))
    if (p.mnemonic !== undefined) args.push('--mnemonic', p.mnemonic)
    if (p.blockTime !== undefined) args.push('--block-time', String(p.blockTime))
    if (p.noMining) args.push('--no-mining')
    if (p.stateFile !== undefined) args.push('--state', p.stateFile)
    if (p.extraArgs) args.push(...p.extraArgs)
    return p.loadState === undefined ? args : withLoadedState(args, p.loadState)
  }

  #portInUse(): PortInUseError {
    return new PortInUseError({ port: this.#parameters.port, host: this.host, chainName: this.name, chainId: this.chainId })
  }
}

/**
 * Creates (does not start) an anvil process object.
 *
 * @example
 * ```ts
 * const anvil = createAnvil({ chainId: 31337, port: 8545, name: 'l1' })
 * anvil.on('exit', ({ expected }) => { if (!expected) console.error('anvil crashed') })
 * await anvil.start()
 * console.log(anvil.rpcUrl) // http://127.0.0.1:8545
 * await anvil.stop()
 * ```
 */
export function createAnvil(parameters: CreateAnvilParameters): CreateAnvilReturnType {
  return new AnvilProcess(parameters)
}

/** `args` without `--init <file>` (anvil refuses it beside `--load-state`), with `--load-state file`. */
function withLoadedState(args: string[], file: string): string[] {
  const kept = args.filter((arg, i) => arg !== '--init' && args[i - 1] !== '--init' && !arg.startsWith('--init='))
  return [...kept, '--load-state', file]
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

/** Calls `onLine` for each line; when `skip()` is true, chunks are read and dropped. */
function readLines(stream: Readable, onLine: (line: string) => void, skip: () => boolean = () => false): void {
  let buffer = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    if (skip()) {
      buffer = ''
      return
    }
    buffer += chunk
    let newline = buffer.indexOf('\n')
    while (newline !== -1) {
      onLine(buffer.slice(0, newline).replace(/\r$/, ''))
      buffer = buffer.slice(newline + 1)
      newline = buffer.indexOf('\n')
    }
  })
  stream.on('end', () => {
    if (buffer.length > 0 && !skip()) onLine(buffer)
    buffer = ''
  })
}
