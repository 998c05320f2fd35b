import { createPublicClient, getAbiItem, http, keccak256, type Address, type Hex, type PublicClient } from 'viem'
import * as c from '../../contracts/generated/index.js'
import type { NetworkManifest } from '../../network/types.js'
import { decodeBundle } from '../../protocol/index.js'
import { sentBundlesOf } from '../../indexer/sentBundles.js'
import { statement, type Store } from '../../store/openStore.js'
import { standingOf } from './describeStuck.js'
import type { SoakMessage, SoakPath } from './soakTraffic.js'

/** A message that was not delivered, and where it stopped. */
export type StuckMessage = {
  id: number
  path: string
  /** Its bundle, when its source chain has it. */
  bundleHash?: Hex
  /** The last step of its timeline (`never mined on its source`, `sent`, `batched`, …, `root-on-destination`), with its detail. */
  lastStep: string
  /** The relayer's record of it, if any: status, attempts, last error. */
  delivery?: string
}

/** What the chains and the store say of the soak's messages at the end. */
export type DeliveryVerdict = {
  /** Messages whose bundle is on its source chain (a `BundleSent` or `MessageBundleSent` from its sender). */
  sentOnChain: number
  /** Of those, executed exactly once, on their destination. */
  executedOnce: number
  /** Sent and never executed anywhere. */
  lost: StuckMessage[]
  /** Messages whose send transaction is not on its source chain (the load's failure, not Junction's). */
  notSent: StuckMessage[]
  /** Bundles executed more than once (on their destination, or anywhere). */
  executedTwice: { bundleHash: Hex; executions: number }[]
  /** Executions on another chain than the bundle's destination. */
  executedElsewhere: { bundleHash: Hex; chainId: number }[]
  /** `BundleExecuted` of a hash that no `InteropCenter` sent (on any chain, by anyone). */
  executedNeverSent: { bundleHash: Hex; chainId: number }[]
  /** What the services' store holds for the executed ones: each should be sent, executed on its destination, and no longer pending. */
  store: { notIndexedAsSent: number; notIndexedAsExecuted: number; executedOnWrongChain: number; stillPending: number }
  /** Blocks read, per chain (`name: from–to`). */
  scanned: string[]
}

const MAX_RANGE = 2_000n
const bundleExecuted = getAbiItem({ abi: c.interopHandlerAbi, name: 'BundleExecuted' })

/** Every bundle sent and every execution on the network's chains, read from their first block. */
export type ChainRecord = {
  /** Every bundle sent (`BundleSent`, `MessageBundleSent`), by bundle hash: the first call's payload hash, the destination and the sender. */
  sent: Map<Hex, { payloadHash: Hex; destination: number; sender: Address }>
  /** Every `BundleExecuted` (ZK chains' InteropHandler, L1's L1InteropHandler), by bundle hash: the chain of each execution. */
  executions: Map<Hex, { chainId: number }[]>
  /** Blocks read, per chain (`name: 0–head`). */
  scanned: string[]
}

/**
 * Reads every chain of `manifest` again from block 0, independently of what was watched during a run:
 * every bundle sent, and every bundle executed.
 *
 * @example
 * ```ts
 * const record = await readChainRecord(manifest)
 * ```
 */
export async function readChainRecord(manifest: NetworkManifest): Promise<ChainRecord> {
  const record: ChainRecord = { sent: new Map(), executions: new Map(), scanned: [] }
  const read = async (name: string, rpcUrl: string, interopCenter: Address | undefined, handler: Address) => {
    const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 3, timeout: 60_000 }) }) as PublicClient
    const head = await client.getBlockNumber({ cacheTime: 0 })
    const chainId = await client.getChainId()
    for (let from = 0n; from <= head; from += MAX_RANGE) {
      const to = from + MAX_RANGE - 1n < head ? from + MAX_RANGE - 1n : head
      const [sent, executed] = await Promise.all([
        interopCenter ? client.getLogs({ address: interopCenter, fromBlock: from, toBlock: to }) : Promise.resolve([]),
        client.getLogs({ address: handler, event: bundleExecuted, fromBlock: from, toBlock: to }),
      ])
      for (const { bundleHash, bundle: encoded, sender } of interopCenter ? sentBundlesOf(sent, interopCenter) : []) {
        const bundle = decodeBundle(encoded)
        record.sent.set(bundleHash, { payloadHash: keccak256(bundle.calls[0]?.data ?? '0x'), destination: Number(bundle.destinationChainId), sender })
      }
      for (const log of executed) record.executions.set(log.args.bundleHash!, [...(record.executions.get(log.args.bundleHash!) ?? []), { chainId }])
    }
    record.scanned.push(`${name}: 0–${head}`)
  }
  await Promise.all([
    ...manifest.chains.map((chain) => read(chain.name, chain.rpcUrl, manifest.l2Contracts.interopCenter, manifest.l2Contracts.interopHandler)),
    read(manifest.l1.name, manifest.l1.rpcUrl, undefined, manifest.l1.contracts.interopHandler),
  ])
  return record
}

