// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../common/BridgeMessages.sol";
import {IBatchValueApprover} from "../common/IBatchValueApprover.sol";
import {
    AssetAmount, BatchCommitment, FailedDepositRef, InteropBundle, InteropCall, ValidiumBatchValue, ValueMove
} from "../common/InteropTypes.sol";
import {MerkleTree} from "../common/MerkleTree.sol";
import {MessageHashing} from "../common/MessageHashing.sol";
import {ChainRegistry} from "../l1/ChainRegistry.sol";
import {ChainSettlement} from "../l1/ChainSettlement.sol";
import {L2Messenger} from "../l2/L2Messenger.sol";

/// @title GatewayAssetTracker
/// @notice On a Gateway: the balance of each bridged asset (ERC-20 tokens and ETH) of each chain settling
/// here, kept when the chains' batches execute, so that a chain that settles a forged batch cannot move
/// more than it holds, to L1 or to another chain (docs/protocol.md section 9.10). L1's ledger keeps one
/// account for the Gateway, what its chains hold together (section 9.11); this contract splits it.
///
/// A chain's batch holding messages executes here only once this contract **approved** it: given every
/// message leaf of the batch (and the payloads of the InteropCenter's, the asset router's and the
/// priority inbox's leaves) it recomputes the batch's message root, so nothing can be left out, and
/// applies the value they move: a bundle's transfer calls and call values move from the chain to the
/// bundle's destination, a withdrawal or a failed deposit leaves for L1. A batch that moves more than its
/// chain holds is refused, so its root never reaches a destination. Value for a chain settling here is
/// credited to it at once; value for any other chain (but L1 itself) leaves the Gateway with a
/// settlement-layer transfer message this contract records, which L1 records in its ledger.
///
/// A private chain's batch (a validium batch, `dataHash` ≠ 0) shows this contract none of its messages:
/// it is approved from its **value summary** (`approveValidiumBatches`), the amount of each asset it moves
/// to each destination, which the batch's `dataHash` commits to. What checks that the summary is the sum of
/// the batch's hidden messages is the batch's validity proof, and in this system no real one exists (the
/// DevelopmentVerifier accepts any batch): the private chain's operator is trusted for its summary as it is
/// for its state root (docs/protocol.md section 9.10).
///
/// Credits come only from L1: deposits and transfers from chains elsewhere through the
/// GatewayPriorityForwarder, a chain's balances when it moves here through the registry. A chain that
/// leaves hands its balances back to the registry, for L1's ledger: at most `RELEASE_ASSETS` of them in its
/// migration message; the rest go back to L1 with `sendBackBalances`, `RELEASE_ASSETS` a call, as
/// settlement-layer transfer messages from the chain to itself (so that no step's cost grows with how many
/// assets anyone made the chain hold).
contract GatewayAssetTracker is IBatchValueApprover {
    /// @notice Most assets a chain leaving here takes in its migration message (`releaseBalances`), and most
    /// that one `sendBackBalances` call sends back. L1 moves each balance of the message when it finalizes
    /// the return (5,415,190 gas for 99 balances, measured: docs/protocol.md section 11).
    uint256 public constant RELEASE_ASSETS = 100;

    /// @notice The revealed messages of one batch: every leaf as `(sender, payloadHash)`, in order, and the
    /// payloads of the leaves of the InteropCenter, the asset router and the priority inbox, in order.
    struct BatchMessages {
        address[] senders;
        bytes32[] payloadHashes;
        bytes[] payloads;
    }

    /// @notice The Gateway's ChainRegistry.
    ChainRegistry public immutable registry;
    /// @notice The GatewayPriorityForwarder: credits deposits and transfers from L1.
    address public immutable forwarder;
    /// @notice The InteropCenter, the L2AssetRouter and the L2PriorityInbox (the same on every chain).
    address public immutable interopCenter;
    address public immutable l2AssetRouter;
    address public immutable l2PriorityInbox;
    /// @notice The Gateway chain's L2Messenger: records the settlement-layer transfer messages for L1.
    L2Messenger public immutable messenger;
    /// @notice L1's chain id: value sent to L1 itself leaves through L1's own release (section 10).
    uint256 public immutable l1ChainId;
    /// @notice ETH's asset id.
    bytes32 public immutable ethAssetId;

    /// @dev The root of an empty message tree: a batch without messages needs no approval.
    bytes32 private immutable _emptyRoot;

    mapping(uint256 chainId => mapping(bytes32 assetId => uint256 amount)) private _balances;
    /// @dev The assets each chain may hold here (credited since it last left, or not released yet): what it
    /// takes along when it leaves.
    mapping(uint256 chainId => bytes32[]) private _assets;
    mapping(uint256 chainId => mapping(bytes32 assetId => bool)) private _known;
    mapping(uint256 chainId => mapping(uint256 batchNumber => bytes32 messageRoot)) private _approved;
    /// @dev Deposits forwarded, by chain and request index: what a failed-deposit message takes back.
    mapping(uint256 chainId => mapping(uint256 index => Deposit)) private _deposits;

    struct Deposit {
        bytes32 assetId;
        uint256 amount;
        bytes32 requestHash;
    }

    /// @notice `chainId` was credited `amount` of `assetId` (a deposit, a transfer, or its balance as it
    /// moved here), now at `balance`.
    event Credited(uint256 indexed chainId, bytes32 indexed assetId, uint256 amount, uint256 balance);
    /// @notice A batch of `chainId` moved `amount` of `assetId` out of it to `toChainId` (0: a withdrawal
    /// or a failed deposit, to L1).
    event Moved(uint256 indexed chainId, uint256 indexed toChainId, bytes32 indexed assetId, uint256 amount);
    /// @notice `amount` of `assetId` left the Gateway from `chainId` for `toChainId`, which does not settle
    /// here: `message` (recorded through the Gateway chain's L2Messenger) is what L1 records it with.
    event TransferLeftGateway(
        uint256 indexed chainId, uint256 indexed toChainId, bytes32 indexed assetId, uint256 amount, bytes message
    );
    /// @notice `chainId` left the Gateway with `balances` (in its migration message), which L1's ledger takes
    /// over; `left` assets of it are still here, for `sendBackBalances`.
    event BalancesReleased(uint256 indexed chainId, AssetAmount[] balances, uint256 left);
    /// @notice `sent` more balances of `chainId`, which left the Gateway, went back to L1 (each with a
    /// settlement-layer transfer message from the chain to itself); `left` assets of it are still here.
    event BalancesSentBack(uint256 indexed chainId, uint256 sent, uint256 left);
    /// @notice Batch `batchNumber` of `chainId` was approved: it may execute.
    event BatchApproved(uint256 indexed chainId, uint256 indexed batchNumber, bytes32 messageRoot);

    /// @notice Only the forwarder credits deposits and transfers.
    error NotForwarder(address caller);
    /// @notice Only the registry credits a chain moving here, or releases one leaving.
    error NotRegistry(address caller);
    /// @notice The chain does not settle here.
    error ChainNotHere(uint256 chainId);
    /// @notice The chain settles here: its balances stay.
    error ChainIsHere(uint256 chainId);
    /// @notice The batch was approved already (each batch moves its value once).
    error AlreadyApproved(uint256 chainId, uint256 batchNumber);
    /// @notice The batch given is not one committed here and not executed yet (a batch executed here, or
    /// settled on L1 before the chain moved here, is never approved again).
    error NotCommitted(uint256 chainId, uint256 batchNumber);
    /// @notice A failed-deposit message names a request that is not a deposit forwarded to the chain here
    /// under that index (a forgery: L1 would pay it from the Gateway's account).
    error UnknownFailedDeposit(uint256 chainId, uint256 index, bytes32 requestHash);
    /// @notice The messages given do not make the batch's message root.
    error MessagesMismatch(uint256 chainId, uint256 batchNumber);
    /// @notice A payload does not hash to its leaf's payload hash, or there are too few or too many.
    error PayloadMismatch(uint256 chainId, uint256 batchNumber, uint256 leafIndex);
    /// @notice The batch moves more of `assetId` than the chain holds here.
    error InsufficientChainBalance(uint256 chainId, bytes32 assetId, uint256 balance, uint256 amount);
    /// @notice `approveBatches` needs one set of messages per batch.
    error LengthMismatch(uint256 batches, uint256 messages);
    /// @notice A private chain's batch (`dataHash` ≠ 0) is approved from its value summary
    /// (`approveValidiumBatches`), never from its messages.
    error ValidiumBatchNeedsSummary(uint256 chainId, uint256 batchNumber);
    /// @notice `approveValidiumBatches` takes private chains' batches only (`dataHash` ≠ 0).
    error NotValidiumBatch(uint256 chainId, uint256 batchNumber);
    /// @notice The transactions hash and value summary given do not hash to the batch's `dataHash`.
    error ValueSummaryMismatch(uint256 chainId, uint256 batchNumber, bytes32 dataHash, bytes32 computed);

    constructor(
        ChainRegistry registry_,
        address forwarder_,
        address interopCenter_,
        address l2AssetRouter_,
        address l2PriorityInbox_,
        L2Messenger messenger_,
        uint256 l1ChainId_,
        bytes32 ethAssetId_
    ) {
        registry = registry_;
        forwarder = forwarder_;
        interopCenter = interopCenter_;
        l2AssetRouter = l2AssetRouter_;
        l2PriorityInbox = l2PriorityInbox_;
        messenger = messenger_;
        l1ChainId = l1ChainId_;
        ethAssetId = ethAssetId_;
        _emptyRoot = MessageHashing.treeRoot(0, bytes32(0));
    }

    /// @notice `chainId`'s balance of `assetId` here.
    function balanceOf(uint256 chainId, bytes32 assetId) external view returns (uint256) {
        return _balances[chainId][assetId];
    }

    /// @notice The assets `chainId` may hold here: credited since it last left, or not released yet (after it
    /// left, what `sendBackBalances` still has to send back).
    function assetsOf(uint256 chainId) external view returns (bytes32[] memory) {
        return _assets[chainId];
    }

    /// @inheritdoc IBatchValueApprover
    function isApproved(uint256 chainId, uint256 batchNumber, bytes32 messageRoot) external view returns (bool) {
        return messageRoot == _emptyRoot || _approved[chainId][batchNumber] == messageRoot;
    }

    /// @notice Credits a deposit of `amount` of `assetId` (a token, or ETH) to `chainId`, queued there as
    /// request `index` with hash `requestHash` (what a failed-deposit message must name). Only the forwarder.
    function creditDeposit(uint256 chainId, uint256 index, bytes32 requestHash, bytes32 assetId, uint256 amount) external {
        if (msg.sender != forwarder) revert NotForwarder(msg.sender);
        _deposits[chainId][index] = Deposit(assetId, amount, requestHash);
        _credit(chainId, assetId, amount);
    }

    /// @notice Credits a transfer into `chainId` that L1 recorded into the Gateway's account. Only the
    /// forwarder. A chain that left the Gateway meanwhile (L1 queued the credit while it was on its way
    /// back) is not credited here: the value goes back to L1 with a settlement-layer transfer message, to
    /// the chain's own account.
    function creditTransfer(uint256 chainId, bytes32 assetId, uint256 amount) external {
        if (msg.sender != forwarder) revert NotForwarder(msg.sender);
        if (amount == 0) return;
        if (registry.settlementLayerOf(chainId) == block.chainid) _credit(chainId, assetId, amount);
        else _sendToL1(chainId, chainId, assetId, amount);
    }

    /// @inheritdoc IBatchValueApprover
    function creditMigration(uint256 chainId, AssetAmount[] calldata balances) external {
        if (msg.sender != address(registry)) revert NotRegistry(msg.sender);
        for (uint256 i; i < balances.length; ++i) {
            _credit(chainId, balances[i].assetId, balances[i].amount);
        }
    }

    /// @inheritdoc IBatchValueApprover
    /// @dev At most `RELEASE_ASSETS` assets; the rest stay for `sendBackBalances`.
    function releaseBalances(uint256 chainId) external returns (AssetAmount[] memory balances) {
        if (msg.sender != address(registry)) revert NotRegistry(msg.sender);
        balances = _take(chainId);
        emit BalancesReleased(chainId, balances, _assets[chainId].length);
    }

    /// @notice Sends the next `RELEASE_ASSETS` balances of `chainId`, which left this Gateway with more assets
    /// than its migration message carries, back to L1: each leaves with a settlement-layer transfer message
    /// from the chain to itself, which L1 records into the account the chain is counted in (its own, once it
    /// is on its way back or back). Anyone; only for a chain that does not settle here (`ChainIsHere`).
    /// @return left How many of its assets are still here (0: everything went back).
    function sendBackBalances(uint256 chainId) external returns (uint256 left) {
        if (registry.settlementLayerOf(chainId) == block.chainid) revert ChainIsHere(chainId);
        AssetAmount[] memory balances = _take(chainId);
        for (uint256 i; i < balances.length; ++i) {
            _sendToL1(chainId, chainId, balances[i].assetId, balances[i].amount);
        }
        left = _assets[chainId].length;
        emit BalancesSentBack(chainId, balances.length, left);
    }

    /// @dev Takes the first `RELEASE_ASSETS` assets of `chainId`'s list off it (the last ones fill their
    /// places), zeroes their balances and returns those that held something.
    function _take(uint256 chainId) private returns (AssetAmount[] memory taken) {
        bytes32[] storage assets = _assets[chainId];
        uint256 length = assets.length;
        uint256 n = length < RELEASE_ASSETS ? length : RELEASE_ASSETS;
        AssetAmount[] memory all = new AssetAmount[](n);
        uint256 count;
        for (uint256 i; i < n; ++i) {
            bytes32 assetId = assets[i];
            delete _known[chainId][assetId];
            uint256 amount = _balances[chainId][assetId];
            if (amount == 0) continue;
            _balances[chainId][assetId] = 0;
            all[count++] = AssetAmount(assetId, amount);
        }
        for (uint256 i; i < n; ++i) {
            uint256 last = length - 1 - i;
            if (last >= n) assets[i] = assets[last];
            assets.pop();
        }
        taken = new AssetAmount[](count);
        for (uint256 i; i < count; ++i) {
            taken[i] = all[i];
        }
    }

    /// @notice Approves committed batches of `chainId` from their messages (see the contract's notes), each
    /// once. Anyone may call it: the messages either make the committed root or are refused. (The
    /// order does not matter for what a batch may move: each debits its own messages' amounts.)
    function approveBatches(uint256 chainId, BatchCommitment[] calldata batches, BatchMessages[] calldata messages)
        external
    {
        if (batches.length != messages.length) revert LengthMismatch(batches.length, messages.length);
        address settlement = _settlementHere(chainId);
        for (uint256 i; i < batches.length; ++i) {
            _approve(chainId, settlement, batches[i], messages[i]);
        }
    }

    /// @notice Approves committed batches of a private chain `chainId` (validium batches, `dataHash` ≠ 0) from
    /// their value summaries, each once: `values[i]` must hash to `batches[i].dataHash`
    /// (`ValueSummaryMismatch`); then each move debits the chain and goes to its destination as in
    /// `approveBatches` (0: L1), and each failed deposit takes back what was credited for it
    /// (`UnknownFailedDeposit` for a request not forwarded to the chain here). Neither the batch's messages
    /// nor their hashes are given: the parties of a private chain's transfers stay off the Gateway. That the
    /// summary is the sum of the batch's messages is for the batch's validity proof to show (none real here).
    /// Anyone may call it.
    function approveValidiumBatches(uint256 chainId, BatchCommitment[] calldata batches, ValidiumBatchValue[] calldata values)
        external
    {
        if (batches.length != values.length) revert LengthMismatch(batches.length, values.length);
        address settlement = _settlementHere(chainId);
        for (uint256 i; i < batches.length; ++i) {
            BatchCommitment calldata batch = batches[i];
            ValidiumBatchValue calldata v = values[i];
            uint256 n = batch.batchNumber;
            _checkCommitted(chainId, settlement, batch);
            if (batch.dataHash == bytes32(0)) revert NotValidiumBatch(chainId, n);
            bytes32 computed = MessageHashing.validiumDataHash(v.transactionsHash, keccak256(abi.encode(v.moves, v.failedDeposits)));
            if (computed != batch.dataHash) revert ValueSummaryMismatch(chainId, n, batch.dataHash, computed);
            for (uint256 j; j < v.moves.length; ++j) {
                ValueMove calldata move = v.moves[j];
                _move(chainId, move.toChainId, move.assetId, move.amount);
            }
            for (uint256 j; j < v.failedDeposits.length; ++j) {
                FailedDepositRef calldata failed = v.failedDeposits[j];
                _takeBackDeposit(chainId, failed.index, failed.requestHash);
            }
            _approved[chainId][n] = batch.messageRoot;
            emit BatchApproved(chainId, n, batch.messageRoot);
        }
    }

    /// @dev Refuses a batch approved already, or not committed here and still to execute: the last batch a
    /// chain settled on L1 before it moved here is stored as executed (its messages were accounted on L1), and
    /// is never approved here.
    /// @dev The settlement contract of `chainId`, which must settle here now (`ChainNotHere`).
    function _settlementHere(uint256 chainId) private view returns (address settlement) {
        settlement = registry.settlementOf(chainId);
        if (settlement == address(0) || !ChainSettlement(settlement).active()) revert ChainNotHere(chainId);
    }

    function _checkCommitted(uint256 chainId, address settlement, BatchCommitment calldata batch) private view {
        uint256 n = batch.batchNumber;
        if (_approved[chainId][n] != bytes32(0)) revert AlreadyApproved(chainId, n);
        ChainSettlement chainSettlement = ChainSettlement(settlement);
        if (n <= chainSettlement.totalExecuted() || n > chainSettlement.totalCommitted() || chainSettlement.batchHashes(n) != keccak256(abi.encode(batch))) {
            revert NotCommitted(chainId, n);
        }
    }

    function _approve(uint256 chainId, address settlement, BatchCommitment calldata batch, BatchMessages calldata m)
        private
    {
        uint256 n = batch.batchNumber;
        _checkCommitted(chainId, settlement, batch);
        if (batch.dataHash != bytes32(0)) revert ValidiumBatchNeedsSummary(chainId, n);
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
            if (sender == interopCenter) _applyBundle(chainId, payload);
            else if (sender == l2AssetRouter) _applyRouterMessage(chainId, payload);
            else _applyInboxMessage(chainId, payload);
        }
        if (p != m.payloads.length) revert PayloadMismatch(chainId, n, count);
        _approved[chainId][n] = batch.messageRoot;
        emit BatchApproved(chainId, n, batch.messageRoot);
    }

    /// @dev A bundle's calls from the asset router to the asset router carry a token transfer (section
    /// 9.5); a call's value carries ETH (section 9.7). Both go to the bundle's destination.
    function _applyBundle(uint256 chainId, bytes calldata payload) private {
        InteropBundle memory bundle = abi.decode(payload, (InteropBundle));
        // A bundle naming another source chain cannot be proven as this chain's: it moves nothing.
        if (bundle.sourceChainId != chainId) return;
        uint256 destination = bundle.destinationChainId;
        uint256 value;
        for (uint256 k; k < bundle.calls.length; ++k) {
            InteropCall memory call = bundle.calls[k];
            value += call.value;
            if (call.from != l2AssetRouter || call.to != l2AssetRouter) continue;
            (bytes32 assetId,,,,,,, uint256 amount) = BridgeMessages.decodeTransferPayload(call.data);
            _move(chainId, destination, assetId, amount);
        }
        _move(chainId, destination, ethAssetId, value);
    }

    /// @dev A withdrawal takes its amount to L1; a transfer message is accounted by its bundle.
    function _applyRouterMessage(uint256 chainId, bytes calldata payload) private {
        if (!BridgeMessages.isWithdrawal(payload)) return;
        (bytes32 assetId,,, uint256 amount) = BridgeMessages.decodeWithdrawal(payload);
        _move(chainId, 0, assetId, amount);
    }

    /// @dev A failed deposit goes back to its depositor on L1: what was credited for it leaves. It must be a
    /// deposit forwarded to this chain here under that index and request hash (every request the forwarder
    /// passes to a chain is a deposit): anything else is refused, since L1 would pay it from the Gateway's
    /// account.
    function _applyInboxMessage(uint256 chainId, bytes calldata payload) private {
        if (!BridgeMessages.isFailedDeposit(payload)) return;
        (uint256 index, bytes32 requestHash) = BridgeMessages.decodeFailedDeposit(payload);
        _takeBackDeposit(chainId, index, requestHash);
    }

    /// @dev The failed deposit forwarded to `chainId` under `index` with `requestHash` goes back to L1.
    function _takeBackDeposit(uint256 chainId, uint256 index, bytes32 requestHash) private {
        Deposit memory d = _deposits[chainId][index];
        if (d.requestHash != requestHash || requestHash == bytes32(0)) revert UnknownFailedDeposit(chainId, index, requestHash);
        delete _deposits[chainId][index];
        _move(chainId, 0, d.assetId, d.amount);
    }

    /// @dev Moves `amount` out of `chainId` (`InsufficientChainBalance` beyond its balance) to `toChainId`:
    /// credited at once if it settles here; for L1 itself (0: a withdrawal or failed deposit, or L1's chain
    /// id: a bundle's value) L1 releases it from the Gateway's account; for any other chain it leaves the
    /// Gateway with a settlement-layer transfer message.
    function _move(uint256 chainId, uint256 toChainId, bytes32 assetId, uint256 amount) private {
        if (amount == 0 || toChainId == chainId) return;
        uint256 balance = _balances[chainId][assetId];
        if (balance < amount) revert InsufficientChainBalance(chainId, assetId, balance, amount);
        _balances[chainId][assetId] = balance - amount;
        emit Moved(chainId, toChainId, assetId, amount);
        if (toChainId == 0 || toChainId == l1ChainId) return;
        if (registry.settlementLayerOf(toChainId) == block.chainid) {
            _credit(toChainId, assetId, amount);
            return;
        }
        _sendToL1(chainId, toChainId, assetId, amount);
    }

    /// @dev Value leaves the Gateway for `toChainId`, elsewhere: the settlement-layer transfer message L1
    /// records it with.
    function _sendToL1(uint256 chainId, uint256 toChainId, bytes32 assetId, uint256 amount) private {
        bytes memory message = BridgeMessages.encodeSettlementLayerTransfer(chainId, toChainId, assetId, amount);
        messenger.recordMessage(keccak256(message));
        emit TransferLeftGateway(chainId, toChainId, assetId, amount, message);
    }

    function _credit(uint256 chainId, bytes32 assetId, uint256 amount) private {
        if (amount == 0) return;
        if (!_known[chainId][assetId]) {
            _known[chainId][assetId] = true;
            _assets[chainId].push(assetId);
        }
        uint256 balance = _balances[chainId][assetId] + amount;
        _balances[chainId][assetId] = balance;
        emit Credited(chainId, assetId, amount, balance);
    }
}
