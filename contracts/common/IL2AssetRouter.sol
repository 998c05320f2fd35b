// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IL2AssetRouter
/// @notice The call a deposit makes on the destination chain (the data of its priority request,
/// docs/protocol.md section 9).
interface IL2AssetRouter {
    /// @notice Mints `amount` of the bridged token of `assetId` to `l2Receiver`, deploying the token on
    /// first use. Only the chain's priority inbox.
    /// @param assetId The asset (section 9).
    /// @param originChainId The chain where the token is native.
    /// @param originToken The token on its origin chain.
    /// @param name The origin token's name ("" if it has none).
    /// @param symbol The origin token's symbol ("" if it has none).
    /// @param decimals The origin token's decimals (18 if it has none).
    /// @param l1Sender The depositor on L1.
    /// @param l2Receiver The receiver on this chain.
    /// @param amount The amount deposited.
    function finalizeDeposit(
        bytes32 assetId,
        uint256 originChainId,
        address originToken,
        string calldata name,
        string calldata symbol,
        uint8 decimals,
        address l1Sender,
        address l2Receiver,
        uint256 amount
    ) external;
}
