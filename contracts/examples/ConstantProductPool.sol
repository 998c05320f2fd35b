// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeERC20Calls} from "../common/SafeERC20Calls.sol";

/// @title ConstantProductPool (example)
/// @notice A minimal x·y = k pool of two ERC-20 tokens with a 0.3% fee on the input, for the
/// one-click cross-chain swap example. Liquidity is recorded per provider in `liquidity` (shares are
/// not redeemable: the example needs none).
contract ConstantProductPool {
    using SafeERC20Calls for address;

    /// @notice Fee numerator over `FEE_DENOMINATOR` kept from each input (997/1000 = 0.3% fee).
    uint256 public constant FEE_NUMERATOR = 997;
    /// @notice Fee denominator.
    uint256 public constant FEE_DENOMINATOR = 1000;

    /// @notice The first token of the pair.
    address public immutable token0;
    /// @notice The second token of the pair.
    address public immutable token1;
    /// @notice The pool's reserve of `token0`.
    uint256 public reserve0;
    /// @notice The pool's reserve of `token1`.
    uint256 public reserve1;
    /// @notice Amount of `token0` plus `token1` each provider added (bookkeeping only).
    mapping(address provider => uint256 amount) public liquidity;

    /// @notice `provider` added `amount0` of token0 and `amount1` of token1.
    event LiquidityAdded(address indexed provider, uint256 amount0, uint256 amount1);
    /// @notice `sender` swapped `amountIn` of `tokenIn` for `amountOut` of the other token, sent to `to`.
    event Swap(address indexed sender, address indexed tokenIn, uint256 amountIn, uint256 amountOut, address indexed to);

    /// @notice The two tokens must differ and be non-zero.
    error InvalidPair(address token0, address token1);
    /// @notice `token` is not one of the pool's tokens.
    error UnsupportedToken(address token);
    /// @notice Amounts must be positive.
    error ZeroAmount();
    /// @notice The pool has no liquidity on one side.
    error NoLiquidity();
    /// @notice The swap would give `out`, less than the caller's `minOut`.
    error SlippageExceeded(uint256 out, uint256 minOut);

    /// @param token0_ First token.
    /// @param token1_ Second token.
    constructor(address token0_, address token1_) {
        if (token0_ == token1_ || token0_ == address(0) || token1_ == address(0)) revert InvalidPair(token0_, token1_);
        token0 = token0_;
        token1 = token1_;
    }

    /// @notice Adds liquidity: pulls `amount0` of token0 and `amount1` of token1 from the caller
    /// (which must have approved the pool).
    function addLiquidity(uint256 amount0, uint256 amount1) external {
        if (amount0 == 0 || amount1 == 0) revert ZeroAmount();
        token0.safeTransferFrom(msg.sender, address(this), amount0);
        token1.safeTransferFrom(msg.sender, address(this), amount1);
        reserve0 += amount0;
        reserve1 += amount1;
        liquidity[msg.sender] += amount0 + amount1;
        emit LiquidityAdded(msg.sender, amount0, amount1);
    }

    /// @notice What `swap(tokenIn, amountIn, …)` would give now:
    /// `amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997)`.
    function getAmountOut(address tokenIn, uint256 amountIn) public view returns (uint256) {
        (uint256 reserveIn, uint256 reserveOut) = _reserves(tokenIn);
        if (amountIn == 0) revert ZeroAmount();
        if (reserveIn == 0 || reserveOut == 0) revert NoLiquidity();
        uint256 inWithFee = amountIn * FEE_NUMERATOR;
        return (inWithFee * reserveOut) / (reserveIn * FEE_DENOMINATOR + inWithFee);
    }

    /// @notice Swaps `amountIn` of `tokenIn` (pulled from the caller with `transferFrom`) for the other
    /// token, sent to `to`. Reverts `SlippageExceeded(out, minOut)` when the output is below `minOut`.
    /// @return out The amount of the other token sent to `to`.
    function swap(address tokenIn, uint256 amountIn, uint256 minOut, address to) external returns (uint256 out) {
        out = getAmountOut(tokenIn, amountIn);
        if (out == 0 || out < minOut) revert SlippageExceeded(out, minOut);
        address tokenOut = tokenIn == token0 ? token1 : token0;
        tokenIn.safeTransferFrom(msg.sender, address(this), amountIn);
        if (tokenIn == token0) {
            reserve0 += amountIn;
            reserve1 -= out;
        } else {
            reserve1 += amountIn;
            reserve0 -= out;
        }
        tokenOut.safeTransfer(to, out);
        emit Swap(msg.sender, tokenIn, amountIn, out, to);
    }

    function _reserves(address tokenIn) private view returns (uint256 reserveIn, uint256 reserveOut) {
        if (tokenIn == token0) return (reserve0, reserve1);
        if (tokenIn == token1) return (reserve1, reserve0);
        revert UnsupportedToken(tokenIn);
    }
}
