// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// The structures of docs/protocol.md. Field order is part of the protocol: these are hashed with
// `abi.encode`.

/// @notice One call of a bundle (section 4).
struct InteropCall {
    /// recipient on the destination chain
    address to;
    /// original caller on the source chain
    address from;
    /// base token (ETH) delivered with the call, paid by the sender (docs/protocol.md section 9.7)
    uint256 value;
    /// ERC-7786 payload given to receiveMessage
    bytes data;
}

/// @notice A bundle of calls from one source chain to one destination chain (section 4).
/// `bundleHash = keccak256(abi.encode(bundle))`.
struct InteropBundle {
    /// 1
    uint256 version;
    uint256 sourceChainId;
    uint256 destinationChainId;
    /// keccak256(abi.encode(sender, senderNonce))
    bytes32 salt;
    InteropCall[] calls;
    /// 0 = anyone may execute
    address executionAddress;
    /// 0 = nobody may unbundle
    address unbundler;
}

/// @notice A batch as committed to the settlement layer (section 5).
/// `batchHash = keccak256(abi.encode(commitment))`.
struct BatchCommitment {
    uint256 batchNumber;
    bytes32 previousBatchHash;
    /// first L2 block in the batch
    uint256 firstBlock;
    /// last L2 block in the batch
    uint256 lastBlock;
    /// state root of lastBlock
    bytes32 stateRoot;
    /// tree root over the batch's message leaves (section 3)
    bytes32 messageRoot;
    uint256 messageCount;
    /// priority requests processed on L2 in this batch (section 9)
    uint256 priorityRequestsCount;
    /// cumulative priority rolling hash after the last request processed so far (0 if none ever)
    bytes32 priorityRequestsHash;
    uint256 importedRootsCount;
    /// rolling hash of the interop roots imported in the batch
    bytes32 importedRootsHash;
    /// timestamp of lastBlock
    uint256 timestamp;
    /// commitment to the batch's data (section 5.1): 0 for a chain that publishes no data commitment; a
    /// private chain's (validium) rolling hash of its transactions, whose data stays with its operator
    bytes32 dataHash;
}

/// @notice A settlement-layer root imported into a chain's InteropRootStore (section 5).
struct ImportedRoot {
    uint256 slChainId;
    uint256 slBlockNumber;
    bytes32 root;
}

/// @notice A gas price the operator posted on the settlement layer (`ChainRegistry.postGasPrices`), carried to
/// the chains with the roots they import (docs/fees.md): wei per gas of `chainId` (L1's chain id: the price
/// of settlement gas).
struct GasPrice {
    uint256 chainId;
    uint256 weiPerGas;
}

/// @notice Where a chain's settlement stands on a settlement layer when it moves to another one
/// (docs/protocol.md section 11): the last executed batch, the last block it covered, and the chain's
/// priority queue (every request queued was processed). The next settlement layer continues from it.
struct SettlementState {
    uint256 batchNumber;
    bytes32 batchHash;
    uint256 lastBlock;
    uint256 priorityRequestsCount;
    bytes32 priorityRollingHash;
}

/// @notice An amount of one asset: a chain's balance of it, carried from one settlement layer's ledger to
/// the other's when the chain moves (docs/protocol.md section 11).
struct AssetAmount {
    bytes32 assetId;
    uint256 amount;
}

/// @notice One line of a private chain's batch value summary (docs/protocol.md section 5.1): `amount` of
/// `assetId` leaves the chain for `toChainId` (0: L1, a withdrawal), the sum of the batch's moves of that
/// asset to that destination.
struct ValueMove {
    bytes32 assetId;
    uint256 amount;
    uint256 toChainId;
}

/// @notice A failed deposit a private chain's batch sends back to L1: the request's index and hash.
struct FailedDepositRef {
    uint256 index;
    bytes32 requestHash;
}

/// @notice What the Gateway's asset tracker learns of a private chain's batch instead of its messages
/// (section 9.10): the hash of its transactions and its value summary, which together hash to the batch's
/// `dataHash` (`validiumDataHash(transactionsHash, keccak256(abi.encode(moves, failedDeposits)))`).
struct ValidiumBatchValue {
    bytes32 transactionsHash;
    ValueMove[] moves;
    FailedDepositRef[] failedDeposits;
}

/// @notice What stays in a chain's own account in L1's ledger of one asset when the chain moves to a
/// Gateway (docs/protocol.md section 11): `reserve`, as read when the account had paid out `outflowsAtRead`
/// in total (`L1NativeTokenVault.outflowsOf`); whatever the account paid out since comes off the reserve.
struct AssetReserve {
    bytes32 assetId;
    uint256 reserve;
    uint256 outflowsAtRead;
}

/// @notice A chain's tree of batch leaves on a settlement layer (docs/protocol.md section 6), as an
/// incremental tree: the leaf count and the frontier (see `MerkleTree.Incremental`). A chain that moves
/// takes its tree along, so batch `n` stays leaf `n - 1` wherever it settles.
struct ChainTreeState {
    uint256 count;
    bytes32[33] frontier;
}

/// @notice Proof that a bundle hash was sent by a source chain's InteropCenter (section 7).
struct InteropProof {
    /// settlement layer whose root is used
    uint256 slChainId;
    /// block of that root (the key in the destination's root store)
    uint256 slBlockNumber;
    /// must be the InteropCenter
    address messageSender;
    uint256 batchNumber;
    uint256 messageIndex;
    uint256 messageCount;
    bytes32[] messageSiblings;
    uint256 batchCount;
    bytes32[] batchSiblings;
    uint256 chainIndex;
    uint256 chainCount;
    bytes32[] chainSiblings;
    /// empty when the source chain settles where the root comes from; one hop when the source chain
    /// settles on a Gateway and the root is L1's (section 7.2). More than one is refused.
    SettlementLayerHop[] hops;
}

/// @notice The second level of a two-level proof (section 7.2): the Gateway's MessageRoot recorded the
/// Gateway shared root that the first level proves, as a message of the Gateway chain; this proves that
/// message up to L1's shared root, like the first level.
struct SettlementLayerHop {
    /// the Gateway chain (the source chain's settlement layer)
    uint256 settlementLayerChainId;
    uint256 batchNumber;
    uint256 messageIndex;
    uint256 messageCount;
    bytes32[] messageSiblings;
    uint256 batchCount;
    bytes32[] batchSiblings;
    uint256 chainIndex;
    uint256 chainCount;
    bytes32[] chainSiblings;
}

/// @notice Status of a bundle on its destination chain (section 4).
enum BundleStatus {
    Unreceived,
    Verified,
    Executed,
    Unbundled
}

/// @notice One call given to `InteropCenter.sendBundle` (section 8): the recipient (or, with the
/// `indirectCall` attribute, the initiator contract on the source chain), its payload, and its call
/// attributes.
struct InteropCallStarter {
    address to;
    bytes data;
    bytes[] callAttributes;
}

/// @notice Status of one call of a bundle on its destination chain (section 8). Every call of an
/// Executed bundle reads Executed.
enum CallStatus {
    Unprocessed,
    Executed,
    Cancelled
}

/// @notice What `InteropHandler.unbundleBundle` does with one call (section 8).
enum CallDecision {
    Leave,
    Execute,
    Cancel
}
