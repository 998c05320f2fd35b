// The L1 lending round trip from a chain on the Gateway (one signature on the chain; the bundle runs on
// L1 from the user's alias account): time from the signature to the stablecoin on the chain, p50 over
// the runs, and the L1 gas of each step (the bundle's execution; the way back: the withdrawal's
// finalization and the repay bundle).
import { parseEther } from 'viem'
import { prepareLendingDemo, runLendingDemo, runLendingRepay } from '../../src/demo/lendingDemo.js'
import type { NetworkManifest } from '../../src/network/types.js'
import { summarize, type Summary } from '../../src/testing/load/stats.js'

export type LendingResult = {
  chain: string
  runs: number
  roundTripMs: Summary
  l1Gas: { borrowBundleFirst: number; borrowBundleLater: number; repayFinalizeWithdrawal: number; repayBundle: number }
  repayMs: number
}

/** Runs the borrow leg `runs` times (0.1 ETH collateral, 100 JUSD each), then repays once. */
export async function measureLending(parameters: { manifest: NetworkManifest; chainName: string; runs: number }): Promise<LendingResult> {
  const { manifest, runs } = parameters
  const setup = await prepareLendingDemo({ manifest, chainName: parameters.chainName, userIndex: 3, bridgeEth: parseEther('0.1') * BigInt(runs) + parseEther('1') })
  const samples: number[] = []
  const gas: number[] = []
  for (let i = 0; i < runs; i++) {
    const result = await runLendingDemo({ manifest, setup, collateral: parseEther('0.1'), borrow: parseEther('100') })
    if (result.outcome !== 'borrowed') throw new Error(`lending run ${i} failed: ${result.failure}`)
    samples.push(result.totalMs)
    gas.push(Number(result.l1ExecutionGas ?? 0n))
  }
  const back = await runLendingRepay({ manifest, setup })
  return {
    chain: parameters.chainName,
    runs,
    roundTripMs: summarize(samples),
    l1Gas: { borrowBundleFirst: gas[0] ?? 0, borrowBundleLater: gas.at(-1) ?? 0, repayFinalizeWithdrawal: Number(back.l1Gas.finalizeWithdrawal), repayBundle: Number(back.l1Gas.bundle) },
    repayMs: back.totalMs,
  }
}
