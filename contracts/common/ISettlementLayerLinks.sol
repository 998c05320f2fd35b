// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What a Gateway's MessageRoot needs of the Gateway chain's L2Messenger: recording a message.
interface IMessageRecorder {
    function recordMessage(bytes32 payloadHash) external returns (bytes32 leaf);
}

/// @notice What a Gateway's MessageRoot needs of the Gateway chain's InteropRootStore: the L1 roots the
/// Gateway imported (checked on L1 when the Gateway's batches settle there).
interface IInteropRootSource {
    function interopRoot(uint256 slChainId, uint256 slBlockNumber) external view returns (bytes32);
}
