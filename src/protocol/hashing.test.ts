import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, encodePacked, keccak256, hexToBytes, type Hex } from 'viem'
import { InvalidHexValueError, IntegerOutOfRangeError } from './errors.js'
import {
  BATCH_LEAF_TAG,
  CHAIN_LEAF_TAG,
  IMPORTED_ROOTS_STEP_TAG,
  INNER_NODE_TAG,
  MESSAGE_LEAF_TAG,
  PREIMAGE_LENGTHS,
  PRIORITY_STEP_TAG,
  TREE_ROOT_TAG,
  ZERO_HASH,
  batchLeaf,
  chainLeaf,
  hashNode,
  hashNodeBytes,
  importedRootStep,
  importedRootsHash,
  messageLeaf,
  messageLeafBytes,
  payloadHash,
  priorityRollingStep,
  sealTreeRoot,
  sealTreeRootBytes,
} from './hashing.js'

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b))
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => bytesToHex(b))
const uint256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n })

// Independent reference: the preimages of protocol §2 written with viem's encodePacked.
const reference = {
  messageLeaf: (sender: Hex, hash: Hex) => encodePacked(['uint8', 'address', 'bytes32'], [MESSAGE_LEAF_TAG, sender, hash]),
  innerNode: (left: Hex, right: Hex) => encodePacked(['uint8', 'bytes32', 'bytes32'], [INNER_NODE_TAG, left, right]),
  treeRoot: (count: bigint, top: Hex) => encodePacked(['uint8', 'uint256', 'bytes32'], [TREE_ROOT_TAG, count, top]),
  batchLeaf: (n: bigint, root: Hex) => encodePacked(['uint8', 'uint256', 'bytes32'], [BATCH_LEAF_TAG, n, root]),
  chainLeaf: (id: bigint, root: Hex) => encodePacked(['uint8', 'uint256', 'bytes32'], [CHAIN_LEAF_TAG, id, root]),
  importedRootsStep: (previous: Hex, id: bigint, block: bigint, root: Hex) =>
    encodePacked(['uint8', 'bytes32', 'uint256', 'uint256', 'bytes32'], [IMPORTED_ROOTS_STEP_TAG, previous, id, block, root]),
  priorityStep: (previous: Hex, requestHash: Hex) => encodePacked(['uint8', 'bytes32', 'bytes32'], [PRIORITY_STEP_TAG, previous, requestHash]),
}

describe('tags and preimages', () => {
  test('gives every kind of hash its own one-byte tag, 0x00 to 0x06', () => {
    const tags = [MESSAGE_LEAF_TAG, INNER_NODE_TAG, TREE_ROOT_TAG, BATCH_LEAF_TAG, CHAIN_LEAF_TAG, IMPORTED_ROOTS_STEP_TAG, PRIORITY_STEP_TAG]
    assert.deepEqual(tags, [0, 1, 2, 3, 4, 5, 6])
    assert.equal(new Set(tags).size, tags.length)
  })

  test('has preimages of 53, 65, 65, 65, 65, 129 and 65 bytes as specified', () => {
    const z = ZERO_HASH
    const a = `0x${'11'.repeat(20)}` as Hex
    const sizes = {
      messageLeaf: hexToBytes(reference.messageLeaf(a, z)).length,
      innerNode: hexToBytes(reference.innerNode(z, z)).length,
      treeRoot: hexToBytes(reference.treeRoot(0n, z)).length,
      batchLeaf: hexToBytes(reference.batchLeaf(0n, z)).length,
      chainLeaf: hexToBytes(reference.chainLeaf(0n, z)).length,
      importedRootsStep: hexToBytes(reference.importedRootsStep(z, 0n, 0n, z)).length,
      priorityStep: hexToBytes(reference.priorityStep(z, z)).length,
    }
    assert.deepEqual(sizes, PREIMAGE_LENGTHS)
    assert.deepEqual(PREIMAGE_LENGTHS, { messageLeaf: 53, innerNode: 65, treeRoot: 65, batchLeaf: 65, chainLeaf: 65, importedRootsStep: 129, priorityStep: 65 })
  })

  test('cannot read a message leaf preimage as any other preimage: its length (53) is unique', () => {
    const lengths = Object.entries(PREIMAGE_LENGTHS).filter(([name]) => name !== 'messageLeaf').map(([, length]) => length)
    assert.ok(!lengths.includes(PREIMAGE_LENGTHS.messageLeaf))
  })

  test('keeps the five 65-byte preimages apart by their first byte, for the same 64 bytes after it', () => {
    fc.assert(
      fc.property(bytes32, bytes32, (x, y) => {
        const values = [hashNode(x, y), sealTreeRoot(BigInt(x), y), batchLeaf(BigInt(x), y), chainLeaf(BigInt(x), y), priorityRollingStep(x, y)]
        assert.equal(new Set(values).size, 5)
        assert.equal(priorityRollingStep(x, y), keccak256(reference.priorityStep(x, y)))
      }),
      { numRuns: 50 },
    )
  })
})

