import { existsSync, readFileSync } from 'node:fs'
import { JunctionError } from '../errors/JunctionError.js'
import type { NetworkManifest, ZkChainInfo } from '../network/types.js'

/** No network manifest where one was expected. */
export class ManifestNotFoundError extends JunctionError {
  override name = 'ManifestNotFoundError'
  constructor(path: string) {
    super(`no network manifest at ${path}`, { details: 'Start a network with `npx junction up` (it writes .junction/network.json), or pass --network <path>.' })
  }
}

/** A chain name or id that is not in the network. */
export class ChainNotFoundError extends JunctionError {
  override name = 'ChainNotFoundError'
  constructor(chain: string | number, known: string[], note?: string) {
    super(`unknown chain "${chain}"`, { details: `${note ? `${note}. ` : ''}Chains of this network: ${known.join(', ')}.` })
  }
}

/**
 * Reads a network manifest written by `junction up`.
 *
 * @example
 * ```ts
 * const manifest = loadManifest('.junction/network.json')
 * ```
 */
export function loadManifest(path: string): NetworkManifest {
  if (!existsSync(path)) throw new ManifestNotFoundError(path)
  return JSON.parse(readFileSync(path, 'utf8')) as NetworkManifest
}

/**
 * Finds a ZK chain of the network by name (`alpha`) or chain id (`271`).
 *
 * @example
 * ```ts
 * const beta = findChain(manifest, 'beta')
 * ```
 */
export function findChain(manifest: NetworkManifest, chain: string | number): ZkChainInfo {
  const found = manifest.chains.find((c) => c.name === String(chain) || c.chainId === Number(chain))
  if (!found && (String(chain) === manifest.l1.name || Number(chain) === manifest.l1.chainId)) {
    throw new ChainNotFoundError(chain, manifest.chains.map((c) => `${c.name} (${c.chainId})`), 'L1 is not a ZK chain here; use findDestination for where a bundle may go')
  }
  if (!found) throw new ChainNotFoundError(chain, manifest.chains.map((c) => `${c.name} (${c.chainId})`))
  return found
}

/**
 * Where a message or bundle may go: a ZK chain (name or id), or L1 (`l1` or its chain id), where
 * bundles run from the sender's alias account. Anything else is {@link ChainNotFoundError}, naming the
 * chain and every destination of the network: a bundle to a chain id that no chain of the network has
 * can never execute, and the value it carries is lost (the contracts cannot tell, docs/protocol.md §8.2).
 *
 * @example
 * ```ts
 * findDestination(manifest, 'l1') // { name: 'l1', chainId: 31337, rpcUrl }
 * ```
 */
export function findDestination(manifest: NetworkManifest, chain: string | number | bigint): { name: string; chainId: number; rpcUrl: string } {
  if (String(chain) === manifest.l1.name || Number(chain) === manifest.l1.chainId) return manifest.l1
  const found = manifest.chains.find((c) => c.name === String(chain) || c.chainId === Number(chain))
  if (!found) throw new ChainNotFoundError(String(chain), [`${manifest.l1.name} (${manifest.l1.chainId})`, ...manifest.chains.map((c) => `${c.name} (${c.chainId})`)])
  return found
}
