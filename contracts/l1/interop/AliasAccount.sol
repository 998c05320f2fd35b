// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title AliasAccount
/// @notice The L1 account of one address on one ZK chain (docs/protocol.md section 10): deployed by
/// the L1InteropHandler with CREATE2 at an address computed from (chain id, owner) alone, it runs calls
/// only for the handler, that is only calls of bundles the owner sent from its chain, proven on L1.
/// It holds ETH and tokens like any account.
contract AliasAccount {
    /// @notice The L1InteropHandler: the only caller of `execute`.
    address public immutable handler;
    /// @notice The chain of the owner.
    uint256 public immutable ownerChainId;
    /// @notice The owner's address on that chain.
    address public immutable owner;

    /// @notice Only the L1 interop handler may make this account call.
    error NotHandler(address caller);
    /// @notice Only this account itself (that is, a call of one of its owner's bundles) may call this.
    error NotSelf(address caller);

    /// @param ownerChainId_ The owner's chain.
    /// @param owner_ The owner's address there.
    constructor(uint256 ownerChainId_, address owner_) {
        handler = msg.sender;
        ownerChainId = ownerChainId_;
        owner = owner_;
    }

    /// @notice Accepts ETH (bundle values, withdrawals to this account, a lending pool's payouts).
    receive() external payable {}

    /// @notice Calls `target` with `value` and `data` from this account. Only the handler. A revert of
    /// the call is passed on as is.
    /// @return result What the call returned.
    function execute(address target, uint256 value, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != handler) revert NotHandler(msg.sender);
        return _call(target, value, data);
    }

    /// @notice Calls `target` with `value` of this account's own ETH and `data`. Only this account
    /// itself: a bundle call `{to: this account, data: spend(...)}` of the owner. This is how the owner
    /// uses ETH the account already holds (a bundle call's own value comes with the bundle).
    /// @return result What the call returned.
    function spend(address target, uint256 value, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != address(this)) revert NotSelf(msg.sender);
        return _call(target, value, data);
    }

    /// @dev Calls `target`; a revert is passed on as is.
    function _call(address target, uint256 value, bytes calldata data) private returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }
}
