import { bytesToHex, concat, getAddress, hexToBytes, size, slice, zeroAddress, zeroHash, type Address, type Hex } from 'viem'
import { committedBatchKey, decodeBundle, encodeBundle, type InteropBundle, type InteropProof, type SettlementLayerHop } from '../../protocol/index.js'
import { callKey, payloadOf, proofOf, valueKey, type Forgery, type FuzzCall } from './fuzzCall.js'
import type { Random } from './random.js'
import type { MutationContext } from './seeds.js'

/**
 * One way to forge or mutate a call. Pure: the result depends only on the forgery, the context and the
 * random source, so a run repeats exactly for a seed.
 */
export type Mutator = {
  readonly name: string
  /**
   * `forge`: the result is something the contracts must refuse on its own (a forged proof, other bytes, a
   * replay...). `wrap`: changes only how a forgery is sent (another entry point, extra or cut calldata),
   * so it is applied on top of a forgery, never alone.
   */
  readonly kind: 'forge' | 'wrap'
  /** What it forges, in a few words (for the report). */
  readonly description: string
  /** The mutated forgery, or `undefined` when the mutator does not apply to it (or could not change it). */
  mutate(forgery: Forgery, context: MutationContext, random: Random): Forgery | undefined
}

type ProofLevel = Omit<SettlementLayerHop, 'settlementLayerChainId'>
const LEVEL_NUMBERS = ['batchNumber', 'messageIndex', 'messageCount', 'batchCount', 'chainIndex', 'chainCount'] as const
const LEVEL_SIBLINGS = ['messageSiblings', 'batchSiblings', 'chainSiblings'] as const
const MAX_UINT256 = (1n << 256n) - 1n

/** A numeric field of a proof that a mutator may change. */
type NumberSlot = { label: string; value: bigint; set(value: bigint): InteropProof }
/** A list of siblings of a proof level. */
type SiblingSlot = { label: string; siblings: readonly Hex[]; set(siblings: readonly Hex[]): InteropProof }

function numberSlots(proof: InteropProof): NumberSlot[] {
  const slots: NumberSlot[] = (['slChainId', 'slBlockNumber', ...LEVEL_NUMBERS] as const).map((field) => ({
    label: field,
    value: proof[field],
    set: (value) => ({ ...proof, [field]: value }),
  }))
  proof.hops.forEach((hop, i) => {
    for (const field of ['settlementLayerChainId', ...LEVEL_NUMBERS] as const) {
      slots.push({ label: `hops[${i}].${field}`, value: hop[field], set: (value) => withHop(proof, i, { ...hop, [field]: value }) })
    }
  })
  return slots
}

function siblingSlots(proof: InteropProof): SiblingSlot[] {
  const slots: SiblingSlot[] = LEVEL_SIBLINGS.map((field) => ({ label: field, siblings: proof[field], set: (siblings) => ({ ...proof, [field]: siblings }) }))
  proof.hops.forEach((hop, i) => {
    for (const field of LEVEL_SIBLINGS) slots.push({ label: `hops[${i}].${field}`, siblings: hop[field], set: (siblings) => withHop(proof, i, { ...hop, [field]: siblings }) })
  })
  return slots
}

function withHop(proof: InteropProof, index: number, hop: SettlementLayerHop): InteropProof {
  return { ...proof, hops: proof.hops.map((h, j) => (j === index ? hop : h)) }
}

function levelOf(level: ProofLevel): ProofLevel {
  const { batchNumber, messageIndex, messageCount, messageSiblings, batchCount, batchSiblings, chainIndex, chainCount, chainSiblings } = level
  return { batchNumber, messageIndex, messageCount, messageSiblings, batchCount, batchSiblings, chainIndex, chainCount, chainSiblings }
}

/** A bit position, mostly low (where real values live), sometimes anywhere in the word. */
function bitPosition(random: Random, width: number): number {
  const roll = random.int(10)
  return roll < 5 ? random.int(Math.min(8, width)) : roll < 8 ? random.int(Math.min(64, width)) : random.int(width)
}

