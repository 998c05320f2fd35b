import { AbiEventSignatureNotFoundError, decodeEventLog, isAddressEqual, type Abi, type Address, type Hex, type Log } from 'viem'
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

/** A chain → chain transfer whose source chain held less than it sent: the L1 ledger refused to record it. */
export type RefusedTransfer = {
  sourceChainId: number
  destinationChainId: number
  assetId: Hex
  amount: bigint
  /** The source chain's transaction that sent it. */
  txHash: Hex
  /** Why the ledger keeper could not record it. */
  reason: string
}

/** What {@link getUnbackedMints} resolves with. */
export type GetUnbackedMintsReturnType = {
  forgedBundles: ForgedBundle[]
  refusedTransfers: RefusedTransfer[]
  /**
   * Executed bundles not sent as far as the index knows, whose source chain is not indexed as far as
   * their execution yet: checked on a later call.
   */
  unchecked: number
}

const routerEvents = c.l2AssetRouterAbi.filter((item) => item.type === 'event') as Abi
const holderEvents = c.baseTokenHolderAbi.filter((item) => item.type === 'event') as Abi
const vaultEvents = c.l1NativeTokenVaultAbi.filter((item) => item.type === 'event') as Abi
const handlerEvents = c.interopHandlerAbi.filter((item) => item.type === 'event') as Abi

/**
 * Mints and ETH releases the L1 ledger will never back (docs/protocol.md §9.9): bundles executed on a
 * chain (or on L1) that no InteropCenter ever sent, which only a source chain settling a forged batch
 * can produce, with what each minted and released; and transfers the ledger refused because their
 * source held less than it sent. This **detects** the gap of §9.9, it does not close it: the tokens
 * are minted by the time they show here. An empty result is what an honest network gives.
 *
 * Refusals are what the services' ledger keeper recorded in their store: an index read straight from
 * the RPCs has none.
 *
 * A bundle counts as never sent once its source chain is indexed up to its head, or up to a block at
 * least as recent as the bundle's execution (chains' clocks are assumed to agree to within the time a
 * bundle takes to settle); until then it is counted in `unchecked`.
 *
 * @example
 * ```ts
 * await index.sync()
 * const { forgedBundles, refusedTransfers } = await getUnbackedMints(index)
 * ```
 */
export async function getUnbackedMints(index: JunctionIndex): Promise<GetUnbackedMintsReturnType> {
  const { store, manifest } = index
  const candidates = store
    .prepare(
      `SELECT e.bundle_hash, e.chain_id, e.block_number, e.tx_hash FROM bundles_executed e
       WHERE NOT EXISTS (SELECT 1 FROM bundles_sent s WHERE s.bundle_hash = e.bundle_hash) ORDER BY e.chain_id, e.block_number`,
    )
    .all() as { bundle_hash: Hex; chain_id: number; block_number: number; tx_hash: Hex }[]
  const forgedBundles: ForgedBundle[] = []
  let unchecked = 0
  for (const candidate of candidates) {
    const onL1 = candidate.chain_id === manifest.l1.chainId
    const chain = onL1 ? index.l1 : index.chain(candidate.chain_id)
    const receipt = await chain.client.getTransactionReceipt({ hash: candidate.tx_hash })
    const handler = onL1 ? manifest.l1.contracts.interopHandler : manifest.l2Contracts.interopHandler
    const { sourceChainId, logs } = bundleLogs(receipt.logs, handler, candidate.bundle_hash)
    const executedAt = (await chain.client.getBlock({ blockNumber: receipt.blockNumber })).timestamp
    if (!(await indexedPast(index, sourceChainId, executedAt))) {
      unchecked++
      continue
    }
    forgedBundles.push({
      chainId: candidate.chain_id,
      sourceChainId,
      bundleHash: candidate.bundle_hash,
      txHash: candidate.tx_hash,
      blockNumber: candidate.block_number,
      ...(onL1 ? { tokens: [], value: releasedOnL1(logs, manifest.l1.contracts.nativeTokenVault, sourceChainId) } : mintedOnChain(logs, manifest.l2Contracts, handler)),
    })
  }
  const refusedTransfers = (
    store
      .prepare(`SELECT chain_id, destination_chain_id, asset_id, amount, tx_hash, ledger_status FROM transfers WHERE ledger_status LIKE 'refused%' ORDER BY chain_id, block_number, log_index`)
      .all() as { chain_id: number; destination_chain_id: number; asset_id: Hex; amount: string; tx_hash: Hex; ledger_status: string }[]
  ).map((row) => ({
    sourceChainId: row.chain_id,
    destinationChainId: row.destination_chain_id,
    assetId: row.asset_id,
    amount: BigInt(row.amount),
    txHash: row.tx_hash,
    reason: row.ledger_status.replace(/^refused:\s*/, ''),
  }))
  return { forgedBundles, refusedTransfers, unchecked }
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
  const executions = logs.flatMap((log, i) => {
    if (!isAddressEqual(log.address, handler)) return []
    const event = decodeKnown(handlerEvents, log)
    return event?.eventName === 'BundleExecuted' ? [{ i, ...(event.args as unknown as { bundleHash: Hex; sourceChainId: bigint }) }] : []
  })
  const at = executions.findIndex((execution) => execution.bundleHash.toLowerCase() === bundleHash.toLowerCase())
  if (at < 0) throw new JunctionError(`transaction has no BundleExecuted for bundle ${bundleHash}`, { details: 'The index and the chain disagree: was the chain restarted under the same data dir?' })
  const end = executions[at + 1]?.i ?? logs.length
  return { sourceChainId: Number(executions[at]!.sourceChainId), logs: logs.slice(executions[at]!.i + 1, end) }
}

