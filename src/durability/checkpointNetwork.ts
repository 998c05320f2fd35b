import { readFileSync } from 'node:fs'
import type { AnvilProcess } from '../chain/process/index.js'
import { sha256, type CheckpointNode } from './checkpointFiles.js'
import { Checkpointer, type ChainBlockProduction, type CheckpointerParameters } from './Checkpointer.js'

/** How a network takes checkpoints (see {@link Checkpointer}). */
export type CheckpointOptions = Pick<CheckpointerParameters, 'intervalMs' | 'keep' | 'onCheckpoint' | 'onError'>

/** Parameters of {@link checkpointNetwork}. */
export type CheckpointNetworkParameters = CheckpointOptions & {
  dataDir: string
  /** The network's manifest (its sha256 goes in every checkpoint). */
  manifestPath: string
  /** The network's nodes, L1 first, started. */
  processes: readonly AnvilProcess[]
  /** The producer of each node's blocks, by the node's name: a checkpoint pauses them all (freezes the chains). */
  producers: ReadonlyMap<string, ChainBlockProduction>
}

/**
 * Starts checkpointing a network this process runs: takes a first checkpoint (so that from now on a
 * restart can resume it), then one whenever something changed, every `intervalMs`.
 *
 * @example
 * ```ts
 * const checkpointer = await checkpointNetwork({ dataDir, manifestPath, processes, producers })
 * await checkpointer.stop() // after the services, before the chains
 * ```
 */
export async function checkpointNetwork(parameters: CheckpointNetworkParameters): Promise<Checkpointer> {
  const { processes, dataDir, manifestPath, producers, ...options } = parameters
  const nodes: CheckpointNode[] = processes.map((process) => {
    const { binary: _binary, loadState: _loadState, stateFile: _stateFile, ...rest } = process.parameters
    // The port it really listens on: a network started on free ports comes back on the same ones.
    return { ...rest, name: process.name, port: process.port }
  })
  const checkpointer = new Checkpointer({
    ...options,
    dataDir,
    chains: processes.map((process) => {
      const producer = producers.get(process.name)
      if (!producer) throw new Error(`no block producer for ${process.name}: a checkpoint could not freeze it`)
      return { name: process.name, chainId: process.chainId, rpcUrl: process.rpcUrl, producer }
    }),
    nodes,
    manifestSha256: sha256(readFileSync(manifestPath)),
  })
  try {
    await checkpointer.start()
  } catch (error) {
    await checkpointer.close()
    throw error
  }
  return checkpointer
}
