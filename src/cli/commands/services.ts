import { onShutdown } from '../../chain/process/index.js'
import { NetworkServices } from '../../services/NetworkServices.js'
import type { Command } from '../runCommand.js'
import { parseOptions } from '../parseOptions.js'
import { manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

export const servicesCommand: Command = {
  summary: 'run the off-chain services (indexers, batcher, settlement, root importer, relayer) for an existing network',
  usage: `Usage: junction services [options]

Runs against chains that are already up (started by \`junction up\` elsewhere, or any EVM JSON-RPC
nodes named in the manifest). Progress is kept in <data-dir>/junction.db: stop and start again on
the same folder and nothing is lost or executed twice.

Options:
  --no-relay        do not run the relayer
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('services', args, { ...networkOptions, 'no-relay': { type: 'boolean' } })
    const { manifest, dataDir } = manifestFrom(values)
    const services = new NetworkServices({
      manifest,
      dataDir,
      relay: !values['no-relay'],
      onError: (service, error) => console.error(`[${new Date().toISOString()}] ${service}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
    })
    services.start()
    console.log(`junction: services running for ${manifest.chains.map((c) => c.name).join(', ')} (store ${dataDir}/junction.db); Ctrl-C to stop.`)
    await new Promise<void>((resolve) => {
      onShutdown(async () => {
        await services.stop()
        resolve()
      })
    })
  },
}
