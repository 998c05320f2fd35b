// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeERC20Calls} from "../../common/SafeERC20Calls.sol";
import {PriceOracle} from "./PriceOracle.sol";

/// @title LendingPool (example)
/// @notice A small but real over-collateralised lending pool: accounts deposit ETH as collateral and
/// borrow the pool's stablecoin against it, up to `LOAN_TO_VALUE_BPS` of the collateral's value at the
/// oracle's price; they repay and withdraw collateral while staying healthy. Used by the L1-from-L2
/// lending round trip (`junction demo lending`). No interest and no liquidations: the example needs
/// the health check that refuses over-borrowing, not a market.
contract LendingPool {
    using SafeERC20Calls for address;

    /// @notice Most an account may borrow, in basis points of its collateral's value (75%).
    uint256 public constant LOAN_TO_VALUE_BPS = 7_500;
    /// @notice Basis points in one.
    uint256 public constant BPS = 10_000;

    /// @notice The stablecoin lent out.
    address public immutable stablecoin;
    /// @notice The ETH price in stablecoin.
    PriceOracle public immutable oracle;
    /// @notice ETH (wei) each account deposited as collateral.
    mapping(address account => uint256 amount) public collateral;
    /// @notice Stablecoin each account owes.
    mapping(address account => uint256 amount) public debt;

    /// @notice `account` deposited `amount` wei of collateral.
    event CollateralDeposited(address indexed account, uint256 amount);
    /// @notice `account` withdrew `amount` wei of collateral.
    event CollateralWithdrawn(address indexed account, uint256 amount);
    /// @notice `account` borrowed `amount` stablecoin.
    event Borrowed(address indexed account, uint256 amount);
    /// @notice `account` repaid `amount` stablecoin.
    event Repaid(address indexed account, uint256 amount);

    /// @notice The operation would leave `account` owing `debt` against a borrowing limit of `limit`.
    error Undercollateralised(address account, uint256 debt, uint256 limit);
    /// @notice An amount of 0 is refused.
    error ZeroAmount();
    /// @notice `account` owes only `debt`, less than `amount`.
    error RepayExceedsDebt(address account, uint256 debt, uint256 amount);
    /// @notice `account` has only `collateral` wei of collateral, less than `amount`.
    error InsufficientCollateral(address account, uint256 collateral, uint256 amount);
    /// @notice Sending ETH to `to` failed.
    error EthTransferFailed(address to);

    /// @param stablecoin_ The stablecoin lent out (the pool must hold some to lend).
    /// @param oracle_ The ETH price.
    constructor(address stablecoin_, PriceOracle oracle_) {
        stablecoin = stablecoin_;
        oracle = oracle_;
    }

    /// @notice Deposits the ETH sent as the caller's collateral.
    function depositCollateral() external payable {
        if (msg.value == 0) revert ZeroAmount();
        collateral[msg.sender] += msg.value;
        emit CollateralDeposited(msg.sender, msg.value);
    }

    /// @notice Borrows `amount` stablecoin to the caller; refused (`Undercollateralised`) beyond the
    /// borrowing limit.
    function borrow(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 owed = debt[msg.sender] + amount;
        uint256 limit = borrowLimit(msg.sender);
        if (owed > limit) revert Undercollateralised(msg.sender, owed, limit);
        debt[msg.sender] = owed;
        stablecoin.safeTransfer(msg.sender, amount);
        emit Borrowed(msg.sender, amount);
    }

    /// @notice Repays `amount` of the caller's debt (the pool takes it with `transferFrom`: approve first).
    function repay(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 owed = debt[msg.sender];
        if (amount > owed) revert RepayExceedsDebt(msg.sender, owed, amount);
        debt[msg.sender] = owed - amount;
        stablecoin.safeTransferFrom(msg.sender, address(this), amount);
        emit Repaid(msg.sender, amount);
    }

    /// @notice Withdraws `amount` wei of the caller's collateral to the caller, if it stays healthy.
    function withdrawCollateral(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 held = collateral[msg.sender];
        if (amount > held) revert InsufficientCollateral(msg.sender, held, amount);
        collateral[msg.sender] = held - amount;
        uint256 limit = borrowLimit(msg.sender);
        if (debt[msg.sender] > limit) revert Undercollateralised(msg.sender, debt[msg.sender], limit);
        emit CollateralWithdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert EthTransferFailed(msg.sender);
    }

    /// @notice Most stablecoin `account` may owe: `LOAN_TO_VALUE_BPS` of its collateral's value.
    function borrowLimit(address account) public view returns (uint256) {
        return collateral[account] * oracle.ethPrice() / 1e18 * LOAN_TO_VALUE_BPS / BPS;
    }

    /// @notice Health factor of `account` with 18 decimals (limit / debt; max when it owes nothing).
    /// Below 1e18 the account is over its limit (after a price drop).
    function healthFactor(address account) external view returns (uint256) {
        uint256 owed = debt[account];
        if (owed == 0) return type(uint256).max;
        return borrowLimit(account) * 1e18 / owed;
    }
}
