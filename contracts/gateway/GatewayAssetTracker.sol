// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../common/BridgeMessages.sol";
import {IBatchValueApprover} from "../common/IBatchValueApprover.sol";
import {BatchCommitment, InteropBundle, InteropCall} from "../common/InteropTypes.sol";
import {MerkleTree} from "../common/MerkleTree.sol";
import {MessageHashing} from "../common/MessageHashing.sol";
import {ChainRegistry} from "../l1/ChainRegistry.sol";
import {ChainSettlement} from "../l1/ChainSettlement.sol";

/// @title GatewayAssetTracker
/// @notice On a Gateway: the balance of each bridged ERC-20 asset of each chain settling here, kept when
/// the chain's batches execute, so that a chain that settles a forged batch cannot mint on another
/// chain more than it holds (docs/protocol.md section 9.10). A chain's batch holding messages executes
/// here only once this contract **approved** it: given every message leaf of the batch (and the
/// payloads of the InteropCenter's, the asset router's and the priority inbox's leaves) it recomputes
/// the batch's message root, so nothing can be left out, and applies the value they move: a bundle's
/// transfer calls move their amount from the chain to the bundle's destination (credited if it settles
/// here too), a withdrawal or a failed deposit debits the chain. A batch that moves more than its chain
/// holds is refused, so its root never reaches a destination.
///
/// Credits come only from L1 priority requests, through the GatewayPriorityForwarder: deposits as they
/// are forwarded, transfers from chains that do not settle here as L1 records them.
///
/// Tracked chains: those whose settlement here was active from the start and never moved. A chain that
/// moved here from L1 (or came back) is not tracked yet: its batches are approved without a balance
/// check (its credits to other chains still count), the gap section 9.10 states. ETH is not tracked
/// (development chains hold genesis ETH that was never bridged).
contract GatewayAssetTracker is IBatchValueApprover {
    /// @notice The revealed messages of one batch: every leaf as `(sender, payloadHash)`, in order, and the
    /// payloads of the leaves of the InteropCenter, the asset router and the priority inbox, in order.
    struct BatchMessages {
        address[] senders;
        bytes32[] payloadHashes;
        bytes[] payloads;
    }

    /// @notice The Gateway's ChainRegistry.
    ChainRegistry public immutable registry;
    /// @notice The GatewayPriorityForwarder: the only account that credits.
    address public immutable forwarder;
    /// @notice The InteropCenter, the L2AssetRouter and the L2PriorityInbox (the same on every chain).
    address public immutable interopCenter;
    address public immutable l2AssetRouter;
    address public immutable l2PriorityInbox;
    /// @notice ETH's asset id, not tracked here.
    bytes32 public immutable ethAssetId;

    /// @dev The root of an empty message tree: a batch without messages needs no approval.
    bytes32 private immutable _emptyRoot;

    mapping(uint256 chainId => mapping(bytes32 assetId => uint256 amount)) private _balances;
    mapping(uint256 chainId => mapping(uint256 batchNumber => bytes32 messageRoot)) private _approved;
    /// @dev Deposits forwarded, by chain and request index: what a failed-deposit message takes back.
    mapping(uint256 chainId => mapping(uint256 index => Deposit)) private _deposits;

    struct Deposit {
        bytes32 assetId;
        uint256 amount;
    }

    /// @notice `chainId` was credited `amount` of `assetId` (a deposit, or a transfer L1 recorded).
    event Credited(uint256 indexed chainId, bytes32 indexed assetId, uint256 amount, uint256 balance);
    /// @notice A batch of `chainId` moved `amount` of `assetId` out of it (to `toChainId`, 0 for L1 itself).
    event Moved(uint256 indexed chainId, uint256 indexed toChainId, bytes32 indexed assetId, uint256 amount);
    /// @notice Batch `batchNumber` of `chainId` was approved: it may execute.
    event BatchApproved(uint256 indexed chainId, uint256 indexed batchNumber, bytes32 messageRoot, bool tracked);

    /// @notice Only the forwarder credits.
    error NotForwarder(address caller);
    /// @notice The chain does not settle here.
    error ChainNotHere(uint256 chainId);
    /// @notice The batch was approved already (each batch moves its value once).
    error AlreadyApproved(uint256 chainId, uint256 batchNumber);
    /// @notice The batch given is not the one committed.
    error NotCommitted(uint256 chainId, uint256 batchNumber);
    /// @notice The messages given do not make the batch's message root.
    error MessagesMismatch(uint256 chainId, uint256 batchNumber);
    /// @notice A payload does not hash to its leaf's payload hash, or there are too few or too many.
    error PayloadMismatch(uint256 chainId, uint256 batchNumber, uint256 leafIndex);
    /// @notice The batch moves more of `assetId` than the chain holds here.
    error InsufficientChainBalance(uint256 chainId, bytes32 assetId, uint256 balance, uint256 amount);
    /// @notice `approveBatches` needs one set of messages per batch.
    error LengthMismatch(uint256 batches, uint256 messages);

    constructor(
        ChainRegistry registry_,
        address forwarder_,
        address interopCenter_,
        address l2AssetRouter_,
        address l2PriorityInbox_,
        bytes32 ethAssetId_
    ) {
        registry = registry_;
        forwarder = forwarder_;
        interopCenter = interopCenter_;
        l2AssetRouter = l2AssetRouter_;
        l2PriorityInbox = l2PriorityInbox_;
        ethAssetId = ethAssetId_;
        _emptyRoot = MessageHashing.treeRoot(0, bytes32(0));
    }

    /// @notice `chainId`'s balance of `assetId` here.
    function balanceOf(uint256 chainId, bytes32 assetId) external view returns (uint256) {
        return _balances[chainId][assetId];
    }

    /// @inheritdoc IBatchValueApprover
    function isApproved(uint256 chainId, uint256 batchNumber, bytes32 messageRoot) external view returns (bool) {
        return messageRoot == _emptyRoot || _approved[chainId][batchNumber] == messageRoot;
    }

    /// @notice Whether `chainId`'s batches are checked against its balance: it settles here, and has since
    /// its settlement was deployed (it never moved).
    function isTracked(uint256 chainId) external view returns (bool) {
        address settlement = registry.settlementOf(chainId);
        return settlement != address(0) && ChainSettlement(settlement).active() && _neverMoved(settlement);
    }

    /// @notice Credits a deposit of `amount` of `assetId` to `chainId`, queued there as request `index`.
    /// Only the forwarder.
    function creditDeposit(uint256 chainId, uint256 index, bytes32 assetId, uint256 amount) external {
        if (msg.sender != forwarder) revert NotForwarder(msg.sender);
        _deposits[chainId][index] = Deposit(assetId, amount);
        _credit(chainId, assetId, amount);
    }

    /// @notice Credits a transfer into `chainId` from a chain that does not settle here, recorded on L1.
    /// Only the forwarder.
    function creditTransfer(uint256 chainId, bytes32 assetId, uint256 amount) external {
        if (msg.sender != forwarder) revert NotForwarder(msg.sender);
        _credit(chainId, assetId, amount);
    }

    /// @notice Approves committed batches of `chainId` from their messages (see the contract's notes), each
    /// once. Anyone may call it: the messages either make the committed root or are refused. (The
    /// order does not matter for what a batch may move: each debits its own messages' amounts.)
    function approveBatches(uint256 chainId, BatchCommitment[] calldata batches, BatchMessages[] calldata messages)
        external
    {
        if (batches.length != messages.length) revert LengthMismatch(batches.length, messages.length);
        address settlement = registry.settlementOf(chainId);
        if (settlement == address(0) || !ChainSettlement(settlement).active()) revert ChainNotHere(chainId);
        bool tracked = _neverMoved(settlement);
        for (uint256 i; i < batches.length; ++i) {
            _approve(chainId, settlement, tracked, batches[i], messages[i]);
        }
    }

    /// @dev A chain whose settlement here has been active since it was deployed: it never moved.
    function _neverMoved(address settlement) private view returns (bool) {
        return ChainSettlement(settlement).activations() == 0;
    }

    function _approve(
        uint256 chainId,
        address settlement,
        bool tracked,
        BatchCommitment calldata batch,
        BatchMessages calldata m
    ) private {
        uint256 n = batch.batchNumber;
        if (_approved[chainId][n] != bytes32(0)) revert AlreadyApproved(chainId, n);
        if (ChainSettlement(settlement).batchHashes(n) != keccak256(abi.encode(batch))) revert NotCommitted(chainId, n);
        uint256 count = m.senders.length;
        if (m.payloadHashes.length != count || count != batch.messageCount) revert MessagesMismatch(chainId, n);
        bytes32[] memory leaves = new bytes32[](count);
        for (uint256 j; j < count; ++j) {
            leaves[j] = MessageHashing.messageLeaf(m.senders[j], m.payloadHashes[j]);
        }
        if (MerkleTree.rootOf(leaves) != batch.messageRoot) revert MessagesMismatch(chainId, n);

        uint256 p;
        for (uint256 j; j < count; ++j) {
            address sender = m.senders[j];
            if (sender != interopCenter && sender != l2AssetRouter && sender != l2PriorityInbox) continue;
            if (p >= m.payloads.length || keccak256(m.payloads[p]) != m.payloadHashes[j]) revert PayloadMismatch(chainId, n, j);
            bytes calldata payload = m.payloads[p++];
            if (sender == interopCenter) _applyBundle(chainId, tracked, payload);
            else if (sender == l2AssetRouter) _applyRouterMessage(chainId, tracked, payload);
            else _applyInboxMessage(chainId, tracked, payload);
        }
        if (p != m.payloads.length) revert PayloadMismatch(chainId, n, count);
        _approved[chainId][n] = batch.messageRoot;
        emit BatchApproved(chainId, n, batch.messageRoot, tracked);
    }

    /// @dev A bundle's calls from the asset router to the asset router carry a transfer (section 9.5).
    function _applyBundle(uint256 chainId, bool tracked, bytes calldata payload) private {
        InteropBundle memory bundle = abi.decode(payload, (InteropBundle));
        // A bundle naming another source chain cannot be proven as this chain's: it moves nothing.
        if (bundle.sourceChainId != chainId) return;
        for (uint256 k; k < bundle.calls.length; ++k) {
            InteropCall memory call = bundle.calls[k];
            if (call.from != l2AssetRouter || call.to != l2AssetRouter) continue;
            (bytes32 assetId,,,,,,, uint256 amount) = BridgeMessages.decodeTransferPayload(call.data);
            _move(chainId, bundle.destinationChainId, tracked, assetId, amount);
        }
    }

    /// @dev A withdrawal takes its amount to L1; a transfer message is accounted by its bundle.
    function _applyRouterMessage(uint256 chainId, bool tracked, bytes calldata payload) private {
        if (!BridgeMessages.isWithdrawal(payload)) return;
        (bytes32 assetId,,, uint256 amount) = BridgeMessages.decodeWithdrawal(payload);
        _move(chainId, 0, tracked, assetId, amount);
    }

    /// @dev A failed deposit goes back to its depositor on L1: what was credited for it leaves.
    function _applyInboxMessage(uint256 chainId, bool tracked, bytes calldata payload) private {
        if (!BridgeMessages.isFailedDeposit(payload)) return;
        (uint256 index,) = BridgeMessages.decodeFailedDeposit(payload);
        Deposit memory d = _deposits[chainId][index];
        if (d.amount == 0) return;
        delete _deposits[chainId][index];
        _move(chainId, 0, tracked, d.assetId, d.amount);
    }

    /// @dev Moves `amount` out of `chainId` (checked if it is tracked) to `toChainId`, credited if it
    /// settles here.
    function _move(uint256 chainId, uint256 toChainId, bool tracked, bytes32 assetId, uint256 amount) private {
        if (assetId == ethAssetId || amount == 0 || toChainId == chainId) return;
        uint256 balance = _balances[chainId][assetId];
        if (tracked) {
            if (balance < amount) revert InsufficientChainBalance(chainId, assetId, balance, amount);
            _balances[chainId][assetId] = balance - amount;
        }
        emit Moved(chainId, toChainId, assetId, amount);
        if (toChainId != 0 && registry.settlementLayerOf(toChainId) == block.chainid) {
            _credit(toChainId, assetId, amount);
        }
    }

    function _credit(uint256 chainId, bytes32 assetId, uint256 amount) private {
        if (assetId == ethAssetId || amount == 0) return;
        uint256 balance = _balances[chainId][assetId] + amount;
        _balances[chainId][assetId] = balance;
        emit Credited(chainId, assetId, amount, balance);
    }
}
