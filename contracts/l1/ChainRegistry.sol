// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MessageRoot} from "./MessageRoot.sol";

/// @title ChainRegistry
/// @notice The list of ZK chains settling on this settlement layer and, for each, the address of
/// its ChainSettlement contract. Registration order is the order of the chains in the shared tree.
/// @dev Deployment: deploy MessageRoot (its deployer becomes its owner), then this registry with
/// the MessageRoot address, then call `MessageRoot.setRegistry(registry)` once.
contract ChainRegistry {
    /// @notice The account allowed to register chains (the deployer).
    address public immutable owner;
    /// @notice The message-root contract told about every new chain.
    MessageRoot public immutable messageRoot;

    mapping(uint256 chainId => address settlement) private _settlements;
    uint256[] private _chainIds;

    /// @notice A chain was registered; `index` is its position in the shared tree.
    event ChainRegistered(uint256 indexed chainId, address settlement, uint256 index);

    /// @notice Only the owner may call this.
    error NotOwner(address caller);
    /// @notice The chain is already registered (with `settlement`).
    error ChainAlreadyRegistered(uint256 chainId, address settlement);
    /// @notice Chain id 0 is not a chain.
    error ZeroChainId();
    /// @notice The zero address is not a settlement contract or message root.
    error ZeroAddress();

    /// @param messageRoot_ The MessageRoot of this settlement layer.
    constructor(MessageRoot messageRoot_) {
        if (address(messageRoot_) == address(0)) revert ZeroAddress();
        owner = msg.sender;
        messageRoot = messageRoot_;
    }

    /// @notice Registers a chain and its settlement contract; appends it to the shared tree.
    /// @dev Only the owner. Each chain id once.
    /// @param chainId The chain's id.
    /// @param settlement The chain's ChainSettlement contract (the only caller allowed to append its
    /// batch roots to MessageRoot).
    function registerChain(uint256 chainId, address settlement) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (chainId == 0) revert ZeroChainId();
        if (settlement == address(0)) revert ZeroAddress();
        address existing = _settlements[chainId];
        if (existing != address(0)) revert ChainAlreadyRegistered(chainId, existing);

        _settlements[chainId] = settlement;
        uint256 index = _chainIds.length;
        _chainIds.push(chainId);
        emit ChainRegistered(chainId, settlement, index);

        messageRoot.addChain(chainId);
    }

    /// @notice The settlement contract of `chainId` (0 if not registered).
    function settlementOf(uint256 chainId) external view returns (address) {
        return _settlements[chainId];
    }

    /// @notice Number of registered chains.
    function chainCount() external view returns (uint256) {
        return _chainIds.length;
    }

    /// @notice The chain registered at position `index` (reverts with a panic if out of range).
    function chainIdAt(uint256 index) external view returns (uint256) {
        return _chainIds[index];
    }
}
