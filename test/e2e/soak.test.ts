// `npm run soak` itself, tiny: 300 messages over three paths of a real network (the Gateway chains alpha and
// beta, gamma on L1) while the services process and the relayer process are SIGKILLed and started again,
// gamma's node crashes and comes back from what its disk keeps, and gamma's node stops answering for a
// moment; every message must be executed exactly once, and a canary message that must never be delivered
// must be reported as such, so that the tool can neither rot nor pass blind.
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { formatSoakReport, runSoak, type SoakReport } from '../../src/testing/soak/runSoak.js'

let report: SoakReport

before(async () => {
  report = await runSoak({
    messages: 300,
    seed: 20_261_207,
    rate: 20,
    sendersPerPath: 2,
    chains: 3,
    faults: { 'kill-services': 1, 'kill-relayer': 1, 'restart-node': 1, 'pause-node': 1 },
    nodes: ['gamma'],
    durations: { 'kill-services': [100, 300], 'kill-relayer': [100, 300], 'restart-node': [300, 800], 'pause-node': [1_000, 2_000] },
    frozenBeforeCrash: [300, 600],
    minGapMs: 1_000,
    leadIn: 0.1,
    tail: 0.4,
    recoveryTimeoutMs: 60_000,
    drainTimeoutMs: 60_000,
    canary: true,
  })
})

test('every message of a tiny soak is executed exactly once on its destination, and nothing that was not sent', () => {
  assert.equal(report.ok, true, formatSoakReport(report))
  const v = report.verdict
  assert.equal(v.sentOnChain, 300)
  assert.equal(v.executedOnce, 300)
  assert.deepEqual([v.lost.length, v.executedTwice.length, v.executedElsewhere.length, v.executedNeverSent.length, v.notSent.length], [0, 0, 0, 0, 0])
  assert.deepEqual(v.store, { notIndexedAsSent: 0, notIndexedAsExecuted: 0, executedOnWrongChain: 0, stillPending: 0 })
  assert.deepEqual(report.paths.map((p) => p.kind), ['L1-settled → Gateway', 'Gateway → Gateway', 'Gateway → L1-settled (two-level)'])
})

test('one fault of each kind was injected, and the network recovered from each before the next', () => {
  assert.deepEqual(report.faults.map((f) => f.kind).sort(), ['kill-relayer', 'kill-services', 'pause-node', 'restart-node'])
  for (const fault of report.faults) {
    assert.equal(fault.recoveredInTime, true, `fault #${fault.index} ${fault.kind}`)
    assert.ok(fault.recoveryMs !== undefined && fault.recoveryMs >= fault.endedMs - fault.startedMs, 'recovery counts from the fault, down time included')
  }
  const restart = report.faults.find((f) => f.kind === 'restart-node')!
  assert.match(restart.detail ?? '', /came back with every block/)
})

test('the canary, a message that must never be delivered, is found sent and not executed, stopped where the relayer left it', () => {
  assert.equal(report.canary?.caught, true, formatSoakReport(report))
  assert.match(report.canary!.lastStep, /^root-on-destination/)
  assert.match(report.canary!.relayer ?? '', /^restricted/)
})
