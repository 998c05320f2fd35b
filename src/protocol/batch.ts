import { decodeAbiParameters, encodeAbiParameters, keccak256, type Hex } from 'viem'
import { InvalidEncodingError } from './errors.js'
import { ZERO_HASH } from './hashing.js'
import { emptyTreeRoot } from './merkleTree.js'

/**
 * Solidity ABI of `struct ImportedRoot { uint256 slChainId; uint256 slBlockNumber; bytes32 root; }`.
 *
 * @example
 * ```ts
 * encodeAbiParameters([importedRootAbiParameter], [{ slChainId: 31337n, slBlockNumber: 12n, root }])
 * ```
 */
export const importedRootAbiParameter = {
  type: 'tuple',
  name: 'importedRoot',
  internalType: 'struct ImportedRoot',
  components: [
    { name: 'slChainId', type: 'uint256' },
    { name: 'slBlockNumber', type: 'uint256' },
    { name: 'root', type: 'bytes32' },
  ],
} as const

/**
 * Solidity ABI of `struct BatchCommitment` (protocol §5), for `encodeAbiParameters` and contract ABIs.
 *
 * @example
 * ```ts
 * const abi = [{ type: 'function', name: 'commitBatches', inputs: [{ ...batchCommitmentAbiParameter, type: 'tuple[]' }], outputs: [], stateMutability: 'nonpayable' }] as const
 * ```
 */
export const batchCommitmentAbiParameter = {
  type: 'tuple',
  name: 'commitment',
  internalType: 'struct BatchCommitment',
  components: [
    { name: 'batchNumber', type: 'uint256' },
    { name: 'previousBatchHash', type: 'bytes32' },
    { name: 'firstBlock', type: 'uint256' },
    { name: 'lastBlock', type: 'uint256' },
    { name: 'stateRoot', type: 'bytes32' },
    { name: 'messageRoot', type: 'bytes32' },
    { name: 'messageCount', type: 'uint256' },
    { name: 'priorityRequestsCount', type: 'uint256' },
    { name: 'priorityRequestsHash', type: 'bytes32' },
    { name: 'importedRootsCount', type: 'uint256' },
    { name: 'importedRootsHash', type: 'bytes32' },
    { name: 'timestamp', type: 'uint256' },
    { name: 'dataHash', type: 'bytes32' },
  ],
} as const

/** An interop root imported on a chain: the settlement layer's shared root at a block (protocol §5). */
export type ImportedRoot = {
  slChainId: bigint
  slBlockNumber: bigint
  root: Hex
}

/** What a chain commits to the settlement layer for one batch (protocol §5). */
export type BatchCommitment = {
  batchNumber: bigint
  previousBatchHash: Hex
  /** First L2 block in the batch. */
  firstBlock: bigint
  /** Last L2 block in the batch. */
  lastBlock: bigint
  /** State root of `lastBlock`. */
  stateRoot: Hex
  /** Tree root over the batch's message leaves (protocol §3). */
  messageRoot: Hex
  messageCount: bigint
  /** Priority requests (deposits) the batch processed (protocol §9.2). */
  priorityRequestsCount: bigint
  /** Rolling hash of every priority request processed up to the end of the batch (protocol §9.2). */
  priorityRequestsHash: Hex
  importedRootsCount: bigint
  /** Rolling hash of the interop roots imported in the batch ({@link importedRootsHash}). */
  importedRootsHash: Hex
  /** Timestamp of `lastBlock`. */
  timestamp: bigint
  /**
   * Commitment to the batch's data (protocol §5.1, {@link batchDataHash}): a private chain's (validium)
   * rolling hash of its transactions, kept by its operator; `0x00…00` for a chain that commits none.
   */
  dataHash: Hex
}

/**
 * `abi.encode(commitment)`.
 *
 * @example
 * ```ts
 * const encoded = encodeBatchCommitment(commitment)
 * ```
 */
export function encodeBatchCommitment(commitment: BatchCommitment): Hex {
  return encodeAbiParameters([batchCommitmentAbiParameter], [commitment])
}

/**
 * Decodes `abi.encode(commitment)`; refuses anything else with {@link InvalidEncodingError}.
 *
 * @example
 * ```ts
 * decodeBatchCommitment(encodeBatchCommitment(commitment)) // deep-equals commitment
 * ```
 */
export function decodeBatchCommitment(encoded: Hex): BatchCommitment {
  let commitment: BatchCommitment
  try {
    ;[commitment] = decodeAbiParameters([batchCommitmentAbiParameter], encoded)
  } catch (cause) {
    throw new InvalidEncodingError({ type: 'BatchCommitment', reason: 'cannot be decoded', cause })
  }
  if (encodeBatchCommitment(commitment).toLowerCase() !== encoded.toLowerCase())
    throw new InvalidEncodingError({ type: 'BatchCommitment', reason: 'not canonical (extra or malformed bytes)' })
  return commitment
}

/**
 * `batchHash = H(abi.encode(commitment))` (protocol §5).
 *
 * @example
 * ```ts
 * const genesisHash = batchHash(genesisCommitment)
 * ```
 */
export function batchHash(commitment: BatchCommitment): Hex {
  return keccak256(encodeBatchCommitment(commitment))
}

/**
 * A batch commitment with nothing in it (no message, no imported root, no priority request),
 * completed by `fields`: the genesis batch, and a starting point for tests.
 *
 * @example
 * ```ts
 * const genesis = emptyBatchCommitment({ batchNumber: 0n, previousBatchHash: zeroHash, lastBlock: 12n, stateRoot, timestamp })
 * ```
 */
export function emptyBatchCommitment(fields: Partial<BatchCommitment> & Pick<BatchCommitment, 'batchNumber' | 'previousBatchHash'>): BatchCommitment {
  return {
    firstBlock: 0n,
    lastBlock: 0n,
    stateRoot: ZERO_HASH,
    messageRoot: emptyTreeRoot,
    messageCount: 0n,
    priorityRequestsCount: 0n,
    priorityRequestsHash: ZERO_HASH,
    importedRootsCount: 0n,
    importedRootsHash: ZERO_HASH,
    timestamp: 0n,
    dataHash: ZERO_HASH,
    ...fields,
  }
}
