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
  constructor(chain: string | number, known: string[]) {
    super(`unknown chain "${chain}"`, { details: `Chains of this network: ${known.join(', ')}.` })
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
  if (!found) throw new ChainNotFoundError(chain, manifest.chains.map((c) => `${c.name} (${c.chainId})`))
  return found
}
