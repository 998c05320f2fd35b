// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title LongNameToken (test helper)
/// @notice An ERC-20 anyone can mint whose `name()` and `symbol()` return strings of any length (made on
/// the fly, not stored): a deposit must carry at most a bounded name and symbol, whatever a token returns.
contract LongNameToken {
    /// @notice Length in bytes of what `name()` returns.
    uint256 public immutable nameLength;
    /// @notice Length in bytes of what `symbol()` returns.
    uint256 public immutable symbolLength;
    /// @notice Decimals.
    uint8 public constant decimals = 18;
    /// @notice Total amount minted.
    uint256 public totalSupply;
    /// @notice Balance of each account.
    mapping(address account => uint256 amount) public balanceOf;
    /// @notice What `spender` may still move from `owner`.
    mapping(address owner => mapping(address spender => uint256 amount)) public allowance;

    /// @notice `amount` moved from `from` to `to` (`from = 0` for a mint).
    event Transfer(address indexed from, address indexed to, uint256 amount);
    /// @notice `owner` allowed `spender` to move `amount`.
    event Approval(address indexed owner, address indexed spender, uint256 amount);

    /// @notice `account` holds less than `needed`, or may move less than `needed`.
    error Insufficient(address account, uint256 needed);

    /// @param nameLength_ Bytes of `name()`.
    /// @param symbolLength_ Bytes of `symbol()`.
    constructor(uint256 nameLength_, uint256 symbolLength_) {
        nameLength = nameLength_;
        symbolLength = symbolLength_;
    }

    /// @notice `nameLength` bytes of "N".
    function name() external view returns (string memory) {
        return _repeat("N", nameLength);
    }

    /// @notice `symbolLength` bytes of "S".
    function symbol() external view returns (string memory) {
        return _repeat("S", symbolLength);
    }

    /// @notice Mints `amount` to `to`. Anyone.
    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Allows `spender` to move `amount` of the caller's tokens.
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @notice Moves `amount` from the caller to `to`.
    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    /// @notice Moves `amount` from `from` to `to`, using the caller's allowance.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < amount) revert Insufficient(msg.sender, amount);
        allowance[from][msg.sender] = allowed - amount;
        _move(from, to, amount);
        return true;
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 balance = balanceOf[from];
        if (balance < amount) revert Insufficient(from, amount);
        balanceOf[from] = balance - amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }

    /// @dev `length` bytes of `char`, written a word at a time (a 200 KB name costs little to make).
    function _repeat(bytes1 char, uint256 length) private pure returns (string memory out) {
        bytes32 word = bytes32(uint256(uint8(char)) * (type(uint256).max / 0xff));
        out = new string(length);
        assembly ("memory-safe") {
            let start := add(out, 0x20)
            let end := add(start, length)
            for { let p := start } lt(p, end) { p := add(p, 0x20) } { mstore(p, word) }
            // The last word may spill past the string: clear what follows it (the free memory pointer
            // was moved past it, rounded up to a word, by `new string`).
            mstore(end, 0)
        }
    }
}
