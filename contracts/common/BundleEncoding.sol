// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {InteropCall} from "./InteropTypes.sol";

/// @title BundleEncoding
/// @notice Writes `abi.encode(bundle)` of an `InteropBundle` (docs/protocol.md section 4) straight into
/// memory, word by word, for the InteropCenter: the same bytes as Solidity's encoder, without building the
/// bundle as a memory struct first (test/contracts/solidityAgreement.test.ts checks them against the
/// TypeScript mirror's `encodeBundle`).
/// @dev The layout, in 32-byte words from the start of the bytes: `0x20` (the tuple's offset); version word,
/// source chain, destination chain, salt, `0xe0` (the calls' offset in the tuple), execution address,
/// unbundler; the call count `n`; `n` offsets of the calls (from the word after the count); then each call:
/// `to`, `from`, `value`, `0x80` (its data's offset in the call), the data's length, the data padded with
/// zeros to a multiple of 32 bytes.
library BundleEncoding {
    /// @dev Bytes before the calls' offsets: 9 words (offset, 7 head fields, call count).
    uint256 private constant HEAD = 0x120;
    /// @dev Words of a call before its data: to, from, value, data offset, data length.
    uint256 private constant CALL_HEAD = 0xa0;

    /// @notice `abi.encode(bundle)` of a version-1 bundle with `calls` (`head`, then `writeCalls`).
    /// @param versionWord The bundle's version word: 1, with bit 128 set for a bundle sent with a fee
    /// (`BundleExecutor.PAYS_FEE_FLAG`).
    function encode(
        uint256 versionWord,
        uint256 sourceChainId,
        uint256 destinationChainId,
        bytes32 salt,
        InteropCall[] memory calls,
        address executionAddress,
        address unbundler
    ) internal pure returns (bytes memory encoded) {
        uint256 firstCall;
        (encoded, firstCall) = head(versionWord, sourceChainId, destinationChainId, salt, executionAddress, unbundler, calls.length);
        writeCalls(encoded, firstCall, calls);
    }

    /// @notice Starts `abi.encode(bundle)` of a version-1 bundle of `callCount` calls at the free memory
    /// pointer: writes its head and call count, and moves the pointer past the room for the call offsets.
    /// Finish it with `writeOneCall` (one call) or `writeCalls`, before anything else takes memory.
    /// @param versionWord The bundle's version word (see `encode`).
    /// @return encoded The bytes (their length is written when the calls are).
    /// @return firstCall Where the first call goes.
    function head(
        uint256 versionWord,
        uint256 sourceChainId,
        uint256 destinationChainId,
        bytes32 salt,
        address executionAddress,
        address unbundler,
        uint256 callCount
    ) internal pure returns (bytes memory encoded, uint256 firstCall) {
        assembly ("memory-safe") {
            encoded := mload(0x40)
            let e := add(encoded, 0x20)
            mstore(e, 0x20)
            mstore(add(e, 0x20), versionWord)
            mstore(add(e, 0x40), sourceChainId)
            mstore(add(e, 0x60), destinationChainId)
            mstore(add(e, 0x80), salt)
            mstore(add(e, 0xa0), 0xe0)
            // Addresses are cleaned: a Solidity value narrower than a word may carry dirty upper bits.
            mstore(add(e, 0xc0), shr(96, shl(96, executionAddress)))
            mstore(add(e, 0xe0), shr(96, shl(96, unbundler)))
            mstore(add(e, 0x100), callCount)
            firstCall := add(add(e, HEAD), shl(5, callCount))
            mstore(0x40, firstCall)
        }
    }

    /// @notice Finishes the bytes `head` started for one call: the call `(to, from, value, data)`.
    function writeOneCall(bytes memory encoded, uint256 firstCall, address to, address from, uint256 value, bytes calldata data)
        internal
        pure
    {
        assembly ("memory-safe") {
            mstore(sub(firstCall, 0x20), 0x20)
            mstore(firstCall, shr(96, shl(96, to)))
            mstore(add(firstCall, 0x20), shr(96, shl(96, from)))
            mstore(add(firstCall, 0x40), value)
            mstore(add(firstCall, 0x60), 0x80)
            mstore(add(firstCall, 0x80), data.length)
            let padded := and(add(data.length, 31), not(31))
            let end := add(add(firstCall, CALL_HEAD), padded)
            if padded { mstore(sub(end, 0x20), 0) }
            calldatacopy(add(firstCall, CALL_HEAD), data.offset, data.length)
            mstore(encoded, sub(end, add(encoded, 0x20)))
            mstore(0x40, end)
        }
    }

    /// @notice Finishes the bytes `head` started for `calls.length` calls: the calls.
    function writeCalls(bytes memory encoded, uint256 firstCall, InteropCall[] memory calls) internal pure {
        assembly ("memory-safe") {
            let n := mload(calls)
            let offsets := sub(firstCall, shl(5, n))
            let c := firstCall
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                // An InteropCall in memory: to, from, value, then a pointer to its data.
                let item := mload(add(add(calls, 0x20), shl(5, i)))
                let data := mload(add(item, 0x60))
                let length := mload(data)
                mstore(add(offsets, shl(5, i)), sub(c, offsets))
                mstore(c, mload(item))
                mstore(add(c, 0x20), mload(add(item, 0x20)))
                mstore(add(c, 0x40), mload(add(item, 0x40)))
                mstore(add(c, 0x60), 0x80)
                mstore(add(c, 0x80), length)
                let padded := and(add(length, 31), not(31))
                let next := add(add(c, CALL_HEAD), padded)
                if padded { mstore(sub(next, 0x20), 0) }
                mcopy(add(c, CALL_HEAD), add(data, 0x20), length)
                c := next
            }
            mstore(encoded, sub(c, add(encoded, 0x20)))
            mstore(0x40, c)
        }
    }
}
