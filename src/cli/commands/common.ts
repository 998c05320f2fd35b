import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { NetworkManifest } from '../../network/types.js'
import { JunctionIndex } from '../../sdk/JunctionIndex.js'
import { loadManifest } from '../../sdk/loadManifest.js'
import { openStore } from '../../store/openStore.js'

/** Options every command that talks to a running network takes. */
export const networkOptions = {
  network: { type: 'string' },
  'data-dir': { type: 'string' },
} as const

export const networkOptionsUsage = `  --data-dir D      folder of the running network                        [default: .junction]
  --network FILE    its manifest                                         [default: <data-dir>/network.json]`

/** Loads the manifest named by `--network` / `--data-dir`. */
export function manifestFrom(values: { network?: string | undefined; 'data-dir'?: string | undefined }): { manifest: NetworkManifest; dataDir: string } {
  const dataDir = values['data-dir'] ?? '.junction'
  return { manifest: loadManifest(values.network ?? join(dataDir, 'network.json')), dataDir }
}

/** The services' store when they run on `dataDir` (timestamps and batches included), else an index read from the chains. */
export function indexFor(manifest: NetworkManifest, dataDir: string): JunctionIndex {
  const path = join(dataDir, 'junction.db')
  if (existsSync(path)) return new JunctionIndex(manifest, { store: openStore(path), syncFromChains: false })
  return new JunctionIndex(manifest)
}
