// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786Recipient} from "../common/IERC7786.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";

/// @title LoopbackGateway (test helper)
/// @notice Stands in for a chain's InteropCenter in contract tests of ERC-7786 recipients: `sendMessage`
/// only queues the message (`MessageQueued`), and the test, playing the proof layer and the relayer, delivers
/// it later on the destination chain's LoopbackGateway with `deliver` (owner only), in any order it likes.
contract LoopbackGateway {
    /// @notice Who may deliver (the test).
    address public immutable owner;
    /// @notice Messages queued so far (the next send id is this count + 1, as a word).
    uint256 public sent;
    /// @notice Whether a delivery id was delivered already (each once).
    mapping(bytes32 deliveryId => bool) public delivered;

    /// @notice `sender` sent `payload` to `recipient` (ERC-7930).
    event MessageQueued(bytes32 indexed sendId, address indexed sender, bytes recipient, bytes payload);

    /// @notice Only the owner may deliver.
    error NotOwner(address caller);
    /// @notice This delivery happened already.
    error AlreadyDelivered(bytes32 deliveryId);
    /// @notice The recipient did not return the ERC-7786 selector.
    error BadReturn(bytes4 returned);

    constructor() {
        owner = msg.sender;
    }

    /// @notice Queues a message; returns its send id.
    function sendMessage(bytes calldata recipient, bytes calldata payload, bytes[] calldata)
        external
        payable
        returns (bytes32 sendId)
    {
        InteroperableAddress.parse(recipient);
        sendId = bytes32(++sent);
        emit MessageQueued(sendId, msg.sender, recipient, payload);
    }

    /// @notice Delivers `payload` from `sender` (on `sourceChainId`) to `recipient` on this chain, once per
    /// `deliveryId`. Owner only.
    function deliver(bytes32 deliveryId, uint256 sourceChainId, address sender, address recipient, bytes calldata payload)
        external
    {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (delivered[deliveryId]) revert AlreadyDelivered(deliveryId);
        delivered[deliveryId] = true;
        bytes4 ret = IERC7786Recipient(recipient).receiveMessage(
            deliveryId, InteroperableAddress.format(sourceChainId, sender), payload
        );
        if (ret != IERC7786Recipient.receiveMessage.selector) revert BadReturn(ret);
    }
}
