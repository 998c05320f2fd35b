import type { Hex } from 'viem'
import { bytesToHex, hexToBytes, isZero, toBytes32, toUint } from './bytes.js'
import { EmptyLeafError, LeafIndexOutOfRangeError, TreeFullError, WrongProofLengthError } from './errors.js'
import { hashNodeBytes, sealTreeRootBytes } from './hashing.js'

/**
 * The largest number of leaves of a Junction tree: 2^32 (protocol §3).
 *
 * @example
 * ```ts
 * MAX_LEAF_COUNT // 4294967296
 * ```
 */
export const MAX_LEAF_COUNT = 2 ** 32

/**
 * The deepest a Junction tree gets: `depth(2^32) = 32`.
 *
 * @example
 * ```ts
 * MAX_TREE_DEPTH // 32
 * ```
 */
export const MAX_TREE_DEPTH = 32

/**
 * `depth(n)`: 0 for `n ≤ 1`, otherwise `ceil(log2(n))` (protocol §3). Refuses counts above
 * 2^32 with {@link IntegerOutOfRangeError}.
 *
 * @example
 * ```ts
 * treeDepth(5) // 3
 * ```
 */
export function treeDepth(count: bigint | number): number {
  const n = Number(toUint(count, 'count', BigInt(MAX_LEAF_COUNT)))
  let depth = 0
  while (2 ** depth < n) depth++
  return depth
}

const zeroHashesBytesMutable: Uint8Array[] = [new Uint8Array(32)]
for (let h = 0; h < MAX_TREE_DEPTH; h++) zeroHashesBytesMutable.push(hashNodeBytes(zeroHashesBytesMutable[h]!, zeroHashesBytesMutable[h]!))

/**
 * `Z[0..32]` as bytes: `Z[0] = 0x00…00`, `Z[h+1] = node(Z[h], Z[h])`. Do not mutate.
 *
 * @example
 * ```ts
 * hashNodeBytes(zeroHashesBytes[0], zeroHashesBytes[0]) // equals zeroHashesBytes[1]
 * ```
 */
export const zeroHashesBytes: readonly Uint8Array[] = zeroHashesBytesMutable

/**
 * `Z[0..32]`, the roots (tops) of empty subtrees of height 0 to 32 (protocol §3).
 *
 * @example
 * ```ts
 * zeroHashes[0] // '0x0000000000000000000000000000000000000000000000000000000000000000'
 * ```
 */
export const zeroHashes: readonly Hex[] = zeroHashesBytes.map(bytesToHex)

/**
 * Root of the empty tree: `H(0x02 ‖ u256(0) ‖ 0x00…00)` (protocol §3), e.g. the
 * `messageRoot` of a batch without messages.
 *
 * @example
 * ```ts
 * merkleRoot([]) === emptyTreeRoot // true
 * ```
 */
export const emptyTreeRoot: Hex = bytesToHex(sealTreeRootBytes(0, zeroHashesBytes[0]!))

/** An inclusion proof of one leaf in a tree of `count` leaves (protocol §3). */
export type MerkleProof = {
  leaf: Hex
  index: bigint
  count: bigint
  /** `depth(count)` siblings, from the leaf level up. */
  siblings: Hex[]
}

/** A leaf as 32 raw bytes or as hex. */
export type MerkleLeaf = Uint8Array | Hex

/**
 * Nodes of a growing tree. Level `h` keeps, contiguously, every node whose subtree of
 * `2^h` leaves is complete; nodes over a partial subtree are recomputed on demand, so the
 * tree over any prefix of the leaves (a past count) can be read back.
 */
class NodeStore {
  private levels: Uint8Array[] = [new Uint8Array(0)]
  count = 0

  reserve(count: number): void {
    for (let h = 0, n = count; n >= 1; h++, n = Math.floor(n / 2)) {
      const current = this.levels[h]
      if (current === undefined) this.levels[h] = new Uint8Array(n * 32)
      else if (current.length < n * 32) {
        const grown = new Uint8Array(Math.max(n * 32, current.length * 2))
        grown.set(current)
        this.levels[h] = grown
      }
    }
  }

  private write(h: number, j: number, node: Uint8Array): void {
    let level = this.levels[h]
    const end = (j + 1) * 32
    if (level === undefined || level.length < end) {
      const grown = new Uint8Array(Math.max(end, (level?.length ?? 0) * 2, 64))
      if (level !== undefined) grown.set(level)
      this.levels[h] = grown
      level = grown
    }
    level.set(node, j * 32)
  }

  private stored(h: number, j: number): Uint8Array {
    return this.levels[h]!.subarray(j * 32, j * 32 + 32)
  }

