import { renameSync, writeFileSync } from 'node:fs'
import { onShutdown } from '../../chain/process/index.js'
import { nodeManifest } from '../../network/privateChains.js'
import { NetworkServices } from '../../services/NetworkServices.js'
import { UsageError, type Command } from '../runCommand.js'
import { integerOption, parseOptions } from '../parseOptions.js'
import { COMMITTED_FINALITY_NOTICE, committedFinalityFrom, finalityUsage, manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

export const servicesCommand: Command = {
  summary: 'run the off-chain services (indexers, batcher, settlement, root importer, relayer) for an existing network',
  usage: `Usage: junction services [options]

Runs against chains that are already up (started by \`junction up\` elsewhere, or any EVM JSON-RPC
nodes named in the manifest). Progress is kept in <data-dir>/junction.db: stop and start again on
the same folder and nothing is lost or executed twice.

Options:
  --no-relay        do not run the relayer
  --relay-only      run only the relayer (another \`junction services --no-relay\` runs the rest)
  --batch-max-messages N   seal a batch once N messages wait                  [default: 1000]
  --batch-max-delay-ms MS  seal once the oldest message waited MS (0 = at once) [default: 0]
  --stats-file FILE write each service's time per step (JSON) to FILE every second and on stop
${finalityUsage}
  --relayer-fees P           sponsor (default): the relayer executes every bundle at its own cost; require:
                             only bundles whose fee covers their execution, and it claims their fees on
                             the source chains (docs/fees.md)
  --proof-delay-ms MS  a simulated prover: prove each batch no sooner than MS after its commit [default: 0]
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('services', args, {
      ...networkOptions,
      'no-relay': { type: 'boolean' },
      'relay-only': { type: 'boolean' },
      'batch-max-messages': { type: 'string' },
      'batch-max-delay-ms': { type: 'string' },
      'stats-file': { type: 'string' },
      finality: { type: 'string' },
      'proof-delay-ms': { type: 'string' },
      'relayer-fees': { type: 'string' },
    })
    const relayerFees = values['relayer-fees'] ?? 'sponsor'
    if (relayerFees !== 'sponsor' && relayerFees !== 'require') {
      throw new UsageError(`services: --relayer-fees must be sponsor or require, got "${relayerFees}"`, { details: 'Run `junction services --help`.' })
    }
    const committedFinality = committedFinalityFrom('services', values.finality)
    const { manifest, dataDir } = manifestFrom(values)
    const services = new NetworkServices({
      // Private chains by their raw nodes (the manifest's services part): the services are Junction's own.
      manifest: nodeManifest(manifest),
      dataDir,
      relay: !values['no-relay'],
      relayOnly: values['relay-only'] === true,
      committedFinality,
      relayerFeePolicy: relayerFees,
      proofDelayMs: integerOption('services', 'proof-delay-ms', values['proof-delay-ms'], 0),
      batchPolicy: {
        maxMessages: integerOption('services', 'batch-max-messages', values['batch-max-messages'], 1000, 1),
        maxDelayMs: integerOption('services', 'batch-max-delay-ms', values['batch-max-delay-ms'], 0),
      },
      onError: (service, error) => console.error(`[${new Date().toISOString()}] ${service}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
    })
    services.start()
    const statsFile = values['stats-file']
    const writeStats = () => {
      if (!statsFile) return
      // Written aside and renamed, so a reader never sees half a file.
      writeFileSync(`${statsFile}.tmp`, JSON.stringify({ pid: process.pid, at: Date.now(), services: services.stats() }) + '\n')
      renameSync(`${statsFile}.tmp`, statsFile)
    }
    const statsTimer = statsFile ? setInterval(writeStats, 1_000) : undefined
    if (committedFinality) console.log(COMMITTED_FINALITY_NOTICE)
    console.log(`junction: services running for ${manifest.chains.map((c) => c.name).join(', ')} (store ${dataDir}/junction.db); Ctrl-C to stop.`)
    await new Promise<void>((resolve) => {
      onShutdown(async () => {
        clearInterval(statsTimer)
        await services.stop()
        writeStats()
        resolve()
      })
    })
  },
}
