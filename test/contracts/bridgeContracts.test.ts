// The shared bridge of protocol §9 on a real EVM: deposits locked on L1 and queued as priority
// requests, processed in order on the chain with the same rolling hash, checked at settlement, and
// withdrawals finalized on L1 with an inclusion proof, once, within the chain's balance; chain → chain
// transfers burned through InteropCenter.sendBundle, minted by receiveMessage, and moved on the L1
// ledger by finalizeTransfer.
// One anvil (chain 31337) plays L1 and chain 31337 at once; chain 500 is a second registered chain
// whose deposits must stay untouched.
import { rejectsWith } from '../../src/testing/rejectsWith.js'
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { encodeAbiParameters, encodeFunctionData, getAddress, getContractAddress, keccak256, parseEventLogs, zeroAddress, zeroHash, type Address, type Hex, type TransactionReceipt } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import { messageLeavesOf } from '../../src/indexer/messageLeaves.js'
import {
  MerkleTree,
  assetId as computeAssetId,
  batchHash,
  emptyBatchCommitment,
  batchLeaf,
  blindedBridgeMessageCommitment,
  bridgedTokenAddress,
  buildBundle,
  buildInteropProof,
  decodeBundle,
  encodeIndirectCallAttribute,
  encodeTransferData,
  encodeTransferMessage,
  encodeTransferPayload,
  encodeFailedDepositMessage,
  encodeWithdrawalMessage,
  ethAssetId,
  failedDepositClaimDigest,
  failedDepositClaimTypedData,
  formatInteroperableAddress,
  merkleRoot,
  messageLeaf,
  priorityRequestHash,
  priorityRollingHash,
  withdrawalId,
  type BatchCommitment,
  type InteropProof,
} from '../../src/protocol/index.js'

/** The network's default timeout of priority requests (forced inclusion, protocol §9.2). */
const DAY = 86_400n
const CHAIN_ID = 31337
const OTHER_CHAIN = 500n
const deployer = devAccount(0)
const user = devAccount(1)
const receiver = devAccount(2)
const l1Receiver = devAccount(3)
const operator = devAccount(4)
const stranger = devAccount(5)
/** Plays the InteropHandler of `center` (the only caller of `deliver`). */
const handler = devAccount(6)

let anvil: AnvilProcess
let chain: ChainConnection
let messageRoot: Address
let registry: Address
let verifier: Address
let vault: Address
let router: Address
let messenger: Address
let inbox: Address
let l2Router: Address
let center: Address
let settlement: Address
let otherSettlement: Address
let holder: Address
let ethAsset: Hex
const HOLDER_PREFUND = 10n ** 21n
let token: Address
let asset: Hex
/** Batches of chain 31337 executed on L1 so far, in order. */
const settledBatches: BatchCommitment[] = []
/** The priority requests queued for chain 31337, in order. */
const queued: { l2Target: Address; data: Hex }[] = []

const rejects = async (promise: Promise<unknown>, errorName: string) => (await rejectsWith(promise, errorName)).errorArgs ?? []

const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
  chain.client.readContract({ address, abi, functionName, args } as never) as Promise<T>
const deploy = async (abi: readonly unknown[], bytecode: Hex, args: readonly unknown[], action: string) =>
  getAddress((await chain.deploy(deployer.privateKey, { abi: abi as never, bytecode, args, action })).address)
const chainBalance = (chainId: bigint | number) => read<bigint>(vault, c.l1NativeTokenVaultAbi, 'chainBalance', [BigInt(chainId), asset])
const balanceOf = (t: Address, account: Address) => read<bigint>(t, c.testTokenAbi, 'balanceOf', [account])
const newSettlement = (chainId: bigint | number, requester: Address, genesis: Hex = keccak256('0x01')) =>
  deploy(c.chainSettlementAbi, c.chainSettlementBytecode, [BigInt(chainId), operator.address, verifier, messageRoot, genesis, 0n, requester, registry, true, DAY], 'deploy ChainSettlement')

function batch(overrides: Partial<BatchCommitment> & Pick<BatchCommitment, 'batchNumber' | 'previousBatchHash'>): BatchCommitment {
  return emptyBatchCommitment({ firstBlock: 1n, lastBlock: 1n, timestamp: 1n, ...overrides })
}

/** Commits and proves `b` on `at`, then executes it (the execution's receipt). */
async function settle(at: Address, b: BatchCommitment): Promise<TransactionReceipt> {
  await chain.write(operator.privateKey, { address: at, abi: c.chainSettlementAbi, functionName: 'commitBatches', args: [[b]] })
  await chain.write(operator.privateKey, { address: at, abi: c.chainSettlementAbi, functionName: 'proveBatches', args: [[b], '0x'] })
  return chain.write(operator.privateKey, { address: at, abi: c.chainSettlementAbi, functionName: 'executeBatches', args: [[b], [[]]] })
}

/** Every registered chain and its chain tree root now, in registration order (as read from MessageRoot). */
async function chainsNow(): Promise<{ chainId: bigint; chainTreeRoot: Hex }[]> {
  const count = await read<bigint>(messageRoot, c.messageRootAbi, 'chainCount')
  const ids = await Promise.all(Array.from({ length: Number(count) }, (_, i) => read<bigint>(messageRoot, c.messageRootAbi, 'chainIdAt', [BigInt(i)])))
  return Promise.all(ids.map(async (chainId) => ({ chainId, chainTreeRoot: await read<Hex>(messageRoot, c.messageRootAbi, 'chainTreeRoot', [chainId]) })))
}

/** Settles the next batch of chain 31337 with `leaves` and returns the proof of leaf `index` (recorded by `sender`). */
async function settleLeaves(leaves: Hex[], payloadHash: Hex, index = 0, sender = l2Router): Promise<{ b: BatchCommitment; proof: InteropProof }> {
  const previous = settledBatches[settledBatches.length - 1]!
  const next = previous.batchNumber + 1n
  const b = batch({
    batchNumber: next,
    previousBatchHash: batchHash(previous),
    firstBlock: next,
    lastBlock: next,
    messageRoot: merkleRoot(leaves),
    messageCount: BigInt(leaves.length),
    priorityRequestsHash: previous.priorityRequestsHash,
  })
  const executed = await settle(settlement, b)
  settledBatches.push(b)
  const built = buildInteropProof({
    slChainId: CHAIN_ID, slBlockNumber: executed.blockNumber, messageSender: sender, bundleHash: payloadHash,
    sourceChainId: CHAIN_ID, batchNumber: next, messageLeaves: leaves, messageIndex: index, batchMessageRoots: settledBatches.map((x) => x.messageRoot), chains: await chainsNow(),
  })
  return { b, proof: built.proof }
}

const deposit = (chainId: bigint | number, amount: bigint, from = user) =>
  chain.write(from.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'deposit', args: [BigInt(chainId), token, amount, receiver.address] })

before(async () => {
  anvil = createAnvil({ chainId: CHAIN_ID, port: 0, name: 'bridge-contracts' })
  await anvil.start()
  chain = new ChainConnection({ chainId: CHAIN_ID, name: 'bridge-contracts', rpcUrl: anvil.rpcUrl })
  messageRoot = await deploy(c.messageRootAbi, c.messageRootBytecode, [zeroAddress, zeroAddress, 0n], 'deploy MessageRoot')
  registry = await deploy(c.chainRegistryAbi, c.chainRegistryBytecode, [messageRoot, zeroAddress], 'deploy ChainRegistry')
  await chain.write(deployer.privateKey, { address: messageRoot, abi: c.messageRootAbi, functionName: 'setRegistry', args: [registry] })
  verifier = await deploy(c.developmentVerifierAbi, c.developmentVerifierBytecode, [], 'deploy DevelopmentVerifier')
  messenger = await deploy(c.l2MessengerAbi, c.l2MessengerBytecode, [], 'deploy L2Messenger')
  inbox = await deploy(c.l2PriorityInboxAbi, c.l2PriorityInboxBytecode, [operator.address, messenger], 'deploy L2PriorityInbox')
  vault = await deploy(c.l1NativeTokenVaultAbi, c.l1NativeTokenVaultBytecode, [], 'deploy L1NativeTokenVault')
  ethAsset = ethAssetId({ l1ChainId: CHAIN_ID, l1Vault: vault })
  const nonce = await chain.client.getTransactionCount({ address: deployer.address })
  const [predictedRouter, predictedHolder] = [1, 2].map((i) => getAddress(getContractAddress({ from: deployer.address, nonce: BigInt(nonce + i) })))
  center = await deploy(c.interopCenterAbi, c.interopCenterBytecode, [messenger, handler.address, predictedRouter, zeroHash], 'deploy InteropCenter')
  l2Router = await deploy(c.l2AssetRouterAbi, c.l2AssetRouterBytecode, [inbox, messenger, center, predictedHolder, ethAsset, BigInt(CHAIN_ID), zeroHash], 'deploy L2AssetRouter')
  holder = getAddress((await chain.deploy(deployer.privateKey, { abi: c.baseTokenHolderAbi, bytecode: c.baseTokenHolderBytecode, args: [l2Router, handler.address], value: HOLDER_PREFUND, action: 'deploy BaseTokenHolder' })).address)
  assert.deepEqual([l2Router, holder], [predictedRouter, predictedHolder])
  router = await deploy(c.l1AssetRouterAbi, c.l1AssetRouterBytecode, [registry, messageRoot, vault, l2Router, inbox, zeroAddress], 'deploy L1AssetRouter')
  await chain.write(deployer.privateKey, { address: vault, abi: c.l1NativeTokenVaultAbi, functionName: 'setAssetRouter', args: [router] })
  settlement = await newSettlement(CHAIN_ID, router)
  otherSettlement = await newSettlement(OTHER_CHAIN, router)
  await chain.write(deployer.privateKey, { address: registry, abi: c.chainRegistryAbi, functionName: 'registerChain', args: [BigInt(CHAIN_ID), settlement] })
  await chain.write(deployer.privateKey, { address: registry, abi: c.chainRegistryAbi, functionName: 'registerChain', args: [OTHER_CHAIN, otherSettlement] })
  token = await deploy(c.testTokenAbi, c.testTokenBytecode, ['Test USD', 'TUSD', 6], 'deploy TestToken')
  asset = computeAssetId({ originChainId: CHAIN_ID, originVault: vault, originToken: token })
  await chain.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user.address, 1_000n] })
  await chain.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'approve', args: [vault, 1_000n] })
})
after(async () => {
  await anvil?.stop()
})

