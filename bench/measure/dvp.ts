// Delivery versus payment (src/demo/dvpDemo.ts, docs/flows.md) between two chains settling on L1: a bond on alpha
// against cash on beta, the flow's home chain. Time from the second lock (the seller's, on alpha) to the decision on
// beta (which pays the cash) and to both legs released (the bonds delivered on alpha), p50 / p95 over the runs, as
// the demo observes them (polling every 50 ms). Gas per leg: each lock, the execution on beta of the seller's
// "locked" message (proof, decision, the cash paid, the "release" message sent) and of the "release" on alpha.
import { parseEventLogs, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { prepareDvpDemo, runDvpDemo } from '../../src/demo/dvpDemo.js'
import type { NetworkManifest } from '../../src/network/types.js'
import type { JunctionIndex } from '../../src/sdk/JunctionIndex.js'
import { summarize, type Summary } from '../../src/testing/load/stats.js'
import { mean } from './gas.js'

export type DvpResult = {
  bondChain: string
  cashChain: string
  runs: number
  /** The seller's lock mined → the coordinator's decision seen on the home chain. */
  secondLockToDecisionMs: Summary
  /** The seller's lock mined → both legs released (the bonds delivered on the bond chain). */
  secondLockToBothReleasedMs: Summary
  /** Mean gas per step over the runs. */
  gas: { createFlow: number; lockHomeLeg: number; lockEscrowLeg: number; executeLockedAndDecide: number; executeRelease: number }
  /** Runs that did not settle (0 expected). */
  refunded: number
}

/** Sets DvP up once, then settles `runs` flows one after the other. */
export async function measureDvp(parameters: { manifest: NetworkManifest; index: JunctionIndex; runs: number }): Promise<DvpResult> {
  const { manifest, index } = parameters
  const setup = await prepareDvpDemo({ manifest })
  const bondConn = new ChainConnection(setup.bondChain)
  const cashConn = new ChainConnection(setup.cashChain)
  const gasOf = async (conn: ChainConnection, hash: Hex) => Number((await conn.client.getTransactionReceipt({ hash })).gasUsed)
  /** Gas of the transaction that emitted `eventName` for `flowId` (the relayer's execution). */
  const gasOfEvent = async (conn: ChainConnection, address: Hex, abi: typeof c.flowCoordinatorAbi | typeof c.flowEscrowAbi, eventName: 'FlowReleased' | 'LegReleased', flowId: Hex) => {
    const logs = parseEventLogs({ abi, logs: await conn.client.getLogs({ address, fromBlock: 0n }), eventName } as never) as unknown as { transactionHash: Hex; args: { flowId: Hex } }[]
    const log = logs.find((l) => l.args.flowId === flowId)
    if (!log) throw new Error(`dvp bench: no ${eventName} for flow ${flowId}`)
    return gasOf(conn, log.transactionHash)
  }
  const decision: number[] = []
  const released: number[] = []
  const gas = { createFlow: [] as number[], lockHomeLeg: [] as number[], lockEscrowLeg: [] as number[], executeLockedAndDecide: [] as number[], executeRelease: [] as number[] }
  let refunded = 0
  for (let i = 0; i < parameters.runs; i++) {
    const run = await runDvpDemo({ manifest, setup, index, scenario: 'settle' })
    if (run.outcome !== 'released') {
      refunded++
      continue
    }
    const at = Object.fromEntries(run.steps.map((s) => [s.name, s.sinceStart]))
    decision.push(at['released']! - at['seller-locked']!)
    released.push(at['bonds-delivered']! - at['seller-locked']!)
    gas.createFlow.push(await gasOf(cashConn, run.transactions.createFlow))
    gas.lockHomeLeg.push(await gasOf(cashConn, run.transactions.buyerLock))
    gas.lockEscrowLeg.push(await gasOf(bondConn, run.transactions.sellerLock!))
    gas.executeLockedAndDecide.push(await gasOfEvent(cashConn, setup.coordinator, c.flowCoordinatorAbi, 'FlowReleased', run.flowId))
    gas.executeRelease.push(await gasOfEvent(bondConn, setup.bondEscrow, c.flowEscrowAbi, 'LegReleased', run.flowId))
  }
  return {
    bondChain: setup.bondChain.name,
    cashChain: setup.cashChain.name,
    runs: parameters.runs,
    secondLockToDecisionMs: summarize(decision),
    secondLockToBothReleasedMs: summarize(released),
    gas: Object.fromEntries(Object.entries(gas).map(([k, v]) => [k, Math.round(mean(v))])) as DvpResult['gas'],
    refunded,
  }
}
