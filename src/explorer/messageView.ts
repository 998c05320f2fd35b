import { formatEther, type Hex } from 'viem'
import { formatInteroperableAddress } from '../protocol/interoperableAddress.js'
import { decodeBundle } from '../protocol/index.js'
import { getBundleStatus, type GetBundleStatusReturnType } from '../sdk/actions/getBundleStatus.js'
import { getMessageProof, ProofNotReadyError, type GetMessageProofReturnType } from '../sdk/actions/getMessageProof.js'
import { getMessageStatus } from '../sdk/actions/getMessageStatus.js'
import { chainRef, notFound, resolveBundleVisibility, type ExplorerContext } from './context.js'
import { isPrivateChain } from './privateChains.js'
import { DESTINATION_STEPS, visibleChainIds, type Visitor } from './visibility.js'

/** An address on a chain, readable and as ERC-7930. */
export type ChainAddress = { chainId: number; chainName: string; address: Hex; erc7930: Hex }

/** A timeline step with its time and, where one did it, the transaction. */
export type TimelineStep = { status: string; at: number | null; detail?: string; txHash?: Hex }

/** What `GET /api/messages/:bundleHash` answers. */
export type MessageView = {
  bundleHash: Hex
  status: string
  source: { chainId: number; name: string }
  destination: { chainId: number; name: string }
  sender: ChainAddress
  calls: { index: number; from: ChainAddress; to: ChainAddress; value: string; data: Hex; status?: string }[]
  executionAddress: Hex
  unbundler: Hex
  /** Where the destination's side is not shown (a private destination the visitor did not sign in to). */
  destinationHidden?: string
  /** The bundle's status in the destination's InteropHandler (public destinations). */
  destinationStatus?: string
  batchNumber?: number
  sentIn: Hex
  executedIn?: Hex
  finality?: string
  failure?: string
  waiting?: string
  timeline: TimelineStep[]
  /** What the sender or the recipient can do about a failed bundle. */
  remedies: string[]
  /**
   * Set for a bundle sent on a private chain whose leaf is blinded (docs/protocol.md §4.1): the source's message
   * root holds `commitment` = H(0x08 ‖ bundle hash ‖ blinding), not the bundle hash (the blinding is not shown).
   */
  blindedLeaf?: { commitment: Hex }
  /** The relayer's attempts, as its record says. */
  delivery?: { status: string; attempts: number; lastError: string | null; updatedAt: number; retryAt: number | null }
}

