// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786GatewaySource, IERC7786Recipient} from "../common/IERC7786.sol";
import {InteropCenterRecipient} from "../common/InteropCenterRecipient.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {FlowLeg, FlowRules, FlowTerms} from "./FlowTerms.sol";
import {FlowVault} from "./FlowVault.sol";

/// @title FlowCoordinator
/// @notice Decides atomic flows (docs/flows.md) on its chain, the flows' home chain. Each leg's escrow
/// sends it a proven "locked" message (an interop bundle executed here by the InteropHandler with a proof,
/// delivered through the chain's gateway); when every leg's message has arrived by the deadline, by THIS
/// chain's clock, it decides "released" and sends a "release" message to every leg's escrow. If the deadline
/// passes first, it decides "refunded" (on the late message, or on anyone's `refund`) and sends "refund" to
/// every leg. A flow is decided once: its status goes from Open to Released or to Refunded and never changes
/// again, so no leg is ever told both.
///
/// A leg on the home chain itself is held here (its escrow in the terms is this contract): it is locked with
/// `lock`, recorded at once, and paid out here when the flow is decided; no message is needed for it.
contract FlowCoordinator is FlowVault, InteropCenterRecipient {
    /// @notice A flow's status here. `None`: never seen.
    enum FlowStatus {
        None,
        Open,
        Released,
        Refunded
    }

    /// @notice What the coordinator keeps per flow (one storage slot).
    struct Flow {
        FlowStatus status;
        uint8 legCount;
        uint8 lockedMask; // bit i: leg i's "locked" message arrived
        uint64 deadline;
    }

    /// @notice Flows by id (`keccak256(abi.encode(terms))`).
    mapping(bytes32 flowId => Flow) public flows;

    /// @notice A flow was opened here with `terms` (by `createFlow`, or by its first "locked" message).
    event FlowCreated(bytes32 indexed flowId, uint256 deadline, FlowTerms terms);
    /// @notice Leg `legIndex`'s escrow proved it locked the leg.
    event LegLockRecorded(bytes32 indexed flowId, uint256 legIndex, uint8 lockedMask);
    /// @notice Every leg was locked by the deadline: every leg is told to release.
    event FlowReleased(bytes32 indexed flowId, uint8 lockedMask);
    /// @notice The deadline passed without every leg locked: every leg is told to refund.
    event FlowRefunded(bytes32 indexed flowId, uint8 lockedMask);
    /// @notice The decision for leg `legIndex` was sent to its escrow as message `sendId`.
    event DecisionSent(bytes32 indexed flowId, uint256 legIndex, uint8 kind, bytes32 sendId);
    /// @notice Leg `legIndex`'s "locked" message arrived after the flow was decided (`status`): the refund
    /// message already sent to its escrow gives it back.
    event LockAfterDecision(bytes32 indexed flowId, uint256 legIndex, FlowStatus status);

    /// @notice A message of kind `kind` came here; the coordinator takes only "locked" messages.
    error UnexpectedMessage(uint8 kind);
    /// @notice The flow `flowId` exists already here, with status `status`: a flow id is used once.
    error FlowExists(bytes32 flowId, FlowStatus status);
    /// @notice The deadline `deadline` is not after this chain's time `nowTimestamp`.
    error DeadlineInPast(uint256 deadline, uint256 nowTimestamp);
    /// @notice The flow cannot be refunded before its deadline `deadline` (this chain's time is `nowTimestamp`).
    error DeadlineNotPassed(uint256 deadline, uint256 nowTimestamp);
    /// @notice The flow `flowId` was decided already (`status`).
    error FlowDecided(bytes32 flowId, FlowStatus status);
    /// @notice Leg `legIndex` is on chain `chainId`, not on this (the home) chain: lock it in its escrow there.
    error NotHomeLeg(uint256 legIndex, uint256 chainId);
    /// @notice The "locked" message for leg `legIndex` came from `sender` on `chainId`, not from that leg's escrow.
    error NotLegEscrow(uint256 legIndex, uint256 chainId, address sender);
    /// @notice Leg `legIndex`'s "locked" message was recorded already.
    error LockAlreadyRecorded(bytes32 flowId, uint256 legIndex);
    /// @notice Leg `legIndex` is on the home chain but held by `escrow`, not by this coordinator (a gateway
    /// sends only to other chains, so such an escrow could neither prove its lock here nor be told the decision).
    error HomeLegNotHeldHere(uint256 legIndex, address escrow);
    /// @notice The deadline does not fit in 64 bits.
    error DeadlineTooLarge(uint256 deadline);

    /// @param interopCenter_ The chain's InteropCenter.
    constructor(address interopCenter_) InteropCenterRecipient(interopCenter_) {}

    /// @notice Opens a flow with `terms` and publishes them (`FlowCreated`), so the parties and the relayer
    /// can find it. Optional: a flow is opened by its first "locked" message too. Refused for a flow id
    /// already seen (`FlowExists`), a deadline not in the future, or terms naming another coordinator.
    /// @param terms The agreed terms; `terms.coordinator` must be this contract on this chain.
    /// @return flowId `keccak256(abi.encode(terms))`.
    function createFlow(FlowTerms calldata terms) external returns (bytes32 flowId) {
        FlowTerms memory t = terms;
        _checkTerms(t);
        if (t.deadline <= block.timestamp) revert DeadlineInPast(t.deadline, block.timestamp);
        flowId = FlowRules.flowId(t);
        Flow storage flow = flows[flowId];
        if (flow.status != FlowStatus.None) revert FlowExists(flowId, flow.status);
        _open(flow, flowId, t);
    }

    /// @notice Takes a proven "locked" message from a leg's escrow (ERC-7786, through the chain's gateway
    /// only). Records the lock; then, if every leg is locked and the deadline has not passed, releases the
    /// flow; if the deadline has passed, refunds it. A lock arriving after the decision is only logged.
    /// @param sender ERC-7930 address of the escrow that sent the message (on its chain).
    /// @param payload `abi.encode(uint8(1), FlowTerms terms, uint256 legIndex)`.
    /// @return `IERC7786Recipient.receiveMessage.selector`.
    function receiveMessage(bytes32, /* receiveId */ bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4)
    {
        _checkDelivery();
        (uint8 kind, FlowTerms memory terms, uint256 legIndex) = FlowRules.decode(payload);
        if (kind != FlowRules.LOCKED) revert UnexpectedMessage(kind);
        _checkTerms(terms);
        if (legIndex >= terms.legs.length) revert LegOutOfRange(legIndex, terms.legs.length);
        (uint256 chainId, address from) = InteroperableAddress.parse(sender);
        FlowLeg memory leg = terms.legs[legIndex];
        if (chainId != leg.chainId || from != leg.escrow) revert NotLegEscrow(legIndex, chainId, from);

        bytes32 flowId = FlowRules.flowId(terms);
        Flow storage flow = flows[flowId];
        if (flow.status == FlowStatus.None) _open(flow, flowId, terms);
        if (flow.status != FlowStatus.Open) {
            emit LockAfterDecision(flowId, legIndex, flow.status);
            return IERC7786Recipient.receiveMessage.selector;
        }
        _recordLock(flow, flowId, terms, legIndex);
        return IERC7786Recipient.receiveMessage.selector;
    }

    /// @notice Locks leg `legIndex`, a leg on this (the home) chain held by this coordinator: takes the leg's
    /// amount from the caller (its depositor; approve it first) and records the lock at once, which releases
    /// the flow if it was the last one. Refused after the deadline, once the flow is decided, and for a leg
    /// locked already.
    /// @param terms The agreed terms.
    /// @param legIndex Which leg (its chain must be this chain).
    /// @return flowId The flow's id.
    function lock(FlowTerms calldata terms, uint256 legIndex) external returns (bytes32 flowId) {
        FlowTerms memory t = terms;
        _checkTerms(t);
        if (legIndex >= t.legs.length) revert LegOutOfRange(legIndex, t.legs.length);
        FlowLeg memory leg = t.legs[legIndex];
        if (leg.chainId != block.chainid) revert NotHomeLeg(legIndex, leg.chainId);
        flowId = FlowRules.flowId(t);
        Flow storage flow = flows[flowId];
        if (flow.status == FlowStatus.None) _open(flow, flowId, t);
        if (flow.status != FlowStatus.Open) revert FlowDecided(flowId, flow.status);
        _lockLeg(flowId, legIndex, leg, t.deadline);
        emit LegLocked(flowId, legIndex, msg.sender, leg.token, leg.amount, bytes32(0));
        _recordLock(flow, flowId, t, legIndex);
    }

    /// @notice Refunds the flow with `terms`: anyone may call it once this chain's time is past the
    /// deadline and the flow was not released. Decides "refunded" (final) and sends "refund" to every leg.
    /// Works for a flow never seen here too (it closes its legs, so no lock can follow).
    /// @param terms The flow's terms (its id is their hash).
    /// @return flowId The flow refunded.
    function refund(FlowTerms calldata terms) external returns (bytes32 flowId) {
        FlowTerms memory t = terms;
        _checkTerms(t);
        flowId = FlowRules.flowId(t);
        Flow storage flow = flows[flowId];
        if (flow.status == FlowStatus.None) _open(flow, flowId, t);
        if (flow.status != FlowStatus.Open) revert FlowDecided(flowId, flow.status);
        if (block.timestamp <= t.deadline) revert DeadlineNotPassed(t.deadline, block.timestamp);
        _refund(flow, flowId, t);
    }

    /// @notice A flow's status, the legs whose lock was recorded (bit i = leg i), its leg count and deadline.
    function flowStatus(bytes32 flowId)
        external
        view
        returns (FlowStatus status, uint8 lockedMask, uint8 legCount, uint256 deadline)
    {
        Flow memory flow = flows[flowId];
        return (flow.status, flow.lockedMask, flow.legCount, flow.deadline);
    }

    function _checkTerms(FlowTerms memory terms) private view {
        FlowRules.check(terms);
        if (terms.homeChainId != block.chainid || terms.coordinator != address(this)) {
            revert FlowRules.WrongCoordinator(terms.homeChainId, terms.coordinator);
        }
        if (terms.deadline > type(uint64).max) revert DeadlineTooLarge(terms.deadline);
        for (uint256 i = 0; i < terms.legs.length; ++i) {
            FlowLeg memory leg = terms.legs[i];
            if (leg.chainId == block.chainid && leg.escrow != address(this)) revert HomeLegNotHeldHere(i, leg.escrow);
        }
    }

    function _open(Flow storage flow, bytes32 flowId, FlowTerms memory terms) private {
        flow.status = FlowStatus.Open;
        flow.legCount = uint8(terms.legs.length);
        flow.deadline = uint64(terms.deadline);
        emit FlowCreated(flowId, terms.deadline, terms);
    }

    /// @dev Records leg `legIndex` as locked; then refunds the flow if the deadline has passed, or releases it
    /// if every leg is locked.
    function _recordLock(Flow storage flow, bytes32 flowId, FlowTerms memory terms, uint256 legIndex) private {
        uint8 bit = uint8(1 << legIndex);
        if (flow.lockedMask & bit != 0) revert LockAlreadyRecorded(flowId, legIndex);
        uint8 mask = flow.lockedMask | bit;
        flow.lockedMask = mask;
        emit LegLockRecorded(flowId, legIndex, mask);
        if (block.timestamp > flow.deadline) {
            _refund(flow, flowId, terms);
        } else if (mask == _allLegs(flow.legCount)) {
            _release(flow, flowId, terms);
        }
    }

    function _allLegs(uint8 legCount) private pure returns (uint8) {
        return uint8((uint256(1) << legCount) - 1);
    }

    /// @dev Effects first (status), then one message per leg. A failed send reverts the whole release (the
    /// "locked" message that triggered it can be executed again); after the deadline the flow is refunded.
    function _release(Flow storage flow, bytes32 flowId, FlowTerms memory terms) private {
        flow.status = FlowStatus.Released;
        emit FlowReleased(flowId, flow.lockedMask);
        _carryOut(flowId, terms, FlowRules.RELEASE);
    }

    /// @dev Effects first (status), then one message per leg, each of which must go out (a failed send
    /// reverts the refund, which anyone may try again): a leg not locked yet is closed by it, so a later lock
    /// is refused, and a leg locked but not yet recorded here is given back by it.
    function _refund(Flow storage flow, bytes32 flowId, FlowTerms memory terms) private {
        flow.status = FlowStatus.Refunded;
        emit FlowRefunded(flowId, flow.lockedMask);
        _carryOut(flowId, terms, FlowRules.REFUND);
    }

    /// @dev The decision `kind` (RELEASE or REFUND) to every leg: the leg held here is paid out at once,
    /// every other leg gets a message to its escrow.
    function _carryOut(bytes32 flowId, FlowTerms memory terms, uint8 kind) private {
        for (uint256 i = 0; i < terms.legs.length; ++i) {
            if (terms.legs[i].chainId == block.chainid) {
                if (kind == FlowRules.RELEASE) _releaseLeg(flowId, i, terms.legs[i]);
                else _refundLeg(flowId, i, terms.legs[i]);
            } else {
                bytes32 sendId = _send(terms, i, kind);
                emit DecisionSent(flowId, i, kind, sendId);
            }
        }
    }

    function _send(FlowTerms memory terms, uint256 legIndex, uint8 kind) private returns (bytes32) {
        FlowLeg memory leg = terms.legs[legIndex];
        return IERC7786GatewaySource(interopCenter).sendMessage(
            InteroperableAddress.format(leg.chainId, leg.escrow), FlowRules.encode(kind, terms, legIndex), new bytes[](0)
        );
    }
}
