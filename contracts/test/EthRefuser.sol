// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title EthRefuser (test helper)
/// @notice A contract that refuses every plain ETH transfer: an ETH deposit to it fails on the chain
/// and must be claimed back on L1. With `noise > 0` it refuses with that many bytes of revert data
/// (to check that a huge revert cannot stall the chain's priority queue).
contract EthRefuser {
    /// @notice Bytes of revert data to refuse with (0: the `EthRefused` error).
    uint256 public immutable noise;

    /// @notice This contract takes no ETH.
    error EthRefused(address from, uint256 value);

    /// @param noise_ Bytes of revert data to refuse with (0: the `EthRefused` error).
    constructor(uint256 noise_) {
        noise = noise_;
    }

    /// @notice Always reverts: `EthRefused`, or `noise` bytes of data.
    receive() external payable {
        uint256 size = noise;
        if (size == 0) revert EthRefused(msg.sender, msg.value);
        assembly ("memory-safe") {
            revert(0, size)
        }
    }
}
