// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786Recipient} from "./IERC7786.sol";

/// @title InteropCenterRecipient
/// @notice Base of Junction's own ERC-7786 recipients (flows, payments, the swap example): they take
/// messages only from their chain's InteropCenter, which calls them with a proven bundle's call, and
/// carry no native value with a message.
abstract contract InteropCenterRecipient is IERC7786Recipient {
    /// @notice The chain's ERC-7786 gateway (InteropCenter): the only caller of `receiveMessage`, and
    /// where the contract sends its own messages and bundles.
    address public immutable interopCenter;

    /// @notice `receiveMessage` was called by another address than the InteropCenter.
    error UnauthorizedGateway(address caller);
    /// @notice The message carried `value` of the base token; the contract takes none.
    error ValueNotSupported(uint256 value);

    /// @param interopCenter_ The chain's InteropCenter.
    constructor(address interopCenter_) {
        interopCenter = interopCenter_;
    }

    /// @dev The first check of every `receiveMessage`: called by the InteropCenter, without value.
    function _checkDelivery() internal view {
        if (msg.sender != interopCenter) revert UnauthorizedGateway(msg.sender);
        if (msg.value != 0) revert ValueNotSupported(msg.value);
    }
}
