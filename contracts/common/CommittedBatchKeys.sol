// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title CommittedBatchKeys
/// @notice Committed finality (docs/protocol.md section 12, opt-in): besides settlement-layer shared
/// roots, keyed by settlement-layer block, a chain's InteropRootStore may hold the message root of a
/// source chain's batch that is only **committed** on their common settlement layer, keyed by
/// `committedBatchKey(sourceChainId, batchNumber)`. The top bit tells the two kinds of key apart (a
/// block number never has it). Such a root is checked when the importing chain's batch executes: the
/// source batch must have been executed by then with that message root, so if it is never proven,
/// the importing chain cannot settle past the import.
library CommittedBatchKeys {
    /// @notice The top bit of a committed-batch key.
    uint256 internal constant FLAG = 1 << 255;

    /// @notice A chain id or batch number too large for a key (chain ids below 2^127, batch numbers below 2^128).
    error CommittedBatchKeyOutOfRange(uint256 chainId, uint256 batchNumber);

    /// @notice The key of batch `batchNumber` of `chainId`: `FLAG | chainId << 128 | batchNumber`.
    function key(uint256 chainId, uint256 batchNumber) internal pure returns (uint256) {
        if (chainId >= 1 << 127 || batchNumber >= 1 << 128) revert CommittedBatchKeyOutOfRange(chainId, batchNumber);
        return FLAG | (chainId << 128) | batchNumber;
    }

    /// @notice Whether `rootKey` is a committed-batch key (else it is a settlement-layer block).
    function isCommittedBatchKey(uint256 rootKey) internal pure returns (bool) {
        return rootKey & FLAG != 0;
    }

    /// @notice The chain and batch of a committed-batch key.
    function decode(uint256 rootKey) internal pure returns (uint256 chainId, uint256 batchNumber) {
        chainId = (rootKey & ~FLAG) >> 128;
        batchNumber = rootKey & type(uint128).max;
    }
}
