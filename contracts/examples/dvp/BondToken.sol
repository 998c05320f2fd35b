// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../../common/ERC20.sol";

/// @title BondToken (example)
/// @notice A tokenised bond for the delivery-versus-payment demo: an ERC-20 that only accounts on its
/// issuer's allow-list may hold. The issuer mints to allowed holders and keeps the list; a transfer to or
/// from an account not on it is refused (`NotAllowed`). An escrow that settles the bond must be on the list.
contract BondToken is ERC20 {
    /// @notice Who keeps the allow-list and mints.
    address public immutable issuer;
    /// @notice Accounts that may hold the bond.
    mapping(address account => bool) public allowed;

    /// @notice `account` was put on (`isAllowed`) or taken off the allow-list.
    event AllowListChanged(address indexed account, bool isAllowed);

    /// @notice Only the issuer may do this (the caller was `caller`).
    error NotIssuer(address caller);
    /// @notice `account` is not on the allow-list.
    error NotAllowed(address account);

    /// @param name_ Name.
    /// @param symbol_ Symbol.
    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_, 0) {
        issuer = msg.sender;
    }

    /// @notice Puts `account` on the allow-list or takes it off. Issuer only.
    function setAllowed(address account, bool isAllowed) external {
        if (msg.sender != issuer) revert NotIssuer(msg.sender);
        allowed[account] = isAllowed;
        emit AllowListChanged(account, isAllowed);
    }

    /// @notice Mints `amount` to `to` (on the allow-list). Issuer only.
    function mint(address to, uint256 amount) external {
        if (msg.sender != issuer) revert NotIssuer(msg.sender);
        if (!allowed[to]) revert NotAllowed(to);
        _mint(to, amount);
    }

    /// @dev Every transfer (`transfer`, `transferFrom`) goes through here: both accounts must be on the list.
    function _transfer(address from, address to, uint256 amount) internal override {
        _checkAllowed(from, to);
        super._transfer(from, to, amount);
    }

    function _checkAllowed(address from, address to) private view {
        if (!allowed[from]) revert NotAllowed(from);
        if (!allowed[to]) revert NotAllowed(to);
    }
}