  push(leaf: Uint8Array): number {
    if (this.count >= MAX_LEAF_COUNT) throw new TreeFullError()
    const index = this.count
    let node = leaf
    let h = 0
    let j = index
    for (;;) {
      this.write(h, j, node)
      if (j % 2 === 0) break
      node = hashNodeBytes(this.stored(h, j - 1), this.stored(h, j))
      h++
      j = (j - 1) / 2
    }
    this.count = index + 1
    return index
  }

  leaf(index: number): Uint8Array {
    return this.stored(0, index)
  }

  /** Node `j` of level `h` in the tree over the first `k` leaves (`k ≤ count`). */
  node(h: number, j: number, k: number): Uint8Array {
    const span = 2 ** h
    const start = j * span
    if (start + span <= k) return this.stored(h, j)
    if (start >= k) return zeroHashesBytes[h]!
    return hashNodeBytes(this.node(h - 1, 2 * j, k), this.node(h - 1, 2 * j + 1, k))
  }

  top(k: number): Uint8Array {
    return k === 0 ? zeroHashesBytes[0]! : this.node(treeDepth(k), 0, k)
  }

  siblings(index: number, k: number): Hex[] {
    const depth = treeDepth(k)
    const siblings: Hex[] = []
    for (let h = 0, j = index; h < depth; h++, j = Math.floor(j / 2))
      siblings.push(bytesToHex(this.node(h, j % 2 === 0 ? j + 1 : j - 1, k)))
    return siblings
  }
}

function toIndex(value: bigint | number, field: string, count: number): number {
  const index = toUint(value, field)
  if (index >= BigInt(count)) throw new LeafIndexOutOfRangeError({ index, count: BigInt(count) })
  return Number(index)
}

/**
 * Append-only Merkle tree (protocol §3): the root after each append equals the root of
 * {@link MerkleTree} over the same leaves. Mirrors the settlement layer's chain trees, and
 * can prove a leaf in the tree as it was at any past count ({@link IncrementalMerkleTree.proofAt}).
 *
 * @example
 * ```ts
 * const tree = new IncrementalMerkleTree()
 * tree.append(batchLeaf(1n, messageRoot))
 * tree.root // same as new MerkleTree([batchLeaf(1n, messageRoot)]).root
 * ```
 */
export class IncrementalMerkleTree {
  private readonly store = new NodeStore()

  /** Creates a tree holding `leaves` (none by default). */
  constructor(leaves: readonly MerkleLeaf[] = []) {
    this.appendMany(leaves)
  }

  /** The number of leaves. */
  get count(): number {
    return this.store.count
  }

  /**
   * Appends a leaf and returns its index.
   *
   * @example
   * ```ts
   * const index = tree.append('0x…32 bytes…')
   * ```
   */
  append(leaf: MerkleLeaf): number {
    return this.store.push(toBytes32(leaf, 'leaf'))
  }

  /**
   * Appends leaves in order.
   *
   * @example
   * ```ts
   * tree.appendMany([leafA, leafB])
   * ```
   */
  appendMany(leaves: readonly MerkleLeaf[]): void {
    this.store.reserve(this.store.count + leaves.length)
    for (const [i, leaf] of leaves.entries()) this.store.push(toBytes32(leaf, `leaves[${i}]`))
  }

  /**
   * Leaf `index`.
   *
   * @example
   * ```ts
   * tree.leaf(0)
   * ```
   */
  leaf(index: bigint | number): Hex {
    return bytesToHex(this.store.leaf(toIndex(index, 'index', this.count)))
  }

  /** `top` of the tree over all leaves, as bytes. */
  get topBytes(): Uint8Array {
    return this.store.top(this.count)
  }

  /** `top` of the tree over all leaves (unsealed; `0x00…00` when empty). */
  get top(): Hex {
    return bytesToHex(this.topBytes)
  }

  /** Root over all leaves, as bytes. */
  get rootBytes(): Uint8Array {
    return sealTreeRootBytes(this.count, this.topBytes)
  }

  /** Root over all leaves: `H(0x02 ‖ u256(count) ‖ top)`. */
  get root(): Hex {
    return bytesToHex(this.rootBytes)
  }

  /**
   * Root of the tree over the first `count` leaves (a past state of this tree).
   *
   * @example
   * ```ts
   * tree.rootAt(0) // root of the empty tree
   * ```
   */
  rootAt(count: bigint | number): Hex {
    const k = Number(toUint(count, 'count', BigInt(this.count)))
    return bytesToHex(sealTreeRootBytes(k, this.store.top(k)))
  }

