import { getAbiItem, isAddressEqual, parseEventLogs, type Address, type Hex, type Log } from 'viem'
import * as c from '../../contracts/generated/index.js'
import { JunctionError } from '../../errors/JunctionError.js'
import { zkChainCursor } from '../../indexer/ZkChainIndexer.js'
import { readCursor } from '../../store/openStore.js'
import type { JunctionIndex } from '../JunctionIndex.js'

/** A bundle a chain executed that no chain's InteropCenter sent: its source settled a forged batch. */
export type ForgedBundle = {
  /** Where it was executed (L1's chain id for a bundle run on L1). */
  chainId: number
  /** The chain whose batch held it. */
  sourceChainId: number
  bundleHash: Hex
  txHash: Hex
  blockNumber: number
  /** Bridged tokens it minted there (`TransferReceived` of the chain's asset router), by asset. */
  tokens: { assetId: Hex; amount: bigint }[]
  /** ETH it released there: from the chain's base-token holder, or on L1 from the vault. */
  value: bigint
}

/** A withdrawal L1 released that its chain never recorded: a forged batch took it out of the chain's own balance. */
export type ForgedWithdrawal = {
  chainId: number
  assetId: Hex
  l1Receiver: Address
  amount: bigint
  withdrawalId: Hex
  /** The L1 transaction that finalized it. */
  txHash: Hex
  l1BlockNumber: number
}

/** A chain → chain transfer whose source held less than it sent (the chain's own L1 account, or its Gateway's): the L1 ledger refused to record it. */
export type RefusedTransfer = {
  sourceChainId: number
  destinationChainId: number
  assetId: Hex
  amount: bigint
  /** The source chain's transaction that sent it (or, for value a Gateway let leave, the Gateway's transaction that approved it). */
  txHash: Hex
  /**
   * Why the ledger keeper could not record it: `refused: …` (for longer than {@link REFUSAL_GRACE_MS}: the
   * source holds less than it sent, or the destination is unknown; the keeper keeps trying, so it may
   * still clear) or `unrecordable: …` (L1 never will: not a message it records).
   */
  reason: string
}

/** What {@link auditLedger} resolves with. */
export type AuditLedgerReturnType = {
  forgedBundles: ForgedBundle[]
  forgedWithdrawals: ForgedWithdrawal[]
  refusedTransfers: RefusedTransfer[]
  /**
   * Bundles executed and withdrawals finalized that the index has not seen sent or recorded, whose
   * chain is not indexed as far as their execution yet: judged on a later call.
   */
  unchecked: number
}

/**
 * How long a refused record may stay refused before the audit reports it: the ledger keeper tries it again
 * (a transfer into its source may simply not have been recorded yet), so a refusal younger than this is
 * ordinary ordering, not a finding.
 */
export const REFUSAL_GRACE_MS = 60_000

const withdrawalFinalizedEvent = getAbiItem({ abi: c.l1AssetRouterAbi, name: 'WithdrawalFinalized' })

/**
 * What a chain settling forged batches did (docs/protocol.md §9.9), as far as the chains show it:
 * bundles executed on a chain (or on L1) that no InteropCenter ever sent, with what each minted and
 * released (the ledger does not back these: the gap of §9.9); withdrawals L1 released that the chain
 * never recorded (the ledger capped them at the chain's own balance, but they came out of its
 * depositors' share); and transfers the ledger refused because their source held less than it sent.
 * This **detects**, it does not undo: by the time something shows here it happened. An honest network
 * gives empty lists. (A chain settling on a Gateway cannot settle such a batch at all: its Gateway's
 * asset tracker refuses it, §9.10; this finds what chains settling on L1 did, and forgeries from before
 * a chain moved.)
 *
 * Refusals are what the services' ledger keeper recorded in their store: an index read straight from
 * the RPCs has none.
 *
 * A bundle (a withdrawal) counts as never sent (recorded) once its chain is indexed up to its head, or
 * up to a block at least as recent as its execution (finalization); chains' clocks are assumed to
 * agree to within the time a message takes to settle. Until then it is counted in `unchecked`.
 *
 * @example
 * ```ts
 * await index.sync()
 * const { forgedBundles, forgedWithdrawals, refusedTransfers } = await auditLedger(index)
 * ```
 */
