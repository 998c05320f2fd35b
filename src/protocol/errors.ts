import { JunctionError } from '../errors/JunctionError.js'
import type { Hex } from 'viem'

/**
 * An ERC-7930 interoperable address that Junction refuses (protocol §1). Mirrors the
 * Solidity error `InvalidInteroperableAddress()`.
 *
 * @example
 * ```ts
 * try { parseInteroperableAddress('0x0002') } catch (e) { if (e instanceof InvalidInteroperableAddressError) console.log(e.reason) }
 * ```
 */
export class InvalidInteroperableAddressError extends JunctionError {
  override name = 'InvalidInteroperableAddressError'
  /** What is wrong, e.g. `"the chain reference has a leading zero byte"`. */
  readonly reason: string
  /** The value that was refused, as given. */
  readonly value: unknown

  constructor({ reason, value }: { reason: string; value: unknown }) {
    super(`Invalid interoperable address: ${reason}.`, {
      details:
        'Junction accepts ERC-7930 version 1 eip155 addresses with a minimal chain reference (1 to 32 bytes, no leading zero byte) and a 20-byte address, and nothing after them.',
    })
    this.reason = reason
    this.value = value
  }
}

/**
 * A hex value that is not a `0x`-prefixed hex string of the expected size.
 *
 * @example
 * ```ts
 * try { hashNode('0x12', '0x34') } catch (e) { if (e instanceof InvalidHexValueError) console.log(e.field) }
 * ```
 */
export class InvalidHexValueError extends JunctionError {
  override name = 'InvalidHexValueError'
  /** The name of the parameter that was wrong. */
  readonly field: string
  /** The value that was refused, as given. */
  readonly value: unknown

  constructor({ field, expected, value }: { field: string; expected: string; value: unknown }) {
    super(`Invalid ${field}: expected ${expected}.`, {
      details: `Got ${typeof value === 'string' ? (value.length > 80 ? `${value.slice(0, 80)}…` : value) : String(value)}.`,
    })
    this.field = field
    this.value = value
  }
}

/**
 * An integer that does not fit the protocol type (negative, not an integer, or too large).
 *
 * @example
 * ```ts
 * try { batchLeaf(-1n, root) } catch (e) { if (e instanceof IntegerOutOfRangeError) console.log(e.field) }
 * ```
 */
export class IntegerOutOfRangeError extends JunctionError {
  override name = 'IntegerOutOfRangeError'
  readonly field: string
  readonly value: unknown

  constructor({ field, value, max }: { field: string; value: unknown; max: string }) {
    super(`Invalid ${field}: expected an integer from 0 to ${max}.`, {
      details: `Got ${String(value)}.`,
    })
    this.field = field
    this.value = value
  }
}

/**
 * A Merkle proof whose leaf is `0x00…00` (protocol §3). Mirrors Solidity `EmptyLeaf()`.
 *
 * @example
 * ```ts
 * try { verifyMerkleProof(proof) } catch (e) { if (e instanceof EmptyLeafError) console.log('zero leaf') }
 * ```
 */
export class EmptyLeafError extends JunctionError {
  override name = 'EmptyLeafError'
  constructor() {
    super('The Merkle proof leaf is empty (0x00…00).', {
      details: 'A zero leaf is the padding value of the tree and can never be proven.',
    })
  }
}

/**
 * A Merkle proof whose index is not below its count, or whose count is 0 or above 2^32
 * (protocol §3). Mirrors Solidity `LeafIndexOutOfRange(index, count)`.
 *
 * @example
 * ```ts
 * try { tree.proof(10) } catch (e) { if (e instanceof LeafIndexOutOfRangeError) console.log(e.index, e.count) }
 * ```
 */
