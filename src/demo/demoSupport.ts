// What the demos share: choosing their chains and waiting for what the network does.
import { JunctionError } from '../errors/JunctionError.js'
import type { NetworkManifest, ZkChainInfo } from '../network/types.js'
import { findChain } from '../sdk/loadManifest.js'

/** A demo waited longer than it may for something the network should have done. */
export class DemoStepTimeoutError extends JunctionError {
  override name = 'DemoStepTimeoutError'
  constructor(demo: string, what: string, timeoutMs: number) {
    super(`${demo} demo: timed out after ${timeoutMs} ms waiting for ${what}`, {
      details: 'The network\'s services (indexers, batcher, settlement, relayer) must run; on a loaded machine give the demo more time.',
    })
  }
}

/**
 * The ZK chain a demo runs on: `which` (a name or chain id, as {@link findChain} takes it), else the
 * network's ZK chain at `position`.
 *
 * @example
 * ```ts
 * const from = demoChain(manifest, parameters.from, 0, 'swap')
 * ```
 */
export function demoChain(manifest: NetworkManifest, which: string | number | undefined, position: number, demo: string): ZkChainInfo {
  if (which !== undefined) return findChain(manifest, which)
  const chain = manifest.chains[position]
  if (!chain) throw new JunctionError(`${demo} demo: the network has ${manifest.chains.length} ZK chain(s), the demo needs ${position + 1}`, { details: 'Start the network with more chains (`junction up --chains N`).' })
  return chain
}

/**
 * Calls `check` every `intervalMs` until it returns something other than `undefined`, and returns that;
 * after `timeoutMs` throws {@link DemoStepTimeoutError} naming `what`.
 *
 * @example
 * ```ts
 * const receipt = await pollDemo('swap', 'the result back on alpha', () => readResult(), 60_000)
 * ```
 */
export async function pollDemo<T>(demo: string, what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new DemoStepTimeoutError(demo, what, timeoutMs)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
