// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786GatewaySource} from "./IERC7786.sol";
import {InteroperableAddress} from "./InteroperableAddress.sol";

/// @title InteropAttributes
/// @notice The ERC-7786 attributes of docs/protocol.md section 8. An attribute is the 4-byte selector
/// of a Solidity function signature followed by the canonical ABI encoding of its arguments
/// (`abi.encodeWithSignature(signature, args)`).
/// @dev Lists are read in order; each attribute is checked completely before the next one:
/// shorter than 4 bytes → `InvalidAttribute(its bytes, right-padded)`; a selector unknown or not
/// allowed in this list → `UnsupportedAttribute(selector)`; a selector already seen in the list →
/// `AttributeRepeated(selector)`; arguments not canonically encoded, or not a valid ERC-7930 address
/// → `InvalidAttribute(selector)`; an address on another chain than the destination →
/// `AttributeChainMismatch(selector, destination, chain)`.
library InteropAttributes {
    /// @notice `interopCallValue(uint256 value)`: base token delivered with the call (call attribute).
    bytes4 internal constant INTEROP_CALL_VALUE = bytes4(keccak256("interopCallValue(uint256)"));
    /// @notice `indirectCall(uint256 value)`: route the call through `to` on the source chain, giving
    /// it `value` (call attribute, `sendBundle` only).
    bytes4 internal constant INDIRECT_CALL = bytes4(keccak256("indirectCall(uint256)"));
    /// @notice `executionAddress(bytes)`: ERC-7930 address of the only executor (bundle attribute).
    bytes4 internal constant EXECUTION_ADDRESS = bytes4(keccak256("executionAddress(bytes)"));
    /// @notice `unbundlerAddress(bytes)`: ERC-7930 address of the only unbundler (bundle attribute).
    bytes4 internal constant UNBUNDLER_ADDRESS = bytes4(keccak256("unbundlerAddress(bytes)"));
    /// @notice `executionGasLimit(uint256 gasLimit)`: the bundle pays a fee for its execution, the value sent
    /// beyond the calls' values, buying `gasLimit` gas on the destination (bundle attribute; docs/fees.md).
    bytes4 internal constant EXECUTION_GAS_LIMIT = bytes4(keccak256("executionGasLimit(uint256)"));

    /// @dev Bits of the allowed-attribute masks.
    uint256 private constant BIT_INTEROP_CALL_VALUE = 1;
    uint256 private constant BIT_INDIRECT_CALL = 2;
    uint256 private constant BIT_EXECUTION_ADDRESS = 4;
    uint256 private constant BIT_UNBUNDLER_ADDRESS = 8;
    uint256 private constant BIT_EXECUTION_GAS_LIMIT = 16;
    /// @dev Attributes of one call of `sendBundle`.
    uint256 private constant CALL_ATTRIBUTES = BIT_INTEROP_CALL_VALUE | BIT_INDIRECT_CALL;
    /// @dev Attributes of a bundle in `sendBundle`.
    uint256 private constant BUNDLE_ATTRIBUTES = BIT_EXECUTION_ADDRESS | BIT_UNBUNDLER_ADDRESS | BIT_EXECUTION_GAS_LIMIT;
    /// @dev Attributes of `sendMessage`.
    uint256 private constant MESSAGE_ATTRIBUTES = BIT_INTEROP_CALL_VALUE | BUNDLE_ATTRIBUTES;

    /// @notice The same attribute appears twice in one list.
    error AttributeRepeated(bytes4 selector);
    /// @notice The attribute is shorter than 4 bytes, or its arguments are not the canonical ABI
    /// encoding (or not a valid ERC-7930 address).
    error InvalidAttribute(bytes4 selector);
    /// @notice The ERC-7930 address of the attribute is on chain `actual`, not on `expected` (the
    /// destination).
    error AttributeChainMismatch(bytes4 selector, uint256 expected, uint256 actual);

    /// @notice What a call attribute list says.
    struct CallAttributes {
        /// `interopCallValue` (0 when absent)
        uint256 value;
        /// whether `indirectCall` is present
        bool indirect;
        /// `indirectCall`'s value (0 when absent)
        uint256 indirectValue;
    }

    /// @notice What a bundle attribute list says.
    struct BundleAttributes {
        /// `executionAddress` (0 when absent: anyone may execute)
        address executionAddress;
        /// `unbundlerAddress` (0 when absent: nobody may unbundle)
        address unbundler;
        /// whether `executionGasLimit` is present: the value sent beyond the calls' values is the bundle's fee
        bool paysFee;
        /// `executionGasLimit`'s gas limit (0 when absent)
        uint256 gasLimit;
    }

    /// @notice Reads the attributes of one call of `sendBundle` (`interopCallValue`, `indirectCall`).
    function parseCallAttributes(bytes[] calldata attributes) internal pure returns (CallAttributes memory call) {
        (call,) = _parse(attributes, 0, CALL_ATTRIBUTES);
    }

    /// @notice Reads the bundle attributes of `sendBundle` (`executionAddress`, `unbundlerAddress`,
    /// `executionGasLimit`),
    /// whose addresses must be on `destinationChainId`.
    function parseBundleAttributes(bytes[] calldata attributes, uint256 destinationChainId)
        internal
        pure
        returns (BundleAttributes memory bundle)
    {
        (, bundle) = _parse(attributes, destinationChainId, BUNDLE_ATTRIBUTES);
    }

    /// @notice Reads the attributes of `sendMessage` (`interopCallValue`, `executionAddress`,
    /// `unbundlerAddress`, `executionGasLimit`), whose addresses must be on `destinationChainId`.
    function parseMessageAttributes(bytes[] calldata attributes, uint256 destinationChainId)
        internal
        pure
        returns (CallAttributes memory call, BundleAttributes memory bundle)
    {
        return _parse(attributes, destinationChainId, MESSAGE_ATTRIBUTES);
    }

    /// @notice Whether `sendMessage` accepts the attribute `selector`.
    function isMessageAttribute(bytes4 selector) internal pure returns (bool) {
        return _bit(selector) & MESSAGE_ATTRIBUTES != 0;
    }

    /// @notice The argument of a `(uint256)` attribute: the attribute must be exactly 36 bytes.
    function decodeUint256(bytes calldata attribute) internal pure returns (uint256) {
        if (attribute.length != 36) revert InvalidAttribute(selectorOf(attribute));
        return uint256(bytes32(attribute[4:36]));
    }

    /// @notice The argument of a `(bytes)` attribute, canonically encoded: offset `0x20`, length `n`,
    /// `n` bytes, then zero bytes up to a multiple of 32, and nothing else.
    function decodeBytes(bytes calldata attribute) internal pure returns (bytes calldata value) {
        bytes4 selector = selectorOf(attribute);
        if (attribute.length < 68 || uint256(bytes32(attribute[4:36])) != 0x20) revert InvalidAttribute(selector);
        uint256 length = uint256(bytes32(attribute[36:68]));
        if (length > attribute.length || attribute.length != 68 + ((length + 31) & ~uint256(31))) {
            revert InvalidAttribute(selector);
        }
        for (uint256 i = 68 + length; i < attribute.length; ++i) {
            if (attribute[i] != 0x00) revert InvalidAttribute(selector);
        }
        return attribute[68:68 + length];
    }

    /// @notice The ERC-7930 address of an `executionAddress` or `unbundlerAddress` attribute.
    function decodeInteroperableAddress(bytes calldata attribute) internal pure returns (uint256 chainId, address addr) {
        bool ok;
        (ok, chainId, addr) = InteroperableAddress.tryParse(decodeBytes(attribute));
        if (!ok) revert InvalidAttribute(selectorOf(attribute));
    }

    /// @notice The first 4 bytes of `attribute`, right-padded with zeros when it is shorter.
    function selectorOf(bytes calldata attribute) internal pure returns (bytes4 selector) {
        uint256 n = attribute.length < 4 ? attribute.length : 4;
        for (uint256 i; i < n; ++i) {
            selector |= bytes4(attribute[i]) >> (8 * i);
        }
    }

    function _parse(bytes[] calldata attributes, uint256 destinationChainId, uint256 allowed)
        private
        pure
        returns (CallAttributes memory call, BundleAttributes memory bundle)
    {
        uint256 seen;
        for (uint256 i; i < attributes.length; ++i) {
            bytes calldata attribute = attributes[i];
            bytes4 selector = selectorOf(attribute);
            if (attribute.length < 4) revert InvalidAttribute(selector);
            uint256 bit = _bit(selector);
            if (bit & allowed == 0) revert IERC7786GatewaySource.UnsupportedAttribute(selector);
            if (bit & seen != 0) revert AttributeRepeated(selector);
            seen |= bit;
            if (bit == BIT_INTEROP_CALL_VALUE) {
                call.value = decodeUint256(attribute);
            } else if (bit == BIT_INDIRECT_CALL) {
                call.indirect = true;
                call.indirectValue = decodeUint256(attribute);
            } else if (bit == BIT_EXECUTION_GAS_LIMIT) {
                bundle.paysFee = true;
                bundle.gasLimit = decodeUint256(attribute);
            } else {
                (uint256 chainId, address addr) = decodeInteroperableAddress(attribute);
                if (chainId != destinationChainId) revert AttributeChainMismatch(selector, destinationChainId, chainId);
                if (bit == BIT_EXECUTION_ADDRESS) bundle.executionAddress = addr;
                else bundle.unbundler = addr;
            }
        }
    }

    function _bit(bytes4 selector) private pure returns (uint256) {
        if (selector == INTEROP_CALL_VALUE) return BIT_INTEROP_CALL_VALUE;
        if (selector == INDIRECT_CALL) return BIT_INDIRECT_CALL;
        if (selector == EXECUTION_ADDRESS) return BIT_EXECUTION_ADDRESS;
        if (selector == UNBUNDLER_ADDRESS) return BIT_UNBUNDLER_ADDRESS;
        if (selector == EXECUTION_GAS_LIMIT) return BIT_EXECUTION_GAS_LIMIT;
        return 0;
    }
}
