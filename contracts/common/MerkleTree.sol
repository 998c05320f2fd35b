// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MessageHashing} from "./MessageHashing.sol";

/// @title MerkleTree
/// @notice The one tree shape of docs/protocol.md section 3, used for messages in a batch, batches of
/// a chain and chains of a settlement layer: leaves left to right, padded with zero subtrees up to
/// `2^depth(n)`, inner nodes `MessageHashing.node`, and a root that commits to the leaf count.
library MerkleTree {
    /// @notice Most leaves a tree may hold.
    uint256 internal constant MAX_LEAVES = 1 << 32;

    /// @notice A proof was given for the zero leaf, which is never a real leaf.
    error EmptyLeaf();
    /// @notice The leaf index is not below the leaf count (or the count is 0).
    error LeafIndexOutOfRange(uint256 index, uint256 count);
    /// @notice The number of siblings is not `depth(count)`.
    error WrongProofLength(uint256 expected, uint256 actual);
    /// @notice The leaf count is above `2^32`.
    error TooManyLeaves(uint256 count);

    /// @notice An append-only tree whose `root` equals `rootOf` over every appended leaf.
    /// @dev `frontier[h]` is the last completed subtree of height `h` that is a left child (or, for
    /// `count == 2^h`, the whole tree). It has 33 entries so that a tree of exactly `2^32` leaves keeps
    /// its top.
    struct Incremental {
        uint256 count;
        bytes32[33] frontier;
    }

    /// @notice Depth of a tree of `count` leaves: 0 for `count <= 1`, otherwise `ceil(log2(count))`.
    /// @dev The bit length of `count - 1`, found by halving (at most `2^32` leaves: 6 steps).
    function depth(uint256 count) internal pure returns (uint256 d) {
        if (count > MAX_LEAVES) revert TooManyLeaves(count);
        assembly ("memory-safe") {
            if gt(count, 1) {
                let v := sub(count, 1)
                if shr(16, v) {
                    v := shr(16, v)
                    d := 16
                }
                if shr(8, v) {
                    v := shr(8, v)
                    d := add(d, 8)
                }
                if shr(4, v) {
                    v := shr(4, v)
                    d := add(d, 4)
                }
                if shr(2, v) {
                    v := shr(2, v)
                    d := add(d, 2)
                }
                if shr(1, v) {
                    v := shr(1, v)
                    d := add(d, 1)
                }
                d := add(d, v)
            }
        }
    }

    /// @notice Root of an empty subtree of height `height`: `Z[0] = 0`, `Z[h+1] = node(Z[h], Z[h])`.
    function zeroHash(uint256 height) internal pure returns (bytes32 z) {
        for (uint256 h; h < height; ++h) {
            z = MessageHashing.node(z, z);
        }
    }

    /// @notice Checks a proof of inclusion and returns the root it proves.
    /// @dev Bit `h` of `index` set means the sibling at height `h` is on the left.
    /// @param leaf The proven leaf; must not be zero.
    /// @param index Position of the leaf; must be below `count`.
    /// @param count Number of leaves of the tree; `0 < count <= 2^32`.
    /// @param siblings One sibling per level, bottom up; exactly `depth(count)` of them.
    /// @return root_ The tree root `treeRoot(count, top)`.
    function verify(bytes32 leaf, uint256 index, uint256 count, bytes32[] calldata siblings)
        internal
        pure
        returns (bytes32 root_)
    {
        if (leaf == bytes32(0)) revert EmptyLeaf();
        if (count == 0) revert LeafIndexOutOfRange(index, count);
        if (count > MAX_LEAVES) revert TooManyLeaves(count);
        if (index >= count) revert LeafIndexOutOfRange(index, count);
        // `siblings.length == depth(count)`, checked without computing the depth: `d` siblings fit exactly the
        // counts `2^(d-1) < count <= 2^d` (only `count == 1` for `d == 0`).
        uint256 d = siblings.length;
        if (d > 32 || count > uint256(1) << d || (d != 0 && count <= uint256(1) << (d - 1))) {
            revert WrongProofLength(depth(count), d);
        }

        // node(a, b) = H(0x01 ‖ a ‖ b), then treeRoot(count, top) = H(0x02 ‖ count ‖ top), hashed in free memory
        // (not allocated, as MessageHashing does).
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore8(p, 0x01)
            let top := leaf
            for { let h := 0 } lt(h, d) { h := add(h, 1) } {
                let sibling := calldataload(add(siblings.offset, shl(5, h)))
                switch and(shr(h, index), 1)
                case 0 {
                    mstore(add(p, 1), top)
                    mstore(add(p, 33), sibling)
                }
                default {
                    mstore(add(p, 1), sibling)
                    mstore(add(p, 33), top)
                }
                top := keccak256(p, 65)
            }
            mstore8(p, 0x02)
            mstore(add(p, 1), count)
            mstore(add(p, 33), top)
            root_ := keccak256(p, 65)
        }
    }

    /// @notice Root of the tree over `leaves`, in order (`treeRoot(0, 0)` for none).
    /// @dev Does not modify `leaves`.
    function rootOf(bytes32[] memory leaves) internal pure returns (bytes32) {
        uint256 count = leaves.length;
        if (count > MAX_LEAVES) revert TooManyLeaves(count);
        if (count == 0) return MessageHashing.treeRoot(0, bytes32(0));

        bytes32[] memory row = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            row[i] = leaves[i];
        }
        // Each pass halves the row (rounding up); missing right children are the empty subtree
        // of the current height. `depth(count)` passes leave the top in row[0].
        uint256 width = count;
        bytes32 zero;
        while (width > 1) {
            uint256 half = (width + 1) >> 1;
            for (uint256 i; i < half; ++i) {
                uint256 r = 2 * i + 1;
                row[i] = MessageHashing.node(row[2 * i], r < width ? row[r] : zero);
            }
            width = half;
            zero = MessageHashing.node(zero, zero);
        }
        return MessageHashing.treeRoot(count, row[0]);
    }

    /// @notice Appends `leaf` to an incremental tree.
    function append(Incremental storage tree, bytes32 leaf) internal {
        uint256 size = tree.count + 1;
        if (size > MAX_LEAVES) revert TooManyLeaves(size);
        tree.count = size;
        bytes32 current = leaf;
        // The lowest set bit of the new size is the height at which the new leaf's path stops
        // being a right child: store the completed subtree there.
        for (uint256 h;; ++h) {
            if ((size >> h) & 1 == 1) {
                tree.frontier[h] = current;
                return;
            }
            current = MessageHashing.node(tree.frontier[h], current);
        }
    }

    /// @notice Root of an incremental tree: equal to `rootOf` over all appended leaves.
    function root(Incremental storage tree) internal view returns (bytes32) {
        uint256 count = tree.count;
        if (count == 0) return MessageHashing.treeRoot(0, bytes32(0));
        uint256 d = depth(count);
        if (count == uint256(1) << d) return MessageHashing.treeRoot(count, tree.frontier[d]);

        // Walk up from the first empty position `count`: where bit h of count is set, the node is a
        // right child of the completed subtree frontier[h]; otherwise its right sibling is empty.
        bytes32 current;
        bytes32 zero;
        for (uint256 h; h < d; ++h) {
            current = (count >> h) & 1 == 1
                ? MessageHashing.node(tree.frontier[h], current)
                : MessageHashing.node(current, zero);
            zero = MessageHashing.node(zero, zero);
        }
        return MessageHashing.treeRoot(count, current);
    }
}
