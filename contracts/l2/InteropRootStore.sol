// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GasPrice, ImportedRoot} from "../common/InteropTypes.sol";

/// @title InteropRootStore
/// @notice Settlement-layer shared roots imported into this chain by its operator, write-once per
/// (settlement layer chain id, settlement layer block). Proofs of inclusion of bundles end at one of
/// these roots. When this chain's batch settles, the settlement layer checks every root imported in it
/// (the `InteropRootAdded` events, in order) against its own root history.
/// @dev On a ZK chain this is part of the InteropHandler (which inherits it), so that checking a proof reads
/// the imported root from the handler's own storage instead of calling another contract (a cold call, 2,600
/// gas per execution): the chain's root store address is its InteropHandler's.
contract InteropRootStore {
    /// @notice The only account allowed to import roots.
    address public immutable operator;

    mapping(uint256 slChainId => mapping(uint256 slBlockNumber => bytes32 root)) internal _roots;
    /// @dev Per chain, the gas price last imported: wei per gas (low 128 bits), the settlement-layer block of
    /// the root it came with (next 64 bits), this chain's timestamp of the import (top 64 bits).
    mapping(uint256 chainId => uint256 packed) private _gasPrices;

    /// @notice The shared root of settlement layer `slChainId` at its block `slBlockNumber` was imported.
    event InteropRootAdded(uint256 indexed slChainId, uint256 indexed slBlockNumber, bytes32 root);

    /// @notice Gas prices posted on the settlement layer `slChainId` came with its root of block `slBlockNumber`.
    event GasPricesImported(uint256 indexed slChainId, uint256 indexed slBlockNumber, GasPrice[] prices);

    /// @notice Only the operator may import roots.
    error NotOperator(address caller);
    /// @notice A zero root is never imported.
    error ZeroRoot(uint256 slChainId, uint256 slBlockNumber);
    /// @notice A root is already imported for this key (roots are write-once).
    error RootAlreadySet(uint256 slChainId, uint256 slBlockNumber, bytes32 existing);
    /// @notice An import with gas prices names at least one root (the prices come with the first).
    error NoRoots();

    /// @param operator_ The chain's operator.
    constructor(address operator_) {
        operator = operator_;
    }

    /// @notice Imports one settlement-layer root. Only the operator; the root must be non-zero and
    /// the key not yet set.
    /// @param slChainId Chain id of the settlement layer.
    /// @param slBlockNumber Settlement-layer block at which `root` was recorded.
    /// @param root The shared root.
    function addInteropRoot(uint256 slChainId, uint256 slBlockNumber, bytes32 root) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _add(slChainId, slBlockNumber, root);
    }

    /// @notice Imports one settlement-layer root with the gas prices posted on that settlement layer
    /// (`ChainRegistry.postGasPrices`) at or before its block: the prices reach the chain with the root
    /// (docs/fees.md). Only the operator; the root's rules are `addInteropRoot`'s; each price replaces the
    /// chain's previous one.
    /// @param slChainId Chain id of the settlement layer.
    /// @param slBlockNumber Settlement-layer block at which `root` was recorded.
    /// @param root The shared root.
    /// @param prices Wei per gas of each chain (L1's chain id: settlement gas), as posted.
    function addInteropRootWithGasPrices(uint256 slChainId, uint256 slBlockNumber, bytes32 root, GasPrice[] calldata prices)
        external
    {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _add(slChainId, slBlockNumber, root);
        _setGasPrices(slChainId, slBlockNumber, prices);
    }

    /// @notice The gas price of `chainId` last imported: wei per gas (0 when none was), the settlement-layer
    /// block of the root it came with, and when it was imported here (this chain's timestamp).
    function gasPrice(uint256 chainId) external view returns (uint256 weiPerGas, uint256 slBlockNumber, uint256 importedAt) {
        uint256 packed = _gasPrices[chainId];
        return (uint128(packed), uint64(packed >> 128), packed >> 192);
    }

    /// @notice Imports several settlement-layer roots, in order, with the rules of `addInteropRoot`.
    /// @param roots The roots to import.
    function addInteropRoots(ImportedRoot[] calldata roots) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        for (uint256 i; i < roots.length; ++i) {
            _add(roots[i].slChainId, roots[i].slBlockNumber, roots[i].root);
        }
    }

    /// @notice Imports several settlement-layer roots, in order, with the rules of `addInteropRoot`, and the
    /// gas prices posted on the settlement layer of the first one at or before its block, as
    /// `addInteropRootWithGasPrices` does (block production's import: one transaction for every root due).
    /// @param roots The roots to import; the prices come with `roots[0]` (at least one root).
    /// @param prices Wei per gas of each chain (L1's chain id: settlement gas), as posted.
    function addInteropRootsWithGasPrices(ImportedRoot[] calldata roots, GasPrice[] calldata prices) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        if (roots.length == 0) revert NoRoots();
        for (uint256 i; i < roots.length; ++i) {
            _add(roots[i].slChainId, roots[i].slBlockNumber, roots[i].root);
        }
        _setGasPrices(roots[0].slChainId, roots[0].slBlockNumber, prices);
    }

    /// @notice The root imported for `(slChainId, slBlockNumber)`, or 0 if none.
    function interopRoot(uint256 slChainId, uint256 slBlockNumber) external view returns (bytes32) {
        return _roots[slChainId][slBlockNumber];
    }

    function _setGasPrices(uint256 slChainId, uint256 slBlockNumber, GasPrice[] calldata prices) private {
        uint256 stamp = (uint256(uint64(slBlockNumber)) << 128) | (uint256(uint64(block.timestamp)) << 192);
        for (uint256 i; i < prices.length; ++i) {
            _gasPrices[prices[i].chainId] = uint256(uint128(prices[i].weiPerGas)) | stamp;
        }
        emit GasPricesImported(slChainId, slBlockNumber, prices);
    }

    function _add(uint256 slChainId, uint256 slBlockNumber, bytes32 root) private {
        if (root == bytes32(0)) revert ZeroRoot(slChainId, slBlockNumber);
        bytes32 existing = _roots[slChainId][slBlockNumber];
        if (existing != bytes32(0)) revert RootAlreadySet(slChainId, slBlockNumber, existing);
        _roots[slChainId][slBlockNumber] = root;
        emit InteropRootAdded(slChainId, slBlockNumber, root);
    }
}
