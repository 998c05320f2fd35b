// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../common/ERC20.sol";

/// @title TestToken (test helper)
/// @notice An ERC-20 anyone can mint, for tests and development networks.
contract TestToken is ERC20 {
    /// @param name_ Name.
    /// @param symbol_ Symbol.
    /// @param decimals_ Decimals.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_, decimals_) {}

    /// @notice Mints `amount` to `to`. Anyone.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
