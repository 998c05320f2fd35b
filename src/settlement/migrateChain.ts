import { getAbiItem, keccak256, parseEventLogs, type Hex, type TransactionReceipt } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { JunctionError } from '../errors/JunctionError.js'
import { buildLeafProofFromStore } from '../indexer/buildProofFromStore.js'
import type { NetworkManifest } from '../network/types.js'
import { endPause, pauseAcknowledgedAt, requestPause } from '../store/settlementPauses.js'
import { readCursor, type Store } from '../store/openStore.js'
import { zkChainCursor } from '../indexer/ZkChainIndexer.js'
import { topologyOf } from '../network/topology.js'
import { chainBalancesToMove, type ChainBalanceToMove } from './chainBalancesToMove.js'

/** Parameters of {@link migrateChain}. */
export type MigrateChainParameters = {
  manifest: NetworkManifest
  /** The store of the services running the network (`<data-dir>/junction.db`): they must be running. */
  store: Store
  /** The chain that moves. */
  chainId: number
  /** Where to: the network's Gateway, or back to L1. */
  to: 'gateway' | 'l1'
  /**
   * Called with each step as it completes; the migration goes on once what it returns has settled (a
   * caller may act between two steps, e.g. send value to the chain while it is on its way back).
   */
  onStep?: (step: MigrationStep) => void | Promise<void>
  /** Give up when one step waits longer than this (default 120 s). */
  stepTimeoutMs?: number
  /**
   * To the Gateway: most assets one L1 transaction carries (default {@link MIGRATION_ASSETS_PER_L1_TRANSACTION}).
   * The move itself carries the first ones, `moveBalancesToGateway` each next part.
   */
  maxAssetsPerTransaction?: number
}

/**
 * Most assets one L1 transaction of a move to the Gateway carries. L1 spends about 56,000 gas per asset
 * (moving it in the ledger and queueing its credit: 3.72 M gas for 61 assets against 0.33 M for one,
 * measured by test/contracts/migrationContracts.test.ts), so 200 take about 11.5 M, well inside an L1 block.
 */
export const MIGRATION_ASSETS_PER_L1_TRANSACTION = 200

/** One completed step of a migration, with the time it completed (ms since epoch). */
export type MigrationStep = { name: string; at: number; detail?: string }

/** What {@link migrateChain} resolves with. */
export type MigrateChainReturnType = {
  chainId: number
  from: number
  to: number
  /** The last batch the chain settled on `from`; the next one settles on `to`. */
  lastBatch: number
  /** The chain's last block settled on `from`: blocks after it settle on `to`. */
  lastBlock: number
  /**
   * The chain's balances that moved between L1's ledger accounts with it (docs/protocol.md §11): to the
   * Gateway, one entry per asset L1 knows, with what moved (its account's balance beyond the reserve) and
   * the reserve kept for its messages settled on L1 (`reserved`; both 0 for most assets); back to L1, what
   * the Gateway's asset tracker held for it.
   */
  balances: { assetId: Hex; amount: bigint; reserved: bigint }[]
  steps: MigrationStep[]
  totalMs: number
}

/** The chain already settles where it was asked to move. */
export class ChainAlreadyThereError extends JunctionError {
  override name = 'ChainAlreadyThereError'
  constructor(chain: string, where: string) {
    super(`${chain} already settles on ${where}`)
  }
}

/** The network has no Gateway to move a chain to. */
export class NoGatewayError extends JunctionError {
  override name = 'NoGatewayError'
  constructor() {
    super('the network has no Gateway', { details: 'Start it with a Gateway (`junction up`, the default) to move chains onto it.' })
  }
}

/** The Gateway processed a chain's activation, but the chain's settlement there is not active. */
export class ActivationFailedError extends JunctionError {
  override name = 'ActivationFailedError'
  constructor(chain: string, gateway: string) {
    super(`${gateway} processed the activation of ${chain}, but ${chain} does not settle there`, {
      details: `Look for PriorityRequestFailed on the priority inbox of ${gateway}; the chain needs the network's owner.`,
    })
  }
}

