import { EventEmitter } from 'node:events'
import { after, before } from 'node:test'
import { ChainConnection } from '../chain/ChainConnection.js'
import { DEV_MNEMONIC } from '../chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../chain/process/index.js'

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

/**
 * Test helper: an anvil started before the file's tests and stopped after them, and a maker of
 * {@link countedConnection}s to it (each one's `fetch` put back after the tests).
 *
 * @example
 * ```ts
 * const counted = countedConnectionsToAnvil({ chainId: 31337 })
 * test('...', async () => { const { chain, requests } = counted({ follow: true }) })
 * ```
 */
export function countedConnectionsToAnvil(parameters: { chainId: number }): (options: { follow: boolean; method?: string }) => CountedConnection {
  let anvil: AnvilProcess | undefined
  const restores: (() => void)[] = []
  before(async () => {
    anvil = createAnvil({ chainId: parameters.chainId, port: 0, mnemonic: DEV_MNEMONIC, accounts: 2 })
    await anvil.start()
  })
  after(async () => {
    for (const restore of restores.reverse()) restore()
    await anvil?.stop()
  })
  return (options) => {
    if (!anvil) throw new Error('countedConnectionsToAnvil: its anvil starts in before(); make connections inside tests')
    const made = countedConnection({ rpcUrl: anvil.rpcUrl, chainId: parameters.chainId, ...options })
    restores.push(made.restore)
    return made
  }
}
