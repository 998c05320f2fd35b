// A Junction network for the bench: anvil chains started in this process (startNetwork), the
// services in two `junction services` processes (everything but the relayer, and the relayer alone,
// so the relayer can be killed and restarted on its own), and a BenchRecipient on every ZK chain.
import { join } from 'node:path'
import type { Address } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { waitForDevUserDeposits } from '../../src/network/fundDevUsers.js'
import { startNetwork, type RunningNetwork } from '../../src/network/startNetwork.js'
import type { NetworkManifest } from '../../src/network/types.js'
import { benchRecipientAbi, compileBenchContracts } from './benchContracts.js'
import { startServicesProcess, type ServicesProcess } from '../../src/testing/load/servicesProcess.js'

export type JunctionBenchNetwork = {
  network: RunningNetwork
  manifest: NetworkManifest
  dataDir: string
  /** BenchRecipient's address on each ZK chain (the same on each: same deployer, same nonce). */
  recipient: Address
  core: ServicesProcess
  relayer: ServicesProcess
  /** Error lines of relayer processes that were killed. */
  relayerErrorsOfKilled(): string[]
  /** SIGKILLs the relayer process and starts it again on the same store (with `args` added, e.g. `--finality committed`). */
  restartRelayer(args?: string[]): Promise<void>
  /** Stops the services process (SIGTERM) and starts it again with other options (e.g. a batch policy). */
  restartCore(args: string[]): Promise<void>
  /** The processes whose CPU the bench meters. */
  processes(): { name: string; pid: number }[]
  stop(): Promise<void>
}

/** Starts the chains, deploys the bench recipient and runs the services in their own processes. */
export async function startJunctionBenchNetwork(parameters: { dataDir: string; servicesArgs?: string[]; chains?: number; onGateway?: string[] }): Promise<JunctionBenchNetwork> {
  const { dataDir } = parameters
  const network = await startNetwork({ basePort: 0, dataDir, chains: parameters.chains ?? 2, ...(parameters.onGateway ? { onGateway: parameters.onGateway } : {}), services: false })
  const started: ServicesProcess[] = []
  const killedErrors: string[] = []
  const stop = async () => {
    for (const p of started) await p.kill('SIGTERM')
    await network.stop()
  }
  try {
    const { manifest } = network
    const bytecode = compileBenchContracts().benchRecipient
    const deployer = manifest.accounts.l2Deployer.privateKey
    const addresses = await Promise.all(
      manifest.chains.map(async (chain) => {
        const { address } = await new ChainConnection(chain).deploy(deployer, { abi: benchRecipientAbi, bytecode, args: [manifest.l2Contracts.interopCenter, '0x0000000000000000000000000000000000000000'], action: 'deploy BenchRecipient' })
        return address
      }),
    )
    if (new Set(addresses.map((a) => a.toLowerCase())).size !== 1) throw new Error(`BenchRecipient landed at different addresses: ${addresses.join(', ')}`)
    const core = await startServicesProcess({ dataDir, label: 'services', args: ['--no-relay', ...(parameters.servicesArgs ?? [])], statsFile: join(dataDir, 'stats-services.json') })
    started.push(core)
    // The dev users' ETH on the ZK chains comes from their deposits at start, processed by these services.
    await waitForDevUserDeposits(manifest, network.devUserDeposits)
    const bench: JunctionBenchNetwork = {
      network,
      manifest,
      dataDir,
      recipient: addresses[0]!,
      core,
      relayer: await startServicesProcess({ dataDir, label: 'relayer', args: ['--relay-only'], statsFile: join(dataDir, 'stats-relayer.json') }),
      relayerErrorsOfKilled: () => killedErrors,
      async restartRelayer(args = []) {
        await bench.relayer.kill('SIGKILL')
        killedErrors.push(...bench.relayer.errors)
        bench.relayer = await startServicesProcess({ dataDir, label: 'relayer', args: ['--relay-only', ...args], statsFile: join(dataDir, 'stats-relayer.json') })
        started.push(bench.relayer)
      },
      async restartCore(args) {
        await bench.core.kill('SIGTERM')
        bench.core = await startServicesProcess({ dataDir, label: 'services', args: ['--no-relay', ...args], statsFile: join(dataDir, 'stats-services.json') })
        started.push(bench.core)
      },
      processes: () => [
        ...network.processes.map((p) => ({ name: `anvil ${p.name}`, pid: p.pid! })),
        { name: 'junction services (no relayer)', pid: bench.core.pid },
        { name: 'junction relayer', pid: bench.relayer.pid },
        { name: 'bench (block producers, root imports; load generator, watchers)', pid: process.pid },
      ],
      stop,
    }
    started.push(bench.relayer)
    return bench
  } catch (error) {
    await stop()
    throw error
  }
}
