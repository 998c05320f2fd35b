import { decodeFunctionData, keccak256, zeroAddress, type Address, type Hex } from 'viem'
import * as c from '../../contracts/generated/index.js'
import { ContractRevertedError } from '../../errors/ContractRevertedError.js'
import { buildProofFromStore } from '../../indexer/buildProofFromStore.js'
import { proofRoute, settlementLayerAt, topologyOf } from '../../network/topology.js'
import { approvalWaits, describeApprovalWait } from '../../store/approvalWaits.js'
import type { NetworkManifest } from '../../network/types.js'
import { isCommittedBatchKey, type InteropProof } from '../../protocol/index.js'
import type { JunctionIndex } from '../JunctionIndex.js'

/** Where a message is, in the order it travels. */
export const MESSAGE_STATUSES = [
  'unknown',
  'sent',
  'batched',
  'committed',
  'proven',
  'executed-on-settlement-layer',
  'settled-on-l1',
  'root-on-destination',
  'executed',
  'failed',
] as const
export type MessageStatus = (typeof MESSAGE_STATUSES)[number]

/** Parameters of {@link getMessageStatus}. */
export type GetMessageStatusParameters = {
  bundleHash: Hex
  /** Dry-run the execution when the message could execute, to report a failure's revert reason. Default true. */
  simulate?: boolean
  /**
   * Which chains' nodes it may read (default: every chain's). On a chain it may not read (the explorer: a
   * private chain, reached only through its permissioned RPC) it reads no fee (`fee` absent: the source's)
   * and no executing transaction (`finality` absent where it would need one: the destination's).
   */
  readsNodeOf?: (chainId: number) => boolean
}

/** One step of a message's timeline. `at` is when Junction's index saw it (ms since epoch). */
export type MessageTimelineStep = { status: MessageStatus; at: number | undefined; detail?: string }

/** What {@link getMessageStatus} resolves with. */
export type GetMessageStatusReturnType = {
  bundleHash: Hex
  status: MessageStatus
  sourceChainId?: number
  destinationChainId?: number
  batchNumber?: number
  /** Revert reason when `status` is `failed`. */
  failure?: string
  /** Transaction that executed the bundle on the destination. */
  executedIn?: Hex
  /**
   * How the execution was proven, once executed: against a settled root (`proven`), or, with committed
   * finality (docs/protocol.md §12, opt-in), against a source batch only committed at the time
   * (`committed`: if that batch is never proven, the destination cannot settle past it).
   */
  finality?: 'proven' | 'committed'
  /**
   * Why the message's batch is proven but not executed yet, when the services know: its Gateway's asset
   * tracker refused it for now because its chain holds less than the batch moves (docs/protocol.md
   * §9.10), so it waits for a credit from L1.
   */
  waiting?: string
  /**
   * The fee paid for the execution on the source chain (docs/fees.md): wei paid with the send and added
   * since (0 for a bundle sent with `executionGasLimit` and no wei, which a top-up can still pay), the gas it
   * buys, and whether it was claimed and by whom (the executor). Absent for a bundle sent without
   * `executionGasLimit` (no fee record: self-relay only), and for a bundle from a private chain (its
   * InteropCenter is read only through the chain's permissioned RPC, with a session this status does not have).
   */
  fee?: { paid: bigint; gasLimit: bigint; claimed: boolean; claimedBy?: Address }
  /** Why the relayer does not execute it, when it skips it (`unpaid`: the fee does not cover its execution now). */
  skipped?: string
  timeline: MessageTimelineStep[]
}

/**
 * Tells where a message is: sent → batched → committed → proven → executed on the settlement
 * layer → root on the destination → executed (or failed, with the revert reason of the failing call).
 *
 * `batched` is only known when the index is the services' own store (the batcher's work is off
 * chain until it is committed).
 *
 * @example
 * ```ts
 * const { status, timeline } = await getMessageStatus(index, { bundleHash })
 * ```
 */
