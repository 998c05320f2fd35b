import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { keccak_256 } from '@noble/hashes/sha3'
import { bytesToHex, decodeAbiParameters, getAddress, encodeAbiParameters, type Address, type Hex } from 'viem'
import {
  InconsistentProofInputError,
  InvalidBatchNumberError,
  LeafIndexOutOfRangeError,
  SenderNotInteropCenterError,
  SharedRootMismatchError,
  TooManyHopsError,
  UntrustedSettlementLayerError,
  WrongProofLengthError,
} from './errors.js'
import { batchLeaf, chainLeaf, messageLeaf } from './hashing.js'
import { IncrementalMerkleTree, merkleRoot } from './merkleTree.js'
import { buildInteropProof, interopProofAbiParameter, verifyInteropProof, withSettlementLayerHop, type ChainTreeRootEntry } from './proof.js'

const interopCenter: Address = getAddress('0x00000000000000000000000000000000000c3a7e')
const otherSender: Address = getAddress('0x000000000000000000000000000000000000beef')

const hashOf = (...parts: number[]): Hex => bytesToHex(keccak_256(new Uint8Array(parts.flatMap((p) => [p & 255, (p >> 8) & 255, (p >> 16) & 255]))))

/**
 * A settlement layer with `chainCount` chains; chain c (id 300 + c) has `batches[c]` batches
 * of `messages` messages each, all sent by the InteropCenter with payload hash hashOf(c, b, m).
 */
function world(batchesPerChain: number[], messages: number) {
  const chains = batchesPerChain.map((batchCount, c) => {
    const chainId = BigInt(300 + c)
    const batches = Array.from({ length: batchCount }, (_, b) => {
      const bundleHashes = Array.from({ length: messages }, (_, m) => hashOf(c, b + 1, m))
      const leaves = bundleHashes.map((h) => messageLeaf(interopCenter, h))
      return { bundleHashes, leaves, messageRoot: merkleRoot(leaves) }
    })
    const tree = new IncrementalMerkleTree(batches.map((batch, b) => batchLeaf(b + 1, batch.messageRoot)))
    return { chainId, batches, chainTreeRoot: tree.root }
  })
  const entries: ChainTreeRootEntry[] = chains.map(({ chainId, chainTreeRoot }) => ({ chainId, chainTreeRoot }))
  const sharedRoot = merkleRoot(entries.map((e) => chainLeaf(e.chainId, e.chainTreeRoot)))
  return { chains, entries, sharedRoot }
}

function proveIn(w: ReturnType<typeof world>, c: number, b: number, m: number) {
  const chain = w.chains[c]!
  const batch = chain.batches[b - 1]!
  return buildInteropProof({
    slChainId: 31337n,
    slBlockNumber: 99n,
    messageSender: interopCenter,
    bundleHash: batch.bundleHashes[m]!,
    sourceChainId: chain.chainId,
    batchNumber: b,
    messageLeaves: batch.leaves,
    batchMessageRoots: chain.batches.map((x) => x.messageRoot),
    chains: w.entries,
  })
}

