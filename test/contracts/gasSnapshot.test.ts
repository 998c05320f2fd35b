// The gas snapshot: every user-facing function's gas in the fixed scenarios of bench/gas/scenarios.ts (a
// fresh L1 and two chains, fixed accounts, one fixed sequence of transactions) must be the figure committed
// in test/contracts/gas-snapshot.json, so that a contract change shows its cost in the diff.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { runGasScenarios, type GasScenarioRun } from '../../bench/gas/scenarios.js'
import { compareWithSnapshot, readSnapshot, snapshotOf, SNAPSHOT_PATH } from '../../bench/gas/snapshot.js'

let run: GasScenarioRun
before(async () => {
  run = await runGasScenarios()
})
after(async () => {
  await run?.stop()
})

test('every function costs exactly the gas the committed snapshot says', () => {
  const problems = compareWithSnapshot(snapshotOf(run.figures), readSnapshot())
  assert.deepEqual(problems, [], `the gas of ${problems.length} figure(s) differs from ${SNAPSHOT_PATH}:\n${problems.join('\n')}\nIf the change is intended, run \`npm run gas\` to update ${SNAPSHOT_PATH} and commit it with the change (the diff shows its cost).`)
})

test('the scenarios measure every function the snapshot promises', () => {
  const names = run.figures.map((f) => f.name)
  for (const prefix of [
    'InteropCenter.sendMessage (32 B)',
    'InteropCenter.sendBundle (1 call',
    'InteropCenter.sendBundle (3 calls',
    'InteropHandler.executeBundle (sendMessage 32 B)',
    'InteropHandler.executeBundles (10 bundles',
    'InteropHandler.executeBundles (100 bundles',
    'L2AssetRouter.withdraw',
    'L1AssetRouter.deposit',
    'L1AssetRouter.finalizeWithdrawal',
    'L1AssetRouter.claimFailedDeposit',
    'ChainSettlement.commitBatches',
    'ChainSettlement.proveBatches',
    'ChainSettlement.executeBatches',
  ])
    assert.ok(names.some((name) => name.startsWith(prefix)), `no figure for ${prefix}`)
  for (const f of run.figures) assert.ok(f.gas > 21_000 || f.name.endsWith('per bundle'), `${f.name}: ${f.gas} gas is not a transaction's`)
})
