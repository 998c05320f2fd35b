// The gas snapshot's fixed scenarios (`npm run gas`, test/contracts/gasSnapshot.test.ts): a fresh L1 and two
// ZK chains (alpha, beta) started as Junction starts them, every contract deployed by `deployNetwork` from the
// dev accounts, then one fixed sequence of transactions driven by hand (no services, no timing): deposits,
// their processing on alpha, messages and bundles alpha → beta, a withdrawal, a failed deposit, alpha's batch
// and beta's batch settled on L1, the L1 root imported on beta, the bundles executed there, the withdrawal
// finalized and the failed deposit claimed on L1. Every figure is the `gasUsed` of one receipt, so it moves
// only when a contract, the compiler settings or the scenario change.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getAddress, keccak256, parseEventLogs, toHex, zeroHash, type Address, type Hex, type TransactionReceipt } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { DEV_ACCOUNT_BALANCE_ETH, DEV_ACCOUNT_COUNT, DEV_MNEMONIC, DEV_ROLES, devAccount, operatorRole } from '../../src/chain/devAccounts.js'
import { deployNetwork, predictL2Contracts } from '../../src/chain/deployNetwork.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import { zkChainGenesis, zkChainNodeFlags } from '../../src/chain/zkChainNode.js'
import * as c from '../../src/contracts/generated/index.js'
import type { NetworkManifest, ZkChainInfo } from '../../src/network/types.js'
import {
  MerkleTree,
  buildInteropProof,
  emptyBatchCommitment,
  encodeExecutionAddressAttribute,
  encodeExecutionGasLimitAttribute,
  executionRecordHash,
  formatInteroperableAddress,
  importedRootsHash,
  messageLeaf,
  type BatchCommitment,
  type ImportedRoot,
  type InteropCallStarter,
  type InteropProof,
} from '../../src/protocol/index.js'
import { messageLeavesOf } from '../../src/indexer/messageLeaves.js'
import { sentBundlesOf } from '../../src/indexer/sentBundles.js'
import { benchRecipientAbi, compileBenchContracts } from '../lib/benchContracts.js'

/** One measured transaction (or a share of one: `, per bundle`): its name in the snapshot, its gas, and its hash (for `--profile`). */
export type GasFigure = { name: string; gas: number; chain: ChainConnection; hash: Hex }

/** What {@link runGasScenarios} returns: the figures in scenario order, and a way to stop the chains. */
export type GasScenarioRun = {
  figures: GasFigure[]
  manifest: NetworkManifest
  /** Per chain id: address → the contract's name and artifact (for profiles). */
  contracts: Record<number, Record<Address, { name: string; artifact: string }>>
  stop(): Promise<void>
}

/** Payloads of the messages in the scenarios: `size` bytes, distinct per `tag` (keccak of the tag, repeated). */
export function fixedPayload(size: number, tag: string): Hex {
  const word = keccak256(toHex(tag)).slice(2)
  return `0x${word.repeat(Math.ceil(size / 32)).slice(0, size * 2)}`
}

/** Bundles in each `executeBundles` measured. */
export const EXECUTE_BUNDLES_SIZES = [10, 100] as const

/** Unix time of every chain's genesis block. */
const GENESIS_TIME = 1_800_000_000
const L1_CHAIN_ID = 31337
const ALPHA = 271
const BETA = 272

/**
 * Starts the chains, deploys the network and runs every scenario; resolves with the figures, in a fixed
 * order. The chains keep running until `stop()` (so `--profile` can trace the transactions).
 *
 * @example
 * ```ts
 * const run = await runGasScenarios()
 * try { for (const f of run.figures) console.log(f.name, f.gas) } finally { await run.stop() }
 * ```
 */
