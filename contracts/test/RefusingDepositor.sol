// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {InteropProof} from "../common/InteropTypes.sol";
import {L1AssetRouter} from "../l1/bridge/L1AssetRouter.sol";

/// @title RefusingDepositor (test helper)
/// @notice An L1 contract that deposits ETH and refuses every plain ETH transfer, so a failed deposit of
/// it can never be paid back to it: it names another address, by claiming itself
/// (`claimFailedDepositTo` from this contract) or by signing for its owner through ERC-1271.
contract RefusingDepositor {
    /// @notice The router deposits go through.
    L1AssetRouter public immutable router;
    /// @notice The key whose ECDSA signatures this contract accepts as its own (ERC-1271).
    address public immutable owner;

    /// @notice This contract takes no ETH.
    error EthRefused(address from, uint256 value);
    /// @notice Only the owner may have this contract claim.
    error NotOwner(address caller);

    /// @param router_ The L1AssetRouter.
    /// @param owner_ Whose signatures count as this contract's.
    constructor(L1AssetRouter router_, address owner_) {
        router = router_;
        owner = owner_;
    }

    /// @notice Deposits `msg.value` of ETH to `l2Receiver` on `chainId`, as this contract.
    function depositETH(uint256 chainId, address l2Receiver) external payable returns (uint256 requestIndex) {
        return router.depositETH{value: msg.value}(chainId, l2Receiver);
    }

    /// @notice Claims a failed deposit of this contract, paid to `to` (the depositor calls: no signature).
    /// Only the owner.
    function claimTo(
        uint256 chainId,
        bytes32 assetId,
        uint256 amount,
        bytes calldata message,
        InteropProof calldata proof,
        address to
    ) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        router.claimFailedDepositTo(chainId, address(this), assetId, amount, message, proof, to, "");
    }

    /// @notice ERC-1271: a 65-byte ECDSA signature of `digest` by the owner is this contract's.
    function isValidSignature(bytes32 digest, bytes calldata signature) external view returns (bytes4) {
        if (signature.length == 65) {
            address signer = ecrecover(digest, uint8(signature[64]), bytes32(signature[0:32]), bytes32(signature[32:64]));
            if (signer == owner && signer != address(0)) return this.isValidSignature.selector;
        }
        return 0xffffffff;
    }

    /// @notice Always reverts: this contract refuses ETH.
    receive() external payable {
        revert EthRefused(msg.sender, msg.value);
    }
}
