import type { ChainEndpoint, ZkChainEndpoint } from '../chain/deployNetwork.js'
import { waitForRpc } from '../chain/process/index.js'
import { ChainIdMismatchError, DuplicateNodeError, NodeUnreachableError } from '../errors/nodes.js'

/** A node Junction did not start: what the chain is called, where it answers, and optionally the chain id it must have. */
export type NodeSpec = {
  name: string
  rpcUrl: string
  /** The chain id the node must answer with; refused otherwise ({@link ChainIdMismatchError}). Default: whatever it answers. */
  chainId?: number | undefined
}

/** Parameters of {@link resolveNodes}. */
export type ResolveNodesParameters = {
  l1: NodeSpec
  /** The ZK chains, each settling on L1 (default) or on the Gateway. */
  chains: readonly (NodeSpec & { settlesOn?: 'l1' | 'gateway' | undefined })[]
  gateway?: NodeSpec | undefined
  /** How long each node may take to answer `eth_chainId`. Default 5 000 ms. */
  timeoutMs?: number | undefined
  /** Where an expected chain id comes from, in errors. Default `chain-id=`. */
  expectedFrom?: string | undefined
}

/** The endpoints {@link deployNetwork} takes, with the chain ids the nodes answered with. */
export type ResolveNodesReturnType = { l1: ChainEndpoint; chains: ZkChainEndpoint[]; gateway?: ChainEndpoint }

/**
 * Asks each node Junction did not start for its chain id (`eth_chainId`) and checks the network they
 * make: every node answers ({@link NodeUnreachableError}), with the chain id expected of it if one was
 * given ({@link ChainIdMismatchError}), and no two chains share a name, a URL or a chain id
 * ({@link DuplicateNodeError}). Sends nothing.
 *
 * @example
 * ```ts
 * const { l1, chains, gateway } = await resolveNodes({ l1: { name: 'l1', rpcUrl: 'http://10.0.0.1:8545' }, chains: [{ name: 'alpha', rpcUrl: 'http://10.0.0.2:8545', settlesOn: 'gateway' }], gateway: { name: 'gateway', rpcUrl: 'http://10.0.0.3:8545' } })
 * ```
 */
export async function resolveNodes(parameters: ResolveNodesParameters): Promise<ResolveNodesReturnType> {
  const specs = [parameters.l1, ...parameters.chains, ...(parameters.gateway ? [parameters.gateway] : [])]
  expectDistinct(specs, 'name', (spec) => spec.name)
  expectDistinct(specs, 'url', (spec) => normalizeUrl(spec.rpcUrl))
  const timeoutMs = parameters.timeoutMs ?? 5_000
  const chainIds = await Promise.all(
    specs.map(async (spec) => {
      const chainId = await waitForRpc(spec.rpcUrl, { timeoutMs }).catch((error: unknown) => {
        throw new NodeUnreachableError({ chainName: spec.name, url: spec.rpcUrl, timeoutMs, cause: error })
      })
      if (spec.chainId !== undefined && spec.chainId !== chainId) {
        throw new ChainIdMismatchError({ chainName: spec.name, url: spec.rpcUrl, expected: spec.chainId, actual: chainId, expectedFrom: parameters.expectedFrom ?? 'chain-id=' })
      }
      return chainId
    }),
  )
  const endpoints = specs.map((spec, i) => ({ name: spec.name, chainId: chainIds[i]!, rpcUrl: spec.rpcUrl }))
  expectDistinct(endpoints, 'chain id', (endpoint) => String(endpoint.chainId))
  return {
    l1: endpoints[0]!,
    chains: parameters.chains.map((chain, i) => ({ ...endpoints[1 + i]!, settlesOn: chain.settlesOn ?? 'l1' })),
    ...(parameters.gateway ? { gateway: endpoints[endpoints.length - 1]! } : {}),
  }
}

/** Throws {@link DuplicateNodeError} if two of `items` have the same `key`. */
function expectDistinct<T extends { name: string }>(items: readonly T[], what: 'name' | 'url' | 'chain id', key: (item: T) => string): void {
  const seen = new Map<string, string>()
  for (const item of items) {
    const value = key(item)
    const first = seen.get(value)
    if (first !== undefined) throw new DuplicateNodeError({ what, value, chains: [first, item.name] })
    seen.set(value, item.name)
  }
}

/** A URL as a node sees it (`http://127.0.0.1:8545` and `http://127.0.0.1:8545/` are one node). */
function normalizeUrl(url: string): string {
  try {
    return new URL(url).href
  } catch {
    return url
  }
}
