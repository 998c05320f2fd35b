// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title BaseTokenHolder
/// @notice Holds the base token (ETH) of this chain that has not come over the bridge yet, at the same
/// address on every chain (docs/protocol.md section 9.7). The chain's genesis allocates its whole ETH
/// supply to this address and funds no account, so every wei outside the holder came over the bridge:
/// native ETH that came over the bridge was released from here, and ETH that leaves the chain (a
/// withdrawal, the value of an interop call) is burned by paying it back in here.
/// The holder counts what came over the bridge (`totalReleased`) and what left it through the bridge
/// (`totalReturned`, paid in by the L2AssetRouter): ETH can leave through the bridge only as far as ETH
/// came in (`returnValue`, `UnbackedValue`), so no batch of an honest chain moves more ETH than the chain
/// holds in its settlement layer's ledger (docs/protocol.md sections 9.7 and 9.10). With that genesis no
/// account holds ETH that did not come over the bridge, so whatever one account bridges out was bridged
/// in and never uses up what another account deposited.
/// @dev Only the L2AssetRouter (deposits) and the InteropHandler (values of interop calls) may release;
/// only the L2AssetRouter returns; anyone may pay in otherwise (`burn`, a donation that is not counted).
contract BaseTokenHolder {
    /// @notice The L2AssetRouter: releases the ETH of deposits.
    address public immutable assetRouter;
    /// @notice The InteropHandler: releases the value of interop calls.
    address public immutable interopHandler;
    /// @notice The balance this holder was created with: the chain's ETH supply, which its genesis allocated to this address.
    uint256 public immutable initialBalance;
    /// @notice ETH released to this chain over the bridge, in total (deposits and interop call values).
    uint256 public totalReleased;
    /// @notice ETH that left this chain over the bridge, in total (withdrawals and interop call values).
    uint256 public totalReturned;

    /// @notice `by` released `amount` to `to`.
    event BaseTokenReleased(address indexed by, address indexed to, uint256 amount);
    /// @notice `from` paid `amount` in (burned it on this chain).
    event BaseTokenBurned(address indexed from, uint256 amount);
    /// @notice The L2AssetRouter paid `amount` in: it leaves this chain over the bridge.
    event BaseTokenReturned(uint256 amount, uint256 totalReturned);

    /// @notice Only the L2AssetRouter and the InteropHandler may release.
    error NotAuthorized(address caller);
    /// @notice The holder has `balance`, less than `amount`.
    error InsufficientHolderBalance(uint256 balance, uint256 amount);
    /// @notice Sending `amount` to `to` failed with `reason` (e.g. a contract that refuses ETH).
    error ReleaseFailed(address to, uint256 amount, bytes reason);
    /// @notice `amount` of ETH cannot leave over the bridge: only `bridged` came over it and has not left
    /// (a chain whose genesis funded accounts outside the holder cannot bridge that ETH out).
    error UnbackedValue(uint256 bridged, uint256 amount);

    /// @param assetRouter_ The L2AssetRouter (same address on every chain).
    /// @param interopHandler_ The InteropHandler (same address on every chain).
    constructor(address assetRouter_, address interopHandler_) payable {
        assetRouter = assetRouter_;
        interopHandler = interopHandler_;
        initialBalance = address(this).balance;
    }

    /// @notice Sends `amount` of ETH to `to`. Only the L2AssetRouter and the InteropHandler. Reverts
    /// `ReleaseFailed` when `to` refuses it, `InsufficientHolderBalance` when the holder has less.
    /// @param to The receiver.
    /// @param amount The amount in wei.
    function release(address to, uint256 amount) external {
        if (msg.sender != assetRouter && msg.sender != interopHandler) revert NotAuthorized(msg.sender);
        if (address(this).balance < amount) revert InsufficientHolderBalance(address(this).balance, amount);
        totalReleased += amount;
        emit BaseTokenReleased(msg.sender, to, amount);
        (bool ok, bytes memory reason) = to.call{value: amount}("");
        if (!ok) revert ReleaseFailed(to, amount, reason);
    }

    /// @notice ETH bridged into this chain and not bridged out again: what the chain holds in its
    /// settlement layer's ledger once everything in flight settled.
    function bridgedBalance() external view returns (uint256) {
        return totalReleased - totalReturned;
    }

    /// @notice Pays `msg.value` in as ETH leaving this chain over the bridge (a withdrawal, the value of an
    /// interop call). Only the L2AssetRouter; `UnbackedValue` beyond what came over the bridge and has
    /// not left.
    function returnValue() external payable {
        if (msg.sender != assetRouter) revert NotAuthorized(msg.sender);
        uint256 bridged = totalReleased - totalReturned;
        if (msg.value > bridged) revert UnbackedValue(bridged, msg.value);
        uint256 returned = totalReturned + msg.value;
        totalReturned = returned;
        emit BaseTokenReturned(msg.value, returned);
    }

    /// @notice Pays `msg.value` in: it leaves this chain's circulation (not counted as bridged out). Anyone.
    function burn() external payable {
        emit BaseTokenBurned(msg.sender, msg.value);
    }

    /// @notice A plain transfer in is a burn too.
    receive() external payable {
        emit BaseTokenBurned(msg.sender, msg.value);
    }
}
