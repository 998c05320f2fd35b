import { keccak256, type Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { buildRoutedLeafProof, type SettlementLayerStateCache } from '../indexer/buildProofFromStore.js'
import { topologyOf } from '../network/topology.js'
import type { NetworkManifest } from '../network/types.js'
import { withdrawalId } from '../protocol/index.js'
import type { Store } from '../store/openStore.js'

/** Parameters of {@link LedgerKeeper}. */
export type LedgerKeeperParameters = {
  store: Store
  sl: ChainConnection
  manifest: NetworkManifest
  /** Key that pays for `finalizeTransfer` on the settlement layer. */
  privateKey: Hex
}

/**
 * Keeps the settlement layer's ledger of chain balances in step with chain → chain transfers: once
 * the source batch holding a transfer is executed on the settlement layer, it submits
 * `L1AssetRouter.finalizeTransfer` with the transfer message's inclusion proof, which moves the
 * asset's balance from the source chain to the destination in the ledger. Anyone may submit it; the
 * router consumes each message once, so a restart or a second keeper changes nothing.
 *
 * @example
 * ```ts
 * await new LedgerKeeper({ store, sl: l1, manifest, privateKey }).tick()
 * ```
 */
export class LedgerKeeper {
  readonly #p: LedgerKeeperParameters

  constructor(parameters: LedgerKeeperParameters) {
    this.#p = parameters
  }

  /**
   * Records every transfer to a chain whose source batch is executed; resolves `true` if it sent
   * anything. (Values sent to L1 itself leave the ledger when the L1InteropHandler delivers them.)
   */
  async tick(): Promise<boolean> {
    const { store, sl, manifest } = this.#p
    const pending = store
      .prepare(
        `SELECT t.chain_id, t.block_number, t.log_index, t.message FROM transfers t
         JOIN sl_batches s ON s.chain_id = t.chain_id AND t.block_number BETWEEN s.first_block AND s.last_block
         WHERE t.ledger_status = 'pending' AND s.executed_block IS NOT NULL AND t.destination_chain_id != ? ORDER BY t.chain_id, t.block_number, t.log_index LIMIT 50`,
      )
      .all(sl.chainId) as { chain_id: number; block_number: number; log_index: number; message: Hex }[]
    const done = store.prepare(`UPDATE transfers SET ledger_status = ?, ledger_tx = ? WHERE chain_id = ? AND block_number = ? AND log_index = ?`)
    let worked = false
    const topology = topologyOf(manifest, store)
    // The transfers of one round share the rebuilt settlement-layer trees.
    const cache: SettlementLayerStateCache = new Map()
    for (const transfer of pending) {
      const built = buildRoutedLeafProof(store, {
        topology,
        sourceChainId: transfer.chain_id,
        destination: sl.chainId,
        sender: manifest.l2Contracts.l2AssetRouter,
        payloadHash: keccak256(transfer.message),
        // Two identical transfers record the same leaf: prove this one.
        recordedBefore: { blockNumber: transfer.block_number, logIndex: transfer.log_index },
      }, cache)
      if (!built.ready) continue
      const router = { address: manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi } as const
      const id = withdrawalId({ chainId: transfer.chain_id, batchNumber: built.proof.batchNumber, messageIndex: built.proof.messageIndex })
      const key = [transfer.chain_id, transfer.block_number, transfer.log_index] as const
      if (await sl.client.readContract({ ...router, functionName: 'isMessageConsumed', args: [id] })) {
        done.run('recorded', null, ...key)
        continue
      }
      try {
        const receipt = await sl.write(this.#p.privateKey, { ...router, functionName: 'finalizeTransfer', args: [BigInt(transfer.chain_id), transfer.message, built.proof], action: 'finalizeTransfer' })
        done.run('recorded', receipt.transactionHash, ...key)
      } catch (error) {
        // A transfer the ledger refuses (the source chain holds less than it sent) stays refused: record why.
        if (error instanceof ContractRevertedError && error.errorName === 'InsufficientChainBalance') done.run(`refused: ${error.reason}`, null, ...key)
        else throw error
      }
      worked = true
    }
    return worked
  }
}
