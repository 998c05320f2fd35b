// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IL2AssetRouter
/// @notice The calls other contracts make on the L2AssetRouter: a deposit's call on the destination
/// chain (the data of its priority request, docs/protocol.md section 9), and the InteropCenter's
/// bridging of the value of a bundle's calls (section 9.7).
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

    /// @notice Releases `amount` of ETH from the chain's base-token holder to `l2Receiver` (an ETH
    /// deposit). Only the chain's priority inbox. Reverts when the receiver refuses the ETH, so the
    /// deposit fails and can be claimed back on L1.
    /// @param l1Sender The depositor on L1.
    /// @param l2Receiver The receiver on this chain.
    /// @param amount The amount in wei.
    function finalizeETHDeposit(address l1Sender, address l2Receiver, uint256 amount) external;

    /// @notice Makes the call an L1 account asked for with `L1AssetRouter.requestL2Call` (a forced
    /// transaction, docs/protocol.md section 9.12): calls `l2Target` with `data`, `l1CallSender()` being
    /// `l1Sender` meanwhile. Only the chain's priority inbox. Never reverts on the call's failure (it emits
    /// `L1CallFailed`): a request is not a deposit, and nothing can be claimed back for it.
    /// @param l1Sender The L1 account that asked for the call.
    /// @param l2Target The contract called on this chain.
    /// @param data The calldata.
    function finalizeL1Call(address l1Sender, address l2Target, bytes calldata data) external;

    /// @notice Bridges the value of a bundle's calls: pays `msg.value` into the base-token holder and
    /// records the ETH transfer message to `destinationChainId` (sender `sender`, receiver 0: the
    /// bundle's calls), which moves the ETH balance between the chains in the L1 ledger. Only the
    /// InteropCenter.
    /// @param destinationChainId The bundle's destination chain.
    /// @param sender The caller of `sendBundle` / `sendMessage`.
    function bridgeBundleValue(uint256 destinationChainId, address sender) external payable;

    /// @notice L1's chain id.
    function l1ChainId() external view returns (uint256);
}
