// Malicious chains and the Gateway's accounts (docs/protocol.md §9.10, §9.11). L1 keeps one account for
// the Gateway, what its chains hold together; the Gateway's asset tracker splits it between them and checks
// every batch before it executes. Beta, on the Gateway since it was deployed, settles a forged batch
// holding a withdrawal nobody burned and a bundle its InteropCenter never sent that would mint on alpha,
// and another whose bundle carries ETH it never had: the tracker refuses both, so nothing reaches alpha
// or L1. Gamma forges a batch on L1, then moves to the Gateway: the forged withdrawal is charged to
// gamma's own L1 account, whatever route its proof takes, never to the Gateway's; on the Gateway its
// forged batch is refused like beta's. Through all of it the Gateway's account on L1 holds exactly what
// its chains hold in the tracker.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { keccak256, parseEther, zeroAddress, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { ethDepositedAtStart } from '../../src/network/fundOperators.js'
import { buildLeafProofFromStore, settlementLayerStateAt } from '../../src/indexer/buildProofFromStore.js'
import { GATEWAY_CHAIN_ID, L1_CHAIN_ID } from '../../src/network/startNetwork.js'
import { topologyOf } from '../../src/network/topology.js'
import { bundleHash, buildInteropProof, encodeBundle, encodeFailedDepositMessage, encodeTransferPayload, encodeWithdrawalMessage, messageLeaf, validiumDataHash, withSettlementLayerHop, type BatchCommitment, type InteropBundle, type ValidiumBatchValue } from '../../src/protocol/index.js'
import { auditLedger, deposit, JunctionIndex, sendMessage } from '../../src/sdk/index.js'
import { NetworkServices } from '../../src/services/NetworkServices.js'
import { chainBalancesToMove } from '../../src/settlement/chainBalancesToMove.js'
import { endPause, requestPause } from '../../src/store/settlementPauses.js'
import { eventually, rejectsWith } from '../support/e2e.js'
import { commitForgedBatch, forgeBatch } from '../support/forgeBatch.js'
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
const trackedBalance = (chainId: number, asset = assetId) => gateway.client.readContract({ ...tracker(), functionName: 'balanceOf', args: [BigInt(chainId), asset] }) as Promise<bigint>
const vault = () => ({ address: network.manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi }) as const
/** A chain's own account in L1's ledger. */
const chainAccount = (chainId: number) => l1.client.readContract({ ...vault(), functionName: 'chainBalance', args: [BigInt(chainId), assetId] }) as Promise<bigint>
/** The Gateway's account in L1's ledger: what its chains hold together. */
const gatewayAccount = () => l1.client.readContract({ ...vault(), functionName: 'settlementLayerBalance', args: [BigInt(GATEWAY_CHAIN_ID), assetId] }) as Promise<bigint>
const settlementOn = (name: string, slChainId: number) => chainNamed(network, name).settlements.find((s) => s.slChainId === slChainId)!.address

/** The Gateway's account on L1 is what the tracker gives its chains (none in flight). */
async function assertGatewayAccountIsItsChains(chainIds: number[]): Promise<void> {
  const balances = await Promise.all(chainIds.map((chainId) => trackedBalance(chainId)))
  assert.equal(await gatewayAccount(), balances.reduce((sum, b) => sum + b, 0n), `the Gateway's L1 account is the sum of its chains' balances (${balances.join(' + ')})`)
}

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

/** Has the tracker approve `batch` of `chainId` with exactly these leaves (their payloads revealed). */
function approve(key: Hex, chainId: number, batch: BatchCommitment, leaves: { sender: Address; payload: Hex; payloadHash?: Hex }[]) {
  return gateway.write(key, {
    ...tracker(),
    functionName: 'approveBatches',
    args: [BigInt(chainId), [batch], [{ senders: leaves.map((l) => l.sender), payloadHashes: leaves.map((l) => l.payloadHash ?? keccak256(l.payload)), payloads: leaves.map((l) => l.payload) }]],
  })
}

