// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title BenchRecipient (bench only)
/// @notice The same recipient for Junction and Hyperlane, so both deliveries do the same work: check
/// the caller is the gateway (Junction's InteropCenter, or Hyperlane's Mailbox) and emit the hash of
/// the payload (the bench counts deliveries per payload from it: lost or executed twice).
contract BenchRecipient {
    /// @notice The only address that may deliver: Junction's InteropCenter or Hyperlane's Mailbox.
    address public immutable gateway;
    /// @notice For Hyperlane: the ISM the Mailbox must use for this recipient (zero = the Mailbox's default).
    address public immutable interchainSecurityModule;

    /// @notice A payload was delivered.
    event Received(bytes32 indexed payloadHash);

    /// @notice Someone other than the gateway called.
    error UnauthorizedGateway(address caller);

    constructor(address gateway_, address ism_) {
        gateway = gateway_;
        interchainSecurityModule = ism_;
    }

    /// @notice ERC-7786 delivery (Junction).
    function receiveMessage(bytes32, bytes calldata, bytes calldata payload) external payable returns (bytes4) {
        if (msg.sender != gateway) revert UnauthorizedGateway(msg.sender);
        emit Received(keccak256(payload));
        return this.receiveMessage.selector;
    }

    /// @notice Hyperlane delivery (`IMessageRecipient.handle`).
    function handle(uint32, bytes32, bytes calldata body) external payable {
        if (msg.sender != gateway) revert UnauthorizedGateway(msg.sender);
        emit Received(keccak256(body));
    }
}

/// @title NoopPostDispatchHook (bench only)
/// @notice A Hyperlane post-dispatch hook that does nothing and charges nothing: the Mailbox's
/// required hook in the bench, standing for a production ProtocolFee hook with a zero fee (Junction
/// charges no fee either). The default hook is Hyperlane's own MerkleTreeHook.
contract NoopPostDispatchHook {
    /// @notice IPostDispatchHook.HookTypes.UNUSED.
    function hookType() external pure returns (uint8) {
        return 0;
    }

    /// @notice Any metadata is fine.
    function supportsMetadata(bytes calldata) external pure returns (bool) {
        return true;
    }

    /// @notice Does nothing.
    function postDispatch(bytes calldata, bytes calldata) external payable {}

    /// @notice Free.
    function quoteDispatch(bytes calldata, bytes calldata) external pure returns (uint256) {
        return 0;
    }
}