describe('shared bridge: deposits', () => {
  test('a deposit locks the tokens, raises the chain balance and queues the finalizeDeposit request', async () => {
    assert.equal(await read(vault, c.l1NativeTokenVaultAbi, 'assetId', [token]), asset)
    const receipt = await deposit(CHAIN_ID, 100n)
    const expectedData = encodeFunctionData({
      abi: c.il2AssetRouterAbi,
      functionName: 'finalizeDeposit',
      args: [asset, BigInt(CHAIN_ID), token, 'Test USD', 'TUSD', 6, user.address, receiver.address, 100n],
    })
    const [queuedEvent] = parseEventLogs({ abi: c.chainSettlementAbi, logs: receipt.logs, eventName: 'PriorityRequestQueued' })
    assert.equal(queuedEvent!.args.index, 0n)
    assert.equal(getAddress(queuedEvent!.args.l2Target), l2Router)
    assert.equal(queuedEvent!.args.data, expectedData)
    const requestHash = priorityRequestHash({ chainId: CHAIN_ID, index: 0n, l2Target: l2Router, data: expectedData })
    assert.equal(queuedEvent!.args.requestHash, requestHash)
    assert.equal(queuedEvent!.args.rollingHash, priorityRollingHash([requestHash]))
    queued.push({ l2Target: l2Router, data: expectedData })
    const [initiated] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: receipt.logs, eventName: 'DepositInitiated' })
    assert.deepEqual(
      [initiated!.args.chainId, initiated!.args.assetId, getAddress(initiated!.args.depositor), getAddress(initiated!.args.l2Receiver), initiated!.args.amount, initiated!.args.requestIndex],
      [BigInt(CHAIN_ID), asset, user.address, receiver.address, 100n, 0n],
    )

    assert.equal(await chainBalance(CHAIN_ID), 100n)
    assert.equal(await balanceOf(token, vault), 100n)
    assert.equal(await balanceOf(token, user.address), 900n)
    assert.equal(getAddress(await read<Address>(vault, c.l1NativeTokenVaultAbi, 'tokenOf', [asset])), token)
    assert.equal(await read(settlement, c.chainSettlementAbi, 'priorityRequestsQueued'), 1n)
    assert.equal(await read(settlement, c.chainSettlementAbi, 'priorityRollingHashes', [1n]), priorityRollingHash([requestHash]))
    assert.equal(await read(settlement, c.chainSettlementAbi, 'priorityRollingHashes', [0n]), zeroHash)

    // Another chain's deposit goes to its own balance and queue.
    await deposit(OTHER_CHAIN, 40n)
    assert.equal(await chainBalance(OTHER_CHAIN), 40n)
    assert.equal(await chainBalance(CHAIN_ID), 100n)
    assert.equal(await read(otherSettlement, c.chainSettlementAbi, 'priorityRequestsQueued'), 1n)
    assert.equal(await read(settlement, c.chainSettlementAbi, 'priorityRequestsQueued'), 1n)
  })

  test('refuses a deposit to an unregistered chain or of nothing, and a queue write by anyone but the router', async () => {
    assert.deepEqual(await rejects(deposit(77n, 1n), 'ChainNotRegistered'), [77n])
    await rejects(deposit(CHAIN_ID, 0n), 'ZeroAmount')
    assert.deepEqual(
      await rejects(chain.write(stranger.privateKey, { address: settlement, abi: c.chainSettlementAbi, functionName: 'enqueuePriorityRequest', args: [l2Router, '0x'] }), 'NotPriorityRequester'),
      [stranger.address],
    )
    assert.deepEqual(
      await rejects(chain.write(stranger.privateKey, { address: vault, abi: c.l1NativeTokenVaultAbi, functionName: 'lockDeposit', args: [BigInt(CHAIN_ID), token, user.address, 1n] }), 'NotAssetRouter'),
      [stranger.address],
    )
    assert.equal(await read(settlement, c.chainSettlementAbi, 'priorityRequestsQueued'), 1n)
    assert.equal(await chainBalance(CHAIN_ID), 100n)
  })

  test('the chain processes requests only in order, keeps the L1 rolling hash, and mints at the predicted address', async () => {
    const { l2Target, data } = queued[0]!
    assert.deepEqual(await rejects(chain.write(operator.privateKey, { address: inbox, abi: c.l2PriorityInboxAbi, functionName: 'processRequest', args: [1n, l2Target, data] }), 'RequestOutOfOrder'), [0n, 1n])
    assert.deepEqual(await rejects(chain.write(stranger.privateKey, { address: inbox, abi: c.l2PriorityInboxAbi, functionName: 'processRequest', args: [0n, l2Target, data] }), 'NotOperator'), [stranger.address])
    assert.deepEqual(
      await rejects(
        chain.write(stranger.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'finalizeDeposit', args: [asset, BigInt(CHAIN_ID), token, 'x', 'x', 6, user.address, stranger.address, 5n] }),
        'NotPriorityInbox',
      ),
      [stranger.address],
    )

    const predicted = bridgedTokenAddress({ l2AssetRouter: l2Router, bytecode: c.bridgedTokenBytecode, assetId: asset, originChainId: CHAIN_ID, originToken: token, name: 'Test USD', symbol: 'TUSD', decimals: 6 })
    assert.equal(getAddress(await read(l2Router, c.l2AssetRouterAbi, 'bridgedTokenAddress', [asset, BigInt(CHAIN_ID), token, 'Test USD', 'TUSD', 6])), predicted)
    assert.equal(await read(l2Router, c.l2AssetRouterAbi, 'bridgedToken', [asset]), '0x0000000000000000000000000000000000000000')

    const receipt = await chain.write(operator.privateKey, { address: inbox, abi: c.l2PriorityInboxAbi, functionName: 'processRequest', args: [0n, l2Target, data] })
    assert.deepEqual(parseEventLogs({ abi: c.l2PriorityInboxAbi, logs: receipt.logs, eventName: 'PriorityRequestFailed' }), [])
    assert.equal(await read(inbox, c.l2PriorityInboxAbi, 'processedCount'), 1n)
    assert.equal(await read(inbox, c.l2PriorityInboxAbi, 'rollingHash'), await read(settlement, c.chainSettlementAbi, 'priorityRollingHashes', [1n]))
    assert.equal(getAddress(await read(l2Router, c.l2AssetRouterAbi, 'bridgedToken', [asset])), predicted)
    const [finalized] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'DepositFinalized' })
    assert.deepEqual([finalized!.args.assetId, getAddress(finalized!.args.l2Receiver), finalized!.args.amount, getAddress(finalized!.args.token)], [asset, receiver.address, 100n, predicted])
    assert.equal(await balanceOf(predicted, receiver.address), 100n)
    assert.equal(await read(predicted, c.bridgedTokenAbi, 'totalSupply'), 100n)
    assert.deepEqual(
      await Promise.all(['name', 'symbol', 'decimals', 'assetId', 'originChainId', 'originToken'].map((f) => read(predicted, c.bridgedTokenAbi, f))),
      ['Test USD', 'TUSD', 6, asset, BigInt(CHAIN_ID), token],
    )
    assert.deepEqual(
      await rejects(chain.write(stranger.privateKey, { address: predicted, abi: c.bridgedTokenAbi, functionName: 'mint', args: [stranger.address, 1n] }), 'NotAssetRouter'),
      [stranger.address],
    )
  })

  test('a request whose call fails still counts as processed', async () => {
    // A second inbox that the asset router does not trust: its finalizeDeposit call fails.
    const otherInbox = await deploy(c.l2PriorityInboxAbi, c.l2PriorityInboxBytecode, [operator.address, messenger], 'deploy L2PriorityInbox')
    const { l2Target, data } = queued[0]!
    const receipt = await chain.write(operator.privateKey, { address: otherInbox, abi: c.l2PriorityInboxAbi, functionName: 'processRequest', args: [0n, l2Target, data] })
    const [failed] = parseEventLogs({ abi: c.l2PriorityInboxAbi, logs: receipt.logs, eventName: 'PriorityRequestFailed' })
    assert.equal(failed!.args.index, 0n)
    assert.equal(await read(otherInbox, c.l2PriorityInboxAbi, 'processedCount'), 1n)
    assert.equal(await read(otherInbox, c.l2PriorityInboxAbi, 'rollingHash'), priorityRollingHash([priorityRequestHash({ chainId: CHAIN_ID, index: 0n, l2Target, data })]))
  })
})

