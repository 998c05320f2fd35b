// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../common/BridgeMessages.sol";
import {IL2AssetRouter} from "../common/IL2AssetRouter.sol";
import {BridgedToken} from "./BridgedToken.sol";
import {L2Messenger} from "./L2Messenger.sol";

/// @title L2AssetRouter
/// @notice The chain side of the shared bridge (docs/protocol.md section 9), at the same address on
/// every chain. It is router and token vault in one: it finalizes deposits from L1 (processed by the
/// L2PriorityInbox) by minting the asset's BridgedToken, deploying it on first use, and starts
/// withdrawals to L1 by burning and recording a withdrawal message through the L2Messenger.
contract L2AssetRouter is IL2AssetRouter {
    /// @notice The L2PriorityInbox, the only caller of `finalizeDeposit`.
    address public immutable priorityInbox;
    /// @notice The chain's messenger, which records withdrawal messages.
    L2Messenger public immutable messenger;

    mapping(bytes32 assetId => address token) private _tokens;

    /// @notice The bridged token of `assetId` was deployed at `token`.
    event BridgedTokenDeployed(bytes32 indexed assetId, address token);
    /// @notice A deposit was finalized: `amount` of `token` minted to `l2Receiver`.
    event DepositFinalized(bytes32 indexed assetId, address indexed l2Receiver, uint256 amount, address token);
    /// @notice `l2Sender` burned `amount` of `assetId` to withdraw it to `l1Receiver`; `message` is the
    /// withdrawal message recorded (its keccak256 is the payload hash).
    event WithdrawalInitiated(
        bytes32 indexed assetId, address indexed l2Sender, address l1Receiver, uint256 amount, bytes message
    );

    /// @notice Only the priority inbox may call this.
    error NotPriorityInbox(address caller);
    /// @notice No bridged token exists on this chain for the asset.
    error UnknownAsset(bytes32 assetId);
    /// @notice A withdrawal of 0 is refused.
    error ZeroAmount();

    /// @param priorityInbox_ The chain's L2PriorityInbox.
    /// @param messenger_ The chain's L2Messenger.
    constructor(address priorityInbox_, L2Messenger messenger_) {
        priorityInbox = priorityInbox_;
        messenger = messenger_;
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
        address token = _tokens[assetId];
        if (token == address(0)) {
            token = address(new BridgedToken{salt: assetId}(assetId, originChainId, originToken, name, symbol, decimals));
            _tokens[assetId] = token;
            emit BridgedTokenDeployed(assetId, token);
        }
        BridgedToken(token).mint(l2Receiver, amount);
        emit DepositFinalized(assetId, l2Receiver, amount, token);
    }

    /// @notice Withdraws `amount` of `assetId` to `l1Receiver` on L1: burns it from the caller and
    /// records the withdrawal message (section 9). Once the batch is executed on L1, anyone may
    /// finalize it with `L1AssetRouter.finalizeWithdrawal`.
    /// @param assetId The asset (its bridged token must exist here, `UnknownAsset`).
    /// @param amount The amount (> 0).
    /// @param l1Receiver The receiver on L1.
    /// @return payloadHash keccak256 of the withdrawal message recorded.
    function withdraw(bytes32 assetId, uint256 amount, address l1Receiver) external returns (bytes32 payloadHash) {
        address token = _tokens[assetId];
        if (token == address(0)) revert UnknownAsset(assetId);
        if (amount == 0) revert ZeroAmount();
        BridgedToken(token).burn(msg.sender, amount);
        bytes memory message = BridgeMessages.encodeWithdrawal(assetId, msg.sender, l1Receiver, amount);
        payloadHash = keccak256(message);
        messenger.recordMessage(payloadHash);
        emit WithdrawalInitiated(assetId, msg.sender, l1Receiver, amount, message);
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
