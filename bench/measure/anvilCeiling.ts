// 3. The ceiling: raw anvil's transactions per second for plain ETH transfers on one chain, pushed the
// same way as the throughput load (pre-signed, concurrent senders, eth_sendRawTransaction, one per request
// or in JSON-RPC batches); in two block
// productions, measured in the same run: automine (one block per transaction, as Junction ran its chains
// before) and Junction's own (`--no-mining`, the chains' block gas limit, a BlockProducer mining as soon
// as transactions wait: how Junction runs its chains now).
import { createPublicClient, http, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { AutomineWatchdog } from '../lib/AutomineWatchdog.js'
import { createAnvil } from '../../src/chain/process/index.js'
import { PRODUCED_BLOCK_GAS_LIMIT } from '../../src/chain/zkChainNode.js'
import { BlockProducer } from '../../src/sequencer/BlockProducer.js'
import { DroppedTransactionResender } from '../../src/testing/load/droppedTransactions.js'
import { makeFundedKeys, presign, pushSigned } from '../../src/testing/load/load.js'
import { round, sleep } from '../../src/testing/load/stats.js'

export type CeilingResult = {
  transactions: number
  senders: number
  /** Transactions per JSON-RPC request (a batch above 1). */
  perRequest: number
  mode: string
  seconds: number
  /** Transfers mined per second (first send → last one mined). */
  transactionsPerSecond: number
  watchdogBlocks: number
  /** Blocks mined (Junction's block production): transfers per block on average. */
  blocks?: number
  transactionsPerBlock?: number
  /** Transfers anvil lost that the bench sent again, and those it kept unmined that the bench replaced at a higher fee. */
  resent: number
  replaced: number
}

/**
 * Starts its own anvil, pushes `transactions` transfers from `senders` senders, waits until all are mined,
 * stops it. `produced`: the node runs as Junction runs its chains (`--no-mining`, a block gas limit of
 * PRODUCED_BLOCK_GAS_LIMIT, Junction's BlockProducer); otherwise automine (with the watchdog it used to need).
 */
export async function measureAnvilCeiling(parameters: { transactions: number; senders: number; produced?: boolean; perRequest?: number }): Promise<CeilingResult> {
  const produced = parameters.produced === true
  const perRequest = parameters.perRequest ?? 1
  if (!produced && perRequest > 1) throw new RangeError('automine: one transaction per request (batches left transactions unmined there, ../shared/ENGINE-NOTES.md)')
  const anvil = createAnvil({ chainId: 9_000, port: 0, name: 'ceiling', ...(produced ? { noMining: true, extraArgs: ['--gas-limit', String(PRODUCED_BLOCK_GAS_LIMIT)] } : {}) })
  await anvil.start()
  const client = createPublicClient({ transport: http(anvil.rpcUrl) }) as PublicClient
  // Automine can leave transactions pending under concurrent sends: the watchdog Junction's chains used to need.
  const watchdog = produced ? undefined : new AutomineWatchdog(client, 'ceiling')
  watchdog?.start()
  const producer = produced ? new BlockProducer({ name: 'ceiling', chainId: 9_000, rpcUrl: anvil.rpcUrl }) : undefined
  await producer?.start()
  try {
    const keys = await makeFundedKeys('ceiling', parameters.senders, [anvil.rpcUrl])
    const perKey = Math.ceil(parameters.transactions / parameters.senders)
    const signed = await presign({ chainId: 9_000, rpcUrl: anvil.rpcUrl, keys, perKey, build: (k) => ({ to: privateKeyToAccount(keys[(k + 1) % keys.length]!).address, value: 1n, gas: 21_000n }) })
    // A transfer anvil loses is broadcast again (bench/lib/droppedTransactions.ts), as a wallet would.
    const resender = new DroppedTransactionResender({ rpcUrl: anvil.rpcUrl, keys, signed, intervalMs: 1_000 })
    const started = performance.now()
    resender.start()
    await pushSigned(anvil.rpcUrl, signed, (k, i) => resender.accepted(k, i), undefined, { perRequest })
    // Mined when every sender's nonce has moved past its last transaction.
    const addresses = keys.map((key) => privateKeyToAccount(key).address)
    const firstNonce = 0
    // Stop waiting if nothing more is mined for 10 s (the watchdog mines anything pending within half a
    // second, the resender sends a lost transaction again within two): the figure is then over what was
    // mined, and says so.
    let mined = 0
    let progressAt = performance.now()
    let stalled = false
    for (;;) {
      const counts = await Promise.all(addresses.map((address) => client.getTransactionCount({ address, blockTag: 'latest' })))
      if (counts.every((n) => n >= firstNonce + perKey)) break
      const now = counts.reduce((sum, n) => sum + Math.min(n, perKey), 0)
      if (now > mined) [mined, progressAt] = [now, performance.now()]
      else if (performance.now() - progressAt > 10_000) {
        stalled = true
        break
      }
      await sleep(20)
    }
    const seconds = ((stalled ? progressAt : performance.now()) - started) / 1000
    await resender.stop()
    const transactions = stalled ? mined : perKey * parameters.senders
    const sending = perRequest > 1 ? `sent in JSON-RPC batches of ${perRequest}` : 'one transaction per request'
    const mode = produced ? `Junction's block production (--no-mining, ${PRODUCED_BLOCK_GAS_LIMIT / 1_000_000n}M gas blocks, BlockProducer), --hardfork cancun (as Junction runs its chains), ${sending}` : `automine, --hardfork cancun (as Junction ran its chains before #16), ${sending}`
    const blocks = producer?.stats.blocks
    return { transactions, senders: parameters.senders, perRequest, ...(blocks ? { blocks, transactionsPerBlock: round(transactions / blocks, 1) } : {}), mode: `${mode}${stalled ? `; stalled: ${perKey * parameters.senders - mined} transactions never mined, the rate is over the ${mined} mined` : ''}${resender.resent ? `; ${resender.resent} transactions anvil lost were sent again` : ''}${resender.replaced ? `; ${resender.replaced} it kept unmined were replaced at a higher fee` : ''}`, seconds: round(seconds, 2), transactionsPerSecond: round(transactions / seconds), watchdogBlocks: watchdog?.unstuck ?? 0, resent: resender.resent, replaced: resender.replaced }
  } finally {
    watchdog?.stop()
    await producer?.stop()
    await anvil.stop()
  }
}