describe('shared bridge: settlement checks the priority queue', () => {
  const genesis = keccak256('0x01')
  const requests = [
    { l2Target: '0x00000000000000000000000000000000000000aa' as Address, data: '0x01' as Hex },
    { l2Target: '0x00000000000000000000000000000000000000bb' as Address, data: '0x0202' as Hex },
  ]
  /** A settlement for chain 900 whose requester is the deployer, with `requests` queued. */
  async function queuedSettlement(): Promise<{ at: Address; hashes: Hex[] }> {
    const at = await newSettlement(900n, deployer.address, genesis)
    for (const r of requests) await chain.write(deployer.privateKey, { address: at, abi: c.chainSettlementAbi, functionName: 'enqueuePriorityRequest', args: [r.l2Target, r.data] })
    return { at, hashes: requests.map((r, index) => priorityRequestHash({ chainId: 900n, index, ...r })) }
  }
  const refused = async (count: bigint, hash: Hex, errorName: string) => {
    const { at } = await queuedSettlement()
    const args = await rejects(settle(at, batch({ batchNumber: 1n, previousBatchHash: genesis, priorityRequestsCount: count, priorityRequestsHash: hash })), errorName)
    assert.equal(await read(at, c.chainSettlementAbi, 'totalExecuted'), 0n)
    assert.equal(await read(at, c.chainSettlementAbi, 'totalPriorityRequestsProcessed'), 0n)
    return args
  }

  test('refuses a batch that skips, reorders, invents or overcounts deposits', async () => {
    const { hashes } = await queuedSettlement()
    const one = priorityRollingHash([hashes[0]!])
    const two = priorityRollingHash(hashes)
    // Claims one processed, but with the hash of none (skipped).
    assert.deepEqual(await refused(1n, zeroHash, 'PriorityRequestsMismatch'), [1n, one, zeroHash])
    // Processed both, in the wrong order.
    const reordered = priorityRollingHash([hashes[1]!, hashes[0]!])
    assert.deepEqual(await refused(2n, reordered, 'PriorityRequestsMismatch'), [1n, two, reordered])
    // Claims none processed but carries a hash (an invented request).
    assert.deepEqual(await refused(0n, one, 'PriorityRequestsMismatch'), [1n, zeroHash, one])
    // More than were queued.
    assert.deepEqual(await refused(3n, two, 'PriorityRequestsNotQueued'), [1n, 3n, 2n])
  })

  test('accepts batches whose count and cumulative hash follow the queue', async () => {
    const { at, hashes } = await queuedSettlement()
    await chain.write(deployer.privateKey, { address: registry, abi: c.chainRegistryAbi, functionName: 'registerChain', args: [900n, at] })
    const first = batch({ batchNumber: 1n, previousBatchHash: genesis, priorityRequestsCount: 1n, priorityRequestsHash: priorityRollingHash([hashes[0]!]) })
    await settle(at, first)
    assert.equal(await read(at, c.chainSettlementAbi, 'totalPriorityRequestsProcessed'), 1n)
    // A batch that processes none carries the cumulative hash so far.
    const second = batch({ batchNumber: 2n, previousBatchHash: batchHash(first), firstBlock: 2n, lastBlock: 2n, priorityRequestsHash: priorityRollingHash([hashes[0]!]) })
    const third = batch({ batchNumber: 3n, previousBatchHash: batchHash(second), firstBlock: 3n, lastBlock: 3n, priorityRequestsCount: 1n, priorityRequestsHash: priorityRollingHash(hashes) })
    await chain.write(operator.privateKey, { address: at, abi: c.chainSettlementAbi, functionName: 'commitBatches', args: [[second, third]] })
    await chain.write(operator.privateKey, { address: at, abi: c.chainSettlementAbi, functionName: 'proveBatches', args: [[second, third], '0x'] })
    await chain.write(operator.privateKey, { address: at, abi: c.chainSettlementAbi, functionName: 'executeBatches', args: [[second, third], [[], []]] })
    assert.equal(await read(at, c.chainSettlementAbi, 'totalExecuted'), 3n)
    assert.equal(await read(at, c.chainSettlementAbi, 'totalPriorityRequestsProcessed'), 2n)
  })
})

describe('shared bridge: withdrawals', () => {
  let bridged: Address
  let message: Hex
  let leaf: Hex
  let batch1: BatchCommitment
  let proof: InteropProof
  const finalize = (chainId: bigint | number, m: Hex, p: InteropProof, from = stranger) =>
    chain.write(from.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'finalizeWithdrawal', args: [BigInt(chainId), m, p] })

  before(async () => {
    bridged = getAddress(await read<Address>(l2Router, c.l2AssetRouterAbi, 'bridgedToken', [asset]))
  })

  test('withdraw burns the tokens and records the withdrawal message leaf', async () => {
    assert.deepEqual(
      await rejects(chain.write(receiver.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'withdraw', args: [keccak256('0x99'), 1n, l1Receiver.address] }), 'UnknownAsset'),
      [keccak256('0x99')],
    )
    const receipt = await chain.write(receiver.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'withdraw', args: [asset, 30n, l1Receiver.address] })
    message = encodeWithdrawalMessage({ assetId: asset, l2Sender: receiver.address, l1Receiver: l1Receiver.address, amount: 30n })
    const [initiated] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'WithdrawalInitiated' })
    assert.equal(initiated!.args.message, message)
    const [recorded] = parseEventLogs({ abi: c.l2MessengerAbi, logs: receipt.logs, eventName: 'MessageRecorded' })
    assert.equal(getAddress(recorded!.args.sender), l2Router)
    assert.equal(recorded!.args.payloadHash, keccak256(message))
    leaf = messageLeaf(l2Router, keccak256(message))
    assert.equal(await balanceOf(bridged, receiver.address), 70n)
    assert.equal(await read(bridged, c.bridgedTokenAbi, 'totalSupply'), 70n)
  })

  test('the batch with the withdrawal and the processed deposit settles, and the withdrawal finalizes once', async () => {
    const genesis = keccak256('0x01')
    batch1 = batch({
      batchNumber: 1n,
      previousBatchHash: genesis,
      messageRoot: merkleRoot([leaf]),
      messageCount: 1n,
      priorityRequestsCount: 1n,
      priorityRequestsHash: await read<Hex>(inbox, c.l2PriorityInboxAbi, 'rollingHash'),
    })
    const executed = await settle(settlement, batch1)
    settledBatches.push(batch1)
    assert.equal(await read(settlement, c.chainSettlementAbi, 'totalPriorityRequestsProcessed'), 1n)
    const chainTreeRoot = new MerkleTree([batchLeaf(1n, batch1.messageRoot)]).root
    const built = buildInteropProof({
      slChainId: CHAIN_ID, slBlockNumber: executed.blockNumber, messageSender: l2Router, bundleHash: keccak256(message),
      sourceChainId: CHAIN_ID, batchNumber: 1n, messageLeaves: [leaf], batchMessageRoots: [batch1.messageRoot], chains: await chainsNow(),
    })
    assert.equal(built.chainTreeRoot, chainTreeRoot)
    assert.equal(await read(messageRoot, c.messageRootAbi, 'historicalRoot', [executed.blockNumber]), built.sharedRoot)
    proof = built.proof

    assert.deepEqual(await rejects(finalize(CHAIN_ID, message, { ...proof, slChainId: 5n }), 'WrongSettlementLayer'), [5n])
    assert.deepEqual(await rejects(finalize(CHAIN_ID, message, { ...proof, messageSender: inbox }), 'SenderNotAssetRouter'), [inbox])
    await rejects(finalize(OTHER_CHAIN, message, proof), 'ProofRootMismatch')
    assert.deepEqual(await rejects(finalize(CHAIN_ID, message, { ...proof, slBlockNumber: executed.blockNumber + 1000n }), 'RootNotInHistory'), [executed.blockNumber + 1000n])

    const receipt = await finalize(CHAIN_ID, message, proof)
    const id = withdrawalId({ chainId: CHAIN_ID, batchNumber: 1n, messageIndex: 0n })
    const [event] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: receipt.logs, eventName: 'WithdrawalFinalized' })
    assert.deepEqual([event!.args.chainId, event!.args.assetId, getAddress(event!.args.l1Receiver), event!.args.amount, event!.args.withdrawalId], [BigInt(CHAIN_ID), asset, l1Receiver.address, 30n, id])
    assert.equal(await balanceOf(token, l1Receiver.address), 30n)
    assert.equal(await chainBalance(CHAIN_ID), 70n)
    assert.equal(await read(router, c.l1AssetRouterAbi, 'isWithdrawalFinalized', [id]), true)

    assert.deepEqual(await rejects(finalize(CHAIN_ID, message, proof), 'WithdrawalAlreadyFinalized'), [id])
    assert.equal(await balanceOf(token, l1Receiver.address), 30n)
  })

  test('a chain cannot withdraw more than its balance, and other chains keep their deposits', async () => {
    // A compromised chain commits a batch holding a withdrawal it never burned for: 1000 tokens.
    const forged = encodeWithdrawalMessage({ assetId: asset, l2Sender: receiver.address, l1Receiver: stranger.address, amount: 1000n })
    const forgedLeaf = messageLeaf(l2Router, keccak256(forged))
    const batch2 = batch({
      batchNumber: 2n,
      previousBatchHash: batchHash(batch1),
      firstBlock: 2n,
      lastBlock: 2n,
      messageRoot: merkleRoot([forgedLeaf]),
      messageCount: 1n,
      priorityRequestsHash: batch1.priorityRequestsHash,
    })
    const executed = await settle(settlement, batch2)
    settledBatches.push(batch2)
    const chainTreeRoot = new MerkleTree([batchLeaf(1n, batch1.messageRoot), batchLeaf(2n, batch2.messageRoot)]).root
    const { proof: forgedProof } = buildInteropProof({
      slChainId: CHAIN_ID, slBlockNumber: executed.blockNumber, messageSender: l2Router, bundleHash: keccak256(forged),
      sourceChainId: CHAIN_ID, batchNumber: 2n, messageLeaves: [forgedLeaf], batchMessageRoots: [batch1.messageRoot, batch2.messageRoot], chains: await chainsNow(),
    })
    assert.equal(await read(messageRoot, c.messageRootAbi, 'chainTreeRoot', [BigInt(CHAIN_ID)]), chainTreeRoot)
    assert.deepEqual(await rejects(finalize(CHAIN_ID, forged, forgedProof), 'InsufficientChainBalance'), [BigInt(CHAIN_ID), asset, 70n, 1000n])
    assert.equal(await read(router, c.l1AssetRouterAbi, 'isWithdrawalFinalized', [withdrawalId({ chainId: CHAIN_ID, batchNumber: 2n, messageIndex: 0n })]), false)
    assert.equal(await chainBalance(CHAIN_ID), 70n)
    assert.equal(await chainBalance(OTHER_CHAIN), 40n)
    assert.equal(await balanceOf(token, vault), 110n)
    assert.equal(await balanceOf(token, stranger.address), 0n)
  })
})

