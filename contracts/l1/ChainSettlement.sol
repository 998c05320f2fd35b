// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../common/BridgeMessages.sol";
import {IBatchValueApprover, IValueApproverRegistry} from "../common/IBatchValueApprover.sol";
import {BatchCommitment, ImportedRoot, SettlementState} from "../common/InteropTypes.sol";
import {MessageHashing} from "../common/MessageHashing.sol";
import {IBatchVerifier} from "./IBatchVerifier.sol";
import {MessageRoot} from "./MessageRoot.sol";

/// @title ChainSettlement
/// @notice Settlement of one ZK chain's batches on this settlement layer (docs/protocol.md section 5):
/// `commitBatches` → `proveBatches` → `executeBatches`, strictly in order; execution never overtakes
/// proof. Execution checks every interop root the chain imported against this settlement layer's
/// root history and the priority requests the batch processed against this contract's queue
/// (section 9), then appends the batch's message root to MessageRoot.
///
/// Forced inclusion (section 9.2): every priority request gets a deadline when it is queued,
/// `priorityRequestTimeout` seconds later on this settlement layer's clock. `commitBatches` refuses a
/// commit after which a request whose deadline has passed is still not processed by the committed
/// batches (`PriorityRequestOverdue`): an operator can no longer keep settling while it ignores deposits,
/// only stop settling altogether. The check is at commit, not at execution, so that only the operator's
/// own lateness counts: a slow prover delays execution, never commits; and because it looks at the state
/// after the whole commit, a late batch that leaves the request out can still be committed together with
/// the next one that processes it.
///
/// A chain has one ChainSettlement on every settlement layer of the network; exactly one is active at a
/// time (docs/protocol.md section 11). The settlement layer's registry deactivates it when the chain moves
/// away (only once every committed batch is executed and every queued priority request processed) and
/// activates it with the state the chain had where it settled before. An inactive settlement takes no
/// batch and no priority request.
contract ChainSettlement {
    /// @notice The chain whose batches settle here.
    uint256 public immutable chainId;
    /// @notice The only account allowed to commit, prove and execute batches.
    address public immutable operator;
    /// @notice The verifier of batch proofs.
    IBatchVerifier public immutable verifier;
    /// @notice The message-root contract of this settlement layer.
    MessageRoot public immutable messageRoot;
    /// @notice The only account allowed to queue priority requests (the L1AssetRouter; 0 = none).
    address public immutable priorityRequester;
    /// @notice The settlement layer's ChainRegistry: the only account allowed to activate and deactivate
    /// this settlement, and on L1 to queue requests for a Gateway (its migrations).
    address public immutable registry;
    /// @notice Seconds a queued priority request may wait to be processed by a committed batch: its
    /// deadline is the timestamp of the block that queued it plus this (section 9.2).
    uint256 public immutable priorityRequestTimeout;
    /// @notice Most `priorityRequestTimeout` allowed (deadlines are kept in 64 bits).
    uint256 public constant MAX_PRIORITY_REQUEST_TIMEOUT = 1 << 40;
    /// @notice Whether the chain settles here now.
    bool public active;
    /// @notice How many times the chain moved here (0: it has settled here since this contract was deployed).
    uint256 public activations;

    /// @notice `batchHashes[n]` is the hash of committed batch `n`; `batchHashes[0]` is the genesis batch.
    mapping(uint256 batchNumber => bytes32 batchHash) public batchHashes;
    /// @notice Number of the last committed batch.
    uint256 public totalCommitted;
    /// @notice Number of the last proven batch.
    uint256 public totalProven;
    /// @notice Number of the last executed batch.
    uint256 public totalExecuted;
    /// @notice `lastBlock` of the last batch committed here (the genesis batch's before the first commit).
    uint256 public lastCommittedBlock;
    /// @notice Number of priority requests queued for the chain.
    uint256 public priorityRequestsQueued;
    /// @notice Number of priority requests processed by the chain in executed batches.
    uint256 public totalPriorityRequestsProcessed;
    /// @notice Number of priority requests processed by the chain in committed batches.
    uint256 public totalPriorityRequestsCommitted;
    /// @notice `priorityRollingHashes[k]` is the rolling hash after the first `k` requests
    /// (`priorityRollingHashes[0] = 0`).
    mapping(uint256 count => bytes32 rollingHash) public priorityRollingHashes;
    /// @dev The deadline of request `index` in bits `64 * (index % 4)` of `_deadlines[index / 4]` (four a
    /// slot: a deposit pays for a new slot once in four).
    mapping(uint256 slot => uint256 packed) private _deadlines;

    /// @notice The chain now settles here, from `state` (the last batch executed where it settled before).
    event SettlementActivated(uint256 batchNumber, bytes32 batchHash, uint256 lastBlock, uint256 priorityRequestsCount);
    /// @notice The chain left: this settlement stopped at `state`.
    event SettlementDeactivated(uint256 batchNumber, bytes32 batchHash, uint256 lastBlock, uint256 priorityRequestsCount);
    /// @notice Batch `batchNumber` was committed with hash `batchHash`.
    event BatchCommitted(uint256 indexed batchNumber, bytes32 batchHash);
    /// @notice Batch `batchNumber` was proven.
    event BatchProven(uint256 indexed batchNumber);
    /// @notice Batch `batchNumber` was executed and its message root appended to MessageRoot.
    event BatchExecuted(uint256 indexed batchNumber, bytes32 messageRoot);
    /// @notice Priority request `index` was queued for the chain: it calls `l2Target` with `data`;
    /// `rollingHash` is the rolling hash after it.
    event PriorityRequestQueued(
        uint256 indexed index, address l2Target, bytes data, bytes32 requestHash, bytes32 rollingHash
    );

    /// @notice Only the operator may call this.
    error NotOperator(address caller);
    /// @notice Only the settlement layer's registry may call this.
    error NotRegistry(address caller);
    /// @notice The chain does not settle here now (it moved to, or has not come to, this settlement layer).
    error SettlementInactive(uint256 chainId);
    /// @notice The settlement is active already.
    error SettlementAlreadyActive(uint256 chainId);
    /// @notice The chain cannot leave while batches are committed but not executed.
    error BatchesNotExecuted(uint256 committed, uint256 executed);
    /// @notice The chain cannot leave while queued priority requests are not processed in executed batches.
    error PriorityRequestsPending(uint256 queued, uint256 processed);
    /// @notice Batches are handled in order: `expected` is the next batch number.
    error UnexpectedBatchNumber(uint256 expected, uint256 got);
    /// @notice The batch does not link to the previous batch's hash.
    error PreviousBatchHashMismatch(uint256 batchNumber, bytes32 expected, bytes32 actual);
    /// @notice The batch does not start right after the previous batch's last block.
    error FirstBlockMismatch(uint256 batchNumber, uint256 expected, uint256 actual);
    /// @notice The batch was not committed yet.
    error BatchNotCommitted(uint256 batchNumber);
    /// @notice The batch given is not the one committed.
    error BatchHashMismatch(uint256 batchNumber, bytes32 stored, bytes32 given);
    /// @notice The verifier refused the proof.
    error ProofRejected();
    /// @notice On a layer that accounts for the value chains move (a Gateway), the batch was not approved
    /// by its GatewayAssetTracker (docs/protocol.md section 9.10).
    error BatchValueNotApproved(uint256 batchNumber);
    /// @notice The batch was not proven yet (execution never overtakes proof).
    error BatchNotProven(uint256 batchNumber);
    /// @notice `executeBatches` needs one list of imported roots per batch.
    error LengthMismatch(uint256 batches, uint256 importedRootLists);
    /// @notice The imported roots given do not match the batch's count and rolling hash.
    error ImportedRootsMismatch(uint256 batchNumber);
    /// @notice An imported root comes from a settlement layer whose roots are not accepted here (only
    /// this one's, and on a Gateway also L1's that the Gateway imported).
    error UnknownSettlementLayer(uint256 slChainId);
    /// @notice An imported root was never a shared root of that settlement layer at that block (as known here).
    error RootNotInHistory(uint256 slChainId, uint256 slBlockNumber, bytes32 root);
    /// @notice Only the priority requester may queue priority requests.
    error NotPriorityRequester(address caller);
    /// @notice The batch claims to have processed requests up to `processedUpTo`, but only `queued`
    /// were queued.
    error PriorityRequestsNotQueued(uint256 batchNumber, uint256 processedUpTo, uint256 queued);
    /// @notice The batch's priority rolling hash is not the queue's rolling hash after the requests it
    /// claims to have processed.
    error PriorityRequestsMismatch(uint256 batchNumber, bytes32 expected, bytes32 actual);
    /// @notice After this commit, priority request `index` would still be unprocessed although its
    /// `deadline` has passed (it is `timestamp` now): commit it together with the batch that processes it.
    error PriorityRequestOverdue(uint256 index, uint256 deadline, uint256 timestamp);
    /// @notice The timeout of priority requests is 0 or above `MAX_PRIORITY_REQUEST_TIMEOUT`.
    error InvalidPriorityRequestTimeout(uint256 timeout);

    /// @param chainId_ The chain whose batches settle here.
    /// @param operator_ The chain's operator.
    /// @param verifier_ The batch proof verifier.
    /// @param messageRoot_ The settlement layer's MessageRoot.
    /// @param genesisBatchHash Hash of the chain's batch 0 (docs/protocol.md section 5).
    /// @param genesisLastBlock The last block of batch 0: batch 1 starts right after it.
    /// @param priorityRequester_ The only account allowed to queue priority requests (the
    /// L1AssetRouter), or 0 for a chain without deposits.
    /// @param registry_ The settlement layer's ChainRegistry.
    /// @param active_ Whether the chain settles here from its genesis batch (otherwise it may come here
    /// later, when the registry activates this settlement).
    /// @param priorityRequestTimeout_ Seconds a priority request may wait to be processed (see
    /// `priorityRequestTimeout`); from 1 to `MAX_PRIORITY_REQUEST_TIMEOUT`.
    constructor(
        uint256 chainId_,
        address operator_,
        IBatchVerifier verifier_,
        MessageRoot messageRoot_,
        bytes32 genesisBatchHash,
        uint256 genesisLastBlock,
        address priorityRequester_,
        address registry_,
        bool active_,
        uint256 priorityRequestTimeout_
    ) {
        if (priorityRequestTimeout_ == 0 || priorityRequestTimeout_ > MAX_PRIORITY_REQUEST_TIMEOUT) {
            revert InvalidPriorityRequestTimeout(priorityRequestTimeout_);
        }
        chainId = chainId_;
        operator = operator_;
        verifier = verifier_;
        messageRoot = messageRoot_;
        batchHashes[0] = genesisBatchHash;
        lastCommittedBlock = genesisLastBlock;
        priorityRequester = priorityRequester_;
        registry = registry_;
        active = active_;
        priorityRequestTimeout = priorityRequestTimeout_;
    }

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        if (!active) revert SettlementInactive(chainId);
        _;
    }

    modifier onlyRegistry() {
        if (msg.sender != registry) revert NotRegistry(msg.sender);
        _;
    }

    /// @notice Stops settling the chain here, so that it can move to another settlement layer. Only the
    /// registry, only once every committed batch is executed and every queued priority request was
    /// processed in an executed batch.
    /// @return state Where the chain stands: the next settlement layer continues from it.
    function deactivate() external onlyRegistry returns (SettlementState memory state) {
        if (!active) revert SettlementInactive(chainId);
        if (totalExecuted != totalCommitted) revert BatchesNotExecuted(totalCommitted, totalExecuted);
        uint256 queued = priorityRequestsQueued;
        if (totalPriorityRequestsProcessed != queued) revert PriorityRequestsPending(queued, totalPriorityRequestsProcessed);
        active = false;
        state = SettlementState({
            batchNumber: totalExecuted,
            batchHash: batchHashes[totalExecuted],
            lastBlock: lastCommittedBlock,
            priorityRequestsCount: queued,
            priorityRollingHash: priorityRollingHashes[queued]
        });
        emit SettlementDeactivated(state.batchNumber, state.batchHash, state.lastBlock, queued);
    }

    /// @notice Settles the chain here from now on, continuing from `state` (where it settled before):
    /// the next batch is `state.batchNumber + 1`, linked to `state.batchHash`, starting after
    /// `state.lastBlock`; the priority queue continues after `state.priorityRequestsCount` requests.
    /// Only the registry.
    function activate(SettlementState calldata state) external onlyRegistry {
        if (active) revert SettlementAlreadyActive(chainId);
        active = true;
        ++activations;
        uint256 n = state.batchNumber;
        totalCommitted = n;
        totalProven = n;
        totalExecuted = n;
        batchHashes[n] = state.batchHash;
        lastCommittedBlock = state.lastBlock;
        uint256 count = state.priorityRequestsCount;
        priorityRequestsQueued = count;
        totalPriorityRequestsProcessed = count;
        totalPriorityRequestsCommitted = count;
        priorityRollingHashes[count] = state.priorityRollingHash;
        emit SettlementActivated(n, state.batchHash, state.lastBlock, count);
    }

    /// @notice Queues a priority request for the chain: the chain must process it (call `l2Target` with
    /// `data` through its L2PriorityInbox) after every request queued before it, in a batch committed by
    /// its deadline, `block.timestamp + priorityRequestTimeout`. Only the priority requester (or, for a
    /// Gateway's queue on L1, the registry: migrations); only while active.
    /// @param l2Target The contract to call on the chain.
    /// @param data The call data.
    /// @return index The request's position in the queue (from 0).
    /// @return requestHash The request's hash (section 9.1).
    function enqueuePriorityRequest(address l2Target, bytes calldata data)
        external
        returns (uint256 index, bytes32 requestHash)
    {
        if ((msg.sender != priorityRequester && msg.sender != registry) || msg.sender == address(0)) {
            revert NotPriorityRequester(msg.sender);
        }
        if (!active) revert SettlementInactive(chainId);
        index = priorityRequestsQueued;
        requestHash = BridgeMessages.priorityRequestHash(chainId, index, l2Target, data);
        bytes32 rolling = MessageHashing.priorityRollingStep(priorityRollingHashes[index], requestHash);
        priorityRollingHashes[index + 1] = rolling;
        priorityRequestsQueued = index + 1;
        uint256 shift = (index % 4) * 64;
        uint256 packed = _deadlines[index / 4] & ~(uint256(type(uint64).max) << shift);
        _deadlines[index / 4] = packed | ((block.timestamp + priorityRequestTimeout) << shift);
        emit PriorityRequestQueued(index, l2Target, data, requestHash, rolling);
    }

    /// @notice Commits the next batches, in order.
    /// @dev Each batch must be number `totalCommitted + 1`, link to the previous batch hash and start at
    /// the block after the previous batch's last block (after the genesis batch's for batch 1), and claim
    /// no more priority requests than were queued (`PriorityRequestsNotQueued`; their hash is checked at
    /// execution). After the last batch, the first request the committed batches leave unprocessed must
    /// not be past its deadline (`PriorityRequestOverdue`, forced inclusion; see the contract's notes).
    /// @param batches The batches to commit.
    function commitBatches(BatchCommitment[] calldata batches) external onlyOperator {
        uint256 n = totalCommitted;
        uint256 previousLastBlock = lastCommittedBlock;
        uint256 queued = priorityRequestsQueued;
        uint256 processed = totalPriorityRequestsCommitted;
        for (uint256 i; i < batches.length; ++i) {
            BatchCommitment calldata batch = batches[i];
            ++n;
            if (batch.batchNumber != n) revert UnexpectedBatchNumber(n, batch.batchNumber);
            bytes32 previousHash = batchHashes[n - 1];
            if (batch.previousBatchHash != previousHash) {
                revert PreviousBatchHashMismatch(n, previousHash, batch.previousBatchHash);
            }
            if (batch.firstBlock != previousLastBlock + 1) {
                revert FirstBlockMismatch(n, previousLastBlock + 1, batch.firstBlock);
            }
            uint256 count = batch.priorityRequestsCount;
            processed = count > type(uint256).max - processed ? type(uint256).max : processed + count;
            if (processed > queued) revert PriorityRequestsNotQueued(n, processed, queued);
            bytes32 batchHash = keccak256(abi.encode(batch));
            batchHashes[n] = batchHash;
            previousLastBlock = batch.lastBlock;
            emit BatchCommitted(n, batchHash);
        }
        totalCommitted = n;
        lastCommittedBlock = previousLastBlock;
        totalPriorityRequestsCommitted = processed;
        if (processed < queued) {
            uint256 deadline = priorityRequestDeadline(processed);
            if (deadline < block.timestamp) revert PriorityRequestOverdue(processed, deadline, block.timestamp);
        }
    }

    /// @notice The deadline of priority request `index` (section 9.2): the chain must have processed it
    /// in a batch committed by then. 0 for a request not queued here (not yet, or before the chain moved
    /// here).
    function priorityRequestDeadline(uint256 index) public view returns (uint256) {
        return (_deadlines[index / 4] >> ((index % 4) * 64)) & type(uint64).max;
    }

    /// @notice Proves the next committed batches with one proof.
    /// @dev The public input is `keccak256(abi.encode(bytes32[] batchHashes))` over the batches given.
    /// @param batches The batches right after `totalProven`, each already committed.
    /// @param proof The proof, passed to the verifier.
    function proveBatches(BatchCommitment[] calldata batches, bytes calldata proof) external onlyOperator {
        uint256 first = totalProven + 1;
        bytes32[] memory hashes = new bytes32[](batches.length);
        for (uint256 i; i < batches.length; ++i) {
            hashes[i] = _checkStored(batches[i], first + i, totalCommitted, false);
        }
        bytes32 publicInput = keccak256(abi.encode(hashes));

        totalProven = first + batches.length - 1;
        for (uint256 i; i < batches.length; ++i) {
            emit BatchProven(first + i);
        }
        // A static call to the verifier; a rejection reverts everything above.
        if (!verifier.verify(publicInput, proof)) revert ProofRejected();
    }

    /// @notice Executes the next proven batches: checks the priority requests each processed against
    /// the queue (count within what was queued, `priorityRequestsHash` equal to the queue's rolling
    /// hash after them), their imported interop roots against the settlement layer's root history,
    /// and appends their message roots to MessageRoot.
    /// @param batches The batches right after `totalExecuted`, each already proven.
    /// @param importedRoots For each batch, the interop roots it imported, in order.
    function executeBatches(BatchCommitment[] calldata batches, ImportedRoot[][] calldata importedRoots)
        external
        onlyOperator
    {
        if (importedRoots.length != batches.length) revert LengthMismatch(batches.length, importedRoots.length);
        IBatchValueApprover approver = IValueApproverRegistry(registry).valueApprover();
        uint256 first = totalExecuted + 1;
        uint256 processed = totalPriorityRequestsProcessed;
        for (uint256 i; i < batches.length; ++i) {
            BatchCommitment calldata batch = batches[i];
            uint256 n = first + i;
            _checkStored(batch, n, totalProven, true);
            processed = _checkPriorityRequests(batch, n, processed);
            _checkImportedRoots(batch, importedRoots[i]);
            if (address(approver) != address(0) && !approver.isApproved(chainId, n, batch.messageRoot)) {
                revert BatchValueNotApproved(n);
            }
        }

        totalExecuted = first + batches.length - 1;
        totalPriorityRequestsProcessed = processed;
        for (uint256 i; i < batches.length; ++i) {
            emit BatchExecuted(first + i, batches[i].messageRoot);
            messageRoot.appendBatchRoot(chainId, first + i, batches[i].messageRoot);
        }
    }

    /// @dev Checks that `batch` is batch `n`, that `n <= limit` (committed, or proven when `forExecution`)
    /// and that it hashes to the stored hash. Returns the hash.
    function _checkStored(BatchCommitment calldata batch, uint256 n, uint256 limit, bool forExecution)
        private
        view
        returns (bytes32 batchHash)
    {
        if (batch.batchNumber != n) revert UnexpectedBatchNumber(n, batch.batchNumber);
        if (n > limit) {
            if (forExecution) revert BatchNotProven(n);
            revert BatchNotCommitted(n);
        }
        batchHash = keccak256(abi.encode(batch));
        bytes32 stored = batchHashes[n];
        if (batchHash != stored) revert BatchHashMismatch(n, stored, batchHash);
    }

    /// @dev Checks that batch `n`, run after `processed` requests, processed requests that were queued
    /// and ends at the queue's rolling hash. Returns the number processed after it.
    function _checkPriorityRequests(BatchCommitment calldata batch, uint256 n, uint256 processed)
        private
        view
        returns (uint256 upTo)
    {
        uint256 queued = priorityRequestsQueued;
        uint256 count = batch.priorityRequestsCount;
        upTo = count > type(uint256).max - processed ? type(uint256).max : processed + count;
        if (upTo > queued) revert PriorityRequestsNotQueued(n, upTo, queued);
        bytes32 expected = priorityRollingHashes[upTo];
        if (batch.priorityRequestsHash != expected) revert PriorityRequestsMismatch(n, expected, batch.priorityRequestsHash);
    }

    /// @dev Checks the imported roots against the batch's count and rolling hash, and each root
    /// against this settlement layer's history.
    function _checkImportedRoots(BatchCommitment calldata batch, ImportedRoot[] calldata roots) private view {
        if (roots.length != batch.importedRootsCount || MessageHashing.importedRootsHash(roots) != batch.importedRootsHash)
        {
            revert ImportedRootsMismatch(batch.batchNumber);
        }
        for (uint256 j; j < roots.length; ++j) {
            ImportedRoot calldata r = roots[j];
            (bool accepted, bytes32 known) = messageRoot.acceptedRoot(r.slChainId, r.slBlockNumber);
            if (!accepted) revert UnknownSettlementLayer(r.slChainId);
            if (r.root == bytes32(0) || known != r.root) revert RootNotInHistory(r.slChainId, r.slBlockNumber, r.root);
        }
    }
}
