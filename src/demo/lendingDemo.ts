import { pollDemo } from './demoSupport.js'
import { encodeFunctionData, parseEther, parseEventLogs, type Address, type Hex, type TransactionReceipt } from 'viem'
import { ChainConnection, decodeJunctionError } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import type { NetworkManifest, ZkChainInfo } from '../network/types.js'
import { BundleStatus, encodeInteropCallValueAttribute } from '../protocol/index.js'
import { depositETH } from '../sdk/actions/depositETH.js'
import { finalizeWithdrawal } from '../sdk/actions/finalizeWithdrawal.js'
import { waitForDeposit } from '../sdk/actions/waitForDeposit.js'
import { ProofNotReadyError } from '../sdk/actions/getMessageProof.js'
import { withdraw } from '../sdk/actions/withdraw.js'
import { JunctionIndex } from '../sdk/JunctionIndex.js'
import { getAliasAddress } from '../sdk/actions/getAliasAddress.js'
import { sendBundle, type BundleCallStarter } from '../sdk/actions/sendBundle.js'
import { walletFor } from '../chain/walletFor.js'

/** What {@link prepareLendingDemo} deployed and funded. */
export type LendingDemoSetup = {
  chain: ZkChainInfo
  user: { address: Address; privateKey: Hex }
  /** The user's alias account on L1 (deployed by its first bundle). */
  alias: Address
  pool: Address
  stablecoin: Address
  oracle: Address
  /** The stablecoin's asset id in the shared bridge. */
  stablecoinAssetId: Hex
}

/** Parameters of {@link prepareLendingDemo}. */
export type PrepareLendingDemoParameters = {
  manifest: NetworkManifest
  /** The user's chain (default: the first ZK chain). */
  chainName?: string
  /** Index of the dev user (default 0). */
  userIndex?: number
  /** ETH bridged to the user's chain first, so the chain's ETH balance on L1 covers the collateral. Default 5 ETH. */
  bridgeEth?: bigint
  /** ETH price in the stablecoin. Default 2,000. */
  ethPrice?: bigint
  onProgress?: (line: string) => void
}

/**
 * Deploys the lending example on L1 (a stablecoin, its price oracle and the pool, which gets 1,000,000
 * stablecoins to lend) and bridges ETH to the user's chain, so the chain holds ETH on L1 for the
 * collateral. The contracts are deployed by a dev account other than Junction's deployers.
 *
 * @example
 * ```ts
 * const setup = await prepareLendingDemo({ manifest })
 * ```
 */
export async function prepareLendingDemo(parameters: PrepareLendingDemoParameters): Promise<LendingDemoSetup> {
  const { manifest } = parameters
  const progress = parameters.onProgress ?? (() => {})
  const chain = parameters.chainName ? manifest.chains.find((x) => x.name === parameters.chainName) : manifest.chains.find((x) => x.role !== 'gateway')
  if (!chain) throw new Error(`no chain ${parameters.chainName} in the network`)
  const user = manifest.accounts.users[parameters.userIndex ?? 0]
  if (!user) throw new RangeError(`lending demo: there is no dev user ${parameters.userIndex} (the manifest has ${manifest.accounts.users.length})`)
  const deployer = manifest.accounts.users[manifest.accounts.users.length - 1]!
  const l1 = new ChainConnection(manifest.l1)
  progress('deploying the stablecoin, the oracle and the lending pool on L1')
  const stablecoin = (await l1.deploy(deployer.privateKey, { abi: c.stablecoinAbi, bytecode: c.stablecoinBytecode, action: 'deploy Stablecoin' })).address
  const oracle = (await l1.deploy(deployer.privateKey, { abi: c.priceOracleAbi, bytecode: c.priceOracleBytecode, args: [(parameters.ethPrice ?? 2_000n) * 10n ** 18n], action: 'deploy PriceOracle' })).address
  const pool = (await l1.deploy(deployer.privateKey, { abi: c.lendingPoolAbi, bytecode: c.lendingPoolBytecode, args: [stablecoin, oracle], action: 'deploy LendingPool' })).address
  await l1.write(deployer.privateKey, { address: stablecoin, abi: c.stablecoinAbi, functionName: 'mint', args: [pool, parseEther('1000000')], action: 'fund the pool' })
  const stablecoinAssetId = (await l1.client.readContract({ address: manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi, functionName: 'assetId', args: [stablecoin] })) as Hex

  const bridgeEth = parameters.bridgeEth ?? parseEther('5')
  progress(`bridging ${bridgeEth} wei to ${chain.name} for the user`)
  const l1Wallet = walletFor(manifest.l1, user.privateKey)
  const { requestIndex } = await depositETH(l1Wallet, { manifest, chainId: chain.chainId, amount: bridgeEth, to: user.address })
  // Only ETH that came over the bridge can leave the chain again (the collateral goes to L1).
  await waitForDeposit(new ChainConnection(chain).client, { manifest, requestIndex })
  const alias = getAliasAddress({ l1InteropHandler: manifest.l1.contracts.interopHandler, chainId: chain.chainId, owner: user.address })
  return { chain, user, alias, pool, stablecoin, oracle, stablecoinAssetId }
}

