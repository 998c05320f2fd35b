// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786GatewaySource, IERC7786Recipient} from "../common/IERC7786.sol";
import {InteropBundle, InteropCall} from "../common/InteropTypes.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {L2Messenger} from "./L2Messenger.sol";

/// @title InteropCenter
/// @notice The one ERC-7786 gateway of this chain, at the same address on every chain: senders call
/// `sendMessage` here, and recipients see this contract as `msg.sender` when messages are delivered
/// (the InteropHandler executes bundles and delivers each call through `deliver`).
/// @dev A sent message becomes a one-call bundle (docs/protocol.md section 4); its hash is recorded
/// as an outbound message of this chain through the L2Messenger.
contract InteropCenter is IERC7786GatewaySource {
    /// @notice Version of the bundles built here.
    uint256 public constant BUNDLE_VERSION = 1;

    /// @notice The chain's messenger, which records the bundle hashes.
    L2Messenger public immutable messenger;
    /// @notice The only caller of `deliver`.
    address public immutable interopHandler;

    /// @notice Number of bundles sent by each sender (the salt of the next bundle uses it).
    mapping(address sender => uint256 nonce) public senderNonce;

    /// @notice A bundle was sent; `bundle` is `abi.encode(bundle)`, the message payload whose
    /// hash is `bundleHash`.
    event BundleSent(
        bytes32 indexed bundleHash, uint256 indexed destinationChainId, address indexed sender, bytes bundle
    );

    /// @notice Messages are sent to other chains only.
    error DestinationIsThisChain();
    /// @notice Value is not supported until the shared bridge lands.
    error ValueNotSupported(uint256 value);
    /// @notice Only the InteropHandler may deliver calls.
    error NotInteropHandler(address caller);
    /// @notice The recipient did not return `IERC7786Recipient.receiveMessage.selector`
    /// (`returned` is 0 when it returned fewer than 32 bytes, e.g. when it has no code).
    error InvalidRecipientReturn(address to, bytes4 returned);

    /// @param messenger_ This chain's L2Messenger.
    /// @param interopHandler_ This chain's InteropHandler.
    constructor(L2Messenger messenger_, address interopHandler_) {
        messenger = messenger_;
        interopHandler = interopHandler_;
    }

    /// @notice No attribute is supported yet.
    /// @return Always false.
    function supportsAttribute(bytes4) external pure returns (bool) {
        return false;
    }

    /// @notice Sends `payload` to `recipient` as a one-call bundle: `to` = recipient address,
    /// `from` = caller, `value` = 0, `data` = payload.
    /// @param recipient ERC-7930 address of the recipient; its chain must not be this chain.
    /// @param payload Given to the recipient's `receiveMessage`.
    /// @param attributes Must be empty (no attribute is supported yet).
    /// @return sendId The bundle hash.
    function sendMessage(bytes calldata recipient, bytes calldata payload, bytes[] calldata attributes)
        external
        payable
        returns (bytes32 sendId)
    {
        (uint256 destinationChainId, address to) = InteroperableAddress.parse(recipient);
        if (destinationChainId == block.chainid) revert DestinationIsThisChain();
        if (msg.value != 0) revert ValueNotSupported(msg.value);
        if (attributes.length != 0) {
            bytes calldata attribute = attributes[0];
            revert UnsupportedAttribute(attribute.length < 4 ? bytes4(0) : bytes4(attribute[0:4]));
        }

        InteropCall[] memory calls = new InteropCall[](1);
        calls[0] = InteropCall({to: to, from: msg.sender, value: 0, data: payload});
        sendId = _sendBundle(destinationChainId, calls, address(0), address(0));

        emit MessageSent(
            sendId, InteroperableAddress.format(block.chainid, msg.sender), recipient, payload, 0, attributes
        );
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
        (bool ok, bytes memory returned) = to.call{value: msg.value}(
            abi.encodeCall(IERC7786Recipient.receiveMessage, (receiveId, sender, payload))
        );
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(returned, 0x20), mload(returned))
            }
        }
        bytes4 selector;
        if (returned.length >= 32) selector = bytes4(abi.decode(returned, (bytes32)));
        if (selector != IERC7786Recipient.receiveMessage.selector) revert InvalidRecipientReturn(to, selector);
    }

    /// @dev Builds the bundle from `msg.sender`, records its hash as an outbound message and
    /// announces it. Shared by `sendMessage` and (next milestone) `sendBundle`.
    function _sendBundle(
        uint256 destinationChainId,
        InteropCall[] memory calls,
        address executionAddress,
        address unbundler
    ) internal returns (bytes32 bundleHash) {
        InteropBundle memory bundle = InteropBundle({
            version: BUNDLE_VERSION,
            sourceChainId: block.chainid,
            destinationChainId: destinationChainId,
            salt: keccak256(abi.encode(msg.sender, senderNonce[msg.sender]++)),
            calls: calls,
            executionAddress: executionAddress,
            unbundler: unbundler
        });
        bytes memory encoded = abi.encode(bundle);
        bundleHash = keccak256(encoded);
        emit BundleSent(bundleHash, destinationChainId, msg.sender, encoded);
        messenger.recordMessage(bundleHash);
    }
}