export async function getMessageStatus(index: JunctionIndex, parameters: GetMessageStatusParameters): Promise<GetMessageStatusReturnType> {
  await index.sync()
  const { store, manifest } = index
  const { bundleHash } = parameters
  const topology = topologyOf(manifest, store)
  const sent = store.prepare('SELECT source_chain_id, destination_chain_id, block_number, seen_at FROM bundles_sent WHERE bundle_hash = ?').get(bundleHash) as
    | { source_chain_id: number; destination_chain_id: number; block_number: number; seen_at: number }
    | undefined
  if (!sent) return { bundleHash, status: 'unknown', timeline: [] }
  // Where the message's block settled (its chain may have moved since), and how it is proven.
  const route = proofRoute(topology, sent.source_chain_id, sent.destination_chain_id, sent.block_number)
  const sl = settlementLayerAt(topology, sent.source_chain_id, sent.block_number)
  const slName = nameOf(manifest, sl)
  const result: GetMessageStatusReturnType = {
    bundleHash,
    status: 'sent',
    sourceChainId: sent.source_chain_id,
    destinationChainId: sent.destination_chain_id,
    timeline: [{ status: 'sent', at: sent.seen_at, detail: `block ${sent.block_number} on ${sent.source_chain_id}` }],
  }
  const reads = parameters.readsNodeOf ?? (() => true)
  const privateSource = index.manifest.chains.some((chain) => chain.chainId === sent.source_chain_id && chain.private === true)
  if (reads(sent.source_chain_id) && !privateSource) await readFee(index, result, sent.source_chain_id)
  const skip = store.prepare(`SELECT last_error FROM deliveries WHERE bundle_hash = ? AND status = 'unpaid'`).get(bundleHash) as { last_error: string } | undefined
  if (skip) result.skipped = skip.last_error
  const step = (status: MessageStatus, at: number | undefined, detail?: string) => {
    result.status = status
    result.timeline.push({ status, at, ...(detail ? { detail } : {}) })
  }
  const sealed = store
    .prepare('SELECT batch_number, sealed_at FROM batches WHERE chain_id = ? AND ? BETWEEN first_block AND last_block')
    .get(sent.source_chain_id, sent.block_number) as { batch_number: number; sealed_at: number } | undefined
  if (sealed) step('batched', sealed.sealed_at, `batch ${sealed.batch_number}`)
  const batch = store
    .prepare('SELECT * FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND ? BETWEEN first_block AND last_block')
    .get(sl, sent.source_chain_id, sent.block_number) as
    | { batch_number: number; committed_block: number; committed_at: number; proven_block: number | null; proven_at: number | null; executed_block: number | null; executed_at: number | null }
    | undefined
  if (!batch) return result
  result.batchNumber = batch.batch_number
  step('committed', batch.committed_at, `batch ${batch.batch_number}, ${slName} block ${batch.committed_block}`)
  // Committed finality (§12): the destination may have imported this batch's message root and executed the bundle already.
  const committedImport = store
    .prepare(
      `SELECT i.seen_at FROM imported_batch_roots i JOIN sl_batches s ON s.sl_chain_id = i.sl_chain_id AND s.chain_id = i.source_chain_id AND s.batch_number = i.batch_number AND s.message_root = i.root
       WHERE i.chain_id = ? AND i.sl_chain_id = ? AND i.source_chain_id = ? AND i.batch_number = ?`,
    )
    .get(sent.destination_chain_id, sl, sent.source_chain_id, batch.batch_number) as { seen_at: number } | undefined
  const executedRow = () => store.prepare('SELECT tx_hash, seen_at FROM bundles_executed WHERE bundle_hash = ?').get(bundleHash) as { tx_hash: Hex; seen_at: number } | undefined
  const executedOnCommitted = async () => {
    if (!committedImport) return false
    step('root-on-destination', committedImport.seen_at, `message root of committed batch ${batch.batch_number} (committed finality: not proven yet)`)
    const executed = executedRow()
    if (!executed) return false
    result.executedIn = executed.tx_hash
    if (reads(sent.destination_chain_id)) result.finality = await executionFinality(index, sent.destination_chain_id, executed.tx_hash, bundleHash)
    step('executed', executed.seen_at, `transaction ${executed.tx_hash}${result.finality === 'committed' ? ' on a committed, unproven source batch: if it is never proven, the destination cannot settle past it' : ''}`)
    return true
  }
  if (batch.proven_block === null) {
    await executedOnCommitted()
    return result
  }
  step('proven', batch.proven_at ?? undefined, `development verifier (not a zero-knowledge proof), ${slName} block ${batch.proven_block}`)
  if (batch.executed_block === null) {
    // Its batch, or one before it (batches execute in order), waits for a credit.
    const wait = approvalWaits(store, sent.source_chain_id).find((w) => w.batchNumber <= batch.batch_number)
    if (wait) result.waiting = wait.batchNumber === batch.batch_number ? describeApprovalWait(wait) : `batch ${batch.batch_number} waits behind ${describeApprovalWait(wait)}`
    await executedOnCommitted()
    return result
  }
  step('executed-on-settlement-layer', batch.executed_at ?? undefined, `${slName} block ${batch.executed_block}`)
  let rootSl = sl
  let neededBlock = batch.executed_block
  if (route.kind === 'via-gateway') {
    // Two-level proof: the Gateway batch holding this execution must be executed on L1 too.
    const gatewayBatch = store
      .prepare('SELECT batch_number, executed_block, executed_at FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND ? BETWEEN first_block AND last_block')
      .get(route.l1ChainId, route.gatewayChainId, batch.executed_block) as { batch_number: number; executed_block: number | null; executed_at: number | null } | undefined
    if (!gatewayBatch || gatewayBatch.executed_block === null) return result
    step('settled-on-l1', gatewayBatch.executed_at ?? undefined, `Gateway batch ${gatewayBatch.batch_number}, L1 block ${gatewayBatch.executed_block}`)
    rootSl = route.l1ChainId
    neededBlock = gatewayBatch.executed_block
  }
  // On L1 the proof is checked against L1's own root history; a chain checks a root it imported.
  const toL1 = sent.destination_chain_id === manifest.l1.chainId
  const root = (
    toL1
      ? store.prepare('SELECT block_number AS sl_block_number, seen_at FROM sl_roots WHERE sl_chain_id = ? AND block_number >= ? ORDER BY block_number LIMIT 1').get(rootSl, neededBlock)
      : store
          .prepare('SELECT sl_block_number, seen_at FROM real_imported_roots WHERE chain_id = ? AND sl_chain_id = ? AND sl_block_number >= ? ORDER BY sl_block_number LIMIT 1')
          .get(sent.destination_chain_id, rootSl, neededBlock)
  ) as { sl_block_number: number; seen_at: number } | undefined
  if (!root) {
    // Executed on the committed batch before it settled (or before the root reached the destination).
    if (executedRow()) await executedOnCommitted()
    return result
  }
  step('root-on-destination', root.seen_at, toL1 ? `L1's own root of block ${root.sl_block_number}` : `root of ${nameOf(manifest, rootSl)} block ${root.sl_block_number}`)
  const executed = executedRow()
  if (executed) {
    result.executedIn = executed.tx_hash
    if (!committedImport) result.finality = 'proven'
    else if (reads(sent.destination_chain_id)) result.finality = await executionFinality(index, sent.destination_chain_id, executed.tx_hash, bundleHash)
    step('executed', executed.seen_at, `transaction ${executed.tx_hash}${result.finality === 'committed' ? ' (on the committed batch, before it was proven)' : ''}`)
    return result
  }
  if (parameters.simulate === false) return result
  const built = buildProofFromStore(store, { bundleHash, interopCenter: manifest.l2Contracts.interopCenter, topology })
  if (!built.ready) return result
  if (toL1) {
    // On L1 failing calls do not revert (the value waits in the alias account): the relayer's record says why.
    const delivery = store.prepare(`SELECT last_error, updated_at FROM deliveries WHERE bundle_hash = ? AND status = 'failed'`).get(bundleHash) as { last_error: string; updated_at: number } | undefined
    if (delivery) {
      result.failure = delivery.last_error
      step('failed', delivery.updated_at, delivery.last_error)
    }
    return result
  }
  const destination = index.chain(sent.destination_chain_id)
  try {
    const handler = { address: manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi }
    if (built.blinding === undefined) await destination.client.simulateContract({ ...handler, functionName: 'executeBundle', args: [built.bundle, built.proof] } as never)
    else await destination.client.simulateContract({ ...handler, functionName: 'executeBlindedBundle', args: [built.bundle, built.blinding, built.proof] } as never)
  } catch (error) {
    const explained = destination.explainRevert(error, 'executeBundle')
    if (explained instanceof ContractRevertedError && explained.errorName !== 'BundleAlreadyProcessed') {
      result.failure = explained.reason
      step('failed', Date.now(), explained.reason)
    }
  }
  return result
}

