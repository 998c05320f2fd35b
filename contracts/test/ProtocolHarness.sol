// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../common/BridgeMessages.sol";
import {BundleEncoding} from "../common/BundleEncoding.sol";
import {LedgerAccounts} from "../common/LedgerAccounts.sol";
import {CommittedBatchKeys} from "../common/CommittedBatchKeys.sol";
import {InteropAttributes} from "../common/InteropAttributes.sol";
import {
    BatchCommitment, FailedDepositRef, ImportedRoot, InteropBundle, InteropCall, ValueMove
} from "../common/InteropTypes.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {MerkleTree} from "../common/MerkleTree.sol";
import {MessageHashing} from "../common/MessageHashing.sol";

/// @title ProtocolHarness (test helper)
/// @notice External wrappers over the protocol libraries and encodings, so that property tests can
/// compare the TypeScript mirror (src/protocol/) with the Solidity implementation.
contract ProtocolHarness {
    using MerkleTree for MerkleTree.Incremental;

    MerkleTree.Incremental private _tree;

    /// @notice `MessageHashing.messageLeaf`.
    function messageLeaf(address sender, bytes32 payloadHash) external pure returns (bytes32) {
        return MessageHashing.messageLeaf(sender, payloadHash);
    }

    /// @notice `MessageHashing.node`.
    function node(bytes32 left, bytes32 right) external pure returns (bytes32) {
        return MessageHashing.node(left, right);
    }

    /// @notice `MessageHashing.treeRoot`.
    function treeRoot(uint256 count, bytes32 top) external pure returns (bytes32) {
        return MessageHashing.treeRoot(count, top);
    }

    /// @notice `MessageHashing.batchLeaf`.
    function batchLeaf(uint256 batchNumber, bytes32 batchMessageRoot) external pure returns (bytes32) {
        return MessageHashing.batchLeaf(batchNumber, batchMessageRoot);
    }

    /// @notice `MessageHashing.chainLeaf`.
    function chainLeaf(uint256 chainId, bytes32 chainTreeRoot) external pure returns (bytes32) {
        return MessageHashing.chainLeaf(chainId, chainTreeRoot);
    }

    /// @notice `MessageHashing.importedRootStep`.
    function importedRootStep(bytes32 previous, uint256 slChainId, uint256 slBlockNumber, bytes32 root)
        external
        pure
        returns (bytes32)
    {
        return MessageHashing.importedRootStep(previous, slChainId, slBlockNumber, root);
    }

    /// @notice Rolling hash of imported roots (`MessageHashing.importedRootsHash`).
    function importedRootsHash(ImportedRoot[] calldata roots) external pure returns (bytes32) {
        return MessageHashing.importedRootsHash(roots);
    }

    /// @notice `MerkleTree.depth`.
    function depth(uint256 count) external pure returns (uint256) {
        return MerkleTree.depth(count);
    }

    /// @notice `MerkleTree.zeroHash`.
    function zeroHash(uint256 height) external pure returns (bytes32) {
        return MerkleTree.zeroHash(height);
    }

    /// @notice `MerkleTree.verify`.
    function verify(bytes32 leaf, uint256 index, uint256 count, bytes32[] calldata siblings)
        external
        pure
        returns (bytes32)
    {
        return MerkleTree.verify(leaf, index, count, siblings);
    }

    /// @notice `MerkleTree.rootOf`.
    function rootOf(bytes32[] memory leaves) external pure returns (bytes32) {
        return MerkleTree.rootOf(leaves);
    }

    /// @notice Appends `leaf` to the harness's incremental tree.
    function append(bytes32 leaf) external {
        _tree.append(leaf);
    }

    /// @notice Root of the harness's incremental tree (`MerkleTree.root`).
    function incrementalRoot() external view returns (bytes32) {
        return _tree.root();
    }

    /// @notice Number of leaves of the harness's incremental tree.
    function incrementalCount() external view returns (uint256) {
        return _tree.count;
    }

    /// @notice `InteroperableAddress.format`.
    function format(uint256 chainId, address addr) external pure returns (bytes memory) {
        return InteroperableAddress.format(chainId, addr);
    }

    /// @notice `InteroperableAddress.parse`.
    function parse(bytes calldata interoperableAddress) external pure returns (uint256 chainId, address addr) {
        return InteroperableAddress.parse(interoperableAddress);
    }

    /// @notice `abi.encode(bundle)`: the bundle as sent.
    function encodeBundle(InteropBundle calldata bundle) external pure returns (bytes memory) {
        return abi.encode(bundle);
    }

    /// @notice `BundleEncoding.encode` (what `InteropCenter.sendBundle` announces) of a bundle, its version word
    /// as given (1, or 1 with the fee flag).
    function encodeBundleAsSent(InteropBundle calldata bundle) external pure returns (bytes memory) {
        InteropCall[] memory calls = bundle.calls;
        return BundleEncoding.encode(
            bundle.version, bundle.sourceChainId, bundle.destinationChainId, bundle.salt, calls, bundle.executionAddress, bundle.unbundler
        );
    }

    /// @notice `abi.decode(encoded, (InteropBundle))`.
    function decodeBundle(bytes calldata encoded) external pure returns (InteropBundle memory) {
        return abi.decode(encoded, (InteropBundle));
    }

    /// @notice `keccak256(abi.encode(bundle))`.
    function bundleHash(InteropBundle calldata bundle) external pure returns (bytes32) {
        return keccak256(abi.encode(bundle));
    }

    /// @notice `receiveId` of call `callIndex`: `keccak256(abi.encode(bundleHash, callIndex))`.
    function receiveId(bytes32 bundleHash_, uint256 callIndex) external pure returns (bytes32) {
        return keccak256(abi.encode(bundleHash_, callIndex));
    }

    /// @notice `keccak256(abi.encode(commitment))`.
    function batchHash(BatchCommitment calldata commitment) external pure returns (bytes32) {
        return keccak256(abi.encode(commitment));
    }

    /// @notice The public input of `ChainSettlement.proveBatches`: `keccak256(abi.encode(batchHashes))`.
    function proofPublicInput(bytes32[] calldata batchHashes) external pure returns (bytes32) {
        return keccak256(abi.encode(batchHashes));
    }

    /// @notice The five attribute selectors: `interopCallValue`, `indirectCall`, `executionAddress`,
    /// `unbundlerAddress`, `executionGasLimit`.
    function attributeSelectors() external pure returns (bytes4, bytes4, bytes4, bytes4, bytes4) {
        return (
            InteropAttributes.INTEROP_CALL_VALUE,
            InteropAttributes.INDIRECT_CALL,
            InteropAttributes.EXECUTION_ADDRESS,
            InteropAttributes.UNBUNDLER_ADDRESS,
            InteropAttributes.EXECUTION_GAS_LIMIT
        );
    }

    /// @notice `InteropAttributes.parseCallAttributes`.
    function parseCallAttributes(bytes[] calldata attributes)
        external
        pure
        returns (uint256 value, bool indirect, uint256 indirectValue)
    {
        InteropAttributes.CallAttributes memory a = InteropAttributes.parseCallAttributes(attributes);
        return (a.value, a.indirect, a.indirectValue);
    }

    /// @notice `InteropAttributes.parseBundleAttributes`.
    function parseBundleAttributes(bytes[] calldata attributes, uint256 destinationChainId)
        external
        pure
        returns (address executionAddress, address unbundler, bool paysFee, uint256 gasLimit)
    {
        InteropAttributes.BundleAttributes memory a =
            InteropAttributes.parseBundleAttributes(attributes, destinationChainId);
        return (a.executionAddress, a.unbundler, a.paysFee, a.gasLimit);
    }

    /// @notice `InteropAttributes.parseMessageAttributes`.
    function parseMessageAttributes(bytes[] calldata attributes, uint256 destinationChainId)
        external
        pure
        returns (uint256 value, address executionAddress, address unbundler, bool paysFee, uint256 gasLimit)
    {
        (InteropAttributes.CallAttributes memory c, InteropAttributes.BundleAttributes memory b) =
            InteropAttributes.parseMessageAttributes(attributes, destinationChainId);
        return (c.value, b.executionAddress, b.unbundler, b.paysFee, b.gasLimit);
    }

    /// @notice `InteropAttributes.isMessageAttribute` (what `InteropCenter.supportsAttribute` says).
    function isMessageAttribute(bytes4 selector) external pure returns (bool) {
        return InteropAttributes.isMessageAttribute(selector);
    }

    /// @notice `MessageHashing.priorityRollingStep`.
    function priorityRollingStep(bytes32 previous, bytes32 requestHash) external pure returns (bytes32) {
        return MessageHashing.priorityRollingStep(previous, requestHash);
    }

    /// @notice `MessageHashing.blindedBundleCommitment`.
    function blindedBundleCommitment(bytes32 bundleHash_, bytes32 blinding) external pure returns (bytes32) {
        return MessageHashing.blindedBundleCommitment(bundleHash_, blinding);
    }

    /// @notice `MessageHashing.blindedBridgeMessageCommitment`.
    function blindedBridgeMessageCommitment(bytes32 payloadHash, bytes32 blinding) external pure returns (bytes32) {
        return MessageHashing.blindedBridgeMessageCommitment(payloadHash, blinding);
    }

    /// @notice A private chain's `dataHash` as `GatewayAssetTracker.approveValidiumBatches` computes it.
    function validiumDataHash(bytes32 transactionsHash, ValueMove[] calldata moves, FailedDepositRef[] calldata failedDeposits)
        external
        pure
        returns (bytes32)
    {
        return MessageHashing.validiumDataHash(transactionsHash, keccak256(abi.encode(moves, failedDeposits)));
    }

    /// @notice `BridgeMessages.priorityRequestHash`.
    function priorityRequestHash(uint256 chainId, uint256 index, address l2Target, bytes calldata data)
        external
        pure
        returns (bytes32)
    {
        return BridgeMessages.priorityRequestHash(chainId, index, l2Target, data);
    }

    /// @notice `BridgeMessages.tokenString`, as bytes (the string a deposit carries for `returned`).
    function tokenString(bytes memory returned) external pure returns (bytes memory) {
        return bytes(BridgeMessages.tokenString(returned));
    }

    /// @notice `BridgeMessages.assetId`.
    function assetId(uint256 originChainId, address originVault, address originToken) external pure returns (bytes32) {
        return BridgeMessages.assetId(originChainId, originVault, originToken);
    }

    /// @notice `BridgeMessages.encodeWithdrawal`.
    function encodeWithdrawal(bytes32 assetId_, address l2Sender, address l1Receiver, uint256 amount)
        external
        pure
        returns (bytes memory)
    {
        return BridgeMessages.encodeWithdrawal(assetId_, l2Sender, l1Receiver, amount);
    }

    /// @notice `BridgeMessages.decodeWithdrawal`.
    function decodeWithdrawal(bytes calldata message)
        external
        pure
        returns (bytes32 assetId_, address l2Sender, address l1Receiver, uint256 amount)
    {
        return BridgeMessages.decodeWithdrawal(message);
    }

    /// @notice `BridgeMessages.encodeTransfer`.
    function encodeTransfer(
        uint256 destinationChainId,
        bytes32 assetId_,
        address sender,
        address receiver,
        uint256 amount
    ) external pure returns (bytes memory) {
        return BridgeMessages.encodeTransfer(destinationChainId, assetId_, sender, receiver, amount);
    }

    /// @notice `BridgeMessages.decodeTransfer`.
    function decodeTransfer(bytes calldata message)
        external
        pure
        returns (uint256 destinationChainId, bytes32 assetId_, address sender, address receiver, uint256 amount)
    {
        return BridgeMessages.decodeTransfer(message);
    }

    /// @notice `BridgeMessages.encodeFailedDeposit`.
    function encodeFailedDeposit(uint256 index, bytes32 requestHash) external pure returns (bytes memory) {
        return BridgeMessages.encodeFailedDeposit(index, requestHash);
    }

    /// @notice `BridgeMessages.decodeFailedDeposit`.
    function decodeFailedDeposit(bytes calldata message) external pure returns (uint256 index, bytes32 requestHash) {
        return BridgeMessages.decodeFailedDeposit(message);
    }

    /// @notice `BridgeMessages.failedDepositClaimDigest`.
    function failedDepositClaimDigest(uint256 l1ChainId, address router, uint256 chainId, bytes32 requestHash, address to)
        external
        pure
        returns (bytes32)
    {
        return BridgeMessages.failedDepositClaimDigest(l1ChainId, router, chainId, requestHash, to);
    }

    /// @notice `BridgeMessages.encodeSettlementLayerTransfer`.
    function encodeSettlementLayerTransfer(uint256 sourceChainId, uint256 destinationChainId, bytes32 assetId_, uint256 amount)
        external
        pure
        returns (bytes memory)
    {
        return BridgeMessages.encodeSettlementLayerTransfer(sourceChainId, destinationChainId, assetId_, amount);
    }

    /// @notice `BridgeMessages.decodeSettlementLayerTransfer`.
    function decodeSettlementLayerTransfer(bytes calldata message)
        external
        pure
        returns (uint256 sourceChainId, uint256 destinationChainId, bytes32 assetId_, uint256 amount)
    {
        return BridgeMessages.decodeSettlementLayerTransfer(message);
    }

    /// @notice `LedgerAccounts.ofChain`, `ofSettlementLayer` and `decode`.
    function ledgerAccounts(uint256 chainId, uint256 account)
        external
        pure
        returns (uint256 ofChain, uint256 ofSettlementLayer, bool isSettlementLayer, uint256 decodedChainId)
    {
        ofChain = LedgerAccounts.ofChain(chainId);
        ofSettlementLayer = LedgerAccounts.ofSettlementLayer(chainId);
        (isSettlementLayer, decodedChainId) = LedgerAccounts.decode(account);
    }

    /// @notice `BridgeMessages.withdrawalId`.
    function withdrawalId(uint256 chainId, uint256 batchNumber, uint256 messageIndex) external pure returns (bytes32) {
        return BridgeMessages.withdrawalId(chainId, batchNumber, messageIndex);
    }

    /// @notice `CommittedBatchKeys.key`.
    function committedBatchKey(uint256 chainId, uint256 batchNumber) external pure returns (uint256) {
        return CommittedBatchKeys.key(chainId, batchNumber);
    }

    /// @notice `CommittedBatchKeys.isCommittedBatchKey` and `decode`.
    function decodeCommittedBatchKey(uint256 rootKey) external pure returns (bool committed, uint256 chainId, uint256 batchNumber) {
        committed = CommittedBatchKeys.isCommittedBatchKey(rootKey);
        (chainId, batchNumber) = CommittedBatchKeys.decode(rootKey);
    }
}
