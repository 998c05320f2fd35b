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
 * A record L1 refuses because the source holds less than it sent (`InsufficientChainBalance`) is tried
 * again every {@link LEDGER_RETRY_MS}: another transfer into the source may simply not be recorded yet
 * (and a destination on a Gateway may be waiting for the credit). One L1 can never record (a destination
 * that is not a registered chain) is marked `unrecordable` and no longer tried. Neither holds back the
 * records behind it.
 *
 * @example
 * ```ts
 * await new LedgerKeeper({ store, sl: l1, manifest, privateKey }).tick()
 * ```
 */
/** How long the keeper waits before it tries again a record L1 refused for balance. */
export const LEDGER_RETRY_MS = 2_000

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
         WHERE (t.ledger_status = 'pending' OR (t.ledger_status LIKE 'refused%' AND t.retry_at <= ?)) AND s.executed_block IS NOT NULL AND t.destination_chain_id != ?
         ORDER BY t.chain_id, t.block_number, t.log_index LIMIT 50`,
      )
      .all(Date.now(), sl.chainId) as { chain_id: number; block_number: number; log_index: number; message: Hex }[]
    const done = store.prepare(`UPDATE transfers SET ledger_status = ?, ledger_tx = ?, retry_at = ? WHERE chain_id = ? AND block_number = ? AND log_index = ?`)
    let worked = false
    for (const transfer of pending) {
      const key = [transfer.chain_id, transfer.block_number, transfer.log_index] as const
      // Its batch settled on a Gateway: the Gateway's asset tracker accounted for it (and told L1 what left).
      const settledOn = settlementLayerAt(topology, transfer.chain_id, transfer.block_number)
      if (settledOn !== sl.chainId) {
        done.run(`accounted on ${settledOn}`, null, null, ...key)
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
      .prepare(
        `SELECT chain_id, block_number, log_index, message FROM settlement_layer_transfers
         WHERE ledger_status = 'pending' OR (ledger_status LIKE 'refused%' AND retry_at <= ?) ORDER BY chain_id, block_number, log_index LIMIT 50`,
      )
      .all(Date.now()) as { chain_id: number; block_number: number; log_index: number; message: Hex }[]
    const done = store.prepare(`UPDATE settlement_layer_transfers SET ledger_status = ?, ledger_tx = ?, retry_at = ? WHERE chain_id = ? AND block_number = ? AND log_index = ?`)
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

  /**
   * Submits one record unless L1 consumed its message already. A refusal for balance is recorded and tried
   * again later; any other revert (L1 can never record it) is recorded as `unrecordable`.
   */
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
      done.run('recorded', null, null, ...key)
      return false
    }
    try {
      const receipt = await sl.write(privateKey, { ...router, functionName, args, action: functionName } as never)
      done.run('recorded', receipt.transactionHash, null, ...key)
    } catch (error) {
      if (!(error instanceof ContractRevertedError)) throw error
      // The source holds less than it sent: another transfer into it may not be recorded yet. Try again later.
      if (error.errorName === 'InsufficientChainBalance') done.run(`refused: ${error.reason}`, null, Date.now() + LEDGER_RETRY_MS, ...key)
      else done.run(`unrecordable: ${error.reason}`, null, null, ...key)
    }
    return true
  }
}
