import { JunctionError, type JunctionErrorParameters } from './JunctionError.js'

/**
 * The anvil binary could not be found (the optional platform package is missing, or
 * `JUNCTION_ANVIL_BIN` points at nothing).
 *
 * @example
 * ```ts
 * try { findAnvilBinary() } catch (e) { if (e instanceof AnvilNotFoundError) console.error(e.details) }
 * ```
 */
export class AnvilNotFoundError extends JunctionError {
  override name = 'AnvilNotFoundError'
  /** Every path that was tried, in order. */
  readonly searched: readonly string[]

  constructor({ searched, reason, cause }: { searched: readonly string[]; reason?: string | undefined; cause?: unknown }) {
    super(reason ?? 'The anvil binary was not found.', {
      details: [
        'Searched:',
        ...searched.map((path) => `  - ${path}`),
        '',
        'Run `npm install` in the Junction folder (it installs @foundry-rs/anvil and the binary for this platform),',
        'or set JUNCTION_ANVIL_BIN to the path of an anvil executable (for example from `foundryup`).',
      ].join('\n'),
      cause,
    })
    this.searched = searched
  }
}

/**
 * A chain's port is already taken by another process.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PortInUseError) console.error(`port ${e.port} is busy`) }
 * ```
 */
export class PortInUseError extends JunctionError {
  override name = 'PortInUseError'
  readonly port: number
  readonly host: string
  readonly chainName: string

  constructor({ port, host, chainName, chainId, cause }: { port: number; host: string; chainName: string; chainId: number; cause?: unknown }) {
    super(`Port ${port} on ${host} is already in use (wanted by chain "${chainName}", id ${chainId}).`, {
      details: [
        `Another process is listening on ${host}:${port}: maybe a Junction network that is still running, or another node.`,
        `Find it with \`ss -ltnp 'sport = :${port}'\` (or \`lsof -i :${port}\`) and stop it,`,
        'or choose other ports: `junction up --base-port N` (each chain takes N, N+1, ...).',
      ].join('\n'),
      cause,
    })
    this.port = port
    this.host = host
    this.chainName = chainName
  }
}

/**
 * anvil did not print its "Listening on" line in time.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof AnvilStartTimeoutError) console.error(e.stderr.join('\n')) }
 * ```
 */
export class AnvilStartTimeoutError extends JunctionError {
  override name = 'AnvilStartTimeoutError'
  readonly timeoutMs: number
  readonly stderr: readonly string[]

  constructor({ chainName, timeoutMs, stderr, cause }: { chainName: string; timeoutMs: number; stderr: readonly string[]; cause?: unknown }) {
    super(`anvil for chain "${chainName}" was not ready after ${timeoutMs} ms.`, {
      details: [
        'The machine may be overloaded, or anvil is stuck loading a large state file.',
        'Raise the start timeout, or look at what anvil printed:',
        ...(stderr.length > 0 ? stderr.map((line) => `  ${line}`) : ['  (nothing on stderr)']),
      ].join('\n'),
      cause,
    })
    this.timeoutMs = timeoutMs
    this.stderr = stderr
  }
}

/**
 * anvil exited on its own (bad arguments, unreadable state file, crash...).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof AnvilExitedError) console.error(e.exitCode, e.stderr) }
 * ```
 */
export class AnvilExitedError extends JunctionError {
  override name = 'AnvilExitedError'
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: readonly string[]

  constructor({
    chainName,
    exitCode,
    signal,
    stderr,
    whileStarting,
    cause,
  }: {
    chainName: string
    exitCode: number | null
    signal: NodeJS.Signals | null
    stderr: readonly string[]
    whileStarting: boolean
    cause?: unknown
  }) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`
    super(`anvil for chain "${chainName}" ${how}${whileStarting ? ' before it was ready' : ''}.`, {
      details: [
        'Last lines anvil printed on stderr:',
        ...(stderr.length > 0 ? stderr.map((line) => `  ${line}`) : ['  (nothing)']),
      ].join('\n'),
      cause,
    })
    this.exitCode = exitCode
    this.signal = signal
    this.stderr = stderr
  }
}

/**
 * A JSON-RPC endpoint did not answer `eth_chainId` in time.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof RpcUnreachableError) console.error(`${e.url} is down`) }
 * ```
 */
export class RpcUnreachableError extends JunctionError {
  override name = 'RpcUnreachableError'
  readonly url: string
  readonly timeoutMs: number

  constructor({ url, timeoutMs, cause }: { url: string; timeoutMs: number } & Pick<JunctionErrorParameters, 'cause'>) {
    super(`No JSON-RPC node answered at ${url} within ${timeoutMs} ms.`, {
      details: [
        'Check that the node is running and the URL (scheme, host, port) is right.',
        'If it is a remote node, check the network path (firewall, VPN) and that HTTP JSON-RPC is enabled.',
      ].join('\n'),
      cause,
    })
    this.url = url
    this.timeoutMs = timeoutMs
  }
}
