// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../../common/BridgeMessages.sol";
import {IL2AssetRouter} from "../../common/IL2AssetRouter.sol";
import {InclusionProof} from "../../common/InclusionProof.sol";
import {InteropProof} from "../../common/InteropTypes.sol";
import {ChainRegistry} from "../ChainRegistry.sol";
import {ChainSettlement} from "../ChainSettlement.sol";
import {GatewayPriorityForwarder} from "../../gateway/GatewayPriorityForwarder.sol";
import {MessageRoot} from "../MessageRoot.sol";
import {L1NativeTokenVault} from "./L1NativeTokenVault.sol";

/// @title L1AssetRouter
/// @notice The L1 side of the shared bridge (docs/protocol.md section 9). `deposit` locks an L1 token
/// in the vault and queues a priority request on the chain's settlement contract, which the chain
/// must process in order; `finalizeWithdrawal` releases tokens on the proof that the chain's L2 asset
/// router recorded a withdrawal message in a batch executed here. Each withdrawal finalizes once, and
/// never for more than the chain's balance in the vault. `finalizeTransfer` moves a chain → chain
/// transfer from the source chain's balance to the destination's on the proof that the source chain
/// recorded the transfer message. Every message (withdrawal or transfer) is consumed once.
contract L1AssetRouter {
    /// @notice The registry of chains settling on L1.
    ChainRegistry public immutable registry;
    /// @notice L1's message root (its history of shared roots).
    MessageRoot public immutable messageRoot;
    /// @notice The vault holding the tokens and the chain balances.
    L1NativeTokenVault public immutable vault;
    /// @notice The L2AssetRouter, at the same address on every chain.
    address public immutable l2AssetRouter;

    mapping(bytes32 messageId => bool consumed) private _consumed;

    /// @notice `depositor` deposited `amount` of `assetId` for `l2Receiver` on `chainId`; the chain's
    /// priority request number `requestIndex` carries it.
    event DepositInitiated(
        uint256 indexed chainId,
        bytes32 indexed assetId,
        address indexed depositor,
        address l2Receiver,
        uint256 amount,
        uint256 requestIndex
    );
    /// @notice A withdrawal from `chainId` was finalized: `amount` of `assetId` sent to `l1Receiver`.
    event WithdrawalFinalized(
        uint256 indexed chainId, bytes32 indexed assetId, address indexed l1Receiver, uint256 amount, bytes32 withdrawalId
    );

    /// @notice A transfer from `sourceChainId` to `destinationChainId` was recorded: `amount` of
    /// `assetId` moved between their chain balances; `transferId` is the message's id.
    event TransferRecorded(
        uint256 indexed sourceChainId,
        uint256 indexed destinationChainId,
        bytes32 indexed assetId,
        uint256 amount,
        bytes32 transferId
    );

    /// @notice The chain is not registered on L1.
    error ChainNotRegistered(uint256 chainId);
    /// @notice A deposit of 0 is refused.
    error ZeroAmount();
    /// @notice The proof is for a settlement layer other than L1.
    error WrongSettlementLayer(uint256 slChainId);
    /// @notice The proof's intermediate settlement layer is not a Gateway registered on L1.
    error UntrustedSettlementLayer(uint256 chainId);
    /// @notice The proven message was not recorded by the L2 asset router.
    error SenderNotAssetRouter(address messageSender);
    /// @notice L1 recorded no shared root at this block.
    error RootNotInHistory(uint256 slBlockNumber);
    /// @notice The proof leads to a root other than the one L1 recorded at that block.
    error ProofRootMismatch(bytes32 computed, bytes32 recorded);
    /// @notice This withdrawal was already finalized.
    error WithdrawalAlreadyFinalized(bytes32 withdrawalId);
    /// @notice This transfer was already recorded.
    error TransferAlreadyRecorded(bytes32 transferId);

    /// @param registry_ The ChainRegistry.
    /// @param messageRoot_ L1's MessageRoot.
    /// @param vault_ The L1NativeTokenVault (whose asset router must be set to this contract).
    /// @param l2AssetRouter_ The L2AssetRouter (same address on every chain).
    constructor(ChainRegistry registry_, MessageRoot messageRoot_, L1NativeTokenVault vault_, address l2AssetRouter_) {
        registry = registry_;
        messageRoot = messageRoot_;
        vault = vault_;
        l2AssetRouter = l2AssetRouter_;
    }

    /// @notice Deposits `amount` of the L1 token `token` into chain `chainId`, for `l2Receiver`. The
    /// caller must have approved the vault for `amount`. The chain mints the bridged token when it
    /// processes the priority request.
    /// @param chainId A chain registered on L1.
    /// @param token The L1 ERC-20 token.
    /// @param amount The amount (> 0); exactly this much must reach the vault.
    /// @param l2Receiver The receiver on the chain.
    /// @return requestIndex The index of the priority request in the chain's queue.
    function deposit(uint256 chainId, address token, uint256 amount, address l2Receiver)
        external
        returns (uint256 requestIndex)
    {
        if (registry.settlementLayerOf(chainId) == 0) revert ChainNotRegistered(chainId);
        if (amount == 0) revert ZeroAmount();
        bytes32 assetId = vault.lockDeposit(chainId, token, msg.sender, amount);
        bytes memory data = abi.encodeCall(
            IL2AssetRouter.finalizeDeposit,
            (
                assetId,
                block.chainid,
                token,
                _readString(token, "name()"),
                _readString(token, "symbol()"),
                _readDecimals(token),
                msg.sender,
                l2Receiver,
                amount
            )
        );
        requestIndex = _enqueue(chainId, l2AssetRouter, data);
        emit DepositInitiated(chainId, assetId, msg.sender, l2Receiver, amount, requestIndex);
    }

    /// @notice Finalizes a withdrawal from chain `chainId`: checks that the L2 asset router of that
    /// chain recorded `message` in a batch executed on L1 (`proof`, whose shared root must be L1's
    /// recorded root at `proof.slBlockNumber`), then releases the tokens from the chain's balance to
    /// the message's `l1Receiver`. Anyone may call it; each withdrawal finalizes once.
    /// @param chainId The chain the withdrawal comes from.
    /// @param message The withdrawal message (section 9) as recorded.
    /// @param proof Its proof of inclusion (section 7) against L1's root history.
    function finalizeWithdrawal(uint256 chainId, bytes calldata message, InteropProof calldata proof) external {
        (bytes32 assetId,, address l1Receiver, uint256 amount) = BridgeMessages.decodeWithdrawal(message);
        bytes32 id = _consumeMessage(chainId, message, proof, false);
        emit WithdrawalFinalized(chainId, assetId, l1Receiver, amount, id);
        vault.releaseWithdrawal(chainId, assetId, l1Receiver, amount);
    }

    /// @notice Records a chain → chain transfer (section 9.5): checks, as `finalizeWithdrawal` does,
    /// that the L2 asset router of `sourceChainId` recorded the transfer `message` in a batch executed
    /// on L1, then moves `amount` of the asset from the source chain's balance to the destination
    /// chain's (`InsufficientChainBalance` if the source holds less). Anyone may call it; each transfer
    /// is recorded once.
    /// @param sourceChainId The chain that burned the tokens.
    /// @param message The transfer message (section 9) as recorded.
    /// @param proof Its proof of inclusion (section 7) against L1's root history.
    function finalizeTransfer(uint256 sourceChainId, bytes calldata message, InteropProof calldata proof) external {
        (uint256 destinationChainId, bytes32 assetId,,, uint256 amount) = BridgeMessages.decodeTransfer(message);
        bytes32 id = _consumeMessage(sourceChainId, message, proof, true);
        if (registry.settlementLayerOf(destinationChainId) == 0) revert ChainNotRegistered(destinationChainId);
        emit TransferRecorded(sourceChainId, destinationChainId, assetId, amount, id);
        vault.moveChainBalance(sourceChainId, destinationChainId, assetId, amount);
    }

    /// @notice Whether the bridge message `id` (section 9: `keccak256(abi.encode(chainId, batchNumber,
    /// messageIndex))`) was consumed, as a withdrawal or as a transfer.
    function isMessageConsumed(bytes32 id) public view returns (bool) {
        return _consumed[id];
    }

    /// @notice Whether the withdrawal `withdrawalId` (section 9) was finalized (alias of
    /// `isMessageConsumed`).
    function isWithdrawalFinalized(bytes32 withdrawalId) external view returns (bool) {
        return _consumed[withdrawalId];
    }

    /// @dev Queues a priority request for `chainId`: in its own queue on L1 when it settles here, or in
    /// its Gateway's L1 queue as a call of the Gateway's priority forwarder (section 10), which queues it
    /// in the chain's queue on the Gateway. Returns the index in the L1 queue used.
    function _enqueue(uint256 chainId, address l2Target, bytes memory data) private returns (uint256) {
        uint256 sl = registry.settlementLayerOf(chainId);
        if (sl == block.chainid) return ChainSettlement(registry.settlementOf(chainId)).enqueuePriorityRequest(l2Target, data);
        return ChainSettlement(registry.settlementOf(sl)).enqueuePriorityRequest(
            registry.priorityForwarderOf(sl), abi.encodeCall(GatewayPriorityForwarder.forward, (chainId, l2Target, data))
        );
    }

    /// @dev Checks that the L2 asset router of `chainId` recorded `message` in a batch executed on L1
    /// (`proof` against `messageRoot.historicalRoot(proof.slBlockNumber)`), that its id was not consumed
    /// yet, and marks it consumed. Shared by `finalizeWithdrawal` and `finalizeTransfer`.
    function _consumeMessage(uint256 chainId, bytes calldata message, InteropProof calldata proof, bool isTransfer)
        private
        returns (bytes32 id)
    {
        if (proof.slChainId != block.chainid) revert WrongSettlementLayer(proof.slChainId);
        if (proof.messageSender != l2AssetRouter) revert SenderNotAssetRouter(proof.messageSender);
        (bytes32 computed, uint256 hop) =
            InclusionProof.computeRoot(l2AssetRouter, keccak256(message), chainId, proof, address(messageRoot));
        if (hop != 0 && !registry.isSettlementLayer(hop)) revert UntrustedSettlementLayer(hop);
        bytes32 recorded = messageRoot.historicalRoot(proof.slBlockNumber);
        if (recorded == bytes32(0)) revert RootNotInHistory(proof.slBlockNumber);
        if (computed != recorded) revert ProofRootMismatch(computed, recorded);

        id = BridgeMessages.withdrawalId(chainId, proof.batchNumber, proof.messageIndex);
        if (_consumed[id]) {
            if (isTransfer) revert TransferAlreadyRecorded(id);
            revert WithdrawalAlreadyFinalized(id);
        }
        _consumed[id] = true;
    }

    /// @dev A string getter of `token`, or "" when it reverts or returns something else than an
    /// ABI-encoded string (e.g. a bytes32 name).
    function _readString(address token, string memory signature) private view returns (string memory) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSignature(signature));
        if (!ok || ret.length < 64) return "";
        (uint256 offset, uint256 length) = abi.decode(ret, (uint256, uint256));
        if (offset != 32 || length > ret.length - 64) return "";
        return abi.decode(ret, (string));
    }

    /// @dev `token.decimals()`, or 18 when it reverts or returns something that is not a uint8.
    function _readDecimals(address token) private view returns (uint8) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSignature("decimals()"));
        if (!ok || ret.length < 32) return 18;
        uint256 value = abi.decode(ret, (uint256));
        return value > type(uint8).max ? 18 : uint8(value);
    }
}
