import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { keccak_256 } from '@noble/hashes/sha3'
import { bytesToHex, concat, keccak256, numberToHex, type Hex } from 'viem'
import { EmptyLeafError, IntegerOutOfRangeError, LeafIndexOutOfRangeError, WrongProofLengthError } from './errors.js'
import { ZERO_HASH, sealTreeRoot } from './hashing.js'
import {
  IncrementalMerkleTree,
  MerkleTree,
  emptyTreeRoot,
  merkleRoot,
  treeDepth,
  verifyMerkleProof,
  zeroHashes,
  type MerkleProof,
} from './merkleTree.js'

// Independent reference, written from protocol §3 with viem: pad to 2^depth with zeros,
// hash level by level, seal with the count.
function referenceRoot(leaves: readonly Hex[]): Hex {
  const depth = leaves.length <= 1 ? 0 : Math.ceil(Math.log2(leaves.length))
  let row: Hex[] = leaves.length === 0 ? [ZERO_HASH] : [...leaves]
  while (row.length < 2 ** depth) row.push(ZERO_HASH)
  while (row.length > 1) {
    const next: Hex[] = []
    for (let i = 0; i < row.length; i += 2) next.push(keccak256(concat(['0x01', row[i]!, row[i + 1]!])))
    row = next
  }
  return keccak256(concat(['0x02', numberToHex(leaves.length, { size: 32 }), row[0]!]))
}

function leavesOf(count: number, seed = 0): Hex[] {
  return Array.from({ length: count }, (_, i) => bytesToHex(keccak_256(new Uint8Array([seed & 255, seed >> 8, i & 255, i >> 8, i >> 16]))))
}

const leafArbitrary = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => b.some((x) => x !== 0)).map((b) => bytesToHex(b))

describe('treeDepth', () => {
  test('is 0 for zero and one leaf, and ceil(log2(n)) above', () => {
    const expected: [number, number][] = [[0, 0], [1, 0], [2, 1], [3, 2], [4, 2], [5, 3], [8, 3], [9, 4], [1024, 10], [1025, 11]]
    for (const [n, depth] of expected) assert.equal(treeDepth(n), depth, `depth(${n})`)
    assert.equal(treeDepth(2n ** 32n), 32)
    assert.equal(treeDepth(2n ** 31n + 1n), 32)
  })
  test('refuses more than 2^32 leaves', () => {
    assert.throws(() => treeDepth(2n ** 32n + 1n), IntegerOutOfRangeError)
  })
})

describe('zeroHashes', () => {
  test('holds Z[0..32], starting at 0x00…00, each the node of two of the previous', () => {
    assert.equal(zeroHashes.length, 33)
    assert.equal(zeroHashes[0], ZERO_HASH)
    for (let h = 0; h < 32; h++) assert.equal(zeroHashes[h + 1], keccak256(concat(['0x01', zeroHashes[h]!, zeroHashes[h]!])))
  })
})

