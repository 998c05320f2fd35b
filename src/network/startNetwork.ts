import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatEther } from 'viem'
import { DEV_ACCOUNT_BALANCE_ETH, DEV_ACCOUNT_COUNT, DEV_MNEMONIC, DEV_ROLES, DEV_USER_ETH_PER_ZK_CHAIN, devAccount, operatorRole } from '../chain/devAccounts.js'
import { deployNetwork, predictL2Contracts } from '../chain/deployNetwork.js'
import { PRODUCED_BLOCK_GAS_LIMIT, zkChainGenesis, zkChainNodeFlags } from '../chain/zkChainNode.js'
import { ChainHeads } from '../chain/ChainHeads.js'
import { createAnvil, type AnvilProcess } from '../chain/process/index.js'
import type { Checkpointer } from '../durability/Checkpointer.js'
import { checkpointNetwork, type CheckpointOptions } from '../durability/checkpointNetwork.js'
import { assertNoNetworkIn } from '../durability/dataDir.js'
import type { BatchPolicy } from '../sequencer/Batcher.js'
import type { BlockProducer } from '../sequencer/BlockProducer.js'
import { NetworkServices } from '../services/NetworkServices.js'
import { startBlockProducers } from './startBlockProducers.js'
import { fundDevUsers, waitForDevUserDeposits, type DevUserDeposit } from './fundDevUsers.js'
import { nodeManifest, PRIVATE_CHAIN_NAMES, PRIVATE_NODE_PORT_OFFSET, PRIVATE_PROXY_PORT_OFFSET, privateChainId, restrictL1Calls, startPrivateProxies, withPrivateChains } from './privateChains.js'
import { fundOperators } from './fundOperators.js'
import { importRootsInBlocks, type ImportRootsInBlocksReturnType } from './importRootsInBlocks.js'
import type { NetworkManifest } from './types.js'
import type { PrividiumProxy } from '../prividium/PrividiumProxy.js'
import type { PrividiumConfig } from '../prividium/config.js'

/** Names given to ZK chains in order. */
export const CHAIN_NAMES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'] as const

/** Chain id of the L1 (a development chain id the development verifier accepts). */
export const L1_CHAIN_ID = 31337

/** Chain id of the Gateway (a development chain id, so its development verifier runs). */
export const GATEWAY_CHAIN_ID = 31338

/** The Gateway listens on basePort + this (after the largest number of ZK chains). */
const GATEWAY_PORT_OFFSET = 9

/** Chain id of the i-th ZK chain (alpha is 271). */
export const zkChainId = (i: number) => 271 + i

/** Parameters of {@link startNetwork}. */
export type StartNetworkParameters = {
  /** Number of ZK chains (1 to 8). Default 2. */
  chains?: number
  /**
   * Number of private chains (`bank-a`, `bank-b`, ...; 0 to 4), each behind its permissioned RPC
   * (docs/prividium.md); they settle on the Gateway when there is one, else on L1. Default 0 (`junction up`: 2).
   */
  privateChains?: number
  /** Config of each private chain's permissioned RPC, by name. Default: `defaultPrividiumConfig` with the dev users as members. */
  privateConfigs?: Readonly<Record<string, PrividiumConfig>>
  /**
   * Names of the chains that settle on the Gateway (e.g. `['alpha', 'beta']`); the others settle on
   * L1. Non-empty: the network has a Gateway. Default: none, no Gateway.
   */
  onGateway?: readonly string[]
  /** Port of the L1; ZK chain i listens on basePort + 1 + i, the Gateway on basePort + 9. `0` picks free ports. Default 8545. */
  basePort?: number
  host?: string
  /**
   * Folder for the manifest, the SQLite store, the ZK chains' genesis files (`genesis/<name>.json`) and the
   * checkpoints. Default `.junction`. It must not hold a network already ({@link DataDirInUseError}):
   * `resumeNetwork` resumes one, `moveNetworkAside` clears it.
   */
  dataDir?: string
  batchPolicy?: Partial<BatchPolicy>
  /** Run the off-chain services (default true). */
  services?: boolean
  /** Run the relayer among them (default true). */
  relay?: boolean
  /** Committed finality (docs/protocol.md §12, opt-in; default false): see `NetworkServicesParameters`. */
  committedFinality?: boolean
  /** Whose gas the relayer's executions are (`NetworkServicesParameters.relayerFeePolicy`, docs/fees.md; default `'sponsor'`). */
  relayerFeePolicy?: 'sponsor' | 'require'
  /** Seconds a priority request may wait to be processed (`DeployNetworkParameters.priorityRequestTimeoutSeconds`). */
  priorityRequestTimeoutSeconds?: number
  /**
   * Take checkpoints of every chain and the store, so that `resumeNetwork` can resume the network after a
   * stop or a crash (src/durability/Checkpointer.ts; `true`: the defaults). Default false.
   */
  checkpoints?: boolean | CheckpointOptions
  onProgress?: (line: string) => void
  onServiceError?: (service: string, error: unknown) => void
}

