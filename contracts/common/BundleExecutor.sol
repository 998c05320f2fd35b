// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {
    BundleStatus, CallDecision, CallStatus, InteropBundle, InteropCall, InteropProof
} from "./InteropTypes.sol";

/// @title BundleExecutor
/// @notice The rules every executor of bundles keeps, on a ZK chain (InteropHandler) and on L1
/// (L1InteropHandler): each bundle runs at most once, after its proof of inclusion is checked
/// (docs/protocol.md sections 7 and 8). Bundle statuses (Unreceived → Verified → Executed | Unbundled,
/// or Unreceived → Executed) and call statuses (Unprocessed → Executed | Cancelled) are the replay
/// protection. A bundle whose call fails reverts as a whole and can be retried; the unbundler may
/// execute or cancel single calls of a verified bundle.
/// @dev The executor decides how a proof is checked (`verifyProof`), how a call is delivered
/// (`_deliver`) and where the value of a cancelled call goes (`_releaseCancelledValue`).
abstract contract BundleExecutor {
    /// @notice The only bundle version accepted.
    uint256 public constant BUNDLE_VERSION = 1;

    /// @notice The InteropCenter: the required sender of bundles on the source chain (the same address
    /// on every chain).
    address public immutable interopCenter;

    /// @dev The head of `abi.encode(bundle)`: the offset word, then version, source, destination, salt, the
    /// calls' offset, execution address and unbundler, one word each.
    uint256 private constant BUNDLE_HEAD_LENGTH = 8 * 32;

    mapping(bytes32 bundleHash => BundleStatus status) internal _statuses;
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

    /// @notice Only version 1 bundles are executed.
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
        (uint256 sourceChainId,, bytes32 bundleHash) = _readHead(encodedBundle);
        BundleStatus status = _statuses[bundleHash];
        if (status != BundleStatus.Unreceived) revert BundleAlreadyProcessed(bundleHash, status);
        verifyProof(bundleHash, sourceChainId, proof);
        _statuses[bundleHash] = BundleStatus.Verified;
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

        _statuses[bundleHash] = BundleStatus.Unbundled;
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
    function callStatus(bytes32 bundleHash, uint256 index) external view returns (CallStatus) {
        if (_statuses[bundleHash] == BundleStatus.Executed) return CallStatus.Executed;
        return _callStatuses[bundleHash][index];
    }

    /// @dev What `executeBundle` does for one bundle: `_executeBundle` for the caller. An executor may
    /// wrap it (L1InteropHandler keeps a verified bundle's value in the alias accounts when its calls fail).
    function _executeOne(bytes calldata encodedBundle, InteropProof calldata proof) internal virtual {
        _executeBundle(encodedBundle, proof, msg.sender);
    }

    /// @dev Executes a bundle for `caller` (who must be its execution address when it has one).
    function _executeBundle(bytes calldata encodedBundle, InteropProof calldata proof, address caller) internal {
        (uint256 sourceChainId, address executionAddress, bytes32 bundleHash) = _readHead(encodedBundle);
        BundleStatus status = _statuses[bundleHash];
        if (status != BundleStatus.Unreceived && status != BundleStatus.Verified) {
            revert BundleAlreadyProcessed(bundleHash, status);
        }
        if (executionAddress != address(0) && executionAddress != caller) {
            revert NotExecutionAddress(caller, executionAddress);
        }
        if (status == BundleStatus.Unreceived) verifyProof(bundleHash, sourceChainId, proof);
        InteropCall[] calldata calls = _proven(encodedBundle).calls;
        _statuses[bundleHash] = BundleStatus.Executed;
        emit BundleExecuted(bundleHash, sourceChainId);

        bytes32 outer = _executing;
        _executing = bundleHash;
        for (uint256 i; i < calls.length; ++i) {
            _deliver(bundleHash, sourceChainId, i, calls[i]);
        }
        _executing = outer;
    }

    /// @notice The hash of the bundle whose calls are being delivered right now (0 outside a delivery).
    /// A recipient can tell which bundle calls it, and so find what another call of the same bundle
    /// delivered: call `i`'s `receiveId` is `keccak256(abi.encode(bundleHash, i))` (e.g. the
    /// L2AssetRouter's `transferReceived`). Kept in transient storage; a bundle executed from within a
    /// delivery has its own hash here until it returns.
    function executingBundle() external view returns (bytes32) {
        return _executing;
    }

    /// @dev Reads what the checks before the proof need from a bundle's head (without decoding the rest):
    /// its source chain and execution address; computes its hash, checks its version and destination.
    /// Hashing the bytes as given is safe: only the canonical encoding produced by the source InteropCenter
    /// has a hash that can be proven. Malformed bytes are refused by name here or by the proof check, never
    /// by the ABI decoder's bare revert: the calls are read only once the hash is proven (`_proven`).
    function _readHead(bytes calldata encodedBundle)
        internal
        view
        returns (uint256 sourceChainId, address executionAddress, bytes32 bundleHash)
    {
        uint256 length = encodedBundle.length;
        uint256 offsetWord;
        uint256 version;
        uint256 destinationChainId;
        uint256 executionAddressWord;
        // Words 0 (the offset 0x20), 1 (version), 2 (source), 3 (destination) and 6 (execution address) of
        // `abi.encode(bundle)`; read past the bytes only when they are shorter than the head, refused below.
        assembly ("memory-safe") {
            let head := encodedBundle.offset
            offsetWord := calldataload(head)
            version := calldataload(add(head, 0x20))
            sourceChainId := calldataload(add(head, 0x40))
            destinationChainId := calldataload(add(head, 0x60))
            executionAddressWord := calldataload(add(head, 0xc0))
        }
        if (length < BUNDLE_HEAD_LENGTH || offsetWord != 32 || executionAddressWord >> 160 != 0) {
            revert MalformedBundle(length);
        }
        executionAddress = address(uint160(executionAddressWord));
        bundleHash = keccak256(encodedBundle);
        if (version != BUNDLE_VERSION) revert UnsupportedBundleVersion(version);
        if (destinationChainId != block.chainid) revert WrongDestinationChain(block.chainid, destinationChainId);
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

    /// @notice Status of a bundle on this chain.
    function bundleStatus(bytes32 bundleHash) external view returns (BundleStatus) {
        return _statuses[bundleHash];
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

    /// @dev Where the value of a call the unbundler (`unbundler`) cancels goes.
    function _releaseCancelledValue(uint256 sourceChainId, InteropCall calldata call, address unbundler, uint256 value)
        internal
        virtual;
}
