import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { getAddress, size, slice, type Address, type Hex } from 'viem'
import { decodeBundle, encodeBundle, encodeWithdrawalMessage, type InteropBundle, type InteropProof } from '../../protocol/index.js'
import { forgeOne, isValidCall, validCallsOf } from './forge.js'
import { callKey, encodeForgery, type Forgery, type FuzzAddresses, type FuzzCall } from './fuzzCall.js'
import { mutators } from './mutators.js'
import { createRandom } from './random.js'
import type { FuzzSeed, MutationContext } from './seeds.js'

const L1 = 31337
const GATEWAY = 31338
const CHAINS = [L1, 271, 272, 273, 274, GATEWAY]
const address = (n: number): Address => getAddress(`0x${n.toString(16).padStart(40, '0')}`)
const interopCenter = address(0xc3a7e)
const addresses: FuzzAddresses = { l1ChainId: L1, interopHandler: address(0x1), l1InteropHandler: address(0x2), l1AssetRouter: address(0x3), l1ChainRegistry: address(0x4) }

const hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b): Hex => `0x${Buffer.from(b).toString('hex')}`)
const uint = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })
const level = fc.record({
  batchNumber: fc.bigInt({ min: 1n, max: 50n }),
  messageIndex: uint,
  messageCount: uint,
  messageSiblings: fc.array(hash, { maxLength: 4 }),
  batchCount: uint,
  batchSiblings: fc.array(hash, { maxLength: 4 }),
  chainIndex: uint,
  chainCount: uint,
  chainSiblings: fc.array(hash, { maxLength: 3 }),
})
const proofArbitrary: fc.Arbitrary<InteropProof> = fc
  .tuple(level, fc.constantFrom(...CHAINS.map(BigInt)), uint, fc.option(level, { nil: undefined }))
  .map(([lower, slChainId, slBlockNumber, upper]) => ({
    ...lower,
    slChainId,
    slBlockNumber,
    messageSender: interopCenter,
    hops: upper ? [{ ...upper, settlementLayerChainId: BigInt(GATEWAY) }] : [],
  }))
const bundleArbitrary: fc.Arbitrary<Hex> = fc
  .record({
    source: fc.constantFrom(271n, 272n, 273n),
    destination: fc.constantFrom(...CHAINS.map(BigInt)),
    salt: hash,
    calls: fc.array(fc.record({ to: fc.integer({ min: 1, max: 1_000 }), value: fc.bigInt({ min: 0n, max: 10n ** 18n }), data: fc.uint8Array({ maxLength: 40 }) }), { minLength: 1, maxLength: 3 }),
    unbundler: fc.boolean(),
  })
  .map((b) => {
    const bundle: InteropBundle = {
      version: 1n,
      sourceChainId: b.source,
      destinationChainId: b.destination,
      salt: b.salt,
      calls: b.calls.map((call) => ({ to: address(call.to), from: address(call.to + 7), value: call.value, data: `0x${Buffer.from(call.data).toString('hex')}` as Hex })),
      executionAddress: b.unbundler ? address(0xabc) : address(0),
      unbundler: b.unbundler ? address(0xabc) : address(0),
    }
    return encodeBundle(bundle)
  })
const messageArbitrary: fc.Arbitrary<Hex> = fc
  .record({ assetId: hash, sender: fc.integer({ min: 1, max: 1_000 }), receiver: fc.integer({ min: 1, max: 1_000 }), amount: uint })
  .map((m) => encodeWithdrawalMessage({ assetId: m.assetId, l2Sender: address(m.sender), l1Receiver: address(m.receiver), amount: m.amount }))

/** A valid-looking call of every kind the fuzzer sends. */
const callArbitrary: fc.Arbitrary<FuzzCall> = fc.oneof(
  fc.record({ fn: fc.constant('executeBundle' as const), chainId: fc.constantFrom(...CHAINS), bundle: bundleArbitrary, proof: proofArbitrary }),
  bundleArbitrary.chain((bundle) =>
    fc.record({
      fn: fc.constant('unbundleBundle' as const),
      chainId: fc.constantFrom(271, 272),
      bundle: fc.constant(bundle),
      decisions: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: decodeBundle(bundle).calls.length, maxLength: decodeBundle(bundle).calls.length }),
      asUnbundler: fc.constant(true),
    }),
  ),
  fc.record({ fn: fc.constantFrom('finalizeWithdrawal' as const, 'finalizeTransfer' as const, 'finalizeSettlementLayerTransfer' as const), chainId: fc.constant(L1), source: fc.constantFrom(271n, 273n), message: messageArbitrary, proof: proofArbitrary }),
  fc.record({ fn: fc.constant('claimFailedDeposit' as const), chainId: fc.constant(L1), source: fc.constantFrom(271n, 273n), depositor: fc.constant(address(0xd0)), assetId: hash, amount: uint, message: messageArbitrary, proof: proofArbitrary }),
  fc.record({ fn: fc.constant('finalizeChainMigration' as const), chainId: fc.constant(L1), message: messageArbitrary, proof: proofArbitrary }),
)

