import { formatEther } from 'viem'
import { DEV_USER_ETH_PER_ZK_CHAIN } from '../../chain/devAccounts.js'
import { onShutdown } from '../../chain/process/index.js'
import { CHAIN_NAMES, startNetwork } from '../../network/startNetwork.js'
import { UsageError, type Command } from '../runCommand.js'
import { integerOption, parseOptions } from '../parseOptions.js'
import { printNetworkTable } from '../printNetwork.js'
import { COMMITTED_FINALITY_NOTICE, committedFinalityFrom, finalityUsage, servicesOptionsFrom } from './common.js'
import { nodeOptions, nodeOptionsUsage } from './nodeOptions.js'
import { isUpOnNodes, upOnNodes } from './upOnNodes.js'

export const upCommand: Command = {
  summary: 'start an L1, a Gateway and ZK chains on loopback, deploy everything, run the services until Ctrl-C',
  usage: `Usage: junction up [options]

Default topology: L1, a Gateway (a ZK chain settling on L1 that is itself a settlement layer),
alpha and beta settling on the Gateway, gamma settling on L1.

Options:
  --chains N                 number of ZK chains (1-8)                          [default: 3]
  --gateway-chains A,B       the chains that settle on the Gateway; the others settle on L1
                                                             [default: every chain but the last]
  --no-gateway               no Gateway: every chain settles on L1
  --base-port P              L1 port; ZK chain i listens on P+1+i, the Gateway on P+9 (0 = any free) [default: 8545]
  --host H                   address to listen on                               [default: 127.0.0.1]
  --data-dir D               manifest (network.json) and SQLite store; replaced [default: .junction]
  --batch-max-messages N     seal a batch once N messages wait                  [default: 1000]
  --batch-max-delay-ms MS    seal once the oldest message waited MS (0 = at once) [default: 0]
  --no-relay                 do not run the relayer (execute messages yourself)
${finalityUsage}

On your own nodes (docs/own-nodes.md): with --l1 and --chain / --gateway, deploys onto those nodes
(as \`junction deploy\` does) and runs the services; Junction starts no process. On a data dir deployed
onto your nodes, \`junction up\` runs its services again (the nodes keep their own state).
${nodeOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('up', args, {
      chains: { type: 'string' },
      'base-port': { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'batch-max-messages': { type: 'string' },
      'batch-max-delay-ms': { type: 'string' },
      'no-relay': { type: 'boolean' },
      'gateway-chains': { type: 'string' },
      'no-gateway': { type: 'boolean' },
      finality: { type: 'string' },
      ...nodeOptions,
    })
    // Nodes Junction did not start (given by URL, or in the data dir's manifest): only the services run.
    if (isUpOnNodes(values)) return upOnNodes(values)
    const committedFinality = committedFinalityFrom('up', values.finality)
    const chains = integerOption('up', 'chains', values.chains, 3, 1)
    if (values['no-gateway'] && values['gateway-chains'] !== undefined) throw new UsageError('--no-gateway and --gateway-chains exclude each other', { details: 'Run `junction up --help`.' })
    const onGateway = values['no-gateway']
      ? []
      : values['gateway-chains'] !== undefined
        ? values['gateway-chains'].split(',').map((name) => name.trim()).filter((name) => name !== '')
        : CHAIN_NAMES.slice(0, Math.max(1, chains - 1))
    const dataDir = values['data-dir'] ?? '.junction'
    console.log('junction: starting the network…')
    const network = await startNetwork({
      chains,
      onGateway,
      basePort: integerOption('up', 'base-port', values['base-port'], 8545),
      host: values.host,
      dataDir,
      ...servicesOptionsFrom('up', values),
      onProgress: (line) => console.log(`  ${line}`),
    })
    const { manifest } = network
    console.log()
    printNetworkTable(manifest)
    console.log()
    console.log(`manifest:        ${network.manifestPath}`)
    console.log(`InteropCenter:   ${manifest.l2Contracts.interopCenter} (ERC-7786 gateway, same address on every ZK chain)`)
    console.log(`example recipient: ${manifest.l2Contracts.exampleRecipient}`)
    console.log(`dev account:     ${manifest.accounts.users[0]!.address} (key in the manifest; development only)`)
    console.log(`ETH:             ${formatEther(DEV_USER_ETH_PER_ZK_CHAIN)} ETH deposited from L1 to each of the ${manifest.accounts.users.length} dev users on every ZK chain; gas is free there`)
    console.log('proofs:          batches are accepted by a DEVELOPMENT verifier, not a zero-knowledge proof;')
    console.log('                 message inclusion (Merkle proofs against imported roots) is checked on chain.')
    if (committedFinality) console.log(COMMITTED_FINALITY_NOTICE)
    console.log(`ready in ${(network.startupMs / 1000).toFixed(2)} s. Services running; Ctrl-C to stop.`)
    await new Promise<void>((resolve) => {
      onShutdown(async (signal) => {
        console.log(`\njunction: ${signal}, stopping services and chains…`)
        await network.stop()
        resolve()
      })
    })
  },
}