  /**
   * Proof of leaf `index` in the tree over the first `count` leaves. Refuses
   * `index ≥ count` with {@link LeafIndexOutOfRangeError}.
   *
   * @example
   * ```ts
   * const proof = tree.proofAt(3, 8) // leaf 3 as the tree was with 8 leaves
   * verifyMerkleProof(proof) === tree.rootAt(8)
   * ```
   */
  proofAt(index: bigint | number, count: bigint | number): MerkleProof {
    const k = Number(toUint(count, 'count', BigInt(this.count)))
    const i = toIndex(index, 'index', k)
    return { leaf: bytesToHex(this.store.leaf(i)), index: BigInt(i), count: BigInt(k), siblings: this.store.siblings(i, k) }
  }

  /**
   * Proof of leaf `index` in the tree over all leaves.
   *
   * @example
   * ```ts
   * verifyMerkleProof(tree.proof(0)) === tree.root
   * ```
   */
  proof(index: bigint | number): MerkleProof {
    return this.proofAt(index, this.count)
  }
}

/**
 * A fixed Merkle tree over `leaves` (protocol §3): leaves left to right, padded with
 * `Z[0]` up to `2^depth`, inner nodes `H(0x01 ‖ left ‖ right)`, root sealed with the count.
 * Builds 100k leaves in a fraction of a second.
 *
 * @example
 * ```ts
 * const tree = new MerkleTree(messageLeaves)
 * const proof = tree.proof(2)
 * verifyMerkleProof(proof) === tree.root // true
 * ```
 */
export class MerkleTree {
  private readonly tree: IncrementalMerkleTree
  /** Root `H(0x02 ‖ u256(count) ‖ top)`. */
  readonly root: Hex
  /** Unsealed top of the padded tree (`0x00…00` when empty, the leaf for one leaf). */
  readonly top: Hex
  /** Number of leaves. */
  readonly count: number
  /** `depth(count)`. */
  readonly depth: number

  constructor(leaves: readonly MerkleLeaf[]) {
    this.tree = new IncrementalMerkleTree(leaves)
    this.count = this.tree.count
    this.depth = treeDepth(this.count)
    const top = this.tree.topBytes
    this.top = bytesToHex(top)
    this.root = bytesToHex(sealTreeRootBytes(this.count, top))
  }

  /**
   * Leaf `index`.
   *
   * @example
   * ```ts
   * new MerkleTree([leaf]).leaf(0) === leaf
   * ```
   */
  leaf(index: bigint | number): Hex {
    return this.tree.leaf(index)
  }

  /**
   * Proof of leaf `index`; refuses `index ≥ count` with {@link LeafIndexOutOfRangeError}.
   *
   * @example
   * ```ts
   * const { leaf, index, count, siblings } = tree.proof(0)
   * ```
   */
  proof(index: bigint | number): MerkleProof {
    return this.tree.proof(index)
  }
}

/**
 * Root of the tree over `leaves` (protocol §3); `merkleRoot([])` is `seal(0, 0x00…00)`.
 *
 * @example
 * ```ts
 * const messageRoot = merkleRoot(messageLeaves)
 * ```
 */
export function merkleRoot(leaves: readonly MerkleLeaf[]): Hex {
  return new IncrementalMerkleTree(leaves).root
}

export type VerifyMerkleProofParameters = {
  leaf: Hex
  index: bigint | number
  count: bigint | number
  siblings: readonly Hex[]
}
export type VerifyMerkleProofReturnType = Hex

/**
 * Checks a Merkle proof and returns the root it leads to (protocol §3), like the Solidity
 * `MerkleProof` library. In order, throws {@link EmptyLeafError} for a zero leaf,
 * {@link LeafIndexOutOfRangeError} unless `0 < count ≤ 2^32` and `index < count`, and
 * {@link WrongProofLengthError} unless there are `depth(count)` siblings.
 *
 * @example
 * ```ts
 * const root = verifyMerkleProof({ leaf, index: 2n, count: 5n, siblings })
 * ```
 */
export function verifyMerkleProof({ leaf, index, count, siblings }: VerifyMerkleProofParameters): VerifyMerkleProofReturnType {
  let node = hexToBytes(leaf, 'leaf', 32)
  if (isZero(node)) throw new EmptyLeafError()
  const i = toUint(index, 'index')
  const n = toUint(count, 'count')
  if (n === 0n || n > BigInt(MAX_LEAF_COUNT) || i >= n) throw new LeafIndexOutOfRangeError({ index: i, count: n })
  const depth = treeDepth(n)
  if (siblings.length !== depth) throw new WrongProofLengthError({ expected: BigInt(depth), actual: BigInt(siblings.length) })
  let bits = Number(i)
  for (let h = 0; h < depth; h++, bits = Math.floor(bits / 2)) {
    const sibling = hexToBytes(siblings[h], `siblings[${h}]`, 32)
    node = bits % 2 === 1 ? hashNodeBytes(sibling, node) : hashNodeBytes(node, sibling)
  }
  return bytesToHex(sealTreeRootBytes(n, node))
}
