// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../common/ERC20.sol";
import {IERC7786Recipient} from "../common/IERC7786.sol";
import {InteropCenterRecipient} from "../common/InteropCenterRecipient.sol";
import {BundleExecutor} from "../common/BundleExecutor.sol";
import {InteropCallStarter} from "../common/InteropTypes.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {InteropCenter} from "../l2/InteropCenter.sol";
import {L2AssetRouter} from "../l2/L2AssetRouter.sol";
import {DepositToken} from "./DepositToken.sol";

/// @title PaymentBank
/// @notice A bank's payment endpoint for one currency on its chain (docs/payments.md). It issues the bank's
/// DepositToken to its customers and holds the bank's reserve of the currency's canonical cash token (the
/// shared bridge's bridged token of `cashAssetId`). A cross-border payment (an ISO 20022 pacs.008) is ONE
/// interop bundle: `sendPayment` debits the debtor's deposit tokens here and sends a bundle to the creditor
/// bank's PaymentBank whose call 0 moves the cash from this contract to it (an indirect call through the L2
/// asset router: burned here, minted there) and whose call 1 (`receiveMessage`) credits the creditor with
/// deposit tokens of that bank, once it checked that call 0 delivered exactly the amount to it.
///
/// The message's UETR is the idempotency key: a UETR is sent once, and received once. The keccak256 of the
/// message's XML is recorded with it on both chains; the XML itself never goes on chain.
contract PaymentBank is InteropCenterRecipient {
    /// @notice The chain's L2AssetRouter (the cash token, transfers).
    address public immutable l2AssetRouter;
    /// @notice The chain's InteropHandler: which bundle is being executed.
    address public immutable interopHandler;
    /// @notice The shared bridge's asset id of the currency's canonical cash token.
    bytes32 public immutable cashAssetId;
    /// @notice The bank's deposit token, deployed by this contract.
    DepositToken public immutable depositToken;
    /// @notice The bank (its payment service): the only caller of `issue`, `setCorrespondent`, `sendPayment`.
    address public immutable operator;

    /// @notice A payment as recorded under its UETR.
    /// @param messageHash keccak256 of the pacs.008 message's bytes.
    /// @param customer The debtor (sent) or creditor (received) on this chain.
    /// @param amount Token units.
    /// @param counterpartyChainId The other bank's chain.
    /// @param bundleHash The interop bundle that carries the payment.
    struct Payment {
        bytes32 messageHash;
        address customer;
        uint256 amount;
        uint256 counterpartyChainId;
        bytes32 bundleHash;
    }

    /// @notice The PaymentBank of the correspondent bank on each chain: where payments go, and the only
    /// sender whose payments are credited here.
    mapping(uint256 chainId => address bank) public correspondents;
    /// @notice Payments sent, by UETR.
    mapping(bytes16 uetr => Payment) public sent;
    /// @notice Payments received, by UETR.
    mapping(bytes16 uetr => Payment) public received;

    /// @notice The correspondent on `chainId` is now `bank` (zero: none).
    event CorrespondentSet(uint256 indexed chainId, address bank);
    /// @notice The bank credited `amount` of deposit tokens to `customer` (cash paid in at the bank).
    event DepositIssued(address indexed customer, uint256 amount);
    /// @notice Payment `uetr` left: `amount` debited from `debtor` here, the cash and the credit to `creditor`
    /// on `creditorChainId` sent in bundle `bundleHash`.
    event PaymentSent(
        bytes16 indexed uetr,
        bytes32 messageHash,
        address indexed debtor,
        uint256 amount,
        uint256 creditorChainId,
        address creditor,
        bytes32 bundleHash
    );
    /// @notice Payment `uetr` arrived from `debtorChainId`: its cash is here and `creditor` was credited `amount`.
    event PaymentReceived(
        bytes16 indexed uetr, bytes32 messageHash, address indexed creditor, uint256 amount, uint256 debtorChainId, bytes32 bundleHash
    );

    /// @notice Only the bank (operator) may do this.
    error NotOperator(address caller);
    /// @notice No correspondent bank is set for `chainId`.
    error UnknownCorrespondent(uint256 chainId);
    /// @notice The payment came from `sender` on `chainId`, which is not the correspondent there.
    error UntrustedBank(uint256 chainId, address sender);
    /// @notice A payment with `uetr` was already sent (or received) here, with message hash `messageHash`.
    error DuplicateUetr(bytes16 uetr, bytes32 messageHash);
    /// @notice The UETR is zero (no payment key).
    error ZeroUetr();
    /// @notice A payment or issue of 0 is refused.
    error ZeroAmount();
    /// @notice The creditor is the zero address.
    error ZeroCreditor();
    /// @notice The bank holds `held` of cash on this chain, less than the `amount` to send.
    error InsufficientCash(uint256 held, uint256 amount);
    /// @notice Call `inputCall` of the bundle did not just deliver exactly `amount` of cash to this contract.
    error CashNotReceived(uint256 inputCall, uint256 amount);
    /// @notice No bundle is being executed: the call did not come from the InteropHandler's delivery.
    error NoBundleExecuting();

    /// @param interopCenter_ The chain's InteropCenter.
    /// @param l2AssetRouter_ The chain's L2AssetRouter.
    /// @param interopHandler_ The chain's InteropHandler.
    /// @param cashAssetId_ The canonical cash token's asset id in the shared bridge.
    /// @param name_ The deposit token's name.
    /// @param symbol_ The deposit token's symbol.
    /// @param decimals_ The currency's decimals (the cash token's).
    constructor(
        address interopCenter_,
        address l2AssetRouter_,
        address interopHandler_,
        bytes32 cashAssetId_,
        string memory name_,
        string memory symbol_,
        uint8 decimals_
    ) InteropCenterRecipient(interopCenter_) {
        l2AssetRouter = l2AssetRouter_;
        interopHandler = interopHandler_;
        cashAssetId = cashAssetId_;
        operator = msg.sender;
        depositToken = new DepositToken(name_, symbol_, decimals_);
    }

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _;
    }

    /// @notice Sets the correspondent bank's PaymentBank on `chainId` (zero removes it).
    /// @param chainId The correspondent's chain.
    /// @param bank Its PaymentBank there.
    function setCorrespondent(uint256 chainId, address bank) external onlyOperator {
        correspondents[chainId] = bank;
        emit CorrespondentSet(chainId, bank);
    }

    /// @notice Credits `amount` of deposit tokens to `customer` (the bank took the money in another way).
    /// @param customer Who is credited.
    /// @param amount Token units.
    function issue(address customer, uint256 amount) external onlyOperator {
        if (amount == 0) revert ZeroAmount();
        emit DepositIssued(customer, amount);
        depositToken.mint(customer, amount);
    }

    /// @notice The bank's cash on this chain (the canonical cash token this contract holds).
    /// @return Token units.
    function cashHeld() public view returns (uint256) {
        address cash = L2AssetRouter(l2AssetRouter).bridgedToken(cashAssetId);
        return cash == address(0) ? 0 : ERC20(cash).balanceOf(address(this));
    }

    /// @notice Pays a pacs.008 in ONE bundle: debits `amount` from `debtor`'s deposit tokens here, sends
    /// the cash to the correspondent on `creditorChainId` and has it credit `creditor` there.
    /// @param uetr The message's UETR: refused if a payment with it was sent here already.
    /// @param messageHash keccak256 of the message's bytes.
    /// @param debtor The customer debited here.
    /// @param amount Token units.
    /// @param creditorChainId The creditor bank's chain.
    /// @param creditor The customer credited there.
    /// @return bundleHash The bundle that carries the payment.
    /// @dev The payment is recorded under its UETR (and the debtor debited) before the bundle is sent; only
    /// the bundle's hash, which the InteropCenter returns, is written after that call.
    function sendPayment(
        bytes16 uetr,
        bytes32 messageHash,
        address debtor,
        uint256 amount,
        uint256 creditorChainId,
        address creditor
    ) external onlyOperator returns (bytes32 bundleHash) {
        if (uetr == bytes16(0)) revert ZeroUetr();
        if (amount == 0) revert ZeroAmount();
        if (creditor == address(0)) revert ZeroCreditor();
        Payment storage payment = sent[uetr];
        if (payment.amount != 0) revert DuplicateUetr(uetr, payment.messageHash);
        address correspondent = correspondents[creditorChainId];
        if (correspondent == address(0)) revert UnknownCorrespondent(creditorChainId);
        uint256 held = cashHeld();
        if (held < amount) revert InsufficientCash(held, amount);

        payment.messageHash = messageHash;
        payment.customer = debtor;
        payment.amount = amount;
        payment.counterpartyChainId = creditorChainId;
        depositToken.burn(debtor, amount);

        InteropCallStarter[] memory calls = new InteropCallStarter[](2);
        bytes[] memory cashAttributes = new bytes[](1);
        cashAttributes[0] = abi.encodeWithSignature("indirectCall(uint256)", 0);
        calls[0] = InteropCallStarter({
            to: l2AssetRouter, data: abi.encode(cashAssetId, amount, correspondent), callAttributes: cashAttributes
        });
        calls[1] = InteropCallStarter({
            to: correspondent,
            data: abi.encode(uetr, messageHash, creditor, amount, uint256(0)),
            callAttributes: new bytes[](0)
        });
        bundleHash = InteropCenter(interopCenter).sendBundle(creditorChainId, calls, new bytes[](0));
        payment.bundleHash = bundleHash;
        emit PaymentSent(uetr, messageHash, debtor, amount, creditorChainId, creditor, bundleHash);
    }

    /// @notice Credits an incoming payment (call 1 of the debtor bank's bundle): the sender must be the
    /// correspondent on its chain, call `inputCall` of the same bundle must have just delivered exactly
    /// `amount` of cash here, and the UETR must not have been received before.
    /// @param sender ERC-7930 address of the debtor bank's PaymentBank on its chain.
    /// @param payload `abi.encode(bytes16 uetr, bytes32 messageHash, address creditor, uint256 amount, uint256 inputCall)`.
    /// @return `IERC7786Recipient.receiveMessage.selector`.
    function receiveMessage(bytes32, /* receiveId */ bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4)
    {
        _checkDelivery();
        (uint256 chainId, address bank) = InteroperableAddress.parse(sender);
        if (bank == address(0) || correspondents[chainId] != bank) revert UntrustedBank(chainId, bank);
        (bytes16 uetr, bytes32 messageHash, address creditor, uint256 amount, uint256 inputCall) =
            abi.decode(payload, (bytes16, bytes32, address, uint256, uint256));
        if (uetr == bytes16(0)) revert ZeroUetr();
        if (creditor == address(0)) revert ZeroCreditor();
        Payment storage payment = received[uetr];
        if (payment.amount != 0) revert DuplicateUetr(uetr, payment.messageHash);
        bytes32 bundleHash = BundleExecutor(interopHandler).executingBundle();
        if (bundleHash == bytes32(0)) revert NoBundleExecuting();
        if (!L2AssetRouter(l2AssetRouter).lastTransferReceived(
                keccak256(abi.encode(bundleHash, inputCall)), cashAssetId, address(this), amount
            )) revert CashNotReceived(inputCall, amount);

        payment.messageHash = messageHash;
        payment.customer = creditor;
        payment.amount = amount;
        payment.counterpartyChainId = chainId;
        payment.bundleHash = bundleHash;
        emit PaymentReceived(uetr, messageHash, creditor, amount, chainId, bundleHash);
        depositToken.mint(creditor, amount);
        return IERC7786Recipient.receiveMessage.selector;
    }
}