describe('shared bridge: chain → chain transfers', () => {
  let bridged: Address
  let message: Hex
  let payload: Hex
  let transferBatch: BatchCommitment
  let proof: InteropProof
  const transferStarter = (id: Hex, amount: bigint, to: Address) => ({ to: l2Router, data: encodeTransferData({ assetId: id, amount, receiver: to }), callAttributes: [encodeIndirectCallAttribute(0n)] })
  const sendTransfer = (id: Hex, amount: bigint, to: Address, from = receiver) =>
    chain.write(from.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'sendBundle', args: [OTHER_CHAIN, [transferStarter(id, amount, to)], []] })
  const deliver = (sender: Hex, data: Hex, from = handler) =>
    chain.write(from.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'deliver', args: [l2Router, keccak256('0xaa'), sender, data] })
  const finalizeTransfer = (chainId: bigint | number, m: Hex, p: InteropProof) =>
    chain.write(stranger.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'finalizeTransfer', args: [BigInt(chainId), m, p] })
  const finalizeWithdrawal = (chainId: bigint | number, m: Hex, p: InteropProof) =>
    chain.write(stranger.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'finalizeWithdrawal', args: [BigInt(chainId), m, p] })

  before(async () => {
    bridged = getAddress(await read<Address>(l2Router, c.l2AssetRouterAbi, 'bridgedToken', [asset]))
  })

  test('sendBundle with an indirect call to the router burns on the source and records the transfer leaf', async () => {
    assert.equal(getAddress(await read<Address>(l2Router, c.l2AssetRouterAbi, 'interopCenter')), center)
    assert.equal(await balanceOf(bridged, receiver.address), 70n)
    // Only the center may initiate, and what it passes is checked.
    assert.deepEqual(
      await rejects(chain.write(stranger.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'initiateIndirectCall', args: [OTHER_CHAIN, receiver.address, encodeTransferData({ assetId: asset, amount: 1n, receiver: stranger.address })] }), 'NotInteropCenter'),
      [stranger.address],
    )
    assert.deepEqual(await rejects(sendTransfer(keccak256('0x99'), 1n, stranger.address), 'UnknownAsset'), [keccak256('0x99')])
    await rejects(sendTransfer(asset, 0n, stranger.address), 'ZeroAmount')
    await rejects(sendTransfer(asset, 1n, '0x0000000000000000000000000000000000000000'), 'ZeroReceiver')
    assert.deepEqual(await rejects(sendTransfer(asset, 71n, stranger.address), 'InsufficientBalance'), [receiver.address, 70n, 71n])

    const bundleNumber = await read<bigint>(center, c.interopCenterAbi, 'bundlesSent', [OTHER_CHAIN])
    const receipt = await sendTransfer(asset, 25n, stranger.address)
    message = encodeTransferMessage({ destinationChainId: OTHER_CHAIN, assetId: asset, sender: receiver.address, receiver: stranger.address, amount: 25n })
    payload = encodeTransferPayload({ assetId: asset, originChainId: BigInt(CHAIN_ID), originToken: token, name: 'Test USD', symbol: 'TUSD', decimals: 6, receiver: stranger.address, amount: 25n })
    const [initiated] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'TransferInitiated' })
    assert.deepEqual(
      [initiated!.args.destinationChainId, initiated!.args.assetId, getAddress(initiated!.args.sender), getAddress(initiated!.args.receiver), initiated!.args.amount, initiated!.args.message],
      [OTHER_CHAIN, asset, receiver.address, stranger.address, 25n, message],
    )
    const recorded = messageLeavesOf(receipt.logs, center)
    // The transfer message (by the router), then the bundle hash (the center's BundleSent).
    assert.deepEqual(recorded.map((r) => [r.sender, r.payloadHash]).slice(0, 1), [[l2Router, keccak256(message)]])
    assert.equal(recorded[1]!.sender, center)

    const expected = buildBundle({
      sourceChainId: CHAIN_ID, destinationChainId: OTHER_CHAIN, sender: receiver.address, bundleNumber,
      callStarters: [transferStarter(asset, 25n, stranger.address)], bundleAttributes: [],
      resolveIndirectCall: () => ({ to: l2Router, data: payload }),
    })
    const [sent] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'BundleSent' })
    const bundle = decodeBundle(sent!.args.bundle)
    assert.deepEqual(bundle, expected)
    assert.deepEqual([getAddress(bundle.calls[0]!.to), getAddress(bundle.calls[0]!.from), bundle.calls[0]!.data], [l2Router, l2Router, payload])
    assert.equal(recorded[1]!.payloadHash, sent!.args.bundleHash)

    assert.equal(await balanceOf(bridged, receiver.address), 45n)
    assert.equal(await read(bridged, c.bridgedTokenAbi, 'totalSupply'), 45n)
  })

  test('receiveMessage: only the center, only from the router on another chain; mints, deploying the token if needed', async () => {
    const routerOnOther = formatInteroperableAddress({ chainId: OTHER_CHAIN, address: l2Router })
    assert.deepEqual(
      await rejects(chain.write(stranger.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'receiveMessage', args: [zeroHash, routerOnOther, payload] }), 'NotInteropCenter'),
      [stranger.address],
    )
    const impostor = formatInteroperableAddress({ chainId: OTHER_CHAIN, address: stranger.address })
    assert.deepEqual(await rejects(deliver(impostor, payload), 'UntrustedSender'), [impostor])
    assert.deepEqual(await rejects(deliver('0x1234', payload), 'UntrustedSender'), ['0x1234'])

    const before = await balanceOf(bridged, stranger.address)
    const receipt = await deliver(routerOnOther, payload)
    const [received] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'TransferReceived' })
    assert.deepEqual([received!.args.sourceChainId, received!.args.assetId, getAddress(received!.args.receiver), received!.args.amount], [OTHER_CHAIN, asset, stranger.address, 25n])
    assert.equal(await balanceOf(bridged, stranger.address), before + 25n)
    assert.equal(await read(bridged, c.bridgedTokenAbi, 'totalSupply'), 70n)

    // An asset this chain never saw: the bridged token is deployed at the same CREATE2 address as for a deposit.
    const originToken = getAddress('0x' + '77'.repeat(20))
    const newAsset = computeAssetId({ originChainId: CHAIN_ID, originVault: vault, originToken })
    const fresh = encodeTransferPayload({ assetId: newAsset, originChainId: BigInt(CHAIN_ID), originToken, name: 'Seven', symbol: 'SVN', decimals: 9, receiver: l1Receiver.address, amount: 3n })
    const predicted = bridgedTokenAddress({ l2AssetRouter: l2Router, bytecode: c.bridgedTokenBytecode, assetId: newAsset, originChainId: CHAIN_ID, originToken, name: 'Seven', symbol: 'SVN', decimals: 9 })
    const deployed = await deliver(routerOnOther, fresh)
    const [tokenDeployed] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: deployed.logs, eventName: 'BridgedTokenDeployed' })
    assert.equal(getAddress(tokenDeployed!.args.token), predicted)
    assert.equal(getAddress(await read<Address>(l2Router, c.l2AssetRouterAbi, 'bridgedToken', [newAsset])), predicted)
    assert.equal(await balanceOf(predicted, l1Receiver.address), 3n)
    assert.deepEqual(await Promise.all(['name', 'symbol', 'decimals'].map((f) => read(predicted, c.bridgedTokenAbi, f))), ['Seven', 'SVN', 9])
  })

  test('finalizeTransfer moves the ledger once; withdrawal and transfer messages refuse the other function', async () => {
    const leaf = messageLeaf(l2Router, keccak256(message))
    ;({ b: transferBatch, proof } = await settleLeaves([leaf], keccak256(message)))
    assert.equal(await chainBalance(CHAIN_ID), 70n)
    assert.equal(await chainBalance(OTHER_CHAIN), 40n)
    const id = withdrawalId({ chainId: CHAIN_ID, batchNumber: transferBatch.batchNumber, messageIndex: 0n })

    await rejects(finalizeWithdrawal(CHAIN_ID, message, proof), 'NotAWithdrawal')
    await rejects(finalizeTransfer(OTHER_CHAIN, message, proof), 'ProofRootMismatch')
    assert.deepEqual(await rejects(finalizeTransfer(CHAIN_ID, message, { ...proof, messageSender: center }), 'SenderNotAssetRouter'), [center])

    const receipt = await finalizeTransfer(CHAIN_ID, message, proof)
    const [event] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: receipt.logs, eventName: 'TransferRecorded' })
    assert.deepEqual(
      [event!.args.sourceChainId, event!.args.destinationChainId, event!.args.assetId, event!.args.amount, event!.args.transferId],
      [BigInt(CHAIN_ID), OTHER_CHAIN, asset, 25n, id],
    )
    const [moved] = parseEventLogs({ abi: c.l1NativeTokenVaultAbi, logs: receipt.logs, eventName: 'BalanceMoved' })
    assert.deepEqual(
      [moved!.args.fromAccount, moved!.args.toAccount, moved!.args.assetId, moved!.args.amount, moved!.args.fromBalance, moved!.args.toBalance],
      [BigInt(CHAIN_ID), OTHER_CHAIN, asset, 25n, 45n, 65n],
    )
    assert.equal(await chainBalance(CHAIN_ID), 45n)
    assert.equal(await chainBalance(OTHER_CHAIN), 65n)
    assert.equal(await balanceOf(token, vault), 110n, 'no token moves on L1')
    assert.equal(await read(router, c.l1AssetRouterAbi, 'isMessageConsumed', [id]), true)
    assert.equal(await read(router, c.l1AssetRouterAbi, 'isWithdrawalFinalized', [id]), true)

    assert.deepEqual(await rejects(finalizeTransfer(CHAIN_ID, message, proof), 'TransferAlreadyRecorded'), [id])
    await rejects(finalizeWithdrawal(CHAIN_ID, message, proof), 'NotAWithdrawal')
    assert.equal(await chainBalance(CHAIN_ID), 45n)

    // The withdrawal of batch 1 (consumed) and the forged one of batch 2 (not consumed) are no transfers.
    const withdrawal = encodeWithdrawalMessage({ assetId: asset, l2Sender: receiver.address, l1Receiver: l1Receiver.address, amount: 30n })
    await rejects(finalizeTransfer(CHAIN_ID, withdrawal, proof), 'NotATransfer')
    const forged = encodeWithdrawalMessage({ assetId: asset, l2Sender: receiver.address, l1Receiver: stranger.address, amount: 1000n })
    await rejects(finalizeTransfer(CHAIN_ID, forged, proof), 'NotATransfer')
    assert.deepEqual(await rejects(chain.write(stranger.privateKey, { address: vault, abi: c.l1NativeTokenVaultAbi, functionName: 'moveBalance', args: [BigInt(CHAIN_ID), OTHER_CHAIN, asset, 1n] }), 'NotAssetRouter'), [stranger.address])
  })

  test('a chain cannot move more than its balance, nor to an unregistered chain', async () => {
    // A compromised chain records transfers it never burned for.
    const tooMuch = encodeTransferMessage({ destinationChainId: OTHER_CHAIN, assetId: asset, sender: receiver.address, receiver: stranger.address, amount: 1000n })
    const nowhere = encodeTransferMessage({ destinationChainId: 77n, assetId: asset, sender: receiver.address, receiver: stranger.address, amount: 1n })
    const leaves = [messageLeaf(l2Router, keccak256(tooMuch)), messageLeaf(l2Router, keccak256(nowhere))]
    const { b, proof: first } = await settleLeaves(leaves, keccak256(tooMuch), 0)
    assert.deepEqual(await rejects(finalizeTransfer(CHAIN_ID, tooMuch, first), 'InsufficientChainBalance'), [BigInt(CHAIN_ID), asset, 45n, 1000n])
    assert.equal(await read(router, c.l1AssetRouterAbi, 'isMessageConsumed', [withdrawalId({ chainId: CHAIN_ID, batchNumber: b.batchNumber, messageIndex: 0n })]), false)
    const second = buildInteropProof({
      slChainId: CHAIN_ID, slBlockNumber: first.slBlockNumber, messageSender: l2Router, bundleHash: keccak256(nowhere),
      sourceChainId: CHAIN_ID, batchNumber: b.batchNumber, messageLeaves: leaves, messageIndex: 1, batchMessageRoots: settledBatches.map((x) => x.messageRoot), chains: await chainsNow(),
    }).proof
    assert.deepEqual(await rejects(finalizeTransfer(CHAIN_ID, nowhere, second), 'ChainNotRegistered'), [77n])
    assert.equal(await chainBalance(CHAIN_ID), 45n)
    assert.equal(await chainBalance(OTHER_CHAIN), 65n)
    assert.equal(await chainBalance(77n), 0n)
  })
})