/** A bundle's page: sender, calls and their status, the timeline with times and transactions, and for a failure what to do. */
export async function messageView(context: ExplorerContext, visitor: Visitor, bundleHash: Hex): Promise<MessageView> {
  await context.sync()
  const { manifest, store } = context
  const row = store.prepare('SELECT * FROM bundles_sent WHERE bundle_hash = ?').get(bundleHash.toLowerCase()) as
    | { bundle_hash: Hex; source_chain_id: number; destination_chain_id: number; sender: Hex; bundle: Hex; block_number: number; tx_hash: Hex }
    | undefined
  if (!row) notFound(`message ${bundleHash}`, 'Give the bundle hash `junction send` or the SDK printed (0x + 64 hex digits), or search for the transaction that sent it.')
  const visibility = await resolveBundleVisibility(context, visitor, { sourceChainId: row.source_chain_id, destinationChainId: row.destination_chain_id, txHash: row.tx_hash })
  if (visibility === 'hidden') notFound(`message ${bundleHash}`, 'It may be on a private chain: sign in to see what your account may see.')
  const visible = visibleChainIds(manifest, visitor)
  const privateDestination = isPrivateChain(manifest, row.destination_chain_id)
  // A private destination's node is never read on a visitor's behalf: no call statuses, no dry run there.
  const publicNode = (chainId: number) => !isPrivateChain(manifest, chainId)
  const status: GetBundleStatusReturnType = privateDestination
    ? await getMessageStatus(context.index, { bundleHash: row.bundle_hash, simulate: false, readsNodeOf: publicNode })
    : await getBundleStatus(context.index, { bundleHash: row.bundle_hash, readsNodeOf: publicNode })
  const bundle = decodeBundle(row.bundle)
  const sourceName = chainRef(manifest, row.source_chain_id, visible).name
  const destinationName = chainRef(manifest, row.destination_chain_id, visible).name
  const at = (chainId: number, chainName: string, address: Hex): ChainAddress => ({ chainId, chainName, address, erc7930: formatInteroperableAddress({ chainId, address }) })
  const batch =
    status.batchNumber === undefined
      ? undefined
      : (store.prepare('SELECT commit_tx, prove_tx, execute_tx FROM batches WHERE chain_id = ? AND batch_number = ?').get(row.source_chain_id, status.batchNumber) as { commit_tx: Hex | null; prove_tx: Hex | null; execute_tx: Hex | null } | undefined)
  const txOf: Record<string, Hex | null | undefined> = { sent: row.tx_hash, committed: batch?.commit_tx, proven: batch?.prove_tx, 'executed-on-settlement-layer': batch?.execute_tx, executed: status.executedIn }
  const sideOnly = visibility === 'source-side'
  const timeline: TimelineStep[] = status.timeline
    .filter((step) => !(sideOnly && DESTINATION_STEPS.has(step.status)))
    .map((step) => {
      // The SDK names the source by its id ("block 12 on 271"); the page names it as everywhere else.
      const detail = step.status === 'sent' ? `block ${row.block_number} on ${sourceName}` : step.detail
      return { status: step.status, at: step.at ?? null, ...(detail ? { detail } : {}), ...(txOf[step.status] ? { txHash: txOf[step.status]! } : {}) }
    })
  const delivery = sideOnly
    ? undefined
    : (store.prepare('SELECT status, attempts, last_error, updated_at, retry_at FROM deliveries WHERE bundle_hash = ?').get(row.bundle_hash) as
        | { status: string; attempts: number; last_error: string | null; updated_at: number; retry_at: number | null }
        | undefined)
  const blinding = store.prepare('SELECT commitment FROM bundle_blindings WHERE bundle_hash = ?').get(row.bundle_hash) as { commitment: Hex } | undefined
  const view: MessageView = {
    bundleHash: row.bundle_hash,
    status: sideOnly && DESTINATION_STEPS.has(status.status) ? (timeline.at(-1)?.status ?? 'sent') : status.status,
    source: chainRef(manifest, row.source_chain_id, visible),
    destination: chainRef(manifest, row.destination_chain_id, visible),
    sender: at(row.source_chain_id, sourceName, row.sender),
    calls: bundle.calls.map((call, index) => ({
      index,
      from: at(row.source_chain_id, sourceName, call.from),
      to: at(row.destination_chain_id, destinationName, call.to),
      value: call.value === 0n ? '0' : `${formatEther(call.value)} ETH`,
      data: call.data,
      ...(status.calls?.[index] ? { status: status.calls[index]!.status } : {}),
    })),
    executionAddress: bundle.executionAddress,
    unbundler: bundle.unbundler,
    ...(sideOnly ? { destinationHidden: 'The destination is a private chain: sign in there to see its side (the root it imported, the execution).' } : {}),
    ...(status.destinationStatus ? { destinationStatus: status.destinationStatus } : {}),
    ...(status.batchNumber !== undefined ? { batchNumber: status.batchNumber } : {}),
    sentIn: row.tx_hash,
    ...(blinding ? { blindedLeaf: { commitment: blinding.commitment } } : {}),
    ...(!sideOnly && status.executedIn ? { executedIn: status.executedIn } : {}),
    ...(!sideOnly && status.finality ? { finality: status.finality } : {}),
    ...(!sideOnly && status.failure ? { failure: status.failure } : {}),
    ...(status.waiting ? { waiting: status.waiting } : {}),
    timeline,
    remedies: [],
    ...(delivery ? { delivery: { status: delivery.status, attempts: delivery.attempts, lastError: delivery.last_error, updatedAt: delivery.updated_at, retryAt: delivery.retry_at } } : {}),
  }
  view.remedies = remediesFor(view, bundle.calls.some((call) => call.value > 0n))
  return view
}

/** What can be done about a failed bundle (docs/explorer.md, "A failed bundle"). Empty unless it failed. */
export function remediesFor(view: Pick<MessageView, 'status' | 'failure' | 'unbundler' | 'executionAddress' | 'delivery'>, carriesValue: boolean): string[] {
  if (view.status !== 'failed') return []
  const zero = /^0x0{40}$/i
  const remedies = [
    `Retry: the bundle is not executed and stays executable; once the failing call can succeed (fix or fund its recipient), execute it again: the relayer tries by itself${view.delivery?.retryAt ? ` (next attempt after ${new Date(view.delivery.retryAt).toISOString()})` : ''}${zero.test(view.executionAddress) ? ', or anyone can with `executeBundle` of the SDK' : `, or its execution address ${view.executionAddress} with \`executeBundle\``}.`,
  ]
  if (!zero.test(view.unbundler)) remedies.push(`Unbundle: ${view.unbundler} (the bundle's unbundler) may run the calls one by one and cancel the failing one with \`unbundle\` of the SDK; a cancelled call's value goes to the unbundler.`)
  else remedies.push('Unbundle: not possible, the bundle named no unbundler: it runs whole or not at all.')
  if (carriesValue) remedies.push('Claim: the ETH its calls carry was paid on the source; the destination releases it only with its call (all calls or none), or to the unbundler for a call it cancels. A failed deposit from L1 is claimed back with `junction claim-failed-deposit`.')
  return remedies
}

/** What `GET /api/messages/:bundleHash/proof` answers: the proof, or why it is not ready yet. */
export type ProofView = { ready: true; proof: GetMessageProofReturnType } | { ready: false; reason: string; details: string | undefined }

/** A bundle's inclusion proof, built on demand from the store. */
export async function proofView(context: ExplorerContext, visitor: Visitor, bundleHash: Hex): Promise<ProofView> {
  await messageView(context, visitor, bundleHash)
  try {
    return { ready: true, proof: await getMessageProof(context.index, { bundleHash: bundleHash.toLowerCase() as Hex }) }
  } catch (error) {
    if (error instanceof ProofNotReadyError) return { ready: false, reason: error.reason, details: error.details }
    throw error
  }
}