function flipBitOfHex(value: Hex, random: Random): Hex {
  const bytes = hexToBytes(value)
  if (bytes.length === 0) return value
  const at = random.int(bytes.length * 8)
  bytes[at >> 3]! ^= 1 << (at & 7)
  return bytesToHex(bytes)
}

function flipBitOfAddress(address: Address, random: Random): Address {
  return getAddress(flipBitOfHex(address, random))
}

/** Replaces the call's proof (calls with one proof only). */
function withProof(call: FuzzCall, proof: InteropProof): FuzzCall | undefined {
  if (call.fn === 'executeBundles' || call.fn === 'unbundleBundle') return undefined
  return { ...call, proof }
}

/** Replaces the bytes the call proves (a bundle, or a message). */
function withPayload(call: FuzzCall, bytes: Hex): FuzzCall | undefined {
  if (call.fn === 'executeBundles') return undefined
  if ('bundle' in call) return { ...call, bundle: bytes }
  return { ...call, message: bytes }
}

/** The chain that sent what the call proves: the bundle's source, or the call's `source`. */
function sourceChainOf(call: FuzzCall): bigint | undefined {
  if ('source' in call) return call.source
  if (call.fn === 'executeBundles' || call.fn === 'finalizeChainMigration') return undefined
  try {
    return decodeBundle(call.bundle).sourceChainId
  } catch {
    return undefined
  }
}

/** A mutator that changes the call's single proof. */
function proofMutator(name: string, description: string, change: (proof: InteropProof, context: MutationContext, random: Random, call: FuzzCall) => InteropProof | undefined): Mutator {
  return {
    name,
    kind: 'forge',
    description,
    mutate(forgery, context, random) {
      const proof = proofOf(forgery.call)
      if (!proof || forgery.call.fn === 'executeBundles') return undefined
      const changed = change(proof, context, random, forgery.call)
      const call = changed && withProof(forgery.call, changed)
      return call ? next(forgery, name, call) : undefined
    },
  }
}

/** A mutator that changes the bundle or message bytes of a call. */
function payloadMutator(name: string, description: string, applies: (call: FuzzCall) => boolean, change: (bytes: Hex, random: Random, context: MutationContext, call: FuzzCall) => Hex | undefined): Mutator {
  return {
    name,
    kind: 'forge',
    description,
    mutate(forgery, context, random) {
      if (forgery.call.fn === 'executeBundles' || !applies(forgery.call)) return undefined
      const changed = change(payloadOf(forgery.call), random, context, forgery.call)
      const call = changed && withPayload(forgery.call, changed)
      return call ? next(forgery, name, call) : undefined
    },
  }
}

/** The forgery with `call` and `name` appended to its mutators; `undefined` when the call did not change. */
function next(forgery: Forgery, name: string, call: FuzzCall): Forgery | undefined {
  if (callKey(call) === callKey(forgery.call)) return undefined
  return { ...forgery, call, mutators: [...forgery.mutators, name] }
}

const isBundleCall = (call: FuzzCall) => 'bundle' in call
const isMessageCall = (call: FuzzCall) => 'message' in call

function truncate(bytes: Hex, random: Random): Hex | undefined {
  const length = size(bytes)
  if (length === 0) return undefined
  // Half the cuts on a word boundary (a whole field or element gone), half anywhere.
  const cut = random.chance(0.5) && length >= 32 ? 32 * random.int(Math.floor((length - 1) / 32) + 1) : random.int(length)
  return cut === 0 ? '0x' : slice(bytes, 0, cut)
}

function extend(bytes: Hex, random: Random): Hex {
  return concat([bytes, random.chance(0.5) ? (`0x${'00'.repeat(32 * (1 + random.int(2)))}` as Hex) : random.bytes(1 + random.int(64))])
}

/** Another value of a numeric field: ±1, 0, the largest uint256, or another chain id. */
function nudge(value: bigint, random: Random, context: MutationContext): bigint {
  const options = [value + 1n, value - 1n, 0n, MAX_UINT256, ...context.chainIds.map(BigInt)].filter((v) => v >= 0n && v <= MAX_UINT256 && v !== value)
  return random.pick(options)
}

