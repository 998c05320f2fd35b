// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../common/ERC20.sol";
import {IERC7786Recipient} from "../common/IERC7786.sol";
import {InteropCallStarter} from "../common/InteropTypes.sol";
import {InteroperableAddress} from "../common/InteroperableAddress.sol";

/// @title RigCash
/// @notice The rig's cash token: only the rig mints and burns (as the L2 asset router does a bridged token).
contract RigCash is ERC20 {
    address public immutable rig;

    constructor() ERC20("Rig cash", "RCASH", 2) {
        rig = msg.sender;
    }

    /// @notice Mints (rig only).
    function mint(address to, uint256 amount) external {
        require(msg.sender == rig, "rig only");
        _mint(to, amount);
    }

    /// @notice Burns (rig only).
    function burn(address from, uint256 amount) external {
        require(msg.sender == rig, "rig only");
        _burn(from, amount);
    }
}

/// @title PaymentRig
/// @notice Test double of a chain's InteropCenter, L2AssetRouter and InteropHandler for PaymentBank's contract
/// tests (test/contracts/paymentContracts.test.ts): `sendBundle` records the bundle (burning the cash of an
/// indirect call to the router, as the router does), `deliver` plays the InteropHandler executing a bundle:
/// it mints the cash of call 0 when asked, records the transfer receipt, and calls the recipient as the
/// InteropCenter with the sender chain and address the test gives. The test plays the proof layer.
contract PaymentRig {
    RigCash public immutable cash;
    uint256 public bundles;
    bytes32 private _executing;
    bytes32 private _lastReceiveId;
    bytes32 private _lastReceipt;

    /// @notice A bundle sent by `sender` to `destinationChainId`: its hash, each call's target and data.
    event BundleRecorded(bytes32 indexed bundleHash, address indexed sender, uint256 destinationChainId, address[] to, bytes[] data, uint256 cash);

    constructor() {
        cash = new RigCash();
    }

    /// @notice The cash token for every asset id.
    function bridgedToken(bytes32) external view returns (address) {
        return address(cash);
    }

    /// @notice Mints cash (for the test's setup).
    function mintCash(address to, uint256 amount) external {
        cash.mint(to, amount);
    }

    /// @notice Records a bundle; a call to this rig with attributes is an indirect cash transfer: burned from the sender.
    function sendBundle(uint256 destinationChainId, InteropCallStarter[] calldata calls, bytes[] calldata)
        external
        payable
        returns (bytes32 bundleHash)
    {
        address[] memory to = new address[](calls.length);
        bytes[] memory data = new bytes[](calls.length);
        uint256 moved;
        for (uint256 i; i < calls.length; ++i) {
            to[i] = calls[i].to;
            data[i] = calls[i].data;
            if (calls[i].to == address(this) && calls[i].callAttributes.length != 0) {
                (, uint256 amount,) = abi.decode(calls[i].data, (bytes32, uint256, address));
                cash.burn(msg.sender, amount);
                moved += amount;
            }
        }
        bundleHash = keccak256(abi.encode(address(this), ++bundles));
        emit BundleRecorded(bundleHash, msg.sender, destinationChainId, to, data, moved);
    }

    /// @notice Executes call `callIndex` of bundle `bundleHash` on `to`, from `sender` on `sourceChainId`; with
    /// `cashAmount` != 0, call 0 of the same bundle first delivered that much cash to `to`.
    function deliver(bytes32 bundleHash, uint256 callIndex, address to, uint256 sourceChainId, address sender, bytes calldata payload, uint256 cashAmount)
        external
    {
        bytes32 outer = _executing;
        _executing = bundleHash;
        if (cashAmount != 0) {
            cash.mint(to, cashAmount);
            _lastReceiveId = keccak256(abi.encode(bundleHash, uint256(0)));
            _lastReceipt = keccak256(abi.encode(to, cashAmount));
        }
        bytes4 answer = IERC7786Recipient(to).receiveMessage(
            keccak256(abi.encode(bundleHash, callIndex)), InteroperableAddress.format(sourceChainId, sender), payload
        );
        require(answer == IERC7786Recipient.receiveMessage.selector, "bad answer");
        _executing = outer;
        _lastReceiveId = bytes32(0);
    }

    /// @notice The bundle being executed.
    function executingBundle() external view returns (bytes32) {
        return _executing;
    }

    /// @notice Whether the last cash delivery was call `receiveId` and minted `amount` to `receiver`.
    function lastTransferReceived(bytes32 receiveId, bytes32, address receiver, uint256 amount) external view returns (bool) {
        return receiveId == _lastReceiveId && _lastReceipt == keccak256(abi.encode(receiver, amount));
    }
}
