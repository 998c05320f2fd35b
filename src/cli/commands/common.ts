import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { NetworkManifest } from '../../network/types.js'
import { JunctionIndex } from '../../sdk/JunctionIndex.js'
import { nodeManifest } from '../../network/privateChains.js'
import { loadManifest } from '../../sdk/loadManifest.js'
import { openStore } from '../../store/openStore.js'
import type { BatchPolicy } from '../../sequencer/Batcher.js'
import { integerOption } from '../parseOptions.js'
import { UsageError } from '../runCommand.js'

/** Options every command that talks to a running network takes. */
export const networkOptions = {
  network: { type: 'string' },
  'data-dir': { type: 'string' },
} as const

export const networkOptionsUsage = `  --data-dir D      folder of the running network                        [default: .junction]
  --network FILE    its manifest                                         [default: <data-dir>/network.json]`

/**
 * Loads the manifest named by `--network` / `--data-dir`, as Junction's own tools see it: the CLI runs on
 * the operator's data dir with the manifest's dev keys and its services part, so it reaches private
 * chains on their raw nodes (`nodeManifest`); a user elsewhere reaches them through their permissioned RPC.
 */
export function manifestFrom(values: { network?: string | undefined; 'data-dir'?: string | undefined }): { manifest: NetworkManifest; dataDir: string } {
  const dataDir = values['data-dir'] ?? '.junction'
  return { manifest: nodeManifest(loadManifest(values.network ?? join(dataDir, 'network.json'))), dataDir }
}

/** The services' store when they run on `dataDir` (timestamps and batches included), else an index read from the chains. */
export function indexFor(manifest: NetworkManifest, dataDir: string): JunctionIndex {
  const path = join(dataDir, 'junction.db')
  if (existsSync(path)) return new JunctionIndex(manifest, { store: openStore(path), syncFromChains: false })
  return new JunctionIndex(manifest)
}

/** The `--finality` option of the commands that run services. */
export const finalityUsage = `  --finality F               proven (default) or committed (opt-in, faster): bundles between chains on one
                             settlement layer execute once their source batch is COMMITTED there, before
                             it is proven; if it never is, the destination cannot settle past it
                             (docs/protocol.md §12)`

/** Whether `--finality` asks for committed finality; anything but proven or committed is refused. */
export function committedFinalityFrom(command: string, value: string | undefined): boolean {
  if (value === undefined || value === 'proven') return false
  if (value === 'committed') return true
  throw new UsageError(`${command}: --finality must be proven or committed, got "${value}"`, { details: `Run \`junction ${command} --help\`.` })
}

/** What committed finality risks, printed when a command turns it on. */
export const COMMITTED_FINALITY_NOTICE = `finality:        COMMITTED (opt-in): bundles between chains on one settlement layer execute on source batches
                 that are committed but not proven yet. If such a batch is never proven, the destination's
                 batches from the import on never settle: the destination would have to roll back.`

/** What the commands that run the services (`up`, and `up` on your own nodes) read from their options. */
export type ServicesOptions = {
  relay: boolean
  committedFinality: boolean
  batchPolicy: BatchPolicy
  onServiceError: (service: string, error: unknown) => void
}

/** The services' options from `--no-relay`, `--finality`, `--batch-max-messages`, `--batch-max-delay-ms`; service errors printed with a time. */
export function servicesOptionsFrom(command: string, values: { 'no-relay'?: boolean | undefined; finality?: string | undefined; 'batch-max-messages'?: string | undefined; 'batch-max-delay-ms'?: string | undefined }): ServicesOptions {
  return {
    relay: !values['no-relay'],
    committedFinality: committedFinalityFrom(command, values.finality),
    batchPolicy: {
      maxMessages: integerOption(command, 'batch-max-messages', values['batch-max-messages'], 1000, 1),
      maxDelayMs: integerOption(command, 'batch-max-delay-ms', values['batch-max-delay-ms'], 0),
    },
    onServiceError: (service, error) => console.error(`[${new Date().toISOString()}] ${service}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
  }
}
