import { decodeFunctionData, type Address, type Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import type { SettlementLayerContracts } from '../network/types.js'
import type { BatchCommitment } from '../protocol/index.js'
import { readCursor, statement, writeCursor, type Store } from '../store/openStore.js'
import { IndexedHead } from './IndexedHead.js'
import { logDecoder } from './logDecoder.js'

/** The events read here (the switch below): any other log is skipped without decoding. */
const decode = logDecoder({ abi: [...c.chainRegistryAbi, ...c.messageRootAbi, ...c.chainSettlementAbi, ...c.l1InteropHandlerAbi], events: ['ChainRegistered', 'BatchCommitted', 'BatchProven', 'BatchRootAppended', 'PriorityRequestQueued', 'BundleExecuted', 'SharedRootUpdated', 'ChainMigrated', 'GasPricesPosted', 'ChainTreeImported'] })

/** Parameters of {@link SettlementLayerIndexer}. */
export type SettlementLayerIndexerParameters = {
  store: Store
  sl: ChainConnection
  /** The registry and message root; on L1 also the L1InteropHandler, whose executed bundles are indexed. */
  contracts: Pick<SettlementLayerContracts, 'chainRegistry' | 'messageRoot'> & { interopHandler?: Address }
  /** Settlement contracts of the chains that settle here, or may move here: their batch events are indexed. */
  settlements: { chainId: number; settlement: Address }[]
  maxBlockRange?: number
}

/** Name of the cursor holding the last block indexed on settlement layer `chainId`. */
export const settlementLayerCursor = (chainId: number) => `index:sl:${chainId}`

/**
 * Reads a settlement layer's events into the store: chains registered, batches committed (with
 * their block ranges and message roots, from the commit calldata), proven and executed, batch roots
 * appended and shared roots recorded, and chains moving between settlement layers (where their blocks
 * settle from which block on, and the trees of batches they brought). This is what proofs are built from.
 *
 * @example
 * ```ts
 * await new SettlementLayerIndexer({ store, sl: l1, contracts, settlements }).tick()
 * ```
 */
export class SettlementLayerIndexer {
  readonly #p: Required<SettlementLayerIndexerParameters>
  readonly #head: IndexedHead

  constructor(parameters: SettlementLayerIndexerParameters) {
    this.#p = { maxBlockRange: 2_000, ...parameters }
    this.#head = new IndexedHead(parameters.sl)
  }

  /** Indexes the next block range; resolves `true` if it read any block. */
  async tick(): Promise<boolean> {
    const { store, sl, contracts, settlements } = this.#p
    const cursorName = settlementLayerCursor(sl.chainId)
    const from = readCursor(store, cursorName, -1) + 1
    const head = await this.#head.from(from)
    if (head < from) return false
    const to = Math.min(head, from + this.#p.maxBlockRange - 1)
    const chainOf = new Map(settlements.map((s) => [s.settlement.toLowerCase(), s.chainId]))
    const logs = await sl.client.getLogs({
      address: [contracts.chainRegistry, contracts.messageRoot, ...(contracts.interopHandler ? [contracts.interopHandler] : []), ...settlements.map((s) => s.settlement)],
      fromBlock: BigInt(from),
      toBlock: BigInt(to),
    })
    // Commitments travel in the commit calldata; read each commit transaction once.
    const commitments = new Map<Hex, readonly BatchCommitment[]>()
    for (const log of logs) {
      const event = decode(log)
      if ((event?.eventName as string | undefined) !== 'BatchCommitted' || commitments.has(log.transactionHash!)) continue
      const tx = await sl.client.getTransaction({ hash: log.transactionHash! })
      const call = decodeFunctionData({ abi: c.chainSettlementAbi, data: tx.input })
      if (call.functionName !== 'commitBatches') throw new Error(`BatchCommitted in ${log.transactionHash} was not emitted by a direct commitBatches call`)
      commitments.set(log.transactionHash!, call.args[0] as readonly BatchCommitment[])
    }
    const now = Date.now()
    const slId = sl.chainId
    const insertChain = statement(store, 'INSERT OR IGNORE INTO sl_chains (sl_chain_id, chain_id, idx, block_number) VALUES (?,?,?,?)')
    const insertBatch = statement(store, 
      'INSERT OR IGNORE INTO sl_batches (sl_chain_id, chain_id, batch_number, first_block, last_block, message_root, committed_block, committed_at) VALUES (?,?,?,?,?,?,?,?)',
    )
    const markProven = statement(store, 'UPDATE sl_batches SET proven_block = ?, proven_at = ? WHERE sl_chain_id = ? AND chain_id = ? AND batch_number = ?')
    const markExecuted = statement(store, 'UPDATE sl_batches SET executed_block = ?, executed_at = ? WHERE sl_chain_id = ? AND chain_id = ? AND batch_number = ?')
    const insertRequest = statement(store, 
      'INSERT OR IGNORE INTO priority_requests (sl_chain_id, chain_id, idx, l2_target, data, request_hash, rolling_hash, block_number, seen_at) VALUES (?,?,?,?,?,?,?,?,?)',
    )
    const insertExecuted = statement(store, 'INSERT OR IGNORE INTO bundles_executed (bundle_hash, chain_id, block_number, tx_hash, seen_at) VALUES (?,?,?,?,?)')
    const insertRoot = statement(store, 'INSERT OR REPLACE INTO sl_roots (sl_chain_id, block_number, root, seen_at) VALUES (?,?,?,?)')
    const insertEpoch = statement(store, 'INSERT OR IGNORE INTO settlement_epochs (chain_id, from_block, sl_chain_id, l1_block, log_index) VALUES (?,?,?,?,?)')
    const insertTree = statement(store, 'INSERT OR IGNORE INTO sl_chain_trees (sl_chain_id, chain_id, block_number, batch_count) VALUES (?,?,?,?)')
    const insertGasPrice = statement(store, 'INSERT OR REPLACE INTO gas_prices (sl_chain_id, chain_id, block_number, wei_per_gas) VALUES (?,?,?,?)')
    store.transaction(() => {
      for (const log of logs) {
        const event = decode(log)
        if (!event) continue
        const a = event.args as unknown as Record<string, unknown>
        const block = Number(log.blockNumber)
        const chainId = chainOf.get(log.address.toLowerCase())
        switch (event.eventName as unknown as string) {
          case 'ChainRegistered':
            insertChain.run(slId, Number(a.chainId), Number(a.index), block)
            break
          case 'BatchCommitted': {
            if (chainId === undefined) break
            const batch = commitments.get(log.transactionHash!)!.find((b) => b.batchNumber === a.batchNumber)!
            insertBatch.run(slId, chainId, Number(batch.batchNumber), Number(batch.firstBlock), Number(batch.lastBlock), batch.messageRoot, block, now)
            break
          }
          case 'BatchProven':
            if (chainId === undefined) break
            markProven.run(block, now, slId, chainId, Number(a.batchNumber))
            break
          case 'BatchRootAppended':
            markExecuted.run(block, now, slId, Number(a.chainId), Number(a.batchNumber))
            break
          case 'PriorityRequestQueued':
            if (chainId === undefined) break
            insertRequest.run(slId, chainId, Number(a.index), a.l2Target, a.data, a.requestHash, a.rollingHash, block, now)
            break
          case 'BundleExecuted':
            // Only the L1InteropHandler's logs are read here: a bundle sent to L1 was executed.
            insertExecuted.run(a.bundleHash, slId, block, log.transactionHash, now)
            break
          case 'SharedRootUpdated':
            insertRoot.run(slId, Number(a.blockNumber), a.root, now)
            break
          case 'ChainMigrated':
            // L1's registry (the only one that emits it): the chain's blocks after lastBlock settle on toSl.
            insertEpoch.run(Number(a.chainId), Number(a.lastBlock) + 1, Number(a.toSl), block, log.logIndex)
            break
          case 'GasPricesPosted':
            for (const price of a.prices as { chainId: bigint; weiPerGas: bigint }[]) insertGasPrice.run(slId, Number(price.chainId), block, String(price.weiPerGas))
            break
          case 'ChainTreeImported':
            insertTree.run(slId, Number(a.chainId), block, Number(a.count))
            break
        }
      }
      writeCursor(store, cursorName, to)
    })()
    return true
  }
}

