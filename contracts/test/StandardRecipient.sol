// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786GatewaySource, IERC7786Recipient} from "../common/IERC7786.sol";

/// @title StandardRecipient (test helper)
/// @notice An ERC-7786 recipient written only from the standard: it trusts the one gateway it would
/// send through on its own chain, and knows nothing else of Junction.
contract StandardRecipient is IERC7786Recipient {
    /// @notice The gateway this contract sends through and accepts deliveries from.
    address public immutable gateway;

    /// @notice Number of messages received.
    uint256 public received;
    /// @notice The last `receiveId` received.
    bytes32 public lastReceiveId;
    /// @notice The last sender (ERC-7930) received.
    bytes public lastSender;
    /// @notice The last payload received.
    bytes public lastPayload;
    /// @notice The base token received with messages, in total.
    uint256 public valueReceived;
    /// @notice Whether `receiveMessage` refuses messages.
    bool public fail;

    /// @notice A message was received.
    event Received(bytes32 receiveId, bytes sender, bytes payload);

    /// @notice `receiveMessage` was called by another address than the gateway.
    error UnauthorizedGateway(address caller);
    /// @notice The recipient was told to refuse messages (`setFail(true)`).
    error RecipientRefused();

    /// @param gateway_ The ERC-7786 gateway of this chain.
    constructor(address gateway_) {
        gateway = gateway_;
    }

    /// @notice Makes `receiveMessage` revert with `RecipientRefused` (or not).
    function setFail(bool fail_) external {
        fail = fail_;
    }

    /// @notice Sends `payload` to `recipient` (ERC-7930) through the gateway, without attributes.
    /// @return sendId The gateway's send id.
    function send(bytes calldata recipient, bytes calldata payload) external returns (bytes32 sendId) {
        return IERC7786GatewaySource(gateway).sendMessage(recipient, payload, new bytes[](0));
    }

    /// @notice Receives a message from the gateway and records it.
    /// @return The `receiveMessage` selector.
    function receiveMessage(bytes32 receiveId, bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4)
    {
        if (msg.sender != gateway) revert UnauthorizedGateway(msg.sender);
        if (fail) revert RecipientRefused();
        ++received;
        lastReceiveId = receiveId;
        lastSender = sender;
        lastPayload = payload;
        valueReceived += msg.value;
        emit Received(receiveId, sender, payload);
        return IERC7786Recipient.receiveMessage.selector;
    }
}
