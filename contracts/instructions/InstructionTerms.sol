// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice One bank of a shared instruction: its InstructionBook on its chain, and what it pays on that chain
/// when the instruction executes (`amount` of `token` to `payee`; `token` 0 and `amount` 0: nothing, the
/// execution is only recorded).
struct InstructionMember {
    uint256 chainId;
    address book;
    address token;
    uint256 amount;
    address payee;
}

/// @notice An instruction shared by 2 to 8 banks, one copy in each member's book. Its id is
/// `keccak256(abi.encode(instruction))`: the member set, each bank's payment, the expiry and the proposer are fixed
/// with it.
struct Instruction {
    /// @dev Hash of the instruction's terms off chain (e.g. a syndicated loan's payment notice).
    bytes32 termsHash;
    /// @dev Anything the proposer chooses, so the same terms twice have two ids.
    bytes32 salt;
    /// @dev Unix time (seconds): a bank confirms only while its own chain's block timestamp is below it; from it on,
    /// anyone may expire a copy whose bank has not confirmed.
    uint64 expiry;
    /// @dev Index of the member whose book proposes it.
    uint256 proposer;
    InstructionMember[] members;
}

/// @title InstructionRules
/// @notice What every InstructionBook checks the same way: the instruction id, a well-formed member set, and the
/// messages between the books (docs/instructions.md, docs/protocol.md section 15).
library InstructionRules {
    /// @notice Most members (banks) of one instruction: the vote masks are 8 bits.
    uint256 internal constant MAX_MEMBERS = 8;
    /// @notice Message kinds, each the transition of the sending member's own book, and the votes a member holds:
    /// `abi.encode(uint8 kind, Instruction instruction, uint256 memberIndex, uint32 version)`. `version` counts the
    /// sending member's votes (1 for its first); "proposed" carries 0. Confirmed, cancelled and expired are final:
    /// a member's book sends nothing for it after one of them.
    uint8 internal constant NONE = 0;
    uint8 internal constant PROPOSED = 1;
    uint8 internal constant APPROVED = 2;
    uint8 internal constant WITHDRAWN = 3;
    uint8 internal constant CONFIRMED = 4;
    uint8 internal constant CANCELLED = 5;
    uint8 internal constant EXPIRED = 6;

    /// @notice The instruction has `count` members; it needs 2 to 8.
    error WrongMemberCount(uint256 count);
    /// @notice Member `memberIndex` has chain id 0, no book, or a payment that is not all set (token, amount
    /// above 0, payee) nor all empty (token 0 and amount 0).
    error InvalidMember(uint256 memberIndex);
    /// @notice Members `first` and `second` are on the same chain `chainId`: one book per bank chain (a gateway
    /// sends only to other chains).
    error SameChainTwice(uint256 first, uint256 second, uint256 chainId);
    /// @notice The instruction has no expiry (0).
    error NoExpiry();
    /// @notice The proposer index `proposer` is not below the member count `count`.
    error ProposerOutOfRange(uint256 proposer, uint256 count);

    /// @notice The instruction id: `keccak256(abi.encode(instruction))`.
    function instructionId(Instruction memory instruction) internal pure returns (bytes32) {
        return keccak256(abi.encode(instruction));
    }

    /// @notice Reverts unless the instruction has an expiry, 2 to 8 members on distinct chains, each with a book and a
    /// payment all set or all empty, and a proposer among them.
    function check(Instruction memory instruction) internal pure {
        if (instruction.expiry == 0) revert NoExpiry();
        uint256 count = instruction.members.length;
        if (count < 2 || count > MAX_MEMBERS) revert WrongMemberCount(count);
        if (instruction.proposer >= count) revert ProposerOutOfRange(instruction.proposer, count);
        for (uint256 i = 0; i < count; ++i) {
            InstructionMember memory m = instruction.members[i];
            bool pays = m.token != address(0);
            if (m.chainId == 0 || m.book == address(0) || (pays != (m.amount != 0)) || (pays != (m.payee != address(0)))) {
                revert InvalidMember(i);
            }
            for (uint256 j = 0; j < i; ++j) {
                if (instruction.members[j].chainId == m.chainId) revert SameChainTwice(j, i, m.chainId);
            }
        }
    }

    /// @notice Decodes a book's message.
    function decode(bytes calldata payload)
        internal
        pure
        returns (uint8 kind, Instruction memory instruction, uint256 memberIndex, uint32 version)
    {
        return abi.decode(payload, (uint8, Instruction, uint256, uint32));
    }

    /// @notice Encodes a book's message.
    function encode(uint8 kind, Instruction memory instruction, uint256 memberIndex, uint32 version)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encode(kind, instruction, memberIndex, version);
    }

    /// @notice Whether `vote` is final (confirmed, cancelled or expired): nothing follows it.
    function isFinal(uint8 vote) internal pure returns (bool) {
        return vote == CONFIRMED || vote == CANCELLED || vote == EXPIRED;
    }
}