describe('fixed vectors', () => {
  test('hashes the empty payload to the keccak-256 of nothing', () => {
    assert.equal(payloadHash('0x'), '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
  })
  test('hashes two zero nodes to Z[1] = 0xc07a1e8b…', () => {
    assert.equal(hashNode(ZERO_HASH, ZERO_HASH), '0xc07a1e8b7e0057673fdc2affe190d8a960c5fe615663f27b7ce84f3d93ef92a6')
    assert.equal(hashNode(ZERO_HASH, ZERO_HASH), keccak256(`0x01${'00'.repeat(64)}`))
  })
  test('seals the empty tree to 0xb725f85e…', () => {
    assert.equal(sealTreeRoot(0, ZERO_HASH), '0xb725f85eef4a0529eb196a4e20a12653bbd905f6228c68c6f9bc9ec72350d1ab')
    assert.equal(sealTreeRoot(0, ZERO_HASH), keccak256(`0x02${'00'.repeat(64)}`))
  })
  test('hashes a message leaf as H(0x00 ‖ sender ‖ payloadHash)', () => {
    const sender = '0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045'
    const hash = payloadHash('0x1234')
    assert.equal(messageLeaf(sender, hash), keccak256(`0x00${sender.slice(2).toLowerCase()}${hash.slice(2)}`))
  })
  test('starts the imported-roots hash at zero and leaves it there for an empty list', () => {
    assert.equal(importedRootsHash([]), ZERO_HASH)
  })
})

describe('hashing properties', () => {
  test('matches the encodePacked reference for every tagged hash', () => {
    fc.assert(
      fc.property(address, bytes32, bytes32, uint256, uint256, (a, x, y, m, n) => {
        assert.equal(messageLeaf(a, x), keccak256(reference.messageLeaf(a, x)))
        assert.equal(hashNode(x, y), keccak256(reference.innerNode(x, y)))
        assert.equal(sealTreeRoot(m, x), keccak256(reference.treeRoot(m, x)))
        assert.equal(batchLeaf(m, x), keccak256(reference.batchLeaf(m, x)))
        assert.equal(chainLeaf(m, x), keccak256(reference.chainLeaf(m, x)))
        assert.equal(importedRootStep(x, m, n, y), keccak256(reference.importedRootsStep(x, m, n, y)))
      }),
      { numRuns: 100 },
    )
  })

  test('gives the same results on bytes as on hex', () => {
    fc.assert(
      fc.property(address, bytes32, bytes32, uint256, (a, x, y, m) => {
        assert.equal(bytesToHex(messageLeafBytes(hexToBytes(a), hexToBytes(x))), messageLeaf(a, x))
        assert.equal(bytesToHex(hashNodeBytes(hexToBytes(x), hexToBytes(y))), hashNode(x, y))
        assert.equal(bytesToHex(sealTreeRootBytes(m, hexToBytes(x))), sealTreeRoot(m, x))
      }),
      { numRuns: 50 },
    )
  })

  test('rolls the imported-roots hash step by step, in order', () => {
    const root = fc.record({ slChainId: uint256, slBlockNumber: uint256, root: bytes32 })
    fc.assert(
      fc.property(fc.array(root, { maxLength: 6 }), (roots) => {
        let h: Hex = ZERO_HASH
        for (const r of roots) h = keccak256(reference.importedRootsStep(h, r.slChainId, r.slBlockNumber, r.root))
        assert.equal(importedRootsHash(roots), h)
        if (roots.length >= 2 && roots[0]!.root !== roots[1]!.root)
          assert.notEqual(importedRootsHash([roots[1]!, roots[0]!, ...roots.slice(2)]), h)
      }),
      { numRuns: 50 },
    )
  })
})

describe('input checks', () => {
  test('refuses a node that is not 32 bytes', () => {
    assert.throws(() => hashNode('0x1234', ZERO_HASH), InvalidHexValueError)
    assert.throws(() => hashNodeBytes(new Uint8Array(31), new Uint8Array(32)), InvalidHexValueError)
  })
  test('refuses a sender that is not 20 bytes', () => {
    assert.throws(() => messageLeaf(ZERO_HASH, ZERO_HASH), /Invalid sender/)
  })
  test('refuses a negative or too large count', () => {
    assert.throws(() => sealTreeRoot(-1n, ZERO_HASH), IntegerOutOfRangeError)
    assert.throws(() => batchLeaf(2n ** 256n, ZERO_HASH), IntegerOutOfRangeError)
  })
})
