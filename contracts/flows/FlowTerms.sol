// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice One leg of an atomic flow: `amount` of `token`, locked by `depositor` in `escrow` on `chainId`,
/// paid to `recipient` on release and back to `depositor` on refund.
struct FlowLeg {
    uint256 chainId;
    address escrow;
    address token;
    uint256 amount;
    address depositor;
    address recipient;
}

/// @notice The agreed terms of an atomic flow. Its id is `keccak256(abi.encode(terms))`: every party, every
/// escrow and the coordinator derive it from the same bytes, so a leg locked under one id is locked under
/// exactly these assets, amounts, parties, coordinator and deadline.
/// @dev `deadline` is a timestamp of the HOME chain (`homeChainId`), whose coordinator decides.
struct FlowTerms {
    uint256 homeChainId;
    address coordinator;
    uint256 deadline;
    bytes32 salt;
    FlowLeg[] legs;
}

/// @title FlowRules
/// @notice The rules every flow contract checks the same way: the flow id, well-formed terms, and the
/// messages between a coordinator and its escrows (docs/flows.md).
library FlowRules {
    /// @notice Most legs in one flow.
    uint256 internal constant MAX_LEGS = 8;
    /// @notice Message kinds: an escrow tells the coordinator a leg is locked; the coordinator tells an
    /// escrow to release or to refund a leg. Payload: `abi.encode(uint8 kind, FlowTerms terms, uint256 legIndex)`.
    uint8 internal constant LOCKED = 1;
    uint8 internal constant RELEASE = 2;
    uint8 internal constant REFUND = 3;

    /// @notice A flow has `count` legs; it needs 2 to 8.
    error WrongLegCount(uint256 count);
    /// @notice Leg `legIndex` has a zero amount, a zero address or chain id 0.
    error InvalidLeg(uint256 legIndex);
    /// @notice The terms name another coordinator (`coordinator` on `homeChainId`) than the contract checking them.
    error WrongCoordinator(uint256 homeChainId, address coordinator);

    /// @notice The flow id of `terms`: `keccak256(abi.encode(terms))`.
    function flowId(FlowTerms memory terms) internal pure returns (bytes32) {
        return keccak256(abi.encode(terms));
    }

    /// @notice Reverts unless `terms` have 2 to 8 legs, each with a chain, an escrow, a token, a depositor,
    /// a recipient and a non-zero amount, and a coordinator on a chain.
    function check(FlowTerms memory terms) internal pure {
        uint256 count = terms.legs.length;
        if (count < 2 || count > MAX_LEGS) revert WrongLegCount(count);
        if (terms.homeChainId == 0 || terms.coordinator == address(0)) revert WrongCoordinator(terms.homeChainId, terms.coordinator);
        for (uint256 i = 0; i < count; ++i) {
            FlowLeg memory leg = terms.legs[i];
            if (
                leg.chainId == 0 || leg.escrow == address(0) || leg.token == address(0) || leg.amount == 0
                    || leg.depositor == address(0) || leg.recipient == address(0)
            ) revert InvalidLeg(i);
        }
    }

    /// @notice Decodes a flow message.
    function decode(bytes calldata payload) internal pure returns (uint8 kind, FlowTerms memory terms, uint256 legIndex) {
        return abi.decode(payload, (uint8, FlowTerms, uint256));
    }

    /// @notice Encodes a flow message.
    function encode(uint8 kind, FlowTerms memory terms, uint256 legIndex) internal pure returns (bytes memory) {
        return abi.encode(kind, terms, legIndex);
    }
}
