// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786GatewaySource, IERC7786Recipient} from "../common/IERC7786.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {SafeERC20Calls} from "../common/SafeERC20Calls.sol";
import {FlowLeg, FlowRules, FlowTerms} from "./FlowTerms.sol";

/// @title FlowEscrow
/// @notice Holds the legs of atomic flows (docs/flows.md) on its chain. A depositor locks its leg under the
/// flow's terms; the escrow takes exactly the leg's amount and sends the flow's coordinator (on the home chain)
/// a "locked" message. It pays a leg out only on a proven message from that coordinator: "release" pays the
/// leg's recipient, "refund" gives it back to its depositor (or, for a leg not locked yet, closes it so it
/// can never be locked). Each leg ends once: Released, Refunded or Closed.
///
/// A payout the token refuses (e.g. a security whose allow-list does not hold the recipient) is not lost:
/// it is kept for its beneficiary, who takes it with `claim` when the token allows it.
contract FlowEscrow is IERC7786Recipient {
    using SafeERC20Calls for address;

    /// @notice A leg's state here.
    enum LegState {
        None,
        Locked,
        Released,
        Refunded,
        Closed
    }

    /// @notice The chain's ERC-7786 gateway (InteropCenter): the only caller of `receiveMessage`, and
    /// where "locked" messages are sent.
    address public immutable interopCenter;

    /// @notice Each leg's state, by `keccak256(abi.encode(flowId, legIndex))`.
    mapping(bytes32 legKey => LegState) public legStates;
    /// @notice Payouts the token refused, kept for their beneficiary (`claim`).
    mapping(address token => mapping(address beneficiary => uint256 amount)) public held;

    /// @notice `depositor` locked leg `legIndex` of `flowId`; `sendId` is the "locked" message to the coordinator.
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

    /// @notice `receiveMessage` was called by another address than the gateway.
    error UnauthorizedGateway(address caller);
    /// @notice A message of kind `kind` came here; the escrow takes only "release" and "refund".
    error UnexpectedMessage(uint8 kind);
    /// @notice The message came from `sender` on `chainId`, not from the flow's coordinator.
    error NotCoordinator(uint256 chainId, address sender);
    /// @notice Leg `legIndex` is not a leg of this escrow on this chain.
    error NotThisEscrow(uint256 legIndex, uint256 chainId, address escrow);
    /// @notice Leg index `legIndex` is not below the flow's `legCount`.
    error LegOutOfRange(uint256 legIndex, uint256 legCount);
    /// @notice Only the leg's depositor `depositor` may lock it (the caller was `caller`).
    error WrongParty(address depositor, address caller);
    /// @notice The leg cannot be locked: this chain's time `nowTimestamp` is past the deadline `deadline`.
    error LockAfterDeadline(uint256 deadline, uint256 nowTimestamp);
    /// @notice Leg `legIndex` of `flowId` is `state`, not what the action needs.
    error WrongLegState(bytes32 flowId, uint256 legIndex, LegState state);
    /// @notice The escrow received `received` of the token instead of the leg's `amount`.
    error AmountNotReceived(uint256 amount, uint256 received);
    /// @notice Nothing of `token` is held for the caller.
    error NothingHeld(address token);

    /// @param interopCenter_ The chain's InteropCenter.
    constructor(address interopCenter_) {
        interopCenter = interopCenter_;
    }

    /// @notice Locks leg `legIndex` of the flow with `terms`: takes the leg's amount of its token from the
    /// caller (its depositor; approve it first) and sends the coordinator a "locked" message. Refused after
    /// the deadline by this chain's clock, for a leg of another escrow or chain, and for a leg not `None`
    /// (locked already, or closed by a refund).
    /// @param terms The agreed terms.
    /// @param legIndex Which leg.
    /// @return flowId The flow's id.
    /// @return sendId The "locked" message's id (its bundle hash).
    function lock(FlowTerms calldata terms, uint256 legIndex) external returns (bytes32 flowId, bytes32 sendId) {
        FlowTerms memory t = terms;
        FlowRules.check(t);
        if (legIndex >= t.legs.length) revert LegOutOfRange(legIndex, t.legs.length);
        FlowLeg memory leg = t.legs[legIndex];
        if (leg.chainId != block.chainid || leg.escrow != address(this)) {
            revert NotThisEscrow(legIndex, leg.chainId, leg.escrow);
        }
        if (msg.sender != leg.depositor) revert WrongParty(leg.depositor, msg.sender);
        if (block.timestamp > t.deadline) revert LockAfterDeadline(t.deadline, block.timestamp);
        flowId = FlowRules.flowId(t);
        bytes32 key = legKey(flowId, legIndex);
        LegState state = legStates[key];
        if (state != LegState.None) revert WrongLegState(flowId, legIndex, state);
        legStates[key] = LegState.Locked;

        uint256 before = _balance(leg.token);
        leg.token.safeTransferFrom(msg.sender, address(this), leg.amount);
        uint256 received = _balance(leg.token) - before;
        if (received != leg.amount) revert AmountNotReceived(leg.amount, received);
        sendId = IERC7786GatewaySource(interopCenter).sendMessage(
            InteroperableAddress.format(t.homeChainId, t.coordinator), FlowRules.encode(FlowRules.LOCKED, t, legIndex), new bytes[](0)
        );
        emit LegLocked(flowId, legIndex, msg.sender, leg.token, leg.amount, sendId);
    }

    /// @notice Takes a proven "release" or "refund" message from the flow's coordinator (ERC-7786, through
    /// the chain's gateway only) and pays the leg out: release to its recipient (the leg must be locked),
    /// refund to its depositor (a leg not locked yet is closed instead).
    /// @param sender ERC-7930 address of the coordinator on the home chain.
    /// @param payload `abi.encode(uint8 kind, FlowTerms terms, uint256 legIndex)`, kind 2 (release) or 3 (refund).
    /// @return `IERC7786Recipient.receiveMessage.selector`.
    function receiveMessage(bytes32, /* receiveId */ bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4)
    {
        if (msg.sender != interopCenter) revert UnauthorizedGateway(msg.sender);
        (uint8 kind, FlowTerms memory terms, uint256 legIndex) = FlowRules.decode(payload);
        (uint256 chainId, address from) = InteroperableAddress.parse(sender);
        if (chainId != terms.homeChainId || from != terms.coordinator) revert NotCoordinator(chainId, from);
        if (legIndex >= terms.legs.length) revert LegOutOfRange(legIndex, terms.legs.length);
        FlowLeg memory leg = terms.legs[legIndex];
        if (leg.chainId != block.chainid || leg.escrow != address(this)) {
            revert NotThisEscrow(legIndex, leg.chainId, leg.escrow);
        }
        bytes32 flowId = FlowRules.flowId(terms);
        bytes32 key = legKey(flowId, legIndex);
        LegState state = legStates[key];
        if (kind == FlowRules.RELEASE) {
            if (state != LegState.Locked) revert WrongLegState(flowId, legIndex, state);
            legStates[key] = LegState.Released;
            emit LegReleased(flowId, legIndex, leg.recipient, leg.token, leg.amount);
            _pay(leg.token, leg.recipient, leg.amount);
        } else if (kind == FlowRules.REFUND) {
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
        } else {
            revert UnexpectedMessage(kind);
        }
        return IERC7786Recipient.receiveMessage.selector;
    }

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

    function _balance(address token) private view returns (uint256) {
        return abi.decode(_staticcall(token, abi.encodeWithSignature("balanceOf(address)", address(this))), (uint256));
    }

    function _staticcall(address token, bytes memory data) private view returns (bytes memory) {
        (bool ok, bytes memory ret) = token.staticcall(data);
        if (!ok || ret.length < 32) revert SafeERC20Calls.TokenTransferFailed(token, ret);
        return ret;
    }

    /// @dev Pays `amount` of `token` to `to`; if the token refuses, keeps it for `to` (`held`, `claim`) so
    /// that a decision is never blocked by the token.
    function _pay(address token, address to, uint256 amount) private {
        (bool ok, bytes memory ret) = token.call(abi.encodeWithSignature("transfer(address,uint256)", to, amount));
        if (ok && (ret.length == 0 ? token.code.length != 0 : (ret.length == 32 && abi.decode(ret, (uint256)) == 1))) return;
        held[token][to] += amount;
        emit PayoutHeld(token, to, amount, ret);
    }
}
