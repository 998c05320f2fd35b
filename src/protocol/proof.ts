import type { Address, Hex } from 'viem'
import { hexToBytes, toUint } from './bytes.js'
import { decodeCommittedBatchKey, isCommittedBatchKey } from './committedBatch.js'
import { InconsistentProofInputError, InvalidBatchNumberError, MalformedCommittedBatchProofError, SenderNotInteropCenterError, SharedRootMismatchError, TooManyHopsError, UntrustedSettlementLayerError } from './errors.js'
import { batchLeaf, chainLeaf, messageLeaf } from './hashing.js'
import { MerkleTree, verifyMerkleProof } from './merkleTree.js'

/**
 * Solidity ABI of `struct InteropProof` (protocol §7), for `encodeAbiParameters` and contract ABIs.
 *
 * @example
 * ```ts
 * const calldata = encodeAbiParameters([interopProofAbiParameter], [proof])
 * ```
 */
export const interopProofAbiParameter = {
  type: 'tuple',
  name: 'proof',
  internalType: 'struct InteropProof',
  components: [
    { name: 'slChainId', type: 'uint256' },
    { name: 'slBlockNumber', type: 'uint256' },
    { name: 'messageSender', type: 'address' },
    ...proofLevelComponents(),
    { name: 'hops', type: 'tuple[]', internalType: 'struct SettlementLayerHop[]', components: [{ name: 'settlementLayerChainId', type: 'uint256' }, ...proofLevelComponents()] },
  ],
} as const

/** The ABI fields of one proof level, shared by `InteropProof` and `SettlementLayerHop`. */
function proofLevelComponents() {
  return [
    { name: 'batchNumber', type: 'uint256' },
    { name: 'messageIndex', type: 'uint256' },
    { name: 'messageCount', type: 'uint256' },
    { name: 'messageSiblings', type: 'bytes32[]' },
    { name: 'batchCount', type: 'uint256' },
    { name: 'batchSiblings', type: 'bytes32[]' },
    { name: 'chainIndex', type: 'uint256' },
    { name: 'chainCount', type: 'uint256' },
    { name: 'chainSiblings', type: 'bytes32[]' },
  ] as const
}

/** One level of a proof below a settlement layer's shared root: leaf → batch → chain tree → shared root. */
type ProofLevel = {
  batchNumber: bigint
  messageIndex: bigint
  messageCount: bigint
  messageSiblings: readonly Hex[]
  batchCount: bigint
  batchSiblings: readonly Hex[]
  chainIndex: bigint
  chainCount: bigint
  chainSiblings: readonly Hex[]
}

/**
 * The second level of a two-level proof (protocol §7.2): the Gateway's MessageRoot recorded the
 * Gateway shared root reached by the first level as a message of the Gateway chain; this level
 * proves that message up to L1's shared root.
 */
export type SettlementLayerHop = ProofLevel & {
  /** The Gateway chain. */
  settlementLayerChainId: bigint
}

