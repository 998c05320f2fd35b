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
/// A copy holds, for each member, its latest vote and that vote's version. A member votes only on its own book:
/// `approve` (escrows its share; revocable), `withdraw` (its approval, the share back), `confirm` (final: only
/// while its own chain's clock is before the expiry, with every member's approval known here), `cancel` (final
/// veto, any time before it confirmed) and `expire` (final, by anyone, once its own chain's clock reached the
/// expiry and it has not confirmed). Each vote increments the member's version and is broadcast to every other
/// member's book, which keeps it only if its version is higher than the one it holds: a late or reordered
/// message never brings back an older vote.
///
/// A copy executes once it holds every member's confirmation; it ends cancelled (or expired) once it holds one
/// member's cancel (or expiry). A member's final vote is written once, by its own book, so no member is ever
/// both confirmed and cancelled or expired: no copy can execute while another ends cancelled or expired, and once
/// every message is delivered every copy holds every member's final vote.
///
/// Execution on a copy pays that copy's bank's share (escrowed at its approval) to its payee on this chain; a
/// cancelled or expired copy gives an escrowed share back to the operator who approved.
contract InstructionBook is InteropCenterRecipient {
    /// @notice A copy's status. `None`: never seen here.
    enum Status {
        None,
        Proposed,
        Executed,
        Cancelled,
        Expired
    }

    /// @notice What a book keeps per instruction (one storage slot); the members' vote versions are in `_versions`.
    /// A member's vote is the mask that holds its bit; none with a version above 0 is "withdrawn".
    struct Copy {
        Status status;
        uint8 memberCount;
        uint8 self; // this book's member index
        bool proposalSeen; // the proposer's proposal is known here
        uint8 approvedMask; // bit i: member i's latest vote is "approved"
        uint8 confirmedMask; // bit i: member i confirmed
        uint8 cancelledMask; // bit i: member i cancelled
        uint8 expiredMask; // bit i: member i expired
        address funder; // who escrowed this bank's share (0: nothing held)
    }

    /// @notice One member's vote as a copy holds it (see `InstructionRules`: NONE, APPROVED, WITHDRAWN, CONFIRMED,
    /// CANCELLED, EXPIRED) and its version (0: no vote seen).
    struct MemberVote {
        uint8 vote;
        uint32 version;
    }

    /// @notice A copy as `instructionStatus` returns it.
    struct CopyView {
        Status status;
        bool proposalSeen;
        /// @dev This book's member index.
        uint8 self;
        /// @dev Each member's vote and version, in member order (empty for a copy never seen).
        MemberVote[] votes;
    }

    /// @notice Copies by instruction id.
    mapping(bytes32 instructionId => Copy) public copies;
    /// @dev Each member's vote version by instruction id (member i at index i).
    mapping(bytes32 instructionId => uint32[8]) private _versions;
    /// @notice The bank's operator: the only account that proposes, approves, withdraws, confirms and cancels here.
    address public operator;

    /// @notice The instruction was first seen here: proposed on this book (`viaMember` = this book's index), or
    /// learned from a message of member `viaMember`'s book.
    event InstructionOpened(bytes32 indexed instructionId, uint256 viaMember, Instruction instruction);
    /// @notice The proposer's proposal is known here (proposed on this book, or its message arrived).
    event ProposalRecorded(bytes32 indexed instructionId, uint256 proposer);
    /// @notice Member `memberIndex`'s vote `vote` (an `InstructionRules` kind) of version `version` is now held here;
    /// the copy's status after it. A vote that arrives after the copy was decided is recorded too (the status stays).
    event VoteRecorded(bytes32 indexed instructionId, uint256 memberIndex, uint8 vote, uint32 version, Status status);
    /// @notice Every member confirmed: the instruction executed here, paying this bank's share `amount` of `token`
    /// to `payee` (all 0 for an instruction without a payment on this chain).
    event InstructionExecuted(bytes32 indexed instructionId, address token, address payee, uint256 amount);
    /// @notice A member cancelled (`cancelledMask`): the instruction is cancelled here; `refund` of `token` went
    /// back to `funder`, who had escrowed it (0 when nothing was held).
    event InstructionCancelled(
        bytes32 indexed instructionId, uint8 cancelledMask, address token, address funder, uint256 refund
    );
    /// @notice A member's copy expired (`expiredMask`) before it confirmed: the instruction is expired here; `refund`
    /// of `token` went back to `funder` (0 when nothing was held).
    event InstructionExpired(
        bytes32 indexed instructionId, uint8 expiredMask, address token, address funder, uint256 refund
    );
    /// @notice This bank withdrew its approval: `amount` of `token` went back to `funder`.
    event EscrowReturned(bytes32 indexed instructionId, address token, address funder, uint256 amount);
    /// @notice This book's transition `kind` was sent to member `toMember`'s book as message `sendId`.
    event UpdateSent(bytes32 indexed instructionId, uint256 toMember, uint8 kind, bytes32 sendId);
    /// @notice A delivered update told nothing new (`kind` of version `version` from member `memberIndex`: the
    /// same vote, or one older than the version held here): ignored, not refused, so the delivered bundle does not
    /// stay failing.
    event UpdateIgnored(bytes32 indexed instructionId, uint256 memberIndex, uint8 kind, uint32 version, Status status);
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
    /// @notice This bank's vote is `vote` (an `InstructionRules` kind), from which this step is not allowed: approve
    /// needs none or withdrawn; withdraw and confirm need approved; cancel and expire need a vote that is not final.
    error WrongVote(bytes32 instructionId, uint256 memberIndex, uint8 vote);
    /// @notice This chain's clock (`timestamp`) reached the expiry `expiry`: no more proposing, approving or
    /// confirming here.
    error ExpiryReached(bytes32 instructionId, uint64 expiry, uint256 timestamp);
    /// @notice This chain's clock (`timestamp`) has not reached the expiry `expiry`: too early to expire.
    error ExpiryNotReached(bytes32 instructionId, uint64 expiry, uint256 timestamp);
    /// @notice A bank confirms only once this copy knows every member's approval: `missingMask` have none.
    error ApprovalsMissing(bytes32 instructionId, uint8 missingMask);
    /// @notice Member `memberIndex`'s update says `received` at version `version`, but this copy holds `held` at
    /// `heldVersion`: the same version with another vote, or a vote after a final one. A member's book never sends
    /// that, so the update is refused.
    error ConflictingUpdate(
        bytes32 instructionId, uint256 memberIndex, uint8 held, uint32 heldVersion, uint8 received, uint32 version
    );
    /// @notice A message for member `memberIndex` came from `sender` on `chainId`, not from that member's book.
    error NotMemberBook(uint256 memberIndex, uint256 chainId, address sender);
    /// @notice Member index `memberIndex` is not below the member count `count`.
    error MemberOutOfRange(uint256 memberIndex, uint256 count);
    /// @notice A "proposed" message came from member `memberIndex`, not from the proposer `proposer`.
    error NotFromProposer(uint256 memberIndex, uint256 proposer);
    /// @notice The message kind `kind` is not one of 1 (proposed) to 6 (expired).
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
    /// name this book as its proposer (`NotAMember`, `NotProposer`), and once this chain's clock reached its expiry.
    /// @param instruction The instruction.
    /// @return instructionId `keccak256(abi.encode(instruction))`.
    function propose(Instruction calldata instruction) external onlyOperator returns (bytes32 instructionId) {
        Instruction memory ins = instruction;
        uint256 self = _selfIndex(ins);
        if (self != ins.proposer) revert NotProposer(self, ins.proposer);
        instructionId = InstructionRules.instructionId(ins);
        Copy storage copy = copies[instructionId];
        if (copy.status != Status.None) revert InstructionExists(instructionId, copy.status);
        _beforeExpiry(instructionId, ins);
        _open(copy, instructionId, ins, self, self);
        copy.proposalSeen = true;
        emit ProposalRecorded(instructionId, self);
        _broadcast(instructionId, ins, self, InstructionRules.PROPOSED, 0);
    }

    /// @notice This bank approves `instruction` (operator only): takes its share (the member's `amount` of `token`;
    /// approve this book first) into escrow here, records the vote and sends it to every other member's book. An
    /// approval is revocable (`withdraw`) until the bank confirms. Refused before the instruction is known here
    /// (`UnknownInstruction`), once decided here (`InstructionDecided`), unless the bank's vote is none or withdrawn
    /// (`WrongVote`), and once this chain's clock reached the expiry (`ExpiryReached`).
    /// @param instruction The instruction.
    /// @return instructionId Its id.
    function approve(Instruction calldata instruction) external onlyOperator returns (bytes32 instructionId) {
        Instruction memory ins = instruction;
        Copy storage copy;
        (instructionId, copy) = _undecided(ins);
        _needVote(instructionId, copy, InstructionRules.NONE, InstructionRules.WITHDRAWN);
        _beforeExpiry(instructionId, ins);
        InstructionMember memory me = ins.members[copy.self];
        if (me.token != address(0)) copy.funder = msg.sender;
        _ownVote(copy, instructionId, ins, InstructionRules.APPROVED);
        if (me.token != address(0)) SafeERC20Calls.safeTransferFrom(me.token, msg.sender, address(this), me.amount);
    }

    /// @notice This bank withdraws its approval (operator only): its escrowed share goes back to who paid it, and
    /// "withdrawn" (a newer version than its approval) goes to every other member's book. Refused unless the bank's
    /// vote is approved (`WrongVote`: not after confirming) and the copy is undecided.
    /// @param instruction The instruction.
    /// @return instructionId Its id.
    function withdraw(Instruction calldata instruction) external onlyOperator returns (bytes32 instructionId) {
        Instruction memory ins = instruction;
        Copy storage copy;
        (instructionId, copy) = _undecided(ins);
        _needVote(instructionId, copy, InstructionRules.APPROVED, InstructionRules.APPROVED);
        _ownVote(copy, instructionId, ins, InstructionRules.WITHDRAWN);
        _returnEscrow(copy, instructionId, ins);
    }

    /// @notice This bank confirms (operator only): final, it can no longer withdraw or cancel; the instruction
    /// executes on every copy once every member confirmed. Only while this chain's clock is before the expiry
    /// (`ExpiryReached`), with the bank's own approval (`WrongVote`) and every member's approval or confirmation
    /// known here (`ApprovalsMissing`).
    /// @param instruction The instruction.
    /// @return instructionId Its id.
    function confirm(Instruction calldata instruction) external onlyOperator returns (bytes32 instructionId) {
        Instruction memory ins = instruction;
        Copy storage copy;
        (instructionId, copy) = _undecided(ins);
        _needVote(instructionId, copy, InstructionRules.APPROVED, InstructionRules.APPROVED);
        _beforeExpiry(instructionId, ins);
        uint8 all = uint8((uint256(1) << copy.memberCount) - 1);
        uint8 missing = all & ~(copy.approvedMask | copy.confirmedMask);
        if (missing != 0) revert ApprovalsMissing(instructionId, missing);
        _ownVote(copy, instructionId, ins, InstructionRules.CONFIRMED);
        _settle(copy, instructionId, ins);
    }

    /// @notice This bank cancels (operator only): a final veto, allowed while the copy is undecided and the bank has
    /// not confirmed (`WrongVote`), also after an approval (its share goes back). Decides Cancelled here at once and
    /// sends "cancelled" to every other member's book: no copy can execute, since this bank will never confirm.
    /// @param instruction The instruction.
    /// @return instructionId Its id.
    function cancel(Instruction calldata instruction) external onlyOperator returns (bytes32 instructionId) {
        Instruction memory ins = instruction;
        Copy storage copy;
        (instructionId, copy) = _undecided(ins);
        _needNotFinal(instructionId, copy);
        _ownVote(copy, instructionId, ins, InstructionRules.CANCELLED);
        _settle(copy, instructionId, ins);
    }

    /// @notice Expires this copy: anyone may call it once this chain's block timestamp reached the instruction's
    /// expiry (`ExpiryNotReached` before) while the copy is undecided and this bank has not confirmed (`WrongVote`:
    /// a copy whose bank confirmed waits for the other members' final votes, which their own books send). Records
    /// "expired" as this bank's final vote, decides Expired here (its share goes back) and sends it to every other
    /// member's book.
    /// @param instruction The instruction.
    /// @return instructionId Its id.
    function expire(Instruction calldata instruction) external returns (bytes32 instructionId) {
        Instruction memory ins = instruction;
        Copy storage copy;
        (instructionId, copy) = _undecided(ins);
        if (block.timestamp < ins.expiry) revert ExpiryNotReached(instructionId, ins.expiry, block.timestamp);
        _needNotFinal(instructionId, copy);
        _ownVote(copy, instructionId, ins, InstructionRules.EXPIRED);
        _settle(copy, instructionId, ins);
    }

    /// @notice Takes another member book's update (ERC-7786, through the chain's InteropCenter only) and merges
    /// it: opens the copy on first sight (any member's update carries the whole instruction), records the proposal,
    /// or the member's vote if its version is above the one held, and decides if the votes now decide. An update
    /// that tells nothing new (the same vote, an older version) is ignored with `UpdateIgnored`; one that
    /// contradicts what is held (`ConflictingUpdate`) is refused. No clock is read: a confirmation arriving after the
    /// expiry counts, since its own book accepted it before. Messages are accepted in any order.
    /// @param sender ERC-7930 address of the member's book (on its chain).
    /// @param payload `abi.encode(uint8 kind, Instruction instruction, uint256 memberIndex, uint32 version)`.
    /// @return `IERC7786Recipient.receiveMessage.selector`.
    function receiveMessage(bytes32, /* receiveId */ bytes calldata sender, bytes calldata payload)
        external
        payable
        returns (bytes4)
    {
        _checkDelivery();
        (uint8 kind, Instruction memory ins, uint256 memberIndex, uint32 version) = InstructionRules.decode(payload);
        if (kind < InstructionRules.PROPOSED || kind > InstructionRules.EXPIRED) revert UnknownKind(kind);
        uint256 self = _selfIndex(ins);
        _checkSender(ins, sender, memberIndex, self);

        bytes32 instructionId = InstructionRules.instructionId(ins);
        Copy storage copy = copies[instructionId];
        if (copy.status == Status.None) _open(copy, instructionId, ins, self, memberIndex);

        if (kind == InstructionRules.PROPOSED) {
            if (memberIndex != ins.proposer) revert NotFromProposer(memberIndex, ins.proposer);
            if (copy.proposalSeen) {
                emit UpdateIgnored(instructionId, memberIndex, kind, version, copy.status);
            } else {
                copy.proposalSeen = true;
                emit ProposalRecorded(instructionId, memberIndex);
            }
            return IERC7786Recipient.receiveMessage.selector;
        }

        uint32 heldVersion = _versions[instructionId][memberIndex];
        uint8 held = _voteOf(copy, memberIndex, heldVersion);
        if (version < heldVersion || (version == heldVersion && kind == held)) {
            emit UpdateIgnored(instructionId, memberIndex, kind, version, copy.status);
            return IERC7786Recipient.receiveMessage.selector;
        }
        if (version == heldVersion || InstructionRules.isFinal(held)) {
            revert ConflictingUpdate(instructionId, memberIndex, held, heldVersion, kind, version);
        }
        _record(copy, instructionId, memberIndex, kind, version);
        _settle(copy, instructionId, ins);
        emit VoteRecorded(instructionId, memberIndex, kind, version, copy.status);
        return IERC7786Recipient.receiveMessage.selector;
    }

    /// @notice A copy: its status, whether the proposal is known here, this book's member index, and each member's
    /// vote and version as known here.
    /// @param instructionId The instruction's id.
    function instructionStatus(bytes32 instructionId) external view returns (CopyView memory view_) {
        Copy memory copy = copies[instructionId];
        uint32[8] memory versions = _versions[instructionId];
        view_.status = copy.status;
        view_.proposalSeen = copy.proposalSeen;
        view_.self = copy.self;
        view_.votes = new MemberVote[](copy.memberCount);
        for (uint256 i = 0; i < copy.memberCount; ++i) {
            view_.votes[i] = MemberVote(_voteOf(copy, i, versions[i]), versions[i]);
        }
    }

    /// @dev A known, undecided copy of a well-formed instruction naming this book.
    function _undecided(Instruction memory ins) private view returns (bytes32 instructionId, Copy storage copy) {
        _selfIndex(ins);
        instructionId = InstructionRules.instructionId(ins);
        copy = copies[instructionId];
        if (copy.status == Status.None) revert UnknownInstruction(instructionId);
        if (copy.status != Status.Proposed) revert InstructionDecided(instructionId, copy.status);
    }

    /// @dev Reverts `WrongVote` unless this bank's vote is `a` or `b`.
    function _needVote(bytes32 instructionId, Copy storage copy, uint8 a, uint8 b) private view {
        uint8 vote = _voteOf(copy, copy.self, _versions[instructionId][copy.self]);
        if (vote != a && vote != b) revert WrongVote(instructionId, copy.self, vote);
    }

    /// @dev Reverts `WrongVote` if this bank's vote is final.
    function _needNotFinal(bytes32 instructionId, Copy storage copy) private view {
        uint8 vote = _voteOf(copy, copy.self, _versions[instructionId][copy.self]);
        if (InstructionRules.isFinal(vote)) revert WrongVote(instructionId, copy.self, vote);
    }

    function _beforeExpiry(bytes32 instructionId, Instruction memory ins) private view {
        if (block.timestamp >= ins.expiry) revert ExpiryReached(instructionId, ins.expiry, block.timestamp);
    }

    /// @dev This bank's own vote: the next version, recorded, then sent to every other member's book.
    function _ownVote(Copy storage copy, bytes32 instructionId, Instruction memory ins, uint8 vote) private {
        uint256 self = copy.self;
        uint32 version = _versions[instructionId][self] + 1;
        _record(copy, instructionId, self, vote, version);
        emit VoteRecorded(instructionId, self, vote, version, copy.status);
        _broadcast(instructionId, ins, self, vote, version);
    }

    function _record(Copy storage copy, bytes32 instructionId, uint256 memberIndex, uint8 vote, uint32 version)
        private
    {
        uint8 bit = uint8(1 << memberIndex);
        copy.approvedMask = vote == InstructionRules.APPROVED ? copy.approvedMask | bit : copy.approvedMask & ~bit;
        copy.confirmedMask = vote == InstructionRules.CONFIRMED ? copy.confirmedMask | bit : copy.confirmedMask & ~bit;
        copy.cancelledMask = vote == InstructionRules.CANCELLED ? copy.cancelledMask | bit : copy.cancelledMask & ~bit;
        copy.expiredMask = vote == InstructionRules.EXPIRED ? copy.expiredMask | bit : copy.expiredMask & ~bit;
        _versions[instructionId][memberIndex] = version;
    }

    /// @dev Member `memberIndex`'s vote in `copy`, from the masks and its version.
    function _voteOf(Copy memory copy, uint256 memberIndex, uint32 version) private pure returns (uint8) {
        uint8 bit = uint8(1 << memberIndex);
        if (copy.approvedMask & bit != 0) return InstructionRules.APPROVED;
        if (copy.confirmedMask & bit != 0) return InstructionRules.CONFIRMED;
        if (copy.cancelledMask & bit != 0) return InstructionRules.CANCELLED;
        if (copy.expiredMask & bit != 0) return InstructionRules.EXPIRED;
        return version == 0 ? InstructionRules.NONE : InstructionRules.WITHDRAWN;
    }

    /// @dev A message for member `memberIndex` must come from that member's book on its chain, never this book's own.
    function _checkSender(Instruction memory ins, bytes calldata sender, uint256 memberIndex, uint256 self)
        private
        pure
    {
        if (memberIndex >= ins.members.length) revert MemberOutOfRange(memberIndex, ins.members.length);
        (uint256 chainId, address from) = InteroperableAddress.parse(sender);
        InstructionMember memory member = ins.members[memberIndex];
        // A book never sends to itself (a gateway sends only to other chains): an update for this book's own
        // member index can only be forged.
        if (chainId != member.chainId || from != member.book || memberIndex == self) {
            revert NotMemberBook(memberIndex, chainId, from);
        }
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

    /// @dev Gives this bank's escrowed share back to who paid it (a withdrawal).
    function _returnEscrow(Copy storage copy, bytes32 instructionId, Instruction memory ins) private {
        address funder = copy.funder;
        if (funder == address(0)) return;
        copy.funder = address(0);
        InstructionMember memory me = ins.members[copy.self];
        emit EscrowReturned(instructionId, me.token, funder, me.amount);
        SafeERC20Calls.safeTransfer(me.token, funder, me.amount);
    }

    /// @dev Decides from the final votes, once: Cancelled if a member cancelled, else Expired if a member expired,
    /// else Executed if every member confirmed. The status is written before the payout or the refund
    /// (checks-effects-interactions).
    function _settle(Copy storage copy, bytes32 instructionId, Instruction memory ins) private {
        if (copy.status != Status.Proposed) return;
        InstructionMember memory me = ins.members[copy.self];
        address funder = copy.funder;
        uint256 refund = funder == address(0) ? 0 : me.amount;
        if (copy.cancelledMask != 0) {
            copy.status = Status.Cancelled;
            copy.funder = address(0);
            emit InstructionCancelled(instructionId, copy.cancelledMask, me.token, funder, refund);
            if (refund != 0) SafeERC20Calls.safeTransfer(me.token, funder, refund);
        } else if (copy.expiredMask != 0) {
            copy.status = Status.Expired;
            copy.funder = address(0);
            emit InstructionExpired(instructionId, copy.expiredMask, me.token, funder, refund);
            if (refund != 0) SafeERC20Calls.safeTransfer(me.token, funder, refund);
        } else if (copy.confirmedMask == uint8((uint256(1) << copy.memberCount) - 1)) {
            copy.status = Status.Executed;
            copy.funder = address(0);
            emit InstructionExecuted(instructionId, me.token, me.payee, me.amount);
            if (me.token != address(0)) SafeERC20Calls.safeTransfer(me.token, me.payee, me.amount);
        }
    }

    /// @dev Sends this book's transition `kind` (version `version`) to every other member's book.
    function _broadcast(bytes32 instructionId, Instruction memory ins, uint256 self, uint8 kind, uint32 version)
        private
    {
        bytes memory payload = InstructionRules.encode(kind, ins, self, version);
        for (uint256 i = 0; i < ins.members.length; ++i) {
            if (i == self) continue;
            bytes32 sendId = IERC7786GatewaySource(interopCenter).sendMessage(
                InteroperableAddress.format(ins.members[i].chainId, ins.members[i].book), payload, new bytes[](0)
            );
            emit UpdateSent(instructionId, i, kind, sendId);
        }
    }
}
