import { EventEmitter } from 'node:events'
import { ChainConnection } from '../chain/ChainConnection.js'

/** What {@link countedConnection} gives a test. */
export type CountedConnection = {
  chain: ChainConnection
  /** Requests sent to the node since the connection was made (by any client of this process), of `method` if given. */
  requests: () => number
  /** Tells the connection of a block (with its number if given), when it follows blocks. */
  announce: (number?: number) => void
  /** Puts `fetch` back. */
  restore: () => void
}

/**
 * Test helper: a connection to the node at `rpcUrl` whose requests are counted where viem's HTTP transport sends
 * them (`fetch`), optionally only those of one JSON-RPC `method`; `follow`: it is told of blocks by `announce`.
 *
 * @example
 * ```ts
 * const { chain, requests, announce, restore } = countedConnection({ rpcUrl: anvil.rpcUrl, chainId: 31337, follow: true, method: 'eth_blockNumber' })
 * ```
 */
export function countedConnection(parameters: { rpcUrl: string; chainId: number; follow: boolean; method?: string }): CountedConnection {
  const { rpcUrl, method } = parameters
  const chain = new ChainConnection({ chainId: parameters.chainId, name: 'counted', rpcUrl })
  const heads = new EventEmitter()
  if (parameters.follow) {
    chain.followBlocks((listener) => {
      heads.on('block', listener)
      return () => heads.off('block', listener)
    })
  }
  let count = 0
  const fetch = globalThis.fetch
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    if (String(input).startsWith(rpcUrl) && (method === undefined || String(init?.body).includes(`"${method}"`))) count++
    return fetch(input, init)
  }) as typeof fetch
  return {
    chain,
    requests: () => count,
    announce: (number) => heads.emit('block', number === undefined ? undefined : { number }),
    restore: () => (globalThis.fetch = fetch),
  }
}
