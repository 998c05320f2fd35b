// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IERC7786GatewaySource
/// @notice ERC-7786 cross-chain messaging gateway, source side.
interface IERC7786GatewaySource {
    /// @notice A message was created on this chain.
    event MessageSent(
        bytes32 indexed sendId, bytes sender, bytes recipient, bytes payload, uint256 value, bytes[] attributes
    );

    /// @notice An attribute given to `sendMessage` is not supported by this gateway.
    error UnsupportedAttribute(bytes4 selector);

    /// @notice Whether the gateway supports the attribute with this selector.
    function supportsAttribute(bytes4 selector) external view returns (bool);

    /// @notice Sends `payload` to `recipient` (an ERC-7930 interoperable address).
    /// @return sendId The id of the message, or 0 if the gateway gives none.
    function sendMessage(bytes calldata recipient, bytes calldata payload, bytes[] calldata attributes)
        external
        payable
        returns (bytes32 sendId);
}

/// @title IERC7786Recipient
/// @notice ERC-7786 recipient of cross-chain messages.
interface IERC7786Recipient {
    /// @notice Delivers a message. Must be called by a gateway the recipient trusts.
    /// @param receiveId Gateway-specific id of the delivery.
    /// @param sender ERC-7930 interoperable address of the sender on the source chain.
    /// @param payload The message payload.
    /// @return `IERC7786Recipient.receiveMessage.selector`.
    function receiveMessage(bytes32 receiveId, bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4);
}
