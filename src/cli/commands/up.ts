import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { formatEther } from 'viem'
import { DEV_USER_ETH_PER_ZK_CHAIN } from '../../chain/devAccounts.js'
import { onShutdown } from '../../chain/process/index.js'
import { moveNetworkAside, networkEntriesIn } from '../../durability/dataDir.js'
import { createExplorer } from '../../explorer/ExplorerServer.js'
import { describeRollback, rolledBackAnything } from '../../durability/rollbackReport.js'
import { resumeNetwork, type ResumeNetworkReturnType } from '../../network/resumeNetwork.js'
import { CHAIN_NAMES, GATEWAY_CHAIN_ID, startNetwork, type RunningNetwork } from '../../network/startNetwork.js'
import type { NetworkManifest } from '../../network/types.js'
import { loadManifest } from '../../sdk/loadManifest.js'
import { openStore } from '../../store/openStore.js'
import { UsageError, type Command } from '../runCommand.js'
import { integerOption, parseOptions } from '../parseOptions.js'
import { printNetworkTable } from '../printNetwork.js'
import { loadPrividiumConfig, type PrividiumConfig } from '../../prividium/config.js'
import { PRIVIDIUM_DEV_ROLES } from '../../prividium/defaultConfig.js'
import { COMMITTED_FINALITY_NOTICE, committedFinalityFrom, finalityUsage, servicesOptionsFrom } from './common.js'
import { nodeOptions, nodeOptionsUsage } from './nodeOptions.js'
import { isUpOnNodes, upOnNodes } from './upOnNodes.js'

