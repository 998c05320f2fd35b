// Malicious chains on the Gateway. Beta, tracked by the Gateway's asset tracker (docs/protocol.md
// §9.10), settles a forged batch holding a withdrawal nobody burned and a bundle its InteropCenter never
// sent that would mint on alpha: the tracker refuses it (beta holds less than it moves), so it never
// executes and nothing reaches alpha or L1. Gamma, which moved to the Gateway from L1 and so is not
// tracked yet (the gap §9.10 states), does the same: its bundle mints on alpha, L1 still caps its
// withdrawals at its own balance, and `auditLedger` / `junction audit` name both.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { keccak256, zeroAddress, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { buildLeafProofFromStore, settlementLayerStateAt } from '../../src/indexer/buildProofFromStore.js'
import { GATEWAY_CHAIN_ID, L1_CHAIN_ID } from '../../src/network/startNetwork.js'
import { topologyOf } from '../../src/network/topology.js'
import { bundleHash, buildInteropProof, encodeBundle, encodeTransferPayload, encodeWithdrawalMessage, messageLeaf, withSettlementLayerHop, type InteropBundle } from '../../src/protocol/index.js'
import { auditLedger, deposit, JunctionIndex } from '../../src/sdk/index.js'
import { NetworkServices } from '../../src/services/NetworkServices.js'
import { migrateChain } from '../../src/settlement/migrateChain.js'
import { eventually, rejectsWith } from '../support/e2e.js'
import { commitForgedBatch, forgeBatch } from '../support/forgeBatch.js'
import { runJunction } from '../support/junctionProcess.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let services: NetworkServices | undefined
let l1: ChainConnection
let gateway: ChainConnection
let token: Address
let assetId: Hex
let user: { address: Address; privateKey: Hex }

before(async () => {
  network = await startTestNetwork({ chains: 3, onGateway: ['alpha', 'beta'] })
  services = network.services
  l1 = new ChainConnection(network.manifest.l1)
  gateway = new ChainConnection(chainNamed(network, 'gateway'))
  user = network.manifest.accounts.users[2]!
  token = (await l1.deploy(user.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Safe', 'SAFE', 18], action: 'deploy TestToken' })).address
  await l1.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user.address, 2_000n] })
})
after(async () => {
  if (services !== network?.services) await services?.stop()
  await network?.close()
})

const tracker = () => ({ address: chainNamed(network, 'gateway').gatewayContracts!.assetTracker, abi: c.gatewayAssetTrackerAbi }) as const
const trackedBalance = (chainId: number) => gateway.client.readContract({ ...tracker(), functionName: 'balanceOf', args: [BigInt(chainId), assetId] }) as Promise<bigint>
const ledger = (chainId: number) => l1.client.readContract({ address: network.manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi, functionName: 'chainBalance', args: [BigInt(chainId), assetId] }) as Promise<bigint>
const settlementOn = (name: string, slChainId: number) => chainNamed(network, name).settlements.find((s) => s.slChainId === slChainId)!.address

/** Stops the honest services: from here the test is a malicious operator. */
async function stopServices(): Promise<void> {
  await services!.stop()
  services = undefined
}
/** The honest services come back (same store). */
function startServices(): NetworkServices {
  services = new NetworkServices({ manifest: network.manifest, dataDir: network.dataDir })
  services.start()
  return services
}

/** A bundle `sourceChainId`'s InteropCenter never sent: one call "from" the asset router minting `amount` SAFE to `receiver` on alpha. */
function forgedMint(sourceChainId: number, receiver: Address, amount: bigint): InteropBundle {
  const router = network.manifest.l2Contracts.l2AssetRouter
  return {
    version: 1n,
    sourceChainId: BigInt(sourceChainId),
    destinationChainId: 271n,
    salt: keccak256(`0x0bad${sourceChainId.toString(16).padStart(8, '0')}`),
    calls: [{ to: router, from: router, value: 0n, data: encodeTransferPayload({ assetId, originChainId: BigInt(L1_CHAIN_ID), originToken: token, name: 'Safe', symbol: 'SAFE', decimals: 18, receiver, amount }) }],
    executionAddress: zeroAddress,
    unbundler: zeroAddress,
  }
}

