// Settlement-layer migration (protocol §11) on a real EVM: a chain's settlement contracts, one active at
// a time, and the registries that move it. One anvil (chain 31337) plays L1 and, with a second
// registry and MessageRoot, the Gateway G (chain 999). L1's requests reach the Gateway's contracts as on
// a real Gateway chain: through the Gateway chain's L2PriorityInbox (each call with its fixed gas), in the
// order of G's queue on L1, processed by the Gateway's operator.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { decodeAbiParameters, decodeFunctionData, getAbiItem, getAddress, keccak256, parseEventLogs, parseEther, zeroAddress, zeroHash, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import { batchHash, batchLeaf, buildInteropProof, emptyBatchCommitment, encodeFailedDepositMessage, encodeWithdrawalMessage, ledgerAccount, merkleRoot, messageLeaf, priorityRollingHash, withSettlementLayerHop, type BatchCommitment } from '../../src/protocol/index.js'
import { rejectsWith } from '../../src/testing/rejectsWith.js'

/** The network's default timeout of priority requests (forced inclusion, protocol §9.2). */
const DAY = 86_400n
const L1 = 31337
const G = 999n
const X = 271n
const deployer = devAccount(0)
const operator = devAccount(4)
const stranger = devAccount(5)
/** The Gateway chain's operator: processes G's L1 queue through the Gateway chain's L2PriorityInbox. */
const gatewayOperator = devAccount(6)
const user = devAccount(1)

let anvil: AnvilProcess
let chain: ChainConnection
let l1Root: Address
let l1Registry: Address
let gwRoot: Address
let gwRegistry: Address
let router: Address
let vault: Address
let tracker: Address
let gatewayInbox: Address
let forwarder: Address
let eth: Hex
let gatewaySettlement: Address
let xOnL1: Address
let xOnGateway: Address
/** Batches of X, wherever they settled, and of G on L1. */
const xBatches: BatchCommitment[] = []
const gBatches: BatchCommitment[] = []

const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
  chain.client.readContract({ address, abi, functionName, args } as never) as Promise<T>
const deploy = async (abi: readonly unknown[], bytecode: Hex, args: readonly unknown[], action: string) =>
  getAddress((await chain.deploy(deployer.privateKey, { abi: abi as never, bytecode, args, action })).address)
const write = (key: Hex, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
  chain.write(key, { address, abi: abi as never, functionName, args } as never)
const settlementOf = (chainId: bigint, registry = l1Registry) => read<Address>(registry, c.chainRegistryAbi, 'settlementOf', [chainId])

/** The next batch of a chain (after `previous`), covering one block per batch. */
function next(previous: BatchCommitment | undefined, overrides: Partial<BatchCommitment> = {}): BatchCommitment {
  const n = (previous?.batchNumber ?? 0n) + 1n
  return emptyBatchCommitment({
    batchNumber: n,
    previousBatchHash: previous ? batchHash(previous) : keccak256('0x01'),
    firstBlock: n,
    lastBlock: n,
    timestamp: 1n,
    priorityRequestsHash: previous?.priorityRequestsHash ?? zeroHash,
    ...overrides,
  })
}

async function settle(at: Address, b: BatchCommitment) {
  await write(operator.privateKey, at, c.chainSettlementAbi, 'commitBatches', [[b]])
  await write(operator.privateKey, at, c.chainSettlementAbi, 'proveBatches', [[b], '0x'])
  return write(operator.privateKey, at, c.chainSettlementAbi, 'executeBatches', [[b], [[]]])
}

/** The priority requests queued on `settlement` in `receipt`. */
const queued = (receipt: { logs: unknown[] }) => parseEventLogs({ abi: c.chainSettlementAbi, eventName: 'PriorityRequestQueued', logs: receipt.logs as never })

/**
 * Processes the requests of G's L1 queue the Gateway chain has not processed yet (up to index `upTo`), in
 * order, as the Gateway's operator does: each through the Gateway chain's L2PriorityInbox, which gives its
 * call `REQUEST_GAS_LIMIT` gas. Returns, for each, what it called and whether it failed, with its receipt.
 */
async function processGatewayQueue(upTo?: bigint) {
  const requests = await chain.client.getLogs({ address: gatewaySettlement, event: getAbiItem({ abi: c.chainSettlementAbi, name: 'PriorityRequestQueued' }), fromBlock: 0n, strict: true })
  const done = await read<bigint>(gatewayInbox, c.l2PriorityInboxAbi, 'processedCount')
  const processed = []
  for (const request of requests.filter((r) => r.args.index >= done && (upTo === undefined || r.args.index <= upTo))) {
    const { index, l2Target, data } = request.args
    const receipt = await write(gatewayOperator.privateKey, gatewayInbox, c.l2PriorityInboxAbi, 'processRequest', [index, l2Target, data])
    const failed = parseEventLogs({ abi: c.l2PriorityInboxAbi, eventName: 'PriorityRequestFailed', logs: receipt.logs })
    processed.push({ index, l2Target, data, call: decodeFunctionData({ abi: [...c.chainRegistryAbi, ...c.gatewayPriorityForwarderAbi], data }), failed: failed.length > 0, receipt })
  }
  return processed
}

before(async () => {
  anvil = createAnvil({ chainId: L1, port: 0, name: 'migration-contracts' })
  await anvil.start()
  chain = new ChainConnection({ chainId: L1, name: 'migration-contracts', rpcUrl: anvil.rpcUrl })
  const verifier = await deploy(c.developmentVerifierAbi, c.developmentVerifierBytecode, [], 'deploy DevelopmentVerifier')
  l1Root = await deploy(c.messageRootAbi, c.messageRootBytecode, [zeroAddress, zeroAddress, 0n], 'deploy L1 MessageRoot')
  l1Registry = await deploy(c.chainRegistryAbi, c.chainRegistryBytecode, [l1Root, zeroAddress], 'deploy L1 ChainRegistry')
  await write(deployer.privateKey, l1Root, c.messageRootAbi, 'setRegistry', [l1Registry])
  const messenger = await deploy(c.l2MessengerAbi, c.l2MessengerBytecode, [], 'deploy the Gateway chain L2Messenger')
  gwRoot = await deploy(c.messageRootAbi, c.messageRootBytecode, [messenger, zeroAddress, 0n], 'deploy Gateway MessageRoot')
  gatewayInbox = await deploy(c.l2PriorityInboxAbi, c.l2PriorityInboxBytecode, [gatewayOperator.address, messenger], 'deploy the Gateway chain L2PriorityInbox')
  gwRegistry = await deploy(c.chainRegistryAbi, c.chainRegistryBytecode, [gwRoot, gatewayInbox], 'deploy Gateway ChainRegistry')
  forwarder = await deploy(c.gatewayPriorityForwarderAbi, c.gatewayPriorityForwarderBytecode, [gatewayInbox, gwRegistry], 'deploy GatewayPriorityForwarder')
  await write(deployer.privateKey, gwRoot, c.messageRootAbi, 'setRegistry', [gwRegistry])
  vault = await deploy(c.l1NativeTokenVaultAbi, c.l1NativeTokenVaultBytecode, [], 'deploy L1NativeTokenVault')
  router = await deploy(c.l1AssetRouterAbi, c.l1AssetRouterBytecode, [l1Registry, l1Root, vault, stranger.address, stranger.address, zeroAddress], 'deploy L1AssetRouter')
  await write(deployer.privateKey, vault, c.l1NativeTokenVaultAbi, 'setAssetRouter', [router])
  await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'setAssetRouter', [router])
  eth = await read<Hex>(vault, c.l1NativeTokenVaultAbi, 'ethAssetId')
  // The Gateway's asset tracker: chains moving in are credited their balances, chains leaving take them along.
  // The stranger stands in for the asset router (and the chains' priority inbox), another account for the InteropCenter.
  tracker = await deploy(c.gatewayAssetTrackerAbi, c.gatewayAssetTrackerBytecode, [gwRegistry, forwarder, devAccount(7).address, stranger.address, stranger.address, messenger, BigInt(L1), eth], 'deploy GatewayAssetTracker')
  await write(deployer.privateKey, gwRegistry, c.chainRegistryAbi, 'setValueApprover', [tracker])
  const settlementArgs = (chainId: bigint, root: Address, requester: Address, registry: Address, active: boolean) => [chainId, operator.address, verifier, root, keccak256('0x01'), 0n, requester, registry, active, DAY]
  gatewaySettlement = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, settlementArgs(G, l1Root, router, l1Registry, true), 'deploy G settlement on L1')
  xOnL1 = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, settlementArgs(X, l1Root, router, l1Registry, true), 'deploy X settlement on L1')
  // On the Gateway the forwarder queues requests; X never gets one forwarded, the stranger stands in.
  xOnGateway = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, settlementArgs(X, gwRoot, stranger.address, gwRegistry, false), 'deploy X settlement on G')
  await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'registerChain', [G, gatewaySettlement])
  await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'registerSettlementLayer', [G, forwarder, gwRegistry, tracker])
  await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'registerChain', [X, xOnL1])
  await write(deployer.privateKey, gwRegistry, c.chainRegistryAbi, 'registerChain', [X, xOnGateway])
})
after(async () => {
  await anvil?.stop()
})

