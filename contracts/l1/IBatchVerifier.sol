// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IBatchVerifier
/// @notice Checks the proof of a run of batches against its public input.
interface IBatchVerifier {
    /// @notice Whether `proof` proves the batches committed to by `publicInput`.
    /// @param publicInput `keccak256(abi.encode(bytes32[] batchHashes))` of the batches being proven.
    /// @param proof The proof bytes (format defined by the verifier).
    function verify(bytes32 publicInput, bytes calldata proof) external view returns (bool);
}
