import type { Address } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import type { L2Contracts } from '../network/types.js'
import { blindedBundleCommitment, blindedBridgeMessageCommitment, decodeCommittedBatchKey, isCommittedBatchKey } from '../protocol/index.js'
import { messageLeavesOf } from './messageLeaves.js'
import { sentBundlesOf } from './sentBundles.js'
import { readCursor, statement, writeCursor, type Store } from '../store/openStore.js'
import { IndexedHead } from './IndexedHead.js'
import { logDecoder } from './logDecoder.js'

/** The events read here (the switch below): any other log is skipped without decoding. */
const decode = logDecoder({ abi: [...c.interopCenterAbi, ...c.l2MessengerAbi, ...c.interopRootStoreAbi, ...c.interopHandlerAbi, ...c.l2PriorityInboxAbi, ...c.l2AssetRouterAbi, ...c.gatewayAssetTrackerAbi], events: ['BundleBlinded', 'InteropRootAdded', 'BundleExecuted', 'FeePaid', 'FeeClaimed', 'PriorityRequestProcessed', 'TransferInitiated', 'TransferLeftGateway', 'WithdrawalBlinded', 'TransferBlinded', 'WithdrawalInitiated'] })

/** Parameters of {@link ZkChainIndexer}. */
export type ZkChainIndexerParameters = {
  store: Store
  chain: ChainConnection
  contracts: L2Contracts
  /** Last block of the chain's genesis batch: indexing starts after it. */
  startAfterBlock: number
  /** On a Gateway chain, its GatewayAssetTracker: the value it lets leave the Gateway is indexed too. */
  assetTracker?: Address
  /** Most blocks read in one `eth_getLogs`. */
  maxBlockRange?: number
}

/** Name of the cursor holding the last block indexed on `chainId`. */
export const zkChainCursor = (chainId: number) => `index:chain:${chainId}`

/**
 * Reads a ZK chain's Junction events into the store, block range by block range: bundles sent (and a
 * private chain's blindings of them and of its withdrawals),
 * message leaves (the `MessageRecorded` events, and each `BundleSent` or `MessageBundleSent` of the InteropCenter), interop roots imported, bundles executed, priority requests processed,
 * withdrawals and chain-to-chain transfers started. Each range and its cursor
 * are written in one transaction, so a killed process resumes where it stopped.
 *
 * @example
 * ```ts
 * const indexer = new ZkChainIndexer({ store, chain, contracts, startAfterBlock: 12 })
 * await indexer.tick()
 * ```
 */
export class ZkChainIndexer {
  readonly #p: ZkChainIndexerParameters & { maxBlockRange: number }
  readonly #head: IndexedHead

  constructor(parameters: ZkChainIndexerParameters) {
    this.#p = { maxBlockRange: 2_000, ...parameters }
    this.#head = new IndexedHead(parameters.chain)
  }

