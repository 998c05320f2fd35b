// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChainTreeState, SettlementState} from "./InteropTypes.sol";

/// @title MigrationMessages
/// @notice The message a Gateway's registry records when a chain leaves it for L1 (docs/protocol.md
/// section 11): `abi.encode(MIGRATION_TAG, chainId, state, tree)`. L1 finalizes the chain's return with
/// it; the TypeScript mirror is `encodeMigrationMessage` in src/protocol/migration.ts.
library MigrationMessages {
    /// @notice First word of a migration message (left-aligned in its 32 bytes).
    bytes4 internal constant MIGRATION_TAG = bytes4(keccak256("migrateChain(uint256,(uint256,bytes32,uint256,uint256,bytes32),(uint256,bytes32[33]))"));
    /// @notice Length of a migration message: tag, chain id, 5 words of state, count and 33 frontier words.
    uint256 internal constant MIGRATION_MESSAGE_LENGTH = 32 * (2 + 5 + 1 + 33);

    /// @notice The message is not a migration message (length or tag).
    error NotAMigrationMessage();

    /// @notice Encodes the migration message of `chainId`.
    function encode(uint256 chainId, SettlementState memory state, ChainTreeState memory tree)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encode(MIGRATION_TAG, chainId, state, tree);
    }

    /// @notice Decodes a migration message; reverts `NotAMigrationMessage` for anything else.
    function decode(bytes calldata message)
        internal
        pure
        returns (uint256 chainId, SettlementState memory state, ChainTreeState memory tree)
    {
        if (message.length != MIGRATION_MESSAGE_LENGTH || bytes4(message[:4]) != MIGRATION_TAG) revert NotAMigrationMessage();
        bytes4 tag;
        (tag, chainId, state, tree) = abi.decode(message, (bytes4, uint256, SettlementState, ChainTreeState));
    }
}