export async function runGasScenarios(options: { onProgress?: (line: string) => void; /** Start the nodes with opcode tracing (`--steps-tracing`), for profiles. */ tracing?: boolean } = {}): Promise<GasScenarioRun> {
  const progress = options.onProgress ?? (() => {})
  const dir = mkdtempSync(join(tmpdir(), 'junction-gas-'))
  const { baseTokenHolder } = predictL2Contracts(devAccount(DEV_ROLES.l2Deployer).address)
  const specs = [
    { name: 'l1', chainId: L1_CHAIN_ID },
    { name: 'alpha', chainId: ALPHA },
    { name: 'beta', chainId: BETA },
  ]
  const processes: AnvilProcess[] = specs.map((spec, position) => {
    const tracing = options.tracing ? ['--steps-tracing'] : []
    const dev = { ...spec, port: 0, accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC }
    if (position === 0) return createAnvil({ ...dev, balance: DEV_ACCOUNT_BALANCE_ETH, extraArgs: ['--timestamp', String(GENESIS_TIME), ...tracing] })
    const genesisFile = join(dir, `${spec.name}.json`)
    // A fixed genesis time: nothing measured depends on it, but the genesis stays the same run to run.
    writeFileSync(genesisFile, JSON.stringify(zkChainGenesis({ chainId: spec.chainId, baseTokenHolder, feeRecipient: devAccount(operatorRole(position - 1)).address, timestamp: GENESIS_TIME })))
    return createAnvil({ ...dev, extraArgs: [...zkChainNodeFlags({ genesisFile }), ...tracing] })
  })
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()))
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await Promise.all(processes.map((p) => p.start()))
    const endpoints = specs.map((spec, i) => ({ ...spec, rpcUrl: processes[i]!.rpcUrl }))
    // Every node mines each transaction on arrival, whatever its defaults (one transaction per block), and
    // its blocks one second apart from a fixed genesis time: block timestamps enter the genesis batch hash,
    // which every commitment carries, and calldata costs depend on its zero bytes.
    for (const endpoint of endpoints) {
      const client = new ChainConnection(endpoint).client
      await client.request({ method: 'evm_setAutomine' as never, params: [true] as never })
      await client.request({ method: 'anvil_setBlockTimestampInterval' as never, params: [1] as never })
    }
    const manifest = await deployNetwork({ l1: endpoints[0]!, chains: endpoints.slice(1), onProgress: progress })
    const contracts: GasScenarioRun['contracts'] = {}
    const figures = await measure(manifest, progress, contracts)
    return { figures, manifest, contracts, stop }
  } catch (error) {
    if (process.env.GAS_DEBUG) {
      const failing = (globalThis as { lastEstimate?: unknown }).lastEstimate
      console.error('GAS_DEBUG', JSON.stringify(failing))
      await new Promise((r) => setTimeout(r, 1))
    }
    await stop()
    throw error
  }
}