test("a Gateway chain's forged batch that moves more than it holds never executes: the Gateway's asset tracker refuses it, for tokens and for ETH", async () => {
  const { manifest } = network
  const wallet = walletFor(manifest.l1, user.privateKey)
  await deposit(wallet, { manifest, chainId: 271, token, amount: 1_000n })
  await deposit(wallet, { manifest, chainId: 273, token, amount: 300n })
  ;({ assetId } = await deposit(wallet, { manifest, chainId: 272, token, amount: 500n }))
  const beta = chainNamed(network, 'beta')
  const gamma = chainNamed(network, 'gamma')
  const settled = async (info: typeof beta, sl: ChainConnection) => {
    const read = <T>(functionName: string) => sl.client.readContract({ address: info.settlement, abi: c.chainSettlementAbi, functionName } as never) as Promise<T>
    const [committed, executed, processed, queued] = await Promise.all([read<bigint>('totalCommitted'), read<bigint>('totalExecuted'), read<bigint>('totalPriorityRequestsProcessed'), read<bigint>('priorityRequestsQueued')])
    return committed === executed && processed === queued && queued > 0n
  }
  await eventually('every deposit credited and settled (beta on the Gateway, gamma on L1)', async () =>
    (await settled(beta, gateway)) && (await settled(gamma, l1)) && (await trackedBalance(271)) === 1_000n && (await trackedBalance(272)) === 500n ? true : undefined, { timeoutMs: 60_000 })
  // Deposits to a Gateway chain land in the Gateway's account on L1; gamma, on L1, has its own.
  assert.deepEqual([await chainAccount(271), await chainAccount(272), await chainAccount(273)], [0n, 0n, 300n])
  await assertGatewayAccountIsItsChains([271, 272])
  // Beta's first request, forwarded to it by the Gateway (a dev user's ETH deposit at start; it succeeded).
  const request = services!.store.prepare('SELECT idx, request_hash FROM priority_requests WHERE chain_id = 272 ORDER BY idx LIMIT 1').get() as { idx: number; request_hash: Hex }
  // Stopped with nothing of beta's committed and unexecuted (a block made meanwhile, a root import's, may
  // have been batched and committed before the stop): else the forged batch could not be executed next.
  for (;;) {
    await stopServices()
    if (await settled(beta, gateway)) break
    startServices()
    await eventually('beta settled again', async () => ((await settled(beta, gateway)) ? true : undefined), { timeoutMs: 60_000 })
  }

  // Beta's operator commits a batch: a withdrawal of 300 nobody burned, and a bundle minting 5,000 on alpha.
  const attacker = beta.operator.address
  const withdrawal = encodeWithdrawalMessage({ assetId, l2Sender: attacker, l1Receiver: attacker, amount: 300n })
  const bundle = forgedMint(272, attacker, 5_000n)
  const { l2AssetRouter, interopCenter } = manifest.l2Contracts
  const leaves = [messageLeaf(l2AssetRouter, keccak256(withdrawal)), messageLeaf(interopCenter, bundleHash(bundle))]
  const key = beta.operator.privateKey
  const batch = await commitForgedBatch(gateway, beta.settlement, key, leaves)
  const reveal = [{ sender: l2AssetRouter, payload: withdrawal }, { sender: interopCenter, payload: encodeBundle(bundle) }]

  // Leaving the bundle out does not make the committed root.
  const partial = await rejectsWith(approve(key, 272, batch, reveal.slice(0, 1)), 'MessagesMismatch')
  assert.deepEqual(partial.errorArgs, [272n, batch.batchNumber])
  // A payload that is not the leaf's, a batch that is not the committed one: refused too.
  const tampered = await rejectsWith(approve(key, 272, batch, [reveal[0]!, { sender: interopCenter, payloadHash: bundleHash(bundle), payload: encodeBundle({ ...bundle, salt: keccak256('0x01') }) }]), 'PayloadMismatch')
  assert.deepEqual(tampered.errorArgs, [272n, batch.batchNumber, 1n])
  const uncommitted = await rejectsWith(approve(key, 272, { ...batch, timestamp: batch.timestamp + 1n }, []), 'NotCommitted')
  assert.deepEqual(uncommitted.errorArgs, [272n, batch.batchNumber])
  // Only L1 credits (through the forwarder or the registry), and the registry's approver is set once.
  await rejectsWith(gateway.write(key, { ...tracker(), functionName: 'creditTransfer', args: [272n, assetId, 10_000n] }), 'NotForwarder')
  await rejectsWith(gateway.write(key, { ...tracker(), functionName: 'creditMigration', args: [272n, [{ assetId, amount: 10_000n }]] }), 'NotRegistry')
  await rejectsWith(gateway.write(key, { ...tracker(), functionName: 'releaseBalances', args: [272n] }), 'NotRegistry')
  const deployer = manifest.accounts.l1Deployer.privateKey
  await rejectsWith(gateway.write(deployer, { address: chainNamed(network, 'gateway').gatewayContracts!.chainRegistry, abi: c.chainRegistryAbi, functionName: 'setValueApprover', args: [attacker] }), 'ValueApproverAlreadySet')
  // All of it: the withdrawal leaves beta 200, the bundle would move 5,000.
  const refused = await rejectsWith(approve(key, 272, batch, reveal), 'InsufficientChainBalance')
  assert.deepEqual(refused.errorArgs, [272n, assetId, 200n, 5_000n])
  // Unapproved, it does not execute: its root never reaches alpha, nor L1.
  const settlement = { address: beta.settlement, abi: c.chainSettlementAbi } as const
  const unexecuted = await rejectsWith(gateway.write(key, { ...settlement, functionName: 'executeBatches', args: [[batch], [[]]] }), 'BatchValueNotApproved')
  assert.deepEqual(unexecuted.errorArgs, [batch.batchNumber])

  // ETH too: a bundle to L1 whose call carries 1 ETH more than beta holds (its dev users' and operator's
  // deposits at start); L1 would pay it from the Gateway's account.
  const ethAsset = (await l1.client.readContract({ ...vault(), functionName: 'ethAssetId' })) as Hex
  const betaEth = ethDepositedAtStart(manifest)
  const tooMuch = betaEth + parseEther('1')
  const valued: InteropBundle = { ...bundle, destinationChainId: BigInt(L1_CHAIN_ID), salt: keccak256('0x0e7b'), calls: [{ to: attacker, from: attacker, value: tooMuch, data: '0x' }] }
  const ethBatch = await commitForgedBatch(gateway, beta.settlement, key, [messageLeaf(interopCenter, bundleHash(valued))])
  const ethRefused = await rejectsWith(approve(key, 272, ethBatch, [{ sender: interopCenter, payload: encodeBundle(valued) }]), 'InsufficientChainBalance')
  assert.deepEqual(ethRefused.errorArgs, [272n, ethAsset, betaEth, tooMuch])
  // And ETH to another chain of the Gateway, which would be credited there at once.
  const toAlpha: InteropBundle = { ...valued, destinationChainId: 271n, salt: keccak256('0x0e7c'), calls: [{ to: manifest.l2Contracts.exampleRecipient, from: attacker, value: tooMuch, data: '0x' }] }
  const toAlphaBatch = await commitForgedBatch(gateway, beta.settlement, key, [messageLeaf(interopCenter, bundleHash(toAlpha))])
  assert.deepEqual((await rejectsWith(approve(key, 272, toAlphaBatch, [{ sender: interopCenter, payload: encodeBundle(toAlpha) }]), 'InsufficientChainBalance')).errorArgs, [272n, ethAsset, betaEth, tooMuch])

  // A failed-deposit message for a deposit that did not fail (L1 would return it from the Gateway's account
  // while beta keeps what it minted): under another index, or under the right index with another request,
  // the tracker refuses it.
  const { priorityInbox } = manifest.l2Contracts
  for (const [index, requestHash] of [[7n, request.request_hash], [BigInt(request.idx), keccak256('0xf00d')]] as const) {
    const message = encodeFailedDepositMessage({ index, requestHash })
    const failedBatch = await commitForgedBatch(gateway, beta.settlement, key, [messageLeaf(priorityInbox, keccak256(message))])
    const unknown = await rejectsWith(approve(key, 272, failedBatch, [{ sender: priorityInbox, payload: message }]), 'UnknownFailedDeposit')
    assert.deepEqual(unknown.errorArgs, [272n, index, requestHash])
  }

  assert.deepEqual([await trackedBalance(271), await trackedBalance(272)], [1_000n, 500n], 'the refusals moved nothing')
  await assertGatewayAccountIsItsChains([271, 272])
  const store = startServices().store
  assert.deepEqual(await auditLedger(new JunctionIndex(manifest, { store, syncFromChains: false })), { forgedBundles: [], forgedWithdrawals: [], refusedTransfers: [], unchecked: 0 })
})

