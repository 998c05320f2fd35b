import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWalletClient, http, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { defineJunctionChain } from '../../src/chain/ChainConnection.js'
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
export function walletFor(chain: { chainId: number; name: string; rpcUrl: string }, privateKey: Hex) {
  return createWalletClient({ account: privateKeyToAccount(privateKey), chain: defineJunctionChain(chain.chainId, chain.name, chain.rpcUrl), transport: http(chain.rpcUrl) })
}

/** The ZK chain called `name`. */
export function chainNamed(network: { manifest: { chains: ZkChainInfo[] } }, name: string): ZkChainInfo {
  const chain = network.manifest.chains.find((c) => c.name === name)
  if (!chain) throw new Error(`no chain ${name}`)
  return chain
}
