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
    /// @dev Reverts `ZeroChainId` for chain id 0: Junction never emits an address without a chain.
    function format(uint256 chainId, address addr) internal pure returns (bytes memory) {
        if (chainId == 0) revert ZeroChainId();
        uint256 refLength;
        for (uint256 v = chainId; v != 0; v >>= 8) {
            ++refLength;
        }
        bytes memory chainRef = new bytes(refLength);
        for (uint256 i; i < refLength; ++i) {
            chainRef[i] = bytes1(uint8(chainId >> (8 * (refLength - 1 - i))));
        }
        return abi.encodePacked(bytes4(0x00010000), uint8(refLength), chainRef, uint8(20), addr);
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
        bytes calldata b = interoperableAddress;
        if (b.length < 6 || bytes4(b[0:4]) != bytes4(0x00010000)) return (false, 0, address(0));
        uint256 refLength = uint8(b[4]);
        if (refLength == 0 || refLength > 32 || b.length != 26 + refLength) return (false, 0, address(0));
        if (b[5] == 0x00 || uint8(b[5 + refLength]) != 20) return (false, 0, address(0));
        chainId = uint256(bytes32(b[5:5 + refLength])) >> (8 * (32 - refLength));
        addr = address(bytes20(b[6 + refLength:26 + refLength]));
        ok = true;
    }
}
