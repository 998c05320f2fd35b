import type { Hex } from 'viem'
import { toUint } from './bytes.js'
import { CommittedBatchKeyOutOfRangeError, InconsistentProofInputError } from './errors.js'
import { messageLeaf } from './hashing.js'
import { MerkleTree } from './merkleTree.js'
import type { BuildInteropProofParameters, InteropProof } from './proof.js'

// Committed finality (protocol §12, opt-in): a destination may import the message root of a source
// batch that is only committed on their common settlement layer, under a committed-batch key in its
// root store, and execute bundles with a one-level proof against it. The TypeScript mirror of
// contracts/common/CommittedBatchKeys.sol.

/** The top bit of a committed-batch key (a settlement-layer block number never has it). */
export const COMMITTED_BATCH_FLAG = 1n << 255n

/**
 * The root-store key of batch `batchNumber` of `chainId`: `FLAG | chainId << 128 | batchNumber`.
 *
 * @example
 * ```ts
 * committedBatchKey(271, 4) // 2^255 + 271·2^128 + 4
 * ```
 */
export function committedBatchKey(chainId: bigint | number, batchNumber: bigint | number): bigint {
  const chain = toUint(chainId, 'chainId')
  const batch = toUint(batchNumber, 'batchNumber')
  if (chain >= 1n << 127n || batch >= 1n << 128n) throw new CommittedBatchKeyOutOfRangeError({ chainId: chain, batchNumber: batch })
  return COMMITTED_BATCH_FLAG | (chain << 128n) | batch
}

/** Whether a root-store key is a committed-batch key (else it is a settlement-layer block number). */
export function isCommittedBatchKey(key: bigint | number): boolean {
  return (BigInt(key) & COMMITTED_BATCH_FLAG) !== 0n
}

/**
 * The chain and batch of a committed-batch key.
 *
 * @example
 * ```ts
 * decodeCommittedBatchKey(committedBatchKey(271, 4)) // { chainId: 271n, batchNumber: 4n }
 * ```
 */
export function decodeCommittedBatchKey(key: bigint): { chainId: bigint; batchNumber: bigint } {
  return { chainId: (key & ~COMMITTED_BATCH_FLAG) >> 128n, batchNumber: key & ((1n << 128n) - 1n) }
}

/** Parameters of {@link buildCommittedBatchProof}: those of a full proof, without the levels above the batch. */
export type BuildCommittedBatchProofParameters = Pick<
  BuildInteropProofParameters,
  'slChainId' | 'messageSender' | 'bundleHash' | 'sourceChainId' | 'batchNumber' | 'messageLeaves' | 'messageIndex'
>

/**
 * The one-level proof of a bundle against the message root of a committed source batch (protocol §12):
 * the proof's key is the batch's committed-batch key, and the levels above the batch are empty.
 *
 * @example
 * ```ts
 * const { proof, messageRoot } = buildCommittedBatchProof({ slChainId: 31337, messageSender: interopCenter, bundleHash, sourceChainId: 271, batchNumber: 4, messageLeaves })
 * ```
 */
export function buildCommittedBatchProof(parameters: BuildCommittedBatchProofParameters): { proof: InteropProof; messageRoot: Hex } {
  const leaf = messageLeaf(parameters.messageSender, parameters.bundleHash)
  const index =
    parameters.messageIndex === undefined ? parameters.messageLeaves.findIndex((candidate) => candidate.toLowerCase() === leaf) : Number(toUint(parameters.messageIndex, 'messageIndex'))
  if (index < 0 || parameters.messageLeaves[index]?.toLowerCase() !== leaf) throw new InconsistentProofInputError({ reason: `the message leaf ${leaf} is not among the batch's message leaves` })
  const tree = new MerkleTree(parameters.messageLeaves)
  const batchNumber = toUint(parameters.batchNumber, 'batchNumber')
  return {
    proof: {
      slChainId: toUint(parameters.slChainId, 'slChainId'),
      slBlockNumber: committedBatchKey(parameters.sourceChainId, batchNumber),
      messageSender: parameters.messageSender,
      batchNumber,
      messageIndex: BigInt(index),
      messageCount: BigInt(tree.count),
      messageSiblings: tree.proof(index).siblings,
      batchCount: 0n,
      batchSiblings: [],
      chainIndex: 0n,
      chainCount: 0n,
      chainSiblings: [],
      hops: [],
    },
    messageRoot: tree.root,
  }
}