export class LeafIndexOutOfRangeError extends JunctionError {
  override name = 'LeafIndexOutOfRangeError'
  readonly index: bigint
  readonly count: bigint
  constructor({ index, count }: { index: bigint; count: bigint }) {
    super(`Leaf index ${index} is out of range for a tree of ${count} leaves.`, {
      details: 'The index must be below the leaf count, and the count must be from 1 to 2^32.',
    })
    this.index = index
    this.count = count
  }
}

/**
 * A Merkle proof with a number of siblings other than `depth(count)` (protocol §3).
 * Mirrors Solidity `WrongProofLength(expected, actual)`.
 *
 * @example
 * ```ts
 * try { verifyMerkleProof(proof) } catch (e) { if (e instanceof WrongProofLengthError) console.log(e.expected, e.actual) }
 * ```
 */
export class WrongProofLengthError extends JunctionError {
  override name = 'WrongProofLengthError'
  readonly expected: bigint
  readonly actual: bigint
  constructor({ expected, actual }: { expected: bigint; actual: bigint }) {
    super(`The Merkle proof has ${actual} siblings; ${expected} expected.`, {
      details: 'A proof carries exactly depth(count) = ceil(log2(count)) siblings (0 for one leaf).',
    })
    this.expected = expected
    this.actual = actual
  }
}

/**
 * An append to a Merkle tree that already holds 2^32 leaves.
 *
 * @example
 * ```ts
 * try { tree.append(leaf) } catch (e) { if (e instanceof TreeFullError) console.log('full') }
 * ```
 */
export class TreeFullError extends JunctionError {
  override name = 'TreeFullError'
  constructor() {
    super('The Merkle tree is full (2^32 leaves).')
  }
}

/**
 * A byte string that is not the canonical `abi.encode` of a value of the expected type.
 *
 * @example
 * ```ts
 * try { decodeBundle('0x1234') } catch (e) { if (e instanceof InvalidEncodingError) console.log(e.type) }
 * ```
 */
export class InvalidEncodingError extends JunctionError {
  override name = 'InvalidEncodingError'
  /** The type that was expected, e.g. `"InteropBundle"`. */
  readonly type: string
  constructor({ type, reason, cause }: { type: string; reason: string; cause?: unknown }) {
    super(`Invalid ${type} encoding: ${reason}.`, {
      details: `Expected the canonical Solidity abi.encode of one ${type}.`,
      cause,
    })
    this.type = type
  }
}

/**
 * A call index that does not name a call of the bundle.
 *
 * @example
 * ```ts
 * try { messageSenderAddress({ bundle, callIndex: 5 }) } catch (e) { if (e instanceof CallIndexOutOfRangeError) console.log(e.callCount) }
 * ```
 */
export class CallIndexOutOfRangeError extends JunctionError {
  override name = 'CallIndexOutOfRangeError'
  readonly callIndex: bigint
  readonly callCount: bigint
  constructor({ callIndex, callCount }: { callIndex: bigint; callCount: bigint }) {
    super(`Call index ${callIndex} is out of range for a bundle of ${callCount} calls.`)
    this.callIndex = callIndex
    this.callCount = callCount
  }
}

/**
 * An interop proof whose `messageSender` is not the InteropCenter (protocol §7, step 1).
 *
 * @example
 * ```ts
 * try { verifyInteropProof(parameters) } catch (e) { if (e instanceof SenderNotInteropCenterError) console.log(e.sender) }
 * ```
 */
export class SenderNotInteropCenterError extends JunctionError {
  override name = 'SenderNotInteropCenterError'
  readonly sender: string
  readonly interopCenter: string
  constructor({ sender, interopCenter }: { sender: string; interopCenter: string }) {
    super(`The message sender ${sender} is not the InteropCenter ${interopCenter}.`, {
      details: 'Only messages sent by the InteropCenter carry bundles.',
    })
    this.sender = sender
    this.interopCenter = interopCenter
  }
}

/**
 * A batch number that cannot be proven: batch 0 (genesis, no messages) or a batch beyond
 * the batches the proof covers.
 *
 * @example
 * ```ts
 * try { verifyInteropProof(parameters) } catch (e) { if (e instanceof InvalidBatchNumberError) console.log(e.batchNumber) }
 * ```
 */
