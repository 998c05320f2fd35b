// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PaymentMessageCheck} from "../payments/PaymentMessageCheck.sol";

/// @title PaymentMessageCheckHarness
/// @notice Exposes PaymentMessageCheck to the property tests (test/contracts/paymentContracts.test.ts).
contract PaymentMessageCheckHarness {
    /// @notice `PaymentMessageCheck.uetrText`.
    function uetrText(bytes16 uetr) external pure returns (bytes memory) {
        return PaymentMessageCheck.uetrText(uetr);
    }

    /// @notice `PaymentMessageCheck.namesUetr`.
    function namesUetr(bytes calldata message, bytes16 uetr) external pure returns (bool) {
        return PaymentMessageCheck.namesUetr(message, uetr);
    }
}
