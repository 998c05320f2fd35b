/**
 * Where a batch must end so that its bundles stay within `maxBytes`: the block before the one whose
 * leaf crosses the limit, or that block itself when it is the batch's first (a block is never split);
 * `indexedTo` when the leaves stay within it. `leaves` are in order, each with its block and its
 * bundle's size in bytes (0 for a message that is not a bundle).
 *
 * @example
 * ```ts
 * lastBlockWithinBytes([{ block_number: 5, bundle_bytes: 600 }, { block_number: 6, bundle_bytes: 600 }], 1_000, 9) // 5
 * ```
 */
export function lastBlockWithinBytes(leaves: readonly { block_number: number; bundle_bytes: number }[], maxBytes: number, indexedTo: number): number {
  let total = 0
  for (const leaf of leaves) {
    total += leaf.bundle_bytes
    if (total > maxBytes) return leaf.block_number > leaves[0]!.block_number ? leaf.block_number - 1 : leaf.block_number
  }
  return indexedTo
}
