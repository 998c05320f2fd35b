// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BundleExecutor} from "../common/BundleExecutor.sol";
import {InteropCall, InteropProof} from "../common/InteropTypes.sol";
import {CommittedBatchKeys} from "../common/CommittedBatchKeys.sol";
import {InclusionProof} from "../common/InclusionProof.sol";
import {MerkleTree} from "../common/MerkleTree.sol";
import {MessageHashing} from "../common/MessageHashing.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {BaseTokenHolder} from "./BaseTokenHolder.sol";
import {InteropCenter} from "./InteropCenter.sol";
import {InteropRootStore} from "./InteropRootStore.sol";

/// @title InteropHandler
/// @notice Executes bundles sent to this chain, once each, after checking their proof of inclusion
/// (docs/protocol.md section 7). Calls are delivered through the InteropCenter, so recipients see the
/// one gateway address of this chain as `msg.sender`.
/// @dev The statuses, execution, verification and unbundling rules are BundleExecutor's (section 8). The
/// handler is also the chain's InteropRootStore (it inherits it): the operator imports roots here, and a
/// proof's root is read from this contract's storage.
/// The value of a call is released from the BaseTokenHolder and delivered with the call (all or none
/// with the bundle); the value of a call the unbundler cancels is released to the unbundler
/// (section 9.7).
contract InteropHandler is BundleExecutor, InteropRootStore {
    /// @notice The MessageRoot of every settlement layer (same address on each): on a Gateway it records
    /// the Gateway's shared roots as messages, the middle of a two-level proof (section 7.2).
    address public immutable settlementLayerMessageRoot;
    /// @notice The network's Gateway, the only intermediate settlement layer a proof may go through
    /// (0: none).
    uint256 public immutable gatewayChainId;
    /// @notice The chain's BaseTokenHolder, from which the values of calls are released.
    BaseTokenHolder public immutable baseTokenHolder;

    /// @notice A two-level proof goes through a chain that is not the network's Gateway.
    error UntrustedSettlementLayer(uint256 chainId);
    /// @notice No root was imported for this settlement-layer block.
    error RootNotImported(uint256 slChainId, uint256 slBlockNumber);
    /// @notice A committed-batch proof (section 12) names another batch than its key, or has levels
    /// above the batch.
    error MalformedCommittedBatchProof(uint256 slBlockNumber);
    /// @notice The tag of an execution record, the first word of `abi.encode(EXECUTION_RECORD_TAG, bundleHash,
    /// executor)`: `bytes4(keccak256("executed(bytes32,address)"))`, left-aligned (docs/fees.md).
    bytes4 public constant EXECUTION_RECORD_TAG = bytes4(keccak256("executed(bytes32,address)"));

    /// @notice This chain recorded the outbound message `payloadHash` of `sender` (the L2Messenger's event):
    /// here the execution record of a bundle (`sender` is this contract), proven back to the bundle's source
    /// chain to claim its fee there.
    event MessageRecorded(address indexed sender, bytes32 indexed payloadHash);

    /// @notice Only the base-token holder sends ETH to the handler.
    error NotBaseTokenHolder(address sender);
    /// @notice An execution record's proof names another sender than the InteropHandler.
    error SenderNotInteropHandler(address messageSender);

    /// @param interopCenter_ The InteropCenter (same address on every chain).
    /// @param operator_ The chain's operator, the only account that imports roots (InteropRootStore).
    /// @param settlementLayerMessageRoot_ The MessageRoot address of the settlement layers.
    /// @param gatewayChainId_ The network's Gateway (0: none).
    /// @param baseTokenHolder_ This chain's BaseTokenHolder (same address on every chain).
    constructor(
        address interopCenter_,
        address operator_,
        address settlementLayerMessageRoot_,
        uint256 gatewayChainId_,
        BaseTokenHolder baseTokenHolder_
    ) BundleExecutor(interopCenter_) InteropRootStore(operator_) {
        settlementLayerMessageRoot = settlementLayerMessageRoot_;
        gatewayChainId = gatewayChainId_;
        baseTokenHolder = baseTokenHolder_;
    }

    /// @notice The store of imported settlement-layer roots: this contract (the handler is the chain's
    /// InteropRootStore).
    function rootStore() external view returns (InteropRootStore) {
        return this;
    }

    /// @notice Receives the value of a call from the base-token holder, right before delivering it.
    receive() external payable {
        if (msg.sender != address(baseTokenHolder)) revert NotBaseTokenHolder(msg.sender);
    }

    /// @notice Checks a bundle a private chain sent blinded (docs/protocol.md section 4.1) and its proof,
    /// and marks it Verified: the proven leaf's payload hash is `H(0x08 ‖ bundleHash ‖ blinding)`, so the
    /// bundle given must be exactly the one its source committed to. As `verifyBundle` otherwise.
    /// @param encodedBundle `abi.encode(bundle)`, exactly as sent.
    /// @param blinding The blinding the source's InteropCenter emitted with it (`BundleBlinded`).
    /// @param proof Proof that the source chain's InteropCenter recorded the blinded commitment.
    function verifyBlindedBundle(bytes calldata encodedBundle, bytes32 blinding, InteropProof calldata proof) public {
        _verifyBundle(encodedBundle, blinding, proof);
    }

    /// @notice Executes a bundle a private chain sent blinded, as `executeBundle` does, with the proof (when it
    /// is Unreceived) of its blinded commitment `H(0x08 ‖ bundleHash ‖ blinding)`.
    /// @param encodedBundle `abi.encode(bundle)`, exactly as sent.
    /// @param blinding The blinding the source's InteropCenter emitted with it.
    /// @param proof Proof that the source chain's InteropCenter recorded the blinded commitment.
    function executeBlindedBundle(bytes calldata encodedBundle, bytes32 blinding, InteropProof calldata proof) external {
        _executeBundle(encodedBundle, blinding, proof, msg.sender);
    }

    /// @notice Checks a proof of inclusion of `bundleHash` sent from `sourceChainId` (section 7) and
    /// returns the root it proves, which equals the imported root. Reverts when the proof fails.
    /// @dev The folding is `InclusionProof.computeRoot` (shared with L1AssetRouter); a hop must go
    /// through the network's Gateway. When `proof.slBlockNumber` is a committed-batch key (section 12,
    /// committed finality), the proof has one level only: the message in the batch whose message root
    /// this chain imported under that key (the source batch is committed, maybe not proven yet).
    /// @param bundleHash keccak256 of the encoded bundle.
    /// @param sourceChainId The bundle's source chain.
    /// @param proof The proof.
    /// @return root The settlement layer's shared root, or the committed batch's message root.
    function verifyProof(bytes32 bundleHash, uint256 sourceChainId, InteropProof calldata proof)
        public
        view
        override
        returns (bytes32 root)
    {
        if (proof.messageSender != interopCenter) revert SenderNotInteropCenter(proof.messageSender);
        return _verifyMessage(bundleHash, sourceChainId, proof);
    }

    /// @notice Checks a proof that chain `executionChainId` recorded `recordHash` as an execution record
    /// (its InteropHandler, the same address as this one, sent it: docs/fees.md) against a root imported here,
    /// as `verifyProof` does for bundles. The InteropCenter calls it when an executor claims a fee.
    /// @param recordHash `keccak256(abi.encode(EXECUTION_RECORD_TAG, bundleHash, executor))`.
    /// @param executionChainId The chain that executed the bundle (its destination).
    /// @param proof The proof; its `messageSender` must be the InteropHandler.
    /// @return root The root proven.
    function verifyExecutionRecord(bytes32 recordHash, uint256 executionChainId, InteropProof calldata proof)
        external
        view
        returns (bytes32 root)
    {
        if (proof.messageSender != address(this)) revert SenderNotInteropHandler(proof.messageSender);
        return _verifyMessage(recordHash, executionChainId, proof);
    }

    /// @dev The proof of the message `(proof.messageSender, payloadHash)` of `sourceChainId` against the roots
    /// imported here (section 7), the sender already checked.
    function _verifyMessage(bytes32 payloadHash, uint256 sourceChainId, InteropProof calldata proof)
        private
        view
        returns (bytes32 root)
    {
        if (CommittedBatchKeys.isCommittedBatchKey(proof.slBlockNumber)) {
            (uint256 chainId, uint256 batchNumber) = CommittedBatchKeys.decode(proof.slBlockNumber);
            if (chainId != sourceChainId || batchNumber != proof.batchNumber || proof.batchCount != 0 || proof.chainCount != 0 || proof.hops.length != 0) {
                revert MalformedCommittedBatchProof(proof.slBlockNumber);
            }
            root = MerkleTree.verify(
                MessageHashing.messageLeaf(proof.messageSender, payloadHash), proof.messageIndex, proof.messageCount, proof.messageSiblings
            );
        } else {
            uint256 hop;
            (root, hop) = InclusionProof.computeRoot(proof.messageSender, payloadHash, sourceChainId, proof, settlementLayerMessageRoot);
            if (hop != 0 && (hop != gatewayChainId || gatewayChainId == 0)) revert UntrustedSettlementLayer(hop);
        }
        bytes32 imported = _roots[proof.slChainId][proof.slBlockNumber];
        if (imported == bytes32(0)) revert RootNotImported(proof.slChainId, proof.slBlockNumber);
        if (root != imported) revert ProofRootMismatch(root, imported);
    }

    /// @dev Delivers call `index` through the InteropCenter, with its value released from the
    /// base-token holder first; a failure of the call reverts with `CallFailed`.
    function _deliver(bytes32 bundleHash, uint256 sourceChainId, uint256 index, InteropCall calldata call)
        internal
        override
    {
        uint256 value = call.value;
        if (value != 0) baseTokenHolder.release(address(this), value);
        bytes memory sender = InteroperableAddress.format(sourceChainId, call.from);
        address to = call.to;
        bytes calldata data = call.data;
        address center = interopCenter;
        bytes4 selector = InteropCenter.deliver.selector;
        bool ok;
        // `InteropCenter(center).deliver{value: value}(to, receiveId, sender, data)` with
        // `receiveId = keccak256(abi.encode(bundleHash, index))` (in the scratch space), the call written word
        // by word in free memory (not kept). The center always has code: no size check is needed.
        assembly ("memory-safe") {
            mstore(0x00, bundleHash)
            mstore(0x20, index)
            let receiveId := keccak256(0x00, 0x40)
            let p := mload(0x40)
            mstore(p, selector)
            mstore(add(p, 0x04), and(to, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(p, 0x24), receiveId)
            mstore(add(p, 0x44), 0x80)
            let senderLength := mload(sender)
            let senderPadded := and(add(senderLength, 31), not(31))
            mstore(add(p, 0x64), add(0xa0, senderPadded))
            mstore(add(p, 0x84), senderLength)
            if senderPadded { mstore(add(add(p, 0x84), senderPadded), 0) }
            mcopy(add(p, 0xa4), add(sender, 0x20), senderLength)
            let d := add(add(p, 0xa4), senderPadded)
            mstore(d, data.length)
            let dataPadded := and(add(data.length, 31), not(31))
            if dataPadded { mstore(add(d, dataPadded), 0) }
            calldatacopy(add(d, 0x20), data.offset, data.length)
            ok := call(gas(), center, value, p, sub(add(add(d, 0x20), dataPadded), p), 0, 0)
        }
        if (!ok) {
            bytes memory reason;
            assembly ("memory-safe") {
                reason := mload(0x40)
                mstore(reason, returndatasize())
                returndatacopy(add(reason, 0x20), 0, returndatasize())
                mstore(0x40, add(add(reason, 0x20), and(add(returndatasize(), 31), not(31))))
            }
            revert CallFailed(index, reason);
        }
    }

    /// @dev Records `abi.encode(EXECUTION_RECORD_TAG, bundleHash, executor)` as an outbound message of this
    /// chain (its hash, with this contract as sender): the executor proves it on the source to claim the fee.
    function _recordExecution(bytes32 bundleHash, address executor) internal override {
        bytes32 tag = bytes32(EXECUTION_RECORD_TAG);
        bytes32 recordHash;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, tag)
            mstore(add(p, 0x20), bundleHash)
            mstore(add(p, 0x40), and(executor, 0xffffffffffffffffffffffffffffffffffffffff))
            recordHash := keccak256(p, 0x60)
        }
        emit MessageRecorded(address(this), recordHash);
    }

    /// @dev The value of a cancelled call goes to the unbundler, here on the destination (section 9.7).
    function _releaseCancelledValue(uint256, InteropCall calldata, address unbundler, uint256 value) internal override {
        baseTokenHolder.release(unbundler, value);
    }
}