/** One step of a lending round trip, with its time. */
export type LendingDemoStep = { name: string; at: number; sinceSignature: number; detail: string }

/** What {@link runLendingDemo} resolves with. */
export type LendingDemoResult = {
  bundleHash: Hex
  /** The user's one transaction on its chain, which sent the bundle. */
  transactionHash: Hex
  /** The bundle as sent (`abi.encode(bundle)`): what L1's handler takes to execute it or read its status. */
  bundle: Hex
  outcome: 'borrowed' | 'failed'
  /** The revert reason of the failing call, when `outcome` is `failed`. */
  failure?: string
  steps: LendingDemoStep[]
  /** Milliseconds from the signature to the stablecoin on the user's chain (or to the failure on L1). */
  totalMs: number
  /** L1 gas of the bundle's execution (the collateral deposit, the borrow and the bridge back, in one transaction). */
  l1ExecutionGas?: bigint
  /** The alias account's position in the pool afterwards. */
  position: { collateral: bigint; debt: bigint }
}

/** Parameters of {@link runLendingDemo}. */
export type RunLendingDemoParameters = {
  manifest: NetworkManifest
  setup: LendingDemoSetup
  /** ETH (wei) the user sends as collateral. Default 1 ETH. */
  collateral?: bigint
  /** Stablecoin (18 decimals) to borrow. Default 1,000. */
  borrow?: bigint
  timeoutMs?: number
  onStep?: (step: LendingDemoStep) => void
}

/**
 * The lending round trip, with ONE signature on the user's chain: a bundle to L1 whose calls run from
 * the user's alias account there: deposit the ETH sent with the bundle as collateral, borrow the
 * stablecoin, approve the vault, and deposit the stablecoin back to the user through the shared
 * bridge. It arrives on the user's chain as the canonical bridged token. If the borrow is refused (over
 * the pool's limit), the calls revert together and the ETH stays in the alias account.
 *
 * @example
 * ```ts
 * const result = await runLendingDemo({ manifest, setup, onStep: (s) => console.log(s.name) })
 * ```
 */
