// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title InteroperableAddress
/// @notice ERC-7930 (version 1) interoperable addresses with the CAIP-350 `eip155` profile, as in
/// docs/protocol.md section 1: `0x0001 ‖ 0x0000 ‖ len ‖ chainRef ‖ 0x14 ‖ address`, where `chainRef`
/// is the chain id in minimal big-endian form.
library InteroperableAddress {
    /// @notice The bytes are not an ERC-7930 v1 EVM address with both chain and address present.
    error InvalidInteroperableAddress(bytes interoperableAddress);
    /// @notice Chain id 0 has no chain reference (its minimal form is empty) and is refused.
    error ZeroChainId();

    /// @notice Formats `(chainId, addr)` as an ERC-7930 interoperable address.
    /// @dev Reverts `ZeroChainId` for chain id 0: Junction never emits an address without a chain. The bytes
    /// are written word by word (the 5-byte head, the chain reference, the address length and the address).
    function format(uint256 chainId, address addr) internal pure returns (bytes memory out) {
        if (chainId == 0) revert ZeroChainId();
        uint256 refLength;
        for (uint256 v = chainId; v != 0; v >>= 8) {
            ++refLength;
        }
        assembly ("memory-safe") {
            out := mload(0x40)
            let length := add(26, refLength)
            mstore(out, length)
            let p := add(out, 0x20)
            // Each write leaves the bytes before it in place: 0x00010000 ‖ len, then chainRef (big-endian,
            // left-aligned), then 0x14, then the address (and zeros after it).
            mstore(p, shl(216, or(0x0001000000, refLength)))
            mstore(add(p, 5), shl(mul(8, sub(32, refLength)), chainId))
            mstore8(add(p, add(5, refLength)), 20)
            mstore(add(p, add(6, refLength)), shl(96, addr))
            mstore(0x40, add(p, and(add(length, 63), not(31))))
        }
    }

    /// @notice Parses an ERC-7930 interoperable address into its chain id and EVM address.
    /// @dev Refuses (`InvalidInteroperableAddress`) a wrong version or chain type, a chain reference of
    /// length 0, above 32 or with a leading zero byte, an address length other than 20, and any
    /// missing or trailing byte.
    function parse(bytes calldata interoperableAddress) internal pure returns (uint256 chainId, address addr) {
        bool ok;
        (ok, chainId, addr) = tryParse(interoperableAddress);
        if (!ok) revert InvalidInteroperableAddress(interoperableAddress);
    }

    /// @notice Like `parse`, but returns `ok = false` (and zeros) instead of reverting.
    function tryParse(bytes calldata interoperableAddress)
        internal
        pure
        returns (bool ok, uint256 chainId, address addr)
    {
        uint256 length = interoperableAddress.length;
        uint256 head;
        assembly ("memory-safe") {
            head := calldataload(interoperableAddress.offset)
        }
        // head: 0x00010000 ‖ len ‖ chainRef[0] ‖ ... (read past the bytes only when they are too short, refused).
        if (length < 6 || head >> 224 != 0x00010000) return (false, 0, address(0));
        uint256 refLength = (head >> 216) & 0xff;
        if (refLength == 0 || refLength > 32 || length != 26 + refLength) return (false, 0, address(0));
        if ((head >> 208) & 0xff == 0) return (false, 0, address(0));
        uint256 tail;
        assembly ("memory-safe") {
            let ref := add(interoperableAddress.offset, 5)
            chainId := shr(mul(8, sub(32, refLength)), calldataload(ref))
            // The byte after the chain reference (the address length), then the 20-byte address.
            tail := calldataload(add(ref, refLength))
        }
        if (tail >> 248 != 20) return (false, 0, address(0));
        addr = address(uint160((tail >> 88) & type(uint160).max));
        ok = true;
    }
}
