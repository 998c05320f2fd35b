// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../common/ERC20.sol";

/// @title DepositToken
/// @notice A bank's tokenised deposits in one currency: a customer's balance is the bank's debt to the
/// customer. Only the bank's PaymentBank contract (the issuer, which deploys it) mints and burns: it mints
/// when the bank credits a customer (an issue, an incoming payment) and burns when it debits one (an
/// outgoing payment). Customers transfer among themselves like any ERC-20.
contract DepositToken is ERC20 {
    /// @notice The PaymentBank contract that issues this token.
    address public immutable issuer;

    /// @notice Only the issuer mints and burns.
    error NotIssuer(address caller);

    /// @param name_ Token name (e.g. "Bank A EUR deposit").
    /// @param symbol_ Token symbol.
    /// @param decimals_ The currency's decimals (2 for EUR): a unit is the smallest amount a message can carry.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_, decimals_) {
        issuer = msg.sender;
    }

    /// @notice Credits `amount` to `to` (issuer only).
    /// @param to The customer credited.
    /// @param amount Token units.
    function mint(address to, uint256 amount) external {
        if (msg.sender != issuer) revert NotIssuer(msg.sender);
        _mint(to, amount);
    }

    /// @notice Debits `amount` from `from` (issuer only); reverts with `InsufficientBalance` when `from` holds less.
    /// @param from The customer debited.
    /// @param amount Token units.
    function burn(address from, uint256 amount) external {
        if (msg.sender != issuer) revert NotIssuer(msg.sender);
        _burn(from, amount);
    }
}