export async function runLendingDemo(parameters: RunLendingDemoParameters): Promise<LendingDemoResult> {
  const { manifest, setup } = parameters
  const timeoutMs = parameters.timeoutMs ?? 120_000
  const collateral = parameters.collateral ?? parseEther('1')
  const borrow = parameters.borrow ?? parseEther('1000')
  const l1 = new ChainConnection(manifest.l1)
  const steps: LendingDemoStep[] = []
  let t0 = 0
  const report = (name: string, detail: string, at = Date.now()) => {
    const step = { name, at, sinceSignature: at - t0, detail }
    steps.push(step)
    parameters.onStep?.(step)
  }
  const bridgedBefore = await bridgedStablecoin(manifest, setup)

  const calls: BundleCallStarter[] = [
    { to: setup.pool, data: encodeFunctionData({ abi: c.lendingPoolAbi, functionName: 'depositCollateral' }), attributes: [encodeInteropCallValueAttribute(collateral)] },
    { to: setup.pool, data: encodeFunctionData({ abi: c.lendingPoolAbi, functionName: 'borrow', args: [borrow] }) },
    { to: setup.stablecoin, data: encodeFunctionData({ abi: c.stablecoinAbi, functionName: 'approve', args: [manifest.l1.contracts.nativeTokenVault, borrow] }) },
    {
      to: manifest.l1.contracts.assetRouter,
      data: encodeFunctionData({ abi: c.l1AssetRouterAbi, functionName: 'deposit', args: [BigInt(setup.chain.chainId), setup.stablecoin, borrow, setup.user.address] }),
    },
  ]
  t0 = Date.now()
  const sent = await sendBundle(walletFor(setup.chain, setup.user.privateKey), { interopCenter: manifest.l2Contracts.interopCenter, destinationChainId: manifest.l1.chainId, calls })
  report('signed & sent', `one transaction on ${setup.chain.name} (${sent.transactionHash}): bundle ${sent.bundleHash} to L1 with ${collateral} wei`)

  // L1 executes it once the batch holding it is settled there (the relayer does it).
  const handler = { address: manifest.l1.contracts.interopHandler, abi: c.l1InteropHandlerAbi } as const
  const settled = await poll('the bundle executed on L1', timeoutMs, async () => {
    const status = (await l1.client.readContract({ ...handler, functionName: 'bundleStatus', args: [sent.bundle] })) as number
    if (status === BundleStatus.Executed) return { executed: true as const }
    if (status !== BundleStatus.Verified) return undefined
    const failures = await l1.client.getLogs({ address: handler.address, fromBlock: 0n })
    const failed = parseEventLogs({ abi: c.l1InteropHandlerAbi, eventName: 'BundleExecutionFailed', logs: failures }).find((log) => log.args.bundleHash === sent.bundleHash)
    return failed ? { executed: false as const, receipt: await l1.client.getTransactionReceipt({ hash: failed.transactionHash }) } : undefined
  })
  const position = async () => {
    const [collateralHeld, debt] = await Promise.all([
      l1.client.readContract({ address: setup.pool, abi: c.lendingPoolAbi, functionName: 'collateral', args: [setup.alias] }) as Promise<bigint>,
      l1.client.readContract({ address: setup.pool, abi: c.lendingPoolAbi, functionName: 'debt', args: [setup.alias] }) as Promise<bigint>,
    ])
    return { collateral: collateralHeld, debt }
  }
  if (!settled.executed) {
    const [failed] = parseEventLogs({ abi: c.l1InteropHandlerAbi, eventName: 'BundleExecutionFailed', logs: settled.receipt.logs })
    const failure = describeFailure(failed!.args.reason)
    report('failed on L1', `the calls reverted together (${failure}); the ${collateral} wei stay in the alias account ${setup.alias}`)
    return { bundleHash: sent.bundleHash, transactionHash: sent.transactionHash, bundle: sent.bundle, outcome: 'failed', failure, steps, totalMs: Date.now() - t0, l1ExecutionGas: settled.receipt.gasUsed, position: await position() }
  }
  const execution = await executionReceipt(l1, manifest, sent.bundleHash)
  report('executed on L1', `alias ${setup.alias} deposited the collateral, borrowed ${borrow} and bridged it back (L1 transaction ${execution.transactionHash}, ${execution.gasUsed} gas)`)
  await poll('the borrowed stablecoin on the chain', timeoutMs, async () => ((await bridgedStablecoin(manifest, setup)) >= bridgedBefore + borrow ? true : undefined))
  report('arrived', `${borrow} JUSD on ${setup.chain.name} for ${setup.user.address}`)
  return { bundleHash: sent.bundleHash, transactionHash: sent.transactionHash, bundle: sent.bundle, outcome: 'borrowed', steps, totalMs: Date.now() - t0, l1ExecutionGas: execution.gasUsed, position: await position() }
}

