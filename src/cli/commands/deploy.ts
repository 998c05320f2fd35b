import { deployOntoNodes } from '../../network/deployOntoNodes.js'
import { UsageError, type Command } from '../runCommand.js'
import { parseOptions } from '../parseOptions.js'
import { printNetworkTable } from '../printNetwork.js'
import { devUserEthOption, nodeOptions, nodeOptionsUsage, nodesFromOptions } from './nodeOptions.js'

export const deployCommand: Command = {
  summary: 'deploy onto nodes you run (the L1, the Gateway, each ZK chain by URL) and write the manifest; starts no process',
  usage: `Usage: junction deploy --l1 URL (--chain NAME=URL[,gateway] ... | --gateway URL) [options]

Deploys Junction onto nodes Junction did not start and writes <data-dir>/network.json (marked as such:
Junction never starts, stops or checkpoints these nodes). Reads each node's chain id (eth_chainId) and
refuses, before it sends anything: an unreachable node, two chains with one name, URL or chain id, an
L1 or Gateway without a development chain id, a ZK chain not started from its genesis, an L1 that does
not fund the accounts Junction signs with. Then queues the dev users' ETH deposits from L1 to every ZK
chain; run the services next (\`junction services --data-dir D\`, or \`junction up --data-dir D\`) and
the chains release them.

Example:
  junction deploy --l1 http://10.0.0.1:8545 --gateway http://10.0.0.2:8545 \\
    --chain alpha=http://10.0.0.3:8545,gateway --chain gamma=http://10.0.0.4:8545

Options:
${nodeOptionsUsage}
  --data-dir D               where network.json goes (must not hold a network) [default: .junction]

docs/own-nodes.md: what the nodes need (genesis, flags, funded accounts, chain ids).`,
  async run(args) {
    const { values } = parseOptions('deploy', args, { ...nodeOptions, 'data-dir': { type: 'string' } })
    const nodes = nodesFromOptions('deploy', values)
    if (!nodes) throw new UsageError('deploy: name the nodes: --l1 URL and --chain NAME=URL (or --gateway URL)', { details: 'Run `junction deploy --help`.' })
    const dataDir = values['data-dir'] ?? '.junction'
    console.log('junction: deploying onto your nodes (Junction starts no process)…')
    const started = performance.now()
    const { manifest, manifestPath } = await deployOntoNodes({ ...nodes, dataDir, devUserEth: devUserEthOption('deploy', values['dev-user-eth']), onProgress: (line) => console.log(`  ${line}`) })
    console.log()
    printNetworkTable(manifest)
    console.log()
    console.log(`manifest:        ${manifestPath} (nodes: external)`)
    console.log(`deployed in ${((performance.now() - started) / 1000).toFixed(2)} s. Next, run the services: junction services --data-dir ${dataDir}`)
  },
}
