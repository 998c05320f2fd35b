import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startNetwork, type RunningNetwork, type StartNetworkParameters } from '../../src/network/startNetwork.js'
import type { ZkChainInfo } from '../../src/network/types.js'

/** A network on free ports in a temporary data dir; `close()` stops it and removes the folder. */
export async function startTestNetwork(parameters: StartNetworkParameters = {}): Promise<RunningNetwork & { dataDir: string; serviceErrors: string[]; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-test-'))
  const errors: string[] = []
  const network = await startNetwork({
    basePort: 0,
    dataDir,
    onServiceError: (service, error) => errors.push(`${service}: ${error instanceof Error ? error.message : String(error)}`),
    ...parameters,
  })
  return {
    ...network,
    dataDir,
    /** Errors the services met (they retry); for diagnosing a test that times out. */
    serviceErrors: errors,
    async close() {
      await network.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A viem wallet client for `chain` signing with `privateKey`. */
export { walletFor } from '../../src/chain/walletFor.js'

/** The ZK chain called `name`. */
export function chainNamed(network: { manifest: { chains: ZkChainInfo[] } }, name: string): ZkChainInfo {
  const chain = network.manifest.chains.find((c) => c.name === name)
  if (!chain) throw new Error(`no chain ${name}`)
  return chain
}
