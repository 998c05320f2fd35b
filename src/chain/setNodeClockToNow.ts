import { createPublicClient, http } from 'viem'

/** Parameters of {@link setNodeClockToNow}. */
export type SetNodeClockToNowParameters = {
  /** The node's HTTP JSON-RPC URL (an anvil Junction started). */
  rpcUrl: string
  /** The time to set, in milliseconds since the epoch. Default: `Date.now()`. */
  now?: number
}

/**
 * Sets an anvil node's clock to the real time (`anvil_setTime`), so its next blocks are dated now and
 * later ones follow the wall clock.
 *
 * A node started from a genesis file (`anvil --init`, as every ZK chain's node is: `zkChainGenesis`)
 * counts time from the genesis block's timestamp, not from the wall clock: it lags by however long it
 * took between writing the genesis and starting the node (seconds on a loaded machine, more for a
 * genesis written long before). Chains that lag by different amounts disagree on the time, and a
 * deadline set on one chain's clock (a payment's `RjctTm`, an instruction's expiry) is then judged
 * early or late on another. Only for nodes Junction started: a node of one's own keeps its own clock.
 *
 * @example
 * ```ts
 * await node.start()
 * await setNodeClockToNow({ rpcUrl: node.rpcUrl })
 * ```
 */
export async function setNodeClockToNow(parameters: SetNodeClockToNowParameters): Promise<void> {
  const client = createPublicClient({ transport: http(parameters.rpcUrl, { retryCount: 0 }) })
  await client.request({ method: 'anvil_setTime', params: [Math.floor((parameters.now ?? Date.now()) / 1000)] } as never)
}
