import { keccak256, type Address, type Hex } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { buildRoutedLeafProof, type SettlementLayerStateCache } from '../indexer/buildProofFromStore.js'
import { bridgeMessageLeafOf } from '../indexer/bridgeMessageLeaf.js'
import { settlementLayerAt, topologyOf, type Topology } from '../network/topology.js'
import type { NetworkManifest } from '../network/types.js'
import { decodeSettlementLayerTransferMessage, withdrawalId, type InteropProof } from '../protocol/index.js'
import { statement, type Store } from '../store/openStore.js'

/** Parameters of {@link LedgerKeeper}. */
export type LedgerKeeperParameters = {
  store: Store
  sl: ChainConnection
  manifest: NetworkManifest
  /** Key that pays for `finalizeTransfer` and `finalizeSettlementLayerTransfer` on L1. */
  privateKey: Hex
}

/** How long the keeper first waits before it tries again a record L1 refused; it doubles each time, up to {@link LEDGER_RETRY_MAX_MS}. */
export const LEDGER_RETRY_MS = 2_000
/** The longest wait between two tries of a refused record. */
export const LEDGER_RETRY_MAX_MS = 60_000

/** Reverts that say L1 can never record the message (it is not one it records): set aside. */
const UNRECORDABLE = new Set(['NotATransfer', 'NotASettlementLayerTransfer', 'TransferSettledOnGateway', 'SenderNotAssetRouter', 'SenderNotAssetTracker', 'NotASettlementLayer'])
/** Reverts that say the message was recorded already (by another keeper, or anyone). */
const ALREADY_RECORDED = new Set(['TransferAlreadyRecorded', 'WithdrawalAlreadyFinalized'])

/** The wait before the next try of a record refused `attempts` times. */
export function ledgerRetryDelay(attempts: number): number {
  return Math.min(LEDGER_RETRY_MAX_MS, LEDGER_RETRY_MS * 2 ** Math.max(0, attempts - 1))
}

/** Most new records the keeper takes in one round, and most refused ones it tries again. */
const NEW_PER_ROUND = 50
const RETRIES_PER_ROUND = 20

type Row = { chain_id: number; block_number: number; log_index: number; message: Hex; attempts: number; refused_since: number | null }
type Key = readonly [number, number, number]

/**
 * The records of `from` (`<table> t WHERE <condition>`, with `parameters`) the keeper takes this round: new
 * ones, then refused ones due for another try, each with a limit of its own, so neither starves the other.
 */