async function measure(manifest: NetworkManifest, progress: (line: string) => void, contracts: GasScenarioRun['contracts']): Promise<GasFigure[]> {
  const figures: GasFigure[] = []
  const known = (chainId: number, address: Address, name: string, artifact: string) => ((contracts[chainId] ??= {})[getAddress(address)] = { name, artifact })
  // The InteropRootStore is the InteropHandler (same address).
  const l2Artifacts = { l2Messenger: 'L2Messenger', interopHandler: 'InteropHandler', interopCenter: 'InteropCenter', exampleRecipient: 'StandardRecipient', priorityInbox: 'L2PriorityInbox', l2AssetRouter: 'L2AssetRouter', baseTokenHolder: 'BaseTokenHolder' } as const
  for (const chain of manifest.chains) for (const [key, artifact] of Object.entries(l2Artifacts)) known(chain.chainId, manifest.l2Contracts[key as keyof typeof l2Artifacts], artifact, artifact)
  const l1Artifacts = { messageRoot: 'MessageRoot', chainRegistry: 'ChainRegistry', verifier: 'DevelopmentVerifier', nativeTokenVault: 'L1NativeTokenVault', assetRouter: 'L1AssetRouter', interopHandler: 'L1InteropHandler' } as const
  for (const [key, artifact] of Object.entries(l1Artifacts)) known(manifest.l1.chainId, manifest.l1.contracts[key as keyof typeof l1Artifacts], `L1 ${artifact}`, artifact)
  for (const chain of manifest.chains) known(manifest.l1.chainId, chain.settlement, `${chain.name}'s ChainSettlement`, 'ChainSettlement')
  const l1 = new ChainConnection(manifest.l1)
  const [alphaInfo, betaInfo] = manifest.chains as [ZkChainInfo, ZkChainInfo]
  const alpha = new ChainConnection(alphaInfo)
  const beta = new ChainConnection(betaInfo)
  const l1c = manifest.l1.contracts
  const l2c = manifest.l2Contracts
  const [user, other, receiver] = manifest.accounts.users as [typeof manifest.accounts.users[0], typeof manifest.accounts.users[0], typeof manifest.accounts.users[0]]
  const relayer = manifest.accounts.relayer
  const deployer = manifest.accounts.l1Deployer
  const record = (name: string, chain: ChainConnection, receipt: TransactionReceipt) => {
    figures.push({ name, gas: Number(receipt.gasUsed), chain, hash: receipt.transactionHash })
    return receipt
  }
  const read = <T>(chain: ChainConnection, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
    chain.client.readContract({ address, abi, functionName, args } as never) as Promise<T>

  // The recipient of every message on beta: the bench's (checks the gateway, emits one event).
  const { benchRecipient } = compileBenchContracts()
  const recipient = getAddress((await beta.deploy(deployer.privateKey, { abi: benchRecipientAbi, bytecode: benchRecipient, args: [l2c.interopCenter, '0x0000000000000000000000000000000000000000'], action: 'deploy BenchRecipient' })).address)
  // A token on L1 and a contract on alpha that refuses ETH (the failed deposit).
  known(BETA, recipient, 'BenchRecipient', 'BenchRecipient')
  const token = getAddress((await l1.deploy(deployer.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Gas Token', 'GAS', 18], action: 'deploy TestToken' })).address)
  known(L1_CHAIN_ID, token, 'TestToken', 'TestToken')
  const refuser = getAddress((await alpha.deploy(deployer.privateKey, { abi: c.ethRefuserAbi, bytecode: c.ethRefuserBytecode, args: [0n], action: 'deploy EthRefuser' })).address)
  known(ALPHA, refuser, 'EthRefuser', 'EthRefuser')
  await l1.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user.address, 10n ** 24n] })
  await l1.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'approve', args: [l1c.nativeTokenVault, 10n ** 24n] })
  progress('deployed; deposits')

  // --- Deposits on L1, processed on alpha.
  const deposit = (to: Address, amount: bigint) => l1.write(user.privateKey, { address: l1c.assetRouter, abi: c.l1AssetRouterAbi, functionName: 'deposit', args: [BigInt(ALPHA), token, amount, to] })
  const depositETH = (to: Address, amount: bigint) => l1.write(user.privateKey, { address: l1c.assetRouter, abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [BigInt(ALPHA), to], value: amount })
  const queued: { index: bigint; l2Target: Address; data: Hex }[] = []
  const collect = (receipt: TransactionReceipt) => {
    for (const e of parseEventLogs({ abi: c.chainSettlementAbi, logs: receipt.logs, eventName: 'PriorityRequestQueued' })) queued.push({ index: e.args.index, l2Target: e.args.l2Target, data: e.args.data })
    return receipt
  }
  record('L1AssetRouter.deposit (token, first to the chain)', l1, collect(await deposit(user.address, 1_000n)))
  record('L1AssetRouter.deposit (token)', l1, collect(await deposit(user.address, 1_000n)))
  record('L1AssetRouter.depositETH', l1, collect(await depositETH(user.address, 10n ** 18n)))
  collect(await depositETH(refuser, 5n * 10n ** 17n))
  const process = (i: number) => alpha.write(alphaInfo.operator.privateKey, { address: l2c.priorityInbox, abi: c.l2PriorityInboxAbi, functionName: 'processRequest', args: [queued[i]!.index, queued[i]!.l2Target, queued[i]!.data] })
  const first = record('L2PriorityInbox.processRequest (token deposit, deploys the bridged token)', alpha, await process(0))
  for (const e of parseEventLogs({ abi: c.l2AssetRouterAbi, logs: first.logs, eventName: 'BridgedTokenDeployed' })) known(ALPHA, e.args.token, 'BridgedToken', 'BridgedToken')
  record('L2PriorityInbox.processRequest (token deposit)', alpha, await process(1))
  record('L2PriorityInbox.processRequest (ETH deposit)', alpha, await process(2))
  record('L2PriorityInbox.processRequest (ETH deposit that fails)', alpha, await process(3))

  // --- Messages and bundles alpha → beta, and a withdrawal.
  progress('messages')
  const to = formatInteroperableAddress({ chainId: BigInt(BETA), address: recipient })
  const sendMessage = (from: typeof user, payload: Hex) => alpha.write(from.privateKey, { address: l2c.interopCenter, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [to, payload, []] })
  const bundlesSent: { bundleHash: Hex; bundle: Hex }[] = []
  const sent = (receipt: TransactionReceipt) => {
    const [e] = sentBundlesOf(receipt.logs, l2c.interopCenter)
    bundlesSent.push({ bundleHash: e!.bundleHash, bundle: e!.bundle })
    return receipt
  }
  // The first bundle from alpha to beta starts the route's counter (a storage slot written for the first time).
  record('InteropCenter.sendMessage (32 B, the route\'s first)', alpha, sent(await sendMessage(other, fixedPayload(32, 'first'))))
  record('InteropCenter.sendMessage (32 B, the sender\'s first)', alpha, sent(await sendMessage(user, fixedPayload(32, 'warm-up'))))
  record('InteropCenter.sendMessage (32 B)', alpha, sent(await sendMessage(user, fixedPayload(32, 'one'))))
  record('InteropCenter.sendMessage (256 B)', alpha, sent(await sendMessage(user, fixedPayload(256, 'two'))))
  record('InteropCenter.sendMessage (1,024 B)', alpha, sent(await sendMessage(user, fixedPayload(1024, 'three'))))
  const sendBundle = (calls: number) => {
    const callStarters: InteropCallStarter[] = Array.from({ length: calls }, (_, i) => ({ to: recipient, data: fixedPayload(32, `bundle ${calls} call ${i}`), callAttributes: [] }))
    return alpha.write(user.privateKey, { address: l2c.interopCenter, abi: c.interopCenterAbi, functionName: 'sendBundle', args: [BigInt(BETA), callStarters, [encodeExecutionAddressAttribute({ chainId: BigInt(BETA), address: relayer.address })]] })
  }
  record('InteropCenter.sendBundle (1 call, execution address)', alpha, sent(await sendBundle(1)))
  record('InteropCenter.sendBundle (3 calls, execution address)', alpha, sent(await sendBundle(3)))
  record('InteropCenter.sendBundle (10 calls, execution address)', alpha, sent(await sendBundle(10)))
  // A message that pays a fee for its execution (docs/fees.md), then topped up.
  const fee = 10n ** 12n
  record('InteropCenter.sendMessage (32 B, paying a fee)', alpha, sent(await alpha.write(user.privateKey, { address: l2c.interopCenter, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [to, fixedPayload(32, 'paid'), [encodeExecutionGasLimitAttribute(150_000n)]], value: fee })))
  const paid = bundlesSent.at(-1)!
  record('InteropCenter.topUpFee', alpha, await alpha.write(user.privateKey, { address: l2c.interopCenter, abi: c.interopCenterAbi, functionName: 'topUpFee', args: [paid.bundleHash, BigInt(BETA)], value: fee }))
  const bridgedAsset = await read<Hex>(l1, l1c.nativeTokenVault, c.l1NativeTokenVaultAbi, 'assetId', [token])
  const withdrawal = record('L2AssetRouter.withdraw (token)', alpha, await alpha.write(user.privateKey, { address: l2c.l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'withdraw', args: [bridgedAsset, 400n, receiver.address] }))
  const withdrawalMessage = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: withdrawal.logs, eventName: 'WithdrawalInitiated' })[0]!.args.message
  // The messages executed together: one sender, in a row.
  const loadStart = bundlesSent.length
  const loadCount = EXECUTE_BUNDLES_SIZES.reduce((a, b) => a + b, 0)
  for (let i = 0; i < loadCount; i++) sent(await sendMessage(user, fixedPayload(32, `load ${i}`)))

  // --- alpha's batch 1 (everything above) and beta's batch 1 (nothing yet) settled on L1.
  progress('settlement')
  const leavesOf = async (chain: ChainConnection, info: ZkChainInfo) => {
    // A batch's message leaves (docs/protocol.md §2): the messenger's records, the InteropCenter's BundleSent and the InteropHandler's execution records, in order.
    const logs = await chain.client.getLogs({ address: [l2c.l2Messenger, l2c.interopCenter, l2c.interopHandler], fromBlock: BigInt(info.genesis.lastBlock + 1), toBlock: 'latest' })
    return messageLeavesOf(logs, l2c.interopCenter)
  }
  const alphaMessages = await leavesOf(alpha, alphaInfo)
  const alphaLeaves = alphaMessages.map((m) => m.leaf)
  const batchOf = async (chain: ChainConnection, info: ZkChainInfo, leaves: Hex[], importedRoots: ImportedRoot[]): Promise<BatchCommitment> => {
    const head = await chain.client.getBlockNumber({ cacheTime: 0 })
    const [count, rolling] = await Promise.all([read<bigint>(chain, l2c.priorityInbox, c.l2PriorityInboxAbi, 'processedCount'), read<Hex>(chain, l2c.priorityInbox, c.l2PriorityInboxAbi, 'rollingHash')])
    return emptyBatchCommitment({
      batchNumber: 1n,
      previousBatchHash: info.genesis.batchHash,
      firstBlock: BigInt(info.genesis.lastBlock + 1),
      lastBlock: head,
      timestamp: 1_800_000_000n,
      messageRoot: new MerkleTree(leaves).root,
      messageCount: BigInt(leaves.length),
      priorityRequestsCount: count,
      priorityRequestsHash: count === 0n ? zeroHash : rolling,
      importedRootsCount: BigInt(importedRoots.length),
      importedRootsHash: importedRootsHash(importedRoots),
    })
  }
  const settle = async (info: ZkChainInfo, label: string, b: BatchCommitment, roots: ImportedRoot[]) => {
    const w = (functionName: string, args: readonly unknown[]) => l1.write(info.operator.privateKey, { address: info.settlement, abi: c.chainSettlementAbi, functionName, args })
    record(`ChainSettlement.commitBatches (1 batch${label})`, l1, await w('commitBatches', [[b]]))
    record(`ChainSettlement.proveBatches (1 batch${label})`, l1, await w('proveBatches', [[b], '0x']))
    return record(`ChainSettlement.executeBatches (1 batch${label})`, l1, await w('executeBatches', [[b], [roots]]))
  }
  const alphaBatch = await batchOf(alpha, alphaInfo, alphaLeaves, [])
  const executed = await settle(alphaInfo, `, ${alphaLeaves.length} messages, 4 priority requests`, alphaBatch, [])

  // --- The L1 root imported on beta; bundles executed there.
  progress('execution')
  const slBlockNumber = executed.blockNumber
  const sharedRoot = await read<Hex>(l1, l1c.messageRoot, c.messageRootAbi, 'historicalRoot', [slBlockNumber])
  const imported: ImportedRoot = { slChainId: BigInt(L1_CHAIN_ID), slBlockNumber, root: sharedRoot }
  record('InteropRootStore.addInteropRoot', beta, await beta.write(betaInfo.operator.privateKey, { address: l2c.interopRootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRoot', args: [imported.slChainId, imported.slBlockNumber, imported.root] }))
  const chains = await chainsNow(l1, l1c.messageRoot)
  const proofOf = (sender: Address, payloadHash: Hex): InteropProof =>
    buildInteropProof({
      slChainId: L1_CHAIN_ID, slBlockNumber, messageSender: sender, bundleHash: payloadHash, sourceChainId: ALPHA, batchNumber: 1n,
      messageLeaves: alphaLeaves, batchMessageRoots: [alphaBatch.messageRoot], chains,
    }).proof
  const executeBundle = (i: number) => beta.write(relayer.privateKey, { address: l2c.interopHandler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args: [bundlesSent[i]!.bundle, proofOf(l2c.interopCenter, bundlesSent[i]!.bundleHash)] })
  // The route's first bundle executed on beta writes the first word of the route's statuses.
  record('InteropHandler.executeBundle (sendMessage 32 B, the route\'s first)', beta, await executeBundle(0))
  record('InteropHandler.executeBundle (sendMessage 32 B)', beta, await executeBundle(2))
  record('InteropHandler.executeBundle (sendMessage 1,024 B)', beta, await executeBundle(4))
  record('InteropHandler.executeBundle (1 call)', beta, await executeBundle(5))
  record('InteropHandler.executeBundle (3 calls)', beta, await executeBundle(6))
  record('InteropHandler.executeBundle (10 calls)', beta, await executeBundle(7))
  await executeBundle(8)
  let next = loadStart
  for (const size of EXECUTE_BUNDLES_SIZES) {
    const group = bundlesSent.slice(next, next + size)
    next += size
    const receipt = await beta.write(relayer.privateKey, { address: l2c.interopHandler, abi: c.interopHandlerAbi, functionName: 'executeBundles', args: [group.map((b) => b.bundle), group.map((b) => proofOf(l2c.interopCenter, b.bundleHash))] })
    record(`InteropHandler.executeBundles (${size} bundles of sendMessage 32 B)`, beta, receipt)
    figures.push({ name: `InteropHandler.executeBundles (${size} bundles of sendMessage 32 B), per bundle`, gas: Math.round(Number(receipt.gasUsed) / size), chain: beta, hash: receipt.transactionHash })
  }

  // --- beta's batch (the imported root, no message) settled; the withdrawal finalized, the failed deposit claimed.
  const betaLeaves = (await leavesOf(beta, betaInfo)).map((m) => m.leaf)
  const betaBatch = await batchOf(beta, betaInfo, betaLeaves, [imported])
  const betaExecuted = await settle(betaInfo, ', 1 imported root', betaBatch, [imported])

  // --- The fee of the paid message claimed on alpha by its executor, with beta's execution record proven against an L1 root alpha imported.
  const betaRootBlock = betaExecuted.blockNumber
  const betaRoot = await read<Hex>(l1, l1c.messageRoot, c.messageRootAbi, 'historicalRoot', [betaRootBlock])
  const prices = [{ chainId: BigInt(BETA), weiPerGas: 10n ** 9n }, { chainId: BigInt(L1_CHAIN_ID), weiPerGas: 10n ** 9n }]
  record('InteropRootStore.addInteropRootsWithGasPrices (1 root, 2 prices)', alpha, await alpha.write(alphaInfo.operator.privateKey, { address: l2c.interopRootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRootsWithGasPrices', args: [[{ slChainId: BigInt(L1_CHAIN_ID), slBlockNumber: betaRootBlock, root: betaRoot }], prices] }))
  const recordProof = buildInteropProof({
    slChainId: L1_CHAIN_ID, slBlockNumber: betaRootBlock, messageSender: l2c.interopHandler, bundleHash: executionRecordHash(paid.bundleHash, relayer.address), sourceChainId: BETA, batchNumber: 1n,
    messageLeaves: betaLeaves, batchMessageRoots: [betaBatch.messageRoot], chains: await chainsNow(l1, l1c.messageRoot),
  }).proof
  record('InteropCenter.claimFee', alpha, await alpha.write(user.privateKey, { address: l2c.interopCenter, abi: c.interopCenterAbi, functionName: 'claimFee', args: [paid.bundleHash, relayer.address, recordProof] }))
  const withdrawalProof = proofOf(l2c.l2AssetRouter, keccak256(withdrawalMessage))
  record('L1AssetRouter.finalizeWithdrawal (token)', l1, await l1.write(other.privateKey, { address: l1c.assetRouter, abi: c.l1AssetRouterAbi, functionName: 'finalizeWithdrawal', args: [BigInt(ALPHA), withdrawalMessage, withdrawalProof] }))
  const failed = parseEventLogs({ abi: c.l2PriorityInboxAbi, logs: (await alpha.client.getLogs({ address: l2c.priorityInbox, fromBlock: 0n })) as never, eventName: 'PriorityRequestFailed' })[0]!
  const failedMessage = failed.args.message
  const ethDeposit = parseEventLogs({ abi: c.l1AssetRouterAbi, logs: (await l1.client.getLogs({ address: l1c.assetRouter, fromBlock: 0n })) as never, eventName: 'DepositInitiated' }).find((e) => e.args.requestIndex === queued[3]!.index)!
  record('L1AssetRouter.claimFailedDeposit (ETH)', l1, await l1.write(other.privateKey, {
    address: l1c.assetRouter, abi: c.l1AssetRouterAbi, functionName: 'claimFailedDeposit',
    args: [BigInt(ALPHA), ethDeposit.args.depositor, ethDeposit.args.assetId, ethDeposit.args.amount, failedMessage, proofOf(l2c.priorityInbox, keccak256(failedMessage))],
  }))
  return figures
}

/** Every registered chain and its chain tree root now, in registration order (as L1's MessageRoot has them). */
async function chainsNow(l1: ChainConnection, messageRoot: Address): Promise<{ chainId: bigint; chainTreeRoot: Hex }[]> {
  const read = <T>(functionName: string, args: readonly unknown[] = []) => l1.client.readContract({ address: messageRoot, abi: c.messageRootAbi, functionName, args } as never) as Promise<T>
  const count = await read<bigint>('chainCount')
  const ids = await Promise.all(Array.from({ length: Number(count) }, (_, i) => read<bigint>('chainIdAt', [BigInt(i)])))
  return Promise.all(ids.map(async (chainId) => ({ chainId, chainTreeRoot: await read<Hex>('chainTreeRoot', [chainId]) })))
}
