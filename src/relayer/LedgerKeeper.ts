import { keccak256, type Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { buildRoutedLeafProof, type SettlementLayerStateCache } from '../indexer/buildProofFromStore.js'
import { settlementLayerAt, topologyOf, type Topology } from '../network/topology.js'
import type { NetworkManifest } from '../network/types.js'
import { withdrawalId, type InteropProof } from '../protocol/index.js'
import type { Statement } from 'better-sqlite3'
import type { Store } from '../store/openStore.js'

/** Parameters of {@link LedgerKeeper}. */
export type LedgerKeeperParameters = {
  store: Store
  sl: ChainConnection
  manifest: NetworkManifest
  /** Key that pays for `finalizeTransfer` and `finalizeSettlementLayerTransfer` on L1. */
  privateKey: Hex
}

/**
 * Keeps L1's ledger of chain balances in step with value moving between chains (docs/protocol.md §9.5,
 * §9.11). A transfer whose source batch settled on L1: once that batch is executed, it submits
 * `L1AssetRouter.finalizeTransfer` with the transfer message's proof, which moves the amount from the
 * source chain's account to the destination's. A transfer whose source batch settled on a Gateway was
 * accounted there by the Gateway's asset tracker; what left the Gateway for a chain elsewhere, the
 * tracker recorded as a settlement-layer transfer message of the Gateway chain, which the keeper submits
 * with `finalizeSettlementLayerTransfer` once the Gateway's batch holding it is executed on L1. Anyone
 * may submit either; the router consumes each message once, so a restart or a second keeper changes
 * nothing.
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
   * Records every transfer whose source batch (or Gateway batch) is executed on L1; resolves `true` if it
   * sent anything. (Values sent to L1 itself leave the ledger when the L1InteropHandler delivers them.)
   */
  async tick(): Promise<boolean> {
    const { store, manifest } = this.#p
    const topology = topologyOf(manifest, store)
    // The transfers of one round share the rebuilt settlement-layer trees.
    const cache: SettlementLayerStateCache = new Map()
    const fromChains = await this.#recordChainTransfers(topology, cache)
    const fromGateways = await this.#recordSettlementLayerTransfers(topology, cache)
    return fromChains || fromGateways
  }

  /** Transfer messages of chains whose batch settled on L1 (`finalizeTransfer`). */
  async #recordChainTransfers(topology: Topology, cache: SettlementLayerStateCache): Promise<boolean> {
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
    for (const transfer of pending) {
      const key = [transfer.chain_id, transfer.block_number, transfer.log_index] as const
      // Its batch settled on a Gateway: the Gateway's asset tracker accounted for it (and told L1 what left).
      const settledOn = settlementLayerAt(topology, transfer.chain_id, transfer.block_number)
      if (settledOn !== sl.chainId) {
        done.run(`accounted on ${settledOn}`, null, ...key)
        continue
      }
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
      worked = (await this.#submit(done, key, transfer.chain_id, built.proof, 'finalizeTransfer', [BigInt(transfer.chain_id), transfer.message, built.proof])) || worked
    }
    return worked
  }

  /** Settlement-layer transfer messages of Gateways' asset trackers (`finalizeSettlementLayerTransfer`). */
  async #recordSettlementLayerTransfers(topology: Topology, cache: SettlementLayerStateCache): Promise<boolean> {
    const { store, sl, manifest } = this.#p
    const pending = store
      .prepare(`SELECT chain_id, block_number, log_index, message FROM settlement_layer_transfers WHERE ledger_status = 'pending' ORDER BY chain_id, block_number, log_index LIMIT 50`)
      .all() as { chain_id: number; block_number: number; log_index: number; message: Hex }[]
    const done = store.prepare(`UPDATE settlement_layer_transfers SET ledger_status = ?, ledger_tx = ? WHERE chain_id = ? AND block_number = ? AND log_index = ?`)
    let worked = false
    for (const transfer of pending) {
      const tracker = manifest.chains.find((chain) => chain.chainId === transfer.chain_id)?.gatewayContracts?.assetTracker
      if (!tracker) continue
      const built = buildRoutedLeafProof(store, {
        topology,
        sourceChainId: transfer.chain_id,
        destination: sl.chainId,
        sender: tracker,
        payloadHash: keccak256(transfer.message),
        recordedBefore: { blockNumber: transfer.block_number, logIndex: transfer.log_index },
      }, cache)
      if (!built.ready) continue
      const key = [transfer.chain_id, transfer.block_number, transfer.log_index] as const
      worked = (await this.#submit(done, key, transfer.chain_id, built.proof, 'finalizeSettlementLayerTransfer', [BigInt(transfer.chain_id), transfer.message, built.proof])) || worked
    }
    return worked
  }

  /** Submits one record unless L1 consumed its message already; a refusal for balance is recorded as such. */
  async #submit(
    done: Statement,
    key: readonly [number, number, number],
    chainId: number,
    proof: InteropProof,
    functionName: 'finalizeTransfer' | 'finalizeSettlementLayerTransfer',
    args: readonly unknown[],
  ): Promise<boolean> {
    const { sl, manifest, privateKey } = this.#p
    const router = { address: manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi } as const
    const id = withdrawalId({ chainId, batchNumber: proof.batchNumber, messageIndex: proof.messageIndex })
    if (await sl.client.readContract({ ...router, functionName: 'isMessageConsumed', args: [id] })) {
      done.run('recorded', null, ...key)
      return false
    }
    try {
      const receipt = await sl.write(privateKey, { ...router, functionName, args, action: functionName } as never)
      done.run('recorded', receipt.transactionHash, ...key)
    } catch (error) {
      // A transfer the ledger refuses (the source holds less than it sent) stays refused: record why.
      if (error instanceof ContractRevertedError && error.errorName === 'InsufficientChainBalance') done.run(`refused: ${error.reason}`, null, ...key)
      else throw error
    }
    return true
  }
}
