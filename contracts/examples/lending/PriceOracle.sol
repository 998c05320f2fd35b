// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title PriceOracle (example)
/// @notice The price of 1 ETH in the lending pool's stablecoin, with 18 decimals, set by its owner. A
/// real deployment would read a price feed; the lending example needs a price it can move in tests.
contract PriceOracle {
    /// @notice The only account allowed to set the price.
    address public immutable owner;
    /// @notice Stablecoin units (18 decimals) per 1 ETH.
    uint256 public ethPrice;

    /// @notice The price became `price`.
    event PriceSet(uint256 price);

    /// @notice Only the owner may set the price.
    error NotOwner(address caller);
    /// @notice A price of 0 is refused.
    error ZeroPrice();

    /// @param ethPrice_ The first price.
    constructor(uint256 ethPrice_) {
        if (ethPrice_ == 0) revert ZeroPrice();
        owner = msg.sender;
        ethPrice = ethPrice_;
        emit PriceSet(ethPrice_);
    }

    /// @notice Sets the price. Only the owner.
    function setEthPrice(uint256 price) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (price == 0) revert ZeroPrice();
        ethPrice = price;
        emit PriceSet(price);
    }
}
