// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title LedgerAccounts
/// @notice The accounts of L1's ledger of chain balances (docs/protocol.md section 9.11). A chain that
/// settles on L1 has an account of its own, numbered by its chain id. The chains of a Gateway share
/// the Gateway's account, which holds what they hold together; the Gateway's asset tracker splits it
/// between them (section 9.10). A Gateway's account is its chain id with the top bit set, so it is
/// never the account of a chain (chain ids are below 2^255; the registries refuse larger ones).
library LedgerAccounts {
    /// @dev The bit that tells a settlement layer's account from a chain's.
    uint256 internal constant SETTLEMENT_LAYER_BIT = 1 << 255;

    /// @notice The account of chain `chainId` while it settles on L1.
    function ofChain(uint256 chainId) internal pure returns (uint256) {
        return chainId;
    }

    /// @notice The account of the Gateway `slChainId`: what the chains settling on it hold together.
    function ofSettlementLayer(uint256 slChainId) internal pure returns (uint256) {
        return SETTLEMENT_LAYER_BIT | slChainId;
    }

    /// @notice Whether `account` is a settlement layer's, and whose (a chain id either way).
    function decode(uint256 account) internal pure returns (bool isSettlementLayer, uint256 chainId) {
        return (account & SETTLEMENT_LAYER_BIT != 0, account & ~SETTLEMENT_LAYER_BIT);
    }
}
