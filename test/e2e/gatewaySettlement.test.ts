// Settlement on the Gateway, driven by hand (no services): which imported roots each settlement layer
// accepts. A chain on the Gateway may import Gateway roots, and L1 roots only once the Gateway itself
// imported them; a chain on L1 may never import Gateway roots; the Gateway's forwarder takes requests
// only from the Gateway's priority inbox.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { keccak256, toHex, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { GATEWAY_CHAIN_ID, L1_CHAIN_ID } from '../../src/network/startNetwork.js'
import type { ZkChainInfo } from '../../src/network/types.js'
import { emptyBatchCommitment, importedRootsHash, type BatchCommitment, type ImportedRoot } from '../../src/protocol/index.js'
import { rejectsWith } from '../support/e2e.js'
import { chainNamed, startTestNetwork } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let gateway: ChainConnection
let l1: ChainConnection

before(async () => {
  network = await startTestNetwork({ chains: 2, onGateway: ['alpha'], services: false })
  gateway = new ChainConnection(chainNamed(network, 'gateway'))
  l1 = new ChainConnection(network.manifest.l1)
})
after(async () => {
  await network?.close()
})

const root = (n: number): Hex => keccak256(toHex(`root ${n}`))

/** Commits, proves and executes the next batch of `chain` on `sl`, claiming it imported `roots`. */
async function settle(sl: ChainConnection, chain: ZkChainInfo, previous: { number: bigint; hash: Hex; lastBlock: bigint }, roots: ImportedRoot[]) {
  const batch: BatchCommitment = {
    ...emptyBatchCommitment({ batchNumber: previous.number + 1n, previousBatchHash: previous.hash, firstBlock: previous.lastBlock + 1n, lastBlock: previous.lastBlock + 1n, timestamp: 1n }),
    importedRootsCount: BigInt(roots.length),
    importedRootsHash: importedRootsHash(roots),
  }
  const common = { address: chain.settlement, abi: c.chainSettlementAbi } as const
  const key = chain.operator.privateKey
  await sl.write(key, { ...common, functionName: 'commitBatches', args: [[batch]] })
  await sl.write(key, { ...common, functionName: 'proveBatches', args: [[batch], '0x'] })
  return sl.write(key, { ...common, functionName: 'executeBatches', args: [[batch], [roots]] })
}

const genesisOf = (chain: ZkChainInfo) => ({ number: 0n, hash: chain.genesis.batchHash, lastBlock: BigInt(chain.genesis.lastBlock) })

test('a chain on the Gateway settles an L1 root the Gateway imported, and not one it did not', async () => {
  const alpha = chainNamed(network, 'alpha')
  const gatewayInfo = chainNamed(network, 'gateway')
  await gateway.write(gatewayInfo.operator.privateKey, {
    address: network.manifest.l2Contracts.interopRootStore,
    abi: c.interopRootStoreAbi,
    functionName: 'addInteropRoot',
    args: [BigInt(L1_CHAIN_ID), 5n, root(1)],
  })
  const receipt = await settle(gateway, alpha, genesisOf(alpha), [{ slChainId: BigInt(L1_CHAIN_ID), slBlockNumber: 5n, root: root(1) }])
  assert.equal(receipt.status, 'success')
  // Not imported by the Gateway: refused, and nothing more was executed.
  const settlement = { address: alpha.settlement, abi: c.chainSettlementAbi } as const
  const executed = (await gateway.client.readContract({ ...settlement, functionName: 'totalExecuted' })) as bigint
  const previous = { number: executed, hash: (await gateway.client.readContract({ ...settlement, functionName: 'batchHashes', args: [executed] })) as Hex, lastBlock: BigInt(alpha.genesis.lastBlock) + executed }
  await rejectsWith(settle(gateway, alpha, previous, [{ slChainId: BigInt(L1_CHAIN_ID), slBlockNumber: 6n, root: root(2) }]), 'RootNotInHistory')
  assert.equal(await gateway.client.readContract({ ...settlement, functionName: 'totalExecuted' }), executed)
})

test('a chain on the Gateway cannot settle a root of another chain; a chain on L1 cannot settle a Gateway root', async () => {
  const beta = chainNamed(network, 'beta')
  await rejectsWith(settle(l1, beta, genesisOf(beta), [{ slChainId: BigInt(GATEWAY_CHAIN_ID), slBlockNumber: 3n, root: root(3) }]), 'UnknownSettlementLayer')
  assert.equal(await l1.client.readContract({ address: beta.settlement, abi: c.chainSettlementAbi, functionName: 'totalExecuted' }), 0n)
})

test('the Gateway forwarder takes requests only from the Gateway priority inbox; L1 refuses to register a chain on a non-settlement layer', async () => {
  const forwarder = chainNamed(network, 'gateway').gatewayContracts!.priorityForwarder
  await rejectsWith(
    gateway.write(network.manifest.accounts.users[0]!.privateKey, { address: forwarder, abi: c.gatewayPriorityForwarderAbi, functionName: 'forward', args: [271n, network.manifest.l2Contracts.l2AssetRouter, '0x'] }),
    'NotPriorityInbox',
  )
  await rejectsWith(
    l1.write(network.manifest.accounts.l1Deployer.privateKey, { address: network.manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi, functionName: 'registerChainOnSettlementLayer', args: [999n, 272n] }),
    'NotASettlementLayer',
  )
})
