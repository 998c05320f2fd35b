// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AssetAmount, ChainTreeState, SettlementState} from "./InteropTypes.sol";

/// @title MigrationMessages
/// @notice The message a Gateway's registry records when a chain leaves it for L1 (docs/protocol.md
/// section 11): `abi.encode(MIGRATION_TAG, chainId, state, tree, balances)`, where `balances` are the
/// chain's balances the Gateway's asset tracker held, which L1's ledger takes over. L1 finalizes the
/// chain's return with it; off chain it is read from the registry's `ChainReleased` event.
library MigrationMessages {
    /// @notice First word of a migration message (left-aligned in its 32 bytes).
    bytes4 internal constant MIGRATION_TAG = bytes4(
        keccak256(
            "migrateChain(uint256,(uint256,bytes32,uint256,uint256,bytes32),(uint256,bytes32[33]),(bytes32,uint256)[])"
        )
    );
    /// @notice Length of a migration message without balances: tag, chain id, 5 words of state, count and
    /// 33 frontier words, the balances' offset and their count; each balance adds two words.
    uint256 internal constant MIGRATION_MESSAGE_MIN_LENGTH = 32 * (2 + 5 + 1 + 33 + 2);

    /// @notice The message is not a migration message (length or tag).
    error NotAMigrationMessage();

    /// @notice Encodes the migration message of `chainId`.
    function encode(uint256 chainId, SettlementState memory state, ChainTreeState memory tree, AssetAmount[] memory balances)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encode(MIGRATION_TAG, chainId, state, tree, balances);
    }

    /// @notice Decodes a migration message; reverts `NotAMigrationMessage` for anything else.
    function decode(bytes calldata message)
        internal
        pure
        returns (uint256 chainId, SettlementState memory state, ChainTreeState memory tree, AssetAmount[] memory balances)
    {
        if (
            message.length < MIGRATION_MESSAGE_MIN_LENGTH || (message.length - MIGRATION_MESSAGE_MIN_LENGTH) % 64 != 0
                || bytes4(message[:4]) != MIGRATION_TAG
        ) revert NotAMigrationMessage();
        bytes4 tag;
        (tag, chainId, state, tree, balances) =
            abi.decode(message, (bytes4, uint256, SettlementState, ChainTreeState, AssetAmount[]));
    }
}
