import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import { ChainHeads } from '../chain/ChainHeads.js'
import { createAnvil, isPortFree } from '../chain/process/index.js'
import { sha256 } from '../durability/checkpointFiles.js'
import type { Checkpointer } from '../durability/Checkpointer.js'
import { checkpointNetwork, type CheckpointOptions } from '../durability/checkpointNetwork.js'
import { networkEntriesIn } from '../durability/dataDir.js'
import { restoreCheckpoint, type RestoreCheckpointReturnType } from '../durability/restoreCheckpoint.js'
import { CannotResumeError } from '../errors/durability.js'
import type { BlockProducer } from '../sequencer/BlockProducer.js'
import { NetworkServices } from '../services/NetworkServices.js'
import { importRootsInBlocks, type ImportRootsInBlocksReturnType } from './importRootsInBlocks.js'
import { startBlockProducers } from './startBlockProducers.js'
import type { RunningNetwork, StartNetworkParameters } from './startNetwork.js'
import type { NetworkManifest } from './types.js'
import { nodeManifest, proxyPortsOf, startPrivateProxies } from './privateChains.js'
import type { PrividiumProxy } from '../prividium/PrividiumProxy.js'
import { CONTRACTS_VERSION } from './contractsVersion.js'

/** Parameters of {@link resumeNetwork}: the services' options (the topology is the network's own). */
export type ResumeNetworkParameters = Pick<StartNetworkParameters, 'dataDir' | 'privateConfigs' | 'batchPolicy' | 'services' | 'relay' | 'committedFinality' | 'onProgress' | 'onServiceError'> & {
  /** Go on taking checkpoints (default true; `false`: none, the next resume starts from this one again). */
  checkpoints?: boolean | CheckpointOptions
}

/** A resumed network, and what its resume did. */
export type ResumeNetworkReturnType = RunningNetwork & {
  restored: Pick<RestoreCheckpointReturnType, 'checkpoint' | 'skipped' | 'partial' | 'rollback'>
}

/** How long a node may take to load its state and listen (a large state takes seconds). */
const LOAD_TIMEOUT_MS = 120_000

/**
 * Resumes the network in `dataDir` from its newest whole checkpoint: every chain's node started again
 * on its port with the checkpoint's state (`anvil --load-state`), checked to be at the checkpoint's
 * head block, the store put back as it was then, the services and the checkpoints started again. What
 * the network did after that checkpoint (after a crash) is taken back: `restored.rollback` says what.
 *
 * @throws {CannotResumeError} no manifest, no whole checkpoint, a port taken, or a node that came back elsewhere.
 *
 * @example
 * ```ts
 * const network = await resumeNetwork({ dataDir: '.junction' })
 * console.log(describeRollback(network.restored.rollback).join('\n'))
 * await network.stop()
 * ```
 */