describe('shared bridge: ETH (§9.7) and failed deposits (§9.8)', () => {
  const balance = (address: Address) => chain.client.getBalance({ address })
  const ethBalance = (chainId: bigint | number) => read<bigint>(vault, c.l1NativeTokenVaultAbi, 'chainBalance', [BigInt(chainId), ethAsset])
  const depositEth = (chainId: bigint | number, amount: bigint, to: Address, from = user) =>
    chain.write(from.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [BigInt(chainId), to], value: amount })
  const queuedOf = (receipt: TransactionReceipt) => parseEventLogs({ abi: c.chainSettlementAbi, logs: receipt.logs, eventName: 'PriorityRequestQueued' })[0]!.args
  /** The operator processes the next request of chain 31337's queue. */
  const processNext = async (queuedRequest: { index: bigint; l2Target: Address; data: Hex }) => {
    assert.equal(await read(inbox, c.l2PriorityInboxAbi, 'processedCount'), queuedRequest.index, 'the inbox is at this request')
    return chain.write(operator.privateKey, { address: inbox, abi: c.l2PriorityInboxAbi, functionName: 'processRequest', args: [queuedRequest.index, queuedRequest.l2Target, queuedRequest.data] })
  }
  const claim = (depositor: Address, assetId: Hex, amount: bigint, message: Hex, proof: InteropProof, chainId: bigint | number = CHAIN_ID) =>
    chain.write(stranger.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'claimFailedDeposit', args: [BigInt(chainId), depositor, assetId, amount, message, proof] })

  test('depositETH keeps the ETH in the vault, raises the chain ETH balance and queues finalizeETHDeposit; the chain releases exactly that from its holder', async () => {
    assert.equal(await read(vault, c.l1NativeTokenVaultAbi, 'ethAssetId'), ethAsset)
    assert.equal(await read(vault, c.l1NativeTokenVaultAbi, 'assetId', [zeroAddress]), ethAsset)
    assert.equal(await read(l2Router, c.l2AssetRouterAbi, 'ethAssetId'), ethAsset)
    assert.equal(await read(holder, c.baseTokenHolderAbi, 'initialBalance'), HOLDER_PREFUND)
    assert.deepEqual(await rejects(depositEth(77n, 1n, receiver.address), 'ChainNotRegistered'), [77n])
    await rejects(depositEth(CHAIN_ID, 0n, receiver.address), 'ZeroAmount')
    await rejects(chain.write(user.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'deposit', args: [BigInt(CHAIN_ID), zeroAddress, 1n, receiver.address] }), 'ZeroAddress')

    const vaultBefore = await balance(vault)
    const receipt = await depositEth(CHAIN_ID, 5_000n, receiver.address)
    console.log(`depositETH: ${receipt.gasUsed} gas`)
    const request = queuedOf(receipt)
    assert.equal(request.data, encodeFunctionData({ abi: c.il2AssetRouterAbi, functionName: 'finalizeETHDeposit', args: [user.address, receiver.address, 5_000n] }))
    const [initiated] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: receipt.logs, eventName: 'DepositInitiated' })
    assert.deepEqual([initiated!.args.assetId, initiated!.args.amount, initiated!.args.requestIndex], [ethAsset, 5_000n, request.index])
    assert.equal(await balance(vault), vaultBefore + 5_000n)
    assert.equal(await ethBalance(CHAIN_ID), 5_000n)
    assert.equal(await ethBalance(OTHER_CHAIN), 0n)

    assert.deepEqual(await rejects(chain.write(stranger.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'finalizeETHDeposit', args: [user.address, stranger.address, 1n] }), 'NotPriorityInbox'), [stranger.address])
    const [receiverBefore, holderBefore] = await Promise.all([balance(receiver.address), balance(holder)])
    const processed = await processNext(request)
    assert.deepEqual(parseEventLogs({ abi: c.l2PriorityInboxAbi, logs: processed.logs, eventName: 'PriorityRequestFailed' }), [])
    assert.equal(await balance(receiver.address), receiverBefore + 5_000n, 'the receiver gets exactly the deposit')
    assert.equal(await balance(holder), holderBefore - 5_000n)
  })

  test('a deposit whose call fails records a failed-deposit message, and the depositor claims it back on L1 once, lowering the ledger', async () => {
    const refuser = await deploy(c.ethRefuserAbi, c.ethRefuserBytecode, [0n], 'deploy EthRefuser')
    const ethRequest = queuedOf(await depositEth(CHAIN_ID, 700n, refuser))
    // A token deposit to the zero address fails on the chain too (the bridged token refuses to mint to it).
    await chain.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'approve', args: [vault, 11n] })
    const tokenRequest = queuedOf(await chain.write(user.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'deposit', args: [BigInt(CHAIN_ID), token, 11n, zeroAddress] }))
    const holderBefore = await balance(holder)
    const leaves: Hex[] = []
    const messages: Hex[] = []
    for (const request of [ethRequest, tokenRequest]) {
      const receipt = await processNext(request)
      const [failed] = parseEventLogs({ abi: c.l2PriorityInboxAbi, logs: receipt.logs, eventName: 'PriorityRequestFailed' })
      const message = encodeFailedDepositMessage({ index: request.index, requestHash: request.requestHash })
      assert.deepEqual([failed!.args.index, failed!.args.requestHash, failed!.args.message], [request.index, request.requestHash, message])
      const [recorded] = parseEventLogs({ abi: c.l2MessengerAbi, logs: receipt.logs, eventName: 'MessageRecorded' })
      assert.deepEqual([getAddress(recorded!.args.sender), recorded!.args.payloadHash], [inbox, keccak256(message)])
      leaves.push(messageLeaf(inbox, keccak256(message)))
      messages.push(message)
    }
    assert.equal(await balance(holder), holderBefore, 'nothing left the holder')
    const { proof } = await settleLeaves(leaves, keccak256(messages[0]!), 0, inbox)
    const tokenProof = buildInteropProof({
      slChainId: CHAIN_ID, slBlockNumber: proof.slBlockNumber, messageSender: inbox, bundleHash: keccak256(messages[1]!),
      sourceChainId: CHAIN_ID, batchNumber: proof.batchNumber, messageLeaves: leaves, messageIndex: 1, batchMessageRoots: settledBatches.map((x) => x.messageRoot), chains: await chainsNow(),
    }).proof

    const requestHash = ethRequest.requestHash
    assert.deepEqual(await rejects(claim(user.address, ethAsset, 701n, messages[0]!, proof), 'UnknownDeposit'), [requestHash])
    assert.deepEqual(await rejects(claim(stranger.address, ethAsset, 700n, messages[0]!, proof), 'UnknownDeposit'), [requestHash])
    assert.deepEqual(await rejects(claim(user.address, asset, 700n, messages[0]!, proof), 'UnknownDeposit'), [requestHash])
    assert.deepEqual(await rejects(claim(user.address, ethAsset, 700n, messages[0]!, { ...proof, messageSender: l2Router }), 'SenderNotPriorityInbox'), [l2Router])
    await rejects(claim(user.address, ethAsset, 700n, messages[0]!, proof, OTHER_CHAIN), 'ProofRootMismatch')
    await rejects(claim(user.address, ethAsset, 700n, encodeWithdrawalMessage({ assetId: ethAsset, l2Sender: user.address, l1Receiver: user.address, amount: 700n }), proof), 'NotAFailedDeposit')

    const [userBefore, vaultBefore, ledgerBefore] = await Promise.all([balance(user.address), balance(vault), ethBalance(CHAIN_ID)])
    const receipt = await claim(user.address, ethAsset, 700n, messages[0]!, proof)
    console.log(`claimFailedDeposit (ETH): ${receipt.gasUsed} gas`)
    const [claimed] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: receipt.logs, eventName: 'FailedDepositClaimed' })
    assert.deepEqual([claimed!.args.chainId, claimed!.args.assetId, getAddress(claimed!.args.depositor), claimed!.args.amount, claimed!.args.requestHash], [BigInt(CHAIN_ID), ethAsset, user.address, 700n, requestHash])
    assert.equal(await balance(user.address), userBefore + 700n, 'the ETH is back with the depositor (the claimer paid the gas)')
    assert.equal(await balance(vault), vaultBefore - 700n)
    assert.equal(await ethBalance(CHAIN_ID), ledgerBefore - 700n)
    assert.deepEqual(await rejects(claim(user.address, ethAsset, 700n, messages[0]!, proof), 'DepositAlreadyClaimed'), [requestHash])

    const [tokensBefore, tokenLedgerBefore] = await Promise.all([balanceOf(token, user.address), chainBalance(CHAIN_ID)])
    await claim(user.address, asset, 11n, messages[1]!, tokenProof)
    assert.equal(await balanceOf(token, user.address), tokensBefore + 11n)
    assert.equal(await chainBalance(CHAIN_ID), tokenLedgerBefore - 11n)
    assert.deepEqual(await rejects(claim(user.address, asset, 11n, messages[1]!, tokenProof), 'DepositAlreadyClaimed'), [tokenRequest.requestHash])
  })

  test('a receiver refusing with huge revert data costs the queue little: the failure is recorded with at most 256 bytes of it', async () => {
    const loud = await deploy(c.ethRefuserAbi, c.ethRefuserBytecode, [200_000n], 'deploy EthRefuser')
    const request = queuedOf(await depositEth(CHAIN_ID, 9n, loud))
    const receipt = await processNext(request)
    const [failed] = parseEventLogs({ abi: c.l2PriorityInboxAbi, logs: receipt.logs, eventName: 'PriorityRequestFailed' })
    assert.equal(failed!.args.index, request.index)
    assert.equal((failed!.args.reason.length - 2) / 2, 256)
    assert.equal(await read(inbox, c.l2PriorityInboxAbi, 'processedCount'), request.index + 1n)
  })

  test('withdrawETH pays into the holder and records the withdrawal; L1 releases the ETH from the vault once, within the chain balance', async () => {
    await rejects(chain.write(receiver.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'withdrawETH', args: [l1Receiver.address], value: 0n }), 'ZeroAmount')
    const holderBefore = await balance(holder)
    const receipt = await chain.write(receiver.privateKey, { address: l2Router, abi: c.l2AssetRouterAbi, functionName: 'withdrawETH', args: [l1Receiver.address], value: 1_200n })
    console.log(`withdrawETH: ${receipt.gasUsed} gas`)
    assert.equal(await balance(holder), holderBefore + 1_200n)
    const message = encodeWithdrawalMessage({ assetId: ethAsset, l2Sender: receiver.address, l1Receiver: l1Receiver.address, amount: 1_200n })
    const [initiated] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'WithdrawalInitiated' })
    assert.equal(initiated!.args.message, message)
    // A forged withdrawal of more ETH than the chain holds on L1, in the same batch.
    const forged = encodeWithdrawalMessage({ assetId: ethAsset, l2Sender: receiver.address, l1Receiver: stranger.address, amount: 10n ** 18n })
    const leaves = [messageLeaf(l2Router, keccak256(message)), messageLeaf(l2Router, keccak256(forged))]
    const { proof } = await settleLeaves(leaves, keccak256(message))
    const finalize = (m: Hex, p: InteropProof) => chain.write(stranger.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'finalizeWithdrawal', args: [BigInt(CHAIN_ID), m, p] })
    const [receiverBefore, ledgerBefore] = await Promise.all([balance(l1Receiver.address), ethBalance(CHAIN_ID)])
    await finalize(message, proof)
    assert.equal(await balance(l1Receiver.address), receiverBefore + 1_200n)
    assert.equal(await ethBalance(CHAIN_ID), ledgerBefore - 1_200n)
    await rejects(finalize(message, proof), 'WithdrawalAlreadyFinalized')
    const forgedProof = buildInteropProof({
      slChainId: CHAIN_ID, slBlockNumber: proof.slBlockNumber, messageSender: l2Router, bundleHash: keccak256(forged),
      sourceChainId: CHAIN_ID, batchNumber: proof.batchNumber, messageLeaves: leaves, messageIndex: 1, batchMessageRoots: settledBatches.map((x) => x.messageRoot), chains: await chainsNow(),
    }).proof
    assert.deepEqual(await rejects(finalize(forged, forgedProof), 'InsufficientChainBalance'), [BigInt(CHAIN_ID), ethAsset, ledgerBefore - 1_200n, 10n ** 18n])
  })

  test('a failed deposit of a contract that refuses ETH is paid where the depositor names, by its own call or its signature; others are refused; once', async () => {
    // An L1 contract (owned by `receiver`'s key) deposits ETH to itself on the chain, where it refuses it too.
    const contract = await deploy(c.refusingDepositorAbi, c.refusingDepositorBytecode, [router, receiver.address], 'deploy RefusingDepositor')
    const byContract = async (amount: bigint) => queuedOf(await chain.write(user.privateKey, { address: contract, abi: c.refusingDepositorAbi, functionName: 'depositETH', args: [BigInt(CHAIN_ID), contract], value: amount }))
    const [signed, itself] = [await byContract(900n), await byContract(80n)]
    // And an EOA whose deposit failed too, claiming elsewhere with an EIP-712 signature.
    const eoa = queuedOf(await depositEth(CHAIN_ID, 7n, await deploy(c.ethRefuserAbi, c.ethRefuserBytecode, [0n], 'deploy EthRefuser')))
    const requests = [signed, itself, eoa]
    const messages = requests.map((request) => encodeFailedDepositMessage({ index: request.index, requestHash: request.requestHash }))
    for (const request of requests) {
      const [failed] = parseEventLogs({ abi: c.l2PriorityInboxAbi, logs: (await processNext(request)).logs, eventName: 'PriorityRequestFailed' })
      assert.equal(failed!.args.index, request.index)
    }
    const leaves = messages.map((message) => messageLeaf(inbox, keccak256(message)))
    const { proof } = await settleLeaves(leaves, keccak256(messages[0]!), 0, inbox)
    const proofs = await Promise.all(
      messages.map(async (message, i) =>
        buildInteropProof({
          slChainId: CHAIN_ID, slBlockNumber: proof.slBlockNumber, messageSender: inbox, bundleHash: keccak256(message),
          sourceChainId: CHAIN_ID, batchNumber: proof.batchNumber, messageLeaves: leaves, messageIndex: i, batchMessageRoots: settledBatches.map((x) => x.messageRoot), chains: await chainsNow(),
        }).proof,
      ),
    )
    const claimTo = (from: typeof user, depositor: Address, amount: bigint, i: number, to: Address, signature: Hex) =>
      chain.write(from.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'claimFailedDepositTo', args: [BigInt(CHAIN_ID), depositor, ethAsset, amount, messages[i]!, proofs[i]!, to, signature] })
    const claim = { l1ChainId: CHAIN_ID, l1AssetRouter: router, chainId: CHAIN_ID }
    const sign = (signer: typeof user, requestHash: Hex, to: Address) => privateKeyToAccount(signer.privateKey).signTypedData(failedDepositClaimTypedData({ ...claim, requestHash, to }))
    const digest = failedDepositClaimDigest({ ...claim, requestHash: signed.requestHash, to: l1Receiver.address })
    assert.equal(await read(router, c.l1AssetRouterAbi, 'failedDepositClaimDigest', [BigInt(CHAIN_ID), signed.requestHash, l1Receiver.address]), digest, 'the router and the TS mirror agree')

    // Paid to the depositor, the contract refuses it: the claim the depositor alone could make before can never succeed.
    await rejects(chain.write(stranger.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'claimFailedDeposit', args: [BigInt(CHAIN_ID), contract, ethAsset, 900n, messages[0]!, proofs[0]!] }), 'ETHTransferFailed')
    // Naming another address takes the depositor's word: a third party alone, or a wrong signature, is refused.
    assert.deepEqual(await rejects(claimTo(stranger, contract, 900n, 0, stranger.address, '0x'), 'ClaimNotAuthorized'), [contract, stranger.address])
    const byStranger = await sign(stranger, signed.requestHash, stranger.address)
    assert.deepEqual(await rejects(claimTo(stranger, contract, 900n, 0, stranger.address, byStranger), 'InvalidDepositorSignature'), [contract, failedDepositClaimDigest({ ...claim, requestHash: signed.requestHash, to: stranger.address })])
    const forReceiver = await sign(receiver, signed.requestHash, l1Receiver.address)
    await rejects(claimTo(stranger, contract, 900n, 0, stranger.address, forReceiver), 'InvalidDepositorSignature')
    await rejects(claimTo(stranger, contract, 900n, 0, zeroAddress, forReceiver), 'ZeroRecipient')
    await rejects(claimTo(stranger, contract, 901n, 0, l1Receiver.address, forReceiver), 'UnknownDeposit')

    // The contract's signature (ERC-1271, its owner's key) names l1Receiver; anyone submits it.
    const [receiverBefore, vaultBefore, ledgerBefore] = await Promise.all([balance(l1Receiver.address), balance(vault), ethBalance(CHAIN_ID)])
    const receipt = await claimTo(stranger, contract, 900n, 0, l1Receiver.address, forReceiver)
    console.log(`claimFailedDepositTo (ETH, ERC-1271 signature): ${receipt.gasUsed} gas`)
    const [claimed] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: receipt.logs, eventName: 'FailedDepositClaimed' })
    assert.deepEqual([getAddress(claimed!.args.depositor), getAddress(claimed!.args.to), claimed!.args.amount], [contract, l1Receiver.address, 900n])
    assert.equal(await balance(l1Receiver.address), receiverBefore + 900n)
    assert.equal(await balance(vault), vaultBefore - 900n)
    assert.equal(await ethBalance(CHAIN_ID), ledgerBefore - 900n)
    // Once only, whichever way it is asked.
    assert.deepEqual(await rejects(claimTo(stranger, contract, 900n, 0, l1Receiver.address, forReceiver), 'DepositAlreadyClaimed'), [signed.requestHash])
    await rejects(chain.write(receiver.privateKey, { address: contract, abi: c.refusingDepositorAbi, functionName: 'claimTo', args: [BigInt(CHAIN_ID), ethAsset, 900n, messages[0]!, proofs[0]!, receiver.address] }), 'DepositAlreadyClaimed')

    // The contract claims its other deposit itself, naming `receiver`: no signature needed.
    const ownBefore = await balance(stranger.address)
    await chain.write(receiver.privateKey, { address: contract, abi: c.refusingDepositorAbi, functionName: 'claimTo', args: [BigInt(CHAIN_ID), ethAsset, 80n, messages[1]!, proofs[1]!, stranger.address] })
    assert.equal(await balance(stranger.address), ownBefore + 80n)
    assert.equal(await read(router, c.l1AssetRouterAbi, 'isDepositClaimed', [itself.requestHash]), true)

    // An EOA depositor signs with its key (EIP-712); a stranger submits it.
    const eoaSignature = await sign(user, eoa.requestHash, l1Receiver.address)
    const eoaBefore = await balance(l1Receiver.address)
    await claimTo(stranger, user.address, 7n, 2, l1Receiver.address, eoaSignature)
    assert.equal(await balance(l1Receiver.address), eoaBefore + 7n)
    await rejects(claimTo(user, user.address, 7n, 2, user.address, '0x'), 'DepositAlreadyClaimed')
  })
})