describe('buildInteropProof and verifyInteropProof', () => {
  const w = world([2, 3, 1], 5)
  const built = proveIn(w, 1, 2, 3)
  const bundleHash = w.chains[1]!.batches[1]!.bundleHashes[3]!
  const base = { bundleHash, sourceChainId: 301n, interopCenter, proof: built.proof }

  test('builds a proof that leads to the shared root of the snapshot', () => {
    assert.equal(built.sharedRoot, w.sharedRoot)
    assert.equal(verifyInteropProof(base), w.sharedRoot)
    assert.equal(verifyInteropProof({ ...base, importedRoot: w.sharedRoot }), w.sharedRoot)
    assert.deepEqual(
      { ...built.proof, messageSiblings: built.proof.messageSiblings.length, batchSiblings: built.proof.batchSiblings.length, chainSiblings: built.proof.chainSiblings.length },
      { slChainId: 31337n, slBlockNumber: 99n, messageSender: interopCenter, batchNumber: 2n, messageIndex: 3n, messageCount: 5n, messageSiblings: 3, batchCount: 3n, batchSiblings: 2, chainIndex: 1n, chainCount: 3n, chainSiblings: 2, hops: [] },
    )
  })
  test('encodes the proof with interopProofAbiParameter and reads it back', () => {
    const encoded = encodeAbiParameters([interopProofAbiParameter], [built.proof])
    assert.deepEqual(decodeAbiParameters([interopProofAbiParameter], encoded)[0], built.proof)
  })
  test('refuses a message sender other than the InteropCenter', () => {
    assert.throws(() => verifyInteropProof({ ...base, proof: { ...built.proof, messageSender: otherSender } }), SenderNotInteropCenterError)
    assert.throws(() => verifyInteropProof({ ...base, interopCenter: otherSender }), SenderNotInteropCenterError)
  })
  test('accepts the InteropCenter address in any letter case', () => {
    assert.equal(verifyInteropProof({ ...base, interopCenter: interopCenter.toLowerCase() as Address }), w.sharedRoot)
  })
  test('refuses a proof for batch 0, the genesis batch', () => {
    assert.throws(() => verifyInteropProof({ ...base, proof: { ...built.proof, batchNumber: 0n } }), InvalidBatchNumberError)
  })
  test('refuses a shared root that differs from the imported one', () => {
    assert.throws(() => verifyInteropProof({ ...base, importedRoot: built.chainTreeRoot }), SharedRootMismatchError)
  })
  test('leads elsewhere for another bundle, another source chain or another batch number', () => {
    assert.notEqual(verifyInteropProof({ ...base, bundleHash: w.chains[1]!.batches[1]!.bundleHashes[2]! }), w.sharedRoot)
    assert.notEqual(verifyInteropProof({ ...base, sourceChainId: 302n }), w.sharedRoot)
    assert.notEqual(verifyInteropProof({ ...base, proof: { ...built.proof, batchNumber: 1n } }), w.sharedRoot)
  })
  test('raises the Merkle errors for broken proofs', () => {
    assert.throws(() => verifyInteropProof({ ...base, proof: { ...built.proof, messageIndex: 5n } }), LeafIndexOutOfRangeError)
    assert.throws(() => verifyInteropProof({ ...base, proof: { ...built.proof, batchNumber: 4n } }), LeafIndexOutOfRangeError)
    assert.throws(() => verifyInteropProof({ ...base, proof: { ...built.proof, chainSiblings: [] } }), WrongProofLengthError)
    assert.notEqual(verifyInteropProof({ ...base, bundleHash: `0x${'00'.repeat(32)}` }), w.sharedRoot)
  })
  test('finds the message index itself, or checks the one given', () => {
    const chain = w.chains[1]!
    const batch = chain.batches[1]!
    const input = {
      slChainId: 31337n, slBlockNumber: 99n, messageSender: interopCenter, bundleHash, sourceChainId: 301n, batchNumber: 2n,
      messageLeaves: batch.leaves, batchMessageRoots: chain.batches.map((x) => x.messageRoot), chains: w.entries,
    }
    assert.deepEqual(buildInteropProof({ ...input, messageIndex: 3 }), built)
    assert.throws(() => buildInteropProof({ ...input, messageIndex: 2 }), InconsistentProofInputError)
    assert.throws(() => buildInteropProof({ ...input, messageIndex: 9 }), InconsistentProofInputError)
  })
  test('refuses inputs that contradict each other', () => {
    const chain = w.chains[1]!
    const batch = chain.batches[1]!
    const input = {
      slChainId: 31337n, slBlockNumber: 99n, messageSender: interopCenter, bundleHash, sourceChainId: 301n, batchNumber: 2n,
      messageLeaves: batch.leaves, batchMessageRoots: chain.batches.map((x) => x.messageRoot), chains: w.entries,
    }
    assert.throws(() => buildInteropProof({ ...input, bundleHash: hashOf(9, 9, 9) }), /not among the batch's message leaves/)
    assert.throws(() => buildInteropProof({ ...input, messageLeaves: batch.leaves.slice(0, 4) }), /message root/)
    assert.throws(() => buildInteropProof({ ...input, batchMessageRoots: input.batchMessageRoots.slice(0, 2) }), /chain tree root/)
    assert.throws(() => buildInteropProof({ ...input, sourceChainId: 999n }), /not among the registered chains/)
    assert.throws(() => buildInteropProof({ ...input, chains: [...w.entries, w.entries[1]!] }), /registered twice/)
    assert.throws(() => buildInteropProof({ ...input, batchNumber: 0n }), InvalidBatchNumberError)
    assert.throws(() => buildInteropProof({ ...input, batchNumber: 4n }), InvalidBatchNumberError)
  })
})

describe('interop proof properties', () => {
  test('every message of every batch of every chain proves to the shared root', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 6 }), fc.nat(), fc.nat(), fc.nat(), (batches, messages, c0, b0, m0) => {
        const w = world(batches, messages)
        const c = c0 % batches.length
        const b = (b0 % batches[c]!) + 1
        const m = m0 % messages
        const { proof, sharedRoot } = proveIn(w, c, b, m)
        assert.equal(sharedRoot, w.sharedRoot)
        const bundleHash = w.chains[c]!.batches[b - 1]!.bundleHashes[m]!
        assert.equal(verifyInteropProof({ bundleHash, sourceChainId: w.chains[c]!.chainId, interopCenter, proof, importedRoot: w.sharedRoot }), w.sharedRoot)
      }),
      { numRuns: 30 },
    )
  })
})

