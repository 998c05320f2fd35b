import { ChainConnection } from '../../chain/ChainConnection.js'
import * as c from '../../contracts/generated/index.js'
import type { Command } from '../runCommand.js'
import { parseOptions } from '../parseOptions.js'
import { printTable } from '../printTable.js'
import { manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

export const statusCommand: Command = {
  summary: "each chain's head block and the state of its batches on the settlement layer",
  usage: `Usage: junction status [options]\n\nOptions:\n${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('status', args, networkOptions)
    const { manifest } = manifestFrom(values)
    const l1 = new ChainConnection(manifest.l1)
    const rows = await Promise.all([
      (async () => [manifest.l1.name, String(manifest.l1.chainId), String(await l1.client.getBlockNumber()), '-', '-', '-', '-'])(),
      ...manifest.chains.map(async (info) => {
        const chain = new ChainConnection(info)
        const slInfo = manifest.chains.find((other) => other.chainId === info.settlementLayer)
        const sl = slInfo ? new ChainConnection(slInfo) : l1
        const read = (functionName: 'totalCommitted' | 'totalProven' | 'totalExecuted') =>
          sl.client.readContract({ address: info.settlement, abi: c.chainSettlementAbi, functionName }) as Promise<bigint>
        const [head, committed, proven, executed] = await Promise.all([chain.client.getBlockNumber(), read('totalCommitted'), read('totalProven'), read('totalExecuted')])
        const last = committed === 0n ? 'none yet' : `batch ${committed} ${executed === committed ? 'executed' : proven === committed ? 'proven' : 'committed'}`
        return [info.name, String(info.chainId), String(head), slInfo?.name ?? manifest.l1.name, String(committed), `${proven} / ${executed}`, last]
      }),
    ])
    printTable(['chain', 'chain id', 'head block', 'settles on', 'batches committed', 'proven / executed', 'last batch'], rows)
  },
}
