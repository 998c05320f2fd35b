// Settlement-layer migration (protocol §11) on a real EVM: a chain's settlement contracts, one active at
// a time, and the registries that move it. One anvil (chain 31337) plays L1 and, with a second
// registry and MessageRoot, the Gateway G (chain 999); an account plays the Gateway chain's priority
// inbox, as the Gateway's sequencer would when it processes L1's requests.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { decodeAbiParameters, decodeFunctionData, getAddress, keccak256, parseEventLogs, parseEther, zeroAddress, zeroHash, type Address, type Hex } from 'viem'
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
/** Plays the Gateway chain's L2PriorityInbox. */
const gatewayInbox = devAccount(6)
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
  gwRegistry = await deploy(c.chainRegistryAbi, c.chainRegistryBytecode, [gwRoot, gatewayInbox.address], 'deploy Gateway ChainRegistry')
  await write(deployer.privateKey, gwRoot, c.messageRootAbi, 'setRegistry', [gwRegistry])
  vault = await deploy(c.l1NativeTokenVaultAbi, c.l1NativeTokenVaultBytecode, [], 'deploy L1NativeTokenVault')
  router = await deploy(c.l1AssetRouterAbi, c.l1AssetRouterBytecode, [l1Registry, l1Root, vault, stranger.address, stranger.address, zeroAddress], 'deploy L1AssetRouter')
  await write(deployer.privateKey, vault, c.l1NativeTokenVaultAbi, 'setAssetRouter', [router])
  await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'setAssetRouter', [router])
  eth = await read<Hex>(vault, c.l1NativeTokenVaultAbi, 'ethAssetId')
  // The Gateway's asset tracker: chains moving in are credited their balances, chains leaving take them along.
  tracker = await deploy(c.gatewayAssetTrackerAbi, c.gatewayAssetTrackerBytecode, [gwRegistry, stranger.address, stranger.address, stranger.address, stranger.address, messenger, BigInt(L1), eth], 'deploy GatewayAssetTracker')
  await write(deployer.privateKey, gwRegistry, c.chainRegistryAbi, 'setValueApprover', [tracker])
  const settlementArgs = (chainId: bigint, root: Address, requester: Address, registry: Address, active: boolean) => [chainId, operator.address, verifier, root, keccak256('0x01'), 0n, requester, registry, active, DAY]
  gatewaySettlement = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, settlementArgs(G, l1Root, router, l1Registry, true), 'deploy G settlement on L1')
  xOnL1 = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, settlementArgs(X, l1Root, router, l1Registry, true), 'deploy X settlement on L1')
  // On the Gateway the forwarder queues requests; this test never forwards, the stranger stands in.
  xOnGateway = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, settlementArgs(X, gwRoot, stranger.address, gwRegistry, false), 'deploy X settlement on G')
  await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'registerChain', [G, gatewaySettlement])
  await write(deployer.privateKey, l1Registry, c.chainRegistryAbi, 'registerSettlementLayer', [G, stranger.address, gwRegistry, tracker])
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

  test('moving to the Gateway: L1 stops settling the chain and queues its activation, with its state, tree and balances, in the Gateway queue', async () => {
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
    // The request went to the Gateway's own queue on L1, to the Gateway's registry.
    const [request] = queued(receipt)
    assert.equal(getAddress(request!.address), gatewaySettlement)
    assert.equal(getAddress(request!.args.l2Target!), gwRegistry)
    const call = decodeFunctionData({ abi: c.chainRegistryAbi, data: request!.args.data! })
    assert.equal(call.functionName, 'activateChain')
    const [chainId, state, , balances] = call.args as unknown as [bigint, { batchNumber: bigint; batchHash: Hex; lastBlock: bigint; priorityRequestsCount: bigint }, unknown, { assetId: Hex; amount: bigint }[]]
    assert.deepEqual([chainId, state.batchNumber, state.batchHash, state.lastBlock, state.priorityRequestsCount], [X, 2n, batchHash(xBatches[1]!), 2n, 1n])
    assert.deepEqual(balances, [{ assetId: eth, amount: parseEther('0.4') }])

    // The Gateway takes it only from its priority inbox.
    await rejectsWith(chain.sendRaw(stranger.privateKey, { to: gwRegistry, data: request!.args.data!, action: 'activate as a stranger' }), 'NotPriorityInbox')
    const activated = await chain.sendRaw(gatewayInbox.privateKey, { to: gwRegistry, data: request!.args.data!, action: 'activate as the Gateway inbox' })
    assert.equal(parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainActivated', logs: activated.logs }).length, 1)
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
    await chain.sendRaw(gatewayInbox.privateKey, { to: gwRegistry, data: fence!.args.data!, action: 'fence as the Gateway inbox' })
    await rejectsWith(write(stranger.privateKey, gwRegistry, c.chainRegistryAbi, 'releaseChain', [X]), 'NotOwner')
    const released = await write(deployer.privateKey, gwRegistry, c.chainRegistryAbi, 'releaseChain', [X])
    const [event] = parseEventLogs({ abi: c.chainRegistryAbi, eventName: 'ChainReleased', logs: released.logs })
    assert.deepEqual([event!.args.batchNumber, event!.args.lastBlock], [3n, 3n])
    assert.equal(await read(xOnGateway, c.chainSettlementAbi, 'active'), false)
    const message = event!.args.message!
    const [, chainId, state, , balances] = decodeAbiParameters(
      [
        { type: 'bytes4' },
        { type: 'uint256' },
        { type: 'tuple', components: [{ name: 'batchNumber', type: 'uint256' }, { name: 'batchHash', type: 'bytes32' }, { name: 'lastBlock', type: 'uint256' }, { name: 'priorityRequestsCount', type: 'uint256' }, { name: 'priorityRollingHash', type: 'bytes32' }] },
        { type: 'tuple', components: [{ name: 'count', type: 'uint256' }, { name: 'frontier', type: 'bytes32[33]' }] },
        { type: 'tuple[]', components: [{ name: 'assetId', type: 'bytes32' }, { name: 'amount', type: 'uint256' }] },
      ],
      message,
    )
    assert.deepEqual([chainId, state.batchNumber, state.batchHash], [X, 3n, batchHash(xBatches[2]!)])
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
})

async function chainsOnL1(): Promise<{ chainId: bigint; chainTreeRoot: Hex }[]> {
  const count = await read<bigint>(l1Root, c.messageRootAbi, 'chainCount')
  const ids = await Promise.all(Array.from({ length: Number(count) }, (_, i) => read<bigint>(l1Root, c.messageRootAbi, 'chainIdAt', [BigInt(i)])))
  return Promise.all(ids.map(async (chainId) => ({ chainId, chainTreeRoot: await read<Hex>(l1Root, c.messageRootAbi, 'chainTreeRoot', [chainId]) })))
}
