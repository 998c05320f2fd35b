import { join } from 'node:path'
import type { Address } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import { JunctionError } from '../errors/JunctionError.js'
import { NodeStateLostError } from '../errors/nodes.js'
import { loadManifest } from '../sdk/loadManifest.js'
import { NetworkServices, type NetworkServicesParameters } from '../services/NetworkServices.js'
import { deployOntoNodes, type DeployOntoNodesParameters } from './deployOntoNodes.js'
import { waitForDevUserDeposits, type DevUserDeposit } from './fundDevUsers.js'
import { resolveNodes } from './resolveNodes.js'
import type { NetworkManifest } from './types.js'

/** Parameters of {@link runOnNodes}. */
export type RunOnNodesParameters = Pick<NetworkServicesParameters, 'batchPolicy' | 'relay' | 'committedFinality'> & {
  /** Folder of the manifest and the store. Default `.junction`. */
  dataDir?: string | undefined
  /** The nodes to deploy onto first (`deployOntoNodes`); without, the network already in `dataDir` (deployed onto nodes Junction did not start). */
  deploy?: Omit<DeployOntoNodesParameters, 'dataDir' | 'onProgress'> | undefined
  /** How long to wait for the chains to release the dev users' deposits after a deployment. Default 120 000 ms. */
  depositTimeoutMs?: number | undefined
  onProgress?: ((line: string) => void) | undefined
  onServiceError?: ((service: string, error: unknown) => void) | undefined
}

/** A network on nodes Junction did not start, with its services running in this process. */
export type RunOnNodesReturnType = {
  manifest: NetworkManifest
  manifestPath: string
  services: NetworkServices
  /** The dev users' deposits of a deployment (released on every chain before this resolved); none when the network was already there. */
  devUserDeposits: DevUserDeposit[]
  /** Milliseconds from the call to the services running (and the deposits released, after a deployment). */
  startupMs: number
  /** Stops the services. The nodes are not Junction's: they keep running, with their state. */
  stop(): Promise<void>
}

/** `junction up` on a data dir whose nodes Junction started: those are resumed by `junction up` itself, not here. */
export class NotOnExternalNodesError extends JunctionError {
  override name = 'NotOnExternalNodesError'
  constructor(dataDir: string) {
    super(`the network in ${dataDir} runs on nodes Junction started, not on nodes given by URL`, {
      details: `Run \`junction up --data-dir ${dataDir}\` without node URLs to bring it up, or deploy onto your nodes into another --data-dir.`,
    })
  }
}

/**
 * Runs Junction on nodes it did not start: deploys onto them first when `deploy` names them
 * (`deployOntoNodes`), else takes the network already in `dataDir` (its manifest says `nodes: 'external'`)
 * after checking that every node still answers with its chain id and still holds Junction's contracts
 * (the nodes keep their own state: Junction keeps no checkpoint of them). Then runs the off-chain
 * services, which resume from `<dataDir>/junction.db`, and after a deployment waits until every chain
 * released the dev users' deposits. Starts no process, and calls no anvil-only method.
 *
 * @throws {NotOnExternalNodesError} `dataDir` holds a network whose nodes Junction started.
 * @throws {NodeStateLostError} a node no longer holds the network.
 *
 * @example
 * ```ts
 * const network = await runOnNodes({ dataDir: '.junction', deploy: { l1: { name: 'l1', rpcUrl: l1Url }, chains: [{ name: 'gamma', rpcUrl: gammaUrl }] } })
 * await network.stop()
 * ```
 */
export async function runOnNodes(parameters: RunOnNodesParameters): Promise<RunOnNodesReturnType> {
  const started = performance.now()
  const dataDir = parameters.dataDir ?? '.junction'
  const progress = parameters.onProgress ?? (() => {})
  let manifest: NetworkManifest
  let manifestPath: string
  let devUserDeposits: DevUserDeposit[] = []
  if (parameters.deploy) {
    ;({ manifest, manifestPath, devUserDeposits } = await deployOntoNodes({ ...parameters.deploy, dataDir, onProgress: progress }))
  } else {
    manifestPath = join(dataDir, 'network.json')
    manifest = loadManifest(manifestPath)
    if (manifest.nodes !== 'external') throw new NotOnExternalNodesError(dataDir)
    await expectNodesHoldNetwork(manifest)
    progress(`every node still answers with its chain id and holds the network (${manifest.chains.length + 1} nodes)`)
  }
  const services = new NetworkServices({ manifest, dataDir, batchPolicy: parameters.batchPolicy, relay: parameters.relay, committedFinality: parameters.committedFinality, onError: parameters.onServiceError })
  services.start()
  try {
    if (devUserDeposits.length > 0) {
      const depositsStarted = performance.now()
      progress("waiting for the chains to process the dev users' deposits…")
      await waitForDevUserDeposits(manifest, devUserDeposits, { timeoutMs: parameters.depositTimeoutMs ?? 120_000 })
      progress(`the chains released the dev users' ETH in ${Math.round(performance.now() - depositsStarted)} ms`)
    }
  } catch (error) {
    await services.stop()
    throw error
  }
  return { manifest, manifestPath, services, devUserDeposits, startupMs: performance.now() - started, stop: () => services.stop() }
}

/**
 * Throws unless every node of `manifest` answers with the chain id the manifest records
 * (`ChainIdMismatchError`, `NodeUnreachableError`) and still holds Junction's contracts there
 * ({@link NodeStateLostError}: on L1 its chain registry, on each ZK chain its InteropCenter).
 */
async function expectNodesHoldNetwork(manifest: NetworkManifest): Promise<void> {
  const gateway = manifest.chains.find((chain) => chain.role === 'gateway')
  await resolveNodes({
    l1: manifest.l1,
    chains: manifest.chains.filter((chain) => chain !== gateway),
    gateway,
    expectedFrom: 'the manifest',
  })
  const expectCode = async (node: { name: string; chainId: number; rpcUrl: string }, contract: string, address: Address) => {
    const code = await new ChainConnection(node).client.getCode({ address })
    if (code === undefined || code === '0x') throw new NodeStateLostError({ chainName: node.name, url: node.rpcUrl, contract, address })
  }
  await Promise.all([expectCode(manifest.l1, 'ChainRegistry', manifest.l1.contracts.chainRegistry), ...manifest.chains.map((chain) => expectCode(chain, 'InteropCenter', manifest.l2Contracts.interopCenter))])
}