/** One field of a decoded bundle changed, re-encoded canonically. */
function changeBundleField(bundle: InteropBundle, random: Random, context: MutationContext): InteropBundle {
  const otherChain = (current: bigint) => random.pick([...context.chainIds.map(BigInt), current + 1n].filter((id) => id !== current))
  const someAddress = (current: Address): Address => {
    const options = [...context.knownSenders, zeroAddress, getAddress(random.bytes(20))].filter((a) => a.toLowerCase() !== current.toLowerCase())
    return random.pick(options)
  }
  const i = random.int(Math.max(1, bundle.calls.length))
  const call = bundle.calls[i]
  const withCall = (changed: InteropBundle['calls'][number]) => ({ ...bundle, calls: bundle.calls.map((c, j) => (j === i ? changed : c)) })
  const changes: (() => InteropBundle)[] = [
    () => ({ ...bundle, version: random.pick([0n, 2n, bundle.version + 1n].filter((v) => v !== bundle.version)) }),
    () => ({ ...bundle, sourceChainId: otherChain(bundle.sourceChainId) }),
    () => ({ ...bundle, destinationChainId: otherChain(bundle.destinationChainId) }),
    () => ({ ...bundle, salt: flipBitOfHex(bundle.salt, random) }),
    () => ({ ...bundle, executionAddress: someAddress(bundle.executionAddress) }),
    () => ({ ...bundle, unbundler: someAddress(bundle.unbundler) }),
    () => ({ ...bundle, calls: [...bundle.calls, ...bundle.calls.slice(0, 1)] }),
  ]
  if (call) {
    changes.push(
      () => withCall({ ...call, to: someAddress(call.to) }),
      () => withCall({ ...call, from: someAddress(call.from) }),
      () => withCall({ ...call, value: random.chance(0.5) ? call.value + 1n : call.value + 10n ** 18n }),
      () => withCall({ ...call, data: size(call.data) > 0 && random.chance(0.5) ? flipBitOfHex(call.data, random) : concat([call.data, '0x00']) }),
    )
    if (bundle.calls.length > 1) changes.push(() => ({ ...bundle, calls: bundle.calls.filter((_, j) => j !== i) }))
  }
  return random.pick(changes)()
}

/** `proof` with `upper`'s root (its settlement layer and block) and `upper`'s levels as the hop. */
function hopFrom(proof: InteropProof, upper: InteropProof, chainId: bigint, takeRoot: boolean): InteropProof {
  const hop: SettlementLayerHop = { settlementLayerChainId: chainId, ...levelOf(upper) }
  return { ...proof, ...(takeRoot ? { slChainId: upper.slChainId, slBlockNumber: upper.slBlockNumber } : {}), hops: [hop] }
}

/**
 * Every mutator: of proofs, bundle and message bytes, arguments and targets, batches and unbundling,
 * replays; and the wrappers (entry point, calldata).
 *
 * @example
 * ```ts
 * const forged = mutators.find((m) => m.name === 'proof.swap-siblings')!.mutate({ seedId, mutators: [], call }, context, createRandom(1))
 * ```
 */
