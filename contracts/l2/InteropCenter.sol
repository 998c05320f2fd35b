// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BundleEncoding} from "../common/BundleEncoding.sol";
import {IERC7786GatewaySource, IERC7786Recipient} from "../common/IERC7786.sol";
import {IIndirectCallInitiator} from "../common/IIndirectCallInitiator.sol";
import {IL2AssetRouter} from "../common/IL2AssetRouter.sol";
import {InteropAttributes} from "../common/InteropAttributes.sol";
import {InteropCall, InteropCallStarter} from "../common/InteropTypes.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {MessageHashing} from "../common/MessageHashing.sol";
import {L2Messenger} from "./L2Messenger.sol";

/// @title InteropCenter
/// @notice The one ERC-7786 gateway of this chain, at the same address on every chain: senders call
/// `sendMessage` or `sendBundle` here, and recipients see this contract as `msg.sender` when messages are delivered
/// (the InteropHandler executes bundles and delivers each call through `deliver`).
/// @dev A sent message becomes a one-call bundle (docs/protocol.md section 4); `sendBundle` sends
/// several calls with attributes (section 8). The bundle hash is recorded as an outbound message of
/// this chain by this contract itself: it emits the L2Messenger's `MessageRecorded(address(this),
/// bundleHash)`, which the batch's message tree takes as it takes the messenger's (section 3). The value of the calls (`interopCallValue`) is paid with the
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

    /// @notice A bundle was sent; `bundle` is `abi.encode(bundle)`, the message payload whose
    /// hash is `bundleHash`.
    event BundleSent(
        bytes32 indexed bundleHash, uint256 indexed destinationChainId, address indexed sender, bytes bundle
    );

    /// @notice This chain recorded the outbound message `payloadHash` of `sender`: the same event as
    /// `L2Messenger.MessageRecorded`, emitted for the bundles sent here (`sender` is this contract).
    event MessageRecorded(address indexed sender, bytes32 indexed payloadHash);

    /// @notice A private chain's bundle was recorded blinded: its leaf's payload hash is
    /// `H(0x08 ‖ bundleHash ‖ blinding)` (section 4.1). Emitted on this chain only, before `MessageRecorded`.
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
    /// `executionAddress(bytes)` and `unbundlerAddress(bytes)`. (`indirectCall(uint256)` is accepted by
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
        if (msg.value != callAttributes.value) revert ValueMismatch(callAttributes.value, msg.value);
        if (to == assetRouter && callAttributes.value != 0) revert CallValueToAssetRouter(0, callAttributes.value);

        sendId = _sendOneCall(destinationChainId, to, callAttributes.value, payload, bundleAttributes);

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
        if (msg.value != bridged + indirect) revert ValueMismatch(bridged + indirect, msg.value);

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
            block.chainid, destinationChainId, salt, attributes.executionAddress, attributes.unbundler, 1
        );
        BundleEncoding.writeOneCall(encoded, firstCall, to, msg.sender, value, payload);
        return _announce(destinationChainId, encoded);
    }

    /// @dev Announces the bundle of `sendBundle` (see `_announce`).
    function _announceCalls(
        uint256 destinationChainId,
        bytes32 salt,
        InteropCall[] memory calls,
        InteropAttributes.BundleAttributes memory attributes
    ) private returns (bytes32) {
        return _announce(
            destinationChainId,
            BundleEncoding.encode(block.chainid, destinationChainId, salt, calls, attributes.executionAddress, attributes.unbundler)
        );
    }

    /// @dev Announces a bundle (`abi.encode(bundle)`) and records its hash as an outbound message of this
    /// chain, blinded on a private chain unless it goes to L1 (whose handler takes plain leaves, and which
    /// shows what it executes anyway). Shared by `sendMessage` and `sendBundle`.
    function _announce(uint256 destinationChainId, bytes memory encoded) private returns (bytes32 bundleHash) {
        bundleHash = keccak256(encoded);
        emit BundleSent(bundleHash, destinationChainId, msg.sender, encoded);
        bytes32 payloadHash = bundleHash;
        if (blindsBundles && destinationChainId != IL2AssetRouter(assetRouter).l1ChainId()) {
            bytes32 blinding = keccak256(abi.encode(_blindingKey, bundleHash));
            payloadHash = MessageHashing.blindedBundleCommitment(bundleHash, blinding);
            emit BundleBlinded(bundleHash, blinding);
        }
        emit MessageRecorded(address(this), payloadHash);
    }
}