test("a private chain's batch is approved from a value summary its dataHash commits to, never from its messages; a summary moving more than the chain holds is refused", async () => {
  const beta = chainNamed(network, 'beta')
  const key = beta.operator.privateKey
  await stopServices()
  const { l2AssetRouter } = network.manifest.l2Contracts
  // Beta's operator commits a batch as a private chain would: its leaves hidden, its dataHash over a value summary.
  const withdrawal = encodeWithdrawalMessage({ assetId, l2Sender: beta.operator.address, l1Receiver: beta.operator.address, amount: 501n })
  const value: ValidiumBatchValue = { transactionsHash: keccak256('0x01'), moves: [{ assetId, amount: 501n, toChainId: 0n }], failedDeposits: [] }
  const batch = await commitForgedBatch(gateway, beta.settlement, key, [messageLeaf(l2AssetRouter, keccak256(withdrawal))], { dataHash: validiumDataHash(value) })
  const approveValidium = (b: BatchCommitment, v: ValidiumBatchValue) => gateway.write(key, { ...tracker(), functionName: 'approveValidiumBatches', args: [272n, [b], [v]] })
  // Its messages are not taken, even all of them.
  assert.deepEqual((await rejectsWith(approve(key, 272, batch, [{ sender: l2AssetRouter, payload: withdrawal }]), 'ValidiumBatchNeedsSummary')).errorArgs, [272n, batch.batchNumber])
  // A summary that is not the committed one (a smaller amount) is refused by the dataHash.
  const understated = { ...value, moves: [{ ...value.moves[0]!, amount: 1n }] }
  const mismatch = await rejectsWith(approveValidium(batch, understated), 'ValueSummaryMismatch')
  assert.deepEqual(mismatch.errorArgs, [272n, batch.batchNumber, batch.dataHash, validiumDataHash(understated)])
  // The committed summary moves 501 SAFE: beta holds 500 here.
  assert.deepEqual((await rejectsWith(approveValidium(batch, value), 'InsufficientChainBalance')).errorArgs, [272n, assetId, 500n, 501n])
  // A public chain's batch (dataHash 0) is never approved from a summary.
  const publicBatch = await commitForgedBatch(gateway, beta.settlement, key, [messageLeaf(l2AssetRouter, keccak256(withdrawal))])
  assert.deepEqual((await rejectsWith(approveValidium(publicBatch, value), 'NotValidiumBatch')).errorArgs, [272n, publicBatch.batchNumber])
  assert.equal(await trackedBalance(272), 500n, 'the refusals moved nothing')
  await assertGatewayAccountIsItsChains([271, 272])
  startServices()
})

