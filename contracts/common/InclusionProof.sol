// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {InteropProof, SettlementLayerHop} from "./InteropTypes.sol";
import {MerkleTree} from "./MerkleTree.sol";
import {MessageHashing} from "./MessageHashing.sol";

/// @title InclusionProof
/// @notice Folds a proof of inclusion of an outbound message (docs/protocol.md section 7) up to a
/// settlement layer's shared root: message leaf → batch message root → the source chain's tree of
/// batches → the shared tree of chains. With one hop (section 7.2) the shared root reached is a
/// Gateway's, and it is folded once more: the Gateway's MessageRoot recorded it as a message of the
/// Gateway chain, which is proven the same way up to L1's shared root. Every level is bounds-checked
/// by `MerkleTree.verify`.
/// @dev The caller compares the returned root with the root it trusts (an imported root on a chain,
/// the settlement layer's root history on L1), checks `proof.messageSender` itself, and, when
/// `hopChainId` is not 0, that this chain is a settlement layer it trusts.
library InclusionProof {
    /// @notice A proof may have at most one intermediate settlement layer.
    error TooManyHops(uint256 hops);

    /// @notice The root proven by `proof` for the message `(sender, payloadHash)` sent by
    /// `sourceChainId`. Reverts (`EmptyLeaf`, `LeafIndexOutOfRange`, `WrongProofLength`,
    /// `TooManyLeaves`, `TooManyHops`) when a level of the proof is malformed.
    /// @dev Batch `batchNumber` is leaf `batchNumber - 1` of its chain's tree; batch number 0 (the
    /// genesis batch has no messages) gives index `2^256 - 1`, refused as `LeafIndexOutOfRange`.
    /// @param sender The contract that recorded the message on the source chain.
    /// @param payloadHash keccak256 of the message payload.
    /// @param sourceChainId The chain that sent the message.
    /// @param proof The proof.
    /// @param settlementLayerMessageRoot The MessageRoot address of every settlement layer (the sender of
    /// the hop's message on the Gateway chain).
    /// @return root The shared root the proof leads to (L1's when there is a hop).
    /// @return hopChainId The intermediate settlement layer (0 when there is no hop).
    function computeRoot(
        address sender,
        bytes32 payloadHash,
        uint256 sourceChainId,
        InteropProof calldata proof,
        address settlementLayerMessageRoot
    ) internal pure returns (bytes32 root, uint256 hopChainId) {
        bytes32 chainTreeRoot = _chainTreeRoot(
            MessageHashing.messageLeaf(sender, payloadHash),
            proof.batchNumber,
            proof.messageIndex,
            proof.messageCount,
            proof.messageSiblings,
            proof.batchCount,
            proof.batchSiblings
        );
        root = MerkleTree.verify(
            MessageHashing.chainLeaf(sourceChainId, chainTreeRoot), proof.chainIndex, proof.chainCount, proof.chainSiblings
        );
        uint256 hops = proof.hops.length;
        if (hops == 0) return (root, 0);
        if (hops > 1) revert TooManyHops(hops);
        SettlementLayerHop calldata hop = proof.hops[0];
        hopChainId = hop.settlementLayerChainId;
        chainTreeRoot = _chainTreeRoot(
            MessageHashing.messageLeaf(settlementLayerMessageRoot, root),
            hop.batchNumber,
            hop.messageIndex,
            hop.messageCount,
            hop.messageSiblings,
            hop.batchCount,
            hop.batchSiblings
        );
        root = MerkleTree.verify(
            MessageHashing.chainLeaf(hopChainId, chainTreeRoot), hop.chainIndex, hop.chainCount, hop.chainSiblings
        );
    }

    /// @dev The lower part of one level: leaf → batch root → the chain's tree root.
    function _chainTreeRoot(
        bytes32 leaf,
        uint256 batchNumber,
        uint256 messageIndex,
        uint256 messageCount,
        bytes32[] calldata messageSiblings,
        uint256 batchCount,
        bytes32[] calldata batchSiblings
    ) private pure returns (bytes32) {
        bytes32 batchRoot = MerkleTree.verify(leaf, messageIndex, messageCount, messageSiblings);
        uint256 batchIndex;
        unchecked {
            batchIndex = batchNumber - 1;
        }
        return MerkleTree.verify(MessageHashing.batchLeaf(batchNumber, batchRoot), batchIndex, batchCount, batchSiblings);
    }
}
