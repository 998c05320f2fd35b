// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ImportedRoot} from "../common/InteropTypes.sol";

/// @title InteropRootStore
/// @notice Settlement-layer shared roots imported into this chain by its operator, write-once per
/// (settlement layer chain id, settlement layer block). Proofs of inclusion of bundles end at one of
/// these roots. When this chain's batch settles, the settlement layer checks every root imported in it
/// (the `InteropRootAdded` events, in order) against its own root history.
contract InteropRootStore {
    /// @notice The only account allowed to import roots.
    address public immutable operator;

    mapping(uint256 slChainId => mapping(uint256 slBlockNumber => bytes32 root)) private _roots;

    /// @notice The shared root of settlement layer `slChainId` at its block `slBlockNumber` was imported.
    event InteropRootAdded(uint256 indexed slChainId, uint256 indexed slBlockNumber, bytes32 root);

    /// @notice Only the operator may import roots.
    error NotOperator(address caller);
    /// @notice A zero root is never imported.
    error ZeroRoot(uint256 slChainId, uint256 slBlockNumber);
    /// @notice A root is already imported for this key (roots are write-once).
    error RootAlreadySet(uint256 slChainId, uint256 slBlockNumber, bytes32 existing);

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

    /// @notice Imports several settlement-layer roots, in order, with the rules of `addInteropRoot`.
    /// @param roots The roots to import.
    function addInteropRoots(ImportedRoot[] calldata roots) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        for (uint256 i; i < roots.length; ++i) {
            _add(roots[i].slChainId, roots[i].slBlockNumber, roots[i].root);
        }
    }

    /// @notice The root imported for `(slChainId, slBlockNumber)`, or 0 if none.
    function interopRoot(uint256 slChainId, uint256 slBlockNumber) external view returns (bytes32) {
        return _roots[slChainId][slBlockNumber];
    }

    function _add(uint256 slChainId, uint256 slBlockNumber, bytes32 root) private {
        if (root == bytes32(0)) revert ZeroRoot(slChainId, slBlockNumber);
        bytes32 existing = _roots[slChainId][slBlockNumber];
        if (existing != bytes32(0)) revert RootAlreadySet(slChainId, slBlockNumber, existing);
        _roots[slChainId][slBlockNumber] = root;
        emit InteropRootAdded(slChainId, slBlockNumber, root);
    }
}
