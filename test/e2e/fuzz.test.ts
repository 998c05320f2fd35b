// The fuzzer of `npm run fuzz` itself, on a real network, with a few hundred forgeries: every forgery
// is refused by name and changes nothing, the valid seeds still execute once afterwards, and a valid call
// slipped among the forgeries (the canary) is caught three ways: as a finding, as a state change, and as
// a seed that no longer executes. So neither the contracts nor the fuzzer can go wrong unseen.
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import type { FuzzFunction } from '../../src/testing/fuzz/fuzzCall.js'
import { mutators } from '../../src/testing/fuzz/mutators.js'
import { CANARY, formatFuzzReport, runFuzz, type FuzzReport } from '../../src/testing/fuzz/runFuzz.js'

let report: FuzzReport

before(async () => {
  report = await runFuzz({ count: 300, seed: 20_261_206, canary: true })
})

const canaries = () => report.sent.filter((s) => s.forgery.mutators.includes(CANARY))
const forgeries = () => report.sent.filter((s) => !s.forgery.mutators.includes(CANARY))

test('every forgery is sent as a mined transaction and refused with a named error (or, cut calldata, by the ABI decoder)', () => {
  assert.equal(report.sent.length, 301, 'the 300 forgeries and the canary')
  const findings = forgeries().filter((s) => s.outcome.kind !== 'refused' && s.outcome.kind !== 'abi-decoder')
  assert.deepEqual(findings, [], formatFuzzReport(report))
  assert.equal(new Set(report.sent.map((s) => s.txHash)).size, report.sent.length, 'one transaction each')
})

test('the forgeries reach every handler function and deep into the checks', () => {
  const functions = new Set(report.sent.map((s) => s.forgery.call.fn))
  const all: FuzzFunction[] = ['executeBundle', 'executeBundles', 'verifyBundle', 'unbundleBundle', 'finalizeWithdrawal', 'finalizeTransfer', 'finalizeSettlementLayerTransfer', 'claimFailedDeposit', 'finalizeChainMigration']
  assert.deepEqual(all.filter((fn) => !functions.has(fn)), [])
  const errors = new Set(forgeries().flatMap((s) => (s.outcome.kind === 'refused' ? [s.outcome.error] : [])))
  // The proof checks, the replay protections and the bridge's own checks all show.
  for (const name of ['ProofRootMismatch', 'WrongProofLength', 'LeafIndexOutOfRange', 'RootNotImported', 'RootNotInHistory', 'BundleAlreadyProcessed', 'WrongDestinationChain', 'SenderNotInteropCenter']) {
    assert.ok(errors.has(name), `no forgery was refused with ${name}: ${[...errors].join(', ')}`)
  }
  const used = new Set(report.sent.flatMap((s) => s.forgery.mutators))
  const unused = mutators.filter((m) => !used.has(m.name)).map((m) => m.name)
  assert.ok(unused.length <= 3, `mutators never drawn in 300 forgeries: ${unused.join(', ')}`)
})

test('the canary, a valid call among the forgeries, is caught: accepted, its state change seen, its seed spent', () => {
  const [canary] = canaries()
  assert.equal(canaries().length, 1)
  assert.equal(canary!.outcome.kind, 'accepted')
  assert.equal(report.ok, false, 'a run with a valid call among its forgeries never passes')
  const changed = report.stateChanges.map((c) => c.account.label)
  assert.ok(changed.some((label) => label.startsWith('withdrawal receiver on L1')), `the receiver got the ETH: ${changed.join(', ')}`)
  assert.ok(changed.includes('assetRouter on L1') && changed.includes('nativeTokenVault on L1'), `the router marked it, the vault paid it: ${changed.join(', ')}`)
  assert.deepEqual(
    changed.filter((label) => !label.startsWith('withdrawal receiver on L1') && label !== 'assetRouter on L1' && label !== 'nativeTokenVault on L1'),
    [],
    'nothing else changed: the forgeries changed nothing',
  )
  const spent = report.seedsAfter.find((s) => s.seed.id === canary!.forgery.seedId)!
  assert.equal(spent.executed, false)
  assert.equal(spent.replayError, 'WithdrawalAlreadyFinalized')
})

test('every other valid seed still executes once after the fuzz, and its replay is refused by name', () => {
  const others = report.seedsAfter.filter((s) => !canaries().some((c) => c.forgery.seedId === s.seed.id))
  assert.ok(others.length >= 14, `only ${others.length} seeds`)
  for (const s of others) {
    assert.equal(s.executed, true, `${s.seed.id}: ${s.executeError}`)
    assert.ok(s.replayError, `${s.seed.id}: its replay was not refused by name`)
  }
  assert.ok(report.seedsAfter.some((s) => s.seed.call.fn === 'finalizeChainMigration' && s.replayError === 'NotMigrating'), "the held chain's return finalized once")
})
