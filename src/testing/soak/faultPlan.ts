import type { Random } from '../fuzz/random.js'

/**
 * The faults of `npm run soak`:
 * - `kill-services`: SIGKILL of the `junction services --no-relay` process (indexers, batchers,
 *   settlement, root importers, deposits, ledger keeper), started again after `durationMs`;
 * - `kill-relayer`: SIGKILL of the `junction services --relay-only` process, started again after `durationMs`;
 * - `restart-node`: one chain's node stops mining for `frozenMs` (it still takes transactions into its
 *   pool, as a node with a block time does between blocks), then crashes, keeping what a real node keeps
 *   on disk (every mined block) and losing its transaction pool; back on the same port after `durationMs`;
 * - `pause-node`: one chain's node stops answering for `durationMs` (SIGSTOP, then SIGCONT), losing nothing.
 */
export const FAULT_KINDS = ['kill-services', 'kill-relayer', 'restart-node', 'pause-node'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

/** One fault of a plan. */
export type PlannedFault = {
  /** Its position in the plan (0, 1, …), in time order. */
  index: number
  kind: FaultKind
  /** Milliseconds after the start of sending. */
  atMs: number
  /** How long the process or node stays down (or unresponsive), in milliseconds. */
  durationMs: number
  /** The chain whose node it stops (node faults only). */
  node?: string
  /** `restart-node`: how long the node takes transactions without mining them before it crashes (they are lost). */
  frozenMs?: number
}

/** Parameters of {@link planFaults}. */
export type PlanFaultsParameters = {
  random: Random
  /** How many faults of each kind. */
  counts: Readonly<Record<FaultKind, number>>
  /** Faults start within `[fromMs, toMs]` after the start of sending. */
  fromMs: number
  toMs: number
  /** Least time between the starts of two faults. */
  minGapMs: number
  /** How long each kind stays down: a duration is drawn in `[min, max]` ms. */
  durations: Readonly<Record<FaultKind, readonly [min: number, max: number]>>
  /** The chains whose nodes node faults may stop (one drawn per fault). */
  nodes: readonly string[]
  /** `restart-node`: how long the node takes transactions without mining before it crashes, drawn in `[min, max]` ms. */
  frozen: readonly [min: number, max: number]
}

/**
 * A repeatable plan of faults: the same seed gives the same kinds, times, durations and nodes. Start
 * times are spread at random over the window with at least `minGapMs` between two, and the kinds are
 * shuffled among them.
 *
 * @throws {RangeError} the window cannot hold that many faults `minGapMs` apart, or node faults without nodes.
 *
 * @example
 * ```ts
 * planFaults({ random: createRandom(7), counts: { 'kill-services': 1, 'kill-relayer': 1, 'restart-node': 1, 'pause-node': 1 },
 *   fromMs: 5_000, toMs: 60_000, minGapMs: 8_000, durations, nodes: ['gamma'], frozen: [200, 1_500] })
 * ```
 */
export function planFaults(parameters: PlanFaultsParameters): PlannedFault[] {
  const { random, counts, fromMs, toMs, minGapMs, durations, nodes, frozen } = parameters
  const kinds = FAULT_KINDS.flatMap((kind) => Array.from({ length: counts[kind] }, () => kind))
  if (kinds.length === 0) return []
  if ((counts['restart-node'] > 0 || counts['pause-node'] > 0) && nodes.length === 0) throw new RangeError('node faults need at least one node to stop')
  const slack = toMs - fromMs - (kinds.length - 1) * minGapMs
  if (slack < 0) {
    throw new RangeError(`${kinds.length} faults at least ${minGapMs} ms apart do not fit between ${fromMs} and ${toMs} ms: send more messages, or plan fewer faults`)
  }
  // Shuffle the kinds (Fisher-Yates), then place them: n sorted points in [0, slack], the i-th moved by i gaps.
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    ;[kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!]
  }
  const offsets = kinds.map(() => random.int(slack + 1)).sort((a, b) => a - b)
  return kinds.map((kind, index) => {
    const [min, max] = durations[kind]
    const fault: PlannedFault = { index, kind, atMs: fromMs + offsets[index]! + index * minGapMs, durationMs: min + random.int(max - min + 1) }
    if (kind === 'restart-node' || kind === 'pause-node') fault.node = random.pick(nodes)
    if (kind === 'restart-node') fault.frozenMs = frozen[0] + random.int(frozen[1] - frozen[0] + 1)
    return fault
  })
}

/**
 * One line per fault: `#2 at 41.3 s: restart-node gamma, frozen 0.4 s, down 3.2 s`.
 *
 * @example
 * ```ts
 * console.log(describeFaultPlan(plan).join('\n'))
 * ```
 */
export function describeFaultPlan(plan: readonly PlannedFault[]): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  return plan.map((f) => `#${f.index} at ${s(f.atMs)}: ${f.kind}${f.node ? ` ${f.node}` : ''}${f.frozenMs === undefined ? '' : `, frozen ${s(f.frozenMs)}`}, ${f.kind === 'pause-node' ? 'unresponsive' : 'down'} ${s(f.durationMs)}`)
}