/** The bundle's fee record on its source chain (`InteropCenter.feeOf`), when it has one (sent with `executionGasLimit`, even paying 0 wei). */
async function readFee(index: JunctionIndex, result: GetMessageStatusReturnType, sourceChainId: number): Promise<void> {
  const [paid, gasLimit, destinationChainId, claimedBy] = await index.chain(sourceChainId).client.readContract({
    address: index.manifest.l2Contracts.interopCenter,
    abi: c.interopCenterAbi,
    functionName: 'feeOf',
    args: [result.bundleHash],
  })
  if (destinationChainId === 0n) return
  result.fee = { paid, gasLimit, claimed: claimedBy !== zeroAddress, ...(claimedBy !== zeroAddress ? { claimedBy } : {}) }
}

/** Whether the transaction that executed `bundleHash` proved it against a committed batch (§12) or a settled root. */
async function executionFinality(index: JunctionIndex, destinationChainId: number, txHash: Hex, bundleHash: Hex): Promise<'proven' | 'committed'> {
  const tx = await index.chain(destinationChainId).client.getTransaction({ hash: txHash })
  const call = decodeFunctionData({ abi: c.interopHandlerAbi, data: tx.input })
  const pairs: [Hex, InteropProof][] =
    call.functionName === 'executeBundle'
      ? [[call.args[0], call.args[1]]]
      : call.functionName === 'executeBlindedBundle'
        ? [[call.args[0], call.args[2]]]
        : call.functionName === 'executeBundles'
          ? call.args[0].map((bundle, i) => [bundle, call.args[1][i]!] as [Hex, InteropProof])
          : []
  const proof = pairs.find(([bundle]) => keccak256(bundle) === bundleHash)?.[1]
  return proof && isCommittedBatchKey(proof.slBlockNumber) ? 'committed' : 'proven'
}

/** 'L1' or the chain's name, for timeline details. */
function nameOf(manifest: NetworkManifest, chainId: number): string {
  if (chainId === manifest.l1.chainId) return 'L1'
  return manifest.chains.find((chain) => chain.chainId === chainId)?.name ?? String(chainId)
}