/** Bridged tokens minted and ETH released on a ZK chain by one bundle's calls. */
function mintedOnChain(logs: Log[], contracts: { l2AssetRouter: Address; baseTokenHolder: Address }, handler: Address): { tokens: { assetId: Hex; amount: bigint }[]; value: bigint } {
  const tokens = new Map<Hex, bigint>()
  let value = 0n
  for (const log of logs) {
    if (isAddressEqual(log.address, contracts.l2AssetRouter)) {
      const event = decodeKnown(routerEvents, log)
      if (event?.eventName !== 'TransferReceived') continue
      const { assetId, amount } = event.args as unknown as { assetId: Hex; amount: bigint }
      tokens.set(assetId, (tokens.get(assetId) ?? 0n) + amount)
    } else if (isAddressEqual(log.address, contracts.baseTokenHolder)) {
      const event = decodeKnown(holderEvents, log)
      if (event?.eventName !== 'BaseTokenReleased') continue
      const { by, amount } = event.args as unknown as { by: Address; amount: bigint }
      if (isAddressEqual(by, handler)) value += amount
    }
  }
  return { tokens: [...tokens].map(([assetId, amount]) => ({ assetId, amount })), value }
}

/** ETH the L1 vault released from `sourceChainId`'s balance during one bundle's execution on L1 (its calls' value). */
function releasedOnL1(logs: Log[], vault: Address, sourceChainId: number): bigint {
  let value = 0n
  for (const log of logs) {
    if (!isAddressEqual(log.address, vault)) continue
    const event = decodeKnown(vaultEvents, log)
    if (event?.eventName !== 'WithdrawalReleased') continue
    const { chainId, amount } = event.args as unknown as { chainId: bigint; amount: bigint }
    if (Number(chainId) === sourceChainId) value += amount
  }
  return value
}

/** Decodes a log of a contract whose events are `abi`; `undefined` for an event that is not among them. */
function decodeKnown(abi: Abi, log: Log): { eventName: string; args: Record<string, unknown> } | undefined {
  try {
    return decodeEventLog({ abi, data: log.data, topics: log.topics }) as unknown as { eventName: string; args: Record<string, unknown> }
  } catch (error) {
    if (error instanceof AbiEventSignatureNotFoundError) return undefined
    throw error
  }
}
