// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeERC20Calls} from "../common/SafeERC20Calls.sol";
import {FlowLeg} from "./FlowTerms.sol";

/// @title FlowVault
/// @notice What holds legs of atomic flows (docs/flows.md) has in common: each leg's state, taking exactly a
/// leg's amount in, paying a leg out once (release to its recipient, refund to its depositor, or closing a leg
/// never locked), and payouts a token refuses kept for their beneficiary (`claim`). A `FlowEscrow` holds the legs
/// of its chain; the `FlowCoordinator` holds the legs on the home chain itself.
abstract contract FlowVault {
    using SafeERC20Calls for address;

    /// @notice A leg's state here.
    enum LegState {
        None,
        Locked,
        Released,
        Refunded,
        Closed
    }

    /// @notice Each leg's state, by `keccak256(abi.encode(flowId, legIndex))`.
    mapping(bytes32 legKey => LegState) public legStates;
    /// @notice Payouts the token refused, kept for their beneficiary (`claim`).
    mapping(address token => mapping(address beneficiary => uint256 amount)) public held;

    /// @notice `depositor` locked leg `legIndex` of `flowId`; `sendId` is the "locked" message to the
    /// coordinator (0 for a leg the coordinator holds itself).
    event LegLocked(bytes32 indexed flowId, uint256 legIndex, address indexed depositor, address token, uint256 amount, bytes32 sendId);
    /// @notice Leg `legIndex` of `flowId` was paid to its recipient.
    event LegReleased(bytes32 indexed flowId, uint256 legIndex, address indexed recipient, address token, uint256 amount);
    /// @notice Leg `legIndex` of `flowId` was given back to its depositor.
    event LegRefunded(bytes32 indexed flowId, uint256 legIndex, address indexed depositor, address token, uint256 amount);
    /// @notice Leg `legIndex` of `flowId` was refunded before anyone locked it: it can no longer be locked.
    event LegClosed(bytes32 indexed flowId, uint256 legIndex);
    /// @notice The token refused to pay `amount` to `beneficiary` (`reason`); it is kept for `claim`.
    event PayoutHeld(address indexed token, address indexed beneficiary, uint256 amount, bytes reason);
    /// @notice `beneficiary` took `amount` of `token` it was owed.
    event Claimed(address indexed token, address indexed beneficiary, uint256 amount);

    /// @notice Leg index `legIndex` is not below the flow's `legCount`.
    error LegOutOfRange(uint256 legIndex, uint256 legCount);
    /// @notice Only the leg's depositor `depositor` may lock it (the caller was `caller`).
    error WrongParty(address depositor, address caller);
    /// @notice The leg cannot be locked: this chain's time `nowTimestamp` is past the deadline `deadline`.
    error LockAfterDeadline(uint256 deadline, uint256 nowTimestamp);
    /// @notice Leg `legIndex` of `flowId` is `state`, not what the action needs.
    error WrongLegState(bytes32 flowId, uint256 legIndex, LegState state);
    /// @notice The vault received `received` of the token instead of the leg's `amount`.
    error AmountNotReceived(uint256 amount, uint256 received);
    /// @notice Nothing of `token` is held for the caller.
    error NothingHeld(address token);

    /// @notice Pays the caller what the token refused to pay it earlier (`PayoutHeld`).
    /// @param token The token.
    function claim(address token) external {
        uint256 amount = held[token][msg.sender];
        if (amount == 0) revert NothingHeld(token);
        held[token][msg.sender] = 0;
        emit Claimed(token, msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice The state of leg `legIndex` of `flowId` here.
    function legState(bytes32 flowId, uint256 legIndex) external view returns (LegState) {
        return legStates[legKey(flowId, legIndex)];
    }

    /// @notice The key of a leg in `legStates`: `keccak256(abi.encode(flowId, legIndex))`.
    function legKey(bytes32 flowId, uint256 legIndex) public pure returns (bytes32) {
        return keccak256(abi.encode(flowId, legIndex));
    }

    /// @dev The checks every lock makes (the caller is the depositor, the deadline by this chain's clock, the
    /// leg not locked or closed), then the state, then the tokens: exactly `leg.amount` must arrive.
    function _lockLeg(bytes32 flowId, uint256 legIndex, FlowLeg memory leg, uint256 deadline) internal {
        if (msg.sender != leg.depositor) revert WrongParty(leg.depositor, msg.sender);
        if (block.timestamp > deadline) revert LockAfterDeadline(deadline, block.timestamp);
        bytes32 key = legKey(flowId, legIndex);
        LegState state = legStates[key];
        if (state != LegState.None) revert WrongLegState(flowId, legIndex, state);
        legStates[key] = LegState.Locked;
        uint256 before = _balance(leg.token);
        leg.token.safeTransferFrom(msg.sender, address(this), leg.amount);
        uint256 received = _balance(leg.token) - before;
        if (received != leg.amount) revert AmountNotReceived(leg.amount, received);
    }

    /// @dev Pays a locked leg to its recipient.
    function _releaseLeg(bytes32 flowId, uint256 legIndex, FlowLeg memory leg) internal {
        bytes32 key = legKey(flowId, legIndex);
        LegState state = legStates[key];
        if (state != LegState.Locked) revert WrongLegState(flowId, legIndex, state);
        legStates[key] = LegState.Released;
        emit LegReleased(flowId, legIndex, leg.recipient, leg.token, leg.amount);
        _pay(leg.token, leg.recipient, leg.amount);
    }

    /// @dev Gives a locked leg back to its depositor, or closes a leg not locked yet.
    function _refundLeg(bytes32 flowId, uint256 legIndex, FlowLeg memory leg) internal {
        bytes32 key = legKey(flowId, legIndex);
        LegState state = legStates[key];
        if (state == LegState.Locked) {
            legStates[key] = LegState.Refunded;
            emit LegRefunded(flowId, legIndex, leg.depositor, leg.token, leg.amount);
            _pay(leg.token, leg.depositor, leg.amount);
        } else if (state == LegState.None) {
            legStates[key] = LegState.Closed;
            emit LegClosed(flowId, legIndex);
        } else {
            revert WrongLegState(flowId, legIndex, state);
        }
    }

    function _balance(address token) private view returns (uint256) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSignature("balanceOf(address)", address(this)));
        if (!ok || ret.length < 32) revert SafeERC20Calls.TokenTransferFailed(token, ret);
        return abi.decode(ret, (uint256));
    }

    /// @dev Pays `amount` of `token` to `to`; if the token refuses, keeps it for `to` (`held`, `claim`), so
    /// that a decision is never blocked by the token.
    function _pay(address token, address to, uint256 amount) private {
        (bool ok, bytes memory ret) = token.call(abi.encodeWithSignature("transfer(address,uint256)", to, amount));
        if (ok && (ret.length == 0 ? token.code.length != 0 : (ret.length == 32 && abi.decode(ret, (uint256)) == 1))) return;
        held[token][to] += amount;
        emit PayoutHeld(token, to, amount, ret);
    }
}
