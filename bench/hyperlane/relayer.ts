// A Hyperlane relayer (and validator) for the bench, in its own process:
//   node --import tsx bench/hyperlane/relayer.ts CONFIG.json
// Hyperlane's relayer and validator are Rust agents that are not on npm; this loop does what they do
// for one origin → destination route: it polls the origin Mailbox's Dispatch events (every 10 ms,
// as Junction's services poll), and for each message calls Mailbox.process on the destination with
// the metadata its recipient's ISM needs: nothing for the TrustedRelayerIsm, or a 1-of-1
// MessageIdMultisigIsm checkpoint (merkle tree hook, root and index at the message, message id)
// signed by the validator key. One process transaction per message; it does not wait for finality.
import { readFileSync } from 'node:fs'
import { concat, createPublicClient, encodePacked, http, keccak256, pad, parseAbi, parseEventLogs, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import type { HyperlaneDeployment } from './deployHyperlane.js'

export type HyperlaneRelayerConfig = { deployment: HyperlaneDeployment; relayerKey: Hex; validatorKey: Hex }

const mailboxAbi = parseAbi([
  'event Dispatch(address indexed sender, uint32 indexed destination, bytes32 indexed recipient, bytes message)',
  'function process(bytes metadata, bytes message) payable',
])
const merkleTreeHookAbi = parseAbi(['event InsertedIntoTree(bytes32 messageId, uint32 index)', 'function root() view returns (bytes32)'])

/** Recipient address of a Hyperlane message (bytes 45..77, the low 20 bytes). */
const recipientOf = (message: Hex): Address => `0x${message.slice(2 + 2 * 45 + 24, 2 + 2 * 77)}`

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as HyperlaneRelayerConfig
  const { origin, destination, multisigRecipient } = config.deployment
  const originClient = createPublicClient({ transport: http(origin.rpcUrl, { retryCount: 0 }) }) as PublicClient
  const destinationChain = new ChainConnection({ chainId: destination.chainId, name: 'hyperlane destination', rpcUrl: destination.rpcUrl })
  const validator = privateKeyToAccount(config.validatorKey)
  const domainHash = keccak256(encodePacked(['uint32', 'bytes32', 'string'], [origin.chainId, pad(origin.merkleTreeHook), 'HYPERLANE']))
  let from = 0n
  const inFlight = new Set<Promise<void>>()
  let stopping = false
  process.on('SIGTERM', () => (stopping = true))
  console.log('hyperlane relayer running')
  while (!stopping) {
    const head = await originClient.getBlockNumber({ cacheTime: 0 })
    if (head >= from) {
      const logs = await originClient.getLogs({ fromBlock: from, toBlock: head, address: [origin.mailbox, origin.merkleTreeHook] })
      const inserted = new Map(parseEventLogs({ abi: merkleTreeHookAbi, logs, eventName: 'InsertedIntoTree' }).map((l) => [l.args.messageId, l.args.index]))
      for (const log of parseEventLogs({ abi: mailboxAbi, logs, eventName: 'Dispatch' })) {
        const message = log.args.message
        const metadata = recipientOf(message).toLowerCase() === multisigRecipient.toLowerCase() ? await checkpointMetadata(message, log.blockNumber) : '0x'
        const delivery = destinationChain
          .write(config.relayerKey, { address: destination.mailbox, abi: mailboxAbi, functionName: 'process', args: [metadata, message], action: 'Mailbox.process' })
          .then(() => undefined, (error: unknown) => console.error(`process failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`))
        inFlight.add(delivery)
        void delivery.finally(() => inFlight.delete(delivery))
      }
      from = head + 1n

      async function checkpointMetadata(message: Hex, blockNumber: bigint): Promise<Hex> {
        const id = keccak256(message)
        const index = inserted.get(id)
        if (index === undefined) throw new Error(`no InsertedIntoTree for message ${id}`)
        // The tree root once this message was inserted (one dispatch per block under automine).
        const root = await originClient.readContract({ address: origin.merkleTreeHook, abi: merkleTreeHookAbi, functionName: 'root', blockNumber })
        const digest = keccak256(encodePacked(['bytes32', 'bytes32', 'uint32', 'bytes32'], [domainHash, root, index, id]))
        const signature = await validator.signMessage({ message: { raw: digest } })
        return concat([pad(origin.merkleTreeHook), root, encodePacked(['uint32'], [index]), signature])
      }
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  await Promise.all(inFlight)
}

await main()
