import { getAddress, type Address, type Hex, type Log } from 'viem'
import * as c from '../contracts/generated/index.js'
import { blindedBundleCommitment, messageLeaf } from '../protocol/index.js'
import { logDecoder } from './logDecoder.js'

/** The events that make or blind a leaf: any other log is skipped without decoding. */
const decodeLeafEvent = logDecoder({ abi: [...c.l2MessengerAbi, ...c.interopCenterAbi], events: ['MessageRecorded', 'BundleBlinded', 'BundleSent', 'MessageBundleSent'] })

/** One message leaf of a chain's batch, and the log it comes from. */
export type MessageLeafOfLog = {
  log: Log
  sender: Address
  payloadHash: Hex
  leaf: Hex
}

/**
 * The message leaves among a chain's logs, in their order (docs/protocol.md §2): each `MessageRecorded` (the
 * L2Messenger's, and the InteropHandler's execution records) is leaf `messageLeaf(sender, payloadHash)`, and
 * each `BundleSent` or `MessageBundleSent` of the InteropCenter is leaf `messageLeaf(interopCenter, payloadHash)` with the bundle hash
 * as payload hash, or, after a `BundleBlinded` of the same bundle (a private chain's, emitted right before it
 * in the same transaction), its blinded commitment. Logs of other events, and these events of any other
 * contract, are skipped. Give the logs of whole transactions: a `BundleBlinded` and its
 * `BundleSent` must be in the same list.
 *
 * @example
 * ```ts
 * const logs = await client.getLogs({ address: [l2Messenger, interopCenter, interopHandler], fromBlock, toBlock })
 * const leaves = messageLeavesOf(logs, interopCenter).map((m) => m.leaf)
 * ```
 */
export function messageLeavesOf(logs: readonly Log[], interopCenter: Address): MessageLeafOfLog[] {
  const center = getAddress(interopCenter)
  const blinded = new Map<Hex, Hex>()
  const leaves: MessageLeafOfLog[] = []
  for (const log of logs) {
    const event = decodeLeafEvent(log)
    if (!event) continue
    if (event.eventName === 'MessageRecorded') {
      const sender = getAddress(event.args.sender)
      leaves.push({ log, sender, payloadHash: event.args.payloadHash, leaf: messageLeaf(sender, event.args.payloadHash) })
    } else if (getAddress(log.address) !== center) continue
    else if (event.eventName === 'BundleBlinded') blinded.set(event.args.bundleHash, blindedBundleCommitment(event.args.bundleHash, event.args.blinding))
    else if (event.eventName === 'BundleSent' || event.eventName === 'MessageBundleSent') {
      const payloadHash = blinded.get(event.args.bundleHash) ?? event.args.bundleHash
      leaves.push({ log, sender: center, payloadHash, leaf: messageLeaf(center, payloadHash) })
    }
  }
  return leaves
}