export const upCommand: Command = {
  summary: 'start (or resume) an L1, a Gateway and ZK chains on loopback, deploy everything, run the services until Ctrl-C',
  usage: `Usage: junction up [options]

Default topology: L1, a Gateway (a ZK chain settling on L1 that is itself a settlement layer),
alpha and beta settling on the Gateway, gamma settling on L1, and two private chains bank-a and
bank-b settling on the Gateway, each behind its permissioned RPC (docs/prividium.md).

A data dir that holds a network resumes it: every chain, the store and the services as they were at
its last checkpoint (taken every few seconds while anything changes, and at Ctrl-C), on the same
ports. After a crash it says what was rolled back. \`--fresh\` starts a new network instead and moves
the old one into <data-dir>/previous/.

Options:
  --chains N                 number of ZK chains (1-8)                          [default: 3]
  --private-chains N         number of private chains bank-a, bank-b, ... (0-4): each node behind a
                             permissioned RPC (node on P+10+i, RPC on P+20+i)   [default: 2]
  --private-config NAME=FILE the permissioned RPC config of private chain NAME (junction private
                             init-config writes one; repeat per chain)  [default: dev users as members]
  --gateway-chains A,B       the chains that settle on the Gateway; the others settle on L1
                                                             [default: every chain but the last]
  --no-gateway               no Gateway: every chain settles on L1
  --base-port P              L1 port; ZK chain i listens on P+1+i, the Gateway on P+9 (0 = any free) [default: 8545]
  --host H                   address to listen on                               [default: 127.0.0.1]
  --data-dir D               manifest (network.json), SQLite store, checkpoints  [default: .junction]
  --fresh                    start a new network; move the one in the data dir aside
  --checkpoint-interval-ms MS  look for changes and take a checkpoint this often  [default: 4000]
  --batch-max-messages N     seal a batch once N messages wait                  [default: 1000]
  --batch-max-delay-ms MS    seal once the oldest message waited MS (0 = at once) [default: 0]
  --no-relay                 do not run the relayer (execute messages yourself)
  --explorer-port P          the explorer's port (0 = any free)        [default: base port + 35, or any free]
  --no-explorer              do not serve the explorer
${finalityUsage}

On your own nodes (docs/own-nodes.md): with --l1 and --chain / --gateway, deploys onto those nodes
(as \`junction deploy\` does) and runs the services; Junction starts no process. On a data dir deployed
onto your nodes, \`junction up\` runs its services again (the nodes keep their own state).
${nodeOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('up', args, {
      chains: { type: 'string' },
      'private-chains': { type: 'string' },
      'private-config': { type: 'string', multiple: true },
      'base-port': { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'batch-max-messages': { type: 'string' },
      'batch-max-delay-ms': { type: 'string' },
      'no-relay': { type: 'boolean' },
      'gateway-chains': { type: 'string' },
      'no-gateway': { type: 'boolean' },
      finality: { type: 'string' },
      fresh: { type: 'boolean' },
      'checkpoint-interval-ms': { type: 'string' },
      'explorer-port': { type: 'string' },
      'no-explorer': { type: 'boolean' },
      ...nodeOptions,
    })
    // Nodes Junction did not start (given by URL, or in the data dir's manifest): only the services run.
    if (isUpOnNodes(values)) return upOnNodes(values)
    const committedFinality = committedFinalityFrom('up', values.finality)
    const chains = integerOption('up', 'chains', values.chains, 3, 1)
    const privateChains = integerOption('up', 'private-chains', values['private-chains'], 2, 0)
    const privateConfigs = privateConfigsFrom(values['private-config'])
    if (values['no-gateway'] && values['gateway-chains'] !== undefined) throw new UsageError('--no-gateway and --gateway-chains exclude each other', { details: 'Run `junction up --help`.' })
    const onGateway = values['no-gateway']
      ? []
      : values['gateway-chains'] !== undefined
        ? values['gateway-chains'].split(',').map((name) => name.trim()).filter((name) => name !== '')
        : CHAIN_NAMES.slice(0, Math.max(1, chains - 1))
    const dataDir = values['data-dir'] ?? '.junction'
    const basePort = integerOption('up', 'base-port', values['base-port'], 8545)
    const services = {
      ...servicesOptionsFrom('up', values),
      checkpoints: {
        intervalMs: integerOption('up', 'checkpoint-interval-ms', values['checkpoint-interval-ms'], 4_000, 100),
        onError: (error: Error) => console.error(`[${new Date().toISOString()}] checkpoint: ${error.message.split('\n')[0]}`),
      },
      onProgress: (line: string) => console.log(`  ${line}`),
    }
    if (values.fresh) {
      const moved = moveNetworkAside(dataDir)
      if (moved) console.log(`junction: moved the network that was in ${dataDir} to ${moved} (delete it when you no longer need it)`)
    }
    let network: RunningNetwork
    if (networkEntriesIn(dataDir).length > 0) {
      const manifestPath = join(dataDir, 'network.json')
      const differences = existsSync(manifestPath) ? shapeDifferences(loadManifest(manifestPath), { chains: values.chains === undefined ? undefined : chains, privateChains: values['private-chains'] === undefined ? undefined : privateChains, onGateway: values['no-gateway'] || values['gateway-chains'] !== undefined ? onGateway : undefined, basePort: values['base-port'] === undefined ? undefined : basePort }) : []
      if (differences.length > 0) throw new UsageError(`${dataDir} holds a network of another shape: ${differences.join('; ')}`, { details: 'A network resumes as it was started. Add --fresh to start a new one (the old one is moved aside), or choose another --data-dir.' })
      console.log(`junction: resuming the network in ${dataDir}…`)
      const resumed = await resumeNetwork({ dataDir, privateConfigs, ...services })
      printResume(resumed)
      network = resumed
    } else {
      console.log('junction: starting the network…')
      network = await startNetwork({ chains, privateChains, privateConfigs, onGateway, basePort, host: values.host, dataDir, ...services })
    }
    const { manifest } = network
    // The explorer reads the services' store (a second connection: WAL lets it read while they write).
    const explorerStore = values['no-explorer'] ? undefined : openStore(join(dataDir, 'junction.db'))
    const explorer = explorerStore === undefined
      ? undefined
      : createExplorer({ manifest, store: explorerStore, host: values.host, port: integerOption('up', 'explorer-port', values['explorer-port'], basePort === 0 ? 0 : basePort + 35) })
    await explorer?.start()
    console.log()
    printNetworkTable(manifest)
    console.log()
    if (explorer) console.log(`explorer:        ${explorer.url}`)
    console.log(`manifest:        ${network.manifestPath}`)
    console.log(`InteropCenter:   ${manifest.l2Contracts.interopCenter} (ERC-7786 gateway, same address on every ZK chain)`)
    console.log(`example recipient: ${manifest.l2Contracts.exampleRecipient}`)
    const privates = manifest.chains.filter((chain) => chain.private)
    if (privates.length > 0) {
      console.log(`private chains:  ${privates.map((chain) => `${chain.name} (sign in at ${chain.apiBaseUrl})`).join(', ')}: SIWE with a dev user's key, the \`prividium\` SDK or \`junction private\`;`)
      console.log(`                 the dev users are members of each, dev account ${PRIVIDIUM_DEV_ROLES.auditor} the auditor, ${PRIVIDIUM_DEV_ROLES.admin} the admin (docs/prividium.md)`)
    }
    console.log(`dev account:     ${manifest.accounts.users[0]!.address} (key in the manifest; development only)`)
    console.log(`ETH:             ${formatEther(DEV_USER_ETH_PER_ZK_CHAIN)} ETH deposited from L1 to each of the ${manifest.accounts.users.length} dev users on every ZK chain; gas is free there`)
    console.log('proofs:          batches are accepted by a DEVELOPMENT verifier, not a zero-knowledge proof;')
    console.log('                 message inclusion (Merkle proofs against imported roots) is checked on chain.')
    if (committedFinality) console.log(COMMITTED_FINALITY_NOTICE)
    console.log(`checkpoints:     ${dataDir}/checkpoints, while anything changes; \`junction up\` again resumes the network`)
    console.log(`ready in ${(network.startupMs / 1000).toFixed(2)} s. Services running; Ctrl-C to stop.`)
    await new Promise<void>((resolve) => {
      onShutdown(async (signal) => {
        console.log(`\njunction: ${signal}, stopping services and chains…`)
        await explorer?.stop()
        // Closed before the services' last connection, so SQLite folds its WAL back and leaves no -wal/-shm files.
        explorerStore?.close()
        await network.stop()
        const final = network.checkpointer?.taken.at(-1)
        if (final?.reason === 'stop') console.log(`junction: final checkpoint ${final.sequence} written (${(final.totalBytes / 1e6).toFixed(1)} MB in ${final.dir}); \`junction up\` resumes from it`)
        resolve()
      })
    })
  },
}