test("a chain that forged a batch on L1 and moved to the Gateway: the forged withdrawal is charged to its own L1 account whatever the proof's route, never to the Gateway's; its forged batch on the Gateway is refused", async () => {
  const { manifest } = network
  const gamma = chainNamed(network, 'gamma')
  const key = gamma.operator.privateKey
  const attacker = gamma.operator.address
  const { l2AssetRouter, interopCenter } = manifest.l2Contracts
  // Gamma's honest batches all executed, and no new one committed: the operator's forged batch comes next.
  requestPause(services!.store, 'commits', 273)
  const onL1Settlement = { address: settlementOn('gamma', L1_CHAIN_ID), abi: c.chainSettlementAbi } as const
  await eventually("gamma's committed batches executed", async () => {
    const [committed, executed] = await Promise.all([l1.client.readContract({ ...onL1Settlement, functionName: 'totalCommitted' }), l1.client.readContract({ ...onL1Settlement, functionName: 'totalExecuted' })])
    return committed === executed ? true : undefined
  }, { timeoutMs: 30_000 })
  await stopServices()

  // On L1, gamma's operator settles a forged batch: a withdrawal of 1,200 nobody burned (gamma holds 300).
  const forgedWithdrawal = encodeWithdrawalMessage({ assetId, l2Sender: attacker, l1Receiver: attacker, amount: 1_200n })
  const l1Leaves = [messageLeaf(l2AssetRouter, keccak256(forgedWithdrawal))]
  const { batch: onL1, execution } = await forgeBatch(l1, settlementOn('gamma', L1_CHAIN_ID), key, l1Leaves)
  // Then gamma moves to the Gateway with what its account holds: the index knows of no withdrawal to keep back.
  const store = startServices().store
  endPause(store, 'commits', 273)
  const toMove = await chainBalancesToMove(store, { manifest, topology: topologyOf(manifest, store), l1, chainId: 273 })
  const token300 = toMove.find((b) => b.assetId.toLowerCase() === assetId.toLowerCase())
  assert.deepEqual([token300?.balance, token300?.reserved, token300?.amount], [300n, 0n, 300n])
  const reserves = toMove.map(({ assetId: id, reserved, outflows }) => ({ assetId: id, reserve: reserved, outflowsAtRead: outflows }))
  await l1.write(manifest.accounts.l1Deployer.privateKey, { address: manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi, functionName: 'migrateChain', args: [273n, BigInt(GATEWAY_CHAIN_ID), reserves] })
  await eventually('the Gateway activated gamma and credited it its balance', async () => ((await trackedBalance(273)) === 300n ? true : undefined), { timeoutMs: 30_000 })
  assert.deepEqual([await chainAccount(273), await gatewayAccount()], [0n, 1_800n], "gamma's 300 moved to the Gateway's account")
  await assertGatewayAccountIsItsChains([271, 272, 273])
  // Its last batch on L1 (the forged one) is stored on the Gateway as executed: nobody can have it approved,
  // and its withdrawal applied, there.
  const reapproved = await rejectsWith(approve(key, 273, onL1, [{ sender: l2AssetRouter, payload: forgedWithdrawal }]), 'NotCommitted')
  assert.deepEqual(reapproved.errorArgs, [273n, onL1.batchNumber])

  // The forged withdrawal, proven one level against L1's root: charged to gamma's own account (its batch
  // settled on L1), which holds nothing now; the Gateway's 1,800 are out of reach.
  await eventually('the indexers saw the forged batch executed on L1', () =>
    store.prepare('SELECT 1 AS ok FROM sl_batches WHERE sl_chain_id = ? AND chain_id = 273 AND batch_number = ? AND executed_block IS NOT NULL').get(L1_CHAIN_ID, Number(onL1.batchNumber)), { timeoutMs: 30_000 })
  const router = { address: manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi, functionName: 'finalizeWithdrawal' } as const
  const l1State = settlementLayerStateAt(store, L1_CHAIN_ID, Number(execution.blockNumber))
  const oneLevel = buildInteropProof({ slChainId: L1_CHAIN_ID, slBlockNumber: execution.blockNumber, messageSender: l2AssetRouter, bundleHash: keccak256(forgedWithdrawal), sourceChainId: 273, batchNumber: onL1.batchNumber, messageLeaves: l1Leaves, batchMessageRoots: l1State.batchMessageRoots.get(273)!, chains: l1State.chains }).proof
  const direct = await rejectsWith(l1.write(key, { ...router, args: [273n, forgedWithdrawal, oneLevel] }), 'InsufficientChainBalance')
  assert.deepEqual(direct.errorArgs, [273n, assetId, 0n, 1_200n])

  // Gamma took its tree of batches to the Gateway, so the same message also has a two-level proof through
  // the Gateway's root: still charged to gamma's own account, by the layer its batch settled on. (A message
  // alpha → beta has the Gateway record a root holding gamma's tree, and settle it on L1.)
  await sendMessage(walletFor(chainNamed(network, 'alpha'), user.privateKey), {
    interopCenter,
    recipient: { chainId: 272, address: manifest.l2Contracts.exampleRecipient },
    payload: '0x01',
  })
  const gatewayRoot = await eventually('a Gateway root holding the tree gamma brought, settled on L1', () => {
    const row = store
      .prepare(
        `SELECT r.block_number, r.root FROM sl_roots r JOIN sl_chain_trees t ON t.sl_chain_id = r.sl_chain_id AND t.chain_id = 273 AND t.block_number <= r.block_number
         JOIN sl_batches g ON g.sl_chain_id = ? AND g.chain_id = ? AND r.block_number BETWEEN g.first_block AND g.last_block
         WHERE r.sl_chain_id = ? AND g.executed_block IS NOT NULL ORDER BY r.block_number DESC LIMIT 1`,
      )
      .get(L1_CHAIN_ID, GATEWAY_CHAIN_ID, GATEWAY_CHAIN_ID) as { block_number: number; root: Hex } | undefined
    return row
  }, { timeoutMs: 60_000 })
  const gatewayState = settlementLayerStateAt(store, GATEWAY_CHAIN_ID, gatewayRoot.block_number)
  const lower = buildInteropProof({ slChainId: GATEWAY_CHAIN_ID, slBlockNumber: BigInt(gatewayRoot.block_number), messageSender: l2AssetRouter, bundleHash: keccak256(forgedWithdrawal), sourceChainId: 273, batchNumber: onL1.batchNumber, messageLeaves: l1Leaves, batchMessageRoots: gatewayState.batchMessageRoots.get(273)!, chains: gatewayState.chains })
  assert.equal(lower.sharedRoot, gatewayRoot.root.toLowerCase())
  const upper = buildLeafProofFromStore(store, { sourceChainId: GATEWAY_CHAIN_ID, destinationChainId: 'settlement-layer', slChainId: L1_CHAIN_ID, sender: topologyOf(manifest).settlementLayerMessageRoot, payloadHash: gatewayRoot.root })
  assert.ok(upper.ready, 'the Gateway root is proven on L1')
  const viaGateway = await rejectsWith(l1.write(key, { ...router, args: [273n, forgedWithdrawal, withSettlementLayerHop(lower.proof, upper.proof, GATEWAY_CHAIN_ID)] }), 'InsufficientChainBalance')
  assert.deepEqual(viaGateway.errorArgs, [273n, assetId, 0n, 1_200n])
  assert.equal(await gatewayAccount(), 1_800n, "the Gateway's account is untouched")

  // On the Gateway now, gamma's forged batch (a withdrawal of 1,200 and a bundle minting 5,000 on alpha) is
  // refused like beta's: gamma holds 300 there.
  await stopServices()
  const withdrawal = encodeWithdrawalMessage({ assetId, l2Sender: attacker, l1Receiver: attacker, amount: 1_200n })
  const bundle = forgedMint(273, attacker, 5_000n)
  const leaves = [messageLeaf(l2AssetRouter, keccak256(withdrawal)), messageLeaf(interopCenter, bundleHash(bundle))]
  const onGateway = await commitForgedBatch(gateway, settlementOn('gamma', GATEWAY_CHAIN_ID), key, leaves)
  const refused = await rejectsWith(approve(key, 273, onGateway, [{ sender: l2AssetRouter, payload: withdrawal }, { sender: interopCenter, payload: encodeBundle(bundle) }]), 'InsufficientChainBalance')
  assert.deepEqual(refused.errorArgs, [273n, assetId, 300n, 1_200n])
  await rejectsWith(gateway.write(key, { address: settlementOn('gamma', GATEWAY_CHAIN_ID), abi: c.chainSettlementAbi, functionName: 'executeBatches', args: [[onGateway], [[]]] }), 'BatchValueNotApproved')
  assert.deepEqual([await trackedBalance(271), await trackedBalance(272), await trackedBalance(273)], [1_000n, 500n, 300n])
  await assertGatewayAccountIsItsChains([271, 272, 273])

  // Nothing was minted or released from a forgery: the audit finds nothing.
  const audit = new JunctionIndex(manifest, { store: startServices().store, syncFromChains: false })
  assert.deepEqual(await auditLedger(audit), { forgedBundles: [], forgedWithdrawals: [], refusedTransfers: [], unchecked: 0 })
})

