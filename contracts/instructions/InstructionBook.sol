// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786GatewaySource, IERC7786Recipient} from "../common/IERC7786.sol";
import {InteropCenterRecipient} from "../common/InteropCenterRecipient.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";
import {SafeERC20Calls} from "../common/SafeERC20Calls.sol";
import {Instruction, InstructionMember, InstructionRules} from "./InstructionTerms.sol";

/// @title InstructionBook
/// @notice One bank's copy of the instructions it shares with other banks (docs/instructions.md). Every member
/// bank of an instruction has a book on its own chain; each book holds a copy, and the copies are kept in step
/// by interop messages (ERC-7786, proven bundles executed by the InteropHandler and delivered by the chain's
/// InteropCenter).
///
/// The state of a copy is the set of votes it knows: for each member, nothing, "approved" or "cancelled". A
/// member votes once, on its own book, by its operator: `approve` (which also escrows its payment) or `cancel`
/// (a veto, allowed only before it approved). Each vote is broadcast to every other member's book, which merges
/// it by union. The status is a function of the votes: Cancelled as soon as one member cancelled, Executed as
/// soon as every member approved, else Proposed. Because a member's vote never changes, no copy can see every
/// member approve while another sees a cancel: whatever the delivery order, however late, every copy ends with
/// the same votes and the same status, and never both executed and cancelled.
///
/// Execution on a copy pays that copy's bank's share (escrowed at its approval) to its payee on this chain;
/// cancellation gives an escrowed share back to the operator who approved it.
contract InstructionBook is InteropCenterRecipient {
    /// @notice A copy's status. `None`: never seen here.
    enum Status {
        None,
        Proposed,
        Executed,
        Cancelled
    }

    /// @notice What a book keeps per instruction (one storage slot).
    struct Copy {
        Status status;
        uint8 memberCount;
        uint8 self; // this book's member index
        uint8 approvedMask; // bit i: member i approved
        uint8 cancelledMask; // bit i: member i cancelled
        bool proposalSeen; // the proposer's proposal is known here
        address funder; // who escrowed this bank's share (0: nothing held)
    }

    /// @notice Copies by instruction id.
    mapping(bytes32 instructionId => Copy) public copies;
    /// @notice The bank's operator: the only account that proposes, approves and cancels on this book.
    address public operator;

    /// @notice The instruction was first seen here: proposed on this book (`viaMember` = this book's index), or
    /// learned from a message of member `viaMember`'s book.
    event InstructionOpened(bytes32 indexed instructionId, uint256 viaMember, Instruction instruction);
    /// @notice The proposer's proposal is known here (proposed on this book, or its message arrived).
    event ProposalRecorded(bytes32 indexed instructionId, uint256 proposer);
    /// @notice Member `memberIndex`'s vote (`InstructionRules.APPROVED` or `CANCELLED`) was merged; the masks and
    /// status after it. A vote that arrives after the copy was cancelled is recorded too (the status stays).
    event VoteRecorded(
        bytes32 indexed instructionId,
        uint256 memberIndex,
        uint8 vote,
        uint8 approvedMask,
        uint8 cancelledMask,
        Status status
    );
    /// @notice Every member approved: the instruction executed here, paying this bank's share `amount` of `token`
    /// to `payee` (all 0 for an instruction without a payment on this chain).
    event InstructionExecuted(bytes32 indexed instructionId, address token, address payee, uint256 amount);
    /// @notice A member cancelled (`cancelledMask`): the instruction is cancelled here; `refund` of `token` went
    /// back to `funder`, who had escrowed it (0 when nothing was held).
    event InstructionCancelled(
        bytes32 indexed instructionId, uint8 cancelledMask, address token, address funder, uint256 refund
    );
    /// @notice This book's transition `kind` was sent to member `toMember`'s book as message `sendId`.
    event UpdateSent(bytes32 indexed instructionId, uint256 toMember, uint8 kind, bytes32 sendId);
    /// @notice A delivered update told nothing new (`kind` from member `memberIndex`, already known here):
    /// recorded as ignored, not refused, so the delivered bundle does not stay failing.
    event UpdateIgnored(bytes32 indexed instructionId, uint256 memberIndex, uint8 kind, Status status);
    /// @notice The operator changed.
    event OperatorChanged(address previous, address next);

    /// @notice Only the operator `operator` may do this; `caller` is not it.
    error NotOperator(address caller, address operator);
    /// @notice The operator cannot be the zero address.
    error ZeroOperator();
    /// @notice This book (`book` on `chainId`) is not a member of the instruction.
    error NotAMember(uint256 chainId, address book);
    /// @notice Only the proposer's book (member `proposer`) proposes; this book is member `self`.
    error NotProposer(uint256 self, uint256 proposer);
    /// @notice The instruction `instructionId` is known here already, with status `status`.
    error InstructionExists(bytes32 instructionId, Status status);
    /// @notice The instruction `instructionId` is not known here: its proposal (or any member's update) has
    /// not been delivered to this book yet.
    error UnknownInstruction(bytes32 instructionId);
    /// @notice The instruction `instructionId` is decided here already (`status`).
    error InstructionDecided(bytes32 instructionId, Status status);
    /// @notice Member `memberIndex` voted already (`vote`): a vote is cast once, and a bank that approved
    /// cannot cancel.
    error AlreadyVoted(bytes32 instructionId, uint256 memberIndex, uint8 vote);
    /// @notice Member `memberIndex`'s update says `received`, but this copy holds `held` from it: a member's
    /// vote never changes, so the update is refused.
    error ConflictingUpdate(bytes32 instructionId, uint256 memberIndex, uint8 held, uint8 received);
    /// @notice A message for member `memberIndex` came from `sender` on `chainId`, not from that member's book.
    error NotMemberBook(uint256 memberIndex, uint256 chainId, address sender);
    /// @notice Member index `memberIndex` is not below the member count `count`.
    error MemberOutOfRange(uint256 memberIndex, uint256 count);
    /// @notice A "proposed" message came from member `memberIndex`, not from the proposer `proposer`.
    error NotFromProposer(uint256 memberIndex, uint256 proposer);
    /// @notice The message kind `kind` is not one of "proposed" (1), "approved" (2), "cancelled" (3).
    error UnknownKind(uint8 kind);

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender, operator);
        _;
    }

    /// @param interopCenter_ The chain's InteropCenter.
    /// @param operator_ The bank's operator.
    constructor(address interopCenter_, address operator_) InteropCenterRecipient(interopCenter_) {
        if (operator_ == address(0)) revert ZeroOperator();
        operator = operator_;
        emit OperatorChanged(address(0), operator_);
    }

    /// @notice Hands the book to another operator. Operator only.
    /// @param next The new operator.
    function setOperator(address next) external onlyOperator {
        if (next == address(0)) revert ZeroOperator();
        emit OperatorChanged(operator, next);
        operator = next;
    }

    /// @notice Proposes `instruction` from this book, the proposer's (operator only): opens the copy here and
    /// sends "proposed" to every other member's book. Proposing is not approving: the proposer approves too.
    /// Refused for an instruction seen here already (`InstructionExists`), a malformed one, one that does not
    /// name this book as its proposer (`NotAMember`, `NotProposer`).
    /// @param instruction The instruction.
    /// @return instructionId `keccak256(abi.encode(instruction))`.
    function propose(Instruction calldata instruction) external onlyOperator returns (bytes32 instructionId) {
        Instruction memory ins = instruction;
        uint256 self = _selfIndex(ins);
        if (self != ins.proposer) revert NotProposer(self, ins.proposer);
        instructionId = InstructionRules.instructionId(ins);
        Copy storage copy = copies[instructionId];
        if (copy.status != Status.None) revert InstructionExists(instructionId, copy.status);
        _open(copy, instructionId, ins, self, self);
        copy.proposalSeen = true;
        emit ProposalRecorded(instructionId, self);
        _broadcast(instructionId, ins, self, InstructionRules.PROPOSED);
    }

    /// @notice This bank approves `instruction` (operator only): takes its share (the member's `amount` of
    /// `token`; approve this book first) into escrow here, records the vote, sends "approved" to every other
    /// member's book, and executes here if every member's approval is now known. Refused before the instruction
    /// is known here (`UnknownInstruction`), once decided here (`InstructionDecided`), and after this bank voted
    /// (`AlreadyVoted`).
    /// @param instruction The instruction.
    /// @return instructionId Its id.
    function approve(Instruction calldata instruction) external onlyOperator returns (bytes32 instructionId) {
        Instruction memory ins = instruction;
        Copy storage copy;
        (instructionId, copy) = _localVote(ins);
        InstructionMember memory me = ins.members[copy.self];
        copy.approvedMask |= uint8(1 << copy.self);
        if (me.token != address(0)) copy.funder = msg.sender;
        if (me.token != address(0)) SafeERC20Calls.safeTransferFrom(me.token, msg.sender, address(this), me.amount);
        _broadcast(instructionId, ins, copy.self, InstructionRules.APPROVED);
        _settle(copy, instructionId, ins);
        emit VoteRecorded(
            instructionId, copy.self, InstructionRules.APPROVED, copy.approvedMask, copy.cancelledMask, copy.status
        );
    }

    /// @notice This bank cancels `instruction` (operator only): a veto, allowed only while this bank has not
    /// approved (`AlreadyVoted` after) and the copy here is not decided (`InstructionDecided`). Decides
    /// Cancelled here at once and sends "cancelled" to every other member's book: every copy that learns it is
    /// cancelled, and none can execute, because this bank's approval, needed by every copy, will never come.
    /// @param instruction The instruction.
    /// @return instructionId Its id.
    function cancel(Instruction calldata instruction) external onlyOperator returns (bytes32 instructionId) {
        Instruction memory ins = instruction;
        Copy storage copy;
        (instructionId, copy) = _localVote(ins);
        copy.cancelledMask |= uint8(1 << copy.self);
        _settle(copy, instructionId, ins);
        emit VoteRecorded(
            instructionId, copy.self, InstructionRules.CANCELLED, copy.approvedMask, copy.cancelledMask, copy.status
        );
        _broadcast(instructionId, ins, copy.self, InstructionRules.CANCELLED);
    }

    /// @notice Takes another member book's update (ERC-7786, through the chain's InteropCenter only) and merges
    /// it: opens the copy on first sight (any member's update carries the whole instruction), records the
    /// proposal or the member's vote, and decides if the votes now decide. An update that tells nothing new is
    /// ignored with `UpdateIgnored`; one that contradicts a vote held here is refused (`ConflictingUpdate`).
    /// Messages are accepted in any order: a vote may arrive before the proposal.
    /// @param sender ERC-7930 address of the member's book (on its chain).
    /// @param payload `abi.encode(uint8 kind, Instruction instruction, uint256 memberIndex)`.
    /// @return `IERC7786Recipient.receiveMessage.selector`.
    function receiveMessage(bytes32, /* receiveId */ bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4)
    {
        _checkDelivery();
        (uint8 kind, Instruction memory ins, uint256 memberIndex) = InstructionRules.decode(payload);
        if (kind < InstructionRules.PROPOSED || kind > InstructionRules.CANCELLED) revert UnknownKind(kind);
        uint256 self = _selfIndex(ins);
        if (memberIndex >= ins.members.length) revert MemberOutOfRange(memberIndex, ins.members.length);
        (uint256 chainId, address from) = InteroperableAddress.parse(sender);
        InstructionMember memory member = ins.members[memberIndex];
        // A book never sends to itself (a gateway sends only to other chains): an update for this book's own
        // member index can only be forged.
        if (chainId != member.chainId || from != member.book || memberIndex == self) {
            revert NotMemberBook(memberIndex, chainId, from);
        }

        bytes32 instructionId = InstructionRules.instructionId(ins);
        Copy storage copy = copies[instructionId];
        if (copy.status == Status.None) _open(copy, instructionId, ins, self, memberIndex);

        if (kind == InstructionRules.PROPOSED) {
            if (memberIndex != ins.proposer) revert NotFromProposer(memberIndex, ins.proposer);
            if (copy.proposalSeen) {
                emit UpdateIgnored(instructionId, memberIndex, kind, copy.status);
            } else {
                copy.proposalSeen = true;
                emit ProposalRecorded(instructionId, memberIndex);
            }
            return IERC7786Recipient.receiveMessage.selector;
        }

        uint8 bit = uint8(1 << memberIndex);
        uint8 held = copy.approvedMask & bit != 0
            ? InstructionRules.APPROVED
            : (copy.cancelledMask & bit != 0 ? InstructionRules.CANCELLED : 0);
        if (held == kind) {
            emit UpdateIgnored(instructionId, memberIndex, kind, copy.status);
            return IERC7786Recipient.receiveMessage.selector;
        }
        if (held != 0) revert ConflictingUpdate(instructionId, memberIndex, held, kind);
        if (kind == InstructionRules.APPROVED) copy.approvedMask |= bit;
        else copy.cancelledMask |= bit;
        _settle(copy, instructionId, ins);
        emit VoteRecorded(instructionId, memberIndex, kind, copy.approvedMask, copy.cancelledMask, copy.status);
        return IERC7786Recipient.receiveMessage.selector;
    }

    /// @notice A copy's status, the members that approved and cancelled (bit i = member i), whether the proposal
    /// is known here, the member count and this book's member index.
    /// @param instructionId The instruction's id.
    function instructionStatus(bytes32 instructionId)
        external
        view
        returns (
            Status status,
            uint8 approvedMask,
            uint8 cancelledMask,
            bool proposalSeen,
            uint8 memberCount,
            uint8 self
        )
    {
        Copy memory copy = copies[instructionId];
        return (copy.status, copy.approvedMask, copy.cancelledMask, copy.proposalSeen, copy.memberCount, copy.self);
    }

    /// @dev The checks shared by `approve` and `cancel`: a known, undecided instruction this bank has not voted on.
    function _localVote(Instruction memory ins) private view returns (bytes32 instructionId, Copy storage copy) {
        _selfIndex(ins);
        instructionId = InstructionRules.instructionId(ins);
        copy = copies[instructionId];
        if (copy.status == Status.None) revert UnknownInstruction(instructionId);
        if (copy.status != Status.Proposed) revert InstructionDecided(instructionId, copy.status);
        uint8 bit = uint8(1 << copy.self);
        if (copy.approvedMask & bit != 0) revert AlreadyVoted(instructionId, copy.self, InstructionRules.APPROVED);
        if (copy.cancelledMask & bit != 0) revert AlreadyVoted(instructionId, copy.self, InstructionRules.CANCELLED);
    }

    /// @dev Checks the instruction and returns this book's member index in it.
    function _selfIndex(Instruction memory ins) private view returns (uint256) {
        InstructionRules.check(ins);
        for (uint256 i = 0; i < ins.members.length; ++i) {
            if (ins.members[i].chainId == block.chainid && ins.members[i].book == address(this)) return i;
        }
        revert NotAMember(block.chainid, address(this));
    }

    function _open(Copy storage copy, bytes32 instructionId, Instruction memory ins, uint256 self, uint256 via)
        private
    {
        copy.status = Status.Proposed;
        copy.memberCount = uint8(ins.members.length);
        copy.self = uint8(self);
        emit InstructionOpened(instructionId, via, ins);
    }

    /// @dev Decides from the votes, once: Cancelled if any member cancelled, Executed if every member approved.
    /// The status is written before the payout or the refund (checks-effects-interactions).
    function _settle(Copy storage copy, bytes32 instructionId, Instruction memory ins) private {
        if (copy.status != Status.Proposed) return;
        InstructionMember memory me = ins.members[copy.self];
        address funder = copy.funder;
        if (copy.cancelledMask != 0) {
            copy.status = Status.Cancelled;
            copy.funder = address(0);
            uint256 refund = funder == address(0) ? 0 : me.amount;
            emit InstructionCancelled(instructionId, copy.cancelledMask, me.token, funder, refund);
            if (refund != 0) SafeERC20Calls.safeTransfer(me.token, funder, refund);
        } else if (copy.approvedMask == uint8((uint256(1) << copy.memberCount) - 1)) {
            copy.status = Status.Executed;
            copy.funder = address(0);
            emit InstructionExecuted(instructionId, me.token, me.payee, me.amount);
            if (me.token != address(0)) SafeERC20Calls.safeTransfer(me.token, me.payee, me.amount);
        }
    }

    /// @dev Sends this book's transition `kind` to every other member's book.
    function _broadcast(bytes32 instructionId, Instruction memory ins, uint256 self, uint8 kind) private {
        bytes memory payload = InstructionRules.encode(kind, ins, self);
        for (uint256 i = 0; i < ins.members.length; ++i) {
            if (i == self) continue;
            bytes32 sendId = IERC7786GatewaySource(interopCenter).sendMessage(
                InteroperableAddress.format(ins.members[i].chainId, ins.members[i].book), payload, new bytes[](0)
            );
            emit UpdateSent(instructionId, i, kind, sendId);
        }
    }
}
