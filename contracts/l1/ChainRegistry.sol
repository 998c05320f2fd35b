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
    mapping(uint256 chainId => address forwarder) private _priorityForwarders;
    mapping(uint256 chainId => uint256 slChainId) private _viaSettlementLayer;

    /// @notice A chain was registered; `index` is its position in the shared tree.
    event ChainRegistered(uint256 indexed chainId, address settlement, uint256 index);

    /// @notice Registered chain `chainId` (settling here) is also a settlement layer (a Gateway) whose
    /// priority forwarder is `priorityForwarder`.
    event SettlementLayerRegistered(uint256 indexed chainId, address priorityForwarder);
    /// @notice Chain `chainId` settles on settlement layer `slChainId` (a Gateway registered here).
    event ChainRegisteredOnSettlementLayer(uint256 indexed chainId, uint256 indexed slChainId);

    /// @notice `chainId` is not a chain registered here.
    error ChainNotRegistered(uint256 chainId);
    /// @notice `chainId` is not a settlement layer registered here.
    error NotASettlementLayer(uint256 chainId);
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
        if (existing != address(0) || _viaSettlementLayer[chainId] != 0) revert ChainAlreadyRegistered(chainId, existing);

        _settlements[chainId] = settlement;
        uint256 index = _chainIds.length;
        _chainIds.push(chainId);
        emit ChainRegistered(chainId, settlement, index);

        messageRoot.addChain(chainId);
    }

    /// @notice Makes registered chain `chainId` a settlement layer (a Gateway): chains may then be
    /// registered on it. Only the owner.
    /// @param chainId A chain registered here (its own batches settle here).
    /// @param priorityForwarder The Gateway's GatewayPriorityForwarder, through which priority requests
    /// (deposits) reach the chains settling on it.
    function registerSettlementLayer(uint256 chainId, address priorityForwarder) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (_settlements[chainId] == address(0)) revert ChainNotRegistered(chainId);
        if (priorityForwarder == address(0)) revert ZeroAddress();
        _priorityForwarders[chainId] = priorityForwarder;
        emit SettlementLayerRegistered(chainId, priorityForwarder);
    }

    /// @notice Records that `chainId` settles on the Gateway `slChainId`, not here: its batches are
    /// executed there, and its messages reach this layer through the Gateway's batches. It is not added
    /// to this layer's shared tree. Only the owner; each chain id once, and never a chain settling here.
    function registerChainOnSettlementLayer(uint256 chainId, uint256 slChainId) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (chainId == 0) revert ZeroChainId();
        if (_priorityForwarders[slChainId] == address(0)) revert NotASettlementLayer(slChainId);
        address existing = _settlements[chainId];
        if (existing != address(0) || _viaSettlementLayer[chainId] != 0) revert ChainAlreadyRegistered(chainId, existing);
        _viaSettlementLayer[chainId] = slChainId;
        emit ChainRegisteredOnSettlementLayer(chainId, slChainId);
    }

    /// @notice Where `chainId` settles: this chain's id for a chain registered here, a Gateway's chain
    /// id for a chain settling on a Gateway, 0 for an unknown chain.
    function settlementLayerOf(uint256 chainId) external view returns (uint256) {
        if (_settlements[chainId] != address(0)) return block.chainid;
        return _viaSettlementLayer[chainId];
    }

    /// @notice Whether `chainId` is a settlement layer (a Gateway) registered here.
    function isSettlementLayer(uint256 chainId) external view returns (bool) {
        return _priorityForwarders[chainId] != address(0);
    }

    /// @notice The priority forwarder of the Gateway `chainId` (0 if it is not one).
    function priorityForwarderOf(uint256 chainId) external view returns (address) {
        return _priorityForwarders[chainId];
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
