// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../common/BridgeMessages.sol";
import {IERC7786Recipient} from "../common/IERC7786.sol";
import {IIndirectCallInitiator} from "../common/IIndirectCallInitiator.sol";
import {IL2AssetRouter} from "../common/IL2AssetRouter.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {MessageHashing} from "../common/MessageHashing.sol";
import {BaseTokenHolder} from "./BaseTokenHolder.sol";
import {BridgedToken} from "./BridgedToken.sol";
import {L2Messenger} from "./L2Messenger.sol";

/// @title L2AssetRouter
/// @notice The chain side of the shared bridge (docs/protocol.md section 9), at the same address on
/// every chain. It is router and token vault in one: it finalizes deposits from L1 (processed by the
/// L2PriorityInbox) by minting the asset's BridgedToken, deploying it on first use, and starts
/// withdrawals to L1 by burning and recording a withdrawal message through the L2Messenger.
/// Chain → chain transfers (section 9.5): as the indirect-call initiator of a bundle call it burns on
/// the source chain and records a transfer message (which moves the chain balances on L1); as the
/// ERC-7786 recipient of that call on the destination chain it mints.
/// ETH, the base token of every chain (section 9.7): an ETH deposit is released from the
/// BaseTokenHolder, `withdrawETH` pays into it, and `bridgeBundleValue` pays the value of a bundle's
/// calls into it and records the ETH transfer message that moves the L1 ledger.
/// On a private chain (deployed with a blinding key) a withdrawal's or transfer's leaf is not the hash of
/// its message but `H(0x08 ‖ payloadHash ‖ blinding)`, with `blinding = keccak256(abi.encode(key, payloadHash))`
/// (docs/protocol.md section 9.13), so that the leaf confirms no guess of its parties and amount. The
/// blinding is emitted (`WithdrawalBlinded`, `TransferBlinded`) on this chain only;
/// `L1AssetRouter.finalizeBlindedWithdrawal` and `finalizeBlindedTransfer` take it.
contract L2AssetRouter is IL2AssetRouter, IIndirectCallInitiator, IERC7786Recipient {
    /// @notice The L2PriorityInbox, the only caller of `finalizeDeposit`.
    address public immutable priorityInbox;
    /// @notice The chain's messenger, which records withdrawal messages.
    L2Messenger public immutable messenger;
    /// @notice The chain's InteropCenter (ERC-7786 gateway): the only caller of `initiateIndirectCall`
    /// and `receiveMessage`.
    address public immutable interopCenter;
    /// @notice The chain's BaseTokenHolder (ETH not bridged in yet).
    BaseTokenHolder public immutable baseTokenHolder;
    /// @notice ETH's asset id: `assetId(L1 chain id, L1NativeTokenVault, address(0))`.
    bytes32 public immutable ethAssetId;
    /// @notice L1's chain id: a token goes there with `withdraw`, never as a transfer.
    uint256 public immutable l1ChainId;
    /// @notice Whether this chain blinds its withdrawals' and transfers' leaves (a private chain, section 9.13).
    bool public immutable blindsBridgeMessages;
    /// @dev The key blindings are derived from: in storage, which only the chain's operator and full readers
    /// see on a private chain (an immutable would be in the code, which `eth_getCode` shows).
    bytes32 private _blindingKey;

    mapping(bytes32 assetId => address token) private _tokens;
    /// @dev The last transfer received in this transaction: the `receiveId` of its call, and
    /// `keccak256(abi.encode(assetId, receiver, amount))` (see `lastTransferReceived`).
    bytes32 private transient _lastReceiveId;
    bytes32 private transient _lastReceipt;
    /// @dev The L1 account whose forced call (`finalizeL1Call`) is being made; 0 otherwise.
    address private transient _l1CallSender;

    /// @notice Gas kept back from a forced call's target, for the event after it (the inbox gives the
    /// request a fixed gas limit, section 9.2).
    uint256 public constant L1_CALL_GAS_RESERVE = 40_000;
    /// @notice Most bytes of a failed forced call's revert data kept in `L1CallFailed`.
    uint256 public constant L1_CALL_MAX_REASON = 256;

    /// @notice The bridged token of `assetId` was deployed at `token`.
    event BridgedTokenDeployed(bytes32 indexed assetId, address token);
    /// @notice The forced call of `l1Sender` (section 9.12) to `l2Target` succeeded.
    event L1CallExecuted(address indexed l1Sender, address indexed l2Target);
    /// @notice The forced call of `l1Sender` to `l2Target` reverted with `reason` (at most
    /// `L1_CALL_MAX_REASON` bytes); the request still counts as processed.
    event L1CallFailed(address indexed l1Sender, address indexed l2Target, bytes reason);
    /// @notice A deposit was finalized: `amount` of `token` minted to `l2Receiver`.
    event DepositFinalized(bytes32 indexed assetId, address indexed l2Receiver, uint256 amount, address token);
    /// @notice `l2Sender` burned `amount` of `assetId` to withdraw it to `l1Receiver`; `message` is the
    /// withdrawal message recorded (its keccak256 is the payload hash).
    event WithdrawalInitiated(
        bytes32 indexed assetId, address indexed l2Sender, address l1Receiver, uint256 amount, bytes message
    );
    /// @notice A private chain's withdrawal of `l2Sender` was recorded blinded: its leaf's payload hash is
    /// `H(0x08 ‖ payloadHash ‖ blinding)` (section 9.13), `payloadHash` the keccak256 of its message. Emitted
    /// on this chain only, right before the withdrawal is recorded; `L1AssetRouter.finalizeBlindedWithdrawal`
    /// takes the blinding.
    event WithdrawalBlinded(address indexed l2Sender, bytes32 indexed payloadHash, bytes32 blinding);
    /// @notice A private chain's transfer from `sender` was recorded blinded, as a withdrawal is
    /// (`WithdrawalBlinded`, section 9.13). Emitted on this chain only, right before `TransferInitiated`;
    /// `L1AssetRouter.finalizeBlindedTransfer` takes the blinding when the transfer's batch settled on L1.
    event TransferBlinded(address indexed sender, bytes32 indexed payloadHash, bytes32 blinding);

    /// @notice `sender` started a transfer of `amount` of `assetId` to `receiver` on
    /// `destinationChainId`: burned here; `message` is the transfer message recorded (its keccak256 is
    /// the payload hash).
    event TransferInitiated(
        uint256 indexed destinationChainId,
        bytes32 indexed assetId,
        address indexed sender,
        address receiver,
        uint256 amount,
        bytes message
    );
    /// @notice A transfer from `sourceChainId` was received: `amount` of `assetId` minted to `receiver`.
    event TransferReceived(
        uint256 indexed sourceChainId, bytes32 indexed assetId, address indexed receiver, uint256 amount
    );

    /// @notice Only the priority inbox may call this.
    error NotPriorityInbox(address caller);
    /// @notice No bridged token exists on this chain for the asset.
    error UnknownAsset(bytes32 assetId);
    /// @notice A withdrawal or transfer of 0 is refused.
    error ZeroAmount();
    /// @notice Only the InteropCenter may call this.
    error NotInteropCenter(address caller);
    /// @notice A transfer to the zero address is refused (the destination could not mint it).
    error ZeroReceiver();
    /// @notice The router takes no native value.
    error ValueNotSupported(uint256 value);
    /// @notice The ERC-7786 sender is not this router (same address) on some chain.
    error UntrustedSender(bytes sender);
    /// @notice A transfer goes to a ZK chain; L1 has no asset router to mint it: withdraw instead.
    error TransferToL1(uint256 l1ChainId);

    /// @param priorityInbox_ The chain's L2PriorityInbox.
    /// @param messenger_ The chain's L2Messenger.
    /// @param interopCenter_ The chain's InteropCenter.
    /// @param baseTokenHolder_ The chain's BaseTokenHolder.
    /// @param ethAssetId_ ETH's asset id (section 9.7).
    /// @param l1ChainId_ L1's chain id.
    /// @param blindingKey_ A private chain's secret key for its withdrawals' blindings (random, kept by its
    /// operator); 0 on a public chain, whose withdrawals' leaves are their messages' hashes.
    constructor(
        address priorityInbox_,
        L2Messenger messenger_,
        address interopCenter_,
        BaseTokenHolder baseTokenHolder_,
        bytes32 ethAssetId_,
        uint256 l1ChainId_,
        bytes32 blindingKey_
    ) {
        priorityInbox = priorityInbox_;
        messenger = messenger_;
        interopCenter = interopCenter_;
        baseTokenHolder = baseTokenHolder_;
        ethAssetId = ethAssetId_;
        l1ChainId = l1ChainId_;
        blindsBridgeMessages = blindingKey_ != bytes32(0);
        _blindingKey = blindingKey_;
    }

    /// @inheritdoc IL2AssetRouter
    function finalizeDeposit(
        bytes32 assetId,
        uint256 originChainId,
        address originToken,
        string calldata name,
        string calldata symbol,
        uint8 decimals,
        address, /* l1Sender */
        address l2Receiver,
        uint256 amount
    ) external {
        if (msg.sender != priorityInbox) revert NotPriorityInbox(msg.sender);
        address token = _mintBridged(assetId, originChainId, originToken, name, symbol, decimals, l2Receiver, amount);
        emit DepositFinalized(assetId, l2Receiver, amount, token);
    }

    /// @inheritdoc IL2AssetRouter
    function finalizeETHDeposit(address, /* l1Sender */ address l2Receiver, uint256 amount) external {
        if (msg.sender != priorityInbox) revert NotPriorityInbox(msg.sender);
        emit DepositFinalized(ethAssetId, l2Receiver, amount, address(0));
        baseTokenHolder.release(l2Receiver, amount);
    }

    /// @inheritdoc IL2AssetRouter
    function finalizeL1Call(address l1Sender, address l2Target, bytes calldata data) external {
        if (msg.sender != priorityInbox) revert NotPriorityInbox(msg.sender);
        _l1CallSender = l1Sender;
        uint256 gasForCall = gasleft() > L1_CALL_GAS_RESERVE ? gasleft() - L1_CALL_GAS_RESERVE : 0;
        (bool ok,) = l2Target.call{gas: gasForCall}(data);
        _l1CallSender = address(0);
        if (ok) {
            emit L1CallExecuted(l1Sender, l2Target);
            return;
        }
        uint256 size;
        assembly ("memory-safe") {
            size := returndatasize()
        }
        if (size > L1_CALL_MAX_REASON) size = L1_CALL_MAX_REASON;
        bytes memory reason = new bytes(size);
        assembly ("memory-safe") {
            returndatacopy(add(reason, 32), 0, size)
        }
        emit L1CallFailed(l1Sender, l2Target, reason);
    }

    /// @notice During a forced call (`finalizeL1Call`), the L1 account that asked for it; 0 otherwise. A
    /// target tells a forced call from any other by `msg.sender == this router` and reads its L1 sender here.
    function l1CallSender() external view returns (address) {
        return _l1CallSender;
    }

    /// @inheritdoc IL2AssetRouter
    function bridgeBundleValue(uint256 destinationChainId, address sender) external payable {
        if (msg.sender != interopCenter) revert NotInteropCenter(msg.sender);
        if (msg.value == 0) revert ZeroAmount();
        _recordTransfer(destinationChainId, ethAssetId, sender, address(0), msg.value);
        baseTokenHolder.returnValue{value: msg.value}();
    }

    /// @notice Withdraws `msg.value` of ETH to `l1Receiver` on L1: pays it into the base-token holder
    /// and records the withdrawal message (asset `ethAssetId`). Once the batch is executed on L1, anyone
    /// may finalize it with `L1AssetRouter.finalizeWithdrawal`, which releases ETH from the L1 vault.
    /// Only ETH that came over the bridge can leave it (`BaseTokenHolder.UnbackedValue`).
    /// @param l1Receiver The receiver on L1.
    /// @return payloadHash keccak256 of the withdrawal message (on a private chain its leaf holds the
    /// blinded commitment of it, `WithdrawalBlinded`).
    function withdrawETH(address l1Receiver) external payable returns (bytes32 payloadHash) {
        if (msg.value == 0) revert ZeroAmount();
        payloadHash = _recordWithdrawal(ethAssetId, l1Receiver, msg.value);
        baseTokenHolder.returnValue{value: msg.value}();
    }

    /// @notice Starts a chain → chain transfer (section 9.5). Called by the InteropCenter while it
    /// builds a bundle, for a call starter `{to: this router, data, callAttributes: [indirectCall(0)]}`.
    /// Burns `amount` of `assetId` from `originalSender` (authenticated by the center; no allowance:
    /// this router is the token's burner), records the transfer message through the L2Messenger and
    /// emits `TransferInitiated`. Refuses L1 as destination (`TransferToL1`: L1 has no asset router to
    /// mint the tokens, they would be burned for nothing; `withdraw` takes them there).
    /// @param destinationChainId The bundle's destination chain.
    /// @param originalSender The caller of `sendBundle`, whose tokens are burned.
    /// @param data `abi.encode(bytes32 assetId, uint256 amount, address receiver)`.
    /// @return destinationTarget This router (same address on every chain).
    /// @return destinationData `abi.encode(assetId, originChainId, originToken, name, symbol, decimals,
    /// receiver, amount)`, the payload of `receiveMessage` on the destination.
    function initiateIndirectCall(uint256 destinationChainId, address originalSender, bytes calldata data)
        external
        payable
        returns (address destinationTarget, bytes memory destinationData)
    {
        if (msg.sender != interopCenter) revert NotInteropCenter(msg.sender);
        if (msg.value != 0) revert ValueNotSupported(msg.value);
        if (destinationChainId == l1ChainId) revert TransferToL1(l1ChainId);
        (bytes32 assetId, uint256 amount, address receiver) = abi.decode(data, (bytes32, uint256, address));
        address token = _tokens[assetId];
        if (token == address(0)) revert UnknownAsset(assetId);
        if (amount == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroReceiver();
        BridgedToken(token).burn(originalSender, amount);
        _recordTransfer(destinationChainId, assetId, originalSender, receiver, amount);

        BridgedToken t = BridgedToken(token);
        destinationTarget = address(this);
        destinationData =
            abi.encode(assetId, t.originChainId(), t.originToken(), t.name(), t.symbol(), t.decimals(), receiver, amount);
    }

    /// @notice Finishes a chain → chain transfer on the destination (section 9.5): delivered by the
    /// InteropCenter for the InteropHandler; `sender` must be this router on the source chain. Deploys
    /// the bridged token on first use (as `finalizeDeposit` does), mints to the receiver and keeps a
    /// receipt of it until the next transfer received or the end of the transaction
    /// (`lastTransferReceived`).
    /// @param receiveId `keccak256(abi.encode(bundleHash, callIndex))` of the delivered call.
    /// @param sender ERC-7930 address of the call's sender: this router's address, on the source chain.
    /// @param payload The `destinationData` of `initiateIndirectCall`.
    /// @return `IERC7786Recipient.receiveMessage.selector`.
    function receiveMessage(bytes32 receiveId, bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4)
    {
        if (msg.sender != interopCenter) revert NotInteropCenter(msg.sender);
        (bool ok, uint256 sourceChainId, address from) = InteroperableAddress.tryParse(sender);
        if (!ok || from != address(this)) revert UntrustedSender(sender);
        if (msg.value != 0) revert ValueNotSupported(msg.value);
        (bytes32 assetId, address receiver, uint256 amount) = _mintTransfer(payload);
        emit TransferReceived(sourceChainId, assetId, receiver, amount);
        _lastReceiveId = receiveId;
        _lastReceipt = keccak256(abi.encode(assetId, receiver, amount));
        return IERC7786Recipient.receiveMessage.selector;
    }

    /// @dev Mints what a transfer payload (section 9.5) carries, deploying the token if needed.
    function _mintTransfer(bytes calldata payload) private returns (bytes32, address, uint256) {
        (
            bytes32 assetId,
            uint256 originChainId,
            address originToken,
            string memory name,
            string memory symbol,
            uint8 decimals,
            address receiver,
            uint256 amount
        ) = BridgeMessages.decodeTransferPayload(payload);
        _mintBridged(assetId, originChainId, originToken, name, symbol, decimals, receiver, amount);
        return (assetId, receiver, amount);
    }

    /// @notice Whether the last transfer received in this transaction was delivered by the bundle call
    /// with `receiveId` (`keccak256(abi.encode(bundleHash, callIndex))`) and minted `amount` of `assetId` to
    /// `receiver` (transient: false in any later transaction, and once another transfer was received). A
    /// recipient called right after a transfer to it in the same bundle checks with it exactly what that
    /// transfer delivered (the bundle's hash is the InteropHandler's `executingBundle()`), e.g. the example
    /// CrossChainSwapper.
    function lastTransferReceived(bytes32 receiveId, bytes32 assetId, address receiver, uint256 amount)
        external
        view
        returns (bool)
    {
        return receiveId == _lastReceiveId && _lastReceipt == keccak256(abi.encode(assetId, receiver, amount));
    }

    /// @notice Withdraws `amount` of `assetId` to `l1Receiver` on L1: burns it from the caller and
    /// records the withdrawal message (section 9). Once the batch is executed on L1, anyone may
    /// finalize it with `L1AssetRouter.finalizeWithdrawal`.
    /// @param assetId The asset (its bridged token must exist here, `UnknownAsset`).
    /// @param amount The amount (> 0).
    /// @param l1Receiver The receiver on L1.
    /// @return payloadHash keccak256 of the withdrawal message (on a private chain its leaf holds the
    /// blinded commitment of it, `WithdrawalBlinded`).
    function withdraw(bytes32 assetId, uint256 amount, address l1Receiver) external returns (bytes32 payloadHash) {
        address token = _tokens[assetId];
        if (token == address(0)) revert UnknownAsset(assetId);
        if (amount == 0) revert ZeroAmount();
        BridgedToken(token).burn(msg.sender, amount);
        payloadHash = _recordWithdrawal(assetId, l1Receiver, amount);
    }

    /// @dev Records the withdrawal message of the caller through the L2Messenger and announces it: on a
    /// private chain `WithdrawalBlinded` first, then its blinded commitment as the leaf (section 9.13).
    function _recordWithdrawal(bytes32 assetId, address l1Receiver, uint256 amount) private returns (bytes32 payloadHash) {
        bytes memory message = BridgeMessages.encodeWithdrawal(assetId, msg.sender, l1Receiver, amount);
        payloadHash = keccak256(message);
        bytes32 blinding = _blindingOf(payloadHash);
        if (blinding != bytes32(0)) emit WithdrawalBlinded(msg.sender, payloadHash, blinding);
        _recordLeaf(payloadHash, blinding);
        emit WithdrawalInitiated(assetId, msg.sender, l1Receiver, amount, message);
    }

    /// @dev The blinding of a bridge message's leaf on a private chain, `keccak256(abi.encode(key, payloadHash))`;
    /// 0 on a public chain (section 9.13).
    function _blindingOf(bytes32 payloadHash) private view returns (bytes32) {
        return blindsBridgeMessages ? keccak256(abi.encode(_blindingKey, payloadHash)) : bytes32(0);
    }

    /// @dev Records a bridge message's leaf through the L2Messenger: its hash, or with a blinding its blinded
    /// commitment `H(0x08 ‖ payloadHash ‖ blinding)`.
    function _recordLeaf(bytes32 payloadHash, bytes32 blinding) private {
        messenger.recordMessage(
            blinding == bytes32(0) ? payloadHash : MessageHashing.blindedBridgeMessageCommitment(payloadHash, blinding)
        );
    }

    /// @dev Records a transfer message (section 9.5) through the L2Messenger and announces it: on a private
    /// chain `TransferBlinded` first, then its blinded commitment as the leaf (section 9.13).
    function _recordTransfer(uint256 destinationChainId, bytes32 assetId, address sender, address receiver, uint256 amount)
        private
    {
        bytes memory message = BridgeMessages.encodeTransfer(destinationChainId, assetId, sender, receiver, amount);
        bytes32 payloadHash = keccak256(message);
        bytes32 blinding = _blindingOf(payloadHash);
        if (blinding != bytes32(0)) emit TransferBlinded(sender, payloadHash, blinding);
        _recordLeaf(payloadHash, blinding);
        emit TransferInitiated(destinationChainId, assetId, sender, receiver, amount, message);
    }

    /// @dev Mints `amount` of the bridged token of `assetId` to `receiver`, deploying the token first
    /// (CREATE2, salt `assetId`) if this chain has none. Shared by deposits and transfers.
    function _mintBridged(
        bytes32 assetId,
        uint256 originChainId,
        address originToken,
        string memory name,
        string memory symbol,
        uint8 decimals,
        address receiver,
        uint256 amount
    ) private returns (address token) {
        token = _tokens[assetId];
        if (token == address(0)) {
            token = address(new BridgedToken{salt: assetId}(assetId, originChainId, originToken, name, symbol, decimals));
            _tokens[assetId] = token;
            emit BridgedTokenDeployed(assetId, token);
        }
        BridgedToken(token).mint(receiver, amount);
    }

    /// @notice The bridged token of `assetId` on this chain (0 if it was not deployed yet).
    function bridgedToken(bytes32 assetId) external view returns (address) {
        return _tokens[assetId];
    }

    /// @notice Where the bridged token of `assetId` is (or will be) deployed: the CREATE2 address from
    /// this router with salt `assetId` and the given constructor arguments.
    function bridgedTokenAddress(
        bytes32 assetId,
        uint256 originChainId,
        address originToken,
        string calldata name,
        string calldata symbol,
        uint8 decimals
    ) external view returns (address) {
        bytes32 initCodeHash = keccak256(
            abi.encodePacked(
                type(BridgedToken).creationCode, abi.encode(assetId, originChainId, originToken, name, symbol, decimals)
            )
        );
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), assetId, initCodeHash)))));
    }
}
