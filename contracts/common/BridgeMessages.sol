// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title BridgeMessages
/// @notice The encodings of the shared bridge (docs/protocol.md section 9): asset ids, priority
/// request hashes, withdrawal messages and withdrawal ids. Mirrored in src/protocol/bridge.ts.
library BridgeMessages {
    /// @notice First word of a withdrawal message: `bytes4(keccak256("withdraw(bytes32,address,address,uint256)"))`.
    bytes4 internal constant WITHDRAWAL_TAG = bytes4(keccak256("withdraw(bytes32,address,address,uint256)"));
    /// @notice Length of a withdrawal message: five ABI words.
    uint256 internal constant WITHDRAWAL_MESSAGE_LENGTH = 160;

    /// @notice The bytes are not a withdrawal message (wrong length or tag).
    error NotAWithdrawal();

    /// @notice Id of an asset: `keccak256(abi.encode(originChainId, originVault, originToken))`.
    /// @param originChainId The chain where the token is native.
    /// @param originVault The token vault of that chain (on L1: the L1NativeTokenVault).
    /// @param originToken The token's address on its origin chain.
    function assetId(uint256 originChainId, address originVault, address originToken) internal pure returns (bytes32) {
        return keccak256(abi.encode(originChainId, originVault, originToken));
    }

    /// @notice Hash of priority request `index` of chain `chainId`:
    /// `keccak256(abi.encode(chainId, index, l2Target, data))`.
    /// @param chainId The chain that must process the request.
    /// @param index Position of the request in the chain's queue (from 0).
    /// @param l2Target The contract the request calls on the chain.
    /// @param data The call data.
    function priorityRequestHash(uint256 chainId, uint256 index, address l2Target, bytes memory data)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(chainId, index, l2Target, data));
    }

    /// @notice The withdrawal message recorded by the L2 asset router:
    /// `abi.encode(WITHDRAWAL_TAG, assetId, l2Sender, l1Receiver, amount)` (160 bytes; the tag is
    /// left-aligned in the first word).
    function encodeWithdrawal(bytes32 assetId_, address l2Sender, address l1Receiver, uint256 amount)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encode(WITHDRAWAL_TAG, assetId_, l2Sender, l1Receiver, amount);
    }

    /// @notice Reads a withdrawal message. Reverts `NotAWithdrawal` when it is not 160 bytes or does
    /// not start with `WITHDRAWAL_TAG` (followed by 28 zero bytes); reverts when an address word is
    /// not a clean address.
    function decodeWithdrawal(bytes calldata message)
        internal
        pure
        returns (bytes32 assetId_, address l2Sender, address l1Receiver, uint256 amount)
    {
        if (message.length != WITHDRAWAL_MESSAGE_LENGTH || bytes32(message[0:32]) != bytes32(WITHDRAWAL_TAG)) {
            revert NotAWithdrawal();
        }
        (, assetId_, l2Sender, l1Receiver, amount) = abi.decode(message, (bytes4, bytes32, address, address, uint256));
    }

    /// @notice Id of a withdrawal, its replay key on L1: `keccak256(abi.encode(chainId, batchNumber,
    /// messageIndex))` (the position of its message, proven by the inclusion proof).
    function withdrawalId(uint256 chainId, uint256 batchNumber, uint256 messageIndex) internal pure returns (bytes32) {
        return keccak256(abi.encode(chainId, batchNumber, messageIndex));
    }
}
