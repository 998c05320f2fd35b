// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BundleEncoding} from "../common/BundleEncoding.sol";
import {IERC7786GatewaySource, IERC7786Recipient} from "../common/IERC7786.sol";
import {IIndirectCallInitiator} from "../common/IIndirectCallInitiator.sol";
import {IL2AssetRouter} from "../common/IL2AssetRouter.sol";
import {InteropAttributes} from "../common/InteropAttributes.sol";
import {InteropCall, InteropCallStarter, InteropProof} from "../common/InteropTypes.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {L2Messenger} from "./L2Messenger.sol";
import {InteropHandler} from "./InteropHandler.sol";
import {InteropRootStore} from "./InteropRootStore.sol";

/// @title InteropCenter
/// @notice The one ERC-7786 gateway of this chain, at the same address on every chain: senders call
/// `sendMessage` or `sendBundle` here, and recipients see this contract as `msg.sender` when messages are delivered
/// (the InteropHandler executes bundles and delivers each call through `deliver`).
/// @dev A sent message becomes a one-call bundle (docs/protocol.md section 4); `sendBundle` sends
/// several calls with attributes (section 8). The bundle hash is recorded as an outbound message of
/// this chain by this contract itself: its `BundleSent` is a leaf of the batch's message tree, as the
/// L2Messenger's `MessageRecorded` are (sections 2 and 3). The value of the calls (`interopCallValue`) is paid with the
/// transaction and bridged through the L2AssetRouter (section 9.7): paid into the base-token holder
/// here, released from the holder on the destination with the call.
///
/// On a private chain (deployed with a blinding key) the leaf of a bundle to any chain but L1 is not its
/// hash but `H(0x08 ‖ bundleHash ‖ blinding)`, with `blinding = keccak256(abi.encode(key, bundleHash))`
/// (section 4.1): the settlement layer, which sees the leaf, cannot test a guess of the bundle against it.
/// The blinding is emitted (`BundleBlinded`) on this chain only, for the relayer, which reads it through
/// the chain's permissioned RPC and gives it to the destination's InteropHandler with the bundle.
contract InteropCenter is IERC7786GatewaySource {
    /// @notice Version of the bundles built here.
    uint256 public constant BUNDLE_VERSION = 1;
    /// @notice Set in the version word of a bundle sent with the `executionGasLimit` attribute (bit 128): its
    /// destination records its execution, which the executor proves here to claim the fee (docs/fees.md).
    /// Bundles sent without it pay no fee, and their executions are not recorded.
    uint256 public constant PAYS_FEE_FLAG = 1 << 128;
    /// @notice Most calls a bundle sent by `sendBundle` may hold.
    uint256 public constant MAX_BUNDLE_CALLS = 64;

    /// @notice The chain's messenger, which records the other contracts' messages (this contract records its
    /// bundle hashes itself, with the same event).
    L2Messenger public immutable messenger;
    /// @notice The only caller of `deliver`.
    address public immutable interopHandler;
    /// @notice The L2AssetRouter, which bridges the value of the calls.
    address public immutable assetRouter;

    /// @notice Whether this chain blinds its bundles' leaves (a private chain, section 4.1).
    bool public immutable blindsBundles;
    /// @dev The key blindings are derived from: in storage, which only the chain's operator and full readers
    /// can read (not in the code, which the permissioned RPC shows to members). 0 on a public chain.
    bytes32 private _blindingKey;

    /// @notice Number of bundles this chain sent to each destination: the next bundle to `destinationChainId`
    /// gets this number as its salt (its place on the route, which the destination's replay protection keys
    /// on: docs/protocol.md section 4).
    mapping(uint256 destinationChainId => uint256 count) public bundlesSent;

    /// @notice Settlement gas charged per message in a quote, besides 16 gas per payload byte (its share of a
    /// batch's commit, proof and execution on the settlement layer; docs/fees.md).
    uint256 public constant SETTLEMENT_GAS_PER_MESSAGE = 2_000;
    /// @notice Gas of a fee claim on this chain (`claimFee`: the proof of the execution record and the payment;
    /// 107,175 measured, test/contracts/gas-snapshot.json), charged in a quote at this chain's own gas price.
    uint256 public constant CLAIM_GAS = 110_000;
    /// @notice The relayer's reward in a quote, in basis points of the execution, claim and settlement costs.
    uint256 public constant RELAYER_REWARD_BPS = 1_000;

    /// @dev Per bundle sent with `executionGasLimit` (fee or not, 0 wei included): the wei paid with it and
    /// added since (low 128 bits), the gas limit it buys (next 64), its destination chain (top 64, never 0, so
    /// a record is never 0). One slot, written only by a send with that attribute and by top-ups.
    mapping(bytes32 bundleHash => uint256 packed) private _fees;
    /// @dev Who was paid a bundle's fee (0 until it is claimed).
    mapping(bytes32 bundleHash => address executor) private _feeClaimers;

    /// @notice A bundle was sent; `bundle` is `abi.encode(bundle)`, the message payload whose
    /// hash is `bundleHash`. It is also the bundle's leaf: an outbound message of this chain from this contract
    /// whose payload hash is `bundleHash`, or, on a private chain, the blinded commitment of the
    /// `BundleBlinded` emitted just before it (docs/protocol.md sections 2 and 4.1).
    event BundleSent(
        bytes32 indexed bundleHash, uint256 indexed destinationChainId, address indexed sender, bytes bundle
    );

    /// @notice `sendMessage` sent a one-call bundle whose hash is `bundleHash`. Its bytes are not repeated here:
    /// they are those the ERC-7786 `MessageSent` emitted right after it (same `sendId`) describes, numbered
    /// `salt` on its route (docs/protocol.md section 8.1). Like `BundleSent`, it is also the bundle's leaf.
    event MessageBundleSent(
        bytes32 indexed bundleHash, uint256 indexed destinationChainId, address indexed sender, bytes32 salt
    );

    /// @notice A bundle was sent, or topped up, with `amount` wei of fee for its execution (`total` so far),
    /// buying `gasLimit` gas on `destinationChainId` (docs/fees.md).
    event FeePaid(
        bytes32 indexed bundleHash, uint256 indexed destinationChainId, address indexed payer, uint256 amount, uint256 total, uint256 gasLimit
    );
    /// @notice The fee of a bundle was paid to `executor`, who executed it on its destination.
    event FeeClaimed(bytes32 indexed bundleHash, address indexed executor, uint256 amount);

    /// @notice A private chain's bundle was recorded blinded: its leaf's payload hash is
    /// `H(0x08 ‖ bundleHash ‖ blinding)` (section 4.1). Emitted on this chain only, right before its `BundleSent`.
    event BundleBlinded(bytes32 indexed bundleHash, bytes32 blinding);

    /// @notice Messages are sent to other chains only.
    error DestinationIsThisChain();
    /// @notice Chain id 0 is no chain: a bundle to it could never execute.
    error ZeroDestinationChain();
    /// @notice Call `callIndex` carries `value` (`interopCallValue`) to the asset router, which takes no
    /// value: the call could never execute on the destination and the value would be lost.
    error CallValueToAssetRouter(uint256 callIndex, uint256 value);
    /// @notice `msg.value` must be the sum of the calls' `interopCallValue` and `indirectCall` values.
    error ValueMismatch(uint256 expected, uint256 actual);
    /// @notice `sendBundle` was given no call.
    error EmptyBundle();
    /// @notice `sendBundle` was given more than `MAX_BUNDLE_CALLS` calls.
    error TooManyCalls(uint256 count);
    /// @notice Only the InteropHandler may deliver calls.
    error NotInteropHandler(address caller);
    /// @notice No gas price of `chainId` reached this chain yet (the operator posts them on the settlement
    /// layer; they come with the imported roots): no fee can be quoted for it.
    error GasPriceUnknown(uint256 chainId);
    /// @notice The gas limit does not fit in 64 bits.
    error GasLimitTooLarge(uint256 gasLimit);
    /// @notice The bundle has no fee to claim (no record, or a record of 0 wei) or no record to top up here
    /// (sent without `executionGasLimit`, or from elsewhere).
    error NoFee(bytes32 bundleHash);
    /// @notice The bundle's fee was already paid to `executor`.
    error FeeAlreadyClaimed(bytes32 bundleHash, address executor);
    /// @notice A top-up names another destination than the bundle's fee record.
    error FeeDestinationMismatch(bytes32 bundleHash, uint256 expected, uint256 actual);
    /// @notice Sending the fee to the executor failed (it refuses ETH); the claim can be made again.
    error FeeTransferFailed(address executor, uint256 amount);
    /// @notice A fee record holds a destination below 2^64 and at most 2^128 - 1 wei.
    error FeeOutOfRange(uint256 destinationChainId, uint256 total);
    /// @notice A top-up of 0 wei.
    error ZeroTopUp();

    /// @notice The recipient did not return `IERC7786Recipient.receiveMessage.selector`
    /// (`returned` is 0 when it returned fewer than 32 bytes, e.g. when it has no code).
    error InvalidRecipientReturn(address to, bytes4 returned);

    /// @param messenger_ This chain's L2Messenger.
    /// @param interopHandler_ This chain's InteropHandler.
    /// @param assetRouter_ This chain's L2AssetRouter.
    /// @param blindingKey_ A private chain's secret blinding key (random, kept by its operator); 0 on a
    /// public chain, whose bundles' leaves are their hashes.
    constructor(L2Messenger messenger_, address interopHandler_, address assetRouter_, bytes32 blindingKey_) {
        messenger = messenger_;
        interopHandler = interopHandler_;
        assetRouter = assetRouter_;
        blindsBundles = blindingKey_ != bytes32(0);
        _blindingKey = blindingKey_;
    }

    /// @notice Whether `sendMessage` accepts the attribute: true exactly for `interopCallValue(uint256)`,
    /// `executionAddress(bytes)`, `unbundlerAddress(bytes)` and `executionGasLimit(uint256)`. (`indirectCall(uint256)` is accepted by
    /// `sendBundle` only, so it reads false.)
    function supportsAttribute(bytes4 selector) external pure returns (bool) {
        return InteropAttributes.isMessageAttribute(selector);
    }

    /// @notice Sends `payload` to `recipient` as a one-call bundle: `to` = recipient address,
    /// `from` = caller, `value` = the `interopCallValue` attribute (0 when absent), `data` = payload;
    /// the bundle's execution address and unbundler come from the attributes (0 when absent).
    /// @dev Emits `BundleSent` then the ERC-7786 `MessageSent`. Reverts the attribute errors of
    /// `InteropAttributes`, then `ValueMismatch` unless `msg.value == interopCallValue`, then
    /// `CallValueToAssetRouter` for a value to the asset router. A non-zero value is bridged (section 9.7)
    /// before the bundle is recorded.
    /// @param recipient ERC-7930 address of the recipient; its chain must not be this chain.
    /// @param payload Given to the recipient's `receiveMessage`.
    /// @param attributes `interopCallValue`, `executionAddress`, `unbundlerAddress`, each at most once.
    /// @return sendId The bundle hash.
    function sendMessage(bytes calldata recipient, bytes calldata payload, bytes[] calldata attributes)
        external
        payable
        returns (bytes32 sendId)
    {
        (uint256 destinationChainId, address to) = InteroperableAddress.parse(recipient);
        if (destinationChainId == block.chainid) revert DestinationIsThisChain();
        (InteropAttributes.CallAttributes memory callAttributes, InteropAttributes.BundleAttributes memory bundleAttributes)
        = InteropAttributes.parseMessageAttributes(attributes, destinationChainId);
        uint256 feePlusOne = _feePlusOne(bundleAttributes, callAttributes.value);
        if (to == assetRouter && callAttributes.value != 0) revert CallValueToAssetRouter(0, callAttributes.value);

        sendId = _sendOneCall(destinationChainId, to, callAttributes.value, payload, bundleAttributes);
        if (feePlusOne != 0) {
            unchecked {
                _payFee(sendId, destinationChainId, bundleAttributes.gasLimit, feePlusOne - 1);
            }
        }

        emit MessageSent(
            sendId,
            InteroperableAddress.format(block.chainid, msg.sender),
            recipient,
            payload,
            callAttributes.value,
            attributes
        );
    }

    /// @notice Sends several calls to one destination chain as one bundle (docs/protocol.md section 8).
    /// Call `i` is `to` = `callStarters[i].to`, `from` = caller, `value` = its `interopCallValue`,
    /// `data` = `callStarters[i].data`; with the `indirectCall(v)` attribute, this contract first calls
    /// `IIndirectCallInitiator(to).initiateIndirectCall{value: v}(destinationChainId, caller, data)`,
    /// and the call becomes `to` = returned target, `from` = the initiator, `data` = returned data.
    /// @dev Emits `BundleSent` only (no `MessageSent`). Checks, in order: destination
    /// (`DestinationIsThisChain`, `ZeroDestinationChain`), call count (`EmptyBundle`, `TooManyCalls`),
    /// bundle attributes, each call's attributes and, for a direct call to the asset router, no
    /// `interopCallValue` (`CallValueToAssetRouter`), then `msg.value` = the sum of every
    /// `interopCallValue` and `indirectCall` value (`ValueMismatch`). Then the salt is taken, the sum of the
    /// `interopCallValue`s is bridged (section 9.7) and the initiators are called, in call order, each
    /// with its `indirectCall` value; an indirect call whose target on the destination is the asset router
    /// may carry no `interopCallValue` either (`CallValueToAssetRouter`).
    /// @param destinationChainId The destination chain; not this chain.
    /// @param callStarters From 1 to `MAX_BUNDLE_CALLS` calls.
    /// @param bundleAttributes `executionAddress`, `unbundlerAddress` (ERC-7930, on the destination),
    /// each at most once.
    /// @return bundleHash The bundle hash.
    function sendBundle(
        uint256 destinationChainId,
        InteropCallStarter[] calldata callStarters,
        bytes[] calldata bundleAttributes
    ) external payable returns (bytes32 bundleHash) {
        if (destinationChainId == block.chainid) revert DestinationIsThisChain();
        if (destinationChainId == 0) revert ZeroDestinationChain();
        uint256 count = callStarters.length;
        if (count == 0) revert EmptyBundle();
        if (count > MAX_BUNDLE_CALLS) revert TooManyCalls(count);
        InteropAttributes.BundleAttributes memory bundle =
            InteropAttributes.parseBundleAttributes(bundleAttributes, destinationChainId);

        InteropAttributes.CallAttributes[] memory parsed = new InteropAttributes.CallAttributes[](count);
        uint256 bridged;
        uint256 indirect;
        for (uint256 i; i < count; ++i) {
            InteropAttributes.CallAttributes memory attributes =
                InteropAttributes.parseCallAttributes(callStarters[i].callAttributes);
            if (!attributes.indirect && callStarters[i].to == assetRouter && attributes.value != 0) {
                revert CallValueToAssetRouter(i, attributes.value);
            }
            bridged += attributes.value;
            indirect += attributes.indirectValue;
            parsed[i] = attributes;
        }
        uint256 feePlusOne = _feePlusOne(bundle, bridged + indirect);

        // Effects before the calls to initiators: the salt (the bundle's number on its route) is taken first.
        bytes32 salt = _nextSalt(destinationChainId);
        _bridgeValue(destinationChainId, bridged);
        InteropCall[] memory calls = new InteropCall[](count);
        for (uint256 i; i < count; ++i) {
            calls[i] = _buildCall(destinationChainId, callStarters[i], parsed[i]);
            // An indirect call's target is known once its initiator answered (the router's own transfers).
            if (calls[i].to == assetRouter && calls[i].value != 0) revert CallValueToAssetRouter(i, calls[i].value);
        }
        bundleHash = _announceCalls(destinationChainId, salt, calls, bundle);
        if (feePlusOne != 0) {
            unchecked {
                _payFee(bundleHash, destinationChainId, bundle.gasLimit, feePlusOne - 1);
            }
        }
    }

    /// @notice The fee, in this chain's base token, for executing a bundle of `payloadBytes` bytes
    /// (`abi.encode(bundle)`) with `gasLimit` gas on `destinationChainId` (docs/fees.md):
    /// `(gasLimit × destination gas price + CLAIM_GAS × this chain's gas price + (SETTLEMENT_GAS_PER_MESSAGE +
    /// 16 × payloadBytes) × settlement gas price) × (1 + RELAYER_REWARD_BPS / 10,000)`, with the prices the
    /// operator posted on the settlement layer as of the last root this chain imported
    /// (`InteropRootStore.gasPrice`).
    /// @dev Reverts `GasPriceUnknown` when no price of the destination reached this chain. A price of this
    /// chain or of settlement not posted counts as 0.
    /// @param destinationChainId The destination chain.
    /// @param gasLimit Gas of the bundle's execution there.
    /// @param payloadBytes Length of `abi.encode(bundle)`.
    /// @return fee The fee in wei.
    function quoteFee(uint256 destinationChainId, uint256 gasLimit, uint256 payloadBytes) external view returns (uint256 fee) {
        InteropRootStore store = InteropRootStore(interopHandler); // the handler is the chain's root store
        (uint256 executionPrice,,) = store.gasPrice(destinationChainId);
        if (executionPrice == 0) revert GasPriceUnknown(destinationChainId);
        (uint256 settlementPrice,,) = store.gasPrice(IL2AssetRouter(assetRouter).l1ChainId());
        (uint256 claimPrice,,) = store.gasPrice(block.chainid);
        uint256 cost = gasLimit * executionPrice + CLAIM_GAS * claimPrice
            + (SETTLEMENT_GAS_PER_MESSAGE + 16 * payloadBytes) * settlementPrice;
        fee = cost + cost * RELAYER_REWARD_BPS / 10_000;
    }

    /// @notice A bundle's fee: wei paid with it and added since (all of it, claimed or not), the gas limit it
    /// buys, its destination, and who was paid it (0 until it is claimed). A bundle sent with
    /// `executionGasLimit` has a record even when it paid 0 wei (its destination is set); one sent without it
    /// has none (all 0).
    function feeOf(bytes32 bundleHash)
        external
        view
        returns (uint256 paid, uint256 gasLimit, uint256 destinationChainId, address claimedBy)
    {
        uint256 packed = _fees[bundleHash];
        return (uint128(packed), uint64(packed >> 128), packed >> 192, _feeClaimers[bundleHash]);
    }

    /// @notice Adds `msg.value` to the fee of a bundle that waits (anyone may). Only a bundle sent with
    /// `executionGasLimit` has a fee record, even one that paid 0 wei with it: a bundle sent without the
    /// attribute is not flagged (`PAYS_FEE_FLAG`), its execution is not recorded on its destination and a fee
    /// for it could never be claimed, so it is refused (`NoFee`; it is for self-relay).
    /// @dev `ZeroTopUp`, `NoFee`, `FeeAlreadyClaimed`, `FeeDestinationMismatch` for a bundle whose record
    /// names another destination. Emits `FeePaid`.
    /// @param bundleHash The bundle.
    /// @param destinationChainId Its destination.
    function topUpFee(bytes32 bundleHash, uint256 destinationChainId) external payable {
        if (msg.value == 0) revert ZeroTopUp();
        uint256 packed = _fees[bundleHash];
        if (packed == 0) revert NoFee(bundleHash);
        address claimer = _feeClaimers[bundleHash];
        if (claimer != address(0)) revert FeeAlreadyClaimed(bundleHash, claimer);
        if (packed >> 192 != destinationChainId) {
            revert FeeDestinationMismatch(bundleHash, packed >> 192, destinationChainId);
        }
        _payFee(bundleHash, destinationChainId, uint64(packed >> 128), msg.value);
    }

    /// @notice Pays a bundle's whole fee to `executor`, who executed it on its destination: `proof` proves that
    /// the destination recorded `abi.encode(EXECUTION_RECORD_TAG, bundleHash, executor)` (its InteropHandler
    /// does when it executes a bundle) against a root imported here. Anyone may submit it; the fee goes to
    /// the executor only, once per bundle. Unused gas is not refunded: the fee is the price of the gas limit.
    /// @dev `NoFee` (no record, or a record of 0 wei), `FeeAlreadyClaimed`, the proof's errors (`SenderNotInteropHandler`, `RootNotImported`,
    /// `ProofRootMismatch`, ...), then `FeeTransferFailed`. The claim is recorded before the transfer.
    /// @param bundleHash The bundle.
    /// @param executor Who executed it (the caller of `executeBundle(s)` on the destination).
    /// @param proof Proof of the execution record, a message of the destination chain.
    function claimFee(bytes32 bundleHash, address executor, InteropProof calldata proof) external {
        uint256 packed = _fees[bundleHash];
        uint256 amount = uint128(packed);
        if (amount == 0) revert NoFee(bundleHash);
        address claimer = _feeClaimers[bundleHash];
        if (claimer != address(0)) revert FeeAlreadyClaimed(bundleHash, claimer);
        InteropHandler handler = InteropHandler(payable(interopHandler));
        bytes32 recordHash = keccak256(abi.encode(handler.EXECUTION_RECORD_TAG(), bundleHash, executor));
        handler.verifyExecutionRecord(recordHash, packed >> 192, proof);
        _feeClaimers[bundleHash] = executor;
        emit FeeClaimed(bundleHash, executor, amount);
        (bool ok,) = executor.call{value: amount}("");
        if (!ok) revert FeeTransferFailed(executor, amount);
    }

    /// @notice Delivers one call of a bundle: calls `to.receiveMessage(receiveId, sender, payload)`
    /// with the value sent, so that the recipient sees this gateway as `msg.sender`.
    /// @dev Only the InteropHandler. A revert of the recipient is bubbled up unchanged; a success must
    /// return the `receiveMessage` selector.
    /// @param to The recipient.
    /// @param receiveId `keccak256(abi.encode(bundleHash, callIndex))`.
    /// @param sender ERC-7930 address of the original caller on the source chain.
    /// @param payload The call data.
    function deliver(address to, bytes32 receiveId, bytes calldata sender, bytes calldata payload)
        external
        payable
    {
        if (msg.sender != interopHandler) revert NotInteropHandler(msg.sender);
        bytes4 expected = IERC7786Recipient.receiveMessage.selector;
        bytes4 selector;
        // `to.call{value: msg.value}(abi.encodeCall(receiveMessage, (receiveId, sender, payload)))`, the call
        // written word by word in free memory (not kept); a revert is bubbled up unchanged; `selector` is the
        // first 4 bytes of what it returns when that is at least 32 bytes.
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, expected)
            mstore(add(p, 0x04), receiveId)
            mstore(add(p, 0x24), 0x60)
            let senderPadded := and(add(sender.length, 31), not(31))
            mstore(add(p, 0x44), add(0x80, senderPadded))
            mstore(add(p, 0x64), sender.length)
            if senderPadded { mstore(add(add(p, 0x64), senderPadded), 0) }
            calldatacopy(add(p, 0x84), sender.offset, sender.length)
            let q := add(add(p, 0x84), senderPadded)
            mstore(q, payload.length)
            let payloadPadded := and(add(payload.length, 31), not(31))
            if payloadPadded { mstore(add(q, payloadPadded), 0) }
            calldatacopy(add(q, 0x20), payload.offset, payload.length)
            if iszero(call(gas(), to, callvalue(), p, sub(add(add(q, 0x20), payloadPadded), p), 0, 0)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
            if gt(returndatasize(), 31) {
                returndatacopy(0x00, 0, 0x20)
                selector := and(mload(0x00), shl(224, 0xffffffff))
            }
        }
        if (selector != expected) revert InvalidRecipientReturn(to, selector);
    }

    /// @dev The call of a bundle for one call starter; an indirect call is routed through its initiator.
    function _buildCall(
        uint256 destinationChainId,
        InteropCallStarter calldata starter,
        InteropAttributes.CallAttributes memory attributes
    ) private returns (InteropCall memory) {
        if (!attributes.indirect) {
            return InteropCall({to: starter.to, from: msg.sender, value: attributes.value, data: starter.data});
        }
        (address target, bytes memory data) = IIndirectCallInitiator(starter.to).initiateIndirectCall{
            value: attributes.indirectValue
        }(destinationChainId, msg.sender, starter.data);
        return InteropCall({to: target, from: starter.to, value: attributes.value, data: data});
    }

    /// @dev The fee sent with a bundle, plus one: 0 without `executionGasLimit` (no fee record; `msg.value` must
    /// be `values`, the calls' values); with it, 1 + what `msg.value` carries beyond `values` (a record, even of
    /// 0 wei). The one keeps "no record" and "a record of 0 wei" apart in a word the caller tests for 0.
    function _feePlusOne(InteropAttributes.BundleAttributes memory attributes, uint256 values) private view returns (uint256) {
        if (!attributes.paysFee) {
            if (msg.value != values) revert ValueMismatch(values, msg.value);
            return 0;
        }
        if (msg.value < values) revert ValueMismatch(values, msg.value);
        unchecked {
            return msg.value - values + 1; // no wei supply nears 2^256
        }
    }

    /// @dev Adds `amount` to the fee record of `bundleHash` (destination, gas limit) and emits `FeePaid`.
    function _payFee(bytes32 bundleHash, uint256 destinationChainId, uint256 gasLimit, uint256 amount) private {
        if (gasLimit > type(uint64).max) revert GasLimitTooLarge(gasLimit);
        uint256 total = uint128(_fees[bundleHash]) + amount;
        if ((destinationChainId | total >> 64) >> 64 != 0) revert FeeOutOfRange(destinationChainId, total);
        _fees[bundleHash] = uint128(total) | (gasLimit << 128) | (destinationChainId << 192);
        emit FeePaid(bundleHash, destinationChainId, msg.sender, amount, total, gasLimit);
    }

    /// @dev Bridges `value` (the sum of the calls' `interopCallValue`) through the L2AssetRouter: paid into
    /// the base-token holder, with an ETH transfer message to `destinationChainId`. Nothing when 0.
    function _bridgeValue(uint256 destinationChainId, uint256 value) private {
        if (value != 0) IL2AssetRouter(assetRouter).bridgeBundleValue{value: value}(destinationChainId, msg.sender);
    }

    /// @dev Takes the salt of the next bundle to `destinationChainId`: its number on that route, `bundlesSent++`.
    function _nextSalt(uint256 destinationChainId) private returns (bytes32) {
        return bytes32(bundlesSent[destinationChainId]++);
    }

    /// @dev The one-call bundle of `sendMessage`: takes the salt, bridges the value, sends.
    function _sendOneCall(
        uint256 destinationChainId,
        address to,
        uint256 value,
        bytes calldata payload,
        InteropAttributes.BundleAttributes memory attributes
    ) private returns (bytes32) {
        bytes32 salt = _nextSalt(destinationChainId);
        _bridgeValue(destinationChainId, value);
        (bytes memory encoded, uint256 firstCall) = BundleEncoding.head(
            _versionWord(attributes), block.chainid, destinationChainId, salt, attributes.executionAddress, attributes.unbundler, 1
        );
        BundleEncoding.writeOneCall(encoded, firstCall, to, msg.sender, value, payload);
        bytes32 bundleHash = _record(destinationChainId, encoded);
        emit MessageBundleSent(bundleHash, destinationChainId, msg.sender, salt);
        return bundleHash;
    }

    /// @dev Encodes, records (`_record`) and announces the bundle of `sendBundle`.
    function _announceCalls(
        uint256 destinationChainId,
        bytes32 salt,
        InteropCall[] memory calls,
        InteropAttributes.BundleAttributes memory attributes
    ) private returns (bytes32) {
        bytes memory encoded = BundleEncoding.encode(
            _versionWord(attributes), block.chainid, destinationChainId, salt, calls, attributes.executionAddress, attributes.unbundler
        );
        bytes32 bundleHash = _record(destinationChainId, encoded);
        emit BundleSent(bundleHash, destinationChainId, msg.sender, encoded);
        return bundleHash;
    }

    /// @dev The version word of a bundle: `BUNDLE_VERSION`, with `PAYS_FEE_FLAG` when it is sent with
    /// `executionGasLimit`.
    function _versionWord(InteropAttributes.BundleAttributes memory attributes) private pure returns (uint256) {
        return attributes.paysFee ? BUNDLE_VERSION | PAYS_FEE_FLAG : BUNDLE_VERSION;
    }

    /// @dev The hash of a bundle (`abi.encode(bundle)`) about to be announced by its `BundleSent` or
    /// `MessageBundleSent`, which is also its leaf, an outbound message of this chain (section 2) whose payload
    /// hash is the bundle hash; or, on a private chain, unless the bundle goes to L1 (whose handler takes plain
    /// leaves, and which shows what it executes anyway), the blinded commitment of the `BundleBlinded`
    /// emitted here, right before the announcement.
    function _record(uint256 destinationChainId, bytes memory encoded) private returns (bytes32 bundleHash) {
        bundleHash = keccak256(encoded);
        if (blindsBundles && destinationChainId != IL2AssetRouter(assetRouter).l1ChainId()) {
            emit BundleBlinded(bundleHash, keccak256(abi.encode(_blindingKey, bundleHash)));
        }
    }
}