export async function resumeNetwork(parameters: ResumeNetworkParameters = {}): Promise<ResumeNetworkReturnType> {
  const started = performance.now()
  const dataDir = parameters.dataDir ?? '.junction'
  const progress = parameters.onProgress ?? (() => {})
  const manifestPath = join(dataDir, 'network.json')
  if (!existsSync(manifestPath)) {
    throw new CannotResumeError({ dataDir, reason: 'it has no network.json', problems: [`found only ${networkEntriesIn(dataDir).join(', ')}`] })
  }
  const manifestBytes = readFileSync(manifestPath)
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as NetworkManifest
  if (manifest.nodes === 'external') {
    throw new CannotResumeError({ dataDir, reason: 'its chains are nodes Junction did not start ("nodes": "external"): they keep their own state, and Junction neither checkpoints nor restores them', problems: ['run `junction up` on this data dir to run the services against those nodes (docs/own-nodes.md)'] })
  }
  if (manifest.contractsVersion !== CONTRACTS_VERSION) {
    throw new CannotResumeError({
      dataDir,
      reason: `it was deployed by another version of Junction (contracts version ${manifest.contractsVersion ?? 'none'}, this Junction's is ${CONTRACTS_VERSION}): its chains hold contracts this one does not speak to`,
      problems: ['a network resumes only with the contracts it was deployed with'],
    })
  }
  const restored = await restoreCheckpoint({
    dataDir,
    manifestSha256: sha256(manifestBytes),
    // A network keeps its ports: one taken means this network may still run; touch nothing then.
    beforeChange: async ({ meta }) => {
      for (const node of meta.nodes) {
        if (!(await isPortFree(node.port, node.host ?? '127.0.0.1'))) {
          throw new CannotResumeError({ dataDir, reason: `port ${node.port} of ${node.name} is in use`, problems: ['a network keeps its ports: is this one still running (another `junction up` on this data dir)? Stop it first'] })
        }
      }
    },
  })
  const { meta } = restored.checkpoint
  progress(`resuming from checkpoint ${meta.sequence} (${meta.reason === 'stop' ? 'taken at a clean stop' : 'the last one before the network ended'}, ${meta.takenAt})`)
  // Automine off, also for a node whose checkpoint predates Junction's block production: Junction mines.
  const processes = restored.nodes.map(({ node, stateFile }) => createAnvil({ ...node, blockTime: undefined, noMining: true, loadState: stateFile, startTimeoutMs: LOAD_TIMEOUT_MS }))
  let services: NetworkServices | undefined
  let checkpointer: Checkpointer | undefined
  let proxies: PrividiumProxy[] = []
  let producers: BlockProducer[] = []
  let rootImports: ImportRootsInBlocksReturnType | undefined
  const stop = async () => {
    await services?.stop()
    await Promise.all(proxies.map((p) => p.stop()))
    await checkpointer?.stop()
    rootImports?.stop()
    await Promise.all(producers.map((p) => p.stop()))
    await Promise.all(processes.map((p) => p.stop()))
  }
  try {
    await Promise.all(processes.map((p) => p.start()))
    restored.cleanup()
    progress(`started ${processes.length} anvil processes from the checkpoint's states in ${Math.round(performance.now() - started)} ms`)
    // Junction's side of the network: private chains by their raw nodes.
    const nodes = nodeManifest(manifest)
    const endpoints = [nodes.l1, ...nodes.chains]
    await Promise.all(
      meta.chains.map(async (chain) => {
        const process = processes.find((p) => p.name === chain.name)
        const endpoint = endpoints.find((e) => e.name === chain.name)
        if (!process || !endpoint || endpoint.rpcUrl !== process.rpcUrl) {
          throw new CannotResumeError({ dataDir, reason: `${chain.name} is at ${process?.rpcUrl ?? 'no node'}, the manifest says ${endpoint?.rpcUrl ?? 'nothing'}` })
        }
        const head = (await new ChainConnection(endpoint).client.request({ method: 'eth_getBlockByNumber', params: ['latest', false] } as never)) as { number: Hex; hash: Hex }
        if (Number(BigInt(head.number)) !== chain.head || head.hash !== chain.headHash) {
          throw new CannotResumeError({ dataDir, reason: `${chain.name} came back at block ${Number(BigInt(head.number))} (${head.hash}), the checkpoint holds block ${chain.head} (${chain.headHash})` })
        }
      }),
    )
    // The heads are checked first: a producer mines what waited, and a node's pool is empty after a restart anyway.
    producers = await startBlockProducers(processes, (name, error) => parameters.onServiceError?.(`produce blocks on ${name}`, error))
    rootImports = importRootsInBlocks({ manifest: nodes, dataDir, producers, onError: (name, error) => parameters.onServiceError?.(`import roots into ${name}`, error) })
    // Each private chain's permissioned RPC again on its port, with its database (permissions as last changed).
    const privateNames = manifest.chains.filter((chain) => chain.private).map((chain) => chain.name)
    proxies = await startPrivateProxies({ manifest: nodes, names: privateNames, dataDir, host: processes[0]?.host, ports: proxyPortsOf(manifest), configs: parameters.privateConfigs })
    if (parameters.services !== false) {
      services = new NetworkServices({ manifest: nodes, dataDir, heads: ChainHeads.of(producers), batchPolicy: parameters.batchPolicy, relay: parameters.relay, committedFinality: parameters.committedFinality, onError: parameters.onServiceError })
      services.start()
    }
    if (parameters.checkpoints !== false) checkpointer = await checkpointNetwork({ ...(parameters.checkpoints === undefined || parameters.checkpoints === true ? {} : parameters.checkpoints), dataDir, manifestPath, processes, producers: new Map(producers.map((p) => [p.name, p])) })
    const { checkpoint, skipped, partial, rollback } = restored
    return { manifest, manifestPath, processes, proxies, producers, rootImports: rootImports.imports, services, devUserDeposits: [], checkpointer, startupMs: performance.now() - started, stop, restored: { checkpoint, skipped, partial, rollback } }
  } catch (error) {
    await stop()
    throw error
  }
}