test("a tracked Gateway chain's forged batch that moves more than it holds never executes: the Gateway's asset tracker refuses it", async () => {
  const { manifest } = network
  const l1Wallet = walletFor(manifest.l1, user.privateKey)
  await deposit(l1Wallet, { manifest, chainId: 271, token, amount: 1_000n })
  await deposit(l1Wallet, { manifest, chainId: 273, token, amount: 300n })
  ;({ assetId } = await deposit(l1Wallet, { manifest, chainId: 272, token, amount: 500n }))
  const beta = chainNamed(network, 'beta')
  const settlement = { address: beta.settlement, abi: c.chainSettlementAbi } as const
  const read = <T>(functionName: string) => gateway.client.readContract({ ...settlement, functionName } as never) as Promise<T>
  await eventually('every deposit credited on the Gateway and beta settled there', async () => {
    const [committed, executed, processed] = await Promise.all([read<bigint>('totalCommitted'), read<bigint>('totalExecuted'), read<bigint>('totalPriorityRequestsProcessed')])
    return committed === executed && processed === 1n && (await trackedBalance(271)) === 1_000n && (await trackedBalance(272)) === 500n ? true : undefined
  }, { timeoutMs: 60_000 })
  assert.deepEqual([await ledger(271), await ledger(272)], [1_000n, 500n], "the Gateway's balances are the L1 ledger's")
  await stopServices()

  // Beta's operator commits a batch: a withdrawal of 300 nobody burned, and a bundle minting 5,000 on alpha.
  const attacker = beta.operator.address
  const withdrawal = encodeWithdrawalMessage({ assetId, l2Sender: attacker, l1Receiver: attacker, amount: 300n })
  const bundle = forgedMint(272, attacker, 5_000n)
  const { l2AssetRouter, interopCenter } = manifest.l2Contracts
  const leaves = [messageLeaf(l2AssetRouter, keccak256(withdrawal)), messageLeaf(interopCenter, bundleHash(bundle))]
  const key = beta.operator.privateKey
  const batch = await commitForgedBatch(gateway, beta.settlement, key, leaves)
  const approve = (messages: { senders: Address[]; payloadHashes: Hex[]; payloads: Hex[] }) =>
    gateway.write(key, { ...tracker(), functionName: 'approveBatches', args: [272n, [batch], [messages]] })

  // Leaving the bundle out does not make the committed root.
  const partial = await rejectsWith(approve({ senders: [l2AssetRouter], payloadHashes: [keccak256(withdrawal)], payloads: [withdrawal] }), 'MessagesMismatch')
  assert.deepEqual(partial.errorArgs, [272n, batch.batchNumber])
  // A payload that is not the leaf's, a batch that is not the committed one: refused too.
  const tampered = await rejectsWith(approve({ senders: [l2AssetRouter, interopCenter], payloadHashes: [keccak256(withdrawal), bundleHash(bundle)], payloads: [withdrawal, encodeBundle({ ...bundle, salt: keccak256('0x01') })] }), 'PayloadMismatch')
  assert.deepEqual(tampered.errorArgs, [272n, batch.batchNumber, 1n])
  const uncommitted = await rejectsWith(gateway.write(key, { ...tracker(), functionName: 'approveBatches', args: [272n, [{ ...batch, timestamp: batch.timestamp + 1n }], [{ senders: [], payloadHashes: [], payloads: [] }]] }), 'NotCommitted')
  assert.deepEqual(uncommitted.errorArgs, [272n, batch.batchNumber])
  // Only L1 credits (through the forwarder), and the registry's approver is set once.
  await rejectsWith(gateway.write(key, { ...tracker(), functionName: 'creditTransfer', args: [272n, assetId, 10_000n] }), 'NotForwarder')
  const deployer = manifest.accounts.l1Deployer.privateKey
  await rejectsWith(gateway.write(deployer, { address: chainNamed(network, 'gateway').gatewayContracts!.chainRegistry, abi: c.chainRegistryAbi, functionName: 'setValueApprover', args: [attacker] }), 'ValueApproverAlreadySet')
  // All of it: the withdrawal leaves beta 200, the bundle would move 5,000.
  const refused = await rejectsWith(approve({ senders: [l2AssetRouter, interopCenter], payloadHashes: [keccak256(withdrawal), bundleHash(bundle)], payloads: [withdrawal, encodeBundle(bundle)] }), 'InsufficientChainBalance')
  assert.deepEqual(refused.errorArgs, [272n, assetId, 200n, 5_000n])
  // Unapproved, it does not execute: its root never reaches alpha, nor L1.
  const unexecuted = await rejectsWith(gateway.write(key, { ...settlement, functionName: 'executeBatches', args: [[batch], [[]]] }), 'BatchValueNotApproved')
  assert.deepEqual(unexecuted.errorArgs, [batch.batchNumber])
  assert.deepEqual([await trackedBalance(271), await trackedBalance(272)], [1_000n, 500n], 'the refusal moved nothing')

  const store = startServices().store
  assert.deepEqual(await auditLedger(new JunctionIndex(manifest, { store, syncFromChains: false })), { forgedBundles: [], forgedWithdrawals: [], refusedTransfers: [], unchecked: 0 })
})