/** Parameters of {@link runLendingRepay}. */
export type RunLendingRepayParameters = {
  manifest: NetworkManifest
  setup: LendingDemoSetup
  /** An index of the network, to finalize the withdrawal with (default: a new one from the RPCs). */
  index?: JunctionIndex
  timeoutMs?: number
  onStep?: (step: LendingDemoStep) => void
}

/** What {@link runLendingRepay} resolves with. */
export type LendingRepayResult = {
  steps: LendingDemoStep[]
  /** Milliseconds from the first signature to the collateral back on the user's chain. */
  totalMs: number
  repaid: bigint
  collateralReturned: bigint
  /** L1 gas: finalizing the withdrawal of the stablecoin to the alias, and the repay bundle's execution. */
  l1Gas: { finalizeWithdrawal: bigint; bundle: bigint }
  /** The user's transaction on its chain that sent the repay bundle to L1. */
  bundleTransactionHash: Hex
}

/**
 * The way back: the user repays the whole debt and gets the collateral back on its chain. Two
 * signatures on the user's chain, sent one after the other without waiting: a withdrawal of the
 * bridged stablecoin to the alias account, and a bundle to L1 whose calls, from the alias account,
 * approve the pool, repay, withdraw the collateral and deposit it back to the user through the shared
 * bridge. Anyone may finalize the withdrawal on L1 (the demo does, with the relayer's dev key); the
 * relayer retries the bundle until the stablecoin is in the alias account.
 *
 * @example
 * ```ts
 * const back = await runLendingRepay({ manifest, setup })
 * ```
 */
export async function runLendingRepay(parameters: RunLendingRepayParameters): Promise<LendingRepayResult> {
  const { manifest, setup } = parameters
  const timeoutMs = parameters.timeoutMs ?? 120_000
  const index = parameters.index ?? new JunctionIndex(manifest)
  const l1 = new ChainConnection(manifest.l1)
  const chain = new ChainConnection(setup.chain)
  const pool = { address: setup.pool, abi: c.lendingPoolAbi } as const
  const [debt, collateral] = await Promise.all([
    l1.client.readContract({ ...pool, functionName: 'debt', args: [setup.alias] }) as Promise<bigint>,
    l1.client.readContract({ ...pool, functionName: 'collateral', args: [setup.alias] }) as Promise<bigint>,
  ])
  if (debt === 0n && collateral === 0n) throw new Error(`lending demo: the alias account ${setup.alias} has no position to repay`)
  const steps: LendingDemoStep[] = []
  let t0 = 0
  const report = (name: string, detail: string) => {
    const at = Date.now()
    const step = { name, at, sinceSignature: at - t0, detail }
    steps.push(step)
    parameters.onStep?.(step)
  }
  const wallet = walletFor(setup.chain, setup.user.privateKey)
  const ethBefore = await chain.client.getBalance({ address: setup.user.address })
  t0 = Date.now()
  const withdrawn = await withdraw(wallet, { manifest, assetId: setup.stablecoinAssetId, amount: debt, to: setup.alias })
  report('signed withdrawal', `${debt} JUSD burned on ${setup.chain.name} for the alias account (${withdrawn.transactionHash})`)
  const back = encodeFunctionData({ abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [BigInt(setup.chain.chainId), setup.user.address] })
  const calls: BundleCallStarter[] = [
    { to: setup.stablecoin, data: encodeFunctionData({ abi: c.stablecoinAbi, functionName: 'approve', args: [setup.pool, debt] }) },
    { to: setup.pool, data: encodeFunctionData({ abi: c.lendingPoolAbi, functionName: 'repay', args: [debt] }) },
    { to: setup.pool, data: encodeFunctionData({ abi: c.lendingPoolAbi, functionName: 'withdrawCollateral', args: [collateral] }) },
    { to: setup.alias, data: encodeFunctionData({ abi: c.aliasAccountAbi, functionName: 'spend', args: [manifest.l1.contracts.assetRouter, collateral, back] }) },
  ]
  const sent = await sendBundle(wallet, { interopCenter: manifest.l2Contracts.interopCenter, destinationChainId: manifest.l1.chainId, calls })
  report('signed bundle', `bundle ${sent.bundleHash} to L1: approve, repay ${debt}, withdraw ${collateral} wei, send it back`)

  const finalized = await poll('the withdrawal finalized on L1', timeoutMs, async () => {
    try {
      return await finalizeWithdrawal(walletFor(manifest.l1, manifest.accounts.relayer.privateKey), index, { chainId: setup.chain.chainId, transactionHash: withdrawn.transactionHash })
    } catch (error) {
      if (error instanceof ProofNotReadyError) return undefined
      // The services send from the relayer's account too: a transaction of theirs took this nonce, and ours was not accepted. Send again.
      if (error instanceof Error && /nonce too low|replacement transaction underpriced/i.test(error.message)) return undefined
      throw error
    }
  })
  report('stablecoin in the alias account', `withdrawal finalized on L1 by the relayer's account (anyone may): ${finalized.transactionHash}`)
  const handler = { address: manifest.l1.contracts.interopHandler, abi: c.l1InteropHandlerAbi } as const
  await poll('the repay bundle executed on L1', timeoutMs, async () => ((await l1.client.readContract({ ...handler, functionName: 'bundleStatus', args: [sent.bundle] })) === BundleStatus.Executed ? true : undefined))
  const execution = await executionReceipt(l1, manifest, sent.bundleHash)
  report('executed on L1', `repaid and withdrew the collateral from the alias account (${execution.gasUsed} gas)`)
  await poll('the collateral back on the chain', timeoutMs, async () => ((await chain.client.getBalance({ address: setup.user.address })) >= ethBefore + collateral - parseEther('0.01') ? true : undefined))
  report('arrived', `${collateral} wei back on ${setup.chain.name} for ${setup.user.address}`)
  return { steps, totalMs: Date.now() - t0, repaid: debt, collateralReturned: collateral, l1Gas: { finalizeWithdrawal: finalized.receipt.gasUsed, bundle: execution.gasUsed }, bundleTransactionHash: sent.transactionHash }
}