/** What a resume says: damaged checkpoints passed over, and what was rolled back. */
function printResume(network: ResumeNetworkReturnType): void {
  const { checkpoint, skipped, partial, rollback } = network.restored
  for (const damaged of skipped) console.log(`junction: checkpoint ${damaged.name} is damaged (${damaged.reason}): set aside as ${damaged.dir}.damaged, falling back to an older one`)
  for (const name of partial) console.log(`junction: ${name} was being written when the network ended: removed`)
  const clean = checkpoint.meta.reason === 'stop' && skipped.length === 0
  const what = `checkpoint ${checkpoint.meta.sequence}, taken ${checkpoint.meta.takenAt}`
  if (clean && !rolledBackAnything(rollback)) {
    console.log(`junction: resumed from ${what} at a clean stop: nothing rolled back`)
    return
  }
  const why = skipped.length > 0 ? '; the newer checkpoints were damaged' : checkpoint.meta.reason === 'stop' ? ' at a clean stop' : '; the network had ended without a final checkpoint (killed, crashed or the machine went down)'
  console.log(`junction: resumed from ${what}${why}. Rolled back to it:`)
  for (const line of describeRollback(rollback)) console.log(`  ${line}`)
}

/** How a network in a data dir differs from the shape the options ask for (options not given ask nothing). */
function shapeDifferences(manifest: NetworkManifest, asked: { chains: number | undefined; privateChains?: number | undefined; onGateway: readonly string[] | undefined; basePort: number | undefined }): string[] {
  const differences: string[] = []
  const zkChains = manifest.chains.filter((chain) => chain.role !== 'gateway' && !chain.private)
  const privateChains = manifest.chains.filter((chain) => chain.private).length
  if (asked.chains !== undefined && asked.chains !== zkChains.length) differences.push(`--chains ${asked.chains}, it has ${zkChains.length}`)
  if (asked.privateChains !== undefined && asked.privateChains !== privateChains) differences.push(`--private-chains ${asked.privateChains}, it has ${privateChains}`)
  if (asked.onGateway !== undefined) {
    const there = zkChains.filter((chain) => chain.settlementLayer === GATEWAY_CHAIN_ID).map((chain) => chain.name)
    if ([...asked.onGateway].sort().join(',') !== [...there].sort().join(',')) differences.push(`chains on the Gateway ${asked.onGateway.join(',') || 'none'}, it has ${there.join(',') || 'none'}`)
  }
  const l1Port = Number(new URL(manifest.l1.rpcUrl).port)
  if (asked.basePort !== undefined && asked.basePort !== 0 && asked.basePort !== l1Port) differences.push(`--base-port ${asked.basePort}, its L1 is on ${l1Port}`)
  return differences
}

/** `--private-config NAME=FILE` (repeated): each private chain's permissioned RPC config, loaded and checked now. */
function privateConfigsFrom(values: readonly string[] | undefined): Record<string, PrividiumConfig> | undefined {
  if (!values || values.length === 0) return undefined
  const configs: Record<string, PrividiumConfig> = {}
  for (const value of values) {
    const at = value.indexOf('=')
    if (at <= 0) throw new UsageError(`--private-config ${value}: expected NAME=FILE, e.g. bank-a=bank-a.json`, { details: '`junction private init-config --out bank-a.json` writes the default config to start from.' })
    configs[value.slice(0, at)] = loadPrividiumConfig(value.slice(at + 1))
  }
  return configs
}