/** A step of a migration waited too long. */
export class MigrationStepTimeoutError extends JunctionError {
  override name = 'MigrationStepTimeoutError'
  constructor(step: string, waitedMs: number, hint: string) {
    super(`the migration waited ${Math.round(waitedMs / 1000)} s for: ${step}`, { details: hint })
  }
}

/**
 * Moves a chain between L1 and the network's Gateway while it runs (docs/protocol.md §11): messages
 * in flight to and from it are neither lost nor executed twice, because each message is proven from
 * where its block settled, and a chain's bundle statuses on its own InteropHandler stay where they are.
 *
 * The services must be running on `store` (`junction up`, or `junction services`): the migration
 * pauses the chain's root imports and batch commits through the store, waits until everything the
 * chain committed is executed where it settles, then:
 * - L1 → Gateway: one L1 transaction (`ChainRegistry.migrateChain`) stops the chain's settlement on L1,
 *   moves its balances (beyond what its messages settled on L1 may still take) to the Gateway's account and
 *   queues its activation on the Gateway, then their credit. When one transaction cannot carry every asset
 *   (more than `maxAssetsPerTransaction`), `moveBalancesToGateway` moves the rest in further transactions,
 *   a step each (`balances moved: k of n assets`). Once the Gateway processed the activation and every
 *   credit, the chain settles there. Asked again for a chain already on the Gateway, it moves what a move
 *   cut short left behind ({@link ChainAlreadyThereError} when there is nothing left).
 * - Gateway → L1: `migrateChain` on L1 refuses further deposits and queues a fence on the Gateway;
 *   once processed, `releaseChain` on the Gateway stops the chain's settlement there and records a
 *   migration message; once the Gateway batch holding it is executed on L1, `finalizeChainMigration`
 *   proves it on L1 and the chain settles on L1 again.
 * The admin transactions are signed with the L1 deployer (the registries' owner).
 *
 * @example
 * ```ts
 * const moved = await migrateChain({ manifest, store: services.store, chainId: 273, to: 'gateway' })
 * console.log(`gamma settles on the Gateway from block ${moved.lastBlock + 1}`)
 * ```
 */
