// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChainRegistry} from "../l1/ChainRegistry.sol";
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
    /// Gateway's priority inbox (that is, only as an L1 priority request of the Gateway).
    function forward(uint256 chainId, address l2Target, bytes calldata data) external returns (uint256 index) {
        if (msg.sender != priorityInbox) revert NotPriorityInbox(msg.sender);
        address settlement = registry.settlementOf(chainId);
        if (settlement == address(0)) revert ChainNotOnGateway(chainId);
        (index,) = ChainSettlement(settlement).enqueuePriorityRequest(l2Target, data);
        emit PriorityRequestForwarded(chainId, index);
    }
}
