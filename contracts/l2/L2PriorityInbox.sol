// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../common/BridgeMessages.sol";
import {MessageHashing} from "../common/MessageHashing.sol";
import {L2Messenger} from "./L2Messenger.sol";

/// @title L2PriorityInbox
/// @notice Where the chain's operator processes the priority requests queued on L1 (deposits,
/// docs/protocol.md section 9), strictly in queue order, keeping the same rolling hash as the L1
/// queue. A batch commits to `processedCount` and `rollingHash`; the settlement contract refuses a
/// batch whose hash is not the L1 queue's, so a chain that skips, reorders or invents a request
/// cannot settle.
/// @dev A request whose call fails still counts as processed (`PriorityRequestFailed`): the queue must
/// move on. The inbox then records the failed-deposit message `(index, requestHash)` through the
/// L2Messenger, with which the depositor claims the deposit back on L1
/// (`L1AssetRouter.claimFailedDeposit`, docs/protocol.md section 9.8). Every call
/// gets exactly `REQUEST_GAS_LIMIT` gas, and a transaction with too little gas for that reverts
/// (`InsufficientGas`): an operator cannot make a deposit fail by sending too little gas, and gas
/// estimation finds enough.
contract L2PriorityInbox {
    /// @notice Gas given to the call of every request (the same for all requests: protocol section 9).
    uint256 public constant REQUEST_GAS_LIMIT = 3_000_000;
    /// @notice Gas that must be left right before the call, so that the callee gets all of
    /// `REQUEST_GAS_LIMIT` despite the 63/64 rule and the call's own cost.
    uint256 public constant MIN_GAS_LEFT = REQUEST_GAS_LIMIT + REQUEST_GAS_LIMIT / 63 + 80_000;
    /// @notice At most this many bytes of a failed call's revert data are kept (in `PriorityRequestFailed`),
    /// so that what the inbox spends after the call stays bounded whatever the callee reverts with.
    uint256 public constant MAX_REASON_LENGTH = 256;

    /// @notice The only account allowed to process requests.
    address public immutable operator;
    /// @notice The chain's messenger, which records failed-deposit messages.
    L2Messenger public immutable messenger;
    /// @notice Number of requests processed so far (the index of the next one).
    uint256 public processedCount;
    /// @notice Rolling hash after the last processed request (0 before the first).
    bytes32 public rollingHash;

    /// @notice Request `index` was processed; `rollingHash` is the rolling hash after it.
    event PriorityRequestProcessed(uint256 indexed index, bytes32 requestHash, bytes32 rollingHash);
    /// @notice The call of request `index` reverted with `reason`; the request still counts as processed,
    /// and `message` (the failed-deposit message, section 9.8) was recorded through the L2Messenger.
    event PriorityRequestFailed(uint256 indexed index, bytes32 requestHash, bytes reason, bytes message);

    /// @notice Only the operator may call this.
    error NotOperator(address caller);
    /// @notice Requests are processed in order: `expected` is the next index.
    error RequestOutOfOrder(uint256 expected, uint256 given);
    /// @notice The transaction does not carry enough gas to give request `index` its full
    /// `REQUEST_GAS_LIMIT`. Nothing is processed; retry with more gas.
    error InsufficientGas(uint256 index, uint256 gasLeft, uint256 needed);

    /// @param operator_ The chain's operator.
    /// @param messenger_ The chain's L2Messenger.
    constructor(address operator_, L2Messenger messenger_) {
        operator = operator_;
        messenger = messenger_;
    }

    /// @notice Processes priority request `index`: updates the rolling hash, then calls `l2Target`
    /// with `data`. Only the operator, only the next index. If the call fails, records the
    /// failed-deposit message `(index, requestHash)` (section 9.8).
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
        (bool ok, bytes memory reason) = _call(l2Target, data);
        if (!ok) {
            bytes memory message = BridgeMessages.encodeFailedDeposit(index, requestHash);
            messenger.recordMessage(keccak256(message));
            emit PriorityRequestFailed(index, requestHash, reason, message);
        }
    }

    /// @dev Calls `target` with `data` and exactly `REQUEST_GAS_LIMIT` gas; copies at most
    /// `MAX_REASON_LENGTH` bytes of what it returns.
    function _call(address target, bytes calldata data) private returns (bool ok, bytes memory reason) {
        bytes memory input = data;
        assembly ("memory-safe") {
            ok := call(REQUEST_GAS_LIMIT, target, 0, add(input, 0x20), mload(input), 0, 0)
            let size := returndatasize()
            if gt(size, MAX_REASON_LENGTH) { size := MAX_REASON_LENGTH }
            reason := mload(0x40)
            mstore(reason, size)
            returndatacopy(add(reason, 0x20), 0, size)
            mstore(0x40, add(add(reason, 0x20), and(add(size, 31), not(31))))
        }
    }
}