export class InvalidBatchNumberError extends JunctionError {
  override name = 'InvalidBatchNumberError'
  readonly batchNumber: bigint
  constructor({ batchNumber, batchCount }: { batchNumber: bigint; batchCount?: bigint | undefined }) {
    super(
      batchCount === undefined
        ? `Batch ${batchNumber} cannot hold a proven message.`
        : `Batch ${batchNumber} is not one of the batches 1..${batchCount}.`,
      { details: 'Batch 0 is the genesis batch and has no messages; batch n ≥ 1 is leaf n - 1 of the chain tree.' },
    )
    this.batchNumber = batchNumber
  }
}

/**
 * A shared root computed from an interop proof that differs from the root imported for
 * `(slChainId, slBlockNumber)` (protocol §7, step 6).
 *
 * @example
 * ```ts
 * try { verifyInteropProof({ ...parameters, importedRoot }) } catch (e) { if (e instanceof SharedRootMismatchError) console.log(e.computed) }
 * ```
 */
export class SharedRootMismatchError extends JunctionError {
  override name = 'SharedRootMismatchError'
  readonly computed: string
  readonly imported: string
  constructor({ computed, imported }: { computed: string; imported: string }) {
    super(`The proof leads to the shared root ${computed}, not to the imported root ${imported}.`)
    this.computed = computed
    this.imported = imported
  }
}

/**
 * Inputs of {@link buildInteropProof} that contradict each other (a service bug or a stale
 * snapshot): the proof they would give could never verify.
 *
 * @example
 * ```ts
 * try { buildInteropProof(parameters) } catch (e) { if (e instanceof InconsistentProofInputError) console.log(e.reason) }
 * ```
 */
export class InconsistentProofInputError extends JunctionError {
  override name = 'InconsistentProofInputError'
  readonly reason: string
  constructor({ reason }: { reason: string }) {
    super(`Cannot build the interop proof: ${reason}.`, {
      details: 'Check that the message leaves, batch message roots and chain tree roots come from the same settlement-layer snapshot.',
    })
    this.reason = reason
  }
}

/**
 * An attribute whose selector is unknown, or not accepted in this list (a call attribute among
 * bundle attributes, `indirectCall` in `sendMessage`…) (protocol §8). Mirrors the ERC-7786 Solidity
 * error `UnsupportedAttribute(bytes4 selector)`.
 *
 * @example
 * ```ts
 * try { parseBundleAttributes(attributes, 271n) } catch (e) { if (e instanceof UnsupportedAttributeError) console.log(e.selector) }
 * ```
 */
export class UnsupportedAttributeError extends JunctionError {
  override name = 'UnsupportedAttributeError'
  /** The refused selector. */
  readonly selector: Hex
  constructor({ selector, list }: { selector: Hex; list: string }) {
    super(`Attribute ${selector} is not supported in ${list}.`, {
      details:
        'sendMessage accepts interopCallValue, executionAddress and unbundlerAddress; a sendBundle call accepts interopCallValue and indirectCall; a sendBundle bundle accepts executionAddress and unbundlerAddress.',
    })
    this.selector = selector
  }
}

/**
 * The same attribute twice in one list (protocol §8). Mirrors Solidity `AttributeRepeated(bytes4 selector)`.
 *
 * @example
 * ```ts
 * try { parseCallAttributes([a, a]) } catch (e) { if (e instanceof AttributeRepeatedError) console.log(e.selector) }
 * ```
 */
export class AttributeRepeatedError extends JunctionError {
  override name = 'AttributeRepeatedError'
  readonly selector: Hex
  constructor({ selector }: { selector: Hex }) {
    super(`Attribute ${selector} appears more than once.`, { details: 'Give each attribute at most once per list.' })
    this.selector = selector
  }
}

