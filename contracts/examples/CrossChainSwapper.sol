// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../common/ERC20.sol";
import {IERC7786Recipient} from "../common/IERC7786.sol";
import {InteropCenterRecipient} from "../common/InteropCenterRecipient.sol";
import {BundleExecutor} from "../common/BundleExecutor.sol";
import {InteropCallStarter} from "../common/InteropTypes.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {InteropCenter} from "../l2/InteropCenter.sol";
import {L2AssetRouter} from "../l2/L2AssetRouter.sol";
import {ConstantProductPool} from "./ConstantProductPool.sol";

/// @title CrossChainSwapper (example)
/// @notice The destination half of the one-click cross-chain swap. A user on another chain sends ONE
/// bundle here: call 0 transfers token X to this contract (an indirect call through the L2 asset
/// router), call 1 is `receiveMessage` with `abi.encode(assetIn, amountIn, assetOut, minOut, inputCall)`,
/// `inputCall` = 0. This contract swaps X for Y in its pool and sends Y back to the user's chain with a
/// transfer bundle; if the swap fails (e.g. `SlippageExceeded`) it sends X back instead (automatic
/// refund), so the user's tokens are never stranded here.
///
/// A swap uses exactly what its own bundle delivered, never what this contract holds otherwise: call
/// `inputCall` of the bundle being executed (the InteropHandler's `executingBundle()`) must be the transfer
/// the L2 asset router received last, and it must have minted exactly `amountIn` of `assetIn` to this
/// contract (`L2AssetRouter.lastTransferReceived`); each such transfer is swapped once. So tokens sent here
/// any other way (a plain transfer, a transfer bundle without a swap call, an unbundler's call executed in
/// another transaction than the swap call) stay here: no crafted bundle can swap them out, and nobody
/// can get them back either.
contract CrossChainSwapper is InteropCenterRecipient {
    /// @notice The chain's L2AssetRouter (bridged tokens, transfers).
    address public immutable l2AssetRouter;
    /// @notice The chain's InteropHandler: which bundle is being executed.
    address public immutable interopHandler;
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

    /// @notice This chain has no bridged token for `assetId`.
    error UnknownAsset(bytes32 assetId);
    /// @notice Call `inputCall` of this bundle did not just deliver exactly `amountIn` of `assetIn` to this
    /// contract (it is not the last transfer received, or it minted something else, or to someone else).
    error InputNotReceived(uint256 inputCall, bytes32 assetIn, uint256 amountIn);
    /// @notice Call `inputCall`'s transfer was swapped already by an earlier call of this bundle.
    error InputAlreadySwapped(uint256 inputCall);
    /// @notice No bundle is being executed: the call did not come from the InteropHandler's delivery.
    error NoBundleExecuting();

    /// @dev The `receiveId` of the last input swapped (transient): one transfer is swapped once.
    bytes32 private transient _swappedInput;

    /// @param interopCenter_ The chain's InteropCenter.
    /// @param l2AssetRouter_ The chain's L2AssetRouter.
    /// @param interopHandler_ The chain's InteropHandler.
    /// @param pool_ The pool to swap in.
    constructor(address interopCenter_, address l2AssetRouter_, address interopHandler_, ConstantProductPool pool_)
        InteropCenterRecipient(interopCenter_)
    {
        l2AssetRouter = l2AssetRouter_;
        interopHandler = interopHandler_;
        pool = pool_;
    }

    /// @notice Swaps what call `inputCall` of the same bundle delivered (exactly that: see the contract's
    /// notes) and sends the result (or the input, if the swap fails) back to the sender on its chain.
    /// @param sender ERC-7930 address of the user on the source chain: who receives the result.
    /// @param payload `abi.encode(bytes32 assetIn, uint256 amountIn, bytes32 assetOut, uint256 minOut,
    /// uint256 inputCall)`.
    /// @return `IERC7786Recipient.receiveMessage.selector`.
    function receiveMessage(bytes32, /* receiveId */ bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4)
    {
        _checkDelivery();
        Request memory r;
        (r.userChainId, r.user) = InteroperableAddress.parse(sender);
        uint256 inputCall;
        (r.assetIn, r.amountIn, r.assetOut, r.minOut, inputCall) =
            abi.decode(payload, (bytes32, uint256, bytes32, uint256, uint256));
        _takeInput(inputCall, r.assetIn, r.amountIn);
        r.tokenIn = L2AssetRouter(l2AssetRouter).bridgedToken(r.assetIn);
        if (r.tokenIn == address(0)) revert UnknownAsset(r.assetIn);
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

    /// @dev Checks that call `inputCall` of the bundle being executed is the transfer just received, of
    /// exactly `amountIn` of `assetIn` to this contract, not swapped yet; marks it swapped.
    function _takeInput(uint256 inputCall, bytes32 assetIn, uint256 amountIn) private {
        bytes32 bundleHash = BundleExecutor(interopHandler).executingBundle();
        if (bundleHash == bytes32(0)) revert NoBundleExecuting();
        bytes32 inputId = keccak256(abi.encode(bundleHash, inputCall));
        if (!L2AssetRouter(l2AssetRouter).lastTransferReceived(inputId, assetIn, address(this), amountIn)) {
            revert InputNotReceived(inputCall, assetIn, amountIn);
        }
        if (_swappedInput == inputId) revert InputAlreadySwapped(inputCall);
        _swappedInput = inputId;
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
