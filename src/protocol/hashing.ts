import { keccak256Bytes, keccak256Hex } from './keccak.js'
import type { Address, Hex } from 'viem'
import type { ImportedRoot } from './batch.js'
import { assertBytes, bytesToHex, hexToBytes, toUint, writeUint256 } from './bytes.js'

// ---- tags (protocol §2) -------------------------------------------------------------------

/**
 * Tag of a message leaf: `H(0x00 ‖ addr(sender) ‖ payloadHash)`, 53 bytes.
 *
 * @example
 * ```ts
 * MESSAGE_LEAF_TAG // 0
 * ```
 */
export const MESSAGE_LEAF_TAG = 0x00
/**
 * Tag of an inner Merkle node: `H(0x01 ‖ left ‖ right)`, 65 bytes.
 *
 * @example
 * ```ts
 * INNER_NODE_TAG // 1
 * ```
 */
export const INNER_NODE_TAG = 0x01
/**
 * Tag of a tree root: `H(0x02 ‖ u256(leafCount) ‖ top)`, 65 bytes.
 *
 * @example
 * ```ts
 * TREE_ROOT_TAG // 2
 * ```
 */
export const TREE_ROOT_TAG = 0x02
/**
 * Tag of a batch leaf: `H(0x03 ‖ u256(batchNumber) ‖ batchMessageRoot)`, 65 bytes.
 *
 * @example
 * ```ts
 * BATCH_LEAF_TAG // 3
 * ```
 */
export const BATCH_LEAF_TAG = 0x03
/**
 * Tag of a chain leaf: `H(0x04 ‖ u256(chainId) ‖ chainTreeRoot)`, 65 bytes.
 *
 * @example
 * ```ts
 * CHAIN_LEAF_TAG // 4
 * ```
 */
export const CHAIN_LEAF_TAG = 0x04
/**
 * Tag of an imported-roots step: `H(0x05 ‖ previous ‖ u256(slChainId) ‖ u256(slBlockNumber) ‖ root)`, 129 bytes.
 *
 * @example
 * ```ts
 * IMPORTED_ROOTS_STEP_TAG // 5
 * ```
 */
export const IMPORTED_ROOTS_STEP_TAG = 0x05
/**
 * Tag of a priority rolling-hash step: `H(0x06 ‖ previous ‖ requestHash)`, 65 bytes (protocol §9).
 *
 * @example
 * ```ts
 * PRIORITY_STEP_TAG // 6
 * ```
 */
export const PRIORITY_STEP_TAG = 0x06

/**
 * Sizes in bytes of the preimage of each tagged hash (protocol §2).
 *
 * @example
 * ```ts
 * PREIMAGE_LENGTHS.messageLeaf // 53
 * ```
 */
export const PREIMAGE_LENGTHS = {
  messageLeaf: 53,
  innerNode: 65,
  treeRoot: 65,
  batchLeaf: 65,
  chainLeaf: 65,
  importedRootsStep: 129,
  priorityStep: 65,
} as const

/**
 * `0x00…00` (32 bytes).
 *
 * @example
 * ```ts
 * importedRootStep(ZERO_HASH, 31337n, 12n, root)
 * ```
 */
