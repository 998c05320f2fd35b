// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBatchVerifier} from "./IBatchVerifier.sol";

/// @title DevelopmentVerifier (NOT a zero-knowledge proof verifier)
/// @notice A batch verifier for development networks only. It checks NOTHING: it accepts any proof
/// for any batch. It provides no security whatsoever. To make that impossible to miss, it refuses to
/// run (`NotADevelopmentChain`) on any chain id other than the development ones: 1337 and
/// 31337 to 31346 inclusive.
contract DevelopmentVerifier is IBatchVerifier {
    /// @notice `verify` was called on a chain that is not a development chain.
    error NotADevelopmentChain(uint256 chainId);

    /// @notice Whether `chainId` is a development chain id (1337, or 31337 to 31346 inclusive).
    function isDevelopmentChain(uint256 chainId) public pure returns (bool) {
        return chainId == 1337 || (chainId >= 31337 && chainId <= 31346);
    }

    /// @notice Accepts any proof WITHOUT checking it, on development chains only.
    /// @dev This is not a proof verifier. Reverts `NotADevelopmentChain` on any other chain id.
    /// @return Always true.
    function verify(bytes32, bytes calldata) external view returns (bool) {
        if (!isDevelopmentChain(block.chainid)) revert NotADevelopmentChain(block.chainid);
        return true;
    }
}
