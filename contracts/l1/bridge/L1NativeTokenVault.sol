// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BridgeMessages} from "../../common/BridgeMessages.sol";
import {LedgerAccounts} from "../../common/LedgerAccounts.sol";
import {SafeERC20Calls} from "../../common/SafeERC20Calls.sol";

/// @title L1NativeTokenVault
/// @notice Holds every L1 token (and the ETH) deposited into any chain, and keeps L1's ledger: per account
/// and asset, how much the chains behind that account hold (docs/protocol.md sections 9 and 9.11). A
/// chain that settles on L1 has an account of its own; the chains of a Gateway share the Gateway's
/// account, which the Gateway's asset tracker splits between them (`LedgerAccounts`). Deposits raise an
/// account, withdrawals lower it, transfers move between accounts, and nothing ever takes more than an
/// account holds: a compromised chain cannot take other chains' deposits. ETH is one more asset
/// (section 9.7): `lockETH` takes it with the call, its asset id is `assetId(address(0))`, and releases
/// send it with a plain call.
/// @dev Only the asset router moves tokens or balances. Deployment: deploy this vault (the deployer is
/// the owner), then the L1AssetRouter, then `setAssetRouter(router)` once.
contract L1NativeTokenVault {
    /// @notice The account allowed to call `setAssetRouter` once (the deployer).
    address public immutable owner;
    /// @notice The L1AssetRouter, the only caller of `lockDeposit`, `lockETH`, `releaseWithdrawal` and
    /// `moveBalance` (0 until set).
    address public assetRouter;

    mapping(bytes32 assetId => address token) private _tokens;
    mapping(uint256 account => mapping(bytes32 assetId => uint256 amount)) private _balances;
    /// @dev What each account paid out in total (releases and moves out): a reserve read at one total
    /// is corrected by what left since (`AssetReserve`).
    mapping(uint256 account => mapping(bytes32 assetId => uint256 amount)) private _outflows;

    /// @notice ETH's asset id: `assetId(address(0))`.
    bytes32 public immutable ethAssetId;

    /// @notice The asset router was set.
    event AssetRouterSet(address assetRouter);
    /// @notice `token` was deposited for the first time; its asset id is `assetId`.
    event AssetRegistered(bytes32 indexed assetId, address indexed token);
    /// @notice `amount` of `assetId` was locked for ledger account `account`, now at `balance`.
    event DepositLocked(uint256 indexed account, bytes32 indexed assetId, address indexed depositor, uint256 amount, uint256 balance);
    /// @notice `amount` of `assetId` was released from ledger account `account` to `receiver`; the account
    /// is now at `balance`.
    event WithdrawalReleased(uint256 indexed account, bytes32 indexed assetId, address indexed receiver, uint256 amount, uint256 balance);
    /// @notice `amount` of `assetId` moved from ledger account `fromAccount` to `toAccount` (a transfer
    /// between chains, or a chain moving between settlement layers); they are now at `fromBalance` and
    /// `toBalance`.
    event BalanceMoved(
        uint256 indexed fromAccount,
        uint256 indexed toAccount,
        bytes32 indexed assetId,
        uint256 amount,
        uint256 fromBalance,
        uint256 toBalance
    );

    /// @notice Only the owner may call this.
    error NotOwner(address caller);
    /// @notice The asset router was already set.
    error AssetRouterAlreadySet(address assetRouter);
    /// @notice The zero address is not an asset router, nor a token.
    error ZeroAddress();
    /// @notice Only the asset router may call this.
    error NotAssetRouter(address caller);
    /// @notice The vault received `received` tokens instead of `expected` (fee-on-transfer and
    /// rebasing tokens are not supported).
    error TransferAmountMismatch(address token, uint256 expected, uint256 received);
    /// @notice Ledger account `account` (a chain id, or a Gateway's account, `LedgerAccounts`) holds only
    /// `balance` of `assetId`, less than `amount`.
    error InsufficientChainBalance(uint256 account, bytes32 assetId, uint256 balance, uint256 amount);
    /// @notice No token was ever deposited under this asset id.
    error UnknownAsset(bytes32 assetId);
    /// @notice Sending `amount` of ETH to `receiver` failed with `reason`.
    error ETHTransferFailed(address receiver, uint256 amount, bytes reason);

    constructor() {
        owner = msg.sender;
        ethAssetId = BridgeMessages.assetId(block.chainid, address(this), BridgeMessages.ETH_TOKEN);
    }

    modifier onlyAssetRouter() {
        if (msg.sender != assetRouter || msg.sender == address(0)) revert NotAssetRouter(msg.sender);
        _;
    }

    /// @notice Sets the asset router, once. Only the owner.
    /// @param router The L1AssetRouter.
    function setAssetRouter(address router) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (assetRouter != address(0)) revert AssetRouterAlreadySet(assetRouter);
        if (router == address(0)) revert ZeroAddress();
        assetRouter = router;
        emit AssetRouterSet(router);
    }

    /// @notice Asset id of the L1 token `token`: `keccak256(abi.encode(block.chainid, this vault, token))`
    /// (`address(0)`: ETH).
    function assetId(address token) public view returns (bytes32) {
        return BridgeMessages.assetId(block.chainid, address(this), token);
    }

    /// @notice The L1 token of `assetId` (0 if it was never deposited).
    function tokenOf(bytes32 assetId_) external view returns (address) {
        return _tokens[assetId_];
    }

    /// @notice How much of `assetId` ledger account `account` holds.
    function balanceOf(uint256 account, bytes32 assetId_) external view returns (uint256) {
        return _balances[account][assetId_];
    }

    /// @notice What ledger account `account` paid out of `assetId` in total, released or moved to another
    /// account: it only grows.
    function outflowsOf(uint256 account, bytes32 assetId_) external view returns (uint256) {
        return _outflows[account][assetId_];
    }

    /// @notice How much of `assetId` chain `chainId` holds in its own account (the chain settles on L1, or
    /// it is what its messages settled on L1 may still take out after it moved to a Gateway).
    function chainBalance(uint256 chainId, bytes32 assetId_) external view returns (uint256) {
        return _balances[LedgerAccounts.ofChain(chainId)][assetId_];
    }

    /// @notice How much of `assetId` the chains of the Gateway `slChainId` hold together.
    function settlementLayerBalance(uint256 slChainId, bytes32 assetId_) external view returns (uint256) {
        return _balances[LedgerAccounts.ofSettlementLayer(slChainId)][assetId_];
    }

    /// @notice Takes `amount` of `token` from `depositor` (who approved this vault) and adds it to ledger
    /// account `account`. Only the asset router.
    /// @dev The amount received is measured by the vault's balance before and after; it must equal
    /// `amount` (`TransferAmountMismatch`). `token == address(0)` (ETH's sentinel) is refused
    /// (`ZeroAddress`): ETH goes through `lockETH`.
    /// @return assetId_ The token's asset id.
    function lockDeposit(uint256 account, address token, address depositor, uint256 amount)
        external
        onlyAssetRouter
        returns (bytes32 assetId_)
    {
        if (token == BridgeMessages.ETH_TOKEN) revert ZeroAddress();
        assetId_ = assetId(token);
        if (_tokens[assetId_] == address(0)) {
            _tokens[assetId_] = token;
            emit AssetRegistered(assetId_, token);
        }
        uint256 before = _balance(token);
        SafeERC20Calls.safeTransferFrom(token, depositor, address(this), amount);
        uint256 received = _balance(token) - before;
        if (received != amount) revert TransferAmountMismatch(token, amount, received);
        uint256 balance = _balances[account][assetId_] + amount;
        _balances[account][assetId_] = balance;
        emit DepositLocked(account, assetId_, depositor, amount, balance);
    }

    /// @notice Takes the ETH sent with the call (`msg.value`) and adds it to ledger account `account`.
    /// Only the asset router.
    /// @return assetId_ ETH's asset id.
    function lockETH(uint256 account, address depositor) external payable onlyAssetRouter returns (bytes32 assetId_) {
        assetId_ = ethAssetId;
        uint256 balance = _balances[account][assetId_] + msg.value;
        _balances[account][assetId_] = balance;
        emit DepositLocked(account, assetId_, depositor, msg.value, balance);
    }

    /// @notice Takes `amount` of `assetId` from ledger account `account` and sends it to `receiver`. Only
    /// the asset router. Reverts `InsufficientChainBalance` when the account holds less; for ETH,
    /// `ETHTransferFailed` when the receiver refuses it.
    function releaseWithdrawal(uint256 account, bytes32 assetId_, address receiver, uint256 amount)
        external
        onlyAssetRouter
    {
        uint256 balance = _balances[account][assetId_];
        if (balance < amount) revert InsufficientChainBalance(account, assetId_, balance, amount);
        bool isEth = assetId_ == ethAssetId;
        address token = _tokens[assetId_];
        if (token == address(0) && !isEth) revert UnknownAsset(assetId_);
        unchecked {
            balance -= amount;
        }
        _balances[account][assetId_] = balance;
        _outflows[account][assetId_] += amount;
        emit WithdrawalReleased(account, assetId_, receiver, amount, balance);
        if (isEth) {
            (bool ok, bytes memory reason) = receiver.call{value: amount}("");
            if (!ok) revert ETHTransferFailed(receiver, amount, reason);
        } else {
            SafeERC20Calls.safeTransfer(token, receiver, amount);
        }
    }

    /// @notice Moves `amount` of `assetId` from ledger account `fromAccount` to `toAccount` (no token
    /// moves). Only the asset router. Reverts `InsufficientChainBalance` when `fromAccount` holds less: an
    /// account cannot give more than it has.
    function moveBalance(uint256 fromAccount, uint256 toAccount, bytes32 assetId_, uint256 amount)
        external
        onlyAssetRouter
    {
        uint256 fromBalance = _balances[fromAccount][assetId_];
        if (fromBalance < amount) revert InsufficientChainBalance(fromAccount, assetId_, fromBalance, amount);
        unchecked {
            fromBalance -= amount;
        }
        _balances[fromAccount][assetId_] = fromBalance;
        _outflows[fromAccount][assetId_] += amount;
        uint256 toBalance = _balances[toAccount][assetId_] + amount;
        _balances[toAccount][assetId_] = toBalance;
        emit BalanceMoved(fromAccount, toAccount, assetId_, amount, fromBalance, toBalance);
    }

    function _balance(address token) private view returns (uint256) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSignature("balanceOf(address)", address(this)));
        if (!ok || ret.length < 32) revert SafeERC20Calls.TokenTransferFailed(token, ret);
        return abi.decode(ret, (uint256));
    }
}
