// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChainRegistry} from "../l1/ChainRegistry.sol";
import {MessageRoot} from "../l1/MessageRoot.sol";
import {InclusionProof} from "./InclusionProof.sol";
import {InteropProof} from "./InteropTypes.sol";

/// @title SettlementLayerHistory
/// @notice The check shared by everything on L1 that accepts a message of a ZK chain (withdrawals,
/// transfers in the ledger, bundles sent to L1, a chain's return from a Gateway): the message was
/// recorded by `proof.messageSender` on its source chain in a batch executed on this settlement layer,
/// with a one- or two-level proof (docs/protocol.md section 7) against this layer's own root history.
/// The caller checks who the sender must be.
library SettlementLayerHistory {
    /// @notice The proof is for a settlement layer other than this one.
    error WrongSettlementLayer(uint256 slChainId);
    /// @notice The proof's intermediate settlement layer is not a Gateway registered here.
    error UntrustedSettlementLayer(uint256 chainId);
    /// @notice This settlement layer recorded no shared root at this block.
    error RootNotInHistory(uint256 slBlockNumber);
    /// @notice The proof leads to another root than the one recorded at its block.
    error ProofRootMismatch(bytes32 computed, bytes32 recorded);

    /// @notice Reverts unless `proof` shows `(proof.messageSender, payloadHash)` recorded by
    /// `sourceChainId` and settled here: the root it leads to is the shared root `messageRoot` recorded
    /// at `proof.slBlockNumber`, and a hop goes through a Gateway `registry` knows.
    function checkMessage(
        MessageRoot messageRoot,
        ChainRegistry registry,
        uint256 sourceChainId,
        bytes32 payloadHash,
        InteropProof calldata proof
    ) internal view {
        if (proof.slChainId != block.chainid) revert WrongSettlementLayer(proof.slChainId);
        (bytes32 computed, uint256 hop) =
            InclusionProof.computeRoot(proof.messageSender, payloadHash, sourceChainId, proof, address(messageRoot));
        if (hop != 0 && !registry.isSettlementLayer(hop)) revert UntrustedSettlementLayer(hop);
        bytes32 recorded = messageRoot.historicalRoot(proof.slBlockNumber);
        if (recorded == bytes32(0)) revert RootNotInHistory(proof.slBlockNumber);
        if (computed != recorded) revert ProofRootMismatch(computed, recorded);
    }
}
