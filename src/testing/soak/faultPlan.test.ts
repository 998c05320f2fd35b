import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { createRandom } from '../fuzz/random.js'
import { FAULT_KINDS, planFaults, type FaultKind, type PlanFaultsParameters } from './faultPlan.js'

const durations: PlanFaultsParameters['durations'] = { 'kill-services': [500, 3_000], 'kill-relayer': [500, 3_000], 'restart-node': [1_000, 5_000], 'pause-node': [2_000, 12_000] }
const count = fc.integer({ min: 0, max: 4 })
const parameters = fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    counts: fc.record(Object.fromEntries(FAULT_KINDS.map((kind) => [kind, count])) as Record<FaultKind, typeof count>),
    fromMs: fc.integer({ min: 0, max: 60_000 }),
    minGapMs: fc.integer({ min: 0, max: 20_000 }),
    extraMs: fc.integer({ min: 0, max: 300_000 }),
    nodes: fc.subarray(['l1', 'gateway', 'alpha', 'beta', 'gamma'], { minLength: 1 }),
  })
  .map(({ seed, counts, fromMs, minGapMs, extraMs, nodes }) => {
    const total = FAULT_KINDS.reduce((n, kind) => n + counts[kind], 0)
    return { seed, counts, fromMs, toMs: fromMs + Math.max(0, total - 1) * minGapMs + extraMs, minGapMs, nodes }
  })

const plan = (p: { seed: number; counts: Record<FaultKind, number>; fromMs: number; toMs: number; minGapMs: number; nodes: string[] }) =>
  planFaults({ random: createRandom(p.seed), counts: p.counts, fromMs: p.fromMs, toMs: p.toMs, minGapMs: p.minGapMs, durations, nodes: p.nodes, frozen: [200, 1_500] })

test('the same seed gives the same fault plan', () => {
  fc.assert(
    fc.property(parameters, (p) => {
      assert.deepEqual(plan(p), plan(p))
    }),
    { seed: 20_261_207 },
  )
})

test('a fault plan has the asked number of each kind, in time order within the window, at least the gap apart, with durations and nodes as asked', () => {
  fc.assert(
    fc.property(parameters, (p) => {
      const faults = plan(p)
      for (const kind of FAULT_KINDS) assert.equal(faults.filter((f) => f.kind === kind).length, p.counts[kind], kind)
      faults.forEach((f, i) => {
        assert.equal(f.index, i)
        assert.ok(f.atMs >= p.fromMs && f.atMs <= p.toMs, `${f.atMs} within ${p.fromMs}–${p.toMs}`)
        if (i > 0) assert.ok(f.atMs - faults[i - 1]!.atMs >= p.minGapMs, 'at least the gap after the previous one')
        const [min, max] = durations[f.kind]
        assert.ok(f.durationMs >= min && f.durationMs <= max)
        const onNode = f.kind === 'restart-node' || f.kind === 'pause-node'
        assert.equal(f.node !== undefined, onNode, 'a node exactly for node faults')
        if (f.node !== undefined) assert.ok(p.nodes.includes(f.node))
        assert.equal(f.frozenMs !== undefined, f.kind === 'restart-node', 'a freeze before the crash exactly for node restarts')
        if (f.frozenMs !== undefined) assert.ok(f.frozenMs >= 200 && f.frozenMs <= 1_500)
      })
    }),
    { seed: 20_261_207 },
  )
})

test('different seeds spread the faults differently', () => {
  const counts = { 'kill-services': 3, 'kill-relayer': 3, 'restart-node': 2, 'pause-node': 2 }
  const times = new Set(Array.from({ length: 20 }, (_, seed) => plan({ seed, counts, fromMs: 30_000, toMs: 300_000, minGapMs: 15_000, nodes: ['gamma'] }).map((f) => `${f.kind}@${f.atMs}`).join(',')))
  assert.equal(times.size, 20)
})

test('a window too short for the faults at the least gap is refused, naming what to change', () => {
  assert.throws(
    () => plan({ seed: 1, counts: { 'kill-services': 2, 'kill-relayer': 0, 'restart-node': 0, 'pause-node': 0 }, fromMs: 0, toMs: 9_999, minGapMs: 10_000, nodes: ['gamma'] }),
    /2 faults at least 10000 ms apart do not fit between 0 and 9999 ms/,
  )
})