describe('MerkleTree', () => {
  test('gives the empty tree the root seal(0, 0x00…00)', () => {
    const tree = new MerkleTree([])
    assert.equal(tree.root, sealTreeRoot(0, ZERO_HASH))
    assert.equal(tree.root, emptyTreeRoot)
    assert.equal(tree.top, ZERO_HASH)
    assert.equal(merkleRoot([]), emptyTreeRoot)
  })
  test('uses the leaf itself as the top of a one-leaf tree, with an empty proof', () => {
    const [leaf] = leavesOf(1) as [Hex]
    const tree = new MerkleTree([leaf])
    assert.equal(tree.top, leaf)
    assert.equal(tree.root, sealTreeRoot(1, leaf))
    assert.deepEqual(tree.proof(0), { leaf, index: 0n, count: 1n, siblings: [] })
  })
  test('pads three leaves with Z[0] and commits to the count 3', () => {
    const [a, b, c] = leavesOf(3) as [Hex, Hex, Hex]
    const node = (l: Hex, r: Hex) => keccak256(concat(['0x01', l, r]))
    const top = node(node(a, b), node(c, ZERO_HASH))
    assert.equal(new MerkleTree([a, b, c]).root, keccak256(concat(['0x02', numberToHex(3, { size: 32 }), top])))
    assert.notEqual(new MerkleTree([a, b, c]).root, new MerkleTree([a, b, c, ZERO_HASH]).root)
  })
  test('matches the reference for every count from 0 to 40', () => {
    for (let n = 0; n <= 40; n++) assert.equal(new MerkleTree(leavesOf(n, n)).root, referenceRoot(leavesOf(n, n)), `count ${n}`)
  })
  test('takes leaves as bytes or hex alike', () => {
    const leaves = leavesOf(9)
    assert.equal(new MerkleTree(leaves.map((l) => Uint8Array.from(Buffer.from(l.slice(2), 'hex')))).root, new MerkleTree(leaves).root)
  })
  test('refuses a proof of a leaf past the end', () => {
    assert.throws(() => new MerkleTree(leavesOf(5)).proof(5), LeafIndexOutOfRangeError)
    assert.throws(() => new MerkleTree([]).proof(0), LeafIndexOutOfRangeError)
  })
  test('builds a tree of 5,000 leaves and proves its last leaf', () => {
    const leaves = leavesOf(5_000)
    const tree = new MerkleTree(leaves)
    assert.equal(verifyMerkleProof(tree.proof(4_999)), tree.root)
    assert.equal(tree.depth, 13)
  })
})

describe('verifyMerkleProof', () => {
  const tree = new MerkleTree(leavesOf(5))
  const proof = tree.proof(4)

  test('returns the root for a valid proof', () => {
    assert.equal(verifyMerkleProof(proof), tree.root)
  })
  test('refuses a zero leaf with EmptyLeafError', () => {
    assert.throws(() => verifyMerkleProof({ ...proof, leaf: ZERO_HASH }), EmptyLeafError)
  })
  test('refuses an index not below the count with LeafIndexOutOfRangeError(index, count)', () => {
    assert.throws(
      () => verifyMerkleProof({ ...proof, index: 5n }),
      (e: unknown) => e instanceof LeafIndexOutOfRangeError && e.index === 5n && e.count === 5n,
    )
  })
  test('refuses a count of 0 or above 2^32 with LeafIndexOutOfRangeError', () => {
    assert.throws(() => verifyMerkleProof({ ...proof, index: 0n, count: 0n }), LeafIndexOutOfRangeError)
    assert.throws(() => verifyMerkleProof({ ...proof, count: 2n ** 32n + 1n }), LeafIndexOutOfRangeError)
  })
  test('accepts the largest count, 2^32, with 32 siblings', () => {
    const root = verifyMerkleProof({ leaf: proof.leaf, index: 2n ** 32n - 1n, count: 2n ** 32n, siblings: zeroHashes.slice(0, 32) })
    assert.match(root, /^0x[0-9a-f]{64}$/)
  })
  test('refuses a wrong number of siblings with WrongProofLengthError(expected, actual)', () => {
    assert.throws(
      () => verifyMerkleProof({ ...proof, siblings: proof.siblings.slice(1) }),
      (e: unknown) => e instanceof WrongProofLengthError && e.expected === 3n && e.actual === 2n,
    )
    assert.throws(() => verifyMerkleProof({ ...proof, siblings: [...proof.siblings, ZERO_HASH] }), WrongProofLengthError)
  })
  test('checks the leaf first, then index and count, then the length', () => {
    assert.throws(() => verifyMerkleProof({ leaf: ZERO_HASH, index: 9n, count: 0n, siblings: [ZERO_HASH] }), EmptyLeafError)
    assert.throws(() => verifyMerkleProof({ leaf: proof.leaf, index: 9n, count: 5n, siblings: [] }), LeafIndexOutOfRangeError)
  })
})

