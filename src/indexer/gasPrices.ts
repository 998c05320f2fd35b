import { statement, type Store } from '../store/openStore.js'

/**
 * The gas prices to import with a root of `slChainId` at its block `slBlockNumber` (docs/fees.md): per chain,
 * the newest price the operator posted on L1 (`ChainRegistry.postGasPrices`, indexed from its
 * `GasPricesPosted`) at or before that block for an L1 root, or the newest indexed for a Gateway root.
 * Empty when none was posted.
 *
 * @example
 * ```ts
 * gasPricesForRoot(store, 31337, 31337, 120) // [{ chainId: 271n, weiPerGas: 1000000000n }, …]
 * ```
 */
export function gasPricesForRoot(store: Store, l1ChainId: number, slChainId: number, slBlockNumber: number): { chainId: bigint; weiPerGas: bigint }[] {
  const upTo = slChainId === l1ChainId ? slBlockNumber : Number.MAX_SAFE_INTEGER
  const rows = statement(
    store,
    `SELECT p.chain_id, p.wei_per_gas FROM gas_prices p WHERE p.sl_chain_id = ? AND p.block_number = (
       SELECT MAX(q.block_number) FROM gas_prices q WHERE q.sl_chain_id = p.sl_chain_id AND q.chain_id = p.chain_id AND q.block_number <= ?) ORDER BY p.chain_id`,
  ).all(l1ChainId, upTo) as { chain_id: number; wei_per_gas: string }[]
  return rows.map((row) => ({ chainId: BigInt(row.chain_id), weiPerGas: BigInt(row.wei_per_gas) }))
}