  /** Indexes the next block range; resolves `true` if it read any block. */
  async tick(): Promise<boolean> {
    const { store, chain, contracts } = this.#p
    const cursorName = zkChainCursor(chain.chainId)
    const from = readCursor(store, cursorName, this.#p.startAfterBlock) + 1
    const head = await this.#head.from(from)
    if (head < from) return false
    const to = Math.min(head, from + this.#p.maxBlockRange - 1)
    const logs = await chain.client.getLogs({
      address: [contracts.interopCenter, contracts.l2Messenger, contracts.interopRootStore, contracts.interopHandler, contracts.priorityInbox, contracts.l2AssetRouter, ...(this.#p.assetTracker ? [this.#p.assetTracker] : [])],
      fromBlock: BigInt(from),
      toBlock: BigInt(to),
    })
    const now = Date.now()
    const chainId = chain.chainId
    const insertSent = statement(store, 
      `INSERT OR IGNORE INTO bundles_sent (bundle_hash, source_chain_id, destination_chain_id, sender, bundle, block_number, log_index, tx_hash, seen_at) VALUES (?,?,?,?,?,?,?,?,?)`,
    )
    const insertBlinding = statement(store, `INSERT OR IGNORE INTO bundle_blindings (bundle_hash, blinding, commitment) VALUES (?,?,?)`)
    const insertBridgeMessageBlinding = statement(store, `INSERT OR IGNORE INTO bridge_message_blindings (chain_id, payload_hash, blinding, commitment) VALUES (?,?,?,?)`)
    const insertLeaf = statement(store, `INSERT OR IGNORE INTO message_leaves (chain_id, block_number, log_index, sender, payload_hash, leaf) VALUES (?,?,?,?,?,?)`)
    const insertRoot = statement(store, 
      `INSERT OR IGNORE INTO imported_roots (chain_id, block_number, log_index, sl_chain_id, sl_block_number, root, seen_at) VALUES (?,?,?,?,?,?,?)`,
    )
    const insertBatchRoot = statement(store, 
      `INSERT OR IGNORE INTO imported_batch_roots (chain_id, block_number, log_index, sl_chain_id, source_chain_id, batch_number, root, seen_at) VALUES (?,?,?,?,?,?,?,?)`,
    )
    const insertFee = statement(store, `INSERT OR IGNORE INTO unclaimed_fees (bundle_hash, source_chain_id, destination_chain_id) VALUES (?,?,?)`)
    const deleteFee = statement(store, `DELETE FROM unclaimed_fees WHERE bundle_hash = ?`)
    const insertExecuted = statement(store, `INSERT OR IGNORE INTO bundles_executed (bundle_hash, chain_id, block_number, tx_hash, seen_at) VALUES (?,?,?,?,?)`)
    const insertProcessed = statement(store, `INSERT OR IGNORE INTO priority_processed (chain_id, idx, block_number, log_index, rolling_hash, seen_at) VALUES (?,?,?,?,?,?)`)
    const insertTransfer = statement(store, 
      `INSERT OR IGNORE INTO transfers (chain_id, block_number, log_index, tx_hash, destination_chain_id, asset_id, amount, message) VALUES (?,?,?,?,?,?,?,?)`,
    )
    const insertLeft = statement(store, 
      `INSERT OR IGNORE INTO settlement_layer_transfers (chain_id, block_number, log_index, tx_hash, source_chain_id, destination_chain_id, asset_id, amount, message) VALUES (?,?,?,?,?,?,?,?,?)`,
    )
    const insertWithdrawal = statement(store, 
      `INSERT OR IGNORE INTO withdrawals (chain_id, block_number, log_index, tx_hash, asset_id, l2_sender, l1_receiver, amount, message) VALUES (?,?,?,?,?,?,?,?,?)`,
    )
    store.transaction(() => {
      for (const { log, sender, payloadHash, leaf } of messageLeavesOf(logs, contracts.interopCenter)) {
        insertLeaf.run(chainId, Number(log.blockNumber), log.logIndex ?? 0, sender, payloadHash, leaf)
      }
      for (const { log, bundleHash, destinationChainId, sender, bundle } of sentBundlesOf(logs, contracts.interopCenter)) {
        insertSent.run(bundleHash, chainId, Number(destinationChainId), sender, bundle, Number(log.blockNumber), log.logIndex ?? 0, log.transactionHash, now)
      }
      for (const log of logs) {
        const event = decode(log)
        if (!event) continue
        const at = [Number(log.blockNumber), log.logIndex ?? 0] as const
        const a = event.args as unknown as Record<string, unknown>
        switch (event.eventName as unknown as string) {
          case 'BundleBlinded':
            insertBlinding.run(a.bundleHash, a.blinding, blindedBundleCommitment(a.bundleHash as never, a.blinding as never))
            break
          case 'InteropRootAdded': {
            const key = a.slBlockNumber as bigint
            if (isCommittedBatchKey(key)) {
              // A committed source batch's message root (committed finality, docs/protocol.md §12).
              const { chainId: source, batchNumber } = decodeCommittedBatchKey(key)
              insertBatchRoot.run(chainId, ...at, Number(a.slChainId), Number(source), Number(batchNumber), a.root, now)
            } else insertRoot.run(chainId, ...at, Number(a.slChainId), Number(key), a.root, now)
            break
          }
          case 'BundleExecuted':
            insertExecuted.run(a.bundleHash, chainId, at[0], log.transactionHash, now)
            break
          case 'FeePaid':
            // A record of 0 wei (sent with executionGasLimit, nothing paid yet) has nothing to claim until a top-up.
            if ((a.total as bigint) > 0n) insertFee.run(a.bundleHash, chainId, Number(a.destinationChainId))
            break
          case 'FeeClaimed':
            deleteFee.run(a.bundleHash)
            break
          case 'PriorityRequestProcessed':
            insertProcessed.run(chainId, Number(a.index), ...at, a.rollingHash, now)
            break
          case 'TransferInitiated':
            insertTransfer.run(chainId, ...at, log.transactionHash, Number(a.destinationChainId), a.assetId, String(a.amount), a.message)
            break
          case 'TransferLeftGateway':
            insertLeft.run(chainId, ...at, log.transactionHash, Number(a.chainId), Number(a.toChainId), a.assetId, String(a.amount), a.message)
            break
          case 'WithdrawalBlinded':
          case 'TransferBlinded': {
            const payloadHash = (a.payloadHash as string).toLowerCase()
            insertBridgeMessageBlinding.run(chainId, payloadHash, a.blinding, blindedBridgeMessageCommitment(payloadHash as never, a.blinding as never))
            break
          }
          case 'WithdrawalInitiated':
            insertWithdrawal.run(chainId, ...at, log.transactionHash, a.assetId, a.l2Sender, a.l1Receiver, String(a.amount), a.message)
            break
        }
      }
      writeCursor(store, cursorName, to)
    })()
    return true
  }
}

