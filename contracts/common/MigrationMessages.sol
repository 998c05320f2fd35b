// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AssetAmount, ChainTreeState, SettlementState} from "./InteropTypes.sol";

/// @title MigrationMessages
/// @notice The message a Gateway's registry records when a chain leaves it for L1 (docs/protocol.md
/// section 11): `abi.encode(MIGRATION_TAG, chainId, release, state, tree, balances)`, where `release`
/// counts the chain's releases by that Gateway (1 for the first), so that two returns never record the
/// same message (a chain that made no batch between two moves has the same state, tree and balances),
/// and `balances` are the chain's balances the Gateway's asset tracker held, which L1's ledger takes
/// over. L1 finalizes the chain's return with it; off chain it is read from the registry's
/// `ChainReleased` event.
library MigrationMessages {
    /// @notice First word of a migration message (left-aligned in its 32 bytes).
    bytes4 internal constant MIGRATION_TAG = bytes4(
        keccak256(
            "migrateChain(uint256,uint256,(uint256,bytes32,uint256,uint256,bytes32),(uint256,bytes32[33]),(bytes32,uint256)[])"
        )
    );
    /// @notice Length of a migration message without balances: tag, chain id, release, 5 words of state,
    /// count and 33 frontier words, the balances' offset and their count; each balance adds two words.
    uint256 internal constant MIGRATION_MESSAGE_MIN_LENGTH = 32 * (3 + 5 + 1 + 33 + 2);
    /// @dev Where the balances' offset word sits (after tag, chain id, release, state and tree), and its
    /// one canonical value: the balances start right after the head.
    uint256 private constant BALANCES_OFFSET_AT = 32 * (3 + 5 + 1 + 33);
    uint256 private constant BALANCES_OFFSET = BALANCES_OFFSET_AT + 32;

    /// @notice The message is not a migration message (its length, tag, or the offset and count of its
    /// balances are not those of `encode`).
    error NotAMigrationMessage();

    /// @notice Encodes the migration message of `chainId`'s `release`-th release.
    function encode(
        uint256 chainId,
        uint256 release,
        SettlementState memory state,
        ChainTreeState memory tree,
        AssetAmount[] memory balances
    ) internal pure returns (bytes memory) {
        return abi.encode(MIGRATION_TAG, chainId, release, state, tree, balances);
    }

    /// @notice Decodes a migration message; reverts `NotAMigrationMessage` for anything else (never the
    /// ABI decoder's bare revert: every word it would refuse is checked first).
    function decode(bytes calldata message)
        internal
        pure
        returns (
            uint256 chainId,
            uint256 release,
            SettlementState memory state,
            ChainTreeState memory tree,
            AssetAmount[] memory balances
        )
    {
        if (
            message.length < MIGRATION_MESSAGE_MIN_LENGTH || (message.length - MIGRATION_MESSAGE_MIN_LENGTH) % 64 != 0
                || bytes32(message[:32]) != bytes32(MIGRATION_TAG)
                || uint256(bytes32(message[BALANCES_OFFSET_AT:BALANCES_OFFSET])) != BALANCES_OFFSET
                || uint256(bytes32(message[BALANCES_OFFSET:BALANCES_OFFSET + 32])) != (message.length - MIGRATION_MESSAGE_MIN_LENGTH) / 64
        ) revert NotAMigrationMessage();
        bytes4 tag;
        (tag, chainId, release, state, tree, balances) =
            abi.decode(message, (bytes4, uint256, uint256, SettlementState, ChainTreeState, AssetAmount[]));
    }
}