describe('settlement-layer migration', () => {
  test('a chain is registered on both layers but settles only where its settlement is active', async () => {
    assert.equal(await read(l1Registry, c.chainRegistryAbi, 'settlementLayerOf', [X]), BigInt(L1))
    assert.equal(await read(gwRegistry, c.chainRegistryAbi, 'settlementLayerOf', [X]), 0n)
    assert.equal(await settlementOf(X, gwRegistry), xOnGateway)
    // An inactive settlement takes no batch and no priority request.
    assert.deepEqual((await rejectsWith(write(operator.privateKey, xOnGateway, c.chainSettlementAbi, 'commitBatches', [[next(undefined)]]), 'SettlementInactive')).errorArgs, [X])
    await rejectsWith(write(stranger.privateKey, xOnGateway, c.chainSettlementAbi, 'enqueuePriorityRequest', [stranger.address, '0x']), 'SettlementInactive')
    // Only its registry activates or deactivates it.
    await rejectsWith(write(stranger.privateKey, xOnL1, c.chainSettlementAbi, 'deactivate'), 'NotRegistry')
    await rejectsWith(write(stranger.privateKey, xOnGateway, c.chainSettlementAbi, 'activate', [{ batchNumber: 0n, batchHash: zeroHash, lastBlock: 0n, priorityRequestsCount: 0n, priorityRollingHash: zeroHash }]), 'NotRegistry')
    // A chain settling here cannot also be recorded as settling on the Gateway.
    await rejectsWith(write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'registerChainOnSettlementLayer', [X, G]), 'ChainAlreadyRegistered')
  })

  test('a chain leaves L1 only once its deposits are processed and its committed batches executed', async () => {
    const deposit = await chain.write(user.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [X, user.address], value: parseEther('1') })
    const [request] = queued(deposit)
    assert.deepEqual((await rejectsWith(write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [X, G, []]), 'PriorityRequestsPending')).errorArgs, [1n, 0n])
    const first = next(undefined, { priorityRequestsCount: 1n, priorityRequestsHash: priorityRollingHash([request!.args.requestHash]), messageRoot: merkleRoot([keccak256('0xaa')]), messageCount: 1n })
    await settle(xOnL1, first)
    xBatches.push(first)
    const second = next(first)
    await write(operator.privateKey, xOnL1, c.chainSettlementAbi, 'commitBatches', [[second]])
    assert.deepEqual((await rejectsWith(write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [X, G, []]), 'BatchesNotExecuted')).errorArgs, [2n, 1n])
    await write(operator.privateKey, xOnL1, c.chainSettlementAbi, 'proveBatches', [[second], '0x'])
    await write(operator.privateKey, xOnL1, c.chainSettlementAbi, 'executeBatches', [[second], [[]]])
    xBatches.push(second)
    await rejectsWith(write(stranger.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [X, G, []]), 'NotOwner')
    await rejectsWith(write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [X, 12345n, []]), 'NotASettlementLayer')
  })

  test("moving to the Gateway: L1 stops settling the chain and queues its activation (its state and tree), then its balances' credit, in the Gateway queue", async () => {
    const treeOnL1 = await read<Hex>(l1Root, c.messageRootAbi, 'chainTreeRoot', [X])
    const ledger = () => Promise.all([read<bigint>(vault, c.l1NativeTokenVaultAbi, 'chainBalance', [X, eth]), read<bigint>(vault, c.l1NativeTokenVaultAbi, 'settlementLayerBalance', [G, eth])])
    assert.deepEqual(await ledger(), [parseEther('1'), 0n])
    // The owner names what stays in the chain's account (what its messages settled on L1 may still take out);
    // L1 moves the rest, as the account holds it in that very transaction.
    const receipt = await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [X, G, [{ assetId: eth, reserve: parseEther('0.6'), outflowsAtRead: 0n }]])
    assert.deepEqual(await ledger(), [parseEther('0.6'), parseEther('0.4')], "0.4 ETH moved from the chain's account to the Gateway's")
    const [movedEvent] = parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainBalancesMoved', logs: receipt.logs })
    assert.deepEqual([movedEvent!.args.chainId, movedEvent!.args.fromSl, movedEvent!.args.toSl, movedEvent!.args.balances], [X, BigInt(L1), G, [{ assetId: eth, amount: parseEther('0.4') }]])
    const [migrated] = parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainMigrated', logs: receipt.logs })
    assert.deepEqual([migrated!.args.fromSl, migrated!.args.toSl, migrated!.args.batchNumber, migrated!.args.lastBlock], [BigInt(L1), G, 2n, 2n])
    assert.equal(await read(xOnL1, c.chainSettlementAbi, 'active'), false)
    assert.equal(await read(l1Registry, c.chainRegistryAbi, 'settlementLayerOf', [X]), G)
    await rejectsWith(write(operator.privateKey, xOnL1, c.chainSettlementAbi, 'commitBatches', [[next(xBatches[1])]]), 'SettlementInactive')
    // Two requests went to the Gateway's own queue on L1, to the Gateway's registry: the activation, then the credit.
    const [request, credit] = queued(receipt)
    assert.equal(getAddress(request!.address), gatewaySettlement)
    assert.deepEqual([getAddress(request!.args.l2Target!), getAddress(credit!.args.l2Target!)], [gwRegistry, gwRegistry])
    assert.equal(credit!.args.index, request!.args.index! + 1n)
    const call = decodeFunctionData({ abi: c.chainRegistryAbi, data: request!.args.data! })
    assert.equal(call.functionName, 'activateChain')
    const [chainId, state] = call.args as unknown as [bigint, { batchNumber: bigint; batchHash: Hex; lastBlock: bigint; priorityRequestsCount: bigint }]
    assert.deepEqual([chainId, state.batchNumber, state.batchHash, state.lastBlock, state.priorityRequestsCount], [X, 2n, batchHash(xBatches[1]!), 2n, 1n])
    const creditCall = decodeFunctionData({ abi: c.chainRegistryAbi, data: credit!.args.data! })
    assert.deepEqual([creditCall.functionName, creditCall.args], ['creditChainBalances', [X, [{ assetId: eth, amount: parseEther('0.4') }]]])

    // The Gateway takes them only from its priority inbox.
    await rejectsWith(chain.sendRaw(stranger.privateKey, { to: gwRegistry, data: request!.args.data!, action: 'activate as a stranger' }), 'NotPriorityInbox')
    await rejectsWith(chain.sendRaw(stranger.privateKey, { to: gwRegistry, data: credit!.args.data!, action: 'credit as a stranger' }), 'NotPriorityInbox')
    const processed = await processGatewayQueue()
    assert.deepEqual(processed.map((p) => [p.call.functionName, p.failed]), [['activateChain', false], ['creditChainBalances', false]])
    assert.equal(parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainActivated', logs: processed[0]!.receipt.logs }).length, 1)
    assert.equal(await read(xOnGateway, c.chainSettlementAbi, 'active'), true)
    assert.equal(await read(xOnGateway, c.chainSettlementAbi, 'totalExecuted'), 2n)
    assert.equal(await read(xOnGateway, c.chainSettlementAbi, 'priorityRequestsQueued'), 1n)
    assert.equal(await read(gwRoot, c.messageRootAbi, 'chainTreeRoot', [X]), treeOnL1, 'the chain brought its tree')
    assert.equal(await read(tracker, c.gatewayAssetTrackerAbi, 'balanceOf', [X, eth]), parseEther('0.4'), 'the asset tracker credited it its balance')
    // The last batch the chain settled on L1 is stored here as executed: nobody can have it approved (and its
    // value applied) here again.
    assert.deepEqual(
      (await rejectsWith(write(stranger.privateKey, tracker, c.gatewayAssetTrackerAbi, 'approveBatches', [X, [xBatches[1]!], [{ senders: [], payloadHashes: [], payloads: [] }]]), 'NotCommitted')).errorArgs,
      [X, 2n],
    )
    // Its next batch settles on the Gateway, linked to its last batch on L1, as leaf 2 of the same tree.
    const third = next(xBatches[1], { messageRoot: merkleRoot([messageLeaf(user.address, keccak256('0xbb'))]), messageCount: 1n })
    await rejectsWith(write(operator.privateKey, xOnGateway, c.chainSettlementAbi, 'commitBatches', [[next(xBatches[1], { previousBatchHash: zeroHash })]]), 'PreviousBatchHashMismatch')
    await write(operator.privateKey, xOnGateway, c.chainSettlementAbi, 'commitBatches', [[third]])
    await write(operator.privateKey, xOnGateway, c.chainSettlementAbi, 'proveBatches', [[third], '0x'])
    // On the Gateway a batch with messages executes once the asset tracker approved it (it moves no value).
    await rejectsWith(write(operator.privateKey, xOnGateway, c.chainSettlementAbi, 'executeBatches', [[third], [[]]]), 'BatchValueNotApproved')
    await write(stranger.privateKey, tracker, c.gatewayAssetTrackerAbi, 'approveBatches', [X, [third], [{ senders: [user.address], payloadHashes: [keccak256('0xbb')], payloads: [] }]])
    await write(operator.privateKey, xOnGateway, c.chainSettlementAbi, 'executeBatches', [[third], [[]]])
    xBatches.push(third)
    assert.equal(await read(gwRoot, c.messageRootAbi, 'chainBatchCount', [X]), 3n)
    assert.equal(await read(gwRoot, c.messageRootAbi, 'chainTreeRoot', [X]), merkleRoot(xBatches.map((b) => batchLeaf(b.batchNumber, b.messageRoot))))
  })

  test('moving back: L1 refuses deposits and fences the Gateway; the Gateway releases the chain only after the fence, with its balances', async () => {
    await rejectsWith(write(deployer.privateKey, gwRegistry, c.chainRegistryAbi, 'releaseChain', [X]), 'NotFenced')
    // Balances come back from the Gateway, not from L1's word.
    assert.deepEqual((await rejectsWith(write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [X, BigInt(L1), [{ assetId: eth, reserve: 1n, outflowsAtRead: 0n }]]), 'UnexpectedBalances')).errorArgs, [X])
    const started = await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [X, BigInt(L1), []])
    assert.equal(await read(l1Registry, c.chainRegistryAbi, 'isMigrating', [X]), true)
    await rejectsWith(write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [X, BigInt(L1), []]), 'AlreadyMigrating')
    await rejectsWith(chain.write(user.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [X, user.address], value: 1n }), 'ChainMigrating')
    const [fence] = queued(started)
    assert.equal(decodeFunctionData({ abi: c.chainRegistryAbi, data: fence!.args.data! }).functionName, 'fenceChain')
    assert.deepEqual((await processGatewayQueue()).map((p) => [p.call.functionName, p.failed]), [['fenceChain', false]])
    await rejectsWith(write(stranger.privateKey, gwRegistry, c.chainRegistryAbi, 'releaseChain', [X]), 'NotOwner')
    const released = await write(deployer.privateKey, gwRegistry, c.chainRegistryAbi, 'releaseChain', [X])
    const [event] = parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainReleased', logs: released.logs })
    assert.deepEqual([event!.args.batchNumber, event!.args.lastBlock], [3n, 3n])
    assert.equal(await read(xOnGateway, c.chainSettlementAbi, 'active'), false)
    const message = event!.args.message!
    const [, chainId, release, state, , balances] = decodeAbiParameters(
      [
        { type: 'bytes4' },
        { type: 'uint256' },
        { type: 'uint256' },
        { type: 'tuple', components: [{ name: 'batchNumber', type: 'uint256' }, { name: 'batchHash', type: 'bytes32' }, { name: 'lastBlock', type: 'uint256' }, { name: 'priorityRequestsCount', type: 'uint256' }, { name: 'priorityRollingHash', type: 'bytes32' }] },
        { type: 'tuple', components: [{ name: 'count', type: 'uint256' }, { name: 'frontier', type: 'bytes32[33]' }] },
        { type: 'tuple[]', components: [{ name: 'assetId', type: 'bytes32' }, { name: 'amount', type: 'uint256' }] },
      ],
      message,
    )
    assert.deepEqual([chainId, release, state.batchNumber, state.batchHash], [X, 1n, 3n, batchHash(xBatches[2]!)], 'its first release by the Gateway')
    assert.deepEqual(balances, [{ assetId: eth, amount: parseEther('0.4') }], "the message carries the chain's balances on the Gateway")
    assert.equal(await read(tracker, c.gatewayAssetTrackerAbi, 'balanceOf', [X, eth]), 0n, 'the tracker let them go')

    // L1 finalizes the return with a proof of that message in a Gateway batch executed on L1, once.
    const leaf = messageLeaf(gwRegistry, keccak256(message))
    const gBatch = next(undefined, { messageRoot: merkleRoot([leaf]), messageCount: 1n })
    const executed = await settle(gatewaySettlement, gBatch)
    gBatches.push(gBatch)
    const proofFor = async (sender: Address, payloadHash: Hex) =>
      buildInteropProof({
        slChainId: L1, slBlockNumber: executed.blockNumber, messageSender: sender, bundleHash: payloadHash, sourceChainId: G, batchNumber: 1n,
        messageLeaves: [leaf], messageIndex: 0, batchMessageRoots: gBatches.map((b) => b.messageRoot), chains: await chainsOnL1(),
      }).proof
    const proof = await proofFor(gwRegistry, keccak256(message))
    const wrongSender = { ...proof, messageSender: stranger.address }
    await rejectsWith(write(stranger.privateKey, l1Registry, c.chainRegistryAbi, 'finalizeChainMigration', [message, wrongSender]), 'NotAMigrationFromGateway')
    await rejectsWith(write(stranger.privateKey, l1Registry, c.chainRegistryAbi, 'finalizeChainMigration', [message, { ...proof, slBlockNumber: executed.blockNumber - 1n }]), 'RootNotInHistory')
    await write(stranger.privateKey, l1Registry, c.chainRegistryAbi, 'finalizeChainMigration', [message, proof])
    assert.equal(await read(l1Registry, c.chainRegistryAbi, 'settlementLayerOf', [X]), BigInt(L1))
    assert.equal(await read(l1Registry, c.chainRegistryAbi, 'isMigrating', [X]), false)
    assert.equal(await read(xOnL1, c.chainSettlementAbi, 'totalExecuted'), 3n)
    assert.equal(await read(l1Root, c.messageRootAbi, 'chainBatchCount', [X]), 3n, 'L1 took the tree back, with the batch settled on the Gateway')
    assert.deepEqual(
      await Promise.all([read<bigint>(vault, c.l1NativeTokenVaultAbi, 'chainBalance', [X, eth]), read<bigint>(vault, c.l1NativeTokenVaultAbi, 'settlementLayerBalance', [G, eth])]),
      [parseEther('1'), 0n],
      "the balances came back from the Gateway's account to the chain's",
    )
    // L1 knows which layer settled each batch: its ledger charges a message to that layer's account.
    const layers = await Promise.all([1n, 2n, 3n, 4n].map((n) => read<bigint>(l1Registry, c.chainRegistryAbi, 'settlementLayerOfBatch', [X, n])))
    assert.deepEqual(layers, [BigInt(L1), BigInt(L1), G, BigInt(L1)])
    await rejectsWith(write(stranger.privateKey, l1Registry, c.chainRegistryAbi, 'finalizeChainMigration', [message, proof]), 'NotMigrating')
    // Deposits go to the chain's L1 queue again, after the one it processed before it left.
    const again = await chain.write(user.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [X, user.address], value: 1n })
    const [request] = queued(again)
    assert.equal(getAddress(request!.address), xOnL1)
    assert.equal(request!.args.index, 1n)
  })

  test("a chain moving to the Gateway keeps its reserves: lowered by what its account paid out since they were read; an asset reserved beyond its balance, or not listed, stays", async () => {
    // Y settles on L1: 1 ETH deposited, processed in its first batch, which also holds a withdrawal of 0.3 ETH.
    const Y = 272n
    const yOnL1 = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, [Y, operator.address, await read<Address>(xOnL1, c.chainSettlementAbi, 'verifier'), l1Root, keccak256('0x01'), 0n, router, l1Registry, true, DAY], 'deploy Y settlement on L1')
    const yOnGateway = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, [Y, operator.address, await read<Address>(xOnL1, c.chainSettlementAbi, 'verifier'), gwRoot, keccak256('0x01'), 0n, stranger.address, gwRegistry, false, DAY], 'deploy Y settlement on G')
    await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'registerChain', [Y, yOnL1])
    await write(deployer.privateKey, gwRegistry, c.chainRegistryAbi, 'registerChain', [Y, yOnGateway])
    const [request] = queued(await chain.write(user.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [Y, user.address], value: parseEther('1') }))
    // Two tokens too: 100 of one (it will be reserved beyond its balance), 50 of another (it will not be listed).
    const tokenDeposit = async (symbol: string, amount: bigint) => {
      const token = await deploy(c.testTokenAbi, c.testTokenBytecode, [symbol, symbol, 18], `deploy ${symbol}`)
      await write(user.privateKey, token, c.testTokenAbi, 'mint', [user.address, amount])
      await write(user.privateKey, token, c.testTokenAbi, 'approve', [vault, amount])
      const [queuedRequest] = queued(await write(user.privateKey, router, c.l1AssetRouterAbi, 'deposit', [Y, token, amount, user.address]))
      return { assetId: await read<Hex>(vault, c.l1NativeTokenVaultAbi, 'assetId', [token]), requestHash: queuedRequest!.args.requestHash }
    }
    const reserved = await tokenDeposit('RSV', 100n)
    const unlisted = await tokenDeposit('UNL', 50n)
    const withdrawal = encodeWithdrawalMessage({ assetId: eth, l2Sender: user.address, l1Receiver: user.address, amount: parseEther('0.3') })
    const leaf = messageLeaf(stranger.address, keccak256(withdrawal))
    const first = next(undefined, { priorityRequestsCount: 3n, priorityRequestsHash: priorityRollingHash([request!.args.requestHash, reserved.requestHash, unlisted.requestHash]), messageRoot: merkleRoot([leaf]), messageCount: 1n })
    const executed = await settle(yOnL1, first)
    const account = ledgerAccount(Y)
    const outflows = () => read<bigint>(vault, c.l1NativeTokenVaultAbi, 'outflowsOf', [account, eth])
    // The owner reads the reserves now: the withdrawal, not finalized yet, will take 0.3.
    const readAt = await outflows()
    assert.equal(readAt, 0n)
    // Then, before the move, the withdrawal is finalized: the account pays it out.
    const proof = buildInteropProof({ slChainId: L1, slBlockNumber: executed.blockNumber, messageSender: stranger.address, bundleHash: keccak256(withdrawal), sourceChainId: Y, batchNumber: 1n, messageLeaves: [leaf], messageIndex: 0, batchMessageRoots: [first.messageRoot], chains: await chainsOnL1() }).proof
    await chain.write(user.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'finalizeWithdrawal', args: [Y, withdrawal, proof] })
    assert.equal(await outflows(), parseEther('0.3'))
    // The move with the reserve read before: what was paid out since comes off it, so all 0.7 left moves; an
    // asset reserved beyond its balance moves nothing; an asset not listed stays where it is.
    const receipt = await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [Y, G, [{ assetId: eth, reserve: parseEther('0.3'), outflowsAtRead: readAt }, { assetId: reserved.assetId, reserve: 500n, outflowsAtRead: 0n }]])
    const [moved] = parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainBalancesMoved', logs: receipt.logs })
    assert.deepEqual(moved!.args.balances, [{ assetId: eth, amount: parseEther('0.7') }])
    const accounts = (asset: Hex) => Promise.all([read<bigint>(vault, c.l1NativeTokenVaultAbi, 'chainBalance', [Y, asset]), read<bigint>(vault, c.l1NativeTokenVaultAbi, 'settlementLayerBalance', [G, asset])])
    assert.deepEqual(await accounts(eth), [0n, parseEther('0.7')], "nothing stays in Y's account: the withdrawal it was kept for is paid")
    assert.deepEqual(await accounts(reserved.assetId), [100n, 0n], 'reserved beyond its balance: nothing moved')
    assert.deepEqual(await accounts(unlisted.assetId), [50n, 0n], 'not listed: nothing moved')
  })

  test("L1 pays a failed deposit back only from the account it was locked into: a claim charged to the Gateway's account for a deposit locked into the chain's own is refused", async () => {
    // Z settles on L1: 1 ETH deposited (locked into Z's own account), processed in its first batch; then Z
    // moves to the Gateway, and the 1 ETH with it.
    const Z = 274n
    const verifier = await read<Address>(xOnL1, c.chainSettlementAbi, 'verifier')
    const zOnL1 = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, [Z, operator.address, verifier, l1Root, keccak256('0x01'), 0n, router, l1Registry, true, DAY], 'deploy Z settlement on L1')
    const zOnGateway = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, [Z, operator.address, verifier, gwRoot, keccak256('0x01'), 0n, stranger.address, gwRegistry, false, DAY], 'deploy Z settlement on G')
    await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'registerChain', [Z, zOnL1])
    await write(deployer.privateKey, gwRegistry, c.chainRegistryAbi, 'registerChain', [Z, zOnGateway])
    const [request] = queued(await chain.write(user.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [Z, user.address], value: parseEther('1') }))
    const requestHash = request!.args.requestHash!
    const first = next(undefined, { priorityRequestsCount: 1n, priorityRequestsHash: priorityRollingHash([requestHash]) })
    await settle(zOnL1, first)
    // An asset listed twice would move the account twice over: the move reverts, and nothing moves.
    const twice = await rejectsWith(write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [Z, G, [{ assetId: eth, reserve: 0n, outflowsAtRead: 0n }, { assetId: eth, reserve: 0n, outflowsAtRead: 0n }]]), 'InsufficientChainBalance')
    assert.deepEqual(twice.errorArgs, [ledgerAccount(Z), eth, 0n, parseEther('1')])
    assert.equal(await read(l1Registry, c.chainRegistryAbi, 'settlementLayerOf', [Z]), BigInt(L1))
    await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [Z, G, [{ assetId: eth, reserve: 0n, outflowsAtRead: 0n }]])
    const gatewayAccount = () => read<bigint>(vault, c.l1NativeTokenVaultAbi, 'settlementLayerBalance', [G, eth])
    const before = await gatewayAccount()
    assert.equal(await read(vault, c.l1NativeTokenVaultAbi, 'chainBalance', [Z, eth]), 0n)

    // A root the Gateway's asset tracker would never let through (the forwarder credited that deposit to
    // nobody on the Gateway), settled on L1 as the Gateway's (the development verifier accepts any batch):
    // Z's second batch, settled on the Gateway, says the deposit failed and withdraws 0.1 ETH.
    const failed = encodeFailedDepositMessage({ index: 0n, requestHash })
    const withdrawal = encodeWithdrawalMessage({ assetId: eth, l2Sender: user.address, l1Receiver: user.address, amount: parseEther('0.1') })
    const leaves = [messageLeaf(stranger.address, keccak256(failed)), messageLeaf(stranger.address, keccak256(withdrawal))]
    const zRoots = [first.messageRoot, merkleRoot(leaves)]
    const zTree = merkleRoot(zRoots.map((root, i) => batchLeaf(i + 1, root)))
    const onGateway = (payload: Hex) =>
      buildInteropProof({ slChainId: G, slBlockNumber: 1n, messageSender: stranger.address, bundleHash: keccak256(payload), sourceChainId: Z, batchNumber: 2n, messageLeaves: leaves, batchMessageRoots: zRoots, chains: [{ chainId: Z, chainTreeRoot: zTree }] })
    const gatewayRoot = onGateway(failed).sharedRoot
    const gatewayLeaf = messageLeaf(l1Root, gatewayRoot)
    const gBatch = next(gBatches.at(-1), { messageRoot: merkleRoot([gatewayLeaf]), messageCount: 1n })
    const executed = await settle(gatewaySettlement, gBatch)
    gBatches.push(gBatch)
    const upper = buildInteropProof({ slChainId: L1, slBlockNumber: executed.blockNumber, messageSender: l1Root, bundleHash: gatewayRoot, sourceChainId: G, batchNumber: gBatch.batchNumber, messageLeaves: [gatewayLeaf], messageIndex: 0, batchMessageRoots: gBatches.map((b) => b.messageRoot), chains: await chainsOnL1() }).proof
    const twoLevel = (payload: Hex) => withSettlementLayerHop(onGateway(payload).proof, upper, G)
    assert.equal(await read(l1Registry, c.chainRegistryAbi, 'settlementLayerOfBatch', [Z, 2n]), G)

    // The route is one L1 accepts: the withdrawal is paid, out of the Gateway's account (its batch settled there).
    await write(stranger.privateKey, router, c.l1AssetRouterAbi, 'finalizeWithdrawal', [Z, withdrawal, twoLevel(withdrawal)])
    assert.equal(await gatewayAccount(), before - parseEther('0.1'))
    // The failed deposit, with the deposit's own fields, is not: it was locked into Z's account, not the Gateway's.
    const claim = await rejectsWith(write(stranger.privateKey, router, c.l1AssetRouterAbi, 'claimFailedDeposit', [Z, user.address, eth, parseEther('1'), failed, twoLevel(failed)]), 'UnknownDeposit')
    assert.deepEqual(claim.errorArgs, [requestHash])
    assert.equal(await gatewayAccount(), before - parseEther('0.1'), "the Gateway's account paid nothing for it")
  })

  /** A chain settling on L1 with a settlement on G too (where the forwarder queues its requests), 1 ETH deposited and `dust` new tokens (1 unit each), all processed in its first batch, settled on L1. */
  async function chainWithAssets(chainId: bigint, dust: number) {
    const verifier = await read<Address>(xOnL1, c.chainSettlementAbi, 'verifier')
    const onL1 = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, [chainId, operator.address, verifier, l1Root, keccak256('0x01'), 0n, router, l1Registry, true, DAY], `deploy ${chainId} settlement on L1`)
    const onGateway = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, [chainId, operator.address, verifier, gwRoot, keccak256('0x01'), 0n, forwarder, gwRegistry, false, DAY], `deploy ${chainId} settlement on G`)
    await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'registerChain', [chainId, onL1])
    await write(deployer.privateKey, gwRegistry, c.chainRegistryAbi, 'registerChain', [chainId, onGateway])
    await chain.write(user.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [chainId, user.address], value: parseEther('1') })
    const assets: Hex[] = [eth]
    for (let left = dust; left > 0; left -= 20) {
      const receipt = await write(user.privateKey, dustDepositor, c.dustDepositorAbi, 'depositNewTokens', [router, vault, chainId, user.address, BigInt(Math.min(20, left)), 1n])
      for (const log of parseEventLogs({ abi: c.dustDepositorAbi, eventName: 'DustDeposited', logs: receipt.logs })) assets.push(await read<Hex>(vault, c.l1NativeTokenVaultAbi, 'assetId', [log.args.token]))
    }
    const requests = await chain.client.getLogs({ address: onL1, event: getAbiItem({ abi: c.chainSettlementAbi, name: 'PriorityRequestQueued' }), fromBlock: 0n, strict: true })
    const first = next(undefined, { priorityRequestsCount: BigInt(requests.length), priorityRequestsHash: priorityRollingHash(requests.map((r) => r.args.requestHash)) })
    await settle(onL1, first)
    return { onL1, onGateway, assets, first }
  }
  const allOf = (assets: Hex[]) => assets.map((assetId) => ({ assetId, reserve: 0n, outflowsAtRead: 0n }))
  let dustDepositor: Address
  let v: Awaited<ReturnType<typeof chainWithAssets>>
  let w: Awaited<ReturnType<typeof chainWithAssets>> & { second?: BatchCommitment }
  const V = 275n
  const W = 276n

  test("a chain holding 61 assets moves to the Gateway through the Gateway chain's inbox: its activation costs what one holding a single asset does, its balances follow in credits far below the inbox's gas, and a batch spending an asset not credited yet waits", async () => {
    dustDepositor = await deploy(c.dustDepositorAbi, c.dustDepositorBytecode, [], 'deploy DustDepositor')
    v = await chainWithAssets(V, 0)
    w = await chainWithAssets(W, 60)
    assert.equal(w.assets.length, 61)
    const movedV = await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [V, G, allOf(v.assets)])
    const movedW = await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [W, G, allOf(w.assets)])
    console.log(`migrateChain on L1: ${movedV.gasUsed} gas with 1 asset, ${movedW.gasUsed} with 61 (${(movedW.gasUsed - movedV.gasUsed) / 60n} per asset)`)

    // The Gateway processes the queue up to W's activation: W settles there, holding nothing there yet.
    const activationW = queued(movedW)[0]!.args.index!
    const upToActivation = await processGatewayQueue(activationW)
    const activation = (chainId: bigint) => upToActivation.find((p) => p.call.functionName === 'activateChain' && p.call.args[0] === chainId)!
    const [gasV, gasW] = [activation(V).receipt.gasUsed, activation(W).receipt.gasUsed]
    console.log(`activation on the Gateway: ${gasV} gas for a chain with 1 asset, ${gasW} for one with 61`)
    assert.deepEqual(upToActivation.filter((p) => p.failed).map((p) => [p.call.functionName, p.call.args[0]]), [], 'no request failed')
    assert.equal(await read(w.onGateway, c.chainSettlementAbi, 'active'), true)
    const perRequest = await read<bigint>(l1Registry, c.chainRegistryAbi, 'MIGRATION_CREDIT_ASSETS')
    assert.equal(queued(movedW).length, 1 + Math.ceil(61 / Number(perRequest)), 'the activation, then the credits')
    assert.ok(gasW <= gasV + 1_000n && gasV <= gasW + 1_000n, `the activation does not depend on the assets: ${gasV} and ${gasW}`)
    const last = w.assets.at(-1)!
    assert.equal(await read(tracker, c.gatewayAssetTrackerAbi, 'balanceOf', [W, last]), 0n)

    // W's next batch, on the Gateway, withdraws 1 of its last token: its approval waits for the credit.
    const withdrawal = encodeWithdrawalMessage({ assetId: last, l2Sender: user.address, l1Receiver: user.address, amount: 1n })
    const second = next(w.first, { messageRoot: merkleRoot([messageLeaf(stranger.address, keccak256(withdrawal))]), messageCount: 1n })
    await write(operator.privateKey, w.onGateway, c.chainSettlementAbi, 'commitBatches', [[second]])
    await write(operator.privateKey, w.onGateway, c.chainSettlementAbi, 'proveBatches', [[second], '0x'])
    const messages = [{ senders: [stranger.address], payloadHashes: [keccak256(withdrawal)], payloads: [withdrawal] }]
    const waits = await rejectsWith(write(stranger.privateKey, tracker, c.gatewayAssetTrackerAbi, 'approveBatches', [W, [second], messages]), 'InsufficientChainBalance')
    assert.deepEqual(waits.errorArgs, [W, last, 0n, 1n])

    // The credits: each far below the inbox's REQUEST_GAS_LIMIT, every asset credited.
    const credits = await processGatewayQueue()
    const limit = await read<bigint>(gatewayInbox, c.l2PriorityInboxAbi, 'REQUEST_GAS_LIMIT')
    assert.deepEqual(credits.map((p) => [p.call.functionName, p.call.args[0], p.failed]), credits.map(() => ['creditChainBalances', W, false]))
    assert.deepEqual(credits.map((p) => (p.call.args[1] as unknown[]).length), [16, 16, 16, 13])
    const creditGas = credits.map((p) => p.receipt.gasUsed)
    console.log(`credits on the Gateway (16, 16, 16 and 13 assets new to the chain): ${creditGas.join(', ')} gas`)
    for (const gas of creditGas) assert.ok(gas < limit / 2n, `a credit of ${perRequest} assets takes ${gas} gas, far below ${limit}`)
    const balances = await Promise.all(w.assets.map((assetId) => read<bigint>(tracker, c.gatewayAssetTrackerAbi, 'balanceOf', [W, assetId])))
    assert.deepEqual(balances, w.assets.map((assetId) => (assetId === eth ? parseEther('1') : 1n)))
    await write(stranger.privateKey, tracker, c.gatewayAssetTrackerAbi, 'approveBatches', [W, [second], messages])
    await write(operator.privateKey, w.onGateway, c.chainSettlementAbi, 'executeBatches', [[second], [[]]])
    assert.equal(await read(tracker, c.gatewayAssetTrackerAbi, 'balanceOf', [W, last]), 0n)
    w.second = second
  })

  test('what one L1 transaction of a move cannot carry, the owner moves while the chain settles on the Gateway, with the same reserves: only the owner, only for a chain on a Gateway and not on its way back', async () => {
    const U = 277n
    const u = await chainWithAssets(U, 30)
    const [head, middle, tail] = [u.assets.slice(0, 11), u.assets.slice(11, 21), u.assets.slice(21)]
    assert.deepEqual((await rejectsWith(write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'moveBalancesToGateway', [U, allOf(tail)]), 'NotOnGateway')).errorArgs, [U, BigInt(L1)])
    await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [U, G, allOf(head)])
    const account = (assetId: Hex) => Promise.all([read<bigint>(vault, c.l1NativeTokenVaultAbi, 'chainBalance', [U, assetId]), read<bigint>(vault, c.l1NativeTokenVaultAbi, 'settlementLayerBalance', [G, assetId])])
    assert.deepEqual(await account(middle[0]!), [1n, 0n], 'not carried by the move')
    await rejectsWith(write(stranger.privateKey, l1Registry, c.chainRegistryAbi, 'moveBalancesToGateway', [U, allOf(middle)]), 'NotOwner')
    // The rest, in two more transactions; one asset is reserved for a message of U settled on L1: it stays.
    const kept = middle[0]!
    const moved = await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'moveBalancesToGateway', [U, allOf(middle).map((r) => (r.assetId === kept ? { ...r, reserve: 1n } : r))])
    const [event] = parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainBalancesMoved', logs: moved.logs })
    assert.deepEqual([event!.args.chainId, event!.args.fromSl, event!.args.toSl, event!.args.balances.length], [U, BigInt(L1), G, 9])
    console.log(`moveBalancesToGateway: ${moved.gasUsed} gas for 10 assets`)
    await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'moveBalancesToGateway', [U, allOf(tail)])
    assert.deepEqual(await account(kept), [1n, 0n], 'the reserve stays')
    assert.deepEqual(await Promise.all(tail.map(account)), tail.map(() => [0n, 1n]))

    // On the Gateway, in the queue's order: U's activation, then every credit; everything but the reserve is U's there.
    const processed = (await processGatewayQueue()).filter((p) => p.call.args[0] === U)
    assert.deepEqual(processed.map((p) => [p.call.functionName, p.failed]), [['activateChain', false], ['creditChainBalances', false], ['creditChainBalances', false], ['creditChainBalances', false]])
    const tracked = await Promise.all(u.assets.map((assetId) => read<bigint>(tracker, c.gatewayAssetTrackerAbi, 'balanceOf', [U, assetId])))
    assert.deepEqual(tracked, u.assets.map((assetId) => (assetId === eth ? parseEther('1') : assetId === kept ? 0n : 1n)))

    // On its way back to L1, nothing more moves to the Gateway: a credit would reach it after it let U go.
    await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [U, BigInt(L1), []])
    assert.deepEqual((await rejectsWith(write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'moveBalancesToGateway', [U, allOf([kept])]), 'NotOnGateway')).errorArgs, [U, G])
  })

  test("a deposit of a token whose name and symbol are 300 KB reaches a chain on the Gateway: L1 carries neither, the Gateway passes it on at a small cost, and L1's index of it is the one the chain's queue gives it", async () => {
    const token = async (nameLength: bigint) => {
      const address = await deploy(c.longNameTokenAbi, c.longNameTokenBytecode, [nameLength, nameLength], 'deploy LongNameToken')
      await write(user.privateKey, address, c.longNameTokenAbi, 'mint', [user.address, 10n])
      await write(user.privateKey, address, c.longNameTokenAbi, 'approve', [vault, 10n])
      return address
    }
    const [long, longest] = [await token(300_000n), await token(64n)]
    // V is on the Gateway: three deposits, the 300 KB one first, then ETH, then a name and symbol of exactly the limit.
    const sent = await write(user.privateKey, router, c.l1AssetRouterAbi, 'deposit', [V, long, 10n, user.address])
    const eth1 = await chain.write(user.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [V, user.address], value: 1n })
    const full = await write(user.privateKey, router, c.l1AssetRouterAbi, 'deposit', [V, longest, 10n, user.address])
    console.log(`deposit of the 300 KB token on L1: ${sent.gasUsed} gas`)
    const initiated = [sent, eth1, full].flatMap((r) => parseEventLogs({ abi: c.l1AssetRouterAbi, eventName: 'DepositInitiated', logs: r.logs }))
    const carried = (receipt: { logs: unknown[] }) => {
      const call = decodeFunctionData({ abi: c.gatewayPriorityForwarderAbi, data: queued(receipt)[0]!.args.data! })
      const deposit = decodeFunctionData({ abi: c.l2AssetRouterAbi, data: call.args[2] as Hex })
      return [deposit.functionName, deposit.args[3], deposit.args[4]]
    }
    assert.deepEqual(carried(sent), ['finalizeDeposit', '', ''], 'too long: L1 carries no name or symbol')
    assert.deepEqual(carried(full), ['finalizeDeposit', 'N'.repeat(64), 'S'.repeat(64)], 'up to the limit: carried as they are')

    const processed = (await processGatewayQueue()).filter((p) => p.call.functionName === 'forward')
    assert.deepEqual(processed.map((p) => [p.call.args[0], p.failed]), [[V, false], [V, false], [V, false]])
    console.log(`forward on the Gateway (the whole processRequest): ${processed[0]!.receipt.gasUsed} gas for the 300 KB token's deposit, ${processed[2]!.receipt.gasUsed} for a name and symbol of 64 bytes`)
    for (const p of processed) assert.ok(p.receipt.gasUsed < 300_000n, `forward took ${p.receipt.gasUsed} gas`)
    // V's queue on the Gateway continues from its L1 queue's length (1, frozen since it left): L1 told the depositors exactly that.
    const onGateway = await chain.client.getLogs({ address: v.onGateway, event: getAbiItem({ abi: c.chainSettlementAbi, name: 'PriorityRequestQueued' }), fromBlock: 0n, strict: true })
    assert.deepEqual(onGateway.map((r) => r.args.index), [1n, 2n, 3n])
    assert.deepEqual(initiated.map((d) => d.args.requestIndex), [1n, 2n, 3n])
  })

  test('a chain holding 101 assets on the Gateway returns to L1 in bounded steps: its migration message carries 100, the tracker sends the rest back as transfers to itself, and every balance reaches its own L1 account', async () => {
    // 40 more new tokens deposited to W on the Gateway, processed in W's third batch, settled there.
    const receipts = [await write(user.privateKey, dustDepositor, c.dustDepositorAbi, 'depositNewTokens', [router, vault, W, user.address, 20n, 1n]), await write(user.privateKey, dustDepositor, c.dustDepositorAbi, 'depositNewTokens', [router, vault, W, user.address, 20n, 1n])]
    for (const log of receipts.flatMap((r) => parseEventLogs({ abi: c.dustDepositorAbi, eventName: 'DustDeposited', logs: r.logs }))) w.assets.push(await read<Hex>(vault, c.l1NativeTokenVaultAbi, 'assetId', [log.args.token]))
    assert.ok((await processGatewayQueue()).every((p) => !p.failed))
    const forwarded = (await chain.client.getLogs({ address: w.onGateway, event: getAbiItem({ abi: c.chainSettlementAbi, name: 'PriorityRequestQueued' }), fromBlock: 0n, strict: true })).map((r) => r.args)
    assert.deepEqual([forwarded.length, forwarded[0]!.index], [40, 61n], "W's queue on the Gateway continues from its 61 requests on L1")
    const third = next(w.second, { priorityRequestsCount: 40n, priorityRequestsHash: forwarded.at(-1)!.rollingHash })
    await settle(w.onGateway, third)
    assert.equal((await read<Hex[]>(tracker, c.gatewayAssetTrackerAbi, 'assetsOf', [W])).length, 101)
    const heldOnGateway = await Promise.all(w.assets.map((assetId) => read<bigint>(tracker, c.gatewayAssetTrackerAbi, 'balanceOf', [W, assetId])))

    // Back to L1: the release takes 100 assets into the migration message; 1 stays for sendBackBalances.
    await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'migrateChain', [W, BigInt(L1), []])
    assert.deepEqual((await processGatewayQueue()).map((p) => [p.call.functionName, p.failed]), [['fenceChain', false]])
    const released = await write(deployer.privateKey, gwRegistry, c.chainRegistryAbi, 'releaseChain', [W])
    const [releasedEvent] = parseEventLogs({ abi: c.gatewayAssetTrackerAbi, eventName: 'BalancesReleased', logs: released.logs })
    const limit = await read<bigint>(tracker, c.gatewayAssetTrackerAbi, 'RELEASE_ASSETS')
    assert.equal(releasedEvent!.args.left, 101n - limit)
    const message = parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainReleased', logs: released.logs })[0]!.args.message!
    // Only for a chain that left: V still settles here.
    assert.deepEqual((await rejectsWith(write(stranger.privateKey, tracker, c.gatewayAssetTrackerAbi, 'sendBackBalances', [V]), 'ChainIsHere')).errorArgs, [V])
    const sentBack = await write(stranger.privateKey, tracker, c.gatewayAssetTrackerAbi, 'sendBackBalances', [W])
    assert.deepEqual(parseEventLogs({ abi: c.gatewayAssetTrackerAbi, eventName: 'BalancesSentBack', logs: sentBack.logs }).map((e) => e.args.left), [0n])
    const transfers = parseEventLogs({ abi: c.gatewayAssetTrackerAbi, eventName: 'TransferLeftGateway', logs: sentBack.logs }).map((e) => e.args)
    const carried = releasedEvent!.args.balances.length + transfers.length
    assert.equal(carried, heldOnGateway.filter((amount) => amount > 0n).length, 'every balance W held, once')
    assert.equal((await read<Hex[]>(tracker, c.gatewayAssetTrackerAbi, 'assetsOf', [W])).length, 0)
    console.log(`return of a chain holding 101 assets: releaseChain ${released.gasUsed} gas (${releasedEvent!.args.balances.length} balances in the message), sendBackBalances ${sentBack.gasUsed} (${transfers.length})`)

    // A Gateway batch executed on L1 holds the migration message and the transfers: L1 finalizes the return,
    // then records each transfer into W's own account.
    const leaves = [messageLeaf(gwRegistry, keccak256(message)), ...transfers.map((t) => messageLeaf(tracker, keccak256(t.message)))]
    const gBatch = next(gBatches.at(-1), { messageRoot: merkleRoot(leaves), messageCount: BigInt(leaves.length) })
    const executed = await settle(gatewaySettlement, gBatch)
    gBatches.push(gBatch)
    const chains = await chainsOnL1()
    const proofOf = (i: number, sender: Address) =>
      buildInteropProof({ slChainId: L1, slBlockNumber: executed.blockNumber, messageSender: sender, bundleHash: keccak256(i === 0 ? message : transfers[i - 1]!.message), sourceChainId: G, batchNumber: gBatch.batchNumber, messageLeaves: leaves, messageIndex: i, batchMessageRoots: gBatches.map((b) => b.messageRoot), chains }).proof
    const finalized = await write(stranger.privateKey, l1Registry, c.chainRegistryAbi, 'finalizeChainMigration', [message, proofOf(0, gwRegistry)])
    console.log(`finalizeChainMigration on L1 with ${releasedEvent!.args.balances.length} balances: ${finalized.gasUsed} gas`)
    for (const [i, t] of transfers.entries()) await write(stranger.privateKey, router, c.l1AssetRouterAbi, 'finalizeSettlementLayerTransfer', [G, t.message, proofOf(i + 1, tracker)])
    const ownAccount = await Promise.all(w.assets.map((assetId) => read<bigint>(vault, c.l1NativeTokenVaultAbi, 'chainBalance', [W, assetId])))
    assert.deepEqual(ownAccount, heldOnGateway, 'W holds on L1 exactly what it held on the Gateway')
  })
})

async function chainsOnL1(): Promise<{ chainId: bigint; chainTreeRoot: Hex }[]> {
  const count = await read<bigint>(l1Root, c.messageRootAbi, 'chainCount')
  const ids = await Promise.all(Array.from({ length: Number(count) }, (_, i) => read<bigint>(l1Root, c.messageRootAbi, 'chainIdAt', [BigInt(i)])))
  return Promise.all(ids.map(async (chainId) => ({ chainId, chainTreeRoot: await read<Hex>(l1Root, c.messageRootAbi, 'chainTreeRoot', [chainId]) })))
}
