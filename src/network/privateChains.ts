// The private chains of a network Junction starts (issue 14, docs/prividium.md "Private chains in a
// network"): their names, ids and ports, the permissioned RPC each gets, and the two views of the
// manifest (the users' one, where a private chain's rpcUrl is its proxy; the services' one, with the
// raw nodes).
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createPrividiumProxy, type PrividiumProxy } from '../prividium/PrividiumProxy.js'
import { defaultPrividiumConfig } from '../prividium/defaultConfig.js'
import type { PrividiumConfig } from '../prividium/config.js'
import { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import type { NetworkManifest } from './types.js'
import { withdrawalProofOf } from '../indexer/withdrawalProof.js'
import type { WithdrawalProofs } from '../prividium/withdrawalProofs.js'
import { openStore } from '../store/openStore.js'

/** Names given to private chains in order. */
export const PRIVATE_CHAIN_NAMES = ['bank-a', 'bank-b', 'bank-c', 'bank-d'] as const

/** Chain id of the i-th private chain (bank-a is 4201). */
export const privateChainId = (i: number) => 4201 + i

/** Private chain i's node listens on basePort + this + i, its permissioned RPC on basePort + {@link PRIVATE_PROXY_PORT_OFFSET} + i. */
export const PRIVATE_NODE_PORT_OFFSET = 10

/** See {@link PRIVATE_NODE_PORT_OFFSET}. */
export const PRIVATE_PROXY_PORT_OFFSET = 20

/** The folder of a data dir holding each private chain's proxy database (`<name>.db`: audit log, permission versions). */
export const PRIVIDIUM_DIR = 'prividium'

/**
 * The manifest as Junction's services see it: every private chain's `rpcUrl` is its raw node (from the
 * manifest's `services` part). A manifest without private chains comes back unchanged.
 *
 * @example
 * ```ts
 * const services = new NetworkServices({ manifest: nodeManifest(manifest), dataDir })
 * ```
 */
export function nodeManifest(manifest: NetworkManifest): NetworkManifest {
  const nodes = manifest.services?.privateNodes
  if (!nodes) return manifest
  return { ...manifest, chains: manifest.chains.map((chain) => (nodes[chain.name] ? { ...chain, rpcUrl: nodes[chain.name]!.rpcUrl } : chain)) }
}

/** A private chain's permissioned RPC as the manifest records it. */
export type PrivateEndpoint = { name: string; apiBaseUrl: string }

/**
 * The users' manifest: each private chain (named in `proxies`) marked `private: true`, with its
 * `apiBaseUrl` and `rpcUrl = <apiBaseUrl>/rpc`; the raw nodes (the chains' `rpcUrl` in `manifest`) moved
 * to the `services` part.
 *
 * @example
 * ```ts
 * const manifest = withPrivateChains(deployed, [{ name: 'bank-a', apiBaseUrl: proxy.url }])
 * ```
 */
export function withPrivateChains(manifest: NetworkManifest, proxies: readonly PrivateEndpoint[]): NetworkManifest {
  if (proxies.length === 0) return manifest
  const privateNodes: Record<string, { rpcUrl: string }> = {}
  const chains = manifest.chains.map((chain) => {
    const proxy = proxies.find((p) => p.name === chain.name)
    if (!proxy) return chain
    privateNodes[chain.name] = { rpcUrl: chain.rpcUrl }
    return { ...chain, rpcUrl: `${proxy.apiBaseUrl}/rpc`, private: true as const, apiBaseUrl: proxy.apiBaseUrl }
  })
  return { ...manifest, chains, services: { privateNodes } }
}

/** Parameters of {@link startPrivateProxies}. */
export type StartPrivateProxiesParameters = {
  /** The manifest with the private chains' raw nodes as their `rpcUrl` (as deployed, or {@link nodeManifest}). */
  manifest: NetworkManifest
  /** Names of the private chains. */
  names: readonly string[]
  dataDir: string
  host?: string | undefined
  /** Port of each proxy, by name (`0` or absent: any free port). */
  ports?: Readonly<Record<string, number>> | undefined
  /** Config of each proxy, by name. Default: `defaultPrividiumConfig` with the manifest's dev users as members. */
  configs?: Readonly<Record<string, PrividiumConfig>> | undefined
}

/**
 * Starts the permissioned RPC of each private chain in front of its raw node, each with its own SQLite
 * file in `<dataDir>/prividium/`. Default config: the manifest's dev users are members (the first also a
 * deployer), plus one auditor and one admin (`defaultPrividiumConfig`). Stops those it started if one fails.
 *
 * @example
 * ```ts
 * const proxies = await startPrivateProxies({ manifest, names: ['bank-a', 'bank-b'], dataDir })
 * ```
 */
export async function startPrivateProxies(parameters: StartPrivateProxiesParameters): Promise<PrividiumProxy[]> {
  const { manifest, dataDir } = parameters
  mkdirSync(join(dataDir, PRIVIDIUM_DIR), { recursive: true })
  const proxies: PrividiumProxy[] = []
  try {
    for (const name of parameters.names) {
      const chain = manifest.chains.find((c) => c.name === name)
      if (!chain) throw new RangeError(`no private chain ${name} in the manifest`)
      const config = parameters.configs?.[name] ?? defaultPrividiumConfig({ chainId: chain.chainId, members: manifest.accounts.users, l2Contracts: manifest.l2Contracts })
      const proxy = createPrividiumProxy({ nodeUrl: chain.rpcUrl, config, dbPath: join(dataDir, PRIVIDIUM_DIR, `${name}.db`), host: parameters.host, port: parameters.ports?.[name] ?? 0, name, withdrawalProofs: operatorWithdrawalProofs(manifest, dataDir, chain.chainId) })
      proxies.push(proxy)
      await proxy.start()
    }
    return proxies
  } catch (error) {
    await Promise.all(proxies.map((p) => p.stop()))
    throw error
  }
}

/**
 * A private chain's withdrawal proofs from its operator's index (the services' store, `<dataDir>/junction.db`),
 * which the chain's permissioned RPC serves to each withdrawal's sender. The store is opened for each request
 * (they are rare: one per withdrawal) and closed after, so the RPC holds no connection to it.
 */
function operatorWithdrawalProofs(manifest: NetworkManifest, dataDir: string, chainId: number): WithdrawalProofs {
  const path = join(dataDir, 'junction.db')
  return (transactionHash) => {
    if (!existsSync(path)) return { ready: false, reason: 'unknown' }
    const store = openStore(path)
    try {
      return withdrawalProofOf(store, manifest, { chainId, transactionHash })
    } finally {
      store.close()
    }
  }
}

/** The port of a private chain's permissioned RPC in a manifest (to start it again on the same one). */
export function proxyPortsOf(manifest: NetworkManifest): Record<string, number> {
  return Object.fromEntries(manifest.chains.filter((chain) => chain.private && chain.apiBaseUrl).map((chain) => [chain.name, Number(new URL(chain.apiBaseUrl!).port)]))
}

/**
 * Restricts forced calls from L1 (`L1AssetRouter.requestL2Call`, docs/protocol.md §9.12) to each named
 * chain to its allow-listed L1 senders (none yet: the registry's owner adds them with
 * `setL1CallSenderAllowed`), so that no L1 account bypasses a private chain's permissioned RPC; deposits
 * stay open to anyone. Sent by the L1 deployer, the owner of L1's ChainRegistry.
 *
 * @example
 * ```ts
 * await restrictL1Calls(manifest, ['bank-a', 'bank-b'])
 * ```
 */
export async function restrictL1Calls(manifest: NetworkManifest, names: readonly string[]): Promise<void> {
  const l1 = new ChainConnection(manifest.l1)
  for (const name of names) {
    const chain = manifest.chains.find((entry) => entry.name === name)
    if (!chain) throw new RangeError(`no private chain ${name} in the manifest`)
    await l1.write(manifest.accounts.l1Deployer.privateKey, { address: manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi, functionName: 'setL1CallsRestricted', args: [BigInt(chain.chainId), true], action: `restrict forced calls to ${name}` })
  }
}
