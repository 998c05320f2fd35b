import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { onShutdown } from '../../chain/process/index.js'
import { createExplorer } from '../../explorer/ExplorerServer.js'
import { openStore } from '../../store/openStore.js'
import { integerOption, parseOptions } from '../parseOptions.js'
import type { Command } from '../runCommand.js'
import { manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

export const explorerCommand: Command = {
  summary: 'serve the explorer (a web page and its JSON API) for a running network, until Ctrl-C',
  usage: `Usage: junction explorer [options]

Serves the explorer of the network the manifest describes: every chain, batch and message with its
timeline, balances and the audit, live (docs/explorer.md). With the services' store in the data dir it
reads it (timestamps and batches included); without, it indexes the public chains itself. Private chains
(\`private: true\` in the manifest) are read only through their permissioned RPC, with the token of the
visitor who signed in there.

Options:
${networkOptionsUsage}
  --host H          address to listen on                                 [default: 127.0.0.1]
  --port P          port (0 = any free)                                  [default: 8580]
  --no-dev-sign-in  do not offer the manifest's dev accounts for signing in to private chains`,
  async run(args) {
    const { values } = parseOptions('explorer', args, { ...networkOptions, host: { type: 'string' }, port: { type: 'string' }, 'no-dev-sign-in': { type: 'boolean' } })
    const { manifest, dataDir } = manifestFrom(values)
    const storePath = join(dataDir, 'junction.db')
    const explorer = createExplorer({
      manifest,
      store: existsSync(storePath) ? openStore(storePath) : undefined,
      host: values.host,
      port: integerOption('explorer', 'port', values.port, 8580),
      devSignIn: !values['no-dev-sign-in'],
    })
    await explorer.start()
    console.log(`explorer:        ${explorer.url}${existsSync(storePath) ? '' : ' (no services\' store here: indexing the public chains itself)'}`)
    await new Promise<void>((resolve) => {
      onShutdown(async () => {
        await explorer.stop()
        resolve()
      })
    })
  },
}