/** Proof that a bundle was sent on its source chain and settled (protocol §7). */
export type InteropProof = {
  /** Settlement layer whose root is used. */
  slChainId: bigint
  /** Block of that root: the key in the destination's root store. */
  slBlockNumber: bigint
  /** Must be the InteropCenter. */
  messageSender: Address
  /** The source chain's batch holding the message (≥ 1). */
  batchNumber: bigint
  messageIndex: bigint
  messageCount: bigint
  messageSiblings: readonly Hex[]
  /** Number of the source chain's batches in its chain tree at the snapshot. */
  batchCount: bigint
  batchSiblings: readonly Hex[]
  /** Position of the source chain in registration order. */
  chainIndex: bigint
  chainCount: bigint
  chainSiblings: readonly Hex[]
  /** Empty, or one hop when the source chain settles on a Gateway and the root is L1's (§7.2). */
  hops: readonly SettlementLayerHop[]
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

export type VerifyInteropProofParameters = {
  /** `bundleHash(bundle)`. */
  bundleHash: Hex
  /** `bundle.sourceChainId`. */
  sourceChainId: bigint | number
  /** The InteropCenter address (the same on every chain). */
  interopCenter: Address
  proof: InteropProof
  /** When given, the root imported for `(slChainId, slBlockNumber)`: the result must equal it. */
  importedRoot?: Hex | undefined
  /** The MessageRoot address of the settlement layers: the sender of a hop's message (needed for a hop). */
  settlementLayerMessageRoot?: Address | undefined
  /** The Gateway a hop may go through (a proof with a hop through another chain is refused). */
  gatewayChainId?: bigint | number | undefined
}
/** The shared root the proof leads to. */
export type VerifyInteropProofReturnType = Hex

/**
 * The TypeScript mirror of `InteropHandler`'s proof check (protocol §7, steps 1–5, and 6
 * when `importedRoot` is given). Returns the shared root the proof leads to. Throws
 * {@link SenderNotInteropCenterError}, {@link InvalidBatchNumberError} for batch 0, the
 * Merkle errors of {@link verifyMerkleProof} and {@link SharedRootMismatchError}.
 *
 * @example
 * ```ts
 * const sharedRoot = verifyInteropProof({ bundleHash: bundleHash(bundle), sourceChainId: bundle.sourceChainId, interopCenter, proof })
 * ```
 */
export function verifyInteropProof({
  bundleHash,
  sourceChainId,
  interopCenter,
  proof,
  importedRoot,
  settlementLayerMessageRoot,
  gatewayChainId,
}: VerifyInteropProofParameters): VerifyInteropProofReturnType {
  if (!sameAddress(proof.messageSender, interopCenter))
    throw new SenderNotInteropCenterError({ sender: proof.messageSender, interopCenter })
  if (isCommittedBatchKey(proof.slBlockNumber)) {
    // Committed finality (§12): one level, the message in the committed batch the key names.
    const key = decodeCommittedBatchKey(proof.slBlockNumber)
    if (key.chainId !== toUint(sourceChainId, 'sourceChainId') || key.batchNumber !== proof.batchNumber || proof.batchCount !== 0n || proof.chainCount !== 0n || proof.hops.length > 0)
      throw new MalformedCommittedBatchProofError({ key: proof.slBlockNumber })
    const batchRoot = verifyMerkleProof({ leaf: messageLeaf(proof.messageSender, bundleHash), index: proof.messageIndex, count: proof.messageCount, siblings: proof.messageSiblings })
    if (importedRoot !== undefined && importedRoot.toLowerCase() !== batchRoot) throw new SharedRootMismatchError({ computed: batchRoot, imported: importedRoot })
    return batchRoot
  }
  let sharedRoot = foldProofLevel(messageLeaf(proof.messageSender, bundleHash), sourceChainId, proof)
  if (proof.hops.length > 1) throw new TooManyHopsError({ hops: proof.hops.length })
  const hop = proof.hops[0]
  if (hop) {
    if (gatewayChainId === undefined || toUint(gatewayChainId, 'gatewayChainId') !== toUint(hop.settlementLayerChainId, 'settlementLayerChainId'))
      throw new UntrustedSettlementLayerError({ chainId: hop.settlementLayerChainId })
    if (settlementLayerMessageRoot === undefined) throw new InconsistentProofInputError({ reason: 'a proof with a hop needs the settlement layers\' MessageRoot address' })
    sharedRoot = foldProofLevel(messageLeaf(settlementLayerMessageRoot, sharedRoot), hop.settlementLayerChainId, hop)
  }
  if (importedRoot !== undefined) {
    hexToBytes(importedRoot, 'importedRoot', 32)
    if (importedRoot.toLowerCase() !== sharedRoot) throw new SharedRootMismatchError({ computed: sharedRoot, imported: importedRoot })
  }
  return sharedRoot
}

/** One level of a proof: the leaf up to the settlement layer's shared root (protocol §7, steps 2–4). */
function foldProofLevel(leaf: Hex, chainId: bigint | number, level: ProofLevel): Hex {
  const batchRoot = verifyMerkleProof({ leaf, index: level.messageIndex, count: level.messageCount, siblings: level.messageSiblings })
  const batchNumber = toUint(level.batchNumber, 'batchNumber')
  if (batchNumber === 0n) throw new InvalidBatchNumberError({ batchNumber })
  const chainTreeRoot = verifyMerkleProof({ leaf: batchLeaf(batchNumber, batchRoot), index: batchNumber - 1n, count: level.batchCount, siblings: level.batchSiblings })
  return verifyMerkleProof({ leaf: chainLeaf(chainId, chainTreeRoot), index: level.chainIndex, count: level.chainCount, siblings: level.chainSiblings })
}

/**
 * Joins two one-level proofs into a two-level proof (protocol §7.2): `lower` proves a message of a
 * chain settling on the Gateway `gatewayChainId` up to a Gateway shared root; `upper` proves the
 * Gateway chain's message `messageLeaf(MessageRoot, that root)` up to an L1 root. The result is
 * checked against L1's root at `upper`'s `(slChainId, slBlockNumber)`.
 *
 * @example
 * ```ts
 * const proof = withSettlementLayerHop(alphaToGateway.proof, gatewayToL1.proof, 31338n)
 * ```
 */
export function withSettlementLayerHop(lower: InteropProof, upper: InteropProof, gatewayChainId: bigint | number): InteropProof {
  if (lower.hops.length > 0 || upper.hops.length > 0) throw new TooManyHopsError({ hops: lower.hops.length + upper.hops.length + 1 })
  const { batchNumber, messageIndex, messageCount, messageSiblings, batchCount, batchSiblings, chainIndex, chainCount, chainSiblings } = upper
  return {
    ...lower,
    slChainId: upper.slChainId,
    slBlockNumber: upper.slBlockNumber,
    hops: [{ settlementLayerChainId: toUint(gatewayChainId, 'gatewayChainId'), batchNumber, messageIndex, messageCount, messageSiblings, batchCount, batchSiblings, chainIndex, chainCount, chainSiblings }],
  }
}

/** A registered chain and its chain tree root at a snapshot. */
export type ChainTreeRootEntry = {
  chainId: bigint
  chainTreeRoot: Hex
}

export type BuildInteropProofParameters = {
  /** Settlement layer of the snapshot. */
  slChainId: bigint | number
  /** Settlement-layer block of the snapshot (the shared root the proof leads to is the one recorded there). */
  slBlockNumber: bigint | number
  /** The InteropCenter, sender of the message on the source chain. */
  messageSender: Address
  /** `bundleHash(bundle)`: the message payload hash. */
  bundleHash: Hex
  /** `bundle.sourceChainId`. */
  sourceChainId: bigint | number
  /** The source chain's batch holding the message (≥ 1). */
  batchNumber: bigint | number
  /** Every message leaf of that batch, in order (what the batch's `messageRoot` is built from). */
  messageLeaves: readonly Hex[]
  /**
   * Index of the message in `messageLeaves`. Default: the first leaf equal to
   * `messageLeaf(messageSender, bundleHash)`.
   */
  messageIndex?: bigint | number | undefined
  /**
   * Message roots of the source chain's batches `1..k` as executed at the snapshot:
   * entry `i` is the `messageRoot` of batch `i + 1`. `k` becomes `batchCount`.
   */
  batchMessageRoots: readonly Hex[]
  /** Chain tree roots of every registered chain at the snapshot, in registration order. */
  chains: readonly ChainTreeRootEntry[]
  /**
   * Trees already built from these same inputs, by the caller's keys (`message:<key>`, `batches:<key>`,
   * `chains:<key>`): building many proofs against one snapshot then builds each tree once. Give
   * `treeKey` to use it; a tree is only reused under the same key.
   */
  treeCache?: Map<string, MerkleTree> | undefined
  /** Key of these inputs in `treeCache` (e.g. `31337@120:271:4`). */
  treeKey?: { snapshot: string; batch: string } | undefined
}

export type BuildInteropProofReturnType = {
  proof: InteropProof
  /** Root of the batch's message tree. */
  messageRoot: Hex
  /** Root of the source chain's tree of batches `1..k`. */
  chainTreeRoot: Hex
  /** Shared root the proof leads to: the destination must have imported it for `(slChainId, slBlockNumber)`. */
  sharedRoot: Hex
}

/**
 * Builds the {@link InteropProof} of a bundle from a settlement-layer snapshot: the batch's
 * message leaves, the message roots of the source chain's batches `1..k`, and the chain
 * tree roots of all chains in registration order. Checks that these agree with each other
 * ({@link InconsistentProofInputError}) and that the result verifies.
 *
 * @example
 * ```ts
 * const { proof, sharedRoot } = buildInteropProof({
 *   slChainId: 31337n, slBlockNumber: 120n, messageSender: interopCenter,
 *   bundleHash: bundleHash(bundle), sourceChainId: bundle.sourceChainId, batchNumber: 4n,
 *   messageLeaves, batchMessageRoots, chains,
 * })
 * ```
 */
export function buildInteropProof(parameters: BuildInteropProofParameters): BuildInteropProofReturnType {
  const { messageSender, bundleHash, messageLeaves, batchMessageRoots, chains } = parameters
  const slChainId = toUint(parameters.slChainId, 'slChainId')
  const slBlockNumber = toUint(parameters.slBlockNumber, 'slBlockNumber')
  const sourceChainId = toUint(parameters.sourceChainId, 'sourceChainId')
  const batchNumber = toUint(parameters.batchNumber, 'batchNumber')
  const batchCount = BigInt(batchMessageRoots.length)
  if (batchNumber === 0n || batchNumber > batchCount) throw new InvalidBatchNumberError({ batchNumber, batchCount })

  // Messages of the batch.
  const leaf = messageLeaf(messageSender, bundleHash)
  let messageIndex: number
  if (parameters.messageIndex === undefined) {
    messageIndex = messageLeaves.findIndex((candidate) => candidate.toLowerCase() === leaf)
    if (messageIndex < 0) throw new InconsistentProofInputError({ reason: `the message leaf ${leaf} is not among the batch's message leaves` })
  } else {
    const index = toUint(parameters.messageIndex, 'messageIndex')
    const candidate = index < BigInt(messageLeaves.length) ? messageLeaves[Number(index)] : undefined
    if (candidate === undefined || candidate.toLowerCase() !== leaf)
      throw new InconsistentProofInputError({ reason: `message leaf ${index} is not ${leaf}` })
    messageIndex = Number(index)
  }
  const cached = (kind: string, key: string | undefined, build: () => MerkleTree) => {
    if (!parameters.treeCache || key === undefined) return build()
    const name = `${kind}:${key}`
    let tree = parameters.treeCache.get(name)
    if (!tree) parameters.treeCache.set(name, (tree = build()))
    return tree
  }
  const messageTree = cached('message', parameters.treeKey?.batch, () => new MerkleTree(messageLeaves))
  const expectedMessageRoot = batchMessageRoots[Number(batchNumber) - 1]!
  if (messageTree.root !== expectedMessageRoot.toLowerCase())
    throw new InconsistentProofInputError({
      reason: `the message leaves give the root ${messageTree.root}, but batch ${batchNumber} has the message root ${expectedMessageRoot}`,
    })

  // Batches of the source chain.
  const batchTree = cached('batches', parameters.treeKey && `${parameters.treeKey.snapshot}:${sourceChainId}`, () => new MerkleTree(batchMessageRoots.map((root, i) => batchLeaf(i + 1, root))))

  // Chains of the settlement layer.
  const chainIndex = chains.findIndex((chain) => chain.chainId === sourceChainId)
  if (chainIndex < 0) throw new InconsistentProofInputError({ reason: `chain ${sourceChainId} is not among the registered chains` })
  if (chains.findIndex((chain, i) => i > chainIndex && chain.chainId === sourceChainId) >= 0)
    throw new InconsistentProofInputError({ reason: `chain ${sourceChainId} is registered twice` })
  const listedRoot = chains[chainIndex]!.chainTreeRoot
  if (listedRoot.toLowerCase() !== batchTree.root)
    throw new InconsistentProofInputError({
      reason: `batches 1..${batchCount} give the chain tree root ${batchTree.root}, but chain ${sourceChainId} is listed with ${listedRoot}`,
    })
  const sharedTree = cached('chains', parameters.treeKey?.snapshot, () => new MerkleTree(chains.map((chain) => chainLeaf(chain.chainId, chain.chainTreeRoot))))

  const proof: InteropProof = {
    slChainId,
    slBlockNumber,
    messageSender,
    batchNumber,
    messageIndex: BigInt(messageIndex),
    messageCount: BigInt(messageTree.count),
    messageSiblings: messageTree.proof(messageIndex).siblings,
    batchCount,
    batchSiblings: batchTree.proof(batchNumber - 1n).siblings,
    chainIndex: BigInt(chainIndex),
    chainCount: BigInt(sharedTree.count),
    chainSiblings: sharedTree.proof(chainIndex).siblings,
    hops: [],
  }
  const sharedRoot = verifyInteropProof({ bundleHash, sourceChainId, interopCenter: messageSender, proof, importedRoot: sharedTree.root })
  return { proof, messageRoot: messageTree.root, chainTreeRoot: batchTree.root, sharedRoot }
}
