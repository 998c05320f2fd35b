// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../common/ERC20.sol";

/// @title BridgedToken
/// @notice The token of an asset on a chain that is not its origin (docs/protocol.md section 9).
/// Deployed by the chain's L2AssetRouter with CREATE2 (salt = asset id), so it has the same address
/// on every chain; only that router mints and burns it.
contract BridgedToken is ERC20 {
    /// @notice The L2AssetRouter that deployed this token, the only minter and burner.
    address public immutable assetRouter;
    /// @notice The asset this token represents.
    bytes32 public immutable assetId;
    /// @notice The chain where the asset is native.
    uint256 public immutable originChainId;
    /// @notice The token's address on its origin chain.
    address public immutable originToken;

    /// @notice Only the asset router may call this.
    error NotAssetRouter(address caller);

    /// @param assetId_ The asset id.
    /// @param originChainId_ The origin chain.
    /// @param originToken_ The origin token.
    /// @param name_ Name (copied from the origin token).
    /// @param symbol_ Symbol (copied from the origin token).
    /// @param decimals_ Decimals (copied from the origin token).
    constructor(
        bytes32 assetId_,
        uint256 originChainId_,
        address originToken_,
        string memory name_,
        string memory symbol_,
        uint8 decimals_
    ) ERC20(name_, symbol_, decimals_) {
        assetRouter = msg.sender;
        assetId = assetId_;
        originChainId = originChainId_;
        originToken = originToken_;
    }

    modifier onlyAssetRouter() {
        if (msg.sender != assetRouter) revert NotAssetRouter(msg.sender);
        _;
    }

    /// @notice Mints `amount` to `to`. Only the asset router.
    function mint(address to, uint256 amount) external onlyAssetRouter {
        _mint(to, amount);
    }

    /// @notice Burns `amount` from `from`. Only the asset router.
    function burn(address from, uint256 amount) external onlyAssetRouter {
        _burn(from, amount);
    }
}