describe('Merkle properties', () => {
  test('every proof of every leaf verifies to the tree root, for every count from 1 to 33', () => {
    for (let count = 1; count <= 33; count++) {
      const tree = new MerkleTree(leavesOf(count, count))
      for (let i = 0; i < count; i++) assert.equal(verifyMerkleProof(tree.proof(i)), tree.root, `leaf ${i} of ${count}`)
    }
  })

  test('every proof of every leaf verifies to the tree root, for random counts from 1 to 300', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), (count, seed) => {
        const tree = new MerkleTree(leavesOf(count, seed))
        for (let i = 0; i < count; i++) {
          const proof = tree.proof(i)
          assert.equal(proof.siblings.length, treeDepth(count))
          assert.equal(verifyMerkleProof(proof), tree.root)
        }
      }),
      { numRuns: 6 },
    )
  })

  test('the root matches the reference for random leaves', () => {
    fc.assert(
      fc.property(fc.array(leafArbitrary, { maxLength: 40 }), (leaves) => {
        assert.equal(merkleRoot(leaves), referenceRoot(leaves))
      }),
      { numRuns: 40 },
    )
  })

  test('the incremental root equals the full root at every count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 150 }), fc.integer(), (count, seed) => {
        const leaves = leavesOf(count, seed)
        const incremental = new IncrementalMerkleTree()
        assert.equal(incremental.root, emptyTreeRoot)
        for (let k = 1; k <= count; k++) {
          assert.equal(incremental.append(leaves[k - 1]!), k - 1)
          const expected = k <= 16 || k === count ? referenceRoot(leaves.slice(0, k)) : new MerkleTree(leaves.slice(0, k)).root
          assert.equal(incremental.root, expected, `count ${k}`)
        }
      }),
      { numRuns: 6 },
    )
  })

  test('proofAt(index, count) verifies to the root the tree had at that count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 10 }), (count, seed, picks) => {
        const leaves = leavesOf(count, seed)
        const tree = new IncrementalMerkleTree(leaves)
        for (const [n, [a, b]] of picks.entries()) {
          const k = (b % count) + 1
          const i = a % k
          const proof = tree.proofAt(i, k)
          assert.equal(verifyMerkleProof(proof), tree.rootAt(k))
          if (n === 0) {
            const past = new MerkleTree(leaves.slice(0, k))
            assert.equal(tree.rootAt(k), past.root)
            assert.deepEqual(proof, past.proof(i))
          }
        }
      }),
      { numRuns: 15 },
    )
  })

  test('a tampered leaf, sibling, index or count is refused or leads to a different root', () => {
    const outcome = (proof: MerkleProof): Hex | 'refused' => {
      try {
        return verifyMerkleProof(proof)
      } catch (error) {
        assert.ok(error instanceof EmptyLeafError || error instanceof LeafIndexOutOfRangeError || error instanceof WrongProofLengthError)
        return 'refused'
      }
    }
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (count, seed, pick, other, xor) => {
        const tree = new MerkleTree(leavesOf(count, seed))
        const index = pick % count
        const proof = tree.proof(index)
        const flip = (h: Hex): Hex => `0x${(parseInt(h.slice(2, 4), 16) ^ xor).toString(16).padStart(2, '0')}${h.slice(4)}`
        assert.notEqual(outcome({ ...proof, leaf: flip(proof.leaf) }), tree.root)
        if (proof.siblings.length > 0) {
          const s = other % proof.siblings.length
          const siblings = proof.siblings.map((x, j) => (j === s ? flip(x) : x))
          assert.notEqual(outcome({ ...proof, siblings }), tree.root)
        }
        const otherIndex = other % (count + 2)
        if (otherIndex !== index) assert.notEqual(outcome({ ...proof, index: BigInt(otherIndex) }), tree.root)
        const otherCount = (other % 600) + 1
        if (otherCount !== count) assert.notEqual(outcome({ ...proof, count: BigInt(otherCount) }), tree.root)
      }),
      { numRuns: 40 },
    )
  })
})
