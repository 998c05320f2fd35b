// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ERC20
/// @notice A minimal ERC-20 (balances, allowances, transfers, events) for Junction's bridged tokens and
/// test tokens. Minting and burning are internal; the derived contract decides who may call them.
/// @dev An allowance of `type(uint256).max` is never decreased. Transfers and mints to the zero
/// address are refused.
abstract contract ERC20 {
    /// @notice Token name.
    string public name;
    /// @notice Token symbol.
    string public symbol;
    /// @notice Number of decimals of the token's display amount.
    uint8 public immutable decimals;
    /// @notice Total amount in circulation.
    uint256 public totalSupply;
    /// @notice Balance of each account.
    mapping(address account => uint256 amount) public balanceOf;
    /// @notice What `spender` may still move from `owner`.
    mapping(address owner => mapping(address spender => uint256 amount)) public allowance;

    /// @notice `amount` moved from `from` to `to` (`from = 0` for a mint, `to = 0` for a burn).
    event Transfer(address indexed from, address indexed to, uint256 amount);
    /// @notice `owner` allowed `spender` to move `amount`.
    event Approval(address indexed owner, address indexed spender, uint256 amount);

    /// @notice `account` holds `balance`, less than `needed`.
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    /// @notice `spender` may move only `allowance`, less than `needed`.
    error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// @notice Tokens cannot be sent to this address (the zero address).
    error InvalidReceiver(address receiver);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
    }

    /// @notice Moves `amount` from the caller to `to`.
    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    /// @notice Allows `spender` to move `amount` of the caller's tokens.
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @notice Moves `amount` from `from` to `to`, using the caller's allowance.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < amount) revert InsufficientAllowance(msg.sender, allowed, amount);
            allowance[from][msg.sender] = allowed - amount;
        }
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) internal virtual {
        if (to == address(0)) revert InvalidReceiver(to);
        uint256 balance = balanceOf[from];
        if (balance < amount) revert InsufficientBalance(from, balance, amount);
        unchecked {
            balanceOf[from] = balance - amount;
        }
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }

    function _mint(address to, uint256 amount) internal {
        if (to == address(0)) revert InvalidReceiver(to);
        totalSupply += amount;
        unchecked {
            balanceOf[to] += amount;
        }
        emit Transfer(address(0), to, amount);
    }

    function _burn(address from, uint256 amount) internal {
        uint256 balance = balanceOf[from];
        if (balance < amount) revert InsufficientBalance(from, balance, amount);
        unchecked {
            balanceOf[from] = balance - amount;
            totalSupply -= amount;
        }
        emit Transfer(from, address(0), amount);
    }
}
