// 3. The ceiling: raw anvil's transactions per second for plain ETH transfers on one chain, started
// exactly as Junction starts its chains (anvil from npm, --hardfork cancun, automine), pushed the
// same way as the throughput load (pre-signed, concurrent senders, eth_sendRawTransaction).
import { createPublicClient, http, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { AutomineWatchdog } from '../../src/chain/AutomineWatchdog.js'
import { createAnvil } from '../../src/chain/process/index.js'
import { makeFundedKeys, presign, pushSigned } from '../lib/load.js'
import { round, sleep } from '../lib/stats.js'

export type CeilingResult = {
  transactions: number
  senders: number
  mode: string
  seconds: number
  /** Transfers mined per second (first send → last one mined). */
  transactionsPerSecond: number
  watchdogBlocks: number
}

/** Starts its own anvil, pushes `transactions` transfers from `senders` senders, waits until all are mined, stops it. */
export async function measureAnvilCeiling(parameters: { transactions: number; senders: number }): Promise<CeilingResult> {
  const anvil = createAnvil({ chainId: 9_000, port: 0, name: 'ceiling' })
  await anvil.start()
  const client = createPublicClient({ transport: http(anvil.rpcUrl) }) as PublicClient
  // The same watchdog as Junction's chains (automine can leave transactions pending under concurrent sends).
  const watchdog = new AutomineWatchdog(client, 'ceiling')
  watchdog.start()
  try {
    const keys = await makeFundedKeys('ceiling', parameters.senders, [anvil.rpcUrl])
    const perKey = Math.ceil(parameters.transactions / parameters.senders)
    const signed = await presign({ chainId: 9_000, rpcUrl: anvil.rpcUrl, keys, perKey, build: (k) => ({ to: privateKeyToAccount(keys[(k + 1) % keys.length]!).address, value: 1n, gas: 21_000n }) })
    const started = performance.now()
    await pushSigned(anvil.rpcUrl, signed)
    // Mined when every sender's nonce has moved past its last transaction.
    const addresses = keys.map((key) => privateKeyToAccount(key).address)
    const firstNonce = 0
    // Stop waiting if nothing more is mined for 20 s (a transaction anvil dropped): the figure is then
    // over what was mined, and says so.
    let mined = 0
    let progressAt = performance.now()
    let stalled = false
    for (;;) {
      const counts = await Promise.all(addresses.map((address) => client.getTransactionCount({ address, blockTag: 'latest' })))
      if (counts.every((n) => n >= firstNonce + perKey)) break
      const now = counts.reduce((sum, n) => sum + Math.min(n, perKey), 0)
      if (now > mined) [mined, progressAt] = [now, performance.now()]
      else if (performance.now() - progressAt > 20_000) {
        stalled = true
        break
      }
      await sleep(20)
    }
    const seconds = ((stalled ? progressAt : performance.now()) - started) / 1000
    const transactions = stalled ? mined : perKey * parameters.senders
    return { transactions, senders: parameters.senders, mode: `automine, --hardfork cancun (as Junction runs its chains)${stalled ? `; stalled: ${perKey * parameters.senders - mined} transactions never mined, the rate is over the ${mined} mined` : ''}`, seconds: round(seconds, 2), transactionsPerSecond: round(transactions / seconds), watchdogBlocks: watchdog.unstuck }
  } finally {
    watchdog.stop()
    await anvil.stop()
  }
}
