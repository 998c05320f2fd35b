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
import {PaymentMessageCheck} from "./PaymentMessageCheck.sol";

/// @title PaymentBank
/// @notice A bank's payment endpoint for one currency on its chain (docs/payments.md). It issues the bank's
/// DepositToken to its customers and holds the bank's reserve of the currency's canonical cash token (the
/// shared bridge's bridged token of `cashAssetId`). A cross-border payment (an ISO 20022 pacs.008) is ONE
/// interop bundle: `sendPayment` debits the debtor's deposit tokens here and sends a bundle to the creditor
/// bank's PaymentBank whose call 0 moves the cash from this contract to it (an indirect call through the L2
/// asset router: burned here, minted there) and whose call 1 (`receiveMessage`) credits the creditor with
/// deposit tokens of that bank, once it checked that call 0 delivered exactly the amount to it.
///
/// The creditor bank answers every payment it is delivered, in a bundle back to the debtor bank (the on-chain
/// form of a pacs.002 status report): `ACSC` once the creditor is credited, or `RJCT` with an ISO 20022
/// reason code when it refuses (an account it does not hold, a blocked account, an amount above its limit,
/// a UETR it already received), and then the answer bundle carries the cash back first. The debtor bank
/// holds the debit until the answer: the debtor's deposit tokens are burned when the payment leaves and
/// minted back to the debtor on `RJCT`, once the returned cash arrived. Nothing moves on a rejection.
///
/// The message's UETR is the idempotency key: a UETR is sent once, and received once. The message's XML
/// travels in the payment's bundle: this contract hashes it (keccak256, computed here, not taken from the
/// caller) and records the hash on both chains; the creditor bank's PaymentBank hashes the bytes it was
/// delivered again, checks them against the hash and the UETR it credits (else `RJCT FF01`) and emits them
/// (`PaymentMessageReceived`) for its bank. A payment carries a deadline: delivered after it, it is refused
/// with `RJCT AB05`.
contract PaymentBank is InteropCenterRecipient {
    /// @notice A payment's status under its UETR (the pacs.002 `TxSts` it maps to).
    enum PaymentStatus {
        /// No payment under this UETR.
        None,
        /// Sent, the creditor bank's answer not received yet (`PDNG`); the debtor's debit is held.
        Pending,
        /// Settled: the creditor was credited (`ACSC`).
        Accepted,
        /// Refused by the creditor bank with `reason` (`RJCT`); the cash came back, the debtor was re-credited.
        Rejected
    }

    /// @notice Kind of a message between PaymentBanks (the first word of the payload).
    uint8 internal constant PAYMENT_MESSAGE = 1;
    uint8 internal constant STATUS_MESSAGE = 2;

    /// @notice ISO 20022 ExternalStatusReason1Code values the creditor bank answers with (ASCII in a bytes4).
    bytes4 public constant REASON_INVALID_CREDITOR_ACCOUNT = "AC03";
    bytes4 public constant REASON_BLOCKED_ACCOUNT = "AC06";
    bytes4 public constant REASON_NOT_ALLOWED_AMOUNT = "AM02";
    bytes4 public constant REASON_DUPLICATION = "AM05";
    bytes4 public constant REASON_INVALID_FILE_FORMAT = "FF01";
    bytes4 public constant REASON_TIMEOUT = "AB05";

    /// @notice A customer account as this bank keeps it (the creditor bank's answer depends on it).
    enum AccountState {
        /// Not an account of this bank: an incoming payment to it is refused with `AC03`.
        None,
        /// Open: incoming payments are credited.
        Open,
        /// Blocked: an incoming payment is refused with `AC06`.
        Blocked
    }

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
    /// @param status See `PaymentStatus`.
    /// @param reason The ISO 20022 status reason code of a rejection (ASCII, e.g. "AC03"); zero otherwise.
    /// @param decidedAt The creditor bank's block timestamp when it decided (0 while pending).
    /// @param answerBundleHash The creditor bank's answer bundle (0 while pending).
    /// @param deadline The payment's deadline (seconds since the epoch): delivered to the creditor bank after it,
    /// the payment is refused with `AB05`.
    struct Payment {
        bytes32 messageHash;
        address customer;
        PaymentStatus status;
        bytes4 reason;
        uint48 decidedAt;
        uint256 amount;
        uint256 counterpartyChainId;
        bytes32 bundleHash;
        bytes32 answerBundleHash;
        uint256 deadline;
    }

    /// @notice The PaymentBank of the correspondent bank on each chain: where payments go, and the only
    /// sender whose payments are credited here.
    mapping(uint256 chainId => address bank) public correspondents;
    /// @notice Payments sent, by UETR.
    mapping(bytes16 uetr => Payment) public sent;
    /// @notice Payments received, by UETR (accepted or rejected: a UETR is answered once).
    mapping(bytes16 uetr => Payment) public received;
    /// @notice Customer accounts of this bank (addresses on this chain): who incoming payments may credit.
    mapping(address customer => AccountState) public accounts;
    /// @notice The largest incoming payment this bank accepts, in units (0: no limit); above it: `AM02`.
    uint256 public maxIncomingAmount;
    /// @notice Sum of the debits held for payments sent and not answered yet (the debtors' burned deposits).
    uint256 public heldDebits;

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
        bytes32 bundleHash,
        uint256 deadline
    );
    /// @notice Payment `uetr` arrived from `debtorChainId`: its cash is here and `creditor` was credited `amount`.
    event PaymentReceived(
        bytes16 indexed uetr, bytes32 messageHash, address indexed creditor, uint256 amount, uint256 debtorChainId, bytes32 bundleHash
    );
    /// @notice The pacs.008 `message` of payment `uetr` arrived here (the creditor bank) with its bundle; its
    /// keccak256 as computed here is `messageHash` (the debtor bank's hash, when it differs, is answered `FF01`).
    event PaymentMessageReceived(bytes16 indexed uetr, bytes32 messageHash, bytes message);
    /// @notice This bank (the creditor bank) answered payment `uetr` with `status` (`reason` on a rejection),
    /// in bundle `answerBundleHash` to the debtor bank's chain (a rejection's bundle returns the cash first).
    event PaymentAnswered(bytes16 indexed uetr, PaymentStatus status, bytes4 reason, uint256 amount, bytes32 answerBundleHash);
    /// @notice The creditor bank's answer to payment `uetr` arrived here (the debtor bank): `status`, and
    /// `reason` on a rejection, in which case the returned cash arrived and the debtor was re-credited.
    event PaymentStatusReceived(bytes16 indexed uetr, PaymentStatus status, bytes4 reason, uint256 decidedAt, bytes32 answerBundleHash);
    /// @notice `customer`'s account here is now `state`.
    event AccountSet(address indexed customer, AccountState state);
    /// @notice Incoming payments above `amount` units are now refused (0: no limit).
    event MaxIncomingAmountSet(uint256 amount);

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
    /// @notice An answer for `uetr` arrived, but no payment with it is waiting for an answer from `chainId`
    /// here (`status` is the payment's status: None if never sent, Accepted/Rejected if answered already).
    error UnexpectedAnswer(bytes16 uetr, uint256 chainId, PaymentStatus status);
    /// @notice The answer for `uetr` names message hash `answered`, the payment sent was `sent`.
    error AnswerMismatch(bytes16 uetr, bytes32 sent, bytes32 answered);
    /// @notice The payment's message is empty (its XML travels in the bundle).
    error EmptyMessage();
    /// @notice The payment's `deadline` is not after this block's time `timestamp`.
    error DeadlinePassed(uint256 deadline, uint256 timestamp);
    /// @notice An answer's status is not Accepted or Rejected (with a reason), or a payload's kind is unknown.
    error MalformedMessage(uint8 kind, PaymentStatus status, bytes4 reason);

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

    /// @notice Sets `customer`'s account state here: only an Open account is credited by incoming payments.
    /// @param customer The customer's address on this chain.
    /// @param state None (closed: `AC03`), Open, or Blocked (`AC06`).
    function setAccount(address customer, AccountState state) external onlyOperator {
        accounts[customer] = state;
        emit AccountSet(customer, state);
    }

    /// @notice Sets the largest incoming payment accepted (0: no limit); larger ones are refused with `AM02`.
    /// @param amount Token units.
    function setMaxIncomingAmount(uint256 amount) external onlyOperator {
        maxIncomingAmount = amount;
        emit MaxIncomingAmountSet(amount);
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

    /// @notice Pays a pacs.008 in ONE bundle: debits `amount` from `debtor`'s deposit tokens here (held
    /// until the creditor bank's answer), sends the cash to the correspondent on `creditorChainId` and has it
    /// credit `creditor` there; the message's XML goes with it.
    /// @param uetr The message's UETR: refused if a payment with it was sent here already.
    /// @param debtor The customer debited here.
    /// @param amount Token units.
    /// @param creditorChainId The creditor bank's chain.
    /// @param creditor The customer credited there.
    /// @param deadline Seconds since the epoch, after this block's time: the creditor bank refuses the payment
    /// with `AB05` if it is delivered later.
    /// @param message The pacs.008 XML (UTF-8 bytes); its keccak256 is computed here and recorded.
    /// @return bundleHash The bundle that carries the payment.
    /// @dev The payment is recorded under its UETR as Pending (and the debtor debited) before the bundle is
    /// sent; only the bundle's hash, which the InteropCenter returns, is written after that call.
    function sendPayment(
        bytes16 uetr,
        address debtor,
        uint256 amount,
        uint256 creditorChainId,
        address creditor,
        uint256 deadline,
        bytes calldata message
    ) external onlyOperator returns (bytes32 bundleHash) {
        return _sendPayment(
            OutgoingPayment({
                uetr: uetr,
                messageHash: keccak256(message),
                debtor: debtor,
                amount: amount,
                creditorChainId: creditorChainId,
                creditor: creditor,
                deadline: deadline
            }),
            message
        );
    }

    /// @dev A payment `sendPayment` is asked for, its message's hash computed.
    struct OutgoingPayment {
        bytes16 uetr;
        bytes32 messageHash;
        address debtor;
        uint256 amount;
        uint256 creditorChainId;
        address creditor;
        uint256 deadline;
    }

    /// @dev `sendPayment`'s checks, record, bundle and event.
    function _sendPayment(OutgoingPayment memory out, bytes calldata message) private returns (bytes32 bundleHash) {
        if (out.uetr == bytes16(0)) revert ZeroUetr();
        if (out.amount == 0) revert ZeroAmount();
        if (out.creditor == address(0)) revert ZeroCreditor();
        if (message.length == 0) revert EmptyMessage();
        if (out.deadline <= block.timestamp) revert DeadlinePassed(out.deadline, block.timestamp);
        Payment storage payment = sent[out.uetr];
        if (payment.amount != 0) revert DuplicateUetr(out.uetr, payment.messageHash);
        address correspondent = correspondents[out.creditorChainId];
        if (correspondent == address(0)) revert UnknownCorrespondent(out.creditorChainId);
        uint256 held = cashHeld();
        if (held < out.amount) revert InsufficientCash(held, out.amount);

        payment.messageHash = out.messageHash;
        payment.customer = out.debtor;
        payment.status = PaymentStatus.Pending;
        payment.amount = out.amount;
        payment.counterpartyChainId = out.creditorChainId;
        payment.deadline = out.deadline;
        heldDebits += out.amount;
        depositToken.burn(out.debtor, out.amount);

        bundleHash = _sendWithCash(
            out.creditorChainId,
            correspondent,
            out.amount,
            abi.encode(
                PAYMENT_MESSAGE,
                IncomingPayment({
                    uetr: out.uetr,
                    messageHash: out.messageHash,
                    creditor: out.creditor,
                    amount: out.amount,
                    inputCall: 0,
                    deadline: out.deadline
                }),
                message
            )
        );
        payment.bundleHash = bundleHash;
        emit PaymentSent(out.uetr, out.messageHash, out.debtor, out.amount, out.creditorChainId, out.creditor, bundleHash, out.deadline);
    }

    /// @notice Takes a message from the correspondent bank, delivered by the InteropCenter: a payment (call 1
    /// of the debtor bank's bundle, after its cash) or the answer to one this bank sent.
    ///
    /// A payment: the sender must be the correspondent on its chain and call `inputCall` of the same bundle
    /// must have just delivered exactly `amount` of cash here (else it reverts and the bundle fails). Then
    /// the bank decides, and answers in a bundle to the debtor bank: a UETR received before (`AM05`), a
    /// message whose keccak256 is not `messageHash` or that does not name the UETR as its `UETR` element's
    /// value (`FF01`), a payment delivered after its deadline (`AB05`), a creditor without an open account
    /// (`AC03`) or with a blocked one (`AC06`), an amount above `maxIncomingAmount` (`AM02`) is rejected and
    /// the cash goes back in the answer; otherwise the creditor is credited and the answer is `ACSC`. The
    /// message is emitted (`PaymentMessageReceived`) unless the UETR was received before.
    ///
    /// An answer: the payment must be pending here for that chain, with the same message hash; on `RJCT`,
    /// call `inputCall` of the same bundle must have just returned exactly its amount of cash, and the debtor
    /// is re-credited.
    /// @param sender ERC-7930 address of the correspondent's PaymentBank on its chain.
    /// @param payload A payment `abi.encode(uint8(1), bytes16 uetr, bytes32 messageHash, address creditor,
    /// uint256 amount, uint256 inputCall, uint256 deadline, bytes message)` or an answer `abi.encode(uint8(2), bytes16 uetr, bytes32
    /// messageHash, uint8 status, bytes4 reason, uint256 decidedAt, uint256 inputCall)`.
    /// @return `IERC7786Recipient.receiveMessage.selector`.
    function receiveMessage(bytes32, /* receiveId */ bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4)
    {
        _checkDelivery();
        (uint256 chainId, address bank) = InteroperableAddress.parse(sender);
        if (bank == address(0) || correspondents[chainId] != bank) revert UntrustedBank(chainId, bank);
        uint8 kind = abi.decode(payload, (uint8));
        if (kind == PAYMENT_MESSAGE) _receivePayment(chainId, bank, payload);
        else if (kind == STATUS_MESSAGE) _receiveAnswer(chainId, payload);
        else revert MalformedMessage(kind, PaymentStatus.None, bytes4(0));
        return IERC7786Recipient.receiveMessage.selector;
    }

    /// @dev The body of a payment message (after its kind, before the message's bytes); static, so encoded
    /// inline as its fields.
    struct IncomingPayment {
        bytes16 uetr;
        bytes32 messageHash;
        address creditor;
        uint256 amount;
        uint256 inputCall;
        uint256 deadline;
    }

    /// @dev A payment from the correspondent `bank` on `chainId`: checked, decided, answered.
    function _receivePayment(uint256 chainId, address bank, bytes calldata payload) private {
        (IncomingPayment memory incoming, bytes memory message) = _decodePayment(payload);
        if (incoming.uetr == bytes16(0)) revert ZeroUetr();
        if (incoming.creditor == address(0)) revert ZeroCreditor();
        bytes32 bundleHash = _executingBundle();
        _checkCashReceived(bundleHash, incoming.inputCall, incoming.amount);

        if (received[incoming.uetr].amount != 0) {
            // The UETR's first record stays as it is; the duplicate's cash goes back.
            _answer(chainId, bank, incoming, PaymentStatus.Rejected, REASON_DUPLICATION);
            return;
        }
        bytes32 messageHash = keccak256(message);
        bytes4 reason = messageHash != incoming.messageHash || !PaymentMessageCheck.namesUetr(message, incoming.uetr)
            ? REASON_INVALID_FILE_FORMAT
            : _refusal(incoming);
        Payment storage payment = received[incoming.uetr];
        payment.messageHash = messageHash;
        payment.customer = incoming.creditor;
        payment.amount = incoming.amount;
        payment.counterpartyChainId = chainId;
        payment.bundleHash = bundleHash;
        payment.decidedAt = uint48(block.timestamp);
        payment.deadline = incoming.deadline;
        emit PaymentMessageReceived(incoming.uetr, messageHash, message);
        if (reason != bytes4(0)) {
            payment.status = PaymentStatus.Rejected;
            payment.reason = reason;
            payment.answerBundleHash = _answer(chainId, bank, incoming, PaymentStatus.Rejected, reason);
            return;
        }
        payment.status = PaymentStatus.Accepted;
        emit PaymentReceived(incoming.uetr, messageHash, incoming.creditor, incoming.amount, chainId, bundleHash);
        depositToken.mint(incoming.creditor, incoming.amount);
        payment.answerBundleHash = _answer(chainId, bank, incoming, PaymentStatus.Accepted, bytes4(0));
    }

    /// @dev The body of a payment message (after its kind), and its message.
    function _decodePayment(bytes calldata payload) private pure returns (IncomingPayment memory incoming, bytes memory message) {
        (, incoming, message) = abi.decode(payload, (uint8, IncomingPayment, bytes));
    }

    /// @dev Why this bank refuses an incoming payment whose message checked out (an ISO 20022 reason code),
    /// or zero to accept it.
    function _refusal(IncomingPayment memory incoming) private view returns (bytes4) {
        if (block.timestamp > incoming.deadline) return REASON_TIMEOUT;
        AccountState account = accounts[incoming.creditor];
        if (account == AccountState.None) return REASON_INVALID_CREDITOR_ACCOUNT;
        if (account == AccountState.Blocked) return REASON_BLOCKED_ACCOUNT;
        if (maxIncomingAmount != 0 && incoming.amount > maxIncomingAmount) return REASON_NOT_ALLOWED_AMOUNT;
        return bytes4(0);
    }

    /// @dev Sends the answer to `bank` on `chainId` (a rejection returns the cash in call 0 first) and
    /// announces it.
    function _answer(uint256 chainId, address bank, IncomingPayment memory incoming, PaymentStatus status, bytes4 reason)
        private
        returns (bytes32 answerBundleHash)
    {
        bytes memory answer =
            abi.encode(STATUS_MESSAGE, incoming.uetr, incoming.messageHash, uint8(status), reason, block.timestamp, uint256(0));
        if (status == PaymentStatus.Rejected) {
            answerBundleHash = _sendWithCash(chainId, bank, incoming.amount, answer);
        } else {
            InteropCallStarter[] memory calls = new InteropCallStarter[](1);
            calls[0] = InteropCallStarter({to: bank, data: answer, callAttributes: new bytes[](0)});
            answerBundleHash = InteropCenter(interopCenter).sendBundle(chainId, calls, new bytes[](0));
        }
        emit PaymentAnswered(incoming.uetr, status, reason, incoming.amount, answerBundleHash);
    }

    /// @dev The answer of the creditor bank on `chainId` to a payment sent from here.
    function _receiveAnswer(uint256 chainId, bytes calldata payload) private {
        (, bytes16 uetr, bytes32 messageHash, uint8 rawStatus, bytes4 reason, uint256 decidedAt, uint256 inputCall) =
            abi.decode(payload, (uint8, bytes16, bytes32, uint8, bytes4, uint256, uint256));
        Payment storage payment = sent[uetr];
        if (payment.status != PaymentStatus.Pending || payment.counterpartyChainId != chainId) {
            revert UnexpectedAnswer(uetr, chainId, payment.status);
        }
        if (payment.messageHash != messageHash) revert AnswerMismatch(uetr, payment.messageHash, messageHash);
        bool accepted = rawStatus == uint8(PaymentStatus.Accepted) && reason == bytes4(0);
        bool rejected = rawStatus == uint8(PaymentStatus.Rejected) && reason != bytes4(0);
        if (!accepted && !rejected) revert MalformedMessage(STATUS_MESSAGE, PaymentStatus(rawStatus > 3 ? 0 : rawStatus), reason);
        bytes32 bundleHash = _executingBundle();
        uint256 amount = payment.amount;
        if (rejected) _checkCashReceived(bundleHash, inputCall, amount);

        payment.status = accepted ? PaymentStatus.Accepted : PaymentStatus.Rejected;
        payment.reason = reason;
        payment.decidedAt = uint48(decidedAt);
        payment.answerBundleHash = bundleHash;
        heldDebits -= amount;
        emit PaymentStatusReceived(uetr, payment.status, reason, decidedAt, bundleHash);
        if (rejected) depositToken.mint(payment.customer, amount);
    }

    /// @dev Sends a bundle to `bank` on `chainId`: call 0 moves `amount` of cash from here to `bank` (through
    /// the asset router: burned here, minted there), call 1 delivers `message` to `bank`.
    function _sendWithCash(uint256 chainId, address bank, uint256 amount, bytes memory message) private returns (bytes32) {
        InteropCallStarter[] memory calls = new InteropCallStarter[](2);
        bytes[] memory cashAttributes = new bytes[](1);
        cashAttributes[0] = abi.encodeWithSignature("indirectCall(uint256)", 0);
        calls[0] = InteropCallStarter({to: l2AssetRouter, data: abi.encode(cashAssetId, amount, bank), callAttributes: cashAttributes});
        calls[1] = InteropCallStarter({to: bank, data: message, callAttributes: new bytes[](0)});
        return InteropCenter(interopCenter).sendBundle(chainId, calls, new bytes[](0));
    }

    /// @dev The bundle being executed (the message came with it).
    function _executingBundle() private view returns (bytes32 bundleHash) {
        bundleHash = BundleExecutor(interopHandler).executingBundle();
        if (bundleHash == bytes32(0)) revert NoBundleExecuting();
    }

    /// @dev Call `inputCall` of bundle `bundleHash` must have just delivered exactly `amount` of cash here.
    function _checkCashReceived(bytes32 bundleHash, uint256 inputCall, uint256 amount) private view {
        if (!L2AssetRouter(l2AssetRouter).lastTransferReceived(
                keccak256(abi.encode(bundleHash, inputCall)), cashAssetId, address(this), amount
            )) revert CashNotReceived(inputCall, amount);
    }
}