export const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`

// One scratch buffer per preimage size. JavaScript is single-threaded and the hasher does
// not keep its input, so reusing them is safe and spares an allocation per hash.
const scratch53 = new Uint8Array(53)
const scratch65 = new Uint8Array(65)
const scratch129 = new Uint8Array(129)

// ---- bytes API (hot paths) ----------------------------------------------------------------

/**
 * Message leaf on bytes: `H(0x00 ‖ sender ‖ payloadHash)`.
 *
 * @example
 * ```ts
 * const leaf = messageLeafBytes(senderBytes20, keccak256Bytes(payload))
 * ```
 */
export function messageLeafBytes(sender: Uint8Array, payloadHash: Uint8Array): Uint8Array {
  assertBytes(sender, 'sender', 20)
  assertBytes(payloadHash, 'payloadHash', 32)
  scratch53[0] = MESSAGE_LEAF_TAG
  scratch53.set(sender, 1)
  scratch53.set(payloadHash, 21)
  return keccak256Bytes(scratch53)
}

/**
 * Inner Merkle node on bytes: `H(0x01 ‖ left ‖ right)`.
 *
 * @example
 * ```ts
 * const parent = hashNodeBytes(left32, right32)
 * ```
 */
export function hashNodeBytes(left: Uint8Array, right: Uint8Array): Uint8Array {
  assertBytes(left, 'left', 32)
  assertBytes(right, 'right', 32)
  scratch65[0] = INNER_NODE_TAG
  scratch65.set(left, 1)
  scratch65.set(right, 33)
  return keccak256Bytes(scratch65)
}

function tagged65(tag: number, value: bigint, hash: Uint8Array): Uint8Array {
  scratch65[0] = tag
  writeUint256(scratch65, 1, value)
  scratch65.set(hash, 33)
  return keccak256Bytes(scratch65)
}

/**
 * Tree root on bytes: `H(0x02 ‖ u256(count) ‖ top)`.
 *
 * @example
 * ```ts
 * const root = sealTreeRootBytes(3, top32)
 * ```
 */
export function sealTreeRootBytes(count: bigint | number, top: Uint8Array): Uint8Array {
  assertBytes(top, 'top', 32)
  return tagged65(TREE_ROOT_TAG, toUint(count, 'count'), top)
}

/**
 * Batch leaf on bytes: `H(0x03 ‖ u256(batchNumber) ‖ messageRoot)`.
 *
 * @example
 * ```ts
 * const leaf = batchLeafBytes(1n, messageRoot32)
 * ```
 */
export function batchLeafBytes(batchNumber: bigint | number, messageRoot: Uint8Array): Uint8Array {
  assertBytes(messageRoot, 'messageRoot', 32)
  return tagged65(BATCH_LEAF_TAG, toUint(batchNumber, 'batchNumber'), messageRoot)
}

/**
 * Chain leaf on bytes: `H(0x04 ‖ u256(chainId) ‖ chainTreeRoot)`.
 *
 * @example
 * ```ts
 * const leaf = chainLeafBytes(270n, chainTreeRoot32)
 * ```
 */
export function chainLeafBytes(chainId: bigint | number, chainTreeRoot: Uint8Array): Uint8Array {
  assertBytes(chainTreeRoot, 'chainTreeRoot', 32)
  return tagged65(CHAIN_LEAF_TAG, toUint(chainId, 'chainId'), chainTreeRoot)
}

/**
 * Imported-roots step on bytes: `H(0x05 ‖ previous ‖ u256(slChainId) ‖ u256(slBlockNumber) ‖ root)`.
 *
 * @example
 * ```ts
 * const next = importedRootStepBytes(previous32, 1n, 42n, root32)
 * ```
 */
export function importedRootStepBytes(
  previous: Uint8Array,
  slChainId: bigint | number,
  slBlockNumber: bigint | number,
  root: Uint8Array,
): Uint8Array {
  assertBytes(previous, 'previous', 32)
  assertBytes(root, 'root', 32)
  const chainId = toUint(slChainId, 'slChainId')
  const blockNumber = toUint(slBlockNumber, 'slBlockNumber')
  scratch129[0] = IMPORTED_ROOTS_STEP_TAG
  scratch129.set(previous, 1)
  writeUint256(scratch129, 33, chainId)
  writeUint256(scratch129, 65, blockNumber)
  scratch129.set(root, 97)
  return keccak256Bytes(scratch129)
}

/**
 * Priority rolling-hash step on bytes: `H(0x06 ‖ previous ‖ requestHash)`.
 *
 * @example
 * ```ts
 * const next = priorityRollingStepBytes(previous32, requestHash32)
 * ```
 */
export function priorityRollingStepBytes(previous: Uint8Array, requestHash: Uint8Array): Uint8Array {
  assertBytes(previous, 'previous', 32)
  assertBytes(requestHash, 'requestHash', 32)
  scratch65[0] = PRIORITY_STEP_TAG
  scratch65.set(previous, 1)
  scratch65.set(requestHash, 33)
  return keccak256Bytes(scratch65)
}

// ---- Hex API ------------------------------------------------------------------------------

/**
 * `payloadHash = H(payload)` (protocol §2).
 *
 * @example
 * ```ts
 * payloadHash('0x') // '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'
 * ```
 */
export function payloadHash(payload: Hex): Hex {
  return keccak256Hex(payload, 'payload')
}

/**
 * Message leaf, the value the chain's `L2Messenger` records (protocol §2):
 * `H(0x00 ‖ addr(sender) ‖ payloadHash)`.
 *
 * @example
 * ```ts
 * const leaf = messageLeaf(interopCenter, bundleHash(bundle))
 * ```
 */
export function messageLeaf(sender: Address, payloadHash: Hex): Hex {
  return bytesToHex(messageLeafBytes(hexToBytes(sender, 'sender', 20), hexToBytes(payloadHash, 'payloadHash', 32)))
}

/**
 * Inner Merkle node: `H(0x01 ‖ left ‖ right)`.
 *
 * @example
 * ```ts
 * hashNode(ZERO_HASH, ZERO_HASH) // zeroHashes[1]
 * ```
 */
export function hashNode(left: Hex, right: Hex): Hex {
  return bytesToHex(hashNodeBytes(hexToBytes(left, 'left', 32), hexToBytes(right, 'right', 32)))
}

/**
 * Tree root that commits to the leaf count: `H(0x02 ‖ u256(count) ‖ top)`.
 *
 * @example
 * ```ts
 * const emptyRoot = sealTreeRoot(0, ZERO_HASH)
 * ```
 */
export function sealTreeRoot(count: bigint | number, top: Hex): Hex {
  return bytesToHex(sealTreeRootBytes(count, hexToBytes(top, 'top', 32)))
}

/**
 * Batch leaf of a chain tree: `H(0x03 ‖ u256(batchNumber) ‖ messageRoot)`.
 *
 * @example
 * ```ts
 * const leaf = batchLeaf(1n, commitment.messageRoot)
 * ```
 */
export function batchLeaf(batchNumber: bigint | number, messageRoot: Hex): Hex {
  return bytesToHex(batchLeafBytes(batchNumber, hexToBytes(messageRoot, 'messageRoot', 32)))
}

/**
 * Chain leaf of the shared tree: `H(0x04 ‖ u256(chainId) ‖ chainTreeRoot)`.
 *
 * @example
 * ```ts
 * const leaf = chainLeaf(270n, chainTreeRoot)
 * ```
 */
export function chainLeaf(chainId: bigint | number, chainTreeRoot: Hex): Hex {
  return bytesToHex(chainLeafBytes(chainId, hexToBytes(chainTreeRoot, 'chainTreeRoot', 32)))
}

/**
 * One step of the rolling imported-roots hash:
 * `H(0x05 ‖ previous ‖ u256(slChainId) ‖ u256(slBlockNumber) ‖ root)`.
 *
 * @example
 * ```ts
 * const h1 = importedRootStep(ZERO_HASH, 31337n, 12n, sharedRoot)
 * ```
 */
export function importedRootStep(previous: Hex, slChainId: bigint | number, slBlockNumber: bigint | number, root: Hex): Hex {
  return bytesToHex(
    importedRootStepBytes(hexToBytes(previous, 'previous', 32), slChainId, slBlockNumber, hexToBytes(root, 'root', 32)),
  )
}

/**
 * Rolling hash of the interop roots imported in a batch, in order, starting at `0x00…00`
 * (protocol §5). An empty list gives `0x00…00`.
 *
 * @example
 * ```ts
 * importedRootsHash([{ slChainId: 31337n, slBlockNumber: 12n, root: sharedRoot }])
 * ```
 */
export function importedRootsHash(roots: readonly ImportedRoot[]): Hex {
  let h: Uint8Array = new Uint8Array(32)
  for (const [i, { slChainId, slBlockNumber, root }] of roots.entries())
    h = importedRootStepBytes(h, slChainId, slBlockNumber, hexToBytes(root, `roots[${i}].root`, 32))
  return bytesToHex(h)
}

/**
 * One step of the rolling hash of priority requests (protocol §9): `rolling[0] = 0x00…00`,
 * `rolling[i + 1] = H(0x06 ‖ rolling[i] ‖ requestHash_i)`.
 *
 * @example
 * ```ts
 * const rolling1 = priorityRollingStep(ZERO_HASH, priorityRequestHash({ chainId, index: 0n, l2Target, data }))
 * ```
 */
export function priorityRollingStep(previous: Hex, requestHash: Hex): Hex {
  return bytesToHex(priorityRollingStepBytes(hexToBytes(previous, 'previous', 32), hexToBytes(requestHash, 'requestHash', 32)))
}
