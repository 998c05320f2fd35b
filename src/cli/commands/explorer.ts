import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { onShutdown } from '../../chain/process/index.js'
import { createExplorer } from '../../explorer/ExplorerServer.js'
import { loadManifest } from '../../sdk/loadManifest.js'
import { openStore } from '../../store/openStore.js'
import { integerOption, parseOptions } from '../parseOptions.js'
import type { Command } from '../runCommand.js'
import { networkOptions } from './common.js'

export const explorerCommand: Command = {
  summary: 'serve the explorer (a web page and its JSON API) for a running network, until Ctrl-C',
  usage: `Usage: junction explorer [options]

Serves the explorer of the network the manifest describes: every chain, batch and message with its
timeline, balances and the audit, live (docs/explorer.md). With the services' store beside the manifest
(or in --data-dir) it reads it (timestamps and batches included); without, it indexes the public chains
itself. Private chains (\`private: true\` in the manifest) are read only through their permissioned RPC,
with the token of the visitor who signed in there: the explorer takes the users' manifest as it is, never
the raw nodes its services part names.

Options:
  --network FILE    the running network's manifest                       [default: <data-dir>/network.json]
  --data-dir D      where the services' store (junction.db) is           [default: the folder of --network FILE, else .junction]
  --host H          address to listen on                                 [default: 127.0.0.1]
  --port P          port (0 = any free)                                  [default: 8580]
  --no-dev-sign-in  do not offer the manifest's dev accounts for signing in to private chains`,
  async run(args) {
    const { values } = parseOptions('explorer', args, { ...networkOptions, host: { type: 'string' }, port: { type: 'string' }, 'no-dev-sign-in': { type: 'boolean' } })
    const { manifest, storePath } = explorerInputs(values)
    const store = existsSync(storePath) ? openStore(storePath) : undefined
    const explorer = createExplorer({
      manifest,
      store,
      host: values.host,
      port: integerOption('explorer', 'port', values.port, 8580),
      devSignIn: !values['no-dev-sign-in'],
    })
    await explorer.start()
    console.log(`explorer:        ${explorer.url}${store ? ` (services' store ${storePath})` : ` (no services' store at ${storePath}: indexing the public chains itself)`}`)
    await new Promise<void>((resolve) => {
      onShutdown(async () => {
        await explorer.stop()
        resolve()
      })
    })
  },
}

/**
 * The manifest and the store's path of `junction explorer`: the store beside `--network FILE` (the folder
 * `junction up` wrote both to) unless `--data-dir` names another. The manifest is the users' one, as
 * loaded: a private chain stays behind its permissioned RPC (no `nodeManifest`).
 */
export function explorerInputs(values: { network?: string | undefined; 'data-dir'?: string | undefined }): { manifest: ReturnType<typeof loadManifest>; storePath: string } {
  const dataDir = values['data-dir'] ?? (values.network !== undefined ? dirname(values.network) : '.junction')
  return { manifest: loadManifest(values.network ?? join(dataDir, 'network.json')), storePath: join(dataDir, 'junction.db') }
}