export async function migrateChain(parameters: MigrateChainParameters): Promise<MigrateChainReturnType> {
  const started = Date.now()
  const { manifest, store, chainId } = parameters
  const timeoutMs = parameters.stepTimeoutMs ?? 120_000
  const info = manifest.chains.find((chain) => chain.chainId === chainId && chain.role !== 'gateway')
  if (!info) throw new Error(`chain ${chainId} is not a ZK chain of this network`)
  const gatewayInfo = manifest.chains.find((chain) => chain.role === 'gateway')
  if (!gatewayInfo?.gatewayContracts) throw new NoGatewayError()
  const l1 = new ChainConnection(manifest.l1)
  const gateway = new ChainConnection(gatewayInfo)
  const admin = manifest.accounts.l1Deployer.privateKey
  const l1Registry = { address: manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi } as const
  const gatewayRegistry = { address: gatewayInfo.gatewayContracts.chainRegistry, abi: c.chainRegistryAbi } as const
  const from = Number(await l1.client.readContract({ ...l1Registry, functionName: 'settlementLayerOf', args: [BigInt(chainId)] }))
  const to = parameters.to === 'gateway' ? gatewayInfo.chainId : manifest.l1.chainId
  const perTransaction = parameters.maxAssetsPerTransaction ?? MIGRATION_ASSETS_PER_L1_TRANSACTION
  if (!Number.isInteger(perTransaction) || perTransaction < 1) throw new JunctionError(`maxAssetsPerTransaction must be a positive integer, got ${perTransaction}`)

  const steps: MigrationStep[] = []
  const step = async (name: string, detail?: string) => {
    const done = { name, at: Date.now(), ...(detail ? { detail } : {}) }
    steps.push(done)
    await parameters.onStep?.(done)
  }
  const waitFor = async <T>(what: string, hint: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> => {
    const since = Date.now()
    for (;;) {
      const value = await check()
      if (value !== undefined) return value
      if (Date.now() - since > timeoutMs) throw new MigrationStepTimeoutError(what, Date.now() - since, hint)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const settlementOn = (slChainId: number) => ({ address: info.settlements.find((s) => s.slChainId === slChainId)!.address, abi: c.chainSettlementAbi }) as const
  const toGateway: ToGateway = { manifest, l1, gateway, gatewayInfo, info, admin, perTransaction, step, waitFor }
  const reservesNow = async () => orderForMove(await chainBalancesToMove(store, { manifest, topology: topologyOf(manifest, store), l1, chainId, timeoutMs }))

  if (from === to) {
    const there = parameters.to === 'gateway' ? gatewayInfo.name : manifest.l1.name
    const returning = (await l1.client.readContract({ ...l1Registry, functionName: 'isMigrating', args: [BigInt(chainId)] })) as boolean
    if (to !== gatewayInfo.chainId || returning) throw new ChainAlreadyThereError(info.name, there)
    // On the Gateway already: a move cut short may have left balances in the chain's own L1 account.
    const left = (await reservesNow()).filter((b) => b.amount > 0n)
    if (left.length === 0) throw new ChainAlreadyThereError(info.name, there)
    const receipts = await moveBalancesInParts(toGateway, left, [])
    const migrated = await l1.client.getLogs({ address: l1Registry.address, event: getAbiItem({ abi: c.chainRegistryAbi, name: 'ChainMigrated' }), args: { chainId: BigInt(chainId) }, fromBlock: 0n, strict: true })
    const last = migrated.at(-1)!.args
    return { chainId, from, to, lastBatch: Number(last.batchNumber), lastBlock: Number(last.lastBlock), balances: movedBalances(left, receipts), steps, totalMs: Date.now() - started }
  }
  const source = from === manifest.l1.chainId ? { sl: l1, name: manifest.l1.name } : { sl: gateway, name: gatewayInfo.name }
  const sourceSettlement = settlementOn(from)

  const movesBefore = recordedMoves(store, chainId)
  // 1. No root is imported into the chain from here on, and once the roots it imported are settled, nothing new is committed.
  const pauseToken = requestPause(store, 'root-imports', chainId)
  try {
    const pausedAt = await waitFor(`the root importer of ${info.name} to pause`, 'Are the services running on this data dir (`junction up` or `junction services`)?', () =>
      pauseAcknowledgedAt(store, 'root-imports', chainId, pauseToken),
    )
    await step('root imports paused', `nothing imported into ${info.name} after its block ${pausedAt}`)
    await waitFor(`the roots ${info.name} imported up to its block ${pausedAt} to be settled on ${source.name}`, 'The indexers, the batcher and the settlement submitter must be running.', () => {
      if (readCursor(store, zkChainCursor(chainId), info.genesis.lastBlock) < pausedAt) return undefined
      // Batches execute in order: every root imported up to the last block of the last executed batch is
      // settled, and none may be left between that block and the pause.
      const { settled } = store.prepare('SELECT COALESCE(MAX(last_block), 0) AS settled FROM sl_batches WHERE chain_id = ? AND executed_block IS NOT NULL').get(chainId) as { settled: number }
      const unsettled = store
        .prepare(
          `SELECT 1 AS ok FROM imported_roots WHERE chain_id = @chain AND block_number > @settled AND block_number <= @pausedAt
           UNION ALL SELECT 1 FROM imported_batch_roots WHERE chain_id = @chain AND block_number > @settled AND block_number <= @pausedAt LIMIT 1`,
        )
        .get({ chain: chainId, settled, pausedAt })
      return unsettled ? undefined : true
    })
    await step(`imported roots settled on ${source.name}`)

    // 2. Drain: every committed batch executed, every queued deposit processed in an executed batch; then the move itself.
    const leave = async (send: () => Promise<TransactionReceipt>, name: string) =>
      waitFor(`${info.name} to leave ${source.name}`, 'Deposits keep arriving, or the settlement submitter is not running.', async () => {
        requestPause(store, 'commits', chainId)
        await waitFor(`every batch ${info.name} committed on ${source.name} to be executed`, 'The settlement submitter must be running.', async () => {
          const [committed, executed] = await Promise.all([
            source.sl.client.readContract({ ...sourceSettlement, functionName: 'totalCommitted' }),
            source.sl.client.readContract({ ...sourceSettlement, functionName: 'totalExecuted' }),
          ])
          return committed === executed ? true : undefined
        })
        try {
          return await send()
        } catch (error) {
          // A deposit processed but not settled yet, or a commit that slipped in: settle it, then try again.
          if (!(error instanceof ContractRevertedError) || !['PriorityRequestsPending', 'BatchesNotExecuted'].includes(error.errorName ?? '')) throw error
          endPause(store, 'commits', chainId)
          await step(`${name} refused for now`, error.errorName)
          await new Promise((resolve) => setTimeout(resolve, 200))
          return undefined
        }
      })

    let moved: { batchNumber: number; lastBlock: number }
    let balances: MigrateChainReturnType['balances'] = []
    if (to === gatewayInfo.chainId) {
      // Value the chain received and already minted must be in its L1 account before it leaves (the ledger
      // keeper records it), or a withdrawal of it still in flight would find the account short.
      await waitFor(`the transfers ${info.name} received to be recorded in L1's ledger`, 'The ledger keeper (`junction services`) must be running. A transfer L1 keeps refusing (its source holds less than it sent: `junction audit` lists it after a minute) holds the move back for good.', () =>
        unrecordedInflows(store, chainId) === 0 ? true : undefined,
      )
      let reserves: ChainBalanceToMove[] = []
      const receipt = await leave(async () => {
        // Once drained: what its messages settled on L1 may still take out of its account stays there. The
        // move carries the first part of the assets (those with something to move first).
        reserves = await reservesNow()
        const args = [BigInt(chainId), BigInt(to), reserveArguments(reserves.slice(0, perTransaction))] as const
        return l1.write(admin, { ...l1Registry, functionName: 'migrateChain', args, action: `migrate ${info.name} to ${gatewayInfo.name}` })
      }, 'migrateChain')
      const [event] = parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainMigrated', logs: receipt.logs })
      moved = { batchNumber: Number(event!.args.batchNumber), lastBlock: Number(event!.args.lastBlock) }
      await step(`left ${manifest.l1.name}`, `after batch ${moved.batchNumber} (block ${moved.lastBlock}); its activation is queued on ${gatewayInfo.name}`)
      // The rest of the assets, then the Gateway's activation of the chain and every credit.
      const receipts = await moveBalancesInParts(toGateway, reserves, [receipt])
      // What moved: each listed asset's balance beyond its reserve, as L1 had it in those transactions.
      balances = movedBalances(reserves, receipts)
      await waitForEpoch(store, { chainId, movesBefore, fromBlock: moved.lastBlock + 1, to }, waitFor)
      await step(`settles on ${gatewayInfo.name}`)
    } else {
      await l1.write(admin, { ...l1Registry, functionName: 'migrateChain', args: [BigInt(chainId), BigInt(to), []], action: `start moving ${info.name} back to ${manifest.l1.name}` })
      await step('deposits paused on L1', `a fence is queued on ${gatewayInfo.name}`)
      await waitFor(`${gatewayInfo.name} to process the fence of ${info.name}`, `The priority processor of ${gatewayInfo.name} must be running.`, async () =>
        (await gateway.client.readContract({ ...gatewayRegistry, functionName: 'isFenced', args: [BigInt(chainId)] })) ? true : undefined,
      )
      await step(`deposits on their way to ${info.name} passed on`)
      const receipt = await leave(
        () => gateway.write(admin, { ...gatewayRegistry, functionName: 'releaseChain', args: [BigInt(chainId)], action: `release ${info.name} from ${gatewayInfo.name}` }),
        'releaseChain',
      )
      const [event] = parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainReleased', logs: receipt.logs })
      const message = event!.args.message as Hex
      const [released] = parseEventLogs({ abi: c.gatewayAssetTrackerAbi, eventName: 'BalancesReleased', logs: receipt.logs })
      balances = (released?.args.balances ?? []).map(({ assetId, amount }) => ({ assetId, amount, reserved: 0n }))
      moved = { batchNumber: Number(event!.args.batchNumber), lastBlock: Number(event!.args.lastBlock) }
      await step(`left ${gatewayInfo.name}`, `after batch ${moved.batchNumber} (block ${moved.lastBlock})`)
      // The migration message carries a bounded number of balances; the tracker sends the rest back to L1.
      const sentBack = await sendBackBalances({ gateway, gatewayInfo, info, admin, step }, released?.args.left ?? 0n)
      balances.push(...sentBack.balances)
      const proof = await waitFor(`the ${gatewayInfo.name} batch holding the migration message to be executed on ${manifest.l1.name}`, `The services of ${gatewayInfo.name} must be running.`, () => {
        const built = buildLeafProofFromStore(store, {
          sourceChainId: gatewayInfo.chainId,
          destinationChainId: 'settlement-layer',
          slChainId: manifest.l1.chainId,
          sender: gatewayInfo.gatewayContracts!.chainRegistry,
          payloadHash: keccak256(message),
        })
        return built.ready ? built.proof : undefined
      })
      await l1.write(admin, { ...l1Registry, functionName: 'finalizeChainMigration', args: [message, proof], action: `finalize the return of ${info.name}` })
      await waitForEpoch(store, { chainId, movesBefore, fromBlock: moved.lastBlock + 1, to }, waitFor)
      await step(`settles on ${manifest.l1.name}`, 'the migration message proven on L1')
      if (sentBack.transactions.length > 0) {
        await waitFor(`the balances ${gatewayInfo.name} sent back to be recorded on L1`, 'The ledger keeper (`junction services`) must be running.', () =>
          recordedTransfers(store, sentBack.transactions) === sentBack.balances.length ? true : undefined,
        )
        await step(`balances sent back recorded on ${manifest.l1.name}`, `${sentBack.balances.length} in ${info.name}'s own account`)
      }
    }
    return { chainId, from, to, lastBatch: moved.batchNumber, lastBlock: moved.lastBlock, balances, steps, totalMs: Date.now() - started }
  } finally {
    endPause(store, 'root-imports', chainId)
    endPause(store, 'commits', chainId)
  }
}

/** What {@link moveBalancesInParts} needs of a move to the Gateway. */
type ToGateway = {
  manifest: NetworkManifest
  l1: ChainConnection
  gateway: ChainConnection
  gatewayInfo: NetworkManifest['chains'][number]
  info: NetworkManifest['chains'][number]
  admin: Hex
  perTransaction: number
  step: (name: string, detail?: string) => Promise<void>
  waitFor: <T>(what: string, hint: string, check: () => Promise<T | undefined> | T | undefined) => Promise<T>
}

/** The assets with something to move first: the move's first transaction carries the most value. */
function orderForMove(reserves: ChainBalanceToMove[]): ChainBalanceToMove[] {
  return [...reserves].sort((a, b) => Number(b.amount > 0n) - Number(a.amount > 0n))
}

/** `migrateChain`'s and `moveBalancesToGateway`'s `AssetReserve[]`. */
function reserveArguments(reserves: ChainBalanceToMove[]) {
  return reserves.map(({ assetId, reserved, outflows }) => ({ assetId, reserve: reserved, outflowsAtRead: outflows }))
}

/**
 * Moves `reserves`' balances (each asset's beyond its reserve, as L1 computes it) from the chain's own L1
 * account to the Gateway's in L1 transactions of at most `perTransaction` assets: `sent` are the receipts
 * of those sent already (the move itself, which carried the first part), `moveBalancesToGateway` sends each
 * next part, with a step for each. Then waits until the Gateway processed every request they queued in its
 * L1 queue (the activation first, then the credits, in order), and checks that the chain settles there.
 * Returns every receipt.
 */
async function moveBalancesInParts(move: ToGateway, reserves: ChainBalanceToMove[], sent: TransactionReceipt[]): Promise<TransactionReceipt[]> {
  const { l1, gateway, gatewayInfo, info, perTransaction } = move
  const receipts = [...sent]
  const parts = Math.max(1, Math.ceil(reserves.length / perTransaction))
  const progress = (count: number) => move.step(`balances moved: ${Math.min(count * perTransaction, reserves.length)} of ${reserves.length} assets`, `L1 transaction ${count} of ${parts}; their credit is queued on ${gatewayInfo.name}`)
  if (sent.length > 0) await progress(1)
  for (let part = sent.length + 1; part <= parts; part++) {
    const args = [BigInt(info.chainId), reserveArguments(reserves.slice((part - 1) * perTransaction, part * perTransaction))] as const
    const action = `move balances of ${info.name} to ${gatewayInfo.name} (${part} of ${parts})`
    receipts.push(await l1.write(move.admin, { address: move.manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi, functionName: 'moveBalancesToGateway', args, action }))
    await progress(part)
  }
  // Processed in the Gateway's L1 queue's order: the last request these transactions queued comes last.
  const queue = gatewayInfo.settlement.toLowerCase()
  const last = receipts
    .flatMap((receipt) => parseEventLogs({ abi: c.chainSettlementAbi, eventName: 'PriorityRequestQueued', logs: receipt.logs }))
    .filter((log) => log.address.toLowerCase() === queue)
    .reduce((max, log) => (log.args.index > max ? log.args.index : max), -1n)
  const inbox = { address: move.manifest.l2Contracts.priorityInbox, abi: c.l2PriorityInboxAbi } as const
  await move.waitFor(`${gatewayInfo.name} to process the activation of ${info.name} and the credit of its balances`, `The priority processor of ${gatewayInfo.name} must be running.`, async () =>
    (await gateway.client.readContract({ ...inbox, functionName: 'processedCount' })) > last ? true : undefined,
  )
  const settlement = info.settlements.find((s) => s.slChainId === gatewayInfo.chainId)!.address
  if (!(await gateway.client.readContract({ address: settlement, abi: c.chainSettlementAbi, functionName: 'active' }))) throw new ActivationFailedError(info.name, gatewayInfo.name)
  return receipts
}

/** What moved to the Gateway, for each asset of `reserves`, by the `ChainBalancesMoved` of `receipts`. */
function movedBalances(reserves: ChainBalanceToMove[], receipts: TransactionReceipt[]): MigrateChainReturnType['balances'] {
  const carried = new Map<string, bigint>()
  for (const event of receipts.flatMap((receipt) => parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainBalancesMoved', logs: receipt.logs }))) {
    for (const { assetId, amount } of event.args.balances) carried.set(assetId.toLowerCase(), (carried.get(assetId.toLowerCase()) ?? 0n) + amount)
  }
  return reserves.map(({ assetId, reserved }) => ({ assetId, reserved, amount: carried.get(assetId.toLowerCase()) ?? 0n }))
}

/**
 * Sends the balances of a chain the Gateway let go beyond those its migration message carries (`left`
 * assets) back to L1: the tracker's `sendBackBalances`, `RELEASE_ASSETS` a transaction, a step each; each
 * balance leaves with a settlement-layer transfer message from the chain to itself, which the ledger keeper
 * records on L1. Returns the balances and the transactions.
 */
async function sendBackBalances(
  back: { gateway: ChainConnection; gatewayInfo: NetworkManifest['chains'][number]; info: NetworkManifest['chains'][number]; admin: Hex; step: (name: string, detail?: string) => Promise<void> },
  left: bigint,
): Promise<{ balances: MigrateChainReturnType['balances']; transactions: Hex[] }> {
  const tracker = { address: back.gatewayInfo.gatewayContracts!.assetTracker, abi: c.gatewayAssetTrackerAbi } as const
  const balances: MigrateChainReturnType['balances'] = []
  const transactions: Hex[] = []
  while (left > 0n) {
    const receipt = await back.gateway.write(back.admin, { ...tracker, functionName: 'sendBackBalances', args: [BigInt(back.info.chainId)], action: `send the balances of ${back.info.name} left on ${back.gatewayInfo.name} back to L1` })
    transactions.push(receipt.transactionHash)
    for (const { args } of parseEventLogs({ abi: c.gatewayAssetTrackerAbi, eventName: 'TransferLeftGateway', logs: receipt.logs })) balances.push({ assetId: args.assetId, amount: args.amount, reserved: 0n })
    const [sent] = parseEventLogs({ abi: c.gatewayAssetTrackerAbi, eventName: 'BalancesSentBack', logs: receipt.logs })
    left = sent!.args.left
    await back.step(`balances sent back: ${sent!.args.sent} more, ${left} left`, 'each with a settlement-layer transfer message, which the ledger keeper records on L1')
  }
  return { balances, transactions }
}

/** How many settlement-layer transfers of the transactions `hashes` L1 recorded (the ledger keeper's records). */
function recordedTransfers(store: Store, hashes: Hex[]): number {
  const placeholders = hashes.map(() => '?').join(', ')
  return (store.prepare(`SELECT COUNT(*) AS n FROM settlement_layer_transfers WHERE lower(tx_hash) IN (${placeholders}) AND ledger_status = 'recorded'`).get(...hashes.map((h) => h.toLowerCase())) as { n: number }).n
}

/** Waits until L1's indexer recorded one more move of `chainId` than `movesBefore`, to `to` from `fromBlock`. */
async function waitForEpoch(
  store: Store,
  move: { chainId: number; movesBefore: number; fromBlock: number; to: number },
  waitFor: <T>(what: string, hint: string, check: () => T | undefined) => Promise<T>,
): Promise<void> {
  await waitFor(`the indexers to record the move of chain ${move.chainId}`, 'The settlement-layer indexers must be running.', () => {
    const moves = recordedMoves(store, move.chainId)
    const last = store.prepare('SELECT from_block, sl_chain_id FROM settlement_epochs WHERE chain_id = ? ORDER BY l1_block DESC, log_index DESC LIMIT 1').get(move.chainId) as
      | { from_block: number; sl_chain_id: number }
      | undefined
    return moves > move.movesBefore && last?.from_block === move.fromBlock && last.sl_chain_id === move.to ? true : undefined
  })
}

/**
 * Transfers into `chainId` it already executed (it minted or released them) that L1's ledger has not
 * recorded yet: the chain's transfer messages of chains on L1, and what a Gateway let leave for it.
 */
function unrecordedInflows(store: Store, chainId: number): number {
  const row = store
    .prepare(
      `SELECT (SELECT COUNT(*) FROM transfers t JOIN bundles_sent s ON s.tx_hash = t.tx_hash AND s.destination_chain_id = t.destination_chain_id
                JOIN bundles_executed e ON e.bundle_hash = s.bundle_hash AND e.chain_id = t.destination_chain_id
              WHERE t.destination_chain_id = @chain AND (t.ledger_status = 'pending' OR t.ledger_status LIKE 'refused%'))
            + (SELECT COUNT(*) FROM settlement_layer_transfers WHERE destination_chain_id = @chain AND (ledger_status = 'pending' OR ledger_status LIKE 'refused%')) AS n`,
    )
    .get({ chain: chainId }) as { n: number }
  return row.n
}

/** How many moves of `chainId` the indexers recorded. */
function recordedMoves(store: Store, chainId: number): number {
  return (store.prepare('SELECT COUNT(*) AS n FROM settlement_epochs WHERE chain_id = ?').get(chainId) as { n: number }).n
}
