// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../../common/ERC20.sol";

/// @title Stablecoin (example)
/// @notice The dollar token the lending example lends out. Its owner mints the pool's liquidity.
contract Stablecoin is ERC20 {
    /// @notice The only account allowed to mint.
    address public immutable owner;

    /// @notice Only the owner may mint.
    error NotOwner(address caller);

    constructor() ERC20("Junction Dollar", "JUSD", 18) {
        owner = msg.sender;
    }

    /// @notice Mints `amount` to `to`. Only the owner.
    function mint(address to, uint256 amount) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _mint(to, amount);
    }
}
