// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IIndirectCallInitiator} from "../common/IIndirectCallInitiator.sol";

/// @title TestIndirectInitiator (test helper)
/// @notice An indirect-call initiator that records how it was called and routes every call to one
/// fixed destination target, with `abi.encode(originalSender, data)` as the destination data.
contract TestIndirectInitiator is IIndirectCallInitiator {
    /// @notice The `to` of every destination call this initiator returns.
    address public immutable target;

    /// @notice Number of indirect calls initiated.
    uint256 public calls;
    /// @notice The last caller (the InteropCenter).
    address public lastCaller;
    /// @notice The last destination chain id.
    uint256 public lastDestinationChainId;
    /// @notice The last original sender.
    address public lastOriginalSender;
    /// @notice The last call data.
    bytes public lastData;
    /// @notice The last value received.
    uint256 public lastValue;

    /// @notice An indirect call was initiated.
    event IndirectCallInitiated(uint256 destinationChainId, address originalSender, bytes data, uint256 value);

    /// @param target_ The destination target to return.
    constructor(address target_) {
        target = target_;
    }

    /// @notice Records the call and returns `(target, abi.encode(originalSender, data))`.
    function initiateIndirectCall(uint256 destinationChainId, address originalSender, bytes calldata data)
        external
        payable
        returns (address destinationTarget, bytes memory destinationData)
    {
        ++calls;
        lastCaller = msg.sender;
        lastDestinationChainId = destinationChainId;
        lastOriginalSender = originalSender;
        lastData = data;
        lastValue = msg.value;
        emit IndirectCallInitiated(destinationChainId, originalSender, data, msg.value);
        return (target, abi.encode(originalSender, data));
    }
}
