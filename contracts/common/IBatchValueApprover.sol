// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AssetAmount} from "./InteropTypes.sol";

/// @title IBatchValueApprover
/// @notice What a settlement contract asks before it executes a batch on a layer that accounts for the
/// value chains move (a Gateway's GatewayAssetTracker, docs/protocol.md section 9.10).
interface IBatchValueApprover {
    /// @notice Whether batch `batchNumber` of `chainId`, with message root `messageRoot`, may execute (a
    /// batch without messages always may).
    function isApproved(uint256 chainId, uint256 batchNumber, bytes32 messageRoot) external view returns (bool);

    /// @notice A chain moving to this layer is credited these balances (which L1's ledger moved to this
    /// layer's account; a chain holding many assets is credited in several calls, each with a bounded
    /// number of them). Only the layer's registry.
    function creditMigration(uint256 chainId, AssetAmount[] calldata balances) external;

    /// @notice A chain leaves this layer: returns its balances here (for L1's ledger to take over) and
    /// zeroes them, a bounded number of them (the rest go back to L1 in further steps of the approver's).
    /// Only the layer's registry.
    function releaseBalances(uint256 chainId) external returns (AssetAmount[] memory balances);
}

/// @title IValueApproverRegistry
/// @notice The part of a settlement layer's ChainRegistry a settlement contract reads: the layer's
/// approver of batch value, or 0 where there is none (L1).
interface IValueApproverRegistry {
    function valueApprover() external view returns (IBatchValueApprover);
}
