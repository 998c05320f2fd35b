// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title BridgeMessages
/// @notice The encodings of the shared bridge (docs/protocol.md section 9): asset ids, priority
/// request hashes, withdrawal and transfer messages and message ids. Mirrored in src/protocol/bridge.ts.
library BridgeMessages {
    /// @notice First word of a withdrawal message: `bytes4(keccak256("withdraw(bytes32,address,address,uint256)"))`.
    bytes4 internal constant WITHDRAWAL_TAG = bytes4(keccak256("withdraw(bytes32,address,address,uint256)"));
    /// @notice Length of a withdrawal message: five ABI words.
    uint256 internal constant WITHDRAWAL_MESSAGE_LENGTH = 160;

    /// @notice First word of a transfer message (chain → chain):
    /// `bytes4(keccak256("transfer(uint256,bytes32,address,address,uint256)"))`.
    bytes4 internal constant TRANSFER_TAG = bytes4(keccak256("transfer(uint256,bytes32,address,address,uint256)"));
    /// @notice Length of a transfer message: six ABI words.
    uint256 internal constant TRANSFER_MESSAGE_LENGTH = 192;

    /// @notice First word of a failed-deposit message (recorded by the L2PriorityInbox when the call of a
    /// priority request fails): `bytes4(keccak256("failedDeposit(uint256,bytes32)"))`.
    bytes4 internal constant FAILED_DEPOSIT_TAG = bytes4(keccak256("failedDeposit(uint256,bytes32)"));
    /// @notice Length of a failed-deposit message: three ABI words.
    uint256 internal constant FAILED_DEPOSIT_MESSAGE_LENGTH = 96;

    /// @notice First word of a settlement-layer transfer message (recorded by a Gateway's asset tracker when
    /// value leaves the Gateway for a chain that does not settle on it, docs/protocol.md section 9.10):
    /// `bytes4(keccak256("settlementLayerTransfer(uint256,uint256,bytes32,uint256)"))`.
    bytes4 internal constant SETTLEMENT_LAYER_TRANSFER_TAG =
        bytes4(keccak256("settlementLayerTransfer(uint256,uint256,bytes32,uint256)"));
    /// @notice Length of a settlement-layer transfer message: five ABI words.
    uint256 internal constant SETTLEMENT_LAYER_TRANSFER_MESSAGE_LENGTH = 160;

    /// @notice EIP-712 type of a failed-deposit claim naming where the funds go (section 9.8), signed by the
    /// depositor: `ClaimFailedDeposit(uint256 chainId,bytes32 requestHash,address to)`.
    bytes32 internal constant FAILED_DEPOSIT_CLAIM_TYPEHASH =
        keccak256("ClaimFailedDeposit(uint256 chainId,bytes32 requestHash,address to)");
    /// @notice EIP-712 domain type of the L1AssetRouter's signed claims.
    bytes32 internal constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// @notice `keccak256` of the EIP-712 domain name of the L1AssetRouter: "Junction L1AssetRouter".
    bytes32 internal constant CLAIM_DOMAIN_NAME_HASH = keccak256("Junction L1AssetRouter");
    /// @notice `keccak256` of the EIP-712 domain version: "1".
    bytes32 internal constant CLAIM_DOMAIN_VERSION_HASH = keccak256("1");

    /// @notice The "token address" of ETH in asset ids: ETH's asset id is
    /// `assetId(L1 chain id, L1NativeTokenVault, ETH_TOKEN)`.
    address internal constant ETH_TOKEN = address(0);

    /// @notice Most bytes of a token's name or symbol a deposit carries (section 9.1): what a deposit
    /// carries, and so what passing it on costs a Gateway, is bounded whatever the token returns.
    uint256 internal constant MAX_TOKEN_STRING_LENGTH = 64;

    /// @notice The bytes are not a withdrawal message (wrong length or tag).
    error NotAWithdrawal();
    /// @notice The bytes are not a transfer message (wrong length or tag).
    error NotATransfer();
    /// @notice The bytes are not a failed-deposit message (wrong length or tag).
    error NotAFailedDeposit();
    /// @notice The bytes are not a settlement-layer transfer message (wrong length or tag).
    error NotASettlementLayerTransfer();

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

    /// @notice The name or symbol a deposit carries, from what the token's `name()` or `symbol()` returned
    /// (a call that succeeded): the string if `returned` is an ABI-encoded string (first word 32, a length
    /// that fits in it) of at most `MAX_TOKEN_STRING_LENGTH` bytes, else "" (a longer one, a `bytes32`, or
    /// anything else). Only the first `64 + MAX_TOKEN_STRING_LENGTH` bytes of `returned` matter: the
    /// answer is the same for those bytes alone.
    function tokenString(bytes memory returned) internal pure returns (string memory out) {
        if (returned.length < 64) return "";
        uint256 offset;
        uint256 length;
        assembly ("memory-safe") {
            offset := mload(add(returned, 0x20))
            length := mload(add(returned, 0x40))
        }
        if (offset != 32 || length > MAX_TOKEN_STRING_LENGTH || length > returned.length - 64) return "";
        out = new string(length);
        for (uint256 i; i < length; ++i) {
            bytes(out)[i] = returned[64 + i];
        }
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

    /// @notice Whether `message` has a withdrawal message's length and first word (what `decodeWithdrawal` reads).
    function isWithdrawal(bytes calldata message) internal pure returns (bool) {
        return message.length == WITHDRAWAL_MESSAGE_LENGTH && bytes32(message[0:32]) == bytes32(WITHDRAWAL_TAG);
    }

    /// @notice Reads a withdrawal message. Reverts `NotAWithdrawal` when it is not 160 bytes, does not
    /// start with `WITHDRAWAL_TAG` (followed by 28 zero bytes) or an address word is not a clean address.
    function decodeWithdrawal(bytes calldata message)
        internal
        pure
        returns (bytes32 assetId_, address l2Sender, address l1Receiver, uint256 amount)
    {
        if (!isWithdrawal(message) || !_cleanAddressWords(message, 2, 3)) revert NotAWithdrawal();
        (, assetId_, l2Sender, l1Receiver, amount) = abi.decode(message, (bytes4, bytes32, address, address, uint256));
    }

    /// @notice The transfer message recorded by the source chain's L2 asset router when it burns for a
    /// chain → chain transfer: `abi.encode(TRANSFER_TAG, destinationChainId, assetId, sender, receiver,
    /// amount)` (192 bytes; the tag is left-aligned in the first word).
    function encodeTransfer(
        uint256 destinationChainId,
        bytes32 assetId_,
        address sender,
        address receiver,
        uint256 amount
    ) internal pure returns (bytes memory) {
        return abi.encode(TRANSFER_TAG, destinationChainId, assetId_, sender, receiver, amount);
    }

    /// @notice Whether `message` is shaped as a transfer message (its length and tag; `decodeTransfer` checks the rest).
    function isTransfer(bytes calldata message) internal pure returns (bool) {
        return message.length == TRANSFER_MESSAGE_LENGTH && bytes32(message[0:32]) == bytes32(TRANSFER_TAG);
    }

    /// @notice Reads a transfer message. Reverts `NotATransfer` when it is not 192 bytes, does not start
    /// with `TRANSFER_TAG` (followed by 28 zero bytes) or an address word is not a clean address.
    function decodeTransfer(bytes calldata message)
        internal
        pure
        returns (uint256 destinationChainId, bytes32 assetId_, address sender, address receiver, uint256 amount)
    {
        if (
            message.length != TRANSFER_MESSAGE_LENGTH || bytes32(message[0:32]) != bytes32(TRANSFER_TAG)
                || !_cleanAddressWords(message, 3, 4)
        ) revert NotATransfer();
        (, destinationChainId, assetId_, sender, receiver, amount) =
            abi.decode(message, (bytes4, uint256, bytes32, address, address, uint256));
    }

    /// @notice The settlement-layer transfer message: `amount` of `assetId` left the Gateway's chain
    /// `sourceChainId` for `destinationChainId`, which does not settle on that Gateway.
    function encodeSettlementLayerTransfer(uint256 sourceChainId, uint256 destinationChainId, bytes32 assetId_, uint256 amount)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encode(SETTLEMENT_LAYER_TRANSFER_TAG, sourceChainId, destinationChainId, assetId_, amount);
    }

    /// @notice Reads a settlement-layer transfer message. Reverts `NotASettlementLayerTransfer` when it is
    /// not 160 bytes or does not start with its tag (followed by 28 zero bytes).
    function decodeSettlementLayerTransfer(bytes calldata message)
        internal
        pure
        returns (uint256 sourceChainId, uint256 destinationChainId, bytes32 assetId_, uint256 amount)
    {
        if (
            message.length != SETTLEMENT_LAYER_TRANSFER_MESSAGE_LENGTH
                || bytes32(message[0:32]) != bytes32(SETTLEMENT_LAYER_TRANSFER_TAG)
        ) revert NotASettlementLayerTransfer();
        (, sourceChainId, destinationChainId, assetId_, amount) =
            abi.decode(message, (bytes4, uint256, uint256, bytes32, uint256));
    }

    /// @notice Id of a withdrawal, its replay key on L1: `keccak256(abi.encode(chainId, batchNumber,
    /// messageIndex))` (the position of its message, proven by the inclusion proof). The same id keys
    /// transfer messages: every bridge message of a chain is consumed on L1 at most once.
    function withdrawalId(uint256 chainId, uint256 batchNumber, uint256 messageIndex) internal pure returns (bytes32) {
        return keccak256(abi.encode(chainId, batchNumber, messageIndex));
    }

    /// @notice The message the L2PriorityInbox records when the call of priority request `index` fails:
    /// `abi.encode(FAILED_DEPOSIT_TAG, index, requestHash)` (96 bytes; the tag is left-aligned in the
    /// first word). On L1 it lets the depositor claim the deposit back (`L1AssetRouter.claimFailedDeposit`).
    function encodeFailedDeposit(uint256 index, bytes32 requestHash) internal pure returns (bytes memory) {
        return abi.encode(FAILED_DEPOSIT_TAG, index, requestHash);
    }

    /// @notice Whether `message` has a failed-deposit message's length and first word (what `decodeFailedDeposit` reads).
    function isFailedDeposit(bytes calldata message) internal pure returns (bool) {
        return message.length == FAILED_DEPOSIT_MESSAGE_LENGTH && bytes32(message[0:32]) == bytes32(FAILED_DEPOSIT_TAG);
    }

    /// @notice Reads a failed-deposit message. Reverts `NotAFailedDeposit` when it is not 96 bytes or does
    /// not start with `FAILED_DEPOSIT_TAG` (followed by 28 zero bytes).
    function decodeFailedDeposit(bytes calldata message) internal pure returns (uint256 index, bytes32 requestHash) {
        if (!isFailedDeposit(message)) revert NotAFailedDeposit();
        (, index, requestHash) = abi.decode(message, (bytes4, uint256, bytes32));
    }

    /// @notice The EIP-712 digest a depositor signs to have its failed deposit (priority request
    /// `requestHash` of `chainId`) paid to `to` (section 9.8): `keccak256(0x1901 ‖ domainSeparator ‖
    /// keccak256(abi.encode(FAILED_DEPOSIT_CLAIM_TYPEHASH, chainId, requestHash, to)))`, the domain being
    /// `("Junction L1AssetRouter", "1", l1ChainId, router)`.
    function failedDepositClaimDigest(uint256 l1ChainId, address router, uint256 chainId, bytes32 requestHash, address to)
        internal
        pure
        returns (bytes32)
    {
        bytes32 domainSeparator =
            keccak256(abi.encode(EIP712_DOMAIN_TYPEHASH, CLAIM_DOMAIN_NAME_HASH, CLAIM_DOMAIN_VERSION_HASH, l1ChainId, router));
        bytes32 structHash = keccak256(abi.encode(FAILED_DEPOSIT_CLAIM_TYPEHASH, chainId, requestHash, to));
        return keccak256(abi.encodePacked(hex"1901", domainSeparator, structHash));
    }

    /// @notice Reads the payload a transfer's bundle call delivers to the destination's asset router
    /// (section 9.5): `abi.encode(bytes32 assetId, uint256 originChainId, address originToken, string
    /// name, string symbol, uint8 decimals, address receiver, uint256 amount)`; reverts on bad bytes.
    function decodeTransferPayload(bytes memory payload)
        internal
        pure
        returns (
            bytes32 assetId_,
            uint256 originChainId,
            address originToken,
            string memory name,
            string memory symbol,
            uint8 decimals,
            address receiver,
            uint256 amount
        )
    {
        return abi.decode(payload, (bytes32, uint256, address, string, string, uint8, address, uint256));
    }

    /// @dev Whether words `first` and `second` of `message` (long enough) are clean addresses: their 12
    /// high bytes zero, as `abi.decode` requires (it would refuse them with a bare revert).
    function _cleanAddressWords(bytes calldata message, uint256 first, uint256 second) private pure returns (bool) {
        return uint256(bytes32(message[first * 32:first * 32 + 32])) >> 160 == 0
            && uint256(bytes32(message[second * 32:second * 32 + 32])) >> 160 == 0;
    }
}