/**
 * An attribute shorter than 4 bytes, or whose arguments are not the canonical ABI encoding (or
 * not a valid ERC-7930 address) (protocol §8). Mirrors Solidity `InvalidAttribute(bytes4 selector)`;
 * for an attribute shorter than 4 bytes, `selector` is its bytes right-padded with zeros.
 *
 * @example
 * ```ts
 * try { decodeAttribute('0x54b16529') } catch (e) { if (e instanceof InvalidAttributeError) console.log(e.reason) }
 * ```
 */
export class InvalidAttributeError extends JunctionError {
  override name = 'InvalidAttributeError'
  readonly selector: Hex
  readonly reason: string
  constructor({ selector, reason, cause }: { selector: Hex; reason: string; cause?: unknown }) {
    super(`Invalid attribute ${selector}: ${reason}.`, {
      details: 'Encode attributes with the encoders of src/protocol/attributes.ts (abi.encodeWithSignature).',
      cause,
    })
    this.selector = selector
    this.reason = reason
  }
}

/**
 * An `executionAddress` or `unbundlerAddress` attribute whose ERC-7930 address is on another chain
 * than the destination (protocol §8). Mirrors Solidity
 * `AttributeChainMismatch(bytes4 selector, uint256 expected, uint256 actual)`.
 *
 * @example
 * ```ts
 * try { parseBundleAttributes(attributes, 271n) } catch (e) { if (e instanceof AttributeChainMismatchError) console.log(e.actual) }
 * ```
 */
export class AttributeChainMismatchError extends JunctionError {
  override name = 'AttributeChainMismatchError'
  readonly selector: Hex
  /** The destination chain. */
  readonly expected: bigint
  /** The chain of the attribute's address. */
  readonly actual: bigint
  constructor({ selector, expected, actual }: { selector: Hex; expected: bigint; actual: bigint }) {
    super(`Attribute ${selector} names an address on chain ${actual}, not on the destination chain ${expected}.`)
    this.selector = selector
    this.expected = expected
    this.actual = actual
  }
}

/**
 * The value sent with `sendBundle` / `sendMessage` is not the sum of the calls' values
 * (`interopCallValue`, plus `indirectCall` values for `sendBundle`). Mirrors Solidity
 * `ValueMismatch(uint256 expected, uint256 actual)`.
 *
 * @example
 * ```ts
 * try { buildBundle(parameters) } catch (e) { if (e instanceof ValueMismatchError) console.log(e.expected, e.actual) }
 * ```
 */
export class ValueMismatchError extends JunctionError {
  override name = 'ValueMismatchError'
  /** The sum of the calls' values. */
  readonly expected: bigint
  /** The value sent with the transaction. */
  readonly actual: bigint
  constructor({ expected, actual }: { expected: bigint; actual: bigint }) {
    super(`The transaction sends ${actual} wei but its calls carry ${expected}.`, {
      details: 'Send exactly the sum of every interopCallValue and indirectCall value as the transaction value.',
    })
    this.expected = expected
    this.actual = actual
  }
}

/**
 * A bundle with no call. Mirrors Solidity `EmptyBundle()`.
 *
 * @example
 * ```ts
 * try { buildBundle({ ...parameters, callStarters: [] }) } catch (e) { if (e instanceof EmptyBundleError) console.log('no call') }
 * ```
 */
export class EmptyBundleError extends JunctionError {
  override name = 'EmptyBundleError'
  constructor() {
    super('A bundle needs at least one call.')
  }
}

/**
 * A bundle with more than `MAX_BUNDLE_CALLS` (64) calls. Mirrors Solidity `TooManyCalls(uint256 count)`.
 *
 * @example
 * ```ts
 * try { buildBundle(parameters) } catch (e) { if (e instanceof TooManyCallsError) console.log(e.count) }
 * ```
 */