describe("shared bridge: a private chain's blinded withdrawals and transfers (§9.13)", () => {
  const key = keccak256('0x5ec7e7')
  let blindedRouter: Address
  let message: Hex
  let blinding: Hex
  let commitment: Hex
  let proof: InteropProof
  const finalizePlain = (m: Hex, p: InteropProof) =>
    chain.write(stranger.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'finalizeWithdrawal', args: [BigInt(CHAIN_ID), m, p] })
  const finalizeBlinded = (m: Hex, b: Hex, p: InteropProof) =>
    chain.write(stranger.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'finalizeBlindedWithdrawal', args: [BigInt(CHAIN_ID), m, b, p] })

  before(async () => {
    // A private chain's router: deployed with a blinding key; the deployer plays its priority inbox (a deposit mints the token).
    blindedRouter = await deploy(c.l2AssetRouterAbi, c.l2AssetRouterBytecode, [deployer.address, messenger, center, holder, ethAsset, BigInt(CHAIN_ID), key], 'deploy a blinding L2AssetRouter')
    await chain.write(deployer.privateKey, { address: blindedRouter, abi: c.l2AssetRouterAbi, functionName: 'finalizeDeposit', args: [asset, BigInt(CHAIN_ID), token, 'Test USD', 'TUSD', 6, user.address, receiver.address, 5n] })
  })

  test('a private chain records a withdrawal as its blinded commitment, with the blinding emitted for its sender; a public one does not blind', async () => {
    assert.equal(await read(blindedRouter, c.l2AssetRouterAbi, 'blindsBridgeMessages'), true)
    assert.equal(await read(l2Router, c.l2AssetRouterAbi, 'blindsBridgeMessages'), false)
    const receipt = await chain.write(receiver.privateKey, { address: blindedRouter, abi: c.l2AssetRouterAbi, functionName: 'withdraw', args: [asset, 2n, l1Receiver.address] })
    message = encodeWithdrawalMessage({ assetId: asset, l2Sender: receiver.address, l1Receiver: l1Receiver.address, amount: 2n })
    const [blinded] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'WithdrawalBlinded' })
    assert.deepEqual([getAddress(blinded!.args.l2Sender), blinded!.args.payloadHash], [receiver.address, keccak256(message)])
    blinding = blinded!.args.blinding
    assert.equal(blinding, keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'bytes32' }], [key, keccak256(message)])))
    commitment = blindedBridgeMessageCommitment(keccak256(message), blinding)
    const [recorded] = parseEventLogs({ abi: c.l2MessengerAbi, logs: receipt.logs, eventName: 'MessageRecorded' })
    assert.equal(recorded!.args.payloadHash, commitment)
    assert.notEqual(recorded!.args.payloadHash, keccak256(message))
    const [initiated] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'WithdrawalInitiated' })
    assert.equal(initiated!.args.message, message)
  })

  test('L1 finalizes it with its blinding only: the plain message and a wrong blinding prove nothing, and it finalizes once either way', async () => {
    // The L1 router knows one L2 router address (the same on every chain): the leaf is settled as that router's,
    // with the payload hash the private chain's router recorded.
    const leaves = [messageLeaf(l2Router, keccak256('0x0a')), messageLeaf(l2Router, commitment)]
    ;({ proof } = await settleLeaves(leaves, commitment, 1))
    const [receiverBefore, ledgerBefore] = await Promise.all([balanceOf(token, l1Receiver.address), chainBalance(CHAIN_ID)])
    assert.ok(ledgerBefore >= 2n, `the chain holds ${ledgerBefore} on L1`)

    await rejects(finalizePlain(message, proof), 'ProofRootMismatch')
    await rejects(finalizeBlinded(message, keccak256(blinding), proof), 'ProofRootMismatch')
    await rejects(finalizeBlinded(message, zeroHash, proof), 'ProofRootMismatch')
    const forged = encodeWithdrawalMessage({ assetId: asset, l2Sender: receiver.address, l1Receiver: stranger.address, amount: 2n })
    await rejects(finalizeBlinded(forged, blinding, proof), 'ProofRootMismatch')
    assert.equal(await balanceOf(token, l1Receiver.address), receiverBefore)

    const receipt = await finalizeBlinded(message, blinding, proof)
    const id = withdrawalId({ chainId: CHAIN_ID, batchNumber: settledBatches[settledBatches.length - 1]!.batchNumber, messageIndex: 1n })
    const [event] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: receipt.logs, eventName: 'WithdrawalFinalized' })
    assert.deepEqual([getAddress(event!.args.l1Receiver), event!.args.amount, event!.args.withdrawalId], [l1Receiver.address, 2n, id])
    assert.equal(await balanceOf(token, l1Receiver.address), receiverBefore + 2n)
    assert.equal(await chainBalance(CHAIN_ID), ledgerBefore - 2n)

    assert.deepEqual(await rejects(finalizeBlinded(message, blinding, proof), 'WithdrawalAlreadyFinalized'), [id])
    await rejects(finalizePlain(message, proof), 'ProofRootMismatch')
    assert.equal(await balanceOf(token, l1Receiver.address), receiverBefore + 2n)
  })

  test('a private chain records a transfer as its blinded commitment too; L1 records it with its blinding only, once', async () => {
    const starter = { to: blindedRouter, data: encodeTransferData({ assetId: asset, amount: 1n, receiver: stranger.address }), callAttributes: [encodeIndirectCallAttribute(0n)] }
    const receipt = await chain.write(receiver.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'sendBundle', args: [OTHER_CHAIN, [starter], []] })
    const transfer = encodeTransferMessage({ destinationChainId: OTHER_CHAIN, assetId: asset, sender: receiver.address, receiver: stranger.address, amount: 1n })
    const [blinded] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'TransferBlinded' })
    assert.deepEqual([getAddress(blinded!.args.sender), blinded!.args.payloadHash], [receiver.address, keccak256(transfer)])
    const transferBlinding = blinded!.args.blinding
    assert.equal(transferBlinding, keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'bytes32' }], [key, keccak256(transfer)])))
    const transferCommitment = blindedBridgeMessageCommitment(keccak256(transfer), transferBlinding)
    // The router's leaf is the commitment, never the transfer's plain hash (which a guess could be tested against).
    const routerLeaves = messageLeavesOf(receipt.logs, center).filter((leaf) => leaf.sender === blindedRouter)
    assert.deepEqual(routerLeaves.map((leaf) => leaf.payloadHash), [transferCommitment])
    const [initiated] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'TransferInitiated' })
    assert.equal(initiated!.args.message, transfer)

    const { b, proof: transferProof } = await settleLeaves([messageLeaf(l2Router, transferCommitment)], transferCommitment)
    const [sourceBefore, destinationBefore] = await Promise.all([chainBalance(CHAIN_ID), chainBalance(OTHER_CHAIN)])
    const finalizeTransfer = (m: Hex, p: InteropProof) =>
      chain.write(stranger.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'finalizeTransfer', args: [BigInt(CHAIN_ID), m, p] })
    const finalizeBlindedTransfer = (m: Hex, blindingGiven: Hex, p: InteropProof) =>
      chain.write(stranger.privateKey, { address: router, abi: c.l1AssetRouterAbi, functionName: 'finalizeBlindedTransfer', args: [BigInt(CHAIN_ID), m, blindingGiven, p] })
    await rejects(finalizeTransfer(transfer, transferProof), 'ProofRootMismatch')
    await rejects(finalizeBlindedTransfer(transfer, keccak256(transferBlinding), transferProof), 'ProofRootMismatch')
    const forged = encodeTransferMessage({ destinationChainId: OTHER_CHAIN, assetId: asset, sender: receiver.address, receiver: stranger.address, amount: 2n })
    await rejects(finalizeBlindedTransfer(forged, transferBlinding, transferProof), 'ProofRootMismatch')
    assert.deepEqual(await Promise.all([chainBalance(CHAIN_ID), chainBalance(OTHER_CHAIN)]), [sourceBefore, destinationBefore])

    const recorded = await finalizeBlindedTransfer(transfer, transferBlinding, transferProof)
    const id = withdrawalId({ chainId: CHAIN_ID, batchNumber: b.batchNumber, messageIndex: 0n })
    const [event] = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: recorded.logs, eventName: 'TransferRecorded' })
    assert.deepEqual([event!.args.sourceChainId, event!.args.destinationChainId, event!.args.amount, event!.args.transferId], [BigInt(CHAIN_ID), OTHER_CHAIN, 1n, id])
    assert.deepEqual(await Promise.all([chainBalance(CHAIN_ID), chainBalance(OTHER_CHAIN)]), [sourceBefore - 1n, destinationBefore + 1n])
    assert.deepEqual(await rejects(finalizeBlindedTransfer(transfer, transferBlinding, transferProof), 'TransferAlreadyRecorded'), [id])
    await rejects(finalizeTransfer(transfer, transferProof), 'ProofRootMismatch')
  })
})