function contextFor(seeds: FuzzSeed[]): MutationContext {
  return {
    l1ChainId: L1,
    gatewayChainId: GATEWAY,
    chainIds: CHAINS,
    knownSenders: [interopCenter, address(0xa55e7), address(0x1b0c5)],
    roots: Object.fromEntries(CHAINS.map((id) => [id, [{ slChainId: BigInt(L1), slBlockNumber: 40n }, { slChainId: BigInt(GATEWAY), slBlockNumber: 41n }]])),
    seeds,
  }
}

const seedsArbitrary = fc.tuple(callArbitrary, callArbitrary, callArbitrary, fc.boolean()).map(([a, b, c, executed]) => [
  { id: 'a', route: 'test', call: a, state: a.fn === 'unbundleBundle' ? 'verified' : 'unexecuted' },
  { id: 'b', route: 'test', call: b, state: b.fn === 'unbundleBundle' ? 'verified' : executed ? 'executed' : 'unexecuted' },
  { id: 'c', route: 'test', call: c, state: c.fn === 'unbundleBundle' ? 'verified' : 'unexecuted' },
] satisfies FuzzSeed[])

const start = (seed: FuzzSeed): Forgery => ({ seedId: seed.id, mutators: [], call: seed.call })

test('every mutator changes what it is given, or says it does not apply', () => {
  for (const mutator of mutators) {
    fc.assert(
      fc.property(seedsArbitrary, fc.integer(), (seeds, s) => {
        const context = contextFor(seeds)
        const input = start(seeds[0]!)
        const output = mutator.mutate(input, context, createRandom(s))
        if (!output) return
        assert.deepEqual(output.mutators, [mutator.name], `${mutator.name} records its name`)
        if (mutator.name === 'replay') return assert.equal(seeds[0]!.state, 'executed')
        const sameCall = callKey(output.call) === callKey(input.call)
        assert.ok(!sameCall || output.calldata !== undefined, `${mutator.name} returned its input unchanged`)
        if (output.calldata) assert.notEqual(encodeForgery(output, addresses).data, encodeForgery(input, addresses).data, `${mutator.name} changed no calldata`)
      }),
      { numRuns: 60 },
    )
  }
})

test('every mutator is deterministic for a seed', () => {
  for (const mutator of mutators) {
    fc.assert(
      fc.property(seedsArbitrary, fc.integer(), (seeds, s) => {
        const context = contextFor(seeds)
        assert.deepEqual(mutator.mutate(start(seeds[0]!), context, createRandom(s)), mutator.mutate(start(seeds[0]!), context, createRandom(s)), mutator.name)
      }),
      { numRuns: 30 },
    )
  }
})

test('every mutator applies to some seed of a network with every kind of call', () => {
  const sample = fc.sample(seedsArbitrary, { numRuns: 300, seed: 17 })
  for (const mutator of mutators) {
    const applied = sample.some((seeds) => {
      const context = contextFor(seeds)
      return seeds.some((seed) => [1, 2, 3].some((s) => mutator.mutate(start(seed), context, createRandom(s)) !== undefined))
    })
    // Wrappers apply on top of a forgery; `entry.*` only to executeBundle calls, which the sample has.
    assert.ok(applied, `${mutator.name} never applied: it would never run`)
  }
})

test('a forgery is never a call that would succeed, and the same random source makes the same forgery', () => {
  fc.assert(
    fc.property(seedsArbitrary, fc.integer(), (seeds, s) => {
      const context = contextFor(seeds)
      const valid = validCallsOf(seeds)
      const forgery = forgeOne({ context, valid, random: createRandom(s) })
      assert.equal(isValidCall(forgery.call, valid), false, `${forgery.mutators.join('+')} made a valid call`)
      assert.ok(forgery.mutators.length > 0)
      assert.deepEqual(forgeOne({ context, valid, random: createRandom(s) }), forgery)
    }),
    { numRuns: 300 },
  )
})

