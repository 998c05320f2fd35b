// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BundleExecutor} from "../../common/BundleExecutor.sol";
import {SettlementLayerHistory} from "../../common/SettlementLayerHistory.sol";
import {BundleStatus, InteropBundle, InteropCall, InteropProof} from "../../common/InteropTypes.sol";
import {ChainRegistry} from "../ChainRegistry.sol";
import {MessageRoot} from "../MessageRoot.sol";
import {L1AssetRouter} from "../bridge/L1AssetRouter.sol";
import {AliasAccount} from "./AliasAccount.sol";

/// @title L1InteropHandler
/// @notice Executes on L1 the bundles that ZK chains send to L1 (docs/protocol.md section 10), with
/// the rules of every bundle executor (statuses, execution address, unbundler, retry): once the
/// source batch (or the Gateway batch holding it) is executed on L1, a proof against L1's root
/// history (one or two levels) shows the source chain's InteropCenter sent the bundle. Each call runs
/// from the alias account of its sender: `(source chain, call.from)`'s AliasAccount, deployed on
/// first use, which only this handler can make call.
/// @dev Value: when a bundle is first verified, the value of each call leaves the source chain's
/// ETH balance in the L1 vault for the sender's alias account (a withdrawal to it). The calls then run
/// all or none; if one fails, `executeBundle` does not revert: it records `BundleExecutionFailed`,
/// the bundle stays Verified and can be retried, and the value stays in the alias account, where a
/// later bundle of the owner can use or send it back.
contract L1InteropHandler is BundleExecutor {
    /// @notice L1's chain registry (which chains and Gateways exist).
    ChainRegistry public immutable registry;
    /// @notice L1's message root (its history of shared roots).
    MessageRoot public immutable messageRoot;
    /// @notice The L1 asset router, which releases bundle values from the chains' balances.
    L1AssetRouter public immutable assetRouter;

    mapping(bytes32 bundleHash => bool moved) private _valueMoved;

    /// @notice The alias account of `owner` on `chainId` was deployed at `account`.
    event AliasAccountDeployed(uint256 indexed chainId, address indexed owner, address account);
    /// @notice The calls of a verified bundle failed with `reason`; it stays Verified and may be retried.
    event BundleExecutionFailed(bytes32 indexed bundleHash, bytes reason);

    /// @notice The transaction's gas (`gasAvailable` before the calls) ran out inside the calls: send
    /// more gas. Nothing changed.
    error InsufficientGasForCalls(uint256 gasAvailable);
    /// @notice Call `callIndex` reverted without data, as a call that ran out of gas does (the
    /// transaction had `gasAvailable` before the calls). Nothing changed; retry with more gas.
    error CallRevertedWithoutReason(uint256 callIndex, uint256 gasAvailable);
    /// @notice Only this contract may call this.
    error OnlySelf(address caller);

    /// @param interopCenter_ The InteropCenter (same address on every ZK chain).
    /// @param registry_ L1's ChainRegistry.
    /// @param messageRoot_ L1's MessageRoot.
    /// @param assetRouter_ The L1AssetRouter (built with this handler's address).
    constructor(address interopCenter_, ChainRegistry registry_, MessageRoot messageRoot_, L1AssetRouter assetRouter_)
        BundleExecutor(interopCenter_)
    {
        registry = registry_;
        messageRoot = messageRoot_;
        assetRouter = assetRouter_;
    }

    /// @dev Verifies the bundle if it is not yet (moving its value to the alias accounts), then runs its
    /// calls, all or none. A failure of the calls does not revert (`BundleExecutionFailed`): the value
    /// stays in the alias accounts and the bundle can be retried. The status and execution-address
    /// checks still revert.
    function _executeOne(bytes calldata encodedBundle, InteropProof calldata proof) internal override {
        (,,, bytes32 bundleHash,) = _readHead(encodedBundle);
        if (_statuses[bundleHash] == BundleStatus.Unreceived) verifyBundle(encodedBundle, proof);
        uint256 gasBefore = gasleft();
        try this.executeVerifiedBundle(encodedBundle, proof, msg.sender) {}
        catch (bytes memory reason) {
            // The calls used up the gas the caller gave (an out-of-gas leaves about 1/64; a margin for
            // what was spent between the measure and the call): that is the
            // caller's shortfall, not the bundle's failure. Revert, so gas estimation gives enough.
            if (gasleft() <= gasBefore / 32) revert InsufficientGasForCalls(gasBefore);
            bytes4 selector = bytes4(reason);
            // A call deeper down that reverted without any data looks exactly like one that ran out of
            // the gas left for it: revert too (the bundle can be retried with more gas).
            if (selector == CallFailed.selector && reason.length >= 4) {
                (uint256 index, bytes memory inner) = abi.decode(_tail(reason), (uint256, bytes));
                if (inner.length == 0) revert CallRevertedWithoutReason(index, gasBefore);
            }
            if (selector == BundleAlreadyProcessed.selector || selector == NotExecutionAddress.selector) {
                assembly ("memory-safe") {
                    revert(add(reason, 32), mload(reason))
                }
            }
            emit BundleExecutionFailed(bundleHash, reason);
        }
    }

    /// @notice Runs a verified bundle's calls for `caller` (only as a call of this contract to itself,
    /// so that `executeBundle` can keep the verification when the calls fail).
    function executeVerifiedBundle(bytes calldata encodedBundle, InteropProof calldata proof, address caller) external {
        if (msg.sender != address(this)) revert OnlySelf(msg.sender);
        _executeBundle(encodedBundle, proof, caller);
    }

    /// @notice Checks the bundle and its proof, marks it Verified, deploys the senders' alias accounts
    /// that do not exist yet and moves the value of its calls to them, out of the L1 ledger account the
    /// bundle's batch is charged to (the source chain's, or its Gateway's).
    function verifyBundle(bytes calldata encodedBundle, InteropProof calldata proof) public override {
        super.verifyBundle(encodedBundle, proof);
        bytes32 bundleHash = keccak256(encodedBundle);
        InteropBundle calldata bundle = _proven(encodedBundle);
        if (_valueMoved[bundleHash]) return;
        _valueMoved[bundleHash] = true;
        for (uint256 i; i < bundle.calls.length; ++i) {
            InteropCall calldata call = bundle.calls[i];
            address account = _deployAlias(bundle.sourceChainId, call.from);
            if (call.value != 0) assetRouter.releaseBundleValue(bundle.sourceChainId, proof.batchNumber, account, call.value);
        }
    }

    /// @inheritdoc BundleExecutor
    /// @dev Against L1's own root history; a hop must go through a Gateway registered on L1.
    function verifyProof(bytes32 bundleHash, uint256 sourceChainId, InteropProof calldata proof)
        public
        view
        override
        returns (bytes32 root)
    {
        if (proof.messageSender != interopCenter) revert SenderNotInteropCenter(proof.messageSender);
        SettlementLayerHistory.checkMessage(messageRoot, registry, sourceChainId, bundleHash, proof);
        root = messageRoot.historicalRoot(proof.slBlockNumber);
    }

    /// @notice The alias account of `owner` on `chainId`: CREATE2 from this handler, salt
    /// `keccak256(abi.encode(chainId, owner))`, AliasAccount's init code with `(chainId, owner)`.
    function aliasAddress(uint256 chainId, address owner) public view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(AliasAccount).creationCode, abi.encode(chainId, owner)));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), _salt(chainId, owner), initCodeHash)))));
    }

    /// @dev Runs call `index` from its sender's alias account (deployed when the bundle was verified).
    function _deliver(bytes32, uint256 sourceChainId, uint256 index, InteropCall calldata call) internal override {
        address account = _deployAlias(sourceChainId, call.from);
        try AliasAccount(payable(account)).execute(call.to, call.value, call.data) {}
        catch (bytes memory reason) {
            revert CallFailed(index, reason);
        }
    }

    /// @dev The value of a cancelled call is already in the sender's alias account: it stays there.
    function _releaseCancelledValue(uint256, InteropCall calldata, address, uint256) internal pure override {}

    /// @dev Statuses under the bundle hash only: this handler verifies every bundle before it executes it
    /// (`_executeOne`), which writes the hash anyway, so the route status would only add a write.
    function _statusOf(bytes32 bundleHash, uint256, uint256) internal view override returns (BundleStatus) {
        return _statuses[bundleHash];
    }

    /// @dev See `_statusOf`.
    function _setStatus(bytes32 bundleHash, uint256, uint256, BundleStatus status) internal override {
        _statuses[bundleHash] = status;
    }

    /// @dev The alias account of `(chainId, owner)`, deployed if it is not yet.
    function _deployAlias(uint256 chainId, address owner) private returns (address account) {
        account = aliasAddress(chainId, owner);
        if (account.code.length == 0) {
            new AliasAccount{salt: _salt(chainId, owner)}(chainId, owner);
            emit AliasAccountDeployed(chainId, owner, account);
        }
    }

    /// @dev `data` without its 4-byte selector.
    function _tail(bytes memory data) private pure returns (bytes memory tail) {
        tail = new bytes(data.length - 4);
        for (uint256 i; i < tail.length; ++i) {
            tail[i] = data[i + 4];
        }
    }

    function _salt(uint256 chainId, address owner) private pure returns (bytes32) {
        return keccak256(abi.encode(chainId, owner));
    }
}
