import { decodeBundle } from '../../protocol/index.js'
import { callKey, valueKey, type Forgery, type FuzzCall } from './fuzzCall.js'
import { mutators as allMutators, type Mutator } from './mutators.js'
import type { Random } from './random.js'
import type { FuzzSeed, MutationContext } from './seeds.js'

/** The calls that would succeed: the seeds not executed yet. A forgery must never be one of them. */
export type ValidCalls = {
  /** `chainId|bundle|proof` of every unexecuted bundle seed. */
  pairs: Set<string>
  /** Keys of every other valid call (bridge messages, a chain's return). */
  calls: Set<string>
  /** The verified bundles (lowercase bytes): their chain and call count (any decisions of their unbundler are valid). */
  verified: Map<string, { chainId: number; calls: number }>
}

/**
 * The valid calls of `seeds` (see {@link ValidCalls}).
 *
 * @example
 * ```ts
 * const valid = validCallsOf(scenario.seeds)
 * ```
 */
export function validCallsOf(seeds: readonly FuzzSeed[]): ValidCalls {
  const valid: ValidCalls = { pairs: new Set(), calls: new Set(), verified: new Map() }
  for (const seed of seeds) {
    if (seed.state === 'executed') continue
    const call = seed.call
    if (call.fn === 'executeBundle') valid.pairs.add(pairKey(call.chainId, call.bundle, call.proof))
    else if (call.fn === 'unbundleBundle') valid.verified.set(call.bundle.toLowerCase(), { chainId: call.chainId, calls: decodeBundle(call.bundle).calls.length })
    else valid.calls.add(callKey(call))
  }
  return valid
}

function pairKey(chainId: number, bundle: string, proof: unknown): string {
  return `${chainId}|${bundle.toLowerCase()}|${valueKey(proof)}`
}

/**
 * Whether `call` would succeed as a valid call does (whatever calldata is cut or appended: a cut that
 * removes only padding leaves a valid call valid). A forgery for which this is true is not a forgery.
 *
 * @example
 * ```ts
 * isValidCall(seed.call, validCallsOf([seed])) // true for an unexecuted seed
 * ```
 */
export function isValidCall(call: FuzzCall, valid: ValidCalls): boolean {
  switch (call.fn) {
    case 'executeBundle':
    case 'verifyBundle':
      return valid.pairs.has(pairKey(call.chainId, call.bundle, call.proof))
    case 'executeBundles': {
      if (call.bundles.length !== call.proofs.length) return false
      if (new Set(call.bundles.map((b) => b.toLowerCase())).size !== call.bundles.length) return false
      return call.bundles.every((bundle, i) => valid.pairs.has(pairKey(call.chainId, bundle, call.proofs[i])))
    }
    case 'unbundleBundle': {
      const verified = valid.verified.get(call.bundle.toLowerCase())
      return call.asUnbundler && verified?.chainId === call.chainId && verified.calls === call.decisions.length && call.decisions.every((d) => d >= 0 && d <= 2)
    }
    default:
      return valid.calls.has(callKey(call))
  }
}

/** Parameters of {@link forgeOne}. */
export type ForgeOneParameters = {
  context: MutationContext
  valid: ValidCalls
  random: Random
  /** The mutators to draw from (default: all). */
  mutators?: readonly Mutator[]
  /** Chance of a second forging mutator on top of the first. Default 0.2. */
  stackChance?: number
  /** Chance of a wrapper (another entry point, cut or extended calldata). Default 0.25. */
  wrapChance?: number
}

/**
 * Makes one forgery: a forging mutator drawn uniformly (so each gets its share of the run), applied to a
 * seed it fits, sometimes a second one on top, sometimes a wrapper; never a call that would succeed
 * ({@link isValidCall}). Deterministic for a random source.
 *
 * @example
 * ```ts
 * const forgery = forgeOne({ context, valid: validCallsOf(context.seeds), random: createRandom(7).fork('forgery 0') })
 * ```
 */
export function forgeOne(parameters: ForgeOneParameters): Forgery {
  const { context, valid, random } = parameters
  const pool = parameters.mutators ?? allMutators
  const forging = pool.filter((m) => m.kind === 'forge')
  const wrapping = pool.filter((m) => m.kind === 'wrap')
  if (forging.length === 0) throw new Error('forgeOne needs at least one forging mutator')
  for (let attempt = 0; attempt < 200; attempt++) {
    const mutator = random.pick(forging)
    let forgery = applyToSomeSeed(mutator, context, random)
    if (!forgery) continue
    if (random.chance(parameters.stackChance ?? 0.2)) forgery = applyOne(shuffled(forging, random), forgery, context, random) ?? forgery
    if (wrapping.length > 0 && random.chance(parameters.wrapChance ?? 0.25)) forgery = applyOne(shuffled(wrapping, random), forgery, context, random) ?? forgery
    if (!isValidCall(forgery.call, valid)) return forgery
  }
  throw new Error(`no forgery could be made from ${context.seeds.length} seeds with ${forging.map((m) => m.name).join(', ')}`)
}

/**
 * `mutator` applied to the first seed (in a random order) it fits. Executed seeds are for replays: a
 * bundle's status is checked before its proof, so a mutated proof of an executed bundle would only ever
 * meet `BundleAlreadyProcessed`.
 */
function applyToSomeSeed(mutator: Mutator, context: MutationContext, random: Random): Forgery | undefined {
  for (const seed of shuffled(context.seeds, random)) {
    if ((seed.state === 'executed') !== (mutator.name === 'replay')) continue
    const result = mutator.mutate({ seedId: seed.id, mutators: [], call: seed.call }, context, random)
    if (result) return result
  }
  return undefined
}

/** The first of `candidates` that applies to `forgery`. */
function applyOne(candidates: readonly Mutator[], forgery: Forgery, context: MutationContext, random: Random): Forgery | undefined {
  for (const mutator of candidates) {
    if (mutator.name === 'replay') continue
    const result = mutator.mutate(forgery, context, random)
    if (result) return result
  }
  return undefined
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
