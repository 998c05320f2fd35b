// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IIndirectCallInitiator
/// @notice A contract on the source chain through which a call of a bundle is routed when it carries
/// the `indirectCall` attribute (docs/protocol.md section 8), e.g. an asset router that burns tokens
/// here and returns the mint call to make on the destination.
interface IIndirectCallInitiator {
    /// @notice Called by the InteropCenter while it builds a bundle, with the value of the
    /// `indirectCall` attribute.
    /// @param destinationChainId The bundle's destination chain.
    /// @param originalSender The caller of `sendBundle`.
    /// @param data The call starter's `data`.
    /// @return destinationTarget The `to` of the call on the destination chain.
    /// @return destinationData The `data` (ERC-7786 payload) of the call on the destination chain.
    function initiateIndirectCall(uint256 destinationChainId, address originalSender, bytes calldata data)
        external
        payable
        returns (address destinationTarget, bytes memory destinationData);
}