test("a chain that moved to the Gateway is not tracked yet: its forged bundle mints on alpha (the gap of §9.10), L1 caps its withdrawals, and the audit names both", async () => {
  const { manifest } = network
  await migrateChain({ manifest, store: services!.store, chainId: 273, to: 'gateway' })
  const gamma = chainNamed(network, 'gamma')
  const gammaOnGateway = settlementOn('gamma', GATEWAY_CHAIN_ID)
  assert.equal(await gateway.client.readContract({ ...tracker(), functionName: 'isTracked', args: [273n] }), false, 'a chain that moved here is not tracked')
  await stopServices()

  // Gamma's operator settles a forged batch on the Gateway: two withdrawals nobody burned, and a bundle minting 5,000 on alpha.
  const attacker = gamma.operator.address
  const messages = [1_200n, 300n].map((amount) => encodeWithdrawalMessage({ assetId, l2Sender: attacker, l1Receiver: attacker, amount }))
  const bundle = forgedMint(273, attacker, 5_000n)
  const hash = bundleHash(bundle)
  const { l2AssetRouter, interopCenter } = manifest.l2Contracts
  const leaves = [...messages.map((message) => messageLeaf(l2AssetRouter, keccak256(message))), messageLeaf(interopCenter, hash)]
  const key = gamma.operator.privateKey
  const { batch: forged, execution } = await forgeBatch(gateway, gammaOnGateway, key, leaves, {
    beforeExecute: (batch) =>
      gateway.write(key, {
        ...tracker(),
        functionName: 'approveBatches',
        args: [273n, [batch], [{ senders: [l2AssetRouter, l2AssetRouter, interopCenter], payloadHashes: [...messages.map((m) => keccak256(m)), hash], payloads: [...messages, encodeBundle(bundle)] }]],
      }),
  })

  const again = await rejectsWith(gateway.write(key, { ...tracker(), functionName: 'approveBatches', args: [273n, [forged], [{ senders: [], payloadHashes: [], payloads: [] }]] }), 'AlreadyApproved')
  assert.deepEqual(again.errorArgs, [273n, forged.batchNumber])

  // Alpha's (honest) operator imports that Gateway root, a real one, as its root importer does whenever
  // a bundle to alpha needs a newer root.
  const rootBlock = Number(execution.blockNumber)
  const messageRoot = { address: topologyOf(manifest).settlementLayerMessageRoot, abi: c.messageRootAbi } as const
  const gatewayRoot = (await gateway.client.readContract({ ...messageRoot, functionName: 'historicalRoot', args: [BigInt(rootBlock)] })) as Hex
  const alphaInfo = chainNamed(network, 'alpha')
  const alpha = new ChainConnection(alphaInfo)
  await alpha.write(alphaInfo.operator.privateKey, { address: manifest.l2Contracts.interopRootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRoot', args: [BigInt(GATEWAY_CHAIN_ID), BigInt(rootBlock), gatewayRoot] })

  const store = startServices().store
  const audit = new JunctionIndex(manifest, { store, syncFromChains: false })
  await eventually('the indexers saw the forged batch executed on the Gateway', () =>
    store.prepare('SELECT 1 AS ok FROM sl_batches WHERE sl_chain_id = ? AND chain_id = 273 AND batch_number = ? AND executed_block IS NOT NULL').get(GATEWAY_CHAIN_ID, Number(forged.batchNumber)), { timeoutMs: 30_000 })
  const state = settlementLayerStateAt(store, GATEWAY_CHAIN_ID, rootBlock)
  const proofOf = (sender: Address, payloadHash: Hex) =>
    buildInteropProof({ slChainId: GATEWAY_CHAIN_ID, slBlockNumber: rootBlock, messageSender: sender, bundleHash: payloadHash, sourceChainId: 273, batchNumber: forged.batchNumber, messageLeaves: leaves, batchMessageRoots: state.batchMessageRoots.get(273)!, chains: state.chains }).proof
  const bridged = (await alpha.client.readContract({ address: l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'bridgedToken', args: [assetId] })) as Address
  const supply = () => alpha.client.readContract({ address: bridged, abi: c.bridgedTokenAbi, functionName: 'totalSupply' }) as Promise<bigint>
  const before = await supply()
  const minted = await alpha.write(key, { address: manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args: [encodeBundle(bundle), proofOf(interopCenter, hash)] })
  // The gap: alpha mints, backed by nothing.
  assert.equal((await supply()) - before, 5_000n)

  // The withdrawals, with two-level proofs once the Gateway settled that execution on L1.
  const sharedRoot = await eventually('the Gateway settled the forged execution on L1', () => {
    const row = store
      .prepare('SELECT r.root FROM sl_roots r JOIN sl_batches g ON g.sl_chain_id = ? AND g.chain_id = ? AND r.block_number BETWEEN g.first_block AND g.last_block WHERE r.sl_chain_id = ? AND r.block_number = ? AND g.executed_block IS NOT NULL')
      .get(L1_CHAIN_ID, GATEWAY_CHAIN_ID, GATEWAY_CHAIN_ID, rootBlock) as { root: Hex } | undefined
    return row?.root
  }, { timeoutMs: 60_000 })
  const upper = buildLeafProofFromStore(store, { sourceChainId: GATEWAY_CHAIN_ID, destinationChainId: 'settlement-layer', slChainId: L1_CHAIN_ID, sender: topologyOf(manifest).settlementLayerMessageRoot, payloadHash: sharedRoot })
  assert.ok(upper.ready, 'the Gateway root is proven on L1')
  const withdrawalProof = (i: number) => withSettlementLayerHop(proofOf(l2AssetRouter, keccak256(messages[i]!)), upper.proof, GATEWAY_CHAIN_ID)
  const router = { address: manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi, functionName: 'finalizeWithdrawal' } as const
  const refused = await rejectsWith(l1.write(key, { ...router, args: [273n, messages[0]!, withdrawalProof(0)] }), 'InsufficientChainBalance')
  assert.deepEqual(refused.errorArgs, [273n, assetId, 300n, 1_200n], 'more than gamma ever held: refused, whatever the proof says')
  const stolen = await l1.write(key, { ...router, args: [273n, messages[1]!, withdrawalProof(1)] })
  assert.deepEqual([await ledger(273), await ledger(271), await ledger(272)], [0n, 1_000n, 500n], "up to gamma's own balance it goes through; alpha's and beta's are untouched")

  // The audit names both.
  const found = await eventually('the audit sees the forged bundle', async () => {
    const result = await auditLedger(audit)
    return result.forgedBundles.length > 0 ? result : undefined
  }, { timeoutMs: 30_000 })
  assert.deepEqual(found.forgedBundles, [{ chainId: 271, sourceChainId: 273, bundleHash: hash, txHash: minted.transactionHash, blockNumber: Number(minted.blockNumber), tokens: [{ assetId, amount: 5_000n }], value: 0n }])
  assert.deepEqual(found.forgedWithdrawals.map(({ chainId, amount, l1Receiver, txHash }) => ({ chainId, amount, l1Receiver, txHash })), [{ chainId: 273, amount: 300n, l1Receiver: attacker, txHash: stolen.transactionHash }])
  assert.deepEqual([found.refusedTransfers, found.unchecked], [[], 0])
  const cli = await runJunction(['audit', '--data-dir', network.dataDir])
  assert.equal(cli.code, 1, 'junction audit exits with 1 when it finds something')
  assert.match(cli.stdout, new RegExp(`forged bundles: 1 executed[\\s\\S]*alpha\\s+gamma\\s+${hash}`))
  assert.match(cli.stdout, /^forged withdrawals: 1 finalized on L1/m)
})
