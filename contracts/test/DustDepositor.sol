// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TestToken} from "./TestToken.sol";

/// @notice The part of the L1AssetRouter a depositor calls.
interface IDepositRouter {
    function deposit(uint256 chainId, address token, uint256 amount, address l2Receiver) external returns (uint256);
}

/// @title DustDepositor (test helper)
/// @notice Deploys new TestTokens and deposits a little of each to a chain, many in one transaction: what
/// anyone can do to make a chain hold many assets (a chain's move must not depend on how many it holds).
contract DustDepositor {
    /// @notice A new token `token` was deployed and `amount` of it deposited to `chainId`.
    event DustDeposited(address indexed token, uint256 indexed chainId, uint256 amount, uint256 requestIndex);

    /// @notice Deploys `count` TestTokens and deposits `amount` of each to `chainId` for `receiver`, through
    /// `router` (whose vault is `vault`). Anyone.
    /// @return tokens The tokens, in the order deposited.
    function depositNewTokens(address router, address vault, uint256 chainId, address receiver, uint256 count, uint256 amount)
        external
        returns (address[] memory tokens)
    {
        tokens = new address[](count);
        for (uint256 i; i < count; ++i) {
            TestToken token = new TestToken("Dust", "DUST", 18);
            token.mint(address(this), amount);
            token.approve(vault, amount);
            uint256 requestIndex = IDepositRouter(router).deposit(chainId, address(token), amount, receiver);
            tokens[i] = address(token);
            emit DustDeposited(address(token), chainId, amount, requestIndex);
        }
    }
}