/** A running network: its manifest, processes and services. */
export type RunningNetwork = {
  manifest: NetworkManifest
  manifestPath: string
  processes: AnvilProcess[]
  /** The permissioned RPC of each private chain (none without private chains). */
  proxies?: readonly PrividiumProxy[]
  /** The producer of each node's blocks (the nodes run with automine off), in the order of `processes`. */
  producers: BlockProducer[]
  services: NetworkServices | undefined
  /**
   * The deposits from L1 made at start: the dev users' ETH to every ZK chain, and each chain's operator's
   * (`fundOperators`, for the tips of its root imports), in that order per chain. With the services
   * running, startNetwork waited until every chain processed them; without, the chains process them once
   * the services run.
   */
  devUserDeposits: DevUserDeposit[]
  /** The root imports each ZK chain's producer puts first in its blocks (`importRootsInBlocks`). */
  rootImports: ImportRootsInBlocksReturnType['imports']
  /** Takes the network's checkpoints, when asked for; `stop()` takes a final one. */
  checkpointer: Checkpointer | undefined
  /** Milliseconds from the call to everything deployed, the services started and the dev users funded. */
  startupMs: number
  stop(): Promise<void>
}

/**
 * Starts an L1 and `chains` ZK chains as anvil processes on loopback, deploys and registers every
 * contract, writes `<dataDir>/network.json`, and starts the off-chain services. The L1 funds its dev
 * accounts (it plays Ethereum); each ZK chain starts from a genesis that gives its whole ETH supply to
 * the BaseTokenHolder and charges no gas (`zkChainGenesis`, `zkChainNodeFlags`), and the dev users get
 * their ETH there by deposits from L1 ({@link fundDevUsers}), processed before this resolves when the
 * services run.
 *
 * @example
 * ```ts
 * const network = await startNetwork({ chains: 2 })
 * console.log(network.manifest.chains.map((c) => c.rpcUrl))
 * await network.stop()
 * ```
 */