function dueRecords(store: Store, from: string, parameters: readonly unknown[]): Row[] {
  const columns = 't.chain_id, t.block_number, t.log_index, t.message, t.attempts, t.refused_since'
  const order = 'ORDER BY t.chain_id, t.block_number, t.log_index'
  const fresh = statement(store, `SELECT ${columns} FROM ${from} AND t.ledger_status = 'pending' ${order} LIMIT ${NEW_PER_ROUND}`)
  const retries = statement(store, `SELECT ${columns} FROM ${from} AND t.ledger_status LIKE 'refused%' AND t.retry_at <= ? ${order} LIMIT ${RETRIES_PER_ROUND}`)
  return [...(fresh.all(...parameters) as Row[]), ...(retries.all(...parameters, Date.now()) as Row[])]
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
 * A record L1 refuses (the source holds less than it sent: another transfer into it may simply not be
 * recorded yet, and a destination on a Gateway may be waiting for the credit; or a destination not
 * registered yet) is tried again later, after {@link LEDGER_RETRY_MS}, doubling up to
 * {@link LEDGER_RETRY_MAX_MS}; new records always go first, so refused ones never hold them back. One L1
 * can never make (not a message it records) is set aside as `unrecordable`. A credit a Gateway sent back
 * for a chain L1 still counts on that Gateway, which does not have it, is held (recorded, it would only come
 * back again).
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
   * Records every transfer whose source batch (or Gateway batch) is executed on L1, new ones first, then
   * refused ones whose next try is due; resolves `true` if it sent anything. (Values sent to L1 itself
   * leave the ledger when the L1InteropHandler delivers them.)
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

  /**
   * When the earliest refused record is due for another try: nothing announces it (no block, no write to the
   * store), so the services' loop wakes the keeper then (at most 4 times a second, should a due record be
   * passed over because its proof is not ready).
   */
  wakeAt(): number | undefined {
    const { at } = statement(
      this.#p.store,
      `SELECT MIN(retry_at) AS at FROM (SELECT retry_at FROM transfers WHERE ledger_status LIKE 'refused%'
         UNION ALL SELECT retry_at FROM settlement_layer_transfers WHERE ledger_status LIKE 'refused%')`,
    ).get() as { at: number | null }
    return at === null ? undefined : Math.max(at, Date.now() + 250)
  }

  /** Transfer messages of chains whose batch settled on L1 (`finalizeTransfer`). */
  async #recordChainTransfers(topology: Topology, cache: SettlementLayerStateCache): Promise<boolean> {
    const { store, sl, manifest } = this.#p
    // Only transfers whose batch executed on a settlement layer, and not those to L1 itself.
    const rows = dueRecords(
      store,
      `transfers t WHERE t.destination_chain_id != ? AND EXISTS (SELECT 1 FROM sl_batches s
         WHERE s.chain_id = t.chain_id AND t.block_number BETWEEN s.first_block AND s.last_block AND s.executed_block IS NOT NULL)`,
      [sl.chainId],
    )
    const set = statusSetter(store, 'transfers')
    let worked = false
    for (const row of rows) {
      const key = [row.chain_id, row.block_number, row.log_index] as const
      // Its batch settled on a Gateway: the Gateway's asset tracker accounted for it (and told L1 what left).
      const settledOn = settlementLayerAt(topology, row.chain_id, row.block_number)
      if (settledOn !== sl.chainId) {
        set(key, { status: `accounted on ${settledOn}` })
        continue
      }
      // A private chain's transfer leaf is blinded (docs/protocol.md §9.13): proven and recorded with its blinding.
      const leaf = bridgeMessageLeafOf(store, row.chain_id, row.message)
      const built = buildRoutedLeafProof(store, {
        topology,
        sourceChainId: row.chain_id,
        destination: sl.chainId,
        sender: manifest.l2Contracts.l2AssetRouter,
        payloadHash: leaf.payloadHash,
        // Two identical transfers record the same leaf: prove this one.
        recordedBefore: { blockNumber: row.block_number, logIndex: row.log_index },
      }, cache)
      if (!built.ready) continue
      const record = leaf.blinding
        ? { functionName: 'finalizeBlindedTransfer' as const, args: [BigInt(row.chain_id), row.message, leaf.blinding, built.proof] }
        : { functionName: 'finalizeTransfer' as const, args: [BigInt(row.chain_id), row.message, built.proof] }
      worked = (await this.#submit(set, row, key, row.chain_id, built.proof, record.functionName, record.args)) || worked
    }
    return worked
  }

  /** Settlement-layer transfer messages of Gateways' asset trackers (`finalizeSettlementLayerTransfer`). */
  async #recordSettlementLayerTransfers(topology: Topology, cache: SettlementLayerStateCache): Promise<boolean> {
    const { store, sl, manifest } = this.#p
    const rows = dueRecords(store, 'settlement_layer_transfers t WHERE 1', [])
    const set = statusSetter(store, 'settlement_layer_transfers')
    let worked = false
    for (const row of rows) {
      const gateway = manifest.chains.find((chain) => chain.chainId === row.chain_id)?.gatewayContracts
      if (!gateway) continue
      const key = [row.chain_id, row.block_number, row.log_index] as const
      const built = buildRoutedLeafProof(store, {
        topology,
        sourceChainId: row.chain_id,
        destination: sl.chainId,
        sender: gateway.assetTracker,
        payloadHash: keccak256(row.message),
        recordedBefore: { blockNumber: row.block_number, logIndex: row.log_index },
      }, cache)
      if (!built.ready) continue
      // Only once it could be recorded: whether it must wait costs a few reads of the registries.
      const held = await this.#heldBounce(row, gateway.chainRegistry)
      if (held) {
        refuse(set, row, key, held)
        continue
      }
      worked = (await this.#submit(set, row, key, row.chain_id, built.proof, 'finalizeSettlementLayerTransfer', [BigInt(row.chain_id), row.message, built.proof])) || worked
    }
    return worked
  }

  /**
   * Why a credit the Gateway sent back (a message from a chain to itself) must wait: L1 counts the chain on
   * that Gateway, and the Gateway does not have it. Recording it would credit the Gateway again, which
   * would send it back again, for ever (a chain whose activation there failed). Undefined: record it.
   */
  async #heldBounce(row: Row, gatewayRegistry: Address): Promise<string | undefined> {
    const { sl, manifest } = this.#p
    const { sourceChainId, destinationChainId } = decodeSettlementLayerTransferMessage(row.message)
    if (sourceChainId !== destinationChainId) return undefined
    const l1Registry = { address: manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi } as const
    const [settlesOn, migrating] = (await Promise.all([
      sl.client.readContract({ ...l1Registry, functionName: 'settlementLayerOf', args: [destinationChainId] }),
      sl.client.readContract({ ...l1Registry, functionName: 'isMigrating', args: [destinationChainId] }),
    ])) as [bigint, boolean]
    if (Number(settlesOn) !== row.chain_id || migrating) return undefined
    const gatewayInfo = manifest.chains.find((chain) => chain.chainId === row.chain_id)!
    const onGateway = (await new ChainConnection(gatewayInfo).client.readContract({ address: gatewayRegistry, abi: c.chainRegistryAbi, functionName: 'settlementLayerOf', args: [destinationChainId] })) as bigint
    if (Number(onGateway) === row.chain_id) return undefined
    return `refused: held, L1 counts chain ${destinationChainId} on the Gateway, which does not have it (recorded, the credit would come back again)`
  }

  /**
   * Submits one record unless L1 consumed its message already. A refused record is tried again later, with
   * a growing wait; one L1 can never make is set aside (`unrecordable`). Resolves `true` if it sent a
   * transaction that L1 took.
   */
  async #submit(set: StatusSetter, row: Row, key: Key, chainId: number, proof: InteropProof, functionName: 'finalizeTransfer' | 'finalizeBlindedTransfer' | 'finalizeSettlementLayerTransfer', args: readonly unknown[]): Promise<boolean> {
    const { sl, manifest, privateKey } = this.#p
    const router = { address: manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi } as const
    const id = withdrawalId({ chainId, batchNumber: proof.batchNumber, messageIndex: proof.messageIndex })
    if (await sl.client.readContract({ ...router, functionName: 'isMessageConsumed', args: [id] })) {
      set(key, { status: 'recorded' })
      return false
    }
    try {
      const receipt = await sl.write(privateKey, { ...router, functionName, args, action: functionName } as never)
      set(key, { status: 'recorded', tx: receipt.transactionHash })
      return true
    } catch (error) {
      if (!(error instanceof ContractRevertedError)) throw error
      if (ALREADY_RECORDED.has(error.errorName ?? '')) set(key, { status: 'recorded' })
      else if (UNRECORDABLE.has(error.errorName ?? '')) set(key, { status: `unrecordable: ${error.reason}` })
      // E.g. the source holds less than it sent (a transfer into it may not be recorded yet): try again later.
      else refuse(set, row, key, `refused: ${error.reason}`)
      return false
    }
  }
}

type StatusSetter = (key: Key, update: { status: string; tx?: Hex; retryAt?: number; attempts?: number; refusedSince?: number }) => void

/** Writes a record's status in `table` (and its retry schedule, for a refusal). */
function statusSetter(store: Store, table: 'transfers' | 'settlement_layer_transfers'): StatusSetter {
  const update = statement(store, `UPDATE ${table} SET ledger_status = ?, ledger_tx = ?, retry_at = ?, attempts = ?, refused_since = ? WHERE chain_id = ? AND block_number = ? AND log_index = ?`)
  return (key, u) => update.run(u.status, u.tx ?? null, u.retryAt ?? null, u.attempts ?? 0, u.refusedSince ?? null, ...key)
}

/** Marks a record refused for now, and when to try it again. */
function refuse(set: StatusSetter, row: Row, key: Key, status: string): void {
  const attempts = row.attempts + 1
  set(key, { status, retryAt: Date.now() + ledgerRetryDelay(attempts), attempts, refusedSince: row.refused_since ?? Date.now() })
}
