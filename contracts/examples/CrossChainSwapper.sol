// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../common/ERC20.sol";
import {IERC7786Recipient} from "../common/IERC7786.sol";
import {InteropCallStarter} from "../common/InteropTypes.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {InteropCenter} from "../l2/InteropCenter.sol";
import {L2AssetRouter} from "../l2/L2AssetRouter.sol";
import {ConstantProductPool} from "./ConstantProductPool.sol";

/// @title CrossChainSwapper (example)
/// @notice The destination half of the one-click cross-chain swap. A user on another chain sends ONE
/// bundle here: call 0 transfers token X to this contract (an indirect call through the L2 asset
/// router), call 1 is `receiveMessage` with `abi.encode(assetIn, amountIn, assetOut, minOut)`. This
/// contract swaps X for Y in its pool and sends Y back to the user's chain with a transfer bundle; if
/// the swap fails (e.g. `SlippageExceeded`) it sends X back instead (automatic refund), so the user's
/// tokens are never stranded here.
contract CrossChainSwapper is IERC7786Recipient {
    /// @notice The chain's ERC-7786 gateway (InteropCenter): the only caller of `receiveMessage`, and
    /// where the return bundles are sent.
    address public immutable interopCenter;
    /// @notice The chain's L2AssetRouter (bridged tokens, transfers).
    address public immutable l2AssetRouter;
    /// @notice The pool swaps go through.
    ConstantProductPool public immutable pool;

    /// @notice `user` (on `userChainId`) swapped `amountIn` of `assetIn` for `out` of `assetOut`;
    /// `returnBundle` carries `out` back to the user.
    event Swapped(
        address indexed user,
        uint256 amountIn,
        uint256 out,
        uint256 userChainId,
        bytes32 assetIn,
        bytes32 assetOut,
        bytes32 returnBundle
    );
    /// @notice The swap failed with `reason`; `amountIn` of `assetIn` was sent back to `user` on
    /// `userChainId` by `returnBundle`.
    event Refunded(
        address indexed user, uint256 amountIn, bytes reason, uint256 userChainId, bytes32 assetIn, bytes32 returnBundle
    );

    /// @notice `receiveMessage` was called by another address than the gateway.
    error UnauthorizedGateway(address caller);
    /// @notice This chain has no bridged token for `assetId`.
    error UnknownAsset(bytes32 assetId);
    /// @notice The input was not delivered to this contract before the swap call (`held` < `amountIn`).
    error InputNotReceived(uint256 held, uint256 amountIn);
    /// @notice The contract takes no native value.
    error ValueNotSupported(uint256 value);

    /// @param interopCenter_ The chain's InteropCenter.
    /// @param l2AssetRouter_ The chain's L2AssetRouter.
    /// @param pool_ The pool to swap in.
    constructor(address interopCenter_, address l2AssetRouter_, ConstantProductPool pool_) {
        interopCenter = interopCenter_;
        l2AssetRouter = l2AssetRouter_;
        pool = pool_;
    }

    /// @notice Swaps what call 0 of the same bundle delivered and sends the result (or the input, if
    /// the swap fails) back to the sender on its chain.
    /// @param sender ERC-7930 address of the user on the source chain: who receives the result.
    /// @param payload `abi.encode(bytes32 assetIn, uint256 amountIn, bytes32 assetOut, uint256 minOut)`.
    /// @return `IERC7786Recipient.receiveMessage.selector`.
    function receiveMessage(bytes32, /* receiveId */ bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4)
    {
        if (msg.sender != interopCenter) revert UnauthorizedGateway(msg.sender);
        if (msg.value != 0) revert ValueNotSupported(msg.value);
        Request memory r;
        (r.userChainId, r.user) = InteroperableAddress.parse(sender);
        (r.assetIn, r.amountIn, r.assetOut, r.minOut) = abi.decode(payload, (bytes32, uint256, bytes32, uint256));
        r.tokenIn = L2AssetRouter(l2AssetRouter).bridgedToken(r.assetIn);
        if (r.tokenIn == address(0)) revert UnknownAsset(r.assetIn);
        uint256 held = ERC20(r.tokenIn).balanceOf(address(this));
        if (held < r.amountIn) revert InputNotReceived(held, r.amountIn);
        _swapOrRefund(r);
        return IERC7786Recipient.receiveMessage.selector;
    }

    /// @dev One decoded swap request.
    struct Request {
        uint256 userChainId;
        address user;
        bytes32 assetIn;
        uint256 amountIn;
        bytes32 assetOut;
        uint256 minOut;
        address tokenIn;
    }

    /// @dev Swaps in the pool and sends the output back; on any failure of the swap, refunds the input.
    function _swapOrRefund(Request memory r) private {
        address tokenOut = L2AssetRouter(l2AssetRouter).bridgedToken(r.assetOut);
        address t0 = pool.token0();
        address t1 = pool.token1();
        bool pairOk = tokenOut != address(0) && ((r.tokenIn == t0 && tokenOut == t1) || (r.tokenIn == t1 && tokenOut == t0));
        bytes memory reason;
        if (pairOk) {
            ERC20(r.tokenIn).approve(address(pool), r.amountIn);
            try pool.swap(r.tokenIn, r.amountIn, r.minOut, address(this)) returns (uint256 out) {
                bytes32 bundle = _sendBack(r.userChainId, r.assetOut, out, r.user);
                emit Swapped(r.user, r.amountIn, out, r.userChainId, r.assetIn, r.assetOut, bundle);
                return;
            } catch (bytes memory caught) {
                reason = caught;
                ERC20(r.tokenIn).approve(address(pool), 0);
            }
        } else {
            reason = abi.encodeWithSelector(UnknownAsset.selector, r.assetOut);
        }
        bytes32 refund = _sendBack(r.userChainId, r.assetIn, r.amountIn, r.user);
        emit Refunded(r.user, r.amountIn, reason, r.userChainId, r.assetIn, refund);
    }

    /// @dev Sends `amount` of `assetId` (held here) to `user` on `chainId`: a one-call bundle whose call
    /// is an indirect call through the L2AssetRouter, which burns from this contract (the original
    /// sender) and has the router on `chainId` mint to `user`.
    function _sendBack(uint256 chainId, bytes32 assetId, uint256 amount, address user) private returns (bytes32) {
        InteropCallStarter[] memory calls = new InteropCallStarter[](1);
        bytes[] memory attributes = new bytes[](1);
        attributes[0] = abi.encodeWithSignature("indirectCall(uint256)", 0);
        calls[0] = InteropCallStarter({to: l2AssetRouter, data: abi.encode(assetId, amount, user), callAttributes: attributes});
        return InteropCenter(interopCenter).sendBundle(chainId, calls, new bytes[](0));
    }
}
