// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title EthRefuser (test helper)
/// @notice A contract that refuses every plain ETH transfer: an ETH deposit to it fails on the chain
/// and must be claimed back on L1.
contract EthRefuser {
    /// @notice This contract takes no ETH.
    error EthRefused(address from, uint256 value);

    /// @notice Always reverts `EthRefused`.
    receive() external payable {
        revert EthRefused(msg.sender, msg.value);
    }
}