test('a valid call rebuilt with its fields in another order is still valid: two mutations that undo each other are never sent', () => {
  fc.assert(
    fc.property(seedsArbitrary, fc.integer(), (seeds, s) => {
      const valid = validCallsOf(seeds)
      const context = contextFor(seeds)
      const swap = mutators.find((m) => m.name === 'proof.swap-levels')!
      for (const seed of seeds.filter((x) => x.state === 'unexecuted')) {
        const reordered = JSON.parse(JSON.stringify(seed.call, (_, v: unknown) => (typeof v === 'bigint' ? `n${v}` : v)), (_, v: unknown) => (typeof v === 'string' && /^n\d+$/.test(v) ? BigInt(v.slice(1)) : v))
        const reversed = Object.fromEntries(Object.entries(reordered as object).reverse()) as FuzzCall
        assert.equal(isValidCall(reversed, valid), true)
        const once = swap.mutate(start(seed), context, createRandom(s))
        const twice = once && swap.mutate(once, context, createRandom(s))
        if (twice) assert.equal(isValidCall(twice.call, valid), true, 'swapping the levels back gives the valid call')
      }
    }),
    { numRuns: 100 },
  )
})

test('the valid calls are the unexecuted seeds, an executeBundles of them, and the unbundler of a verified bundle', () => {
  fc.assert(
    fc.property(seedsArbitrary, (seeds) => {
      const valid = validCallsOf(seeds)
      for (const seed of seeds) assert.equal(isValidCall(seed.call, valid), seed.state !== 'executed', seed.call.fn)
      const bundleSeeds = seeds.filter((s) => s.state === 'unexecuted' && s.call.fn === 'executeBundle').map((s) => s.call as Extract<FuzzCall, { fn: 'executeBundle' | 'verifyBundle' }>)
      for (const call of bundleSeeds) {
        assert.equal(isValidCall({ fn: 'executeBundles', chainId: call.chainId, bundles: [call.bundle], proofs: [call.proof] }, valid), true)
        assert.equal(isValidCall({ fn: 'executeBundles', chainId: call.chainId, bundles: [call.bundle, call.bundle], proofs: [call.proof, call.proof] }, valid), false, 'twice is a replay')
        assert.equal(isValidCall({ fn: 'verifyBundle', chainId: call.chainId, bundle: call.bundle, proof: call.proof }, valid), true)
      }
    }),
    { numRuns: 100 },
  )
})

test('cut calldata keeps the selector and is shorter; extended calldata starts with the whole call', () => {
  fc.assert(
    fc.property(callArbitrary, fc.integer({ min: 0, max: 999 }), fc.uint8Array({ minLength: 1, maxLength: 50 }), (call, keepPerMille, tail) => {
      const { data, full } = encodeForgery({ call, calldata: { keepPerMille } }, addresses)
      assert.ok(size(data) < size(full) && size(data) >= 4)
      assert.equal(slice(data, 0, 4), slice(full, 0, 4))
      const extended = encodeForgery({ call, calldata: { append: `0x${Buffer.from(tail).toString('hex')}` } }, addresses)
      assert.equal(extended.data.slice(0, full.length), full)
      assert.equal(size(extended.data), size(full) + tail.length)
    }),
    { numRuns: 100 },
  )
})

test('a random source repeats for a seed, and its forks are independent of what was drawn before', () => {
  const a = createRandom(99)
  const b = createRandom(99)
  assert.deepEqual([a.int(1_000), a.bits(256), a.bytes(8)], [b.int(1_000), b.bits(256), b.bytes(8)])
  const c = createRandom(99)
  c.int(5)
  assert.deepEqual(createRandom(99).fork('x').bytes(16), c.fork('x').bytes(16))
  assert.notDeepEqual(createRandom(99).fork('x').bytes(16), createRandom(99).fork('y').bytes(16))
  fc.assert(fc.property(fc.integer(), fc.integer({ min: 1, max: 1_000 }), (s, n) => {
    const v = createRandom(s).int(n)
    assert.ok(Number.isInteger(v) && v >= 0 && v < n)
  }))
})
