// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../../common/BridgeMessages.sol";
import {IChainBalanceLedger} from "../../common/IChainBalanceLedger.sol";
import {IL2AssetRouter} from "../../common/IL2AssetRouter.sol";
import {AssetAmount, AssetReserve, InteropProof} from "../../common/InteropTypes.sol";
import {LedgerAccounts} from "../../common/LedgerAccounts.sol";
import {MessageHashing} from "../../common/MessageHashing.sol";
import {SignatureChecks} from "../../common/SignatureChecks.sol";
import {SettlementLayerHistory} from "../../common/SettlementLayerHistory.sol";
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
/// never for more than the ledger account it is charged to holds.
///
/// Ledger accounts (section 9.11, `LedgerAccounts`): a chain settling on L1 has its own; the chains of a
/// Gateway share the Gateway's, which the Gateway's asset tracker splits between them. Deposits go to the
/// account of where the chain settles now; a message out of a chain (a withdrawal, a failed deposit, the
/// value of a bundle to L1, a transfer) is charged to the account of the layer its **batch** settled on
/// (`ChainRegistry.settlementLayerOfBatch`), whatever route its proof takes. `finalizeTransfer` moves a
/// chain → chain transfer out of the source chain's own account (its batch settled on L1); what leaves a
/// Gateway for a chain elsewhere is recorded with `finalizeSettlementLayerTransfer`, on the Gateway's
/// asset tracker's message. Every message is consumed once.
/// ETH (section 9.7): `depositETH` locks ETH in the vault and has the chain release it from its
/// base-token holder; ETH withdrawals finalize like token withdrawals. Failed deposits (section 9.8):
/// the router remembers a digest of every deposit under its priority request hash, and
/// `claimFailedDeposit` returns a deposit to its depositor on the proof that the chain's priority
/// inbox recorded the request as failed, once; `claimFailedDepositTo` pays it to an address the
/// depositor names instead (by its own call, or its EIP-712 / ERC-1271 signature), for a depositor that
/// cannot take it back (a contract that refuses ETH).
contract L1AssetRouter is IChainBalanceLedger {
    /// @notice The registry of chains settling on L1.
    ChainRegistry public immutable registry;
    /// @notice L1's message root (its history of shared roots).
    MessageRoot public immutable messageRoot;
    /// @notice The vault holding the tokens and the chain balances.
    L1NativeTokenVault public immutable vault;
    /// @notice The L2AssetRouter, at the same address on every chain.
    address public immutable l2AssetRouter;
    /// @notice The L2PriorityInbox, at the same address on every chain: the sender of failed-deposit
    /// messages.
    address public immutable l2PriorityInbox;
    /// @notice The L1InteropHandler: the only caller of `releaseBundleValue`.
    address public immutable interopHandler;

    /// @dev What `_deposits` holds for a deposit once it was claimed back.
    bytes32 private constant CLAIMED = bytes32(uint256(1));

    mapping(bytes32 messageId => bool consumed) private _consumed;
    /// @dev `keccak256(abi.encode(chainId, depositor, assetId, amount, account))` of each deposit (`account`:
    /// the ledger account it was locked into), by its priority request hash; `CLAIMED` once claimed back.
    mapping(bytes32 requestHash => bytes32 digest) private _deposits;
    /// @dev Per chain settling on a Gateway: the requests forwarded to it there, by the length of its queue
    /// on L1 when it left (`base`: its L1 settlement keeps it frozen while the chain is away, and its queue on
    /// the Gateway continues from it, docs/protocol.md section 11). A later stay on a Gateway starts from a
    /// longer L1 queue (its return brought the Gateway's queue back), or from the same one if nothing was
    /// forwarded in between: each stay counts from 0.
    mapping(uint256 chainId => mapping(uint256 base => uint256 count)) private _forwarded;
    /// @notice Whether forced calls to `chainId` (`requestL2Call`) are limited to its allow-listed L1
    /// senders (a private chain, section 9.12). Deposits are never limited.
    mapping(uint256 chainId => bool restricted) public l1CallsRestricted;
    /// @notice Whether `sender` may make forced calls to `chainId` while its calls are restricted.
    mapping(uint256 chainId => mapping(address sender => bool allowed)) public l1CallAllowed;

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
    /// @notice `l1Sender` asked for a forced call of `l2Target` on `chainId`: priority request `requestIndex`.
    event L1CallRequested(uint256 indexed chainId, address indexed l1Sender, address l2Target, uint256 requestIndex);
    /// @notice Forced calls to `chainId` are now limited to its allow-listed L1 senders (`restricted`), or open to anyone.
    event L1CallsRestricted(uint256 indexed chainId, bool restricted);
    /// @notice `sender` may (`allowed`) or may no longer make forced calls to `chainId` while they are restricted.
    event L1CallSenderAllowed(uint256 indexed chainId, address indexed sender, bool allowed);
    /// @notice A withdrawal from `chainId` was finalized: `amount` of `assetId` sent to `l1Receiver`.
    event WithdrawalFinalized(
        uint256 indexed chainId, bytes32 indexed assetId, address indexed l1Receiver, uint256 amount, bytes32 withdrawalId
    );

    /// @notice The failed deposit of `depositor` whose priority request hash is `requestHash` was paid back
    /// to `to` (the depositor, or an address it named).
    event FailedDepositClaimed(
        uint256 indexed chainId,
        bytes32 indexed assetId,
        address indexed depositor,
        uint256 amount,
        bytes32 requestHash,
        address to
    );

    /// @notice A transfer from `sourceChainId` to `destinationChainId` was recorded: `amount` of
    /// `assetId` moved between their ledger accounts; `transferId` is the id of the message recorded (the
    /// source chain's transfer message, or its Gateway's settlement-layer transfer message).
    event TransferRecorded(
        uint256 indexed sourceChainId,
        uint256 indexed destinationChainId,
        bytes32 indexed assetId,
        uint256 amount,
        bytes32 transferId
    );

    /// @notice The chain is not registered on L1.
    error ChainNotRegistered(uint256 chainId);
    /// @notice The chain is not a Gateway registered on L1.
    error NotASettlementLayer(uint256 chainId);
    /// @notice The transfer's batch settled on the Gateway `slChainId`, whose asset tracker accounted for it
    /// there (section 9.10): L1 records what left the Gateway with `finalizeSettlementLayerTransfer`.
    error TransferSettledOnGateway(uint256 sourceChainId, uint256 batchNumber, uint256 slChainId);
    /// @notice The proven message was not recorded by the Gateway's asset tracker.
    error SenderNotAssetTracker(address messageSender);
    /// @notice Only L1's ChainRegistry may call this.
    error NotRegistry(address caller);
    /// @notice A deposit of 0 is refused.
    error ZeroAmount();
    /// @notice Forced calls to `chainId` are limited to its allow-listed L1 senders, and `sender` is not one:
    /// it may still deposit tokens or ETH to an address (section 9.12).
    error L1CallNotAllowed(uint256 chainId, address sender);
    /// @notice Only the owner of L1's ChainRegistry (who registers chains) may set a chain's forced-call policy.
    error NotRegistryOwner(address caller);
    /// @notice The chain is on its way back to L1 from its Gateway: deposits to it are refused until it
    /// has arrived (docs/protocol.md section 11). Nothing was taken; try again later.
    error ChainMigrating(uint256 chainId);
    /// @notice Only the L1 interop handler may call this.
    error NotInteropHandler(address caller);
    /// @notice The proven message was not recorded by the L2 asset router.
    error SenderNotAssetRouter(address messageSender);
    /// @notice This withdrawal was already finalized.
    error WithdrawalAlreadyFinalized(bytes32 withdrawalId);
    /// @notice This transfer was already recorded.
    error TransferAlreadyRecorded(bytes32 transferId);
    /// @notice The proven message was not recorded by the L2 priority inbox.
    error SenderNotPriorityInbox(address messageSender);
    /// @notice No deposit with these fields was queued under this request hash for this chain.
    error UnknownDeposit(bytes32 requestHash);
    /// @notice This failed deposit was already claimed back.
    error DepositAlreadyClaimed(bytes32 requestHash);
    /// @notice Only the depositor, or a caller with its signature, may name where a failed deposit goes.
    error ClaimNotAuthorized(address depositor, address caller);
    /// @notice The signature is not the depositor's over the claim's digest (ECDSA for an account without
    /// code, ERC-1271 for a contract).
    error InvalidDepositorSignature(address depositor, bytes32 digest);
    /// @notice A failed deposit cannot be paid to the zero address.
    error ZeroRecipient();

    /// @param registry_ The ChainRegistry.
    /// @param messageRoot_ L1's MessageRoot.
    /// @param vault_ The L1NativeTokenVault (whose asset router must be set to this contract).
    /// @param l2AssetRouter_ The L2AssetRouter (same address on every chain).
    /// @param l2PriorityInbox_ The L2PriorityInbox (same address on every chain).
    /// @param interopHandler_ The L1InteropHandler (deployed after this router).
    constructor(
        ChainRegistry registry_,
        MessageRoot messageRoot_,
        L1NativeTokenVault vault_,
        address l2AssetRouter_,
        address l2PriorityInbox_,
        address interopHandler_
    ) {
        registry = registry_;
        messageRoot = messageRoot_;
        vault = vault_;
        l2AssetRouter = l2AssetRouter_;
        l2PriorityInbox = l2PriorityInbox_;
        interopHandler = interopHandler_;
    }

    /// @notice Releases `amount` of ETH to `to`: the value of a call of a bundle sent from `chainId` to
    /// L1 in its batch `batchNumber` (section 10), which the L1InteropHandler moves to the sender's alias
    /// account once the bundle is proven. Charged to the account of the layer that batch settled on, and
    /// capped by it, like a withdrawal. Only the L1 interop handler.
    function releaseBundleValue(uint256 chainId, uint256 batchNumber, address to, uint256 amount) external {
        if (msg.sender != interopHandler) revert NotInteropHandler(msg.sender);
        vault.releaseWithdrawal(_batchAccount(chainId, batchNumber), vault.ethAssetId(), to, amount);
    }

    /// @inheritdoc IChainBalanceLedger
    function moveChainBalances(uint256 fromAccount, uint256 toAccount, AssetAmount[] calldata balances) external override {
        if (msg.sender != address(registry)) revert NotRegistry(msg.sender);
        for (uint256 i; i < balances.length; ++i) {
            vault.moveBalance(fromAccount, toAccount, balances[i].assetId, balances[i].amount);
        }
    }

    /// @inheritdoc IChainBalanceLedger
    function moveChainBalancesAbove(uint256 fromAccount, uint256 toAccount, AssetReserve[] calldata reserves)
        external
        override
        returns (AssetAmount[] memory moved)
    {
        if (msg.sender != address(registry)) revert NotRegistry(msg.sender);
        // Every amount from the account as it stands, before anything moves (an asset listed twice then
        // moves more than the account holds, and reverts).
        AssetAmount[] memory all = new AssetAmount[](reserves.length);
        uint256 count;
        for (uint256 i; i < reserves.length; ++i) {
            AssetReserve calldata r = reserves[i];
            // What left the account since the reserve was read was part of it.
            uint256 paidSince = vault.outflowsOf(fromAccount, r.assetId) - r.outflowsAtRead;
            uint256 reserve = r.reserve > paidSince ? r.reserve - paidSince : 0;
            uint256 balance = vault.balanceOf(fromAccount, r.assetId);
            if (balance > reserve) all[count++] = AssetAmount(r.assetId, balance - reserve);
        }
        moved = new AssetAmount[](count);
        for (uint256 i; i < count; ++i) {
            moved[i] = all[i];
            vault.moveBalance(fromAccount, toAccount, all[i].assetId, all[i].amount);
        }
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
        _checkDeposit(chainId, amount);
        uint256 account = _currentAccount(chainId);
        bytes32 assetId = vault.lockDeposit(account, token, msg.sender, amount);
        bytes memory data = abi.encodeCall(
            IL2AssetRouter.finalizeDeposit,
            (
                assetId,
                block.chainid,
                token,
                _readString(token, bytes4(keccak256("name()"))),
                _readString(token, bytes4(keccak256("symbol()"))),
                _readDecimals(token),
                msg.sender,
                l2Receiver,
                amount
            )
        );
        requestIndex = _enqueueDeposit(chainId, account, assetId, amount, data);
        emit DepositInitiated(chainId, assetId, msg.sender, l2Receiver, amount, requestIndex);
    }

    /// @notice Deposits `msg.value` of ETH into chain `chainId`, for `l2Receiver`: the vault keeps the ETH
    /// (the chain's ETH balance goes up) and the chain's L2AssetRouter releases as much from the chain's
    /// base-token holder to `l2Receiver` when it processes the priority request (section 9.7). If that
    /// fails (e.g. the receiver refuses ETH), `claimFailedDeposit` returns the ETH.
    /// @param chainId A chain registered on L1.
    /// @param l2Receiver The receiver on the chain.
    /// @return requestIndex The index of the priority request in the chain's queue.
    function depositETH(uint256 chainId, address l2Receiver) external payable returns (uint256 requestIndex) {
        _checkDeposit(chainId, msg.value);
        uint256 account = _currentAccount(chainId);
        bytes32 assetId = vault.lockETH{value: msg.value}(account, msg.sender);
        bytes memory data = abi.encodeCall(IL2AssetRouter.finalizeETHDeposit, (msg.sender, l2Receiver, msg.value));
        requestIndex = _enqueueDeposit(chainId, account, assetId, msg.value, data);
        emit DepositInitiated(chainId, assetId, msg.sender, l2Receiver, msg.value, requestIndex);
    }

    /// @notice Asks chain `chainId` to call `l2Target` with `data` (a forced transaction, section 9.12): a
    /// priority request the chain must process in order and in time like a deposit (section 9.2), which
    /// its L2AssetRouter makes with `finalizeL1Call` (the target sees `msg.sender` = the L2AssetRouter and
    /// `l1CallSender()` = the caller here). On a chain whose forced calls are restricted (a private chain,
    /// whose users' calls pass its permissioned RPC's rules), only allow-listed senders may ask
    /// (`L1CallNotAllowed`); anyone may still deposit.
    /// @param chainId A chain registered on L1.
    /// @param l2Target The contract to call on the chain.
    /// @param data The calldata.
    /// @return requestIndex The index of the priority request in the chain's queue.
    function requestL2Call(uint256 chainId, address l2Target, bytes calldata data) external returns (uint256 requestIndex) {
        if (registry.settlementLayerOf(chainId) == 0) revert ChainNotRegistered(chainId);
        if (registry.isMigrating(chainId)) revert ChainMigrating(chainId);
        if (l1CallsRestricted[chainId] && !l1CallAllowed[chainId][msg.sender]) revert L1CallNotAllowed(chainId, msg.sender);
        (requestIndex,) = _enqueue(chainId, l2AssetRouter, abi.encodeCall(IL2AssetRouter.finalizeL1Call, (msg.sender, l2Target, data)));
        emit L1CallRequested(chainId, msg.sender, l2Target, requestIndex);
    }

    /// @notice Limits forced calls to `chainId` to its allow-listed L1 senders, or opens them to anyone
    /// (section 9.12). Only the owner of L1's ChainRegistry.
    /// @param chainId The chain.
    /// @param restricted Whether only allow-listed senders may ask for forced calls.
    function setL1CallsRestricted(uint256 chainId, bool restricted) external {
        if (msg.sender != registry.owner()) revert NotRegistryOwner(msg.sender);
        l1CallsRestricted[chainId] = restricted;
        emit L1CallsRestricted(chainId, restricted);
    }

    /// @notice Allows `sender` to ask for forced calls to `chainId` while they are restricted, or no longer.
    /// Only the owner of L1's ChainRegistry.
    /// @param chainId The chain.
    /// @param sender The L1 account.
    /// @param allowed Whether it may.
    function setL1CallSenderAllowed(uint256 chainId, address sender, bool allowed) external {
        if (msg.sender != registry.owner()) revert NotRegistryOwner(msg.sender);
        l1CallAllowed[chainId][sender] = allowed;
        emit L1CallSenderAllowed(chainId, sender, allowed);
    }

    /// @notice Returns a failed deposit to its depositor (section 9.8): checks that the L2 priority inbox
    /// of `chainId` recorded `message` (the failed-deposit message of the request) in a batch executed
    /// on L1, that a deposit with exactly these fields was queued under the message's request hash for
    /// this chain and was not claimed yet; then releases `amount` of `assetId` from the chain's balance to
    /// `depositor`. Anyone may call it; the funds go to the depositor; each deposit is claimed once. A
    /// depositor that cannot take them (a contract that refuses ETH) uses `claimFailedDepositTo`.
    /// @param chainId The chain the deposit was for.
    /// @param depositor The depositor (as in `DepositInitiated`).
    /// @param assetId The deposited asset (as in `DepositInitiated`).
    /// @param amount The deposited amount (as in `DepositInitiated`).
    /// @param message The failed-deposit message `abi.encode(FAILED_DEPOSIT_TAG, index, requestHash)`.
    /// @param proof Its proof of inclusion (section 7) against L1's root history.
    function claimFailedDeposit(
        uint256 chainId,
        address depositor,
        bytes32 assetId,
        uint256 amount,
        bytes calldata message,
        InteropProof calldata proof
    ) external {
        _claimFailedDeposit(chainId, depositor, assetId, amount, message, proof, depositor);
    }

    /// @notice Returns a failed deposit to `to`, an address its depositor names (section 9.8): the checks of
    /// `claimFailedDeposit`, then the depositor's authorisation: the caller is the depositor, or
    /// `signature` is the depositor's over `failedDepositClaimDigest(chainId, requestHash, to)` (EIP-712;
    /// ERC-1271 when the depositor is a contract). Else `ClaimNotAuthorized` (no signature) or
    /// `InvalidDepositorSignature`. Each deposit is claimed once, whichever way.
    /// @param to Where the funds go (not 0, `ZeroRecipient`).
    /// @param signature The depositor's signature (ignored, and may be empty, when the depositor calls).
    function claimFailedDepositTo(
        uint256 chainId,
        address depositor,
        bytes32 assetId,
        uint256 amount,
        bytes calldata message,
        InteropProof calldata proof,
        address to,
        bytes calldata signature
    ) external {
        if (to == address(0)) revert ZeroRecipient();
        if (msg.sender != depositor) {
            if (signature.length == 0) revert ClaimNotAuthorized(depositor, msg.sender);
            (, bytes32 requestHash) = BridgeMessages.decodeFailedDeposit(message);
            bytes32 digest = failedDepositClaimDigest(chainId, requestHash, to);
            if (!SignatureChecks.isValid(depositor, digest, signature)) revert InvalidDepositorSignature(depositor, digest);
        }
        _claimFailedDeposit(chainId, depositor, assetId, amount, message, proof, to);
    }

    /// @notice The EIP-712 digest a depositor signs to have its failed deposit (priority request
    /// `requestHash` of `chainId`) paid to `to`: type `ClaimFailedDeposit(uint256 chainId,bytes32
    /// requestHash,address to)`, domain `("Junction L1AssetRouter", "1", block.chainid, this router)`.
    function failedDepositClaimDigest(uint256 chainId, bytes32 requestHash, address to) public view returns (bytes32) {
        return BridgeMessages.failedDepositClaimDigest(block.chainid, address(this), chainId, requestHash, to);
    }

    /// @dev `claimFailedDeposit`'s checks and effects, paying `to`.
    function _claimFailedDeposit(
        uint256 chainId,
        address depositor,
        bytes32 assetId,
        uint256 amount,
        bytes calldata message,
        InteropProof calldata proof,
        address to
    ) private {
        (, bytes32 requestHash) = BridgeMessages.decodeFailedDeposit(message);
        if (proof.messageSender != l2PriorityInbox) revert SenderNotPriorityInbox(proof.messageSender);
        _verifyMessage(chainId, message, proof);
        bytes32 digest = _deposits[requestHash];
        if (digest == CLAIMED) revert DepositAlreadyClaimed(requestHash);
        // The deposit must have been locked into the account its failure is charged to (the layer that
        // settled the failure's batch): a chain cannot have one account pay for another's deposit.
        uint256 account = _batchAccount(chainId, proof.batchNumber);
        if (digest != keccak256(abi.encode(chainId, depositor, assetId, amount, account))) revert UnknownDeposit(requestHash);
        _deposits[requestHash] = CLAIMED;
        emit FailedDepositClaimed(chainId, assetId, depositor, amount, requestHash, to);
        vault.releaseWithdrawal(account, assetId, to, amount);
    }

    /// @notice Finalizes a withdrawal from chain `chainId`: checks that the L2 asset router of that
    /// chain recorded `message` in a batch executed on L1 (`proof`, whose shared root must be L1's
    /// recorded root at `proof.slBlockNumber`), then releases the tokens to the message's `l1Receiver`
    /// from the ledger account of the layer that batch settled on. Anyone may call it; each withdrawal
    /// finalizes once.
    /// @param chainId The chain the withdrawal comes from.
    /// @param message The withdrawal message (section 9) as recorded.
    /// @param proof Its proof of inclusion (section 7) against L1's root history.
    function finalizeWithdrawal(uint256 chainId, bytes calldata message, InteropProof calldata proof) external {
        _finalizeWithdrawal(chainId, message, keccak256(message), proof);
    }

    /// @notice Finalizes a withdrawal from a private chain, whose leaf holds the blinded commitment
    /// `H(0x08 ‖ keccak256(message) ‖ blinding)` (section 9.13) instead of the message's hash: as
    /// `finalizeWithdrawal`, with the proof of that commitment. A wrong blinding proves nothing
    /// (`ProofRootMismatch`). The withdrawal is consumed at its position, as with `finalizeWithdrawal`, so
    /// it finalizes once whichever way.
    /// @param chainId The chain the withdrawal comes from.
    /// @param message The withdrawal message (section 9) as its `WithdrawalInitiated` announced it.
    /// @param blinding The blinding its chain's L2AssetRouter emitted with it (`WithdrawalBlinded`).
    /// @param proof Proof of inclusion (section 7) of the blinded commitment against L1's root history.
    function finalizeBlindedWithdrawal(
        uint256 chainId,
        bytes calldata message,
        bytes32 blinding,
        InteropProof calldata proof
    ) external {
        _finalizeWithdrawal(chainId, message, MessageHashing.blindedBridgeMessageCommitment(keccak256(message), blinding), proof);
    }

    /// @dev Finalizes the withdrawal `message` whose leaf's payload hash is `provenHash` (its hash, or its
    /// blinded commitment). Shared by `finalizeWithdrawal` and `finalizeBlindedWithdrawal`.
    function _finalizeWithdrawal(uint256 chainId, bytes calldata message, bytes32 provenHash, InteropProof calldata proof)
        private
    {
        (bytes32 assetId,, address l1Receiver, uint256 amount) = BridgeMessages.decodeWithdrawal(message);
        bytes32 id = _consumeMessage(chainId, provenHash, proof, false);
        emit WithdrawalFinalized(chainId, assetId, l1Receiver, amount, id);
        vault.releaseWithdrawal(_batchAccount(chainId, proof.batchNumber), assetId, l1Receiver, amount);
    }

    /// @notice Records a chain → chain transfer (section 9.5) whose batch settled on L1: checks, as
    /// `finalizeWithdrawal` does, that the L2 asset router of `sourceChainId` recorded the transfer
    /// `message` in a batch executed on L1, then moves `amount` of the asset from the source chain's
    /// account to the destination's (`InsufficientChainBalance` if the source holds less). A transfer
    /// whose batch settled on a Gateway is refused (`TransferSettledOnGateway`): the Gateway accounted
    /// for it. Anyone may call it; each transfer is recorded once.
    /// @param sourceChainId The chain that burned the tokens.
    /// @param message The transfer message (section 9) as recorded.
    /// @param proof Its proof of inclusion (section 7) against L1's root history.
    function finalizeTransfer(uint256 sourceChainId, bytes calldata message, InteropProof calldata proof) external {
        _finalizeTransfer(sourceChainId, message, keccak256(message), proof);
    }

    /// @notice Records a transfer from a private chain, whose leaf holds the blinded commitment
    /// `H(0x08 ‖ keccak256(message) ‖ blinding)` (section 9.13): as `finalizeTransfer`, with the proof of that
    /// commitment. A wrong blinding proves nothing (`ProofRootMismatch`). The transfer is consumed at its
    /// position, so it is recorded once whichever way.
    /// @param sourceChainId The chain that burned the tokens.
    /// @param message The transfer message (section 9) as its `TransferInitiated` announced it.
    /// @param blinding The blinding its chain's L2AssetRouter emitted with it (`TransferBlinded`).
    /// @param proof Proof of inclusion (section 7) of the blinded commitment against L1's root history.
    function finalizeBlindedTransfer(
        uint256 sourceChainId,
        bytes calldata message,
        bytes32 blinding,
        InteropProof calldata proof
    ) external {
        _finalizeTransfer(sourceChainId, message, MessageHashing.blindedBridgeMessageCommitment(keccak256(message), blinding), proof);
    }

    /// @dev Records the transfer `message` whose leaf's payload hash is `provenHash` (its hash, or its blinded
    /// commitment). Shared by `finalizeTransfer` and `finalizeBlindedTransfer`.
    function _finalizeTransfer(uint256 sourceChainId, bytes calldata message, bytes32 provenHash, InteropProof calldata proof)
        private
    {
        (uint256 destinationChainId, bytes32 assetId,,, uint256 amount) = BridgeMessages.decodeTransfer(message);
        uint256 settledOn = registry.settlementLayerOfBatch(sourceChainId, proof.batchNumber);
        if (settledOn != block.chainid) revert TransferSettledOnGateway(sourceChainId, proof.batchNumber, settledOn);
        bytes32 id = _consumeMessage(sourceChainId, provenHash, proof, true);
        emit TransferRecorded(sourceChainId, destinationChainId, assetId, amount, id);
        _moveToChain(LedgerAccounts.ofChain(sourceChainId), sourceChainId, destinationChainId, assetId, amount, 0);
    }

    /// @notice Records value that left the Gateway `slChainId` for a chain that does not settle on it
    /// (section 9.11): checks that the Gateway's asset tracker recorded `message` (a settlement-layer
    /// transfer message, section 9.1) in a Gateway batch executed on L1, then moves the amount from the
    /// Gateway's account to the destination's. Anyone may call it; each message is recorded once.
    /// @param slChainId The Gateway.
    /// @param message The settlement-layer transfer message as its tracker recorded it.
    /// @param proof Its proof of inclusion (section 7) as a message of the Gateway chain, against L1's
    /// root history.
    function finalizeSettlementLayerTransfer(uint256 slChainId, bytes calldata message, InteropProof calldata proof)
        external
    {
        (uint256 sourceChainId, uint256 destinationChainId, bytes32 assetId, uint256 amount) =
            BridgeMessages.decodeSettlementLayerTransfer(message);
        address tracker = registry.assetTrackerOf(slChainId);
        if (tracker == address(0)) revert NotASettlementLayer(slChainId);
        if (proof.messageSender != tracker) revert SenderNotAssetTracker(proof.messageSender);
        _verifyMessage(slChainId, message, proof);
        bytes32 id = _consume(slChainId, proof, true);
        emit TransferRecorded(sourceChainId, destinationChainId, assetId, amount, id);
        _moveToChain(LedgerAccounts.ofSettlementLayer(slChainId), sourceChainId, destinationChainId, assetId, amount, slChainId);
    }

    /// @dev Moves `amount` of `assetId` from ledger account `fromAccount` to the account `chainId` is
    /// counted in now. When that is a Gateway's, its asset tracker credits the chain too, through a
    /// priority request of the Gateway calling its forwarder's `creditTransfer` (section 9.10). A credit the
    /// Gateway `fromGateway` sent back (a settlement-layer transfer message from a chain to itself: the
    /// tracker had let the chain go) for a chain on its way back from that Gateway goes to the chain's own
    /// account; anything else for such a chain is still credited on the Gateway, which sends it back if it
    /// let the chain go meanwhile.
    function _moveToChain(
        uint256 fromAccount,
        uint256 sourceChainId,
        uint256 chainId,
        bytes32 assetId,
        uint256 amount,
        uint256 fromGateway
    ) private {
        uint256 sl = registry.settlementLayerOf(chainId);
        if (sl == 0) revert ChainNotRegistered(chainId);
        bool leavingIt = fromGateway != 0 && sl == fromGateway && registry.isMigrating(chainId) && sourceChainId == chainId;
        uint256 toAccount = leavingIt ? LedgerAccounts.ofChain(chainId) : _currentAccount(chainId);
        vault.moveBalance(fromAccount, toAccount, assetId, amount);
        (bool onGateway, uint256 gateway) = LedgerAccounts.decode(toAccount);
        if (!onGateway) return;
        ChainSettlement(registry.settlementOf(gateway)).enqueuePriorityRequest(
            registry.priorityForwarderOf(gateway),
            abi.encodeCall(GatewayPriorityForwarder.creditTransfer, (chainId, assetId, amount))
        );
    }

    /// @dev The ledger account `chainId` is counted in now: its Gateway's while it settles on one (also
    /// while it is on its way back here: its Gateway keeps its balances until it lets it go), else its own.
    function _currentAccount(uint256 chainId) private view returns (uint256) {
        uint256 sl = registry.settlementLayerOf(chainId);
        return sl == block.chainid ? LedgerAccounts.ofChain(chainId) : LedgerAccounts.ofSettlementLayer(sl);
    }

    /// @dev The ledger account a message of `chainId`'s batch `batchNumber` is charged to: the account of
    /// the layer that batch settled on (the chain's own for L1).
    function _batchAccount(uint256 chainId, uint256 batchNumber) private view returns (uint256) {
        uint256 sl = registry.settlementLayerOfBatch(chainId, batchNumber);
        return sl == block.chainid ? LedgerAccounts.ofChain(chainId) : LedgerAccounts.ofSettlementLayer(sl);
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
    /// its Gateway's L1 queue as a call of the Gateway's priority forwarder (section 7.3), which queues it
    /// in the chain's queue on the Gateway. Returns the request's index and hash in the chain's own queue.
    /// For a chain on a Gateway: its queue there continued from the length of its queue on L1 when it left
    /// (frozen since: its L1 settlement takes no request while inactive), and every request added to it
    /// since is one forwarded from here, in the Gateway queue's order; `forward` never fails (section 7.3),
    /// so the index is that length plus the number forwarded before.
    function _enqueue(uint256 chainId, address l2Target, bytes memory data)
        private
        returns (uint256 index, bytes32 requestHash)
    {
        uint256 sl = registry.settlementLayerOf(chainId);
        address own = registry.settlementOf(chainId);
        if (sl == block.chainid) {
            return ChainSettlement(own).enqueuePriorityRequest(l2Target, data);
        }
        ChainSettlement(registry.settlementOf(sl)).enqueuePriorityRequest(
            registry.priorityForwarderOf(sl), abi.encodeCall(GatewayPriorityForwarder.forward, (chainId, l2Target, data))
        );
        uint256 base = own == address(0) ? 0 : ChainSettlement(own).priorityRequestsQueued();
        index = base + _forwarded[chainId][base]++;
        requestHash = BridgeMessages.priorityRequestHash(chainId, index, l2Target, data);
    }

    /// @dev Checks that the L2 asset router of `chainId` recorded a leaf with payload hash `payloadHash` in a
    /// batch executed on L1, that its id was not consumed yet, and marks it consumed. Shared by the
    /// withdrawals and `finalizeTransfer`.
    function _consumeMessage(uint256 chainId, bytes32 payloadHash, InteropProof calldata proof, bool isTransfer)
        private
        returns (bytes32 id)
    {
        if (proof.messageSender != l2AssetRouter) revert SenderNotAssetRouter(proof.messageSender);
        SettlementLayerHistory.checkMessage(messageRoot, registry, chainId, payloadHash, proof);
        id = _consume(chainId, proof, isTransfer);
    }

    /// @dev Marks the message of `chainId` at the position `proof` proves consumed; refuses one consumed
    /// before.
    function _consume(uint256 chainId, InteropProof calldata proof, bool isTransfer) private returns (bytes32 id) {
        id = BridgeMessages.withdrawalId(chainId, proof.batchNumber, proof.messageIndex);
        if (_consumed[id]) {
            if (isTransfer) revert TransferAlreadyRecorded(id);
            revert WithdrawalAlreadyFinalized(id);
        }
        _consumed[id] = true;
    }

    /// @notice Whether the failed deposit whose priority request hash is `requestHash` was claimed back.
    function isDepositClaimed(bytes32 requestHash) external view returns (bool) {
        return _deposits[requestHash] == CLAIMED;
    }

    /// @dev Checks that `proof.messageSender` of `chainId` recorded `message` in a batch executed on L1
    /// (`proof` against `messageRoot.historicalRoot(proof.slBlockNumber)`); the caller checks the sender.
    function _verifyMessage(uint256 chainId, bytes calldata message, InteropProof calldata proof) private view {
        SettlementLayerHistory.checkMessage(messageRoot, registry, chainId, keccak256(message), proof);
    }

    /// @dev A deposit of `amount` to `chainId` is possible: `ChainNotRegistered`, `ZeroAmount`.
    function _checkDeposit(uint256 chainId, uint256 amount) private view {
        if (registry.settlementLayerOf(chainId) == 0) revert ChainNotRegistered(chainId);
        if (registry.isMigrating(chainId)) revert ChainMigrating(chainId);
        if (amount == 0) revert ZeroAmount();
    }

    /// @dev Queues the deposit's priority request for the L2AssetRouter and remembers the deposit under
    /// the request hash (for `claimFailedDeposit`), with the ledger account it was locked into.
    function _enqueueDeposit(uint256 chainId, uint256 account, bytes32 assetId, uint256 amount, bytes memory data)
        private
        returns (uint256 requestIndex)
    {
        bytes32 requestHash;
        (requestIndex, requestHash) = _enqueue(chainId, l2AssetRouter, data);
        _deposits[requestHash] = keccak256(abi.encode(chainId, msg.sender, assetId, amount, account));
    }
    /// @dev What a deposit carries for `token`'s `name()` or `symbol()` (`BridgeMessages.tokenString`, "" when
    /// the call reverts). At most the first `64 + MAX_TOKEN_STRING_LENGTH` bytes of what it returns are
    /// copied, so a token that returns a huge string costs the deposit little more than any other.
    function _readString(address token, bytes4 selector) private view returns (string memory) {
        (bool ok, bytes memory returned) = _staticcallHead(token, selector, 64 + BridgeMessages.MAX_TOKEN_STRING_LENGTH);
        return ok ? BridgeMessages.tokenString(returned) : "";
    }

    /// @dev `token.decimals()`, or 18 when it reverts or returns something that is not a uint8.
    function _readDecimals(address token) private view returns (uint8) {
        (bool ok, bytes memory returned) = _staticcallHead(token, bytes4(keccak256("decimals()")), 32);
        if (!ok || returned.length < 32) return 18;
        uint256 value = abi.decode(returned, (uint256));
        return value > type(uint8).max ? 18 : uint8(value);
    }

    /// @dev Calls `selector` on `token` (no arguments, a static call) and copies at most `maxLength` bytes of
    /// what it returns.
    function _staticcallHead(address token, bytes4 selector, uint256 maxLength)
        private
        view
        returns (bool ok, bytes memory head)
    {
        assembly ("memory-safe") {
            head := mload(0x40)
            mstore(head, selector)
            ok := staticcall(gas(), token, head, 4, 0, 0)
            let size := returndatasize()
            if gt(size, maxLength) { size := maxLength }
            mstore(head, size)
            returndatacopy(add(head, 0x20), 0, size)
            mstore(0x40, add(add(head, 0x20), and(add(size, 31), not(31))))
        }
    }
}
