import { decodeFunctionData, getAbiItem, keccak256, slice, toFunctionSelector, type AbiFunction, type Address, type Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { messageBatchPosition } from '../indexer/buildProofFromStore.js'
import { bridgeMessageLeafOf } from '../indexer/bridgeMessageLeaf.js'
import type { Topology } from '../network/topology.js'
import type { NetworkManifest } from '../network/types.js'
import { decodeBundle, encodeFailedDepositMessage, ledgerAccount, messageLeaf, withdrawalId } from '../protocol/index.js'
import { JunctionError } from '../errors/JunctionError.js'
import { settlementLayerCursor } from '../indexer/SettlementLayerIndexer.js'
import { readCursor, statement, type Store } from '../store/openStore.js'

/** One asset of a chain's account in L1's ledger as the chain moves to a Gateway. */
export type ChainBalanceToMove = {
  assetId: Hex
  /** The chain's account now. */
  balance: bigint
  /** What its messages settled on L1 may still take out of it: the reserve that stays in the account. */
  reserved: bigint
  /** What the account had paid out in total when this was read (L1 lowers the reserve by what it pays out after). */
  outflows: bigint
  /**
   * What would move to the Gateway's account now (the balance beyond the reserve). L1 computes it again
   * in the move itself (`migrateChain` takes the reserves), so a transfer recorded in between moves too.
   */
  amount: bigint
}

/** Parameters of {@link chainBalancesToMove}. */
export type ChainBalancesToMoveParameters = {
  manifest: NetworkManifest
  topology: Topology
  l1: ChainConnection
  /** A chain that settles on L1, with every batch it committed executed there. */
  chainId: number
  /** Give up when L1's indexer has not reached the snapshot block after this long (default 60 s). */
  timeoutMs?: number
}

/** L1's indexer has not read L1 up to the block the reserves are computed at. */
export class IndexBehindError extends JunctionError {
  override name = 'IndexBehindError'
  constructor(block: number, cursor: number, waitedMs: number) {
    super(`the index has read L1 up to block ${cursor}, not ${block}, after ${Math.round(waitedMs / 1000)} s`, {
      details: "A moving chain's reserves are computed from the index at one L1 block; the services' L1 indexer must be running.",
    })
  }
}

/** Waits until L1's indexer has read L1 up to `block`. */
async function waitForIndexer(store: Store, l1ChainId: number, block: number, timeoutMs: number): Promise<void> {
  const started = Date.now()
  for (;;) {
    const cursor = readCursor(store, settlementLayerCursor(l1ChainId), -1)
    if (cursor >= block) return
    if (Date.now() - started > timeoutMs) throw new IndexBehindError(block, cursor, Date.now() - started)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const assetRegisteredEvent = getAbiItem({ abi: c.l1NativeTokenVaultAbi, name: 'AssetRegistered' })

/**
 * What a chain settling on L1 keeps in its own account in L1's ledger when it moves to a Gateway, and so
 * what it takes along (docs/protocol.md §11): for each asset its account holds, the reserve is what the
 * messages of its batches settled on L1 may still take out of the account, which L1 charges there
 * whenever they are finalized (withdrawals not finalized, transfers not recorded, failed deposits not
 * claimed, values of bundles to L1 not released); the rest moves. What the chain's blocks after its last
 * batch on L1 send settles on the Gateway and is charged there. `migrateChain` gives L1 the reserves (in as
 * many transactions as the assets need). Also right for a chain already on the Gateway: what its own account
 * still holds beyond the reserves was left behind by a move cut short, and may move too.
 *
 * Read from the store (the indexers must have seen the chain up to its last batch on L1) and L1.
 *
 * @example
 * ```ts
 * const balances = await chainBalancesToMove(store, { manifest, topology, l1, chainId: 273 })
 * ```
 */
export async function chainBalancesToMove(store: Store, parameters: ChainBalancesToMoveParameters): Promise<ChainBalanceToMove[]> {
  const { manifest, topology, l1, chainId } = parameters
  const { l2AssetRouter, priorityInbox } = manifest.l2Contracts
  const vault = { address: manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi } as const
  const router = { address: manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi } as const
  const handler = { address: manifest.l1.contracts.interopHandler, abi: c.l1InteropHandlerAbi } as const
  // Every read of L1 at one block: the reserves, the balances and the counters of what was paid out agree.
  // The index must know L1 up to that block too: a batch it has not seen would look unsettled, and its
  // messages would get no reserve.
  const blockNumber = await l1.client.getBlockNumber({ cacheTime: 0 })
  await waitForIndexer(store, manifest.l1.chainId, Number(blockNumber), parameters.timeoutMs ?? 60_000)
  const ethAsset = (await l1.client.readContract({ ...vault, functionName: 'ethAssetId' })) as Hex
  const registered = await l1.client.getLogs({ address: vault.address, event: assetRegisteredEvent, fromBlock: 0n, toBlock: blockNumber, strict: true })
  const assets = [ethAsset, ...registered.map((log) => log.args.assetId)]

  // The chain's blocks that settled on L1: every epoch of it on L1 (a chain may have been here before).
  const epochs = topology.epochs.get(chainId) ?? []
  const ranges = epochs.flatMap((epoch, i) => (epoch.slChainId === manifest.l1.chainId ? [{ from: epoch.fromBlock, to: (epochs[i + 1]?.fromBlock ?? Number.MAX_SAFE_INTEGER) - 1 }] : []))
  const inL1Epochs = <T extends { block_number: number }>(rows: T[]) => rows.filter((row) => ranges.some((r) => row.block_number >= r.from && row.block_number <= r.to))

  const reserved = new Map<string, bigint>()
  const reserve = (assetId: Hex, amount: bigint) => reserved.set(assetId.toLowerCase(), (reserved.get(assetId.toLowerCase()) ?? 0n) + amount)
  const consumed = async (sender: Address, payloadHash: Hex, at: { blockNumber: number; logIndex: number }) => {
    const position = messageBatchPosition(store, { sourceChainId: chainId, slChainId: manifest.l1.chainId, sender, payloadHash, recordedBefore: at })
    // Not batched on L1 (yet): it settles elsewhere, and is not charged here.
    if (!position) return true
    return (await l1.client.readContract({ ...router, functionName: 'isMessageConsumed', args: [withdrawalId({ chainId, ...position })], blockNumber })) as boolean
  }

  const bridgeMessages = inL1Epochs(
    statement(store, `SELECT block_number, log_index, asset_id, amount, message, NULL AS destination FROM withdrawals WHERE chain_id = ?
      UNION ALL SELECT block_number, log_index, asset_id, amount, message, destination_chain_id FROM transfers WHERE chain_id = ? AND destination_chain_id != ?`)
      .all(chainId, chainId, manifest.l1.chainId) as { block_number: number; log_index: number; asset_id: Hex; amount: string; message: Hex; destination: number | null }[],
  )
  for (const row of bridgeMessages) {
    // A private chain's withdrawal's or transfer's leaf is blinded (docs/protocol.md §9.13).
    const payloadHash = bridgeMessageLeafOf(store, chainId, row.message).payloadHash
    if (!(await consumed(l2AssetRouter, payloadHash, { blockNumber: row.block_number, logIndex: row.log_index }))) reserve(row.asset_id, BigInt(row.amount))
  }

  // Failed deposits: the inbox recorded `(index, requestHash)` for each.
  const failedLeaves = new Set(
    (statement(store, 'SELECT leaf, block_number FROM message_leaves WHERE chain_id = ? AND sender = ?').all(chainId, priorityInbox) as { leaf: Hex; block_number: number }[])
      .filter((row) => inL1Epochs([row]).length > 0)
      .map((row) => row.leaf.toLowerCase()),
  )
  if (failedLeaves.size > 0) {
    const requests = statement(store, 'SELECT r.idx, r.request_hash, r.data FROM priority_processed p JOIN priority_requests r ON r.chain_id = p.chain_id AND r.idx = p.idx WHERE p.chain_id = ?')
      .all(chainId) as { idx: number; request_hash: Hex; data: Hex }[]
    for (const request of requests) {
      const leaf = messageLeaf(priorityInbox, keccak256(encodeFailedDepositMessage({ index: request.idx, requestHash: request.request_hash })))
      if (!failedLeaves.has(leaf.toLowerCase())) continue
      if (await l1.client.readContract({ ...router, functionName: 'isDepositClaimed', args: [request.request_hash], blockNumber })) continue
      const deposit = depositOf(request.data, ethAsset)
      if (deposit) reserve(deposit.assetId, deposit.amount)
    }
  }

  // Values of bundles to L1: released from the chain's account when L1 first verifies the bundle.
  const toL1 = inL1Epochs(statement(store, 'SELECT bundle_hash, bundle, block_number FROM bundles_sent WHERE source_chain_id = ? AND destination_chain_id = ?').all(chainId, manifest.l1.chainId) as { bundle_hash: Hex; bundle: Hex; block_number: number }[])
  for (const row of toL1) {
    const value = decodeBundle(row.bundle).calls.reduce((sum, call) => sum + call.value, 0n)
    if (value === 0n) continue
    if (Number(await l1.client.readContract({ ...handler, functionName: 'bundleStatus', args: [row.bundle], blockNumber })) === 0) reserve(ethAsset, value)
  }

  // Every asset, also those the account holds none of now: a transfer L1 records before the move moves too.
  // Read READS_AT_ONCE assets at a time: a network may know thousands.
  const account = ledgerAccount(chainId)
  const result: ChainBalanceToMove[] = []
  for (let start = 0; start < assets.length; start += READS_AT_ONCE) {
    const read = assets.slice(start, start + READS_AT_ONCE).map(async (assetId): Promise<ChainBalanceToMove> => {
      const [balance, outflows] = (await Promise.all([
        l1.client.readContract({ ...vault, functionName: 'balanceOf', args: [account, assetId], blockNumber }),
        l1.client.readContract({ ...vault, functionName: 'outflowsOf', args: [account, assetId], blockNumber }),
      ])) as [bigint, bigint]
      const kept = reserved.get(assetId.toLowerCase()) ?? 0n
      return { assetId, balance, reserved: kept, outflows, amount: balance > kept ? balance - kept : 0n }
    })
    result.push(...(await Promise.all(read)))
  }
  return result
}

/** How many assets' balances {@link chainBalancesToMove} reads from L1 at once. */
const READS_AT_ONCE = 32

const depositSelectors = new Set((['finalizeDeposit', 'finalizeETHDeposit'] as const).map((name) => toFunctionSelector(getAbiItem({ abi: c.l2AssetRouterAbi, name }) as AbiFunction)))

/** The asset and amount of a deposit's priority request (`finalizeDeposit` or `finalizeETHDeposit` of the L2 asset router); undefined for another request. */
function depositOf(data: Hex, ethAsset: Hex): { assetId: Hex; amount: bigint } | undefined {
  if (!depositSelectors.has(slice(data, 0, 4))) return undefined
  const call = decodeFunctionData({ abi: c.l2AssetRouterAbi, data })
  if (call.functionName === 'finalizeDeposit') return { assetId: call.args[0], amount: call.args[8] }
  if (call.functionName === 'finalizeETHDeposit') return { assetId: ethAsset, amount: call.args[2] }
  return undefined
}
