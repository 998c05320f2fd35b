// `junction services` in its own process, as a user runs it: started, killed and restarted by the bench
// and the soak.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { withParentDeathSignal } from '../../chain/process/index.js'
import type { ServiceStats } from '../../services/NetworkServices.js'

/** `bin/junction.js` of this checkout. */
const junctionBin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'junction.js')

/** The bench could not start `junction services`. */
export class ServicesStartError extends Error {
  override name = 'ServicesStartError'
}

/** A running `junction services` process. */
export type ServicesProcess = {
  readonly pid: number
  readonly label: string
  readonly statsFile: string
  /** Lines it printed on stderr (each service error is one line). */
  readonly errors: string[]
  kill(signal: NodeJS.Signals): Promise<void>
  /** The per-service step times it last wrote. */
  stats(): ServiceStats[]
}

/**
 * Starts `node bin/junction.js services --data-dir D ...args` (killed by the kernel if the bench
 * dies) and resolves once its loop runs.
 */
export async function startServicesProcess(parameters: { dataDir: string; label: string; args?: string[]; statsFile: string }): Promise<ServicesProcess> {
  const { command, args } = withParentDeathSignal(process.execPath, [junctionBin, 'services', '--data-dir', parameters.dataDir, '--stats-file', parameters.statsFile, ...(parameters.args ?? [])])
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  if (child.pid === undefined) throw new ServicesStartError(`could not spawn junction services (${parameters.label})`)
  const errors: string[] = []
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => errors.push(...chunk.split('\n').filter(Boolean)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new ServicesStartError(`junction services (${parameters.label}) not running after 120 s: ${out}${errors.join('\n')}`)), 120_000)
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      if (out.includes('services running')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new ServicesStartError(`junction services (${parameters.label}) exited with ${code ?? signal} before running: ${out}${errors.join('\n')}`))
    })
  })
  child.stdout!.resume()
  return {
    pid: child.pid,
    label: parameters.label,
    statsFile: parameters.statsFile,
    errors,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
    stats() {
      if (!existsSync(parameters.statsFile)) return []
      return (JSON.parse(readFileSync(parameters.statsFile, 'utf8')) as { services: ServiceStats[] }).services
    },
  }
}
