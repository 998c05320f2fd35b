// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IBatchValueApprover
/// @notice What a settlement contract asks before it executes a batch on a layer that accounts for the
/// value chains move (a Gateway's GatewayAssetTracker, docs/protocol.md section 9.10).
interface IBatchValueApprover {
    /// @notice Whether batch `batchNumber` of `chainId`, with message root `messageRoot`, may execute (a
    /// batch without messages always may).
    function isApproved(uint256 chainId, uint256 batchNumber, bytes32 messageRoot) external view returns (bool);
}

/// @title IValueApproverRegistry
/// @notice The part of a settlement layer's ChainRegistry a settlement contract reads: the layer's
/// approver of batch value, or 0 where there is none (L1).
interface IValueApproverRegistry {
    function valueApprover() external view returns (IBatchValueApprover);
}