export async function startNetwork(parameters: StartNetworkParameters = {}): Promise<RunningNetwork> {
  const started = performance.now()
  const count = parameters.chains ?? 2
  if (!Number.isInteger(count) || count < 1 || count > CHAIN_NAMES.length) throw new RangeError(`--chains must be between 1 and ${CHAIN_NAMES.length}, got ${count}`)
  const basePort = parameters.basePort ?? 8545
  const dataDir = parameters.dataDir ?? '.junction'
  assertNoNetworkIn(dataDir)
  const progress = parameters.onProgress ?? (() => {})
  const onGateway = new Set(parameters.onGateway ?? [])
  for (const name of onGateway) {
    if (!CHAIN_NAMES.slice(0, count).includes(name as never)) throw new RangeError(`--gateway-chains names ${name}, which is not one of the ${count} chains (${CHAIN_NAMES.slice(0, count).join(', ')})`)
  }
  const privateCount = parameters.privateChains ?? 0
  if (!Number.isInteger(privateCount) || privateCount < 0 || privateCount > PRIVATE_CHAIN_NAMES.length) throw new RangeError(`--private-chains must be between 0 and ${PRIVATE_CHAIN_NAMES.length}, got ${privateCount}`)
  // Each chain's operator is a dev account of its own (operatorRole), and there are DEV_ACCOUNT_COUNT.
  if (operatorRole(count + privateCount) >= DEV_ACCOUNT_COUNT) throw new RangeError(`--chains ${count} and --private-chains ${privateCount}: at most ${DEV_ACCOUNT_COUNT - operatorRole(0) - 1} chains in all`)
  const privateNames = PRIVATE_CHAIN_NAMES.slice(0, privateCount)
  // Positions: the chains, then the private chains, then the Gateway (deployNetwork's order of operators).
  const specs = [
    { name: 'l1', chainId: L1_CHAIN_ID, port: basePort, operator: -1 },
    ...Array.from({ length: count }, (_, i) => ({ name: CHAIN_NAMES[i]!, chainId: zkChainId(i), port: basePort === 0 ? 0 : basePort + 1 + i, operator: i })),
    ...privateNames.map((name, i) => ({ name, chainId: privateChainId(i), port: basePort === 0 ? 0 : basePort + PRIVATE_NODE_PORT_OFFSET + i, operator: count + i })),
    ...(onGateway.size > 0 ? [{ name: 'gateway', chainId: GATEWAY_CHAIN_ID, port: basePort === 0 ? 0 : basePort + GATEWAY_PORT_OFFSET, operator: count + privateCount }] : []),
  ]
  // Every ZK chain (the Gateway too) starts from its genesis: the ETH supply allocated to the
  // BaseTokenHolder's address, the chain's operator as coinbase, no ETH for dev accounts, no gas charged.
  const genesisDir = join(dataDir, 'genesis')
  mkdirSync(genesisDir, { recursive: true })
  const { baseTokenHolder } = predictL2Contracts(devAccount(DEV_ROLES.l2Deployer).address)
  const processes = specs.map(({ operator, ...spec }) => {
    // Automine off: Junction's block producer mines (src/sequencer/BlockProducer.ts).
    const dev = { ...spec, host: parameters.host, accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC, noMining: true }
    if (operator < 0) return createAnvil({ ...dev, balance: DEV_ACCOUNT_BALANCE_ETH })
    const genesisFile = join(genesisDir, `${spec.name}.json`)
    const genesis = zkChainGenesis({ chainId: spec.chainId, baseTokenHolder, feeRecipient: devAccount(operatorRole(operator)).address })
    writeFileSync(genesisFile, JSON.stringify(genesis, null, 2) + '\n')
    return createAnvil({ ...dev, extraArgs: [...zkChainNodeFlags({ genesisFile }), '--gas-limit', String(PRODUCED_BLOCK_GAS_LIMIT)] })
  })
  let services: NetworkServices | undefined
  let checkpointer: Checkpointer | undefined
  let proxies: PrividiumProxy[] = []
  let producers: BlockProducer[] = []
  let rootImports: ImportRootsInBlocksReturnType | undefined
  const stop = async () => {
    await services?.stop()
    await Promise.all(proxies.map((p) => p.stop()))
    // The final checkpoint, after the services; it pauses the producers while the chains are frozen.
    await checkpointer?.stop()
    rootImports?.stop()
    await Promise.all(producers.map((p) => p.stop()))
    await Promise.all(processes.map((p) => p.stop()))
  }
  try {
    await Promise.all(processes.map((p) => p.start()))
    producers = await startBlockProducers(processes, (name, error) => parameters.onServiceError?.(`produce blocks on ${name}`, error))
    progress(`started ${processes.length} anvil processes and their block producers in ${Math.round(performance.now() - started)} ms`)
    const endpoints = specs.map((spec, i) => ({ name: spec.name, chainId: spec.chainId, rpcUrl: processes[i]!.rpcUrl }))
    const deployed = await deployNetwork({
      l1: endpoints[0]!,
      chains: [
        ...endpoints.slice(1, count + 1).map((endpoint) => ({ ...endpoint, settlesOn: onGateway.has(endpoint.name) ? ('gateway' as const) : ('l1' as const) })),
        ...endpoints.slice(count + 1, count + 1 + privateCount).map((endpoint) => ({ ...endpoint, settlesOn: onGateway.size > 0 ? ('gateway' as const) : ('l1' as const), private: true })),
      ],
      gateway: onGateway.size > 0 ? endpoints[count + 1 + privateCount] : undefined,
      onProgress: progress,
      priorityRequestTimeoutSeconds: parameters.priorityRequestTimeoutSeconds,
    })
    // Each private chain: forced calls from L1 only from allow-listed senders, and its permissioned RPC
    // in front of it; the users' manifest names the proxies only.
    await restrictL1Calls(deployed, privateNames)
    const proxyPort = (i: number) => (basePort === 0 ? 0 : basePort + PRIVATE_PROXY_PORT_OFFSET + i)
    proxies = await startPrivateProxies({ manifest: deployed, names: privateNames, dataDir, host: parameters.host, ports: Object.fromEntries(privateNames.map((name, i) => [name, proxyPort(i)])), configs: parameters.privateConfigs })
    if (proxies.length > 0) progress(`started the permissioned RPC of ${privateNames.map((name, i) => `${name} (${proxies[i]!.url})`).join(', ')}`)
    const manifest = withPrivateChains(deployed, privateNames.map((name, i) => ({ name, apiBaseUrl: proxies[i]!.url })))
    mkdirSync(dataDir, { recursive: true })
    const manifestPath = join(dataDir, 'network.json')
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n')
    // Root imports are part of block production: the producers read what the services store.
    rootImports = importRootsInBlocks({ manifest: nodeManifest(manifest), dataDir, producers, onError: (name, error) => parameters.onServiceError?.(`import roots into ${name}`, error) })
    if (parameters.services !== false) {
      services = new NetworkServices({ manifest: nodeManifest(manifest), dataDir, heads: ChainHeads.of(producers), batchPolicy: parameters.batchPolicy, relay: parameters.relay, committedFinality: parameters.committedFinality, relayerFeePolicy: parameters.relayerFeePolicy, onError: parameters.onServiceError })
      services.start()
    }
    const [userDeposits, operatorDeposits] = await Promise.all([fundDevUsers(manifest), fundOperators(manifest)])
    const devUserDeposits = [...userDeposits, ...operatorDeposits].sort((a, b) => a.chainId - b.chainId || Number(a.requestIndex - b.requestIndex))
    const funded = `${formatEther(DEV_USER_ETH_PER_ZK_CHAIN)} ETH for each of the ${manifest.accounts.users.length} dev users on ${manifest.chains.map((chain) => chain.name).join(', ')}`
    if (services) {
      const depositsStarted = performance.now()
      progress(`deposited from L1 ${funded}; waiting for the chains to process the deposits…`)
      await waitForDevUserDeposits(nodeManifest(manifest), devUserDeposits)
      progress(`the chains released the dev users' ETH in ${Math.round(performance.now() - depositsStarted)} ms`)
    } else {
      progress(`deposited from L1 ${funded}; the chains release it once the services run`)
    }
    if (parameters.checkpoints) checkpointer = await checkpointNetwork({ ...(parameters.checkpoints === true ? {} : parameters.checkpoints), dataDir, manifestPath, processes, producers: new Map(producers.map((p) => [p.name, p])) })
    return { manifest, manifestPath, processes, proxies, producers, rootImports: rootImports.imports, services, devUserDeposits, checkpointer, startupMs: performance.now() - started, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