export class TooManyCallsError extends JunctionError {
  override name = 'TooManyCallsError'
  readonly count: bigint
  constructor({ count, max }: { count: bigint; max: bigint }) {
    super(`A bundle holds at most ${max} calls; ${count} given.`, { details: 'Split the calls into several bundles.' })
    this.count = count
  }
}

/**
 * A bundle or message addressed to its own source chain. Mirrors Solidity `DestinationIsThisChain()`.
 *
 * @example
 * ```ts
 * try { buildBundle({ ...parameters, destinationChainId: sourceChainId }) } catch (e) { if (e instanceof DestinationIsThisChainError) console.log(e.chainId) }
 * ```
 */
export class DestinationIsThisChainError extends JunctionError {
  override name = 'DestinationIsThisChainError'
  readonly chainId: bigint
  constructor({ chainId }: { chainId: bigint }) {
    super(`Chain ${chainId} cannot send a bundle to itself.`)
    this.chainId = chainId
  }
}

/**
 * A call with the `indirectCall` attribute given to {@link buildBundle} without `resolveIndirectCall`:
 * its destination target and data come from the initiator contract on the source chain.
 *
 * @example
 * ```ts
 * try { buildBundle(parameters) } catch (e) { if (e instanceof IndirectCallUnresolvedError) console.log(e.callIndex) }
 * ```
 */
export class IndirectCallUnresolvedError extends JunctionError {
  override name = 'IndirectCallUnresolvedError'
  readonly callIndex: bigint
  constructor({ callIndex }: { callIndex: bigint }) {
    super(`Call ${callIndex} is an indirect call: its destination target and data are known only to its initiator.`, {
      details: 'Pass resolveIndirectCall, or read the sent bundle from the BundleSent event.',
    })
    this.callIndex = callIndex
  }
}

/**
 * Bytes that are not a withdrawal message (protocol §9): not 160 bytes, a wrong tag word, or an
 * address word that is not a clean address. Mirrors the Solidity error `NotAWithdrawal()` (Solidity
 * refuses a dirty address word with a bare revert).
 *
 * @example
 * ```ts
 * try { decodeWithdrawalMessage('0x1234') } catch (e) { if (e instanceof NotAWithdrawalError) console.log(e.reason) }
 * ```
 */
export class NotAWithdrawalError extends JunctionError {
  override name = 'NotAWithdrawalError'
  /** What is wrong, e.g. `"the message is 4 bytes, not 160"`. */
  readonly reason: string
  constructor({ reason }: { reason: string }) {
    super(`Not a withdrawal message: ${reason}.`, {
      details: 'A withdrawal message is abi.encode(bytes4 tag, bytes32 assetId, address l2Sender, address l1Receiver, uint256 amount), 160 bytes, with tag bytes4(keccak256("withdraw(bytes32,address,address,uint256)")).',
    })
    this.reason = reason
  }
}

/**
 * The bytes are not a transfer message (protocol §9.5): not 192 bytes, a first word other than the
 * transfer tag, or an address word that is not a clean address. Mirrors the Solidity error
 * `NotATransfer()` (Solidity refuses a dirty address word with a bare revert).
 *
 * @example
 * ```ts
 * try { decodeTransferMessage('0x1234') } catch (e) { if (e instanceof NotATransferError) console.log(e.reason) }
 * ```
 */
export class NotATransferError extends JunctionError {
  override name = 'NotATransferError'
  /** What is wrong, e.g. `"the message is 4 bytes, not 192"`. */
  readonly reason: string
  constructor({ reason }: { reason: string }) {
    super(`Not a transfer message: ${reason}.`, {
      details: 'A transfer message is abi.encode(bytes4 tag, uint256 destinationChainId, bytes32 assetId, address sender, address receiver, uint256 amount), 192 bytes, with tag bytes4(keccak256("transfer(uint256,bytes32,address,address,uint256)")).',
    })
    this.reason = reason
  }
}

