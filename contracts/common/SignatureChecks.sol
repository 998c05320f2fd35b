// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title SignatureChecks
/// @notice Whether an account signed a digest: an account with code answers through ERC-1271
/// (`isValidSignature(digest, signature)` returns its selector); an account without code must have
/// made a 65-byte ECDSA signature `r ‖ s ‖ v` with `v` 27 or 28 and `s` in the lower half of the curve
/// order (no malleable twin).
library SignatureChecks {
    /// @notice The ERC-1271 magic value: `bytes4(keccak256("isValidSignature(bytes32,bytes)"))`.
    bytes4 internal constant ERC1271_MAGIC_VALUE = 0x1626ba7e;
    /// @dev Half the secp256k1 curve order: a larger `s` is the malleable twin of a valid signature.
    uint256 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @notice Whether `signer` signed `digest` with `signature` (see the library's notes).
    function isValid(address signer, bytes32 digest, bytes calldata signature) internal view returns (bool) {
        if (signer.code.length != 0) {
            (bool ok, bytes memory ret) =
                signer.staticcall(abi.encodeWithSelector(ERC1271_MAGIC_VALUE, digest, signature));
            return ok && ret.length >= 32 && abi.decode(ret, (bytes32)) == bytes32(ERC1271_MAGIC_VALUE);
        }
        if (signature.length != 65) return false;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) return false;
        address recovered = ecrecover(digest, v, r, s);
        return recovered != address(0) && recovered == signer;
    }
}
