// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../common/BridgeMessages.sol";
import {MessageHashing} from "../common/MessageHashing.sol";

/// @title L2PriorityInbox
/// @notice Where the chain's operator processes the priority requests queued on L1 (deposits,
/// docs/protocol.md section 9), strictly in queue order, keeping the same rolling hash as the L1
/// queue. A batch commits to `processedCount` and `rollingHash`; the settlement contract refuses a
/// batch whose hash is not the L1 queue's, so a chain that skips, reorders or invents a request
/// cannot settle.
/// @dev A request whose call fails still counts as processed (`PriorityRequestFailed`): the queue must
/// move on. Recovering the funds of a failed deposit is a later step of the shared bridge. Every call
/// gets exactly `REQUEST_GAS_LIMIT` gas, and a transaction with too little gas for that reverts
/// (`InsufficientGas`): an operator cannot make a deposit fail by sending too little gas, and gas
/// estimation finds enough.
contract L2PriorityInbox {
    /// @notice Gas given to the call of every request (the same for all requests: protocol section 9).
    uint256 public constant REQUEST_GAS_LIMIT = 3_000_000;
    /// @notice Gas that must be left right before the call, so that the callee gets all of
    /// `REQUEST_GAS_LIMIT` despite the 63/64 rule and the call's own cost.
    uint256 public constant MIN_GAS_LEFT = REQUEST_GAS_LIMIT + REQUEST_GAS_LIMIT / 63 + 50_000;

    /// @notice The only account allowed to process requests.
    address public immutable operator;
    /// @notice Number of requests processed so far (the index of the next one).
    uint256 public processedCount;
    /// @notice Rolling hash after the last processed request (0 before the first).
    bytes32 public rollingHash;

    /// @notice Request `index` was processed; `rollingHash` is the rolling hash after it.
    event PriorityRequestProcessed(uint256 indexed index, bytes32 requestHash, bytes32 rollingHash);
    /// @notice The call of request `index` reverted with `reason`; the request still counts as processed.
    event PriorityRequestFailed(uint256 indexed index, bytes reason);

    /// @notice Only the operator may call this.
    error NotOperator(address caller);
    /// @notice Requests are processed in order: `expected` is the next index.
    error RequestOutOfOrder(uint256 expected, uint256 given);
    /// @notice The transaction does not carry enough gas to give request `index` its full
    /// `REQUEST_GAS_LIMIT`. Nothing is processed; retry with more gas.
    error InsufficientGas(uint256 index, uint256 gasLeft, uint256 needed);

    /// @param operator_ The chain's operator.
    constructor(address operator_) {
        operator = operator_;
    }

    /// @notice Processes priority request `index`: updates the rolling hash, then calls `l2Target`
    /// with `data`. Only the operator, only the next index.
    /// @param index The request's index in the L1 queue; must be `processedCount`.
    /// @param l2Target The contract to call (as queued on L1).
    /// @param data The call data (as queued on L1).
    function processRequest(uint256 index, address l2Target, bytes calldata data) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        uint256 expected = processedCount;
        if (index != expected) revert RequestOutOfOrder(expected, index);
        bytes32 requestHash = BridgeMessages.priorityRequestHash(block.chainid, index, l2Target, data);
        bytes32 rolling = MessageHashing.priorityRollingStep(rollingHash, requestHash);
        rollingHash = rolling;
        processedCount = index + 1;
        emit PriorityRequestProcessed(index, requestHash, rolling);

        // The call gets exactly REQUEST_GAS_LIMIT, whatever the operator sends: whether it fails does not
        // depend on the transaction's gas.
        if (gasleft() < MIN_GAS_LEFT) revert InsufficientGas(index, gasleft(), MIN_GAS_LEFT);
        (bool ok, bytes memory reason) = l2Target.call{gas: REQUEST_GAS_LIMIT}(data);
        if (!ok) emit PriorityRequestFailed(index, reason);
    }
}