/** The user's bridged stablecoin balance on its chain (0 before the first deposit deploys the token). */
export async function bridgedStablecoin(manifest: NetworkManifest, setup: LendingDemoSetup): Promise<bigint> {
  const chain = new ChainConnection(setup.chain)
  const token = (await chain.client.readContract({ address: manifest.l2Contracts.l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'bridgedToken', args: [setup.stablecoinAssetId] })) as Address
  if (BigInt(token) === 0n) return 0n
  return (await chain.client.readContract({ address: token, abi: c.bridgedTokenAbi, functionName: 'balanceOf', args: [setup.user.address] })) as bigint
}

/**
 * The receipt of the L1 transaction that executed `bundleHash`. Called once the handler's status
 * says executed; the log is looked for again for a few seconds, since anvil under load was seen
 * answering the status before `eth_getLogs` had the block's logs.
 */
async function executionReceipt(l1: ChainConnection, manifest: NetworkManifest, bundleHash: Hex): Promise<TransactionReceipt> {
  const find = async () => {
    const logs = await l1.client.getLogs({ address: manifest.l1.contracts.interopHandler, fromBlock: 0n })
    return parseEventLogs({ abi: c.l1InteropHandlerAbi, eventName: 'BundleExecuted', logs }).find((log) => log.args.bundleHash === bundleHash)
  }
  const executed = await poll(`BundleExecuted of ${bundleHash} on L1`, 5_000, find).catch((error: unknown) => {
    throw new Error(`no BundleExecuted for ${bundleHash} on L1, though its status is executed`, { cause: error })
  })
  return l1.client.getTransactionReceipt({ hash: executed.transactionHash })
}

function describeFailure(reason: Hex): string {
  return decodeJunctionError(reason).text
}

const poll = <T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>) => pollDemo('lending', what, check, timeoutMs)
