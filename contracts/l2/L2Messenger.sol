// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MessageHashing} from "../common/MessageHashing.sol";

/// @title L2Messenger
/// @notice Records outbound messages of this chain. Any contract may record a message; the batch's
/// message tree is built off-chain over the `MessageRecorded` events of the batch, in order, with leaf
/// `MessageHashing.messageLeaf(sender, payloadHash)`: this contract's, and the InteropCenter's, which emits
/// the same event for its own bundles instead of calling here (docs/protocol.md section 2). Nothing is
/// stored.
contract L2Messenger {
    /// @notice `sender` recorded a message whose payload hashes to `payloadHash`.
    event MessageRecorded(address indexed sender, bytes32 indexed payloadHash);

    /// @notice Records an outbound message from `msg.sender`.
    /// @param payloadHash keccak256 of the message payload.
    /// @return leaf The message leaf `messageLeaf(msg.sender, payloadHash)`.
    function recordMessage(bytes32 payloadHash) external returns (bytes32 leaf) {
        emit MessageRecorded(msg.sender, payloadHash);
        return MessageHashing.messageLeaf(msg.sender, payloadHash);
    }
}
