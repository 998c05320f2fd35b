// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AssetAmount, AssetReserve} from "./InteropTypes.sol";

/// @title IChainBalanceLedger
/// @notice The part of L1's asset router L1's ChainRegistry calls when a chain moves between settlement
/// layers (docs/protocol.md section 11): its balances move between L1's ledger accounts.
interface IChainBalanceLedger {
    /// @notice Moves `balances` from ledger account `fromAccount` to `toAccount` (`LedgerAccounts`). Only
    /// the registry.
    function moveChainBalances(uint256 fromAccount, uint256 toAccount, AssetAmount[] calldata balances) external;

    /// @notice For each asset of `reserves`, moves what `fromAccount` holds of it beyond its reserve to
    /// `toAccount` (nothing if it holds no more), the reserve first lowered by what the account paid out
    /// since it was read; returns what moved (assets that moved nothing left out). Only the registry.
    function moveChainBalancesAbove(uint256 fromAccount, uint256 toAccount, AssetReserve[] calldata reserves)
        external
        returns (AssetAmount[] memory moved);
}
