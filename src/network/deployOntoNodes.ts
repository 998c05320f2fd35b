import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatEther } from 'viem'
import { deployNetwork, expectDevelopmentSettlementLayers } from '../chain/deployNetwork.js'
import { DEV_USER_ETH_PER_ZK_CHAIN } from '../chain/devAccounts.js'
import { networkEntriesIn } from '../durability/dataDir.js'
import { NetworkAlreadyInDataDirError } from '../errors/nodes.js'
import { expectFundedL1 } from './expectFundedL1.js'
import { fundDevUsers, type DevUserDeposit } from './fundDevUsers.js'
import { resolveNodes, type ResolveNodesParameters } from './resolveNodes.js'
import type { NetworkManifest } from './types.js'

/** Parameters of {@link deployOntoNodes}: the nodes, and where the network's files go. */
export type DeployOntoNodesParameters = Omit<ResolveNodesParameters, 'expectedFrom'> & {
  /** Folder for the manifest (`network.json`) and, later, the services' store. Must not hold a network. Default `.junction`. */
  dataDir?: string | undefined
  /** What each dev user deposits from L1 to each ZK chain (wei). Default {@link DEV_USER_ETH_PER_ZK_CHAIN}; 0: none. */
  devUserEth?: bigint | undefined
  /** Seconds a priority request may wait to be processed (`DeployNetworkParameters.priorityRequestTimeoutSeconds`). */
  priorityRequestTimeoutSeconds?: number | undefined
  onProgress?: ((line: string) => void) | undefined
}

/** What {@link deployOntoNodes} resolves with. */
export type DeployOntoNodesReturnType = {
  /** The network's manifest, with `nodes: 'external'`. */
  manifest: NetworkManifest
  manifestPath: string
  /** The dev users' ETH deposits, queued on L1: the chains release the ETH once the services run. */
  devUserDeposits: DevUserDeposit[]
}

/**
 * Deploys Junction onto nodes it did not start (any EVM JSON-RPC nodes: the L1, the Gateway, each ZK
 * chain) and writes `<dataDir>/network.json`, marked `nodes: 'external'`: Junction never starts, stops,
 * checkpoints or restores these nodes. It starts no process and calls no anvil-only method: it reads each
 * node's chain id (`resolveNodes`), checks that the L1 funds the accounts it signs with
 * (`expectFundedL1`), deploys and registers everything (`deployNetwork`, which first checks the
 * development chain ids, fresh deployers and every ZK chain's genesis), writes the manifest, then queues
 * the dev users' ETH deposits from L1 to every ZK chain (`fundDevUsers`). Run the services next
 * (`NetworkServices`, `junction services`): they process the deposits.
 *
 * @throws {NetworkAlreadyInDataDirError} `dataDir` holds a network.
 * @throws {NodeUnreachableError | ChainIdMismatchError | DuplicateNodeError | NotADevelopmentChainError | L1AccountsNotFundedError | DeployerNonceError | ZkChainGenesisError | GatewayMissingError}
 *   a node refused before anything was sent.
 *
 * @example
 * ```ts
 * const { manifest } = await deployOntoNodes({
 *   l1: { name: 'l1', rpcUrl: 'http://10.0.0.1:8545' },
 *   chains: [{ name: 'alpha', rpcUrl: 'http://10.0.0.2:8545', settlesOn: 'gateway' }, { name: 'gamma', rpcUrl: 'http://10.0.0.4:8545' }],
 *   gateway: { name: 'gateway', rpcUrl: 'http://10.0.0.3:8545' },
 *   dataDir: '.junction',
 * })
 * ```
 */
export async function deployOntoNodes(parameters: DeployOntoNodesParameters): Promise<DeployOntoNodesReturnType> {
  const dataDir = parameters.dataDir ?? '.junction'
  const progress = parameters.onProgress ?? (() => {})
  const found = networkEntriesIn(dataDir)
  if (found.length > 0) throw new NetworkAlreadyInDataDirError({ dataDir, found })
  const devUserEth = parameters.devUserEth ?? DEV_USER_ETH_PER_ZK_CHAIN

  const nodes = await resolveNodes(parameters)
  for (const node of [nodes.l1, ...nodes.chains, ...(nodes.gateway ? [nodes.gateway] : [])]) progress(`${node.name}: chain ${node.chainId} at ${node.rpcUrl}`)
  expectDevelopmentSettlementLayers(nodes)
  // deployNetwork's order: the ZK chains, then the Gateway (their operators are dev accounts in that order).
  await expectFundedL1({ l1: nodes.l1, zkChains: [...nodes.chains.map((chain) => chain.name), ...(nodes.gateway ? [nodes.gateway.name] : [])], devUserEth })
  progress(`${nodes.l1.name} funds the accounts Junction signs with there`)

  const deployed = await deployNetwork({ ...nodes, onProgress: progress, priorityRequestTimeoutSeconds: parameters.priorityRequestTimeoutSeconds })
  const manifest: NetworkManifest = { ...deployed, nodes: 'external' }
  mkdirSync(dataDir, { recursive: true })
  const manifestPath = join(dataDir, 'network.json')
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n')
  progress(`wrote ${manifestPath}`)

  const devUserDeposits = devUserEth > 0n ? await fundDevUsers(manifest, { amount: devUserEth }) : []
  if (devUserDeposits.length > 0) progress(`deposited from ${manifest.l1.name} ${formatEther(devUserEth)} ETH for each of the ${manifest.accounts.users.length} dev users on ${manifest.chains.map((chain) => chain.name).join(', ')}; the chains release it once the services run`)
  return { manifest, manifestPath, devUserDeposits }
}