export const mutators: readonly Mutator[] = [
  // --- proofs -------------------------------------------------------------------------------------
  proofMutator('proof.flip-number-bit', 'one bit of a numeric proof field flipped (chain, block, batch, index, count, hop)', (proof, _, random) => {
    const slot = random.pick(numberSlots(proof))
    return slot.set(slot.value ^ (1n << BigInt(bitPosition(random, 256))))
  }),
  proofMutator('proof.nudge-number', 'a numeric proof field set to a neighbour, 0, the largest value or a chain id', (proof, context, random) => {
    const slot = random.pick(numberSlots(proof))
    return slot.set(nudge(slot.value, random, context))
  }),
  proofMutator('proof.flip-sender-bit', "one bit of the proof's message sender flipped", (proof, _, random) => ({ ...proof, messageSender: flipBitOfAddress(proof.messageSender, random) })),
  proofMutator('proof.other-sender', 'the message sender set to another contract of the network', (proof, context, random) => {
    const others = context.knownSenders.filter((a) => a.toLowerCase() !== proof.messageSender.toLowerCase())
    return others.length > 0 ? { ...proof, messageSender: random.pick(others) } : undefined
  }),
  proofMutator('proof.flip-sibling-bit', 'one bit of one sibling flipped', (proof, _, random) => {
    const slots = siblingSlots(proof).filter((s) => s.siblings.length > 0)
    if (slots.length === 0) return undefined
    const slot = random.pick(slots)
    const i = random.int(slot.siblings.length)
    return slot.set(slot.siblings.map((s, j) => (j === i ? flipBitOfHex(s, random) : s)))
  }),
  proofMutator('proof.swap-siblings', 'two different siblings of a level swapped', (proof, _, random) => {
    const slots = siblingSlots(proof).filter((s) => new Set(s.siblings.map((h) => h.toLowerCase())).size > 1)
    if (slots.length === 0) return undefined
    const slot = random.pick(slots)
    const pairs: [number, number][] = []
    slot.siblings.forEach((a, i) => slot.siblings.forEach((b, j) => i < j && a.toLowerCase() !== b.toLowerCase() && pairs.push([i, j])))
    const [i, j] = random.pick(pairs)
    return slot.set(slot.siblings.map((s, k) => (k === i ? slot.siblings[j]! : k === j ? slot.siblings[i]! : s)))
  }),
  proofMutator('proof.reverse-siblings', "a level's siblings in reverse order", (proof, _, random) => {
    const slots = siblingSlots(proof).filter((s) => s.siblings.map((h) => h.toLowerCase()).join() !== [...s.siblings].reverse().map((h) => h.toLowerCase()).join())
    if (slots.length === 0) return undefined
    const slot = random.pick(slots)
    return slot.set([...slot.siblings].reverse())
  }),
  proofMutator('proof.drop-sibling', 'one sibling dropped', (proof, _, random) => {
    const slots = siblingSlots(proof).filter((s) => s.siblings.length > 0)
    if (slots.length === 0) return undefined
    const slot = random.pick(slots)
    const i = random.int(slot.siblings.length)
    return slot.set(slot.siblings.filter((_, j) => j !== i))
  }),
  proofMutator('proof.duplicate-sibling', 'one sibling duplicated', (proof, _, random) => {
    const slots = siblingSlots(proof).filter((s) => s.siblings.length > 0)
    if (slots.length === 0) return undefined
    const slot = random.pick(slots)
    const i = random.int(slot.siblings.length)
    return slot.set([...slot.siblings.slice(0, i + 1), slot.siblings[i]!, ...slot.siblings.slice(i + 1)])
  }),
  proofMutator('proof.zero-sibling', 'a sibling replaced by zero (an empty subtree), or one added where a level had none', (proof, _, random) => {
    const slot = random.pick(siblingSlots(proof))
    if (slot.siblings.length === 0) return slot.set([zeroHash])
    const i = random.int(slot.siblings.length)
    if (slot.siblings[i]!.toLowerCase() === zeroHash) return slot.set([...slot.siblings, zeroHash])
    return slot.set(slot.siblings.map((s, j) => (j === i ? zeroHash : s)))
  }),
  proofMutator('proof.move-siblings', "two levels' siblings exchanged (message ↔ batch ↔ chain ↔ hop)", (proof, _, random) => {
    const slots = siblingSlots(proof)
    const pairs: [SiblingSlot, SiblingSlot][] = []
    slots.forEach((a, i) => slots.forEach((b, j) => i < j && a.siblings.join() !== b.siblings.join() && pairs.push([a, b])))
    if (pairs.length === 0) return undefined
    const [a, b] = random.pick(pairs)
    const first = a.set(b.siblings)
    return siblingSlots(first).find((s) => s.label === b.label)!.set(a.siblings)
  }),
  proofMutator('proof.wrong-root', 'the proof pointed at another real root of the chain that checks it', (proof, context, random, call) => {
    const roots = (context.roots[call.chainId] ?? []).filter((r) => r.slChainId !== proof.slChainId || r.slBlockNumber !== proof.slBlockNumber)
    if (roots.length === 0) return undefined
    const root = random.pick(roots)
    return { ...proof, slChainId: root.slChainId, slBlockNumber: root.slBlockNumber }
  }),
  proofMutator('proof.unimported-root', 'the proof pointed at a block with no root', (proof, context, random, call) => {
    const known = new Set((context.roots[call.chainId] ?? []).map((r) => `${r.slChainId}:${r.slBlockNumber}`))
    for (let i = 0; i < 8; i++) {
      const block = random.chance(0.5) ? proof.slBlockNumber + 1n + BigInt(random.int(1000)) : random.bits(64)
      if (!known.has(`${proof.slChainId}:${block}`) && block !== proof.slBlockNumber) return { ...proof, slBlockNumber: block }
    }
    return undefined
  }),
  proofMutator('proof.wrong-settlement-layer', "the proof's settlement layer set to another chain", (proof, context, random) => ({
    ...proof,
    slChainId: random.pick([...context.chainIds.map(BigInt), proof.slChainId + 1n].filter((id) => id !== proof.slChainId)),
  })),
  proofMutator('proof.other-batch', 'the proof names a neighbouring batch of the source chain', (proof, _, random) => {
    const options = [-3n, -2n, -1n, 1n, 2n, 3n].map((d) => proof.batchNumber + d).filter((b) => b >= 0n)
    return { ...proof, batchNumber: random.pick(options) }
  }),
  proofMutator('proof.committed-key', "a committed-batch key (§12) as the proof's block, all levels kept", (proof, _, __, call) => {
    const source = sourceChainOf(call)
    if (source === undefined || source >= 1n << 127n || proof.batchNumber >= 1n << 128n) return undefined
    return { ...proof, slBlockNumber: committedBatchKey(source, proof.batchNumber) }
  }),
  proofMutator('proof.committed-key-message-level', 'a committed-batch proof: the key, the message level only', (proof, _, __, call) => {
    const source = sourceChainOf(call)
    if (source === undefined || source >= 1n << 127n || proof.batchNumber >= 1n << 128n) return undefined
    return { ...proof, slBlockNumber: committedBatchKey(source, proof.batchNumber), batchCount: 0n, batchSiblings: [], chainIndex: 0n, chainCount: 0n, chainSiblings: [], hops: [] }
  }),
  proofMutator('proof.drop-hop', 'a two-level proof cut to its lower level', (proof) => (proof.hops.length > 0 ? { ...proof, hops: [] } : undefined)),
  proofMutator('proof.add-hop', "a one-level proof given another proof's upper level as a hop", (proof, context, random) => {
    if (proof.hops.length > 0) return undefined
    const uppers = context.seeds.flatMap((seed) => {
      const p = proofOf(seed.call)
      return p && p.hops.length > 0 ? [{ hop: p.hops[0]!, root: { slChainId: p.slChainId, slBlockNumber: p.slBlockNumber } }] : []
    })
    const chainIds = [...(context.gatewayChainId !== undefined ? [BigInt(context.gatewayChainId)] : []), ...context.chainIds.map(BigInt)]
    if (uppers.length === 0) {
      return hopFrom(proof, proof, random.pick(chainIds), false)
    }
    const upper = random.pick(uppers)
    return hopFrom(proof, { ...proof, ...upper.hop, ...upper.root }, random.chance(0.7) ? upper.hop.settlementLayerChainId : random.pick(chainIds), random.chance(0.5))
  }),
  proofMutator('proof.duplicate-hop', 'a hop given twice', (proof) => (proof.hops.length > 0 ? { ...proof, hops: [...proof.hops, proof.hops[0]!] } : undefined)),
  proofMutator('proof.swap-levels', "a two-level proof's lower and upper levels exchanged", (proof) => {
    const hop = proof.hops[0]
    if (!hop) return undefined
    return { ...proof, ...levelOf(hop), hops: [{ ...levelOf(proof), settlementLayerChainId: hop.settlementLayerChainId }] }
  }),
  proofMutator('proof.hop-chain', "the hop's settlement layer set to another chain", (proof, context, random) => {
    const hop = proof.hops[0]
    if (!hop) return undefined
    const options = [...context.chainIds.map(BigInt), hop.settlementLayerChainId + 1n].filter((id) => id !== hop.settlementLayerChainId)
    return withHop(proof, 0, { ...hop, settlementLayerChainId: random.pick(options) })
  }),
  proofMutator('proof.from-other-seed', 'the valid proof of another message attached', (proof, context, random) => {
    const others = context.seeds.map((s) => proofOf(s.call)).filter((p): p is InteropProof => p !== undefined && valueKey(p) !== valueKey(proof))
    return others.length > 0 ? random.pick(others) : undefined
  }),
  proofMutator('proof.empty', 'no proof: every field zero, no siblings', (proof) => ({
    slChainId: proof.slChainId,
    slBlockNumber: proof.slBlockNumber,
    messageSender: proof.messageSender,
    batchNumber: 0n,
    messageIndex: 0n,
    messageCount: 0n,
    messageSiblings: [],
    batchCount: 0n,
    batchSiblings: [],
    chainIndex: 0n,
    chainCount: 0n,
    chainSiblings: [],
    hops: [],
  })),

  // --- bundle and message bytes --------------------------------------------------------------------
  payloadMutator('bundle.flip-bit', 'one bit of the encoded bundle flipped', isBundleCall, (bytes, random) => flipBitOfHex(bytes, random)),
  payloadMutator('bundle.truncate', 'the encoded bundle cut short', isBundleCall, (bytes, random) => truncate(bytes, random)),
  payloadMutator('bundle.extend', 'bytes appended to the encoded bundle', isBundleCall, (bytes, random) => extend(bytes, random)),
  payloadMutator('bundle.field', 'one field of the bundle changed (version, chains, salt, addresses, a call), re-encoded canonically', isBundleCall, (bytes, random, context) => {
    let bundle: InteropBundle
    try {
      bundle = decodeBundle(bytes)
    } catch {
      return undefined
    }
    return encodeBundle(changeBundleField(bundle, random, context))
  }),
  payloadMutator('bundle.from-other-seed', 'the bundle of another seed with this proof', isBundleCall, (bytes, random, context) => {
    const others = context.seeds.filter((s) => isBundleCall(s.call)).map((s) => payloadOf(s.call)).filter((b) => b.toLowerCase() !== bytes.toLowerCase())
    return others.length > 0 ? random.pick(others) : undefined
  }),
  payloadMutator('message.flip-bit', 'one bit of the bridge or migration message flipped', isMessageCall, (bytes, random) => flipBitOfHex(bytes, random)),
  payloadMutator('message.truncate', 'the message cut short', isMessageCall, (bytes, random) => truncate(bytes, random)),
  payloadMutator('message.extend', 'bytes appended to the message', isMessageCall, (bytes, random) => extend(bytes, random)),
  payloadMutator('message.nudge-word', 'one 32-byte word of the message ±1 (tag, amount, receiver, chain id, state...)', isMessageCall, (bytes, random) => {
    const words = Math.floor(size(bytes) / 32)
    if (words === 0) return undefined
    const w = random.int(words)
    const value = BigInt(slice(bytes, w * 32, w * 32 + 32))
    const changed = value === MAX_UINT256 ? value - 1n : value === 0n || random.chance(0.5) ? value + 1n : value - 1n
    return concat([slice(bytes, 0, w * 32), `0x${changed.toString(16).padStart(64, '0')}`, ...(size(bytes) > w * 32 + 32 ? [slice(bytes, w * 32 + 32)] : [])])
  }),
  payloadMutator('message.from-other-seed', 'the message of another seed with this proof', isMessageCall, (bytes, random, context) => {
    const others = context.seeds.filter((s) => isMessageCall(s.call)).map((s) => payloadOf(s.call)).filter((b) => b.toLowerCase() !== bytes.toLowerCase())
    return others.length > 0 ? random.pick(others) : undefined
  }),

  // --- arguments and targets -----------------------------------------------------------------------
  {
    name: 'call.other-chain',
    kind: 'forge',
    description: 'a bundle call sent to a chain that is not its destination (another ZK chain, the Gateway, or L1)',
    mutate(forgery, context, random) {
      const call = forgery.call
      if (call.fn !== 'executeBundle' && call.fn !== 'verifyBundle' && call.fn !== 'unbundleBundle' && call.fn !== 'executeBundles') return undefined
      const others = context.chainIds.filter((id) => id !== call.chainId)
      return others.length > 0 ? next(forgery, 'call.other-chain', { ...call, chainId: random.pick(others) }) : undefined
    },
  },
  {
    name: 'call.other-source',
    kind: 'forge',
    description: 'the chain a bridge message is said to come from changed',
    mutate(forgery, context, random) {
      const call = forgery.call
      if (!('source' in call)) return undefined
      return next(forgery, 'call.other-source', { ...call, source: nudge(call.source, random, context) })
    },
  },
  {
    name: 'call.other-function',
    kind: 'forge',
    description: 'the bytes and proof given to another handler function (a withdrawal as a transfer, a bundle as a withdrawal, a message as a bundle...)',
    mutate(forgery, context, random) {
      const call = forgery.call
      if (call.fn === 'executeBundles' || call.fn === 'unbundleBundle') return undefined
      const proof = call.proof
      const bytes = payloadOf(call)
      const source = sourceChainOf(call) ?? BigInt(random.pick(context.chainIds))
      const l1 = context.l1ChainId
      const options: FuzzCall[] = [
        { fn: 'finalizeWithdrawal', chainId: l1, source, message: bytes, proof },
        { fn: 'finalizeTransfer', chainId: l1, source, message: bytes, proof },
        { fn: 'finalizeSettlementLayerTransfer', chainId: l1, source: context.gatewayChainId !== undefined ? BigInt(context.gatewayChainId) : source, message: bytes, proof },
        { fn: 'claimFailedDeposit', chainId: l1, source, depositor: random.pick(context.knownSenders), assetId: zeroHash, amount: 1n, message: bytes, proof },
        { fn: 'finalizeChainMigration', chainId: l1, message: bytes, proof },
        { fn: 'executeBundle', chainId: random.pick(context.chainIds), bundle: bytes, proof },
        { fn: 'verifyBundle', chainId: random.pick(context.chainIds), bundle: bytes, proof },
      ].filter((option) => option.fn !== call.fn) as FuzzCall[]
      return next(forgery, 'call.other-function', random.pick(options))
    },
  },
  {
    name: 'claim.other-deposit',
    kind: 'forge',
    description: "a failed-deposit claim naming another depositor, asset or amount than the deposit's",
    mutate(forgery, context, random) {
      const call = forgery.call
      if (call.fn !== 'claimFailedDeposit') return undefined
      const changes: (() => FuzzCall)[] = [
        () => ({ ...call, depositor: random.pick([...context.knownSenders, getAddress(random.bytes(20))].filter((a) => a.toLowerCase() !== call.depositor.toLowerCase())) }),
        () => ({ ...call, assetId: flipBitOfHex(call.assetId, random) }),
        () => ({ ...call, amount: random.pick([call.amount + 1n, call.amount * 2n, call.amount - 1n, 0n].filter((a) => a >= 0n && a !== call.amount)) }),
      ]
      return next(forgery, 'claim.other-deposit', random.pick(changes)())
    },
  },

  // --- batches of bundles and unbundling ----------------------------------------------------------
  {
    name: 'batch.length-mismatch',
    kind: 'forge',
    description: 'executeBundles with one proof more or fewer than bundles',
    mutate(forgery, _, random) {
      const call = forgery.call
      if (call.fn !== 'executeBundle') return undefined
      const proofs = random.chance(0.5) ? [] : [call.proof, call.proof]
      return next(forgery, 'batch.length-mismatch', { fn: 'executeBundles', chainId: call.chainId, bundles: [call.bundle], proofs })
    },
  },
  {
    name: 'batch.replay-within',
    kind: 'forge',
    description: 'executeBundles with the same bundle twice: the second run is a replay inside one transaction',
    mutate(forgery) {
      const call = forgery.call
      if (call.fn !== 'executeBundle') return undefined
      return next(forgery, 'batch.replay-within', { fn: 'executeBundles', chainId: call.chainId, bundles: [call.bundle, call.bundle], proofs: [call.proof, call.proof] })
    },
  },
  {
    name: 'unbundle.not-unbundler',
    kind: 'forge',
    description: 'a verified bundle unbundled by an account that is not its unbundler',
    mutate(forgery) {
      const call = forgery.call
      if (call.fn !== 'unbundleBundle' || !call.asUnbundler) return undefined
      return next(forgery, 'unbundle.not-unbundler', { ...call, asUnbundler: false })
    },
  },
  {
    name: 'unbundle.decision-count',
    kind: 'forge',
    description: 'an unbundling with one decision more or fewer than calls',
    mutate(forgery, _, random) {
      const call = forgery.call
      if (call.fn !== 'unbundleBundle') return undefined
      const decisions = random.chance(0.5) || call.decisions.length === 0 ? [...call.decisions, random.int(3)] : call.decisions.slice(0, -1)
      return next(forgery, 'unbundle.decision-count', { ...call, decisions })
    },
  },
  {
    name: 'replay',
    kind: 'forge',
    description: 'a call that already succeeded, sent again',
    mutate(forgery, context) {
      const seed = context.seeds.find((s) => s.id === forgery.seedId)
      if (seed?.state !== 'executed' || forgery.mutators.length > 0) return undefined
      return { ...forgery, mutators: ['replay'] }
    },
  },

  // --- wrappers: how a forgery is sent --------------------------------------------------------------
  {
    name: 'entry.verify',
    kind: 'wrap',
    description: 'sent to verifyBundle instead of executeBundle',
    mutate(forgery) {
      const call = forgery.call
      return call.fn === 'executeBundle' ? next(forgery, 'entry.verify', { ...call, fn: 'verifyBundle' }) : undefined
    },
  },
  {
    name: 'entry.batch',
    kind: 'wrap',
    description: 'sent inside executeBundles among valid, unexecuted bundles to the same chain (all or none)',
    mutate(forgery, context, random) {
      const call = forgery.call
      if (call.fn !== 'executeBundle') return undefined
      const valid = context.seeds.flatMap((s) => (s.state === 'unexecuted' && s.call.fn === 'executeBundle' && s.call.chainId === call.chainId ? [s.call] : []))
      const picked = valid.filter(() => random.chance(0.5)).slice(0, 3)
      const entries = [...picked.map((c) => ({ bundle: c.bundle, proof: c.proof })), { bundle: call.bundle, proof: call.proof }]
      const at = random.int(entries.length)
      const last = entries.pop()!
      entries.splice(at, 0, last)
      return next(forgery, 'entry.batch', { fn: 'executeBundles', chainId: call.chainId, bundles: entries.map((e) => e.bundle), proofs: entries.map((e) => e.proof) })
    },
  },
  {
    name: 'calldata.truncate',
    kind: 'wrap',
    description: 'the transaction calldata cut short (the function selector kept)',
    mutate(forgery, _, random) {
      if (forgery.calldata) return undefined
      // The length is known only once encoded: a share of it, below the whole.
      return { ...forgery, mutators: [...forgery.mutators, 'calldata.truncate'], calldata: { keepPerMille: random.int(1_000) } }
    },
  },
  {
    name: 'calldata.extend',
    kind: 'wrap',
    description: 'bytes appended to the transaction calldata',
    mutate(forgery, _, random) {
      if (forgery.calldata) return undefined
      return { ...forgery, mutators: [...forgery.mutators, 'calldata.extend'], calldata: { append: random.bytes(1 + random.int(96)) } }
    },
  },
]
