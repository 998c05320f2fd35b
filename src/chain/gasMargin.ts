/**
 * The gas limit Junction sends with for a call estimated at `estimate`: 20% more, plus 10,000. The state a
 * transaction runs on can differ from the one it was estimated on (other transactions landed in between),
 * and some steps cost more on the first write of a storage slot than on later ones (a new slot of the
 * priority queue's deadlines, a token's first balance): without a margin such a transaction runs out of gas.
 *
 * @example
 * ```ts
 * const gas = withGasMargin(await client.estimateGas(request))
 * ```
 */
export function withGasMargin(estimate: bigint): bigint {
  return (estimate * 12n) / 10n + 10_000n
}