test("the owner can register on the Gateway a chain whose settlement skips the asset tracker: its forged withdrawal, proven through a Gateway root, takes the Gateway's whole account on L1", async () => {
  const { manifest } = network
  const owner = manifest.accounts.l1Deployer.privateKey
  const gatewayInfo = chainNamed(network, 'gateway')
  const { messageRoot, chainRegistry, verifier } = gatewayInfo.gatewayContracts!
  const attacker = manifest.accounts.users[3]!
  const ROGUE = 274n
  const before = await gatewayAccount()
  assert.equal(before, 1_800n, "alpha's 1,000, beta's 500 and gamma's 300")

  // A ChainSettlement whose registry is one with no value approver: its batches execute without the
  // tracker's approval. The Gateway's registry takes any settlement contract from the owner, and L1's
  // records the new chain as settling on the Gateway.
  const deploy = async (abi: readonly unknown[], bytecode: Hex, args: readonly unknown[]) =>
    (await gateway.deploy(attacker.privateKey, { abi: abi as never, bytecode, args, action: 'deploy' })).address
  const noApprover = await deploy(c.chainRegistryAbi, c.chainRegistryBytecode, [messageRoot, zeroAddress])
  const rogue = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, [ROGUE, attacker.address, verifier, messageRoot, keccak256('0x0bad'), 0n, zeroAddress, noApprover, true, 86_400n])
  await gateway.write(owner, { address: chainRegistry, abi: c.chainRegistryAbi, functionName: 'registerChain', args: [ROGUE, rogue] })
  await l1.write(owner, { address: manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi, functionName: 'registerChainOnSettlementLayer', args: [ROGUE, BigInt(GATEWAY_CHAIN_ID)] })

  // Its first batch: a withdrawal of the Gateway's whole account that nobody burned. No approval needed.
  const withdrawal = encodeWithdrawalMessage({ assetId, l2Sender: attacker.address, l1Receiver: attacker.address, amount: before })
  const leaves = [messageLeaf(manifest.l2Contracts.l2AssetRouter, keccak256(withdrawal))]
  const { batch, execution } = await forgeBatch(gateway, rogue, attacker.privateKey, leaves)
  const at = execution.blockNumber
  const gatewayRoot = (await gateway.client.readContract({ address: messageRoot, abi: c.messageRootAbi, functionName: 'historicalRoot', args: [at] })) as Hex

  // Its proof up to that Gateway root, from the Gateway's MessageRoot as it was then; the Gateway's honest
  // operator settles the root on L1 as a message of the Gateway chain, like every other.
  const count = (await gateway.client.readContract({ address: messageRoot, abi: c.messageRootAbi, functionName: 'chainCount', blockNumber: at })) as bigint
  const chains = await Promise.all(Array.from({ length: Number(count) }, async (_, i) => {
    const chainId = (await gateway.client.readContract({ address: messageRoot, abi: c.messageRootAbi, functionName: 'chainIdAt', args: [BigInt(i)], blockNumber: at })) as bigint
    return { chainId, chainTreeRoot: (await gateway.client.readContract({ address: messageRoot, abi: c.messageRootAbi, functionName: 'chainTreeRoot', args: [chainId], blockNumber: at })) as Hex }
  }))
  const lower = buildInteropProof({ slChainId: GATEWAY_CHAIN_ID, slBlockNumber: at, messageSender: manifest.l2Contracts.l2AssetRouter, bundleHash: keccak256(withdrawal), sourceChainId: ROGUE, batchNumber: batch.batchNumber, messageLeaves: leaves, batchMessageRoots: [batch.messageRoot], chains })
  assert.equal(lower.sharedRoot, gatewayRoot.toLowerCase())
  const store = services!.store
  const upper = await eventually('the Gateway root settled on L1', () => {
    const built = buildLeafProofFromStore(store, { sourceChainId: GATEWAY_CHAIN_ID, destinationChainId: 'settlement-layer', slChainId: L1_CHAIN_ID, sender: messageRoot, payloadHash: gatewayRoot })
    return built.ready ? built : undefined
  }, { timeoutMs: 60_000 })

  // L1 pays it out of the Gateway's account: every chain on the Gateway loses what it holds on L1.
  const receipt = await l1.write(attacker.privateKey, { address: manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi, functionName: 'finalizeWithdrawal', args: [ROGUE, withdrawal, withSettlementLayerHop(lower.proof, upper.proof, GATEWAY_CHAIN_ID)] })
  assert.equal(receipt.status, 'success')
  assert.equal(await gatewayAccount(), 0n, "the Gateway's account on L1 is empty")
  assert.equal(await l1.client.readContract({ address: token, abi: c.testTokenAbi, functionName: 'balanceOf', args: [attacker.address] }), before)
  assert.deepEqual([await trackedBalance(271), await trackedBalance(272), await trackedBalance(273)], [1_000n, 500n, 300n], 'the tracker still credits the chains what L1 no longer holds for them')
})