export async function auditLedger(index: JunctionIndex): Promise<AuditLedgerReturnType> {
  const unchecked = { count: 0 }
  const forgedBundles = await findForgedBundles(index, unchecked)
  const forgedWithdrawals = await findForgedWithdrawals(index, unchecked)
  // Refused: a chain's transfer message, or value a Gateway let leave (whose source is the chain it left from).
  const refusedTransfers = (
    index.store
      .prepare(
        `SELECT chain_id, destination_chain_id, asset_id, amount, tx_hash, ledger_status, block_number, log_index FROM transfers
           WHERE (ledger_status LIKE 'refused%' AND refused_since <= @before) OR ledger_status LIKE 'unrecordable%'
         UNION ALL SELECT source_chain_id, destination_chain_id, asset_id, amount, tx_hash, ledger_status, block_number, log_index FROM settlement_layer_transfers
           WHERE (ledger_status LIKE 'refused%' AND refused_since <= @before) OR ledger_status LIKE 'unrecordable%'
         ORDER BY 1, 7, 8`,
      )
      .all({ before: Date.now() - REFUSAL_GRACE_MS }) as { chain_id: number; destination_chain_id: number; asset_id: Hex; amount: string; tx_hash: Hex; ledger_status: string }[]
  ).map((row) => ({
    sourceChainId: row.chain_id,
    destinationChainId: row.destination_chain_id,
    assetId: row.asset_id,
    amount: BigInt(row.amount),
    txHash: row.tx_hash,
    reason: row.ledger_status,
  }))
  return { forgedBundles, forgedWithdrawals, refusedTransfers, unchecked: unchecked.count }
}

/** Bundles executed (`BundleExecuted`) that no chain sent (`BundleSent` or `MessageBundleSent`), with what each minted and released. */
async function findForgedBundles(index: JunctionIndex, unchecked: { count: number }): Promise<ForgedBundle[]> {
  const { store, manifest } = index
  const candidates = store
    .prepare(
      `SELECT e.bundle_hash, e.chain_id, e.block_number, e.tx_hash FROM bundles_executed e
       WHERE NOT EXISTS (SELECT 1 FROM bundles_sent s WHERE s.bundle_hash = e.bundle_hash) ORDER BY e.chain_id, e.block_number`,
    )
    .all() as { bundle_hash: Hex; chain_id: number; block_number: number; tx_hash: Hex }[]
  const forged: ForgedBundle[] = []
  for (const candidate of candidates) {
    const onL1 = candidate.chain_id === manifest.l1.chainId
    const chain = onL1 ? index.l1 : index.chain(candidate.chain_id)
    const receipt = await chain.client.getTransactionReceipt({ hash: candidate.tx_hash })
    const handler = onL1 ? manifest.l1.contracts.interopHandler : manifest.l2Contracts.interopHandler
    const { sourceChainId, logs } = bundleLogs(receipt.logs, handler, candidate.bundle_hash)
    const executedAt = (await chain.client.getBlock({ blockNumber: receipt.blockNumber })).timestamp
    if (!(await indexedPast(index, sourceChainId, executedAt))) {
      unchecked.count++
      continue
    }
    forged.push({
      chainId: candidate.chain_id,
      sourceChainId,
      bundleHash: candidate.bundle_hash,
      txHash: candidate.tx_hash,
      blockNumber: candidate.block_number,
      ...(onL1 ? { tokens: [], value: releasedOnL1(logs, manifest.l1.contracts.nativeTokenVault) } : mintedOnChain(logs, manifest.l2Contracts, handler)),
    })
  }
  return forged
}

/**
 * Withdrawals finalized on L1 (`WithdrawalFinalized`) beyond those their chain recorded
 * (`WithdrawalInitiated`) with the same asset, receiver and amount, matched in order.
 */
