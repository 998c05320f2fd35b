// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title BaseTokenHolder
/// @notice Holds the base token (ETH) of this chain that has not come over the bridge yet, at the same
/// address on every chain (docs/protocol.md section 9.7). Native ETH on a chain that came over the
/// bridge was released from here; ETH that leaves the chain (a withdrawal, the value of an interop
/// call) is burned by paying it back in here. The holder is prefunded once: on these development chains by a
/// value transfer from the L2 deployer when it is deployed, on a production chain by the genesis.
/// @dev Only the L2AssetRouter (deposits) and the InteropHandler (values of interop calls) may release;
/// anyone may pay in. Nothing is stored: `initialBalance - balance` is the ETH bridged into this
/// chain, net of what left it.
contract BaseTokenHolder {
    /// @notice The L2AssetRouter: releases the ETH of deposits.
    address public immutable assetRouter;
    /// @notice The InteropHandler: releases the value of interop calls.
    address public immutable interopHandler;
    /// @notice The balance this holder was created with (its prefund).
    uint256 public immutable initialBalance;

    /// @notice `by` released `amount` to `to`.
    event BaseTokenReleased(address indexed by, address indexed to, uint256 amount);
    /// @notice `from` paid `amount` in (burned it on this chain).
    event BaseTokenBurned(address indexed from, uint256 amount);

    /// @notice Only the L2AssetRouter and the InteropHandler may release.
    error NotAuthorized(address caller);
    /// @notice The holder has `balance`, less than `amount`.
    error InsufficientHolderBalance(uint256 balance, uint256 amount);
    /// @notice Sending `amount` to `to` failed with `reason` (e.g. a contract that refuses ETH).
    error ReleaseFailed(address to, uint256 amount, bytes reason);

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
        emit BaseTokenReleased(msg.sender, to, amount);
        (bool ok, bytes memory reason) = to.call{value: amount}("");
        if (!ok) revert ReleaseFailed(to, amount, reason);
    }

    /// @notice Pays `msg.value` in: it leaves this chain's circulation. Anyone.
    function burn() external payable {
        emit BaseTokenBurned(msg.sender, msg.value);
    }

    /// @notice A plain transfer in is a burn too.
    receive() external payable {
        emit BaseTokenBurned(msg.sender, msg.value);
    }
}