/** Bytes that are not a settlement-layer transfer message (protocol §9.1), as `BridgeMessages.decodeSettlementLayerTransfer` refuses them. */
export class NotASettlementLayerTransferError extends JunctionError {
  override name = 'NotASettlementLayerTransferError'
  /** What is wrong, e.g. `"the message is 4 bytes, not 160"`. */
  readonly reason: string
  constructor({ reason }: { reason: string }) {
    super(`Not a settlement-layer transfer message: ${reason}.`, {
      details: 'A settlement-layer transfer message is abi.encode(bytes4 tag, uint256 sourceChainId, uint256 destinationChainId, bytes32 assetId, uint256 amount), 160 bytes, with tag bytes4(keccak256("settlementLayerTransfer(uint256,uint256,bytes32,uint256)")).',
    })
    this.reason = reason
  }
}

/** A proof has more than one intermediate settlement layer (protocol §7.2 allows at most one). */
export class TooManyHopsError extends JunctionError {
  override name = 'TooManyHopsError'
  readonly hops: number
  constructor({ hops }: { hops: number }) {
    super(`The proof has ${hops} settlement-layer hops; at most one is allowed.`, {
      details: 'A message is proven to its source chain\'s settlement layer and, if that is a Gateway, once more to L1.',
    })
    this.hops = hops
  }
}

/** A two-level proof goes through a chain that is not the Gateway the verifier trusts. */
export class UntrustedSettlementLayerError extends JunctionError {
  override name = 'UntrustedSettlementLayerError'
  readonly chainId: bigint
  constructor({ chainId }: { chainId: bigint }) {
    super(`The proof goes through chain ${chainId}, which is not a trusted Gateway.`, {
      details: 'Only the network\'s Gateway may be the intermediate settlement layer of a two-level proof.',
    })
    this.chainId = chainId
  }
}

/**
 * Bytes that are not a failed-deposit message (protocol §9.8). Mirrors Solidity
 * `NotAFailedDeposit()` of contracts/common/BridgeMessages.sol.
 *
 * @example
 * ```ts
 * try { decodeFailedDepositMessage('0x1234') } catch (e) { if (e instanceof NotAFailedDepositError) console.log(e.reason) }
 * ```
 */
export class NotAFailedDepositError extends JunctionError {
  override name = 'NotAFailedDepositError'
  /** What is wrong, e.g. `"the message is 4 bytes, not 96"`. */
  readonly reason: string
  constructor({ reason }: { reason: string }) {
    super(`Not a failed-deposit message: ${reason}.`, {
      details: 'A failed-deposit message is abi.encode(bytes4 tag, uint256 index, bytes32 requestHash), 96 bytes, with tag bytes4(keccak256("failedDeposit(uint256,bytes32)")).',
    })
    this.reason = reason
  }
}

/**
 * A chain id or batch number that does not fit a committed-batch key (protocol §12). Mirrors
 * `CommittedBatchKeyOutOfRange(chainId, batchNumber)`.
 */
export class CommittedBatchKeyOutOfRangeError extends JunctionError {
  override name = 'CommittedBatchKeyOutOfRangeError'
  constructor({ chainId, batchNumber }: { chainId: bigint; batchNumber: bigint }) {
    super(`Chain ${chainId}, batch ${batchNumber} does not fit a committed-batch key.`, { details: 'Chain ids must be below 2^127 and batch numbers below 2^128.' })
  }
}

/**
 * A committed-batch proof (protocol §12) names another chain or batch than its key, or has levels above
 * the batch. Mirrors `MalformedCommittedBatchProof(slBlockNumber)`.
 */
export class MalformedCommittedBatchProofError extends JunctionError {
  override name = 'MalformedCommittedBatchProofError'
  constructor({ key }: { key: bigint }) {
    super(`The committed-batch proof with key ${key} is malformed.`, {
      details: 'Its key must be committedBatchKey(the source chain, its batchNumber), and batchCount, chainCount and hops must be empty.',
    })
  }
}
