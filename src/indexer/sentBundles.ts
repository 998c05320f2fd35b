import type { Address, Hex, Log } from 'viem'
import * as c from '../contracts/generated/index.js'
import { SentBundleUnreadableError } from '../errors/indexer.js'
import { logDecoder } from './logDecoder.js'
import { bundleHash as hashOfBundle, buildMessageBundle, encodeBundle, parseInteroperableAddress } from '../protocol/index.js'

/** The three events read here: any other log of the center (fees, blindings) is skipped without decoding. */
const decodeSent = logDecoder({ abi: c.interopCenterAbi, events: ['BundleSent', 'MessageBundleSent', 'MessageSent'] })

/** One bundle an InteropCenter sent, with the log that announced it. */
export type SentBundle = {
  /** The `BundleSent` or `MessageBundleSent` log. */
  log: Log
  bundleHash: Hex
  destinationChainId: bigint
  /** Who called `sendMessage` or `sendBundle`. */
  sender: Address
  /** `abi.encode(bundle)`: what the destination's handler takes to execute it or read its status. */
  bundle: Hex
}

/**
 * The bundles `interopCenter` sent among `logs`, in their order (docs/protocol.md §8.1): a `sendBundle`'s
 * `BundleSent` carries the bundle's bytes; a `sendMessage`'s `MessageBundleSent` carries its salt only, and
 * its one-call bundle is rebuilt from the ERC-7786 `MessageSent` emitted right after it (the same `sendId`),
 * as `buildMessageBundle` builds it, and checked against the announced hash. Logs of other contracts and
 * other events are skipped. Give the logs of whole transactions; a `MessageBundleSent` without its
 * `MessageSent`, or whose rebuilt bundle hashes otherwise, throws {@link SentBundleUnreadableError}.
 *
 * @example
 * ```ts
 * const receipt = await client.waitForTransactionReceipt({ hash })
 * const [{ bundleHash, bundle }] = sentBundlesOf(receipt.logs, interopCenter)
 * ```
 */
export function sentBundlesOf(logs: readonly Log[], interopCenter: Address): SentBundle[] {
  const center = interopCenter.toLowerCase()
  const events = logs.flatMap((log) => {
    if (log.address.toLowerCase() !== center) return []
    const event = decodeSent(log)
    return event ? [{ log, event }] : []
  })
  const sent: SentBundle[] = []
  for (const [i, { log, event }] of events.entries()) {
    if (event.eventName === 'BundleSent') {
      const { bundleHash, destinationChainId, sender, bundle } = event.args
      sent.push({ log, bundleHash, destinationChainId, sender, bundle })
    } else if (event.eventName === 'MessageBundleSent') {
      const { bundleHash, destinationChainId, sender, salt } = event.args
      const refuse = (reason: string, cause?: unknown): never => {
        throw new SentBundleUnreadableError({ bundleHash, transactionHash: log.transactionHash, reason, cause })
      }
      const next = events[i + 1]
      if (!next || next.event.eventName !== 'MessageSent' || next.log.transactionHash !== log.transactionHash || next.event.args.sendId !== bundleHash) {
        return refuse('no MessageSent of the same sendId follows it')
      }
      const message = next.event.args
      let bundle: Hex
      try {
        const source = parseInteroperableAddress(message.sender)
        bundle = encodeBundle(buildMessageBundle({ sourceChainId: source.chainId, sender: source.address, bundleNumber: BigInt(salt), recipient: message.recipient, payload: message.payload, attributes: message.attributes, value: message.value }))
      } catch (error) {
        return refuse('its MessageSent does not make a bundle', error)
      }
      const rebuiltHash = hashOfBundle(bundle)
      if (rebuiltHash !== bundleHash) refuse(`the bundle its MessageSent makes hashes to ${rebuiltHash}`)
      sent.push({ log, bundleHash, destinationChainId, sender, bundle })
    }
  }
  return sent
}