/**
 * Checks `messages` against what the chains hold ({@link readChainRecord}): each bundle sent (a
 * `BundleSent` or `MessageBundleSent` from one of `senders` with its payload), executed exactly once and on its destination;
 * no execution anywhere of a hash that was never sent; and the services' store in agreement. Messages
 * not delivered are described by where they stopped (the SDK's timeline, read from the services'
 * store, and the relayer's record).
 *
 * @example
 * ```ts
 * const verdict = await verifyDelivery(await readChainRecord(manifest), { manifest, store, paths, messages, senders })
 * ```
 */
export async function verifyDelivery(record: ChainRecord, parameters: { manifest: NetworkManifest; store: Store; paths: readonly SoakPath[]; messages: readonly SoakMessage[]; senders: readonly Address[] }): Promise<DeliveryVerdict> {
  const { manifest, store, paths, messages } = parameters
  const senders = new Set(parameters.senders.map((a) => a.toLowerCase()))
  const { sent: sentByHash, executions } = record
  const ourBundles = new Map<Hex, Hex>() // payload hash → bundle hash
  for (const [bundleHash, sent] of sentByHash) if (senders.has(sent.sender.toLowerCase())) ourBundles.set(sent.payloadHash, bundleHash)
  const verdict: DeliveryVerdict = {
    sentOnChain: 0,
    executedOnce: 0,
    lost: [],
    notSent: [],
    executedTwice: [],
    executedElsewhere: [],
    executedNeverSent: [],
    store: { notIndexedAsSent: 0, notIndexedAsExecuted: 0, executedOnWrongChain: 0, stillPending: 0 },
    scanned: record.scanned,
  }
  for (const [bundleHash, list] of executions) {
    const sent = sentByHash.get(bundleHash)
    if (!sent) for (const e of list) verdict.executedNeverSent.push({ bundleHash, chainId: e.chainId })
    if (list.length > 1) verdict.executedTwice.push({ bundleHash, executions: list.length })
    if (sent) for (const e of list) if (e.chainId !== sent.destination) verdict.executedElsewhere.push({ bundleHash, chainId: e.chainId })
  }
  const storeSent = statement(store, 'SELECT 1 AS ok FROM bundles_sent WHERE bundle_hash = ?')
  const storeExecuted = statement(store, 'SELECT chain_id FROM bundles_executed WHERE bundle_hash = ?')
  const storePending = statement(store, 'SELECT 1 AS ok FROM pending_bundles WHERE bundle_hash = ?')
  for (const message of messages) {
    const path = paths[message.path]!
    const bundleHash = ourBundles.get(message.payloadHash)
    if (bundleHash === undefined) {
      verdict.notSent.push({ id: message.id, path: path.name, lastStep: await sourceReceipt(path.from.rpcUrl, message.txHash) })
      continue
    }
    verdict.sentOnChain++
    const list = executions.get(bundleHash) ?? []
    if (list.length === 1 && list[0]!.chainId === path.to.chainId) verdict.executedOnce++
    if (list.length === 0) {
      verdict.lost.push({ id: message.id, path: path.name, bundleHash, ...(await standingOf(manifest, store, bundleHash)) })
      continue
    }
    if (!storeSent.get(bundleHash)) verdict.store.notIndexedAsSent++
    const row = storeExecuted.get(bundleHash) as { chain_id: number } | undefined
    if (!row) verdict.store.notIndexedAsExecuted++
    else if (row.chain_id !== path.to.chainId) verdict.store.executedOnWrongChain++
    if (storePending.get(bundleHash)) verdict.store.stillPending++
  }
  return verdict
}

/** Why a message's send transaction is not on its source chain: never mined, or reverted. */
async function sourceReceipt(rpcUrl: string, txHash: Hex): Promise<string> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 3 }) }) as PublicClient
  const receipt = await client.getTransactionReceipt({ hash: txHash }).catch(() => undefined)
  if (!receipt) return 'never mined on its source (its first signed transaction is not there: lost by the node and not sent again, or replaced)'
  return receipt.status === 'success' ? 'mined on its source without a BundleSent or MessageBundleSent (?)' : 'its send reverted on its source'
}
