// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IL2AssetRouter} from "../common/IL2AssetRouter.sol";
import {ChainRegistry} from "../l1/ChainRegistry.sol";
import {GatewayAssetTracker} from "./GatewayAssetTracker.sol";
import {ChainSettlement} from "../l1/ChainSettlement.sol";

/// @title GatewayPriorityForwarder
/// @notice On a Gateway: passes priority requests (deposits) from L1 on to the chains settling on the
/// Gateway (docs/protocol.md section 7.3). L1 queues a request for chain C in the Gateway's own L1
/// queue, calling `forward(C, target, data)`; the Gateway's sequencer processes it in order through the
/// Gateway's L2PriorityInbox, and `forward` queues `(target, data)` in C's queue on the Gateway, which C
/// must then process in order. Both queues' rolling hashes are checked where each chain settles.
contract GatewayPriorityForwarder {
    /// @notice The Gateway chain's L2PriorityInbox: the only caller.
    address public immutable priorityInbox;
    /// @notice The Gateway's ChainRegistry (where C's settlement contract is found).
    ChainRegistry public immutable registry;

    /// @notice A request for `chainId` was queued there as its request `index`.
    event PriorityRequestForwarded(uint256 indexed chainId, uint256 index);

    /// @notice Only the Gateway's priority inbox may call this.
    error NotPriorityInbox(address caller);
    /// @notice `chainId` does not settle on this Gateway.
    error ChainNotOnGateway(uint256 chainId);

    /// @param priorityInbox_ The Gateway chain's L2PriorityInbox.
    /// @param registry_ The Gateway's ChainRegistry.
    constructor(address priorityInbox_, ChainRegistry registry_) {
        priorityInbox = priorityInbox_;
        registry = registry_;
    }

    /// @notice Queues `(l2Target, data)` for `chainId` on its settlement contract here. Only the
    /// Gateway's priority inbox (that is, only as an L1 priority request of the Gateway). A deposit (a
    /// `finalizeDeposit` or `finalizeETHDeposit` of the asset router) is credited to the chain in the
    /// Gateway's asset tracker as it is queued, before the chain can mint or release it.
    /// @dev Must never fail: L1 counts the chain's queue by the requests it forwards (docs/protocol.md
    /// section 7.3, which lists every way it could fail and why none can). What a deposit carries is
    /// bounded (a name and symbol of at most 64 bytes each), so its cost is too (about 240,000 gas).
    function forward(uint256 chainId, address l2Target, bytes calldata data) external returns (uint256 index) {
        if (msg.sender != priorityInbox) revert NotPriorityInbox(msg.sender);
        address settlement = registry.settlementOf(chainId);
        if (settlement == address(0)) revert ChainNotOnGateway(chainId);
        bytes32 requestHash;
        (index, requestHash) = ChainSettlement(settlement).enqueuePriorityRequest(l2Target, data);
        emit PriorityRequestForwarded(chainId, index);
        GatewayAssetTracker tracker = _tracker();
        if (address(tracker) == address(0) || l2Target != tracker.l2AssetRouter() || data.length < 4) return index;
        bytes4 selector = bytes4(data[0:4]);
        if (selector == IL2AssetRouter.finalizeDeposit.selector) {
            (bytes32 assetId,,,,,,,, uint256 amount) =
                abi.decode(data[4:], (bytes32, uint256, address, string, string, uint8, address, address, uint256));
            tracker.creditDeposit(chainId, index, requestHash, assetId, amount);
        } else if (selector == IL2AssetRouter.finalizeETHDeposit.selector) {
            (,, uint256 amount) = abi.decode(data[4:], (address, address, uint256));
            tracker.creditDeposit(chainId, index, requestHash, tracker.ethAssetId(), amount);
        }
    }

    /// @notice Credits `chainId` (settling here) with a transfer L1 recorded into the Gateway's account
    /// (`L1AssetRouter.finalizeTransfer` or `finalizeSettlementLayerTransfer`). Only the Gateway's
    /// priority inbox.
    function creditTransfer(uint256 chainId, bytes32 assetId, uint256 amount) external {
        if (msg.sender != priorityInbox) revert NotPriorityInbox(msg.sender);
        GatewayAssetTracker tracker = _tracker();
        if (address(tracker) != address(0)) tracker.creditTransfer(chainId, assetId, amount);
    }

    function _tracker() private view returns (GatewayAssetTracker) {
        return GatewayAssetTracker(address(registry.valueApprover()));
    }
}
