// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IInteropRootSource, IMessageRecorder} from "../common/ISettlementLayerLinks.sol";
import {ChainTreeState} from "../common/InteropTypes.sol";
import {CommittedBatchKeys} from "../common/CommittedBatchKeys.sol";
import {MerkleTree} from "../common/MerkleTree.sol";
import {MessageHashing} from "../common/MessageHashing.sol";
import {ChainRegistry} from "./ChainRegistry.sol";

/// @title MessageRoot
/// @notice The message roots of everything settled on this settlement layer (docs/protocol.md
/// section 6): per registered chain an append-only tree of batch leaves, and a shared tree with one
/// chain leaf per chain in registration order. The shared root is recomputed after every executed
/// batch and recorded against the block number (the last one of a block wins).
/// @dev Construction: the registry needs this contract's address and this contract must accept
/// `addChain` only from the registry. So this contract is deployed first; its deployer (the owner)
/// then calls `setRegistry` exactly once. Until then no chain can be added. The owner has no other
/// power.
/// Adding a chain does not record a new shared root: the shared root recorded at an executed batch
/// covers every chain registered by then (a chain without executed batches has the chain tree root
/// `treeRoot(0, 0)`).
/// On a Gateway (section 7.2) the same contract also records every new shared root as a message of
/// the Gateway chain (`messenger`), so that the Gateway's own batches carry it to L1 and a message of a
/// chain settling on the Gateway can be proven on L1 with a two-level proof; and it accepts, for the
/// chains settling here, imported roots of the Gateway's own settlement layer (L1) that the Gateway
/// chain itself imported (`parentRootSource`). MessageRoot is deployed at the same address on every
/// settlement layer (the L1 deployer's first transaction), which proofs rely on.
contract MessageRoot {
    using MerkleTree for MerkleTree.Incremental;

    /// @notice The account allowed to call `setRegistry` once (the deployer).
    address public immutable owner;
    /// @notice On a Gateway, the Gateway chain's L2Messenger, which records every new shared root (0 on L1).
    IMessageRecorder public immutable messenger;
    /// @notice On a Gateway, the Gateway chain's InteropRootStore: the L1 roots it imported (0 on L1).
    IInteropRootSource public immutable parentRootSource;
    /// @notice On a Gateway, the chain id of its settlement layer, L1 (0 on L1).
    uint256 public immutable parentChainId;
    /// @notice The chain registry (0 until `setRegistry`).
    ChainRegistry public registry;

    mapping(uint256 chainId => MerkleTree.Incremental tree) private _chainTrees;
    mapping(uint256 chainId => bytes32 root) private _chainTreeRoots;
    mapping(uint256 chainId => uint256 indexPlusOne) private _chainIndexPlusOne;
    uint256[] private _chainIds;

    mapping(uint256 blockNumber => bytes32 root) private _rootAtBlock;
    /// @dev The message root of every batch executed here, for committed finality (section 12).
    mapping(uint256 chainId => mapping(uint256 batchNumber => bytes32 messageRoot)) private _batchRoots;
    /// @notice The most recent shared root (0 before the first executed batch).
    bytes32 public latestRoot;
    /// @notice The block at which `latestRoot` was recorded.
    uint256 public latestRootBlock;

    /// @notice The registry was set.
    event RegistrySet(address registry);
    /// @notice A chain was added to the shared tree at position `index`.
    event ChainAdded(uint256 indexed chainId, uint256 index);
    /// @notice Batch `batchNumber` of `chainId` was appended to its chain's tree.
    event BatchRootAppended(
        uint256 indexed chainId, uint256 indexed batchNumber, bytes32 batchMessageRoot, bytes32 chainTreeRoot
    );
    /// @notice A chain that moved here brought its tree of batches from where it settled before
    /// (docs/protocol.md section 11): `count` batches, root `chainTreeRoot`.
    event ChainTreeImported(uint256 indexed chainId, uint256 count, bytes32 chainTreeRoot);
    /// @notice The shared root recorded for `blockNumber` is now `root`.
    event SharedRootUpdated(uint256 indexed blockNumber, bytes32 root);

    /// @notice Only the owner may call this.
    error NotOwner(address caller);
    /// @notice The registry was already set.
    error RegistryAlreadySet(address registry);
    /// @notice The zero address is not a registry.
    error ZeroAddress();
    /// @notice Only the registry may call this.
    error NotRegistry(address caller);
    /// @notice The chain was already added.
    error ChainAlreadyAdded(uint256 chainId);
    /// @notice The chain is not registered.
    error ChainNotRegistered(uint256 chainId);
    /// @notice Only the chain's settlement contract may append its batch roots.
    error NotSettlementOf(uint256 chainId, address caller);
    /// @notice Batches are appended in order: `expected` is the next batch number.
    error UnexpectedBatchNumber(uint256 expected, uint256 got);
    /// @notice A chain's tree never loses batches: an imported tree must hold at least those it has here.
    error ChainTreeShrinks(uint256 chainId, uint256 count, uint256 imported);

    /// @param messenger_ On a Gateway, the Gateway chain's L2Messenger; 0 on L1.
    /// @param parentRootSource_ On a Gateway, the Gateway chain's InteropRootStore; 0 on L1.
    /// @param parentChainId_ On a Gateway, L1's chain id; 0 on L1.
    constructor(IMessageRecorder messenger_, IInteropRootSource parentRootSource_, uint256 parentChainId_) {
        owner = msg.sender;
        messenger = messenger_;
        parentRootSource = parentRootSource_;
        parentChainId = parentChainId_;
    }

    /// @notice Sets the chain registry, once. Only the owner.
    /// @param registry_ The ChainRegistry, the only caller allowed to add chains.
    function setRegistry(ChainRegistry registry_) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (address(registry) != address(0)) revert RegistryAlreadySet(address(registry));
        if (address(registry_) == address(0)) revert ZeroAddress();
        registry = registry_;
        emit RegistrySet(address(registry_));
    }

    /// @notice Adds a chain to the shared tree, after the ones already added. Only the registry.
    /// @param chainId The newly registered chain.
    function addChain(uint256 chainId) external {
        if (msg.sender != address(registry) || msg.sender == address(0)) revert NotRegistry(msg.sender);
        if (_chainIndexPlusOne[chainId] != 0) revert ChainAlreadyAdded(chainId);
        uint256 index = _chainIds.length;
        _chainIds.push(chainId);
        _chainIndexPlusOne[chainId] = index + 1;
        _chainTreeRoots[chainId] = MessageHashing.treeRoot(0, bytes32(0));
        emit ChainAdded(chainId, index);
    }

    /// @notice Appends an executed batch's message root to its chain's tree, then recomputes and
    /// records the shared root for this block.
    /// @dev Only the chain's settlement contract (`registry.settlementOf(chainId)`); batch numbers
    /// start at 1 and follow each other.
    /// @param chainId The chain whose batch was executed.
    /// @param batchNumber The batch number: the chain's batch count plus one.
    /// @param batchMessageRoot The batch's message tree root.
    function appendBatchRoot(uint256 chainId, uint256 batchNumber, bytes32 batchMessageRoot) external {
        if (_chainIndexPlusOne[chainId] == 0) revert ChainNotRegistered(chainId);
        if (msg.sender != registry.settlementOf(chainId)) revert NotSettlementOf(chainId, msg.sender);
        MerkleTree.Incremental storage tree = _chainTrees[chainId];
        uint256 expected = tree.count + 1;
        if (batchNumber != expected) revert UnexpectedBatchNumber(expected, batchNumber);

        tree.append(MessageHashing.batchLeaf(batchNumber, batchMessageRoot));
        _batchRoots[chainId][batchNumber] = batchMessageRoot;
        bytes32 chainTreeRoot_ = tree.root();
        _chainTreeRoots[chainId] = chainTreeRoot_;
        emit BatchRootAppended(chainId, batchNumber, batchMessageRoot, chainTreeRoot_);

        bytes32 shared = sharedRoot();
        _rootAtBlock[block.number] = shared;
        latestRoot = shared;
        latestRootBlock = block.number;
        emit SharedRootUpdated(block.number, shared);
        if (address(messenger) != address(0)) messenger.recordMessage(shared);
    }

    /// @notice Replaces `chainId`'s tree with the one it brings from the settlement layer it settled on
    /// before (docs/protocol.md section 11), so that its batch `n` stays leaf `n - 1` here too. Only the
    /// registry, when the chain moves here; the tree must hold at least the batches it has here.
    /// Like `addChain`, this records no shared root: the next executed batch does.
    /// @param chainId The chain moving here.
    /// @param tree Its tree of batch leaves where it settled before.
    function importChainTree(uint256 chainId, ChainTreeState calldata tree) external {
        if (msg.sender != address(registry) || msg.sender == address(0)) revert NotRegistry(msg.sender);
        if (_chainIndexPlusOne[chainId] == 0) revert ChainNotRegistered(chainId);
        MerkleTree.Incremental storage here = _chainTrees[chainId];
        if (tree.count < here.count) revert ChainTreeShrinks(chainId, here.count, tree.count);
        here.count = tree.count;
        here.frontier = tree.frontier;
        bytes32 root_ = here.root();
        _chainTreeRoots[chainId] = root_;
        emit ChainTreeImported(chainId, tree.count, root_);
    }

    /// @notice `chainId`'s tree of batch leaves here, as an incremental tree (what a chain moving away
    /// takes along).
    function chainTree(uint256 chainId) external view returns (ChainTreeState memory tree) {
        MerkleTree.Incremental storage here = _chainTrees[chainId];
        tree.count = here.count;
        tree.frontier = here.frontier;
    }

    /// @notice The root a chain settling here may have imported for `(slChainId, slBlockNumber)`:
    /// this settlement layer's own history, or, on a Gateway, the L1 roots the Gateway chain imported.
    /// For a committed-batch key (section 12) of this layer: the message root of that batch once it is
    /// executed here (0 before: a chain that imported it cannot settle until then, or ever if it never is).
    /// @return accepted False when roots of `slChainId` are never accepted here (committed batches of
    /// another layer included).
    /// @return root The root (0 when none is known for that block or batch).
    function acceptedRoot(uint256 slChainId, uint256 slBlockNumber) external view returns (bool accepted, bytes32 root) {
        bool committedBatch = CommittedBatchKeys.isCommittedBatchKey(slBlockNumber);
        if (slChainId == block.chainid) {
            if (!committedBatch) return (true, _rootAtBlock[slBlockNumber]);
            (uint256 chainId, uint256 batchNumber) = CommittedBatchKeys.decode(slBlockNumber);
            return (true, _batchRoots[chainId][batchNumber]);
        }
        if (parentChainId != 0 && slChainId == parentChainId && !committedBatch) {
            return (true, parentRootSource.interopRoot(slChainId, slBlockNumber));
        }
        return (false, bytes32(0));
    }

    /// @notice The shared root computed now over every added chain, in order
    /// (`treeRoot(0, 0)` when there is none). This is what the next recorded root will be if no
    /// batch changes in between.
    function sharedRoot() public view returns (bytes32) {
        uint256 count = _chainIds.length;
        bytes32[] memory leaves = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            uint256 chainId = _chainIds[i];
            leaves[i] = MessageHashing.chainLeaf(chainId, _chainTreeRoots[chainId]);
        }
        return MerkleTree.rootOf(leaves);
    }

    /// @notice The shared root recorded at `blockNumber` (0 if none was recorded in that block).
    function historicalRoot(uint256 blockNumber) external view returns (bytes32) {
        return _rootAtBlock[blockNumber];
    }

    /// @notice The message root of batch `batchNumber` of `chainId` if it was executed here (else 0).
    function executedBatchRoot(uint256 chainId, uint256 batchNumber) external view returns (bytes32) {
        return _batchRoots[chainId][batchNumber];
    }

    /// @notice Root of `chainId`'s tree of batch leaves (`treeRoot(0, 0)` before its first batch;
    /// 0 if the chain is not registered).
    function chainTreeRoot(uint256 chainId) external view returns (bytes32) {
        return _chainTreeRoots[chainId];
    }

    /// @notice Number of batches appended for `chainId`.
    function chainBatchCount(uint256 chainId) external view returns (uint256) {
        return _chainTrees[chainId].count;
    }

    /// @notice Position of `chainId` in the shared tree. Reverts `ChainNotRegistered` if absent.
    function chainIndex(uint256 chainId) external view returns (uint256) {
        uint256 indexPlusOne = _chainIndexPlusOne[chainId];
        if (indexPlusOne == 0) revert ChainNotRegistered(chainId);
        return indexPlusOne - 1;
    }

    /// @notice Number of chains in the shared tree.
    function chainCount() external view returns (uint256) {
        return _chainIds.length;
    }

    /// @notice The chain at position `index` of the shared tree (reverts with a panic if out of range).
    function chainIdAt(uint256 index) external view returns (uint256) {
        return _chainIds[index];
    }
}
