import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ChainConnection } from '../../chain/ChainConnection.js'
import { nodeManifest } from '../../network/privateChains.js'
import { approvalWaits, describeApprovalWait } from '../../store/approvalWaits.js'
import { openStore } from '../../store/openStore.js'
import * as c from '../../contracts/generated/index.js'
import type { Command } from '../runCommand.js'
import { parseOptions } from '../parseOptions.js'
import { printTable } from '../printTable.js'
import { manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

export const statusCommand: Command = {
  summary: "each chain's head block, where it settles now, the state of its batches there, and where its balances are checked",
  usage: `Usage: junction status [options]\n\nOptions:\n${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('status', args, networkOptions)
    const loaded = manifestFrom(values)
    // The operator's view: private chains' heads read on their raw nodes (the manifest's services part).
    const { dataDir } = loaded
    const manifest = nodeManifest(loaded.manifest)
    const l1 = new ChainConnection(manifest.l1)
    const rows = await Promise.all([
      (async () => [manifest.l1.name, String(manifest.l1.chainId), String(await l1.client.getBlockNumber()), '-', '-', '-', '-', '-'])(),
      ...manifest.chains.map(async (info) => {
        const chain = new ChainConnection(info)
        // Where it settles now (a chain may have moved since deployment), as L1's registry says.
        const now = Number(await l1.client.readContract({ address: manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi, functionName: 'settlementLayerOf', args: [BigInt(info.chainId)] }))
        const slInfo = manifest.chains.find((other) => other.chainId === now)
        const sl = slInfo ? new ChainConnection(slInfo) : l1
        const settlement = info.settlements.find((s) => s.slChainId === now)?.address ?? info.settlement
        const read = (functionName: 'totalCommitted' | 'totalProven' | 'totalExecuted') => sl.client.readContract({ address: settlement, abi: c.chainSettlementAbi, functionName }) as Promise<bigint>
        const [head, committed, proven, executed] = await Promise.all([chain.client.getBlockNumber(), read('totalCommitted'), read('totalProven'), read('totalExecuted')])
        const last = committed === 0n ? 'none yet' : `batch ${committed} ${executed === committed ? 'executed' : proven === committed ? 'proven' : 'committed'}`
        const moving = await l1.client.readContract({ address: manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi, functionName: 'isMigrating', args: [BigInt(info.chainId)] })
        // On a Gateway with an asset tracker (docs/protocol.md §9.10) a chain's balances are checked when its
        // batches execute; on L1 only when value leaves for L1 (§9.9).
        const checked = slInfo?.gatewayContracts?.assetTracker ? 'checked on the Gateway' : 'L1 ledger only'
        return [info.name, String(info.chainId), String(head), `${slInfo?.name ?? manifest.l1.name}${moving ? ' (moving to L1)' : ''}`, String(committed), `${proven} / ${executed}`, last, checked]
      }),
    ])
    printTable(['chain', 'chain id', 'head block', 'settles on', 'batches committed', 'proven / executed', 'last batch', 'balances'], rows)
    // Batches a Gateway's asset tracker refused for now (docs/protocol.md §9.10), as the services recorded them.
    const storePath = join(dataDir, 'junction.db')
    if (existsSync(storePath)) {
      const store = openStore(storePath)
      try {
        for (const wait of approvalWaits(store)) {
          console.log(`${manifest.chains.find((chain) => chain.chainId === wait.chainId)?.name ?? wait.chainId}: ${describeApprovalWait(wait)}, for ${Math.round((Date.now() - wait.since) / 1000)} s`)
        }
      } finally {
        store.close()
      }
    }
  },
}
