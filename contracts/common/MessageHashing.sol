// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ImportedRoot} from "./InteropTypes.sol";

/// @title MessageHashing
/// @notice The domain-separated hashes of docs/protocol.md section 2. Every preimage starts with a
/// one-byte tag, so a value of one kind can never be read as another.
/// @dev Each function hashes the exact byte layout of the table in section 2; the bytes are written
/// to free memory (past the free memory pointer, which is not advanced) and hashed there.
library MessageHashing {
    /// @notice Tag of a message leaf: `0x00 ‖ addr(sender) ‖ payloadHash` (53 bytes).
    uint8 internal constant MESSAGE_LEAF_TAG = 0x00;
    /// @notice Tag of an inner node: `0x01 ‖ left ‖ right` (65 bytes).
    uint8 internal constant NODE_TAG = 0x01;
    /// @notice Tag of a tree root: `0x02 ‖ u256(leafCount) ‖ top` (65 bytes).
    uint8 internal constant TREE_ROOT_TAG = 0x02;
    /// @notice Tag of a batch leaf: `0x03 ‖ u256(batchNumber) ‖ batchMessageRoot` (65 bytes).
    uint8 internal constant BATCH_LEAF_TAG = 0x03;
    /// @notice Tag of a chain leaf: `0x04 ‖ u256(chainId) ‖ chainTreeRoot` (65 bytes).
    uint8 internal constant CHAIN_LEAF_TAG = 0x04;
    /// @notice Tag of an imported-roots step:
    /// `0x05 ‖ previous ‖ u256(slChainId) ‖ u256(slBlockNumber) ‖ root` (129 bytes).
    uint8 internal constant IMPORTED_ROOT_STEP_TAG = 0x05;
    /// @notice Tag of a priority rolling-hash step: `0x06 ‖ previous ‖ requestHash` (65 bytes).
    uint8 internal constant PRIORITY_STEP_TAG = 0x06;
    /// @notice Tag of a blinded commitment, a private chain's bundle leaf payload
    /// `0x08 ‖ bundleHash ‖ blinding` (65 bytes; section 4.1), and its withdrawal leaf payload
    /// `0x08 ‖ keccak256(message) ‖ blinding` (section 9.13); the leaf's sender tells the two apart.
    uint8 internal constant BLINDED_BUNDLE_TAG = 0x08;
    /// @notice Tag of a private chain's data commitment: `0x09 ‖ transactionsHash ‖ valueSummaryHash`
    /// (65 bytes; section 5.1).
    uint8 internal constant VALIDIUM_DATA_TAG = 0x09;

    /// @notice The leaf recorded by a chain's L2Messenger for a message.
    /// @param sender The contract that recorded the message.
    /// @param payloadHash keccak256 of the message payload.
    /// @return leaf `H(0x00 ‖ addr(sender) ‖ payloadHash)`.
    function messageLeaf(address sender, bytes32 payloadHash) internal pure returns (bytes32 leaf) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore8(p, MESSAGE_LEAF_TAG)
            mstore(add(p, 1), shl(96, sender))
            mstore(add(p, 21), payloadHash)
            leaf := keccak256(p, 53)
        }
    }

    /// @notice An inner node of a tree.
    /// @return h `H(0x01 ‖ left ‖ right)`.
    function node(bytes32 left, bytes32 right) internal pure returns (bytes32 h) {
        h = _hash65(NODE_TAG, left, right);
    }

    /// @notice The root of a tree, which commits to its leaf count.
    /// @param count Number of leaves.
    /// @param top Binary hash of the padded leaf row (the leaf itself for one leaf, 0 for none).
    /// @return h `H(0x02 ‖ u256(count) ‖ top)`.
    function treeRoot(uint256 count, bytes32 top) internal pure returns (bytes32 h) {
        h = _hash65(TREE_ROOT_TAG, bytes32(count), top);
    }

    /// @notice The leaf of batch `batchNumber` in its chain's tree on the settlement layer.
    /// @return h `H(0x03 ‖ u256(batchNumber) ‖ batchMessageRoot)`.
    function batchLeaf(uint256 batchNumber, bytes32 batchMessageRoot) internal pure returns (bytes32 h) {
        h = _hash65(BATCH_LEAF_TAG, bytes32(batchNumber), batchMessageRoot);
    }

    /// @notice The leaf of a chain in the settlement layer's shared tree.
    /// @return h `H(0x04 ‖ u256(chainId) ‖ chainTreeRoot)`.
    function chainLeaf(uint256 chainId, bytes32 chainTreeRoot) internal pure returns (bytes32 h) {
        h = _hash65(CHAIN_LEAF_TAG, bytes32(chainId), chainTreeRoot);
    }

    /// @notice One step of the rolling hash of imported interop roots (section 5).
    /// @return h `H(0x05 ‖ previous ‖ u256(slChainId) ‖ u256(slBlockNumber) ‖ root)`.
    function importedRootStep(bytes32 previous, uint256 slChainId, uint256 slBlockNumber, bytes32 root)
        internal
        pure
        returns (bytes32 h)
    {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore8(p, IMPORTED_ROOT_STEP_TAG)
            mstore(add(p, 1), previous)
            mstore(add(p, 33), slChainId)
            mstore(add(p, 65), slBlockNumber)
            mstore(add(p, 97), root)
            h := keccak256(p, 129)
        }
    }

    /// @notice The rolling hash of a list of imported roots: starts at 0, then one
    /// `importedRootStep` per root, in order.
    function importedRootsHash(ImportedRoot[] calldata roots) internal pure returns (bytes32 h) {
        for (uint256 i; i < roots.length; ++i) {
            h = importedRootStep(h, roots[i].slChainId, roots[i].slBlockNumber, roots[i].root);
        }
    }

    /// @notice One step of the rolling hash of priority requests (section 9): `rolling[0] = 0`,
    /// `rolling[i + 1] = priorityRollingStep(rolling[i], requestHash_i)`.
    /// @return h `H(0x06 ‖ previous ‖ requestHash)`.
    function priorityRollingStep(bytes32 previous, bytes32 requestHash) internal pure returns (bytes32 h) {
        h = _hash65(PRIORITY_STEP_TAG, previous, requestHash);
    }

    /// @notice What a private chain records as the payload hash of a bundle's message leaf (section 4.1):
    /// the bundle hash blinded, so that the leaf confirms no guess of the bundle.
    /// @return h `H(0x08 ‖ bundleHash ‖ blinding)`.
    function blindedBundleCommitment(bytes32 bundleHash, bytes32 blinding) internal pure returns (bytes32 h) {
        h = _hash65(BLINDED_BUNDLE_TAG, bundleHash, blinding);
    }

    /// @notice What a private chain records as the payload hash of a withdrawal's or transfer's message leaf
    /// (section 9.13): the bridge message's hash blinded, as a bundle's is (same tag; the leaf's sender, the
    /// L2AssetRouter, tells it from a bundle's).
    /// @return h `H(0x08 ‖ payloadHash ‖ blinding)`.
    function blindedBridgeMessageCommitment(bytes32 payloadHash, bytes32 blinding) internal pure returns (bytes32 h) {
        h = _hash65(BLINDED_BUNDLE_TAG, payloadHash, blinding);
    }

    /// @notice A private chain's batch data commitment (section 5.1): its transactions and the summary of
    /// the value the batch moves out of the chain.
    /// @return h `H(0x09 ‖ transactionsHash ‖ valueSummaryHash)`.
    function validiumDataHash(bytes32 transactionsHash, bytes32 valueSummaryHash) internal pure returns (bytes32 h) {
        h = _hash65(VALIDIUM_DATA_TAG, transactionsHash, valueSummaryHash);
    }

    /// @dev `H(tag ‖ a ‖ b)`: the 65-byte preimage shared by nodes, roots, batch and chain leaves.
    function _hash65(uint8 tag, bytes32 a, bytes32 b) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore8(p, tag)
            mstore(add(p, 1), a)
            mstore(add(p, 33), b)
            h := keccak256(p, 65)
        }
    }
}
