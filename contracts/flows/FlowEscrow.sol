// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786GatewaySource, IERC7786Recipient} from "../common/IERC7786.sol";
import {InteropCenterRecipient} from "../common/InteropCenterRecipient.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {FlowLeg, FlowRules, FlowTerms} from "./FlowTerms.sol";
import {FlowVault} from "./FlowVault.sol";

/// @title FlowEscrow
/// @notice Holds the legs of atomic flows (docs/flows.md) on a chain other than their home chain. A depositor
/// locks its leg under the flow's terms; the escrow takes exactly the leg's amount and sends the flow's
/// coordinator (on the home chain) a "locked" message. It pays a leg out only on a proven message from that
/// coordinator: "release" pays the leg's recipient, "refund" gives it back to its depositor (or, for a leg not
/// locked yet, closes it so it can never be locked). Each leg ends once: Released, Refunded or Closed.
///
/// A payout the token refuses (e.g. a security whose allow-list does not hold the recipient) is not lost:
/// it is kept for its beneficiary, who takes it with `claim` when the token allows it.
contract FlowEscrow is FlowVault, InteropCenterRecipient {

    /// @notice A message of kind `kind` came here; the escrow takes only "release" and "refund".
    error UnexpectedMessage(uint8 kind);
    /// @notice The message came from `sender` on `chainId`, not from the flow's coordinator.
    error NotCoordinator(uint256 chainId, address sender);
    /// @notice Leg `legIndex` (on `chainId`, held by `escrow`) is not a leg of this escrow on this chain.
    error NotThisEscrow(uint256 legIndex, uint256 chainId, address escrow);

    /// @param interopCenter_ The chain's InteropCenter.
    constructor(address interopCenter_) InteropCenterRecipient(interopCenter_) {}

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
        FlowLeg memory leg = _ownLeg(t, legIndex);
        flowId = FlowRules.flowId(t);
        _lockLeg(flowId, legIndex, leg, t.deadline);
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
        _checkDelivery();
        (uint8 kind, FlowTerms memory terms, uint256 legIndex) = FlowRules.decode(payload);
        (uint256 chainId, address from) = InteroperableAddress.parse(sender);
        if (chainId != terms.homeChainId || from != terms.coordinator) revert NotCoordinator(chainId, from);
        FlowLeg memory leg = _ownLeg(terms, legIndex);
        bytes32 flowId = FlowRules.flowId(terms);
        if (kind == FlowRules.RELEASE) _releaseLeg(flowId, legIndex, leg);
        else if (kind == FlowRules.REFUND) _refundLeg(flowId, legIndex, leg);
        else revert UnexpectedMessage(kind);
        return IERC7786Recipient.receiveMessage.selector;
    }

    function _ownLeg(FlowTerms memory terms, uint256 legIndex) private view returns (FlowLeg memory leg) {
        if (legIndex >= terms.legs.length) revert LegOutOfRange(legIndex, terms.legs.length);
        leg = terms.legs[legIndex];
        if (leg.chainId != block.chainid || leg.escrow != address(this)) revert NotThisEscrow(legIndex, leg.chainId, leg.escrow);
    }
}
