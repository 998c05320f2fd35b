// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {InteropProof} from "./InteropTypes.sol";
import {MerkleTree} from "./MerkleTree.sol";
import {MessageHashing} from "./MessageHashing.sol";

/// @title InclusionProof
/// @notice Folds a proof of inclusion of an outbound message (docs/protocol.md section 7) up to the
/// settlement layer's shared root: message leaf → batch message root → the source chain's tree of
/// batches → the shared tree of chains. Every level is bounds-checked by `MerkleTree.verify`.
/// @dev The caller compares the returned root with the root it trusts (an imported root on a chain,
/// the settlement layer's root history on L1) and checks `proof.messageSender` itself.
library InclusionProof {
    /// @notice The shared root proven by `proof` for the message `(sender, payloadHash)` sent by
    /// `sourceChainId`. Reverts (`EmptyLeaf`, `LeafIndexOutOfRange`, `WrongProofLength`,
    /// `TooManyLeaves`) when a level of the proof is malformed.
    /// @dev Batch `proof.batchNumber` is leaf `batchNumber - 1` of its chain's tree; batch number 0
    /// (the genesis batch has no messages) gives index `2^256 - 1`, refused as `LeafIndexOutOfRange`.
    /// @param sender The contract that recorded the message on the source chain.
    /// @param payloadHash keccak256 of the message payload.
    /// @param sourceChainId The chain that sent the message.
    /// @param proof The proof.
    /// @return sharedRoot The settlement layer's shared root the proof leads to.
    function computeSharedRoot(address sender, bytes32 payloadHash, uint256 sourceChainId, InteropProof calldata proof)
        internal
        pure
        returns (bytes32 sharedRoot)
    {
        bytes32 leaf = MessageHashing.messageLeaf(sender, payloadHash);
        bytes32 batchRoot = MerkleTree.verify(leaf, proof.messageIndex, proof.messageCount, proof.messageSiblings);
        uint256 batchIndex;
        unchecked {
            batchIndex = proof.batchNumber - 1;
        }
        bytes32 chainTreeRoot = MerkleTree.verify(
            MessageHashing.batchLeaf(proof.batchNumber, batchRoot), batchIndex, proof.batchCount, proof.batchSiblings
        );
        sharedRoot = MerkleTree.verify(
            MessageHashing.chainLeaf(sourceChainId, chainTreeRoot), proof.chainIndex, proof.chainCount, proof.chainSiblings
        );
    }
}
