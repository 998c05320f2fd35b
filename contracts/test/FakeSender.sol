// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {L2Messenger} from "../l2/L2Messenger.sol";

/// @title FakeSender (test helper)
/// @notice Records messages directly in the L2Messenger, NOT through the InteropCenter: a bundle
/// "sent" this way must never execute on another chain.
contract FakeSender {
    /// @notice The messenger to record into.
    L2Messenger public immutable messenger;

    /// @param messenger_ The chain's L2Messenger.
    constructor(L2Messenger messenger_) {
        messenger = messenger_;
    }

    /// @notice Records `payloadHash` as a message from this contract.
    /// @return leaf The message leaf.
    function recordMessage(bytes32 payloadHash) external returns (bytes32 leaf) {
        return messenger.recordMessage(payloadHash);
    }

    /// @notice Records `keccak256(encodedBundle)` as a message from this contract.
    /// @return bundleHash The recorded hash.
    function recordBundle(bytes calldata encodedBundle) external returns (bytes32 bundleHash) {
        bundleHash = keccak256(encodedBundle);
        messenger.recordMessage(bundleHash);
    }
}
