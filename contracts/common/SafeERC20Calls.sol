// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title SafeERC20Calls
/// @notice `transfer` and `transferFrom` on any ERC-20, including tokens that return nothing: a call
/// succeeds when it does not revert and returns either nothing (and the token has code) or `true`.
library SafeERC20Calls {
    /// @notice The token refused or failed the transfer (`reason` is its revert data, if any).
    error TokenTransferFailed(address token, bytes reason);

    /// @notice `token.transfer(to, amount)`, reverting `TokenTransferFailed` on failure.
    function safeTransfer(address token, address to, uint256 amount) internal {
        _call(token, abi.encodeWithSignature("transfer(address,uint256)", to, amount));
    }

    /// @notice `token.transferFrom(from, to, amount)`, reverting `TokenTransferFailed` on failure.
    function safeTransferFrom(address token, address from, address to, uint256 amount) internal {
        _call(token, abi.encodeWithSignature("transferFrom(address,address,uint256)", from, to, amount));
    }

    function _call(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok) revert TokenTransferFailed(token, ret);
        if (ret.length == 0) {
            if (token.code.length == 0) revert TokenTransferFailed(token, ret);
        } else if (ret.length != 32 || abi.decode(ret, (uint256)) != 1) {
            revert TokenTransferFailed(token, ret);
        }
    }
}
