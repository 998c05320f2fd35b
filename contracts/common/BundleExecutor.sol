// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {
    BundleStatus, CallDecision, CallStatus, InteropBundle, InteropCall, InteropProof
} from "./InteropTypes.sol";
import {MessageHashing} from "./MessageHashing.sol";

/// @title BundleExecutor
/// @notice The rules every executor of bundles keeps, on a ZK chain (InteropHandler) and on L1
/// (L1InteropHandler): each bundle runs at most once, after its proof of inclusion is checked
/// (docs/protocol.md sections 7 and 8). Bundle statuses (Unreceived → Verified → Executed | Unbundled,
/// or Unreceived → Executed) and call statuses (Unprocessed → Executed | Cancelled) are the replay
/// protection. A bundle whose call fails reverts as a whole and can be retried; the unbundler may
/// execute or cancel single calls of a verified bundle.
/// @dev Where a status is kept (`_statusOf`, `_setStatus`): by the bundle's number on its route (its salt,
/// section 4), two bits per bundle in a map per source chain, so that 128 bundles of a route share one
/// storage slot; and, once a bundle is verified, also under its hash (Verified, then Executed or Unbundled),
/// which binds the Verified status to those exact bytes. Each number belongs to one bundle only: the source
/// InteropCenter hands each out once, and a bundle's number is proven with its hash.
abstract contract BundleExecutor {
    /// @notice The only bundle version accepted: the low 128 bits of a bundle's version word.
    uint256 public constant BUNDLE_VERSION = 1;
    /// @notice Bit 128 of a bundle's version word: the bundle was sent with the `executionGasLimit` attribute
    /// (it may pay a fee), so its execution is recorded for the executor's fee claim (`_recordExecution`,
    /// docs/fees.md). The version words accepted are `BUNDLE_VERSION` and `BUNDLE_VERSION | PAYS_FEE_FLAG`.
    uint256 public constant PAYS_FEE_FLAG = 1 << 128;

    /// @notice The InteropCenter: the required sender of bundles on the source chain (the same address
    /// on every chain).
    address public immutable interopCenter;

    /// @dev The head of `abi.encode(bundle)`: the offset word, then version, source, destination, salt, the
    /// calls' offset, execution address and unbundler, one word each.
    uint256 private constant BUNDLE_HEAD_LENGTH = 8 * 32;

    /// @dev The status of a bundle that was verified (Verified, then Executed or Unbundled); Unreceived for
    /// any other, including one executed straight away (see `_routeStatuses`).
    mapping(bytes32 bundleHash => BundleStatus status) internal _statuses;
    /// @dev Per source chain, the status of the bundle numbered `n` on the route from that chain to this
    /// one: bits `2 * (n % 128)` and up of word `n / 128`.
    mapping(uint256 sourceChainId => mapping(uint256 word => uint256 statuses)) private _routeStatuses;
    mapping(bytes32 bundleHash => mapping(uint256 callIndex => CallStatus status)) internal _callStatuses;
    /// @dev The bundle whose calls are being delivered (0 outside a delivery); transient.
    bytes32 private transient _executing;

    /// @notice The bundle was executed: every call was delivered.
    event BundleExecuted(bytes32 indexed bundleHash, uint256 indexed sourceChainId);
    /// @notice The bundle's proof was checked; it may now be executed (without a proof) or unbundled.
    event BundleVerified(bytes32 indexed bundleHash);
    /// @notice The unbundler processed calls of the bundle (emitted once per `unbundleBundle`).
    event BundleUnbundled(bytes32 indexed bundleHash);
    /// @notice Call `callIndex` of an unbundled bundle was executed or cancelled.
    event CallProcessed(bytes32 indexed bundleHash, uint256 indexed callIndex, CallStatus status);
    /// @notice The value of cancelled call `callIndex` was released to the unbundler `to`.
    event CancelledCallValueReleased(bytes32 indexed bundleHash, uint256 indexed callIndex, address to, uint256 value);

    /// @notice Only version 1 bundles are executed (`version` is the whole version word: the version and
    /// the `PAYS_FEE_FLAG` bit; any other bit set is refused too).
    error UnsupportedBundleVersion(uint256 version);
    /// @notice The bundle is for another chain.
    error WrongDestinationChain(uint256 expected, uint256 actual);
    /// @notice The bundle's status does not allow this: executing an Executed or Unbundled bundle,
    /// verifying a bundle that is not Unreceived, unbundling an Executed bundle.
    error BundleAlreadyProcessed(bytes32 bundleHash, BundleStatus status);
    /// @notice Only a Verified or Unbundled bundle can be unbundled (this one is Unreceived).
    error BundleNotVerified(bytes32 bundleHash);
    /// @notice Only the bundle's unbundler may unbundle it (and nobody when it is 0).
    error NotUnbundler(address caller, address unbundler);
    /// @notice `unbundleBundle` needs exactly one decision per call.
    error WrongDecisionCount(uint256 expected, uint256 actual);
    /// @notice The call was already executed or cancelled.
    error CallAlreadyProcessed(bytes32 bundleHash, uint256 index, CallStatus status);
    /// @notice The bundle may only be executed by its execution address.
    error NotExecutionAddress(address caller, address allowed);
    /// @notice The proven message was not sent by the InteropCenter.
    error SenderNotInteropCenter(address messageSender);
    /// @notice The proof leads to a root other than the one recorded where it is checked (the imported
    /// root on a chain, L1's root history on L1; the same error as `SettlementLayerHistory`'s).
    error ProofRootMismatch(bytes32 computed, bytes32 recorded);
    /// @notice `executeBundles` got a different number of bundles and proofs.
    error LengthMismatch(uint256 bundles, uint256 proofs);
    /// @notice The bytes cannot be an encoded bundle: shorter than its head (`length` bytes), or a head
    /// whose first word is not the offset `0x20` of `abi.encode(bundle)` or whose execution address word
    /// is not a clean address.
    error MalformedBundle(uint256 length);
    /// @notice Call `callIndex` failed with `reason` (the recipient's revert data, or the gateway's
    /// `InvalidRecipientReturn`); nothing was executed and the bundle can be retried.
    error CallFailed(uint256 callIndex, bytes reason);

    /// @param interopCenter_ The InteropCenter (same address on every chain).
    constructor(address interopCenter_) {
        interopCenter = interopCenter_;
    }

    /// @notice Executes a bundle sent to this chain: checks it and, unless it is Verified, its proof;
    /// marks it Executed, then delivers each call through the InteropCenter, with its value released
    /// from the base-token holder. If any call fails,
    /// everything reverts (`CallFailed`) and the bundle keeps its status, so it can be retried.
    /// @dev Only the bundle's execution address may call this when it is not 0. An Executed or
    /// Unbundled bundle is refused (`BundleAlreadyProcessed`).
    /// @param encodedBundle `abi.encode(bundle)`, exactly as sent (its keccak256 is the bundle hash).
    /// @param proof Proof that the source chain's InteropCenter sent the bundle hash (ignored, and may
    /// be empty, when the bundle is Verified).
    function executeBundle(bytes calldata encodedBundle, InteropProof calldata proof) external {
        _executeOne(encodedBundle, proof);
    }

    /// @notice Executes several bundles in one transaction, all or none: each exactly as
    /// {executeBundle} would, in order. If one fails, the whole transaction reverts with its error;
    /// relayers then fall back to executing the bundles one by one.
    /// @param encodedBundles The encoded bundles.
    /// @param proofs Their proofs, in the same order.
    function executeBundles(bytes[] calldata encodedBundles, InteropProof[] calldata proofs) external {
        if (encodedBundles.length != proofs.length) revert LengthMismatch(encodedBundles.length, proofs.length);
        for (uint256 i; i < encodedBundles.length; ++i) {
            _executeOne(encodedBundles[i], proofs[i]);
        }
    }

    /// @notice Checks a bundle sent to this chain and its proof, and marks it Verified without
    /// executing it: it can then be executed without a proof, or unbundled by its unbundler.
    /// @dev Anyone may verify. Requires an Unreceived bundle (`BundleAlreadyProcessed`), version 1,
    /// this chain as destination and a valid proof.
    /// @param encodedBundle `abi.encode(bundle)`, exactly as sent.
    /// @param proof Proof that the source chain's InteropCenter sent the bundle hash.
    function verifyBundle(bytes calldata encodedBundle, InteropProof calldata proof) public virtual {
        _verifyBundle(encodedBundle, bytes32(0), proof);
    }

    /// @dev Verifies a bundle whose leaf's payload hash is its hash (`blinding` 0) or, from a private chain,
    /// its blinded commitment `H(0x08 ‖ bundleHash ‖ blinding)` (section 4.1), and marks it Verified.
    function _verifyBundle(bytes calldata encodedBundle, bytes32 blinding, InteropProof calldata proof) internal {
        (uint256 sourceChainId, uint256 bundleNumber,, bytes32 bundleHash,) = _readHead(encodedBundle);
        BundleStatus status = _statusOf(bundleHash, sourceChainId, bundleNumber);
        if (status != BundleStatus.Unreceived) revert BundleAlreadyProcessed(bundleHash, status);
        verifyProof(_provenHash(bundleHash, blinding), sourceChainId, proof);
        _setStatus(bundleHash, sourceChainId, bundleNumber, BundleStatus.Verified);
        emit BundleVerified(bundleHash);
    }

    /// @notice Executes or cancels single calls of a Verified (or already Unbundled) bundle; only the
    /// bundle's unbundler. Decision `i` applies to call `i`: Execute and Cancel require the call to be
    /// Unprocessed; Leave does nothing. The bundle becomes Unbundled (and can no longer be executed
    /// as a whole). All statuses are written first, then the Execute calls are delivered in order, each
    /// with its value; if one fails, the whole transaction reverts (`CallFailed`). Then the value of
    /// each cancelled call is released to the unbundler (`CancelledCallValueReleased`).
    /// @dev Checks, in order: the bundle status (`BundleNotVerified` when Unreceived,
    /// `BundleAlreadyProcessed` when Executed), `WrongDecisionCount`, `NotUnbundler`, then each call
    /// (`CallAlreadyProcessed`). The status comes first: only bytes whose proof was checked are decoded.
    /// @param encodedBundle `abi.encode(bundle)`, exactly as sent.
    /// @param decisions One decision per call.
    function unbundleBundle(bytes calldata encodedBundle, CallDecision[] calldata decisions) external {
        bytes32 bundleHash = keccak256(encodedBundle);
        BundleStatus status = _statuses[bundleHash];
        if (status == BundleStatus.Unreceived) revert BundleNotVerified(bundleHash);
        if (status == BundleStatus.Executed) revert BundleAlreadyProcessed(bundleHash, status);
        InteropBundle calldata bundle = _proven(encodedBundle);
        InteropCall[] calldata calls = bundle.calls;
        if (decisions.length != calls.length) revert WrongDecisionCount(calls.length, decisions.length);
        if (bundle.unbundler == address(0) || msg.sender != bundle.unbundler) {
            revert NotUnbundler(msg.sender, bundle.unbundler);
        }

        _setStatus(bundleHash, bundle.sourceChainId, uint256(bundle.salt), BundleStatus.Unbundled);
        for (uint256 i; i < calls.length; ++i) {
            CallDecision decision = decisions[i];
            if (decision == CallDecision.Leave) continue;
            CallStatus callStatus_ = _callStatuses[bundleHash][i];
            if (callStatus_ != CallStatus.Unprocessed) revert CallAlreadyProcessed(bundleHash, i, callStatus_);
            if (decision == CallDecision.Execute) {
                _callStatuses[bundleHash][i] = CallStatus.Executed;
                emit CallProcessed(bundleHash, i, CallStatus.Executed);
            } else {
                _callStatuses[bundleHash][i] = CallStatus.Cancelled;
                emit CallProcessed(bundleHash, i, CallStatus.Cancelled);
            }
        }
        emit BundleUnbundled(bundleHash);

        bytes32 outer = _executing;
        _executing = bundleHash;
        for (uint256 i; i < calls.length; ++i) {
            if (decisions[i] == CallDecision.Execute) _deliver(bundleHash, bundle.sourceChainId, i, calls[i]);
        }
        _executing = outer;
        for (uint256 i; i < calls.length; ++i) {
            uint256 value = calls[i].value;
            if (decisions[i] == CallDecision.Cancel && value != 0) {
                emit CancelledCallValueReleased(bundleHash, i, msg.sender, value);
                _releaseCancelledValue(bundle.sourceChainId, calls[i], msg.sender, value);
            }
        }
    }

    /// @notice Status of call `index` of a bundle. Every index of an Executed bundle reads Executed
    /// (the handler does not keep the call count).
    /// @param encodedBundle `abi.encode(bundle)`, exactly as sent (a bundle to this chain).
    function callStatus(bytes calldata encodedBundle, uint256 index) external view returns (CallStatus) {
        (uint256 sourceChainId, uint256 bundleNumber, bytes32 bundleHash, bool here) = _peekHead(encodedBundle);
        if (!here) return CallStatus.Unprocessed;
        if (_statusOf(bundleHash, sourceChainId, bundleNumber) == BundleStatus.Executed) return CallStatus.Executed;
        return _callStatuses[bundleHash][index];
    }

    /// @dev What `executeBundle` does for one bundle: `_executeBundle` for the caller. An executor may
    /// wrap it (L1InteropHandler keeps a verified bundle's value in the alias accounts when its calls fail).
    function _executeOne(bytes calldata encodedBundle, InteropProof calldata proof) internal virtual {
        _executeBundle(encodedBundle, proof, msg.sender);
    }

    /// @dev Executes a bundle for `caller` (who must be its execution address when it has one).
    function _executeBundle(bytes calldata encodedBundle, InteropProof calldata proof, address caller) internal {
        _executeBundle(encodedBundle, bytes32(0), proof, caller);
    }

    /// @dev Executes a bundle for `caller`; an Unreceived one's proof is of its hash (`blinding` 0) or of its
    /// blinded commitment (a private chain's, section 4.1).
    function _executeBundle(bytes calldata encodedBundle, bytes32 blinding, InteropProof calldata proof, address caller)
        internal
    {
        (uint256 sourceChainId, uint256 bundleNumber, address executionAddress, bytes32 bundleHash, bool paysFee) =
            _readHead(encodedBundle);
        BundleStatus status = _statusOf(bundleHash, sourceChainId, bundleNumber);
        if (status != BundleStatus.Unreceived && status != BundleStatus.Verified) {
            revert BundleAlreadyProcessed(bundleHash, status);
        }
        if (executionAddress != address(0) && executionAddress != caller) {
            revert NotExecutionAddress(caller, executionAddress);
        }
        if (status == BundleStatus.Unreceived) verifyProof(_provenHash(bundleHash, blinding), sourceChainId, proof);
        _setStatus(bundleHash, sourceChainId, bundleNumber, BundleStatus.Executed);
        InteropCall[] calldata calls = _proven(encodedBundle).calls;
        emit BundleExecuted(bundleHash, sourceChainId);
        // Only a bundle sent with `executionGasLimit` may have a fee to claim: the others' executions are not
        // recorded (their fee record on the source cannot exist, `InteropCenter.topUpFee`).
        if (paysFee) _recordExecution(bundleHash, caller);

        bytes32 outer = _executing;
        _executing = bundleHash;
        for (uint256 i; i < calls.length; ++i) {
            _deliver(bundleHash, sourceChainId, i, calls[i]);
        }
        _executing = outer;
    }

    /// @dev What the source recorded as the bundle's leaf payload: its hash, or its blinded commitment.
    function _provenHash(bytes32 bundleHash, bytes32 blinding) private pure returns (bytes32) {
        return blinding == bytes32(0) ? bundleHash : MessageHashing.blindedBundleCommitment(bundleHash, blinding);
    }

    /// @notice The hash of the bundle whose calls are being delivered right now (0 outside a delivery).
    /// A recipient can tell which bundle calls it, and so find what another call of the same bundle
    /// delivered: call `i`'s `receiveId` is `keccak256(abi.encode(bundleHash, i))` (e.g. the
    /// L2AssetRouter's `transferReceived`). Kept in transient storage; a bundle executed from within a
    /// delivery has its own hash here until it returns.
    function executingBundle() external view returns (bytes32) {
        return _executing;
    }

    /// @dev The status of the bundle `bundleHash`, numbered `bundleNumber` on its route from `sourceChainId`:
    /// Unreceived or Executed from its route status alone; for Verified and Unbundled (written with the hash),
    /// its status under its hash, so that other bytes claiming a verified bundle's number read Unreceived
    /// (and must bring a proof). Other bytes claiming an executed or unbundled bundle's number read as it.
    function _statusOf(bytes32 bundleHash, uint256 sourceChainId, uint256 bundleNumber)
        internal
        view
        virtual
        returns (BundleStatus)
    {
        uint256 routeStatus = (_routeStatuses[sourceChainId][bundleNumber >> 7] >> ((bundleNumber & 0x7f) << 1)) & 3;
        if (routeStatus == uint256(BundleStatus.Unreceived) || routeStatus == uint256(BundleStatus.Executed)) {
            return BundleStatus(routeStatus);
        }
        return _statuses[bundleHash];
    }

    /// @dev Records `status` for the bundle: under its number; and under its hash unless it goes straight
    /// from Unreceived to Executed (the common case, one storage write shared by 128 bundles of a route).
    function _setStatus(bytes32 bundleHash, uint256 sourceChainId, uint256 bundleNumber, BundleStatus status)
        internal
        virtual
    {
        uint256 shift = (bundleNumber & 0x7f) << 1;
        mapping(uint256 => uint256) storage route = _routeStatuses[sourceChainId];
        uint256 word = route[bundleNumber >> 7];
        bool wasUnreceived = (word >> shift) & 3 == uint256(BundleStatus.Unreceived);
        route[bundleNumber >> 7] = (word & ~(uint256(3) << shift)) | (uint256(status) << shift);
        if (!(wasUnreceived && status == BundleStatus.Executed)) _statuses[bundleHash] = status;
    }

    /// @dev What the status views need from a bundle's head: its source, number and hash, and whether it is
    /// a bundle this chain may receive (version 1, to this chain). Reverts `MalformedBundle` as `_readHead`.
    function _peekHead(bytes calldata encodedBundle)
        private
        view
        returns (uint256 sourceChainId, uint256 bundleNumber, bytes32 bundleHash, bool here)
    {
        uint256 version;
        uint256 destinationChainId;
        (version, sourceChainId, destinationChainId, bundleNumber,) = _headWords(encodedBundle);
        bundleHash = keccak256(encodedBundle);
        here = version & ~PAYS_FEE_FLAG == BUNDLE_VERSION && destinationChainId == block.chainid;
    }

    /// @dev Reads what the checks before the proof need from a bundle's head (without decoding the rest):
    /// its source chain, its number (the salt), execution address and whether it was sent with a fee
    /// (`PAYS_FEE_FLAG`); computes its hash, checks its version and destination. Hashing the bytes as given is safe: only the canonical encoding produced by the source
    /// InteropCenter has a hash that can be proven. Malformed bytes are refused by name here or by the proof
    /// check, never by the ABI decoder's bare revert: the calls are read only once the hash is proven
    /// (`_proven`).
    function _readHead(bytes calldata encodedBundle)
        internal
        view
        returns (uint256 sourceChainId, uint256 bundleNumber, address executionAddress, bytes32 bundleHash, bool paysFee)
    {
        uint256 version;
        uint256 destinationChainId;
        uint256 executionAddressWord;
        (version, sourceChainId, destinationChainId, bundleNumber, executionAddressWord) = _headWords(encodedBundle);
        if (executionAddressWord >> 160 != 0) revert MalformedBundle(encodedBundle.length);
        executionAddress = address(uint160(executionAddressWord));
        bundleHash = keccak256(encodedBundle);
        if (version & ~PAYS_FEE_FLAG != BUNDLE_VERSION) revert UnsupportedBundleVersion(version);
        paysFee = version != BUNDLE_VERSION;
        if (destinationChainId != block.chainid) revert WrongDestinationChain(block.chainid, destinationChainId);
    }

    /// @dev Words 1 (version word), 2 (source), 3 (destination), 4 (salt: the bundle's number) and 6 (execution
    /// address) of `abi.encode(bundle)`; `MalformedBundle` when the bytes are shorter than the head or the
    /// first word is not the offset `0x20`.
    function _headWords(bytes calldata encodedBundle)
        private
        pure
        returns (
            uint256 version,
            uint256 sourceChainId,
            uint256 destinationChainId,
            uint256 bundleNumber,
            uint256 executionAddressWord
        )
    {
        uint256 offsetWord;
        // Read past the bytes only when they are shorter than the head, refused below.
        assembly ("memory-safe") {
            let head := encodedBundle.offset
            offsetWord := calldataload(head)
            version := calldataload(add(head, 0x20))
            sourceChainId := calldataload(add(head, 0x40))
            destinationChainId := calldataload(add(head, 0x60))
            bundleNumber := calldataload(add(head, 0x80))
            executionAddressWord := calldataload(add(head, 0xc0))
        }
        if (encodedBundle.length < BUNDLE_HEAD_LENGTH || offsetWord != 32) revert MalformedBundle(encodedBundle.length);
    }

    /// @dev A bundle whose hash was proven (by `verifyProof` in this transaction, or when it was verified),
    /// read in place: the source InteropCenter's `abi.encode(bundle)`, whose tuple starts after the offset
    /// word `0x20` (`_readHead` checked it), so its fields and calls are read from the calldata without
    /// copying them.
    function _proven(bytes calldata encodedBundle) internal pure returns (InteropBundle calldata bundle) {
        assembly ("memory-safe") {
            bundle := add(encodedBundle.offset, 0x20)
        }
    }

    /// @notice Status of a bundle on this chain: Unreceived for a bundle to another chain (or of another
    /// version), which is never received here.
    /// @param encodedBundle `abi.encode(bundle)`, exactly as sent: the status is kept under the bundle's number
    /// on its route as well as its hash, so the view needs the bytes, not only the hash. Reverts
    /// `MalformedBundle` for bytes that have no bundle head.
    function bundleStatus(bytes calldata encodedBundle) external view returns (BundleStatus) {
        (uint256 sourceChainId, uint256 bundleNumber, bytes32 bundleHash, bool here) = _peekHead(encodedBundle);
        return here ? _statusOf(bundleHash, sourceChainId, bundleNumber) : BundleStatus.Unreceived;
    }

    /// @notice Checks a proof of inclusion of `bundleHash` sent from `sourceChainId` by the source
    /// chain's InteropCenter (section 7) and returns the root it proves. Reverts when the proof fails.
    function verifyProof(bytes32 bundleHash, uint256 sourceChainId, InteropProof calldata proof)
        public
        view
        virtual
        returns (bytes32 root);

    /// @dev Delivers call `index` of a bundle with its value; a failure of the call reverts with
    /// `CallFailed`.
    function _deliver(bytes32 bundleHash, uint256 sourceChainId, uint256 index, InteropCall calldata call) internal virtual;

    /// @dev Records that `executor` executed the bundle, for its fee (docs/fees.md); nothing by default (L1).
    function _recordExecution(bytes32 bundleHash, address executor) internal virtual {}

    /// @dev Where the value of a call the unbundler (`unbundler`) cancels goes.
    function _releaseCancelledValue(uint256 sourceChainId, InteropCall calldata call, address unbundler, uint256 value)
        internal
        virtual;
}