async function findForgedWithdrawals(index: JunctionIndex, unchecked: { count: number }): Promise<ForgedWithdrawal[]> {
  const { store, manifest, l1 } = index
  const key = (chainId: number, assetId: string, receiver: string, amount: bigint) => `${chainId}:${assetId.toLowerCase()}:${receiver.toLowerCase()}:${amount}`
  const recorded = new Map<string, number>()
  const rows = store.prepare('SELECT chain_id, asset_id, l1_receiver, amount FROM withdrawals').all() as { chain_id: number; asset_id: Hex; l1_receiver: Address; amount: string }[]
  for (const row of rows) {
    const k = key(row.chain_id, row.asset_id, row.l1_receiver, BigInt(row.amount))
    recorded.set(k, (recorded.get(k) ?? 0) + 1)
  }
  const finalized = await l1.client.getLogs({ address: manifest.l1.contracts.assetRouter, event: withdrawalFinalizedEvent, fromBlock: 0n, toBlock: 'latest', strict: true })
  const forged: ForgedWithdrawal[] = []
  for (const log of finalized) {
    const { chainId, assetId, l1Receiver, amount, withdrawalId } = log.args
    const k = key(Number(chainId), assetId, l1Receiver, amount)
    const left = recorded.get(k) ?? 0
    if (left > 0) {
      recorded.set(k, left - 1)
      continue
    }
    const finalizedAt = (await l1.client.getBlock({ blockNumber: log.blockNumber })).timestamp
    if (!(await indexedPast(index, Number(chainId), finalizedAt))) {
      unchecked.count++
      continue
    }
    forged.push({ chainId: Number(chainId), assetId, l1Receiver, amount, withdrawalId, txHash: log.transactionHash, l1BlockNumber: Number(log.blockNumber) })
  }
  return forged
}

/**
 * Whether the index has read `chainId` far enough that a bundle it sent before `executedAt` (a
 * destination block's timestamp: an honest bundle is sent before it is executed) would be in it:
 * read up to the chain's head, or up to a block no older than that.
 */
async function indexedPast(index: JunctionIndex, chainId: number, executedAt: bigint): Promise<boolean> {
  const chain = index.chains.get(chainId)
  if (!chain) return true
  const cursor = readCursor(index.store, zkChainCursor(chainId), -1)
  if (cursor < 0) return false
  if (BigInt(cursor) >= (await chain.client.getBlockNumber({ cacheTime: 0 }))) return true
  return (await chain.client.getBlock({ blockNumber: BigInt(cursor) })).timestamp >= executedAt
}

/**
 * The logs one bundle's execution emitted: the handler emits `BundleExecuted` before it delivers the
 * calls, and a transaction may execute several bundles, so they are the logs after its own, up to the
 * next one.
 */
function bundleLogs(logs: Log[], handler: Address, bundleHash: Hex): { sourceChainId: number; logs: Log[] } {
  const executions = parseEventLogs({ abi: c.interopHandlerAbi, eventName: 'BundleExecuted', logs }).filter((log) => isAddressEqual(log.address, handler))
  const at = executions.findIndex((execution) => execution.args.bundleHash.toLowerCase() === bundleHash.toLowerCase())
  if (at < 0) throw new JunctionError(`transaction has no BundleExecuted for bundle ${bundleHash}`, { details: 'The index and the chain disagree: was the chain restarted under the same data dir?' })
  const from = executions[at]!.logIndex
  const to = executions[at + 1]?.logIndex ?? Number.MAX_SAFE_INTEGER
  return { sourceChainId: Number(executions[at]!.args.sourceChainId), logs: logs.filter((log) => log.logIndex !== null && log.logIndex > from && log.logIndex < to) }
}

/** Bridged tokens minted and ETH released on a ZK chain by one bundle's calls. */
function mintedOnChain(logs: Log[], contracts: { l2AssetRouter: Address; baseTokenHolder: Address }, handler: Address): { tokens: { assetId: Hex; amount: bigint }[]; value: bigint } {
  const tokens = new Map<Hex, bigint>()
  for (const { address, args } of parseEventLogs({ abi: c.l2AssetRouterAbi, eventName: 'TransferReceived', logs })) {
    if (isAddressEqual(address, contracts.l2AssetRouter)) tokens.set(args.assetId, (tokens.get(args.assetId) ?? 0n) + args.amount)
  }
  const value = parseEventLogs({ abi: c.baseTokenHolderAbi, eventName: 'BaseTokenReleased', logs })
    .filter((log) => isAddressEqual(log.address, contracts.baseTokenHolder) && isAddressEqual(log.args.by, handler))
    .reduce((sum, log) => sum + log.args.amount, 0n)
  return { tokens: [...tokens].map(([assetId, amount]) => ({ assetId, amount })), value }
}

/** ETH the L1 vault released during one bundle's execution on L1 (its calls' value, from the ledger account its batch is charged to). */
function releasedOnL1(logs: Log[], vault: Address): bigint {
  return parseEventLogs({ abi: c.l1NativeTokenVaultAbi, eventName: 'WithdrawalReleased', logs })
    .filter((log) => isAddressEqual(log.address, vault))
    .reduce((sum, log) => sum + log.args.amount, 0n)
}
