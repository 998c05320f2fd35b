import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { onShutdown } from '../../chain/process/index.js'
import { runOnNodes } from '../../network/runOnNodes.js'
import type { NetworkManifest } from '../../network/types.js'
import { printNetworkTable } from '../printNetwork.js'
import { UsageError } from '../runCommand.js'
import { COMMITTED_FINALITY_NOTICE, servicesOptionsFrom } from './common.js'
import { devUserEthOption, nodesFromOptions } from './nodeOptions.js'

/** The options of `junction up` that {@link upOnNodes} reads. */
export type UpOnNodesValues = {
  l1?: string | undefined
  chain?: string[] | undefined
  gateway?: string | undefined
  'dev-user-eth'?: string | undefined
  'data-dir'?: string | undefined
  'batch-max-messages'?: string | undefined
  'batch-max-delay-ms'?: string | undefined
  'no-relay'?: boolean | undefined
  finality?: string | undefined
  chains?: string | undefined
  'base-port'?: string | undefined
  host?: string | undefined
  'gateway-chains'?: string | undefined
  'no-gateway'?: boolean | undefined
}

/** `up` options that start nodes: meaningless with nodes given by URL. */
const NODE_STARTING_OPTIONS = ['chains', 'base-port', 'host', 'gateway-chains', 'no-gateway'] as const

/**
 * Whether `junction up` runs on nodes Junction did not start: nodes are given by URL (`--l1`, `--chain`,
 * `--gateway`), or the data dir holds a network whose manifest says `nodes: 'external'`. Such a network
 * is never started, resumed from checkpoints or stopped by `junction up`: only its services run.
 */
export function isUpOnNodes(values: UpOnNodesValues): boolean {
  if (values.l1 !== undefined || (values.chain ?? []).length > 0 || values.gateway !== undefined) return true
  const manifestPath = join(values['data-dir'] ?? '.junction', 'network.json')
  if (!existsSync(manifestPath)) return false
  return (JSON.parse(readFileSync(manifestPath, 'utf8')) as Pick<NetworkManifest, 'nodes'>).nodes === 'external'
}

/**
 * `junction up` on nodes Junction did not start (docs/own-nodes.md): deploys onto the nodes given by URL
 * and runs the services, or runs the services of the network already in the data dir; until Ctrl-C,
 * which stops the services and leaves the nodes running.
 */
export async function upOnNodes(values: UpOnNodesValues): Promise<void> {
  const starting = NODE_STARTING_OPTIONS.filter((option) => values[option] !== undefined)
  if (starting.length > 0) throw new UsageError(`up: --${starting.join(', --')} start nodes; these nodes are yours`, { details: 'With --l1 and --chain (or on a data dir deployed onto your nodes) Junction starts no node. Run `junction up --help`.' })
  const services = servicesOptionsFrom('up', values)
  const nodes = nodesFromOptions('up', values)
  const dataDir = values['data-dir'] ?? '.junction'
  console.log(nodes ? 'junction: deploying onto your nodes (Junction starts no process)…' : `junction: running the services of the network in ${dataDir} on its nodes (Junction starts no process)…`)
  const network = await runOnNodes({
    dataDir,
    deploy: nodes && { ...nodes, devUserEth: devUserEthOption('up', values['dev-user-eth']) },
    ...services,
    onProgress: (line) => console.log(`  ${line}`),
  })
  const { manifest } = network
  console.log()
  printNetworkTable(manifest)
  console.log()
  console.log(`manifest:        ${network.manifestPath} (nodes: external)`)
  console.log('nodes:           yours: Junction started none of them, keeps no checkpoint of them and leaves them running on Ctrl-C')
  console.log(`InteropCenter:   ${manifest.l2Contracts.interopCenter} (same address on every ZK chain)`)
  console.log('proofs:          batches are accepted by a DEVELOPMENT verifier, not a zero-knowledge proof.')
  if (services.committedFinality) console.log(COMMITTED_FINALITY_NOTICE)
  console.log(`ready in ${(network.startupMs / 1000).toFixed(2)} s. Services running (store ${dataDir}/junction.db); Ctrl-C to stop them.`)
  await new Promise<void>((resolve) => {
    onShutdown(async (signal) => {
      console.log(`\njunction: ${signal}, stopping the services (your nodes keep running)…`)
      await network.stop()
      resolve()
    })
  })
}