describe('two-level proofs (a chain on the Gateway, checked against an L1 root)', () => {
  const messageRootAddress: Address = getAddress('0x00000000000000000000000000000000000a11ce')
  const gatewayChainId = 31338n
  // The Gateway's own settlement-layer tree (chains 300.. settle on it).
  const gateway = world([2, 3], 4)
  const lower = { ...proveIn(gateway, 1, 2, 3).proof, slChainId: gatewayChainId }
  // The Gateway chain's batch 1 on L1: two ordinary messages and the Gateway root recorded by MessageRoot.
  const gatewayLeaves = [hashOf(9, 1), messageLeaf(messageRootAddress, gateway.sharedRoot), hashOf(9, 2)]
  const gatewayBatchRoots = [merkleRoot(gatewayLeaves)]
  const l1Chains: ChainTreeRootEntry[] = [
    { chainId: 500n, chainTreeRoot: hashOf(5, 0) },
    { chainId: gatewayChainId, chainTreeRoot: merkleRoot(gatewayBatchRoots.map((r, i) => batchLeaf(i + 1, r))) },
  ]
  const upper = buildInteropProof({
    slChainId: 31337n,
    slBlockNumber: 120n,
    messageSender: messageRootAddress,
    bundleHash: gateway.sharedRoot,
    sourceChainId: gatewayChainId,
    batchNumber: 1,
    messageLeaves: gatewayLeaves,
    batchMessageRoots: gatewayBatchRoots,
    chains: l1Chains,
  })
  const twoLevel = withSettlementLayerHop(lower, upper.proof, gatewayChainId)
  const base = { bundleHash: hashOf(1, 2, 3), sourceChainId: 301n, interopCenter, settlementLayerMessageRoot: messageRootAddress, gatewayChainId }

  test('leads to the L1 root, keyed by the L1 root block', () => {
    assert.equal(verifyInteropProof({ ...base, proof: twoLevel, importedRoot: upper.sharedRoot }), upper.sharedRoot)
    assert.equal(twoLevel.slChainId, 31337n)
    assert.equal(twoLevel.slBlockNumber, 120n)
    assert.equal(twoLevel.hops.length, 1)
  })

  test('survives the ABI round trip', () => {
    const [decoded] = decodeAbiParameters([interopProofAbiParameter], encodeAbiParameters([interopProofAbiParameter], [twoLevel]))
    assert.deepEqual(decoded, twoLevel)
  })

  test('refuses a tampered middle hop, a hop through another chain, a second hop', () => {
    const hop = twoLevel.hops[0]!
    const tampered = { ...twoLevel, hops: [{ ...hop, messageSiblings: [hashOf(7), ...hop.messageSiblings.slice(1)] }] }
    assert.throws(() => verifyInteropProof({ ...base, proof: tampered, importedRoot: upper.sharedRoot }), SharedRootMismatchError)
    assert.throws(() => verifyInteropProof({ ...base, proof: twoLevel, gatewayChainId: 500n }), UntrustedSettlementLayerError)
    assert.throws(() => verifyInteropProof({ ...base, proof: twoLevel, gatewayChainId: undefined }), UntrustedSettlementLayerError)
    assert.throws(() => verifyInteropProof({ ...base, proof: { ...twoLevel, hops: [hop, hop] } }), TooManyHopsError)
    // The Gateway root recorded by any other contract is not the Gateway's.
    assert.throws(() => verifyInteropProof({ ...base, settlementLayerMessageRoot: otherSender, proof: twoLevel, importedRoot: upper.sharedRoot }), SharedRootMismatchError)
  })
})
