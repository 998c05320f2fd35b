// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title PaymentMessageCheck
/// @notice What the creditor bank's PaymentBank checks in the pacs.008 XML it is delivered, without parsing
/// XML on chain: that the message names the payment's UETR as the value of a `UETR` element (the text
/// `UETR>` + the UUID in its canonical lower-case form + `</`, so a namespace prefix such as `<p:UETR>` is
/// fine). The schema admits only the lower-case form (src/payments/pacs008Schema.ts), without spaces.
library PaymentMessageCheck {
    bytes16 private constant HEX_DIGITS = "0123456789abcdef";

    /// @notice The UETR as a UUID's 36 characters: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower case.
    /// @param uetr The UUID's 16 bytes.
    /// @return text Its canonical text.
    function uetrText(bytes16 uetr) internal pure returns (bytes memory text) {
        text = new bytes(36);
        uint256 next;
        for (uint256 i; i < 16; ++i) {
            if (i == 4 || i == 6 || i == 8 || i == 10) text[next++] = "-";
            uint8 b = uint8(uetr[i]);
            text[next++] = HEX_DIGITS[b >> 4];
            text[next++] = HEX_DIGITS[b & 0x0f];
        }
    }

    /// @notice Whether `message` holds `UETR>` + the UETR's text + `</`.
    /// @param message The XML's bytes.
    /// @param uetr The payment's UETR.
    function namesUetr(bytes memory message, bytes16 uetr) internal pure returns (bool) {
        return contains(message, abi.encodePacked("UETR>", uetrText(uetr), "</"));
    }

    /// @notice Whether `needle` occurs in `haystack` (a word compare of its first bytes, then a hash compare).
    function contains(bytes memory haystack, bytes memory needle) internal pure returns (bool found) {
        uint256 n = needle.length;
        uint256 h = haystack.length;
        if (n == 0) return true;
        if (n > h) return false;
        bytes32 needleHash = keccak256(needle);
        assembly ("memory-safe") {
            let head := n
            if gt(head, 32) { head := 32 }
            let mask := not(sub(shl(mul(8, sub(32, head)), 1), 1))
            let first := and(mload(add(needle, 32)), mask)
            let p := add(haystack, 32)
            let last := add(p, sub(h, n))
            for {} iszero(gt(p, last)) { p := add(p, 1) } {
                if eq(and(mload(p), mask), first) {
                    if eq(keccak256(p, n), needleHash) {
                        found := 1
                        break
                    }
                }
            }
        }
    }
}
