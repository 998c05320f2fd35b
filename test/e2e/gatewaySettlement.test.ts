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

/** Commits and proves the next batch of `chain` on `sl`, claiming it imported `roots`; resolves with the batch. */
async function commitAndProve(sl: ChainConnection, chain: ZkChainInfo, previous: { number: bigint; hash: Hex; lastBlock: bigint }, roots: ImportedRoot[]) {
  const batch: BatchCommitment = {
    ...emptyBatchCommitment({ batchNumber: previous.number + 1n, previousBatchHash: previous.hash, firstBlock: previous.lastBlock + 1n, lastBlock: previous.lastBlock + 1n, timestamp: 1n }),
    importedRootsCount: BigInt(roots.length),
    importedRootsHash: importedRootsHash(roots),
  }
  const common = { address: chain.settlement, abi: c.chainSettlementAbi } as const
  await sl.write(chain.operator.privateKey, { ...common, functionName: 'commitBatches', args: [[batch]] })
  await sl.write(chain.operator.privateKey, { ...common, functionName: 'proveBatches', args: [[batch], '0x'] })
  return batch
}

/** Executes `chain`'s committed and proven `batch` on `sl`, with the roots it claims it imported. */
const execute = (sl: ChainConnection, chain: ZkChainInfo, batch: BatchCommitment, roots: ImportedRoot[]) =>
  sl.write(chain.operator.privateKey, { address: chain.settlement, abi: c.chainSettlementAbi, functionName: 'executeBatches', args: [[batch], [roots]] })

/** Commits, proves and executes the next batch of `chain` on `sl`, claiming it imported `roots`. */
async function settle(sl: ChainConnection, chain: ZkChainInfo, previous: { number: bigint; hash: Hex; lastBlock: bigint }, roots: ImportedRoot[]) {
  return execute(sl, chain, await commitAndProve(sl, chain, previous, roots), roots)
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
  const notImported = [{ slChainId: BigInt(L1_CHAIN_ID), slBlockNumber: 6n, root: root(2) }]
  const batch = await commitAndProve(gateway, alpha, previous, notImported)
  await rejectsWith(execute(gateway, alpha, batch, notImported), 'RootNotInHistory')
  assert.equal(await gateway.client.readContract({ ...settlement, functionName: 'totalExecuted' }), executed)
  // The same batch executes once the Gateway chain imported that root: what is checked is the Gateway's own
  // imports (L1 checks those when the Gateway's batch listing them settles there).
  await gateway.write(gatewayInfo.operator.privateKey, {
    address: network.manifest.l2Contracts.interopRootStore,
    abi: c.interopRootStoreAbi,
    functionName: 'addInteropRoot',
    args: [notImported[0]!.slChainId, notImported[0]!.slBlockNumber, notImported[0]!.root],
  })
  await execute(gateway, alpha, batch, notImported)
  assert.equal(await gateway.client.readContract({ ...settlement, functionName: 'totalExecuted' }), executed + 1n)
})

test('a chain on the Gateway cannot settle a root of another chain; a chain on L1 cannot settle a Gateway root', async () => {
  const beta = chainNamed(network, 'beta')
  await rejectsWith(settle(l1, beta, genesisOf(beta), [{ slChainId: BigInt(GATEWAY_CHAIN_ID), slBlockNumber: 3n, root: root(3) }]), 'UnknownSettlementLayer')
  assert.equal(await l1.client.readContract({ address: beta.settlement, abi: c.chainSettlementAbi, functionName: 'totalExecuted' }), 0n)

  // On the Gateway, a root "of" beta, a chain that is no settlement layer: refused (this blocks alpha for good).
  const alpha = chainNamed(network, 'alpha')
  const settlement = { address: alpha.settlement, abi: c.chainSettlementAbi } as const
  const executed = (await gateway.client.readContract({ ...settlement, functionName: 'totalExecuted' })) as bigint
  const previous = { number: executed, hash: (await gateway.client.readContract({ ...settlement, functionName: 'batchHashes', args: [executed] })) as Hex, lastBlock: BigInt(alpha.genesis.lastBlock) + executed }
  const refused = await rejectsWith(settle(gateway, alpha, previous, [{ slChainId: 272n, slBlockNumber: 3n, root: root(4) }]), 'UnknownSettlementLayer')
  assert.deepEqual(refused.errorArgs, [272n])
  assert.equal(await gateway.client.readContract({ ...settlement, functionName: 'totalExecuted' }), executed)
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
