// Settlement-layer migration (docs/protocol.md §11) under traffic: a chain settling on L1 moves to the
// Gateway and back, `moves` round trips, while messages flow to and from it at a steady rate. Time of
// each move (from the call to the chain settling on its new layer), the admin transactions' gas, and
// the messages lost or executed twice (0 expected).
import { keccak256, parseEventLogs, stringToHex, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import type { NetworkManifest, ZkChainInfo } from '../../src/network/types.js'
import { sendMessage } from '../../src/sdk/actions/sendMessage.js'
import { migrateChain } from '../../src/settlement/migrateChain.js'
import type { Store } from '../../src/store/openStore.js'
import { DeliveryWatcher } from '../lib/deliveryWatcher.js'
import { sleep, summarize, type Summary } from '../../src/testing/load/stats.js'
import { walletFor } from '../../src/chain/walletFor.js'

export type MigrationResult = {
  chain: string
  roundTrips: number
  /** Call to settling on the Gateway (one L1 transaction, then the Gateway processes the activation). */
  toGatewayMs: Summary
  /** Call to settling on L1 again (fence, release, the Gateway batch on L1, the finalization). */
  toL1Ms: Summary
  /** Gas of the admin transactions of one round trip. */
  gas: { migrateToGatewayL1: number; startReturnL1: number; releaseOnGateway: number; finalizeReturnL1: number }
  messages: { sent: number; delivered: number; lost: number; executedTwice: number; ratePerSecond: number }
}

/** Moves `chain` (settling on L1) to the Gateway and back `roundTrips` times while `ratePerSecond` messages flow each way between it and `peer` (on the Gateway). */
export async function measureMigration(parameters: {
  manifest: NetworkManifest
  store: Store
  chain: ZkChainInfo
  peer: ZkChainInfo
  recipient: Hex
  senderKeys: [Hex, Hex]
  roundTrips: number
  ratePerSecond: number
}): Promise<MigrationResult> {
  const { manifest, store, chain, peer } = parameters
  const watcher = new DeliveryWatcher({ rpcUrls: [chain.rpcUrl, peer.rpcUrl], recipient: parameters.recipient })
  await watcher.start()
  const sent: Hex[] = []
  let stopped = false
  const wallet = (from: ZkChainInfo, key: Hex) => walletFor(from, key)
  const senders = [
    { from: chain, to: peer, wallet: wallet(chain, parameters.senderKeys[0]) },
    { from: peer, to: chain, wallet: wallet(peer, parameters.senderKeys[1]) },
  ]
  const traffic = Promise.all(
    senders.map(async ({ from, to, wallet: w }) => {
      for (let i = 0; !stopped; i++) {
        const payload = stringToHex(`migration ${from.name}→${to.name} ${Date.now()} ${i}`)
        await sendMessage(w, { recipient: { chainId: to.chainId, address: parameters.recipient }, payload, interopCenter: manifest.l2Contracts.interopCenter })
        sent.push(keccak256(payload))
        await sleep(1000 / parameters.ratePerSecond)
      }
    }),
  )
  const toGateway: number[] = []
  const toL1: number[] = []
  try {
    await sleep(1_000)
    for (let i = 0; i < parameters.roundTrips; i++) {
      toGateway.push((await migrateChain({ manifest, store, chainId: chain.chainId, to: 'gateway' })).totalMs)
      await sleep(1_000)
      toL1.push((await migrateChain({ manifest, store, chainId: chain.chainId, to: 'l1' })).totalMs)
      await sleep(1_000)
    }
  } finally {
    stopped = true
    await traffic
  }
  const lost = await watcher.waitFor(sent, 60_000)
  await sleep(1_000)
  await watcher.stop()
  const executedTwice = [...watcher.deliveries.values()].filter((n) => n > 1).length
  return {
    chain: chain.name,
    roundTrips: parameters.roundTrips,
    toGatewayMs: summarize(toGateway),
    toL1Ms: summarize(toL1),
    gas: await adminGas(manifest),
    messages: { sent: sent.length, delivered: sent.length - lost, lost, executedTwice, ratePerSecond: parameters.ratePerSecond * senders.length },
  }
}

/** Gas of the last move of each kind, read from the registries' events. */
async function adminGas(manifest: NetworkManifest): Promise<MigrationResult['gas']> {
  const l1 = new ChainConnection(manifest.l1)
  const gatewayInfo = manifest.chains.find((chain) => chain.role === 'gateway')!
  const gateway = new ChainConnection(gatewayInfo)
  const gasOf = async (connection: ChainConnection, address: Hex, eventName: 'ChainMigrated' | 'ChainMigrationStarted' | 'ChainReleased', pick: (args: Record<string, unknown>) => boolean) => {
    const logs = parseEventLogs({ abi: c.chainRegistryAbi, eventName, logs: await connection.client.getLogs({ address, fromBlock: 0n }) })
    const log = logs.filter((l) => pick(l.args as Record<string, unknown>)).at(-1)
    return log ? Number((await connection.client.getTransactionReceipt({ hash: log.transactionHash })).gasUsed) : 0
  }
  const l1Registry = manifest.l1.contracts.chainRegistry
  return {
    migrateToGatewayL1: await gasOf(l1, l1Registry, 'ChainMigrated', (a) => Number(a.toSl) === gatewayInfo.chainId),
    startReturnL1: await gasOf(l1, l1Registry, 'ChainMigrationStarted', () => true),
    releaseOnGateway: await gasOf(gateway, gatewayInfo.gatewayContracts!.chainRegistry, 'ChainReleased', () => true),
    finalizeReturnL1: await gasOf(l1, l1Registry, 'ChainMigrated', (a) => Number(a.toSl) === manifest.l1.chainId),
  }
}
