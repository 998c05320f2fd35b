import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, concat, decodeAbiParameters, encodeAbiParameters, keccak256, numberToHex, type Hex } from 'viem'
import { batchCommitmentAbiParameter, batchHash, decodeBatchCommitment, encodeBatchCommitment, importedRootAbiParameter, type BatchCommitment } from './batch.js'
import { InvalidEncodingError } from './errors.js'
import { ZERO_HASH, importedRootsHash } from './hashing.js'
import { emptyTreeRoot } from './merkleTree.js'

const word = (value: bigint | number) => numberToHex(value, { size: 32 })
const uint256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n })
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b))

const genesis: BatchCommitment = {
  batchNumber: 0n,
  previousBatchHash: ZERO_HASH,
  firstBlock: 0n,
  lastBlock: 5n,
  stateRoot: `0x${'ab'.repeat(32)}`,
  messageRoot: emptyTreeRoot,
  messageCount: 0n,
  priorityRequestsCount: 0n,
  priorityRequestsHash: ZERO_HASH,
  importedRootsCount: 0n,
  importedRootsHash: importedRootsHash([]),
  timestamp: 1_700_000_000n,
  dataHash: ZERO_HASH,
}

describe('batch commitments', () => {
  test('encodes a commitment as its 13 fields, 32 bytes each, with no offset (the struct is static)', () => {
    const expected = concat([
      word(0), ZERO_HASH, word(0), word(5), genesis.stateRoot, emptyTreeRoot,
      word(0), word(0), ZERO_HASH, word(0), ZERO_HASH, word(1_700_000_000n), ZERO_HASH,
    ])
    assert.equal(encodeBatchCommitment(genesis), expected)
    assert.equal(batchHash(genesis), keccak256(expected))
  })
  test('chains batch n to batch n - 1 through previousBatchHash', () => {
    const next = { ...genesis, batchNumber: 1n, previousBatchHash: batchHash(genesis), firstBlock: 6n, lastBlock: 9n }
    assert.notEqual(batchHash(next), batchHash(genesis))
    assert.equal(decodeBatchCommitment(encodeBatchCommitment(next)).previousBatchHash, batchHash(genesis))
  })
  test('refuses bytes that are not one commitment', () => {
    assert.throws(() => decodeBatchCommitment('0x12'), InvalidEncodingError)
    assert.throws(() => decodeBatchCommitment(`${encodeBatchCommitment(genesis)}${'00'.repeat(32)}`), InvalidEncodingError)
  })
  test('encodes an imported root as (slChainId, slBlockNumber, root)', () => {
    const root = { slChainId: 31337n, slBlockNumber: 12n, root: emptyTreeRoot }
    const encoded = encodeAbiParameters([importedRootAbiParameter], [root])
    assert.equal(encoded, concat([word(31337), word(12), emptyTreeRoot]))
    assert.deepEqual(decodeAbiParameters([importedRootAbiParameter], encoded)[0], root)
  })
  test('decode(encode(commitment)) gives back any commitment', () => {
    const commitment: fc.Arbitrary<BatchCommitment> = fc.record({
      batchNumber: uint256, previousBatchHash: bytes32, firstBlock: uint256, lastBlock: uint256, stateRoot: bytes32,
      messageRoot: bytes32, messageCount: uint256, priorityRequestsCount: uint256, priorityRequestsHash: bytes32,
      importedRootsCount: uint256, importedRootsHash: bytes32, timestamp: uint256, dataHash: bytes32,
    })
    fc.assert(
      fc.property(commitment, (c) => {
        assert.deepEqual(decodeBatchCommitment(encodeBatchCommitment(c)), { ...c })
        assert.equal(batchHash(c), keccak256(encodeAbiParameters([batchCommitmentAbiParameter], [c])))
      }),
      { numRuns: 100 },
    )
  })
})
