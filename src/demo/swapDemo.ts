/**
 * The one-click cross-chain swap (contracts/examples/CrossChainSwapper.sol): a user on chain alpha
 * holding token X signs ONE transaction, a bundle to beta whose call 0 transfers X to the swapper (an
 * indirect call through the L2 asset router) and whose call 1 asks the swapper to swap it in a
 * constant-product pool for Y. The swapper sends Y back to alpha with a transfer bundle of its own,
 * or, if the swap fails (slippage), sends X back (automatic refund).
 *
 * `prepareSwapDemo` sets up the tokens, liquidity, pool and swapper; `runSwapDemo` runs one swap and
 * reports each step with its time since the signature.
 */
import { demoChain, pollDemo } from './demoSupport.js'
import { decodeErrorResult, encodeAbiParameters, erc20Abi, parseEventLogs, zeroAddress, type Address, type Hex } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import type { DevAccount } from '../chain/devAccounts.js'
import * as c from '../contracts/generated/index.js'
import type { NetworkManifest, ZkChainInfo } from '../network/types.js'
import { encodeIndirectCallAttribute } from '../protocol/index.js'
import { deposit } from '../sdk/actions/deposit.js'
import { waitForMessage } from '../sdk/actions/waitForMessage.js'
import { JunctionIndex } from '../sdk/JunctionIndex.js'
import { walletFor } from '../chain/walletFor.js'

/** Everything `prepareSwapDemo` set up. Token addresses on chains are the same on every chain. */
export type SwapDemoSetup = {
  alpha: ZkChainInfo
  beta: ZkChainInfo
  /** Who swaps (on alpha). */
  user: DevAccount
  /** Who provided the pool's liquidity (on beta). */
  provider: DevAccount
  /** The origin tokens on L1. */
  l1TokenX: Address
  l1TokenY: Address
  assetX: Hex
  assetY: Hex
  /** The bridged tokens (the same address on every chain where they exist). */
  tokenX: Address
  tokenY: Address
  /** On beta. */
  pool: Address
  swapper: Address
}

/** Parameters of {@link prepareSwapDemo}. */
export type PrepareSwapDemoParameters = {
  manifest: NetworkManifest
  /** Source chain (default: the first chain) and destination chain (default: the second). */
  from?: string | number
  to?: string | number
  /** Index of the swapping user among `manifest.accounts.users` (default 0) and of the liquidity provider (default the last). */
  userIndex?: number
  providerIndex?: number
  /** X given to the user on alpha (default 1 000 000). */
  userAmount?: bigint
  /** Pool liquidity on beta: X and Y (default 10 000 000 each). */
  liquidityX?: bigint
  liquidityY?: bigint
  /** Progress messages while setting up. */
  onProgress?: (message: string) => void
  timeoutMs?: number
}

/** One reported step of a swap. */
export type SwapDemoStep = {
  name: 'signed' | 'burned' | 'executed' | 'return-sent' | 'arrived'
  /** Wall clock (ms since epoch) when the demo observed the step. */
  at: number
  /** ms since the signature. */
  sinceSignature: number
  detail: string
}

/** What {@link runSwapDemo} resolves with. */
export type SwapDemoResult = {
  setup: SwapDemoSetup
  outcome: 'swapped' | 'refunded'
  amountIn: bigint
  minOut: bigint
  /** The pool's quote just before the signature. */
  quote: bigint
  /** Y received on alpha (0 when refunded). */
  amountOut: bigint
  /** X given back on alpha (0 when swapped). */
  refunded: bigint
  /** Decoded revert reason of the swap, when refunded. */
  refundReason?: string
  bundleHash: Hex
  transactionHash: Hex
  returnBundleHash: Hex
  steps: SwapDemoStep[]
  /** ms from the signature to the result observed on alpha. */
  totalMs: number
}

/** Parameters of {@link runSwapDemo}. */
export type RunSwapDemoParameters = {
  manifest: NetworkManifest
  /** A setup from {@link prepareSwapDemo}; prepared on the fly when absent. */
  setup?: SwapDemoSetup
  /** X to swap (default 1 000). */
  amount?: bigint
  /** Least Y accepted (default the pool's quote minus 0.5%). Above the quote, the swap fails and X is refunded. */
  minOut?: bigint
  /** Called for every step as it is observed. */
  onStep?: (step: SwapDemoStep) => void
  /** Index to follow the bundles with (default: one read from the chains). */
  index?: JunctionIndex
  timeoutMs?: number
  /** Passed to {@link prepareSwapDemo} when it runs. */
  prepare?: Omit<PrepareSwapDemoParameters, 'manifest'>
}

const poll = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 20) => pollDemo('swap', what, check, timeoutMs, intervalMs)

/** The bridged token of `assetId` on `chain` (undefined while not deployed there). */
async function bridgedToken(manifest: NetworkManifest, chain: ChainConnection, assetId: Hex): Promise<Address | undefined> {
  const token = (await chain.client.readContract({ address: manifest.l2Contracts.l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'bridgedToken', args: [assetId] })) as Address
  return token === zeroAddress ? undefined : token
}

/** `owner`'s balance of the bridged token of `assetId` on `chain` (0 while the token is not deployed there). */
export async function bridgedBalance(manifest: NetworkManifest, chainInfo: { chainId: number; name: string; rpcUrl: string }, assetId: Hex, owner: Address): Promise<bigint> {
  const chain = new ChainConnection(chainInfo)
  const token = await bridgedToken(manifest, chain, assetId)
  return token ? chain.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] }) : 0n
}

/**
 * Sets the swap up on a running network (its services must run: deposits are processed by them):
 * deploys TestTokens X and Y on L1, deposits X and Y liquidity to beta for a liquidity provider,
 * deploys the pool and the swapper on beta and adds the liquidity, deposits X to the user on alpha
 * and waits until it is minted.
 */
export async function prepareSwapDemo(parameters: PrepareSwapDemoParameters): Promise<SwapDemoSetup> {
  const { manifest } = parameters
  const progress = parameters.onProgress ?? (() => undefined)
  const timeoutMs = parameters.timeoutMs ?? 60_000
  const alphaInfo = demoChain(manifest, parameters.from, 0, 'swap')
  const betaInfo = demoChain(manifest, parameters.to, 1, 'swap')
  if (alphaInfo.chainId === betaInfo.chainId) throw new Error('swap demo: source and destination must differ')
  const users = manifest.accounts.users
  const user = users[parameters.userIndex ?? 0]
  const provider = users[parameters.providerIndex ?? users.length - 1]
  if (!user || !provider || user.address === provider.address) throw new Error('swap demo: needs two distinct dev users (user and liquidity provider)')
  const userAmount = parameters.userAmount ?? 1_000_000n
  const liquidityX = parameters.liquidityX ?? 10_000_000n
  const liquidityY = parameters.liquidityY ?? 10_000_000n

  const l1 = new ChainConnection(manifest.l1)
  const beta = new ChainConnection(betaInfo)
  progress('deploying tokens X and Y on L1')
  const deployToken = (name: string, symbol: string) =>
    l1.deploy(provider.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: [name, symbol, 18], action: `deploy TestToken ${symbol}` }).then((d) => d.address)
  const l1TokenX = await deployToken('Swap Demo X', 'SDX')
  const l1TokenY = await deployToken('Swap Demo Y', 'SDY')
  const mint = (token: Address, to: Address, amount: bigint) => l1.write(provider.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [to, amount], action: 'mint TestToken' })
  await mint(l1TokenX, provider.address, liquidityX)
  await mint(l1TokenY, provider.address, liquidityY)
  await mint(l1TokenX, user.address, userAmount)

  progress(`depositing liquidity to ${betaInfo.name} and X to the user on ${alphaInfo.name}`)
  const providerL1 = walletFor(manifest.l1, provider.privateKey)
  const { assetId: assetX } = await deposit(providerL1, { manifest, chainId: betaInfo.chainId, token: l1TokenX, amount: liquidityX })
  const { assetId: assetY } = await deposit(providerL1, { manifest, chainId: betaInfo.chainId, token: l1TokenY, amount: liquidityY })
  await deposit(walletFor(manifest.l1, user.privateKey), { manifest, chainId: alphaInfo.chainId, token: l1TokenX, amount: userAmount })

  const minted = (chainInfo: ZkChainInfo, assetId: Hex, owner: Address, amount: bigint) =>
    poll(`${amount} of ${assetId} minted to ${owner} on ${chainInfo.name}`, async () => ((await bridgedBalance(manifest, chainInfo, assetId, owner)) >= amount ? true : undefined), timeoutMs, 50)
  await minted(betaInfo, assetX, provider.address, liquidityX)
  await minted(betaInfo, assetY, provider.address, liquidityY)
  const tokenX = (await bridgedToken(manifest, beta, assetX))!
  const tokenY = (await bridgedToken(manifest, beta, assetY))!

  progress(`deploying the pool and the swapper on ${betaInfo.name}`)
  const pool = (await beta.deploy(provider.privateKey, { abi: c.constantProductPoolAbi, bytecode: c.constantProductPoolBytecode, args: [tokenX, tokenY], action: 'deploy ConstantProductPool' })).address
  const swapper = (
    await beta.deploy(provider.privateKey, {
      abi: c.crossChainSwapperAbi,
      bytecode: c.crossChainSwapperBytecode,
      args: [manifest.l2Contracts.interopCenter, manifest.l2Contracts.l2AssetRouter, manifest.l2Contracts.interopHandler, pool],
      action: 'deploy CrossChainSwapper',
    })
  ).address
  await beta.write(provider.privateKey, { address: tokenX, abi: erc20Abi, functionName: 'approve', args: [pool, liquidityX] })
  await beta.write(provider.privateKey, { address: tokenY, abi: erc20Abi, functionName: 'approve', args: [pool, liquidityY] })
  await beta.write(provider.privateKey, { address: pool, abi: c.constantProductPoolAbi, functionName: 'addLiquidity', args: [liquidityX, liquidityY] })

  await minted(alphaInfo, assetX, user.address, userAmount)
  progress(`ready: the user holds ${userAmount} X on ${alphaInfo.name}`)
  return { alpha: alphaInfo, beta: betaInfo, user, provider, l1TokenX, l1TokenY, assetX, assetY, tokenX, tokenY, pool, swapper }
}

/** The pool's reserves of X and Y. */
export async function readPool(setup: SwapDemoSetup): Promise<{ x: bigint; y: bigint }> {
  const beta = new ChainConnection(setup.beta)
  const read = (functionName: 'reserve0' | 'reserve1' | 'token0') => beta.client.readContract({ address: setup.pool, abi: c.constantProductPoolAbi, functionName }) as Promise<bigint | Address>
  const [r0, r1, t0] = await Promise.all([read('reserve0'), read('reserve1'), read('token0')])
  return t0 === setup.tokenX ? { x: r0 as bigint, y: r1 as bigint } : { x: r1 as bigint, y: r0 as bigint }
}

/**
 * The payload of a swap call to the CrossChainSwapper: `abi.encode(assetIn, amountIn, assetOut, minOut,
 * inputCall)`, where call `inputCall` of the same bundle is the transfer of exactly `amountIn` of `assetIn`
 * to the swapper, right before the swap call.
 *
 * @example
 * ```ts
 * const data = encodeSwapRequest({ assetIn: assetX, amountIn: 1_000n, assetOut: assetY, minOut: 990n, inputCall: 0n })
 * ```
 */
export function encodeSwapRequest(request: { assetIn: Hex; amountIn: bigint; assetOut: Hex; minOut: bigint; inputCall: bigint }): Hex {
  return encodeAbiParameters(
    [{ type: 'bytes32' }, { type: 'uint256' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'uint256' }],
    [request.assetIn, request.amountIn, request.assetOut, request.minOut, request.inputCall],
  )
}

/** Turns a revert payload into a readable reason. */
function explainReason(reason: Hex): string {
  try {
    const decoded = decodeErrorResult({ abi: c.constantProductPoolAbi, data: reason })
    return `${decoded.errorName}(${(decoded.args ?? []).map(String).join(', ')})`
  } catch {
    // not one of the pool's errors
  }
  return reason === '0x' ? 'reverted without a reason' : reason
}

/**
 * Runs one one-click swap: the user signs one `sendBundle` on alpha; reports each step (`onStep`)
 * and resolves once Y (or the refunded X) is observed in the user's balance on alpha.
 */
export async function runSwapDemo(parameters: RunSwapDemoParameters): Promise<SwapDemoResult> {
  const { manifest } = parameters
  const timeoutMs = parameters.timeoutMs ?? 60_000
  const setup = parameters.setup ?? (await prepareSwapDemo({ manifest, ...parameters.prepare }))
  const index = parameters.index ?? new JunctionIndex(manifest)
  const amount = parameters.amount ?? 1_000n
  const alpha = new ChainConnection(setup.alpha)
  const beta = new ChainConnection(setup.beta)
  const user = setup.user.address

  const quote = (await beta.client.readContract({ address: setup.pool, abi: c.constantProductPoolAbi, functionName: 'getAmountOut', args: [setup.tokenX, amount] })) as bigint
  const minOut = parameters.minOut ?? quote - quote / 200n
  const [xBefore, yBefore] = await Promise.all([bridgedBalance(manifest, setup.alpha, setup.assetX, user), bridgedBalance(manifest, setup.alpha, setup.assetY, user)])

  const steps: SwapDemoStep[] = []
  let t0 = 0
  const report = (name: SwapDemoStep['name'], detail: string, at = Date.now()) => {
    const step = { name, at, sinceSignature: at - t0, detail }
    steps.push(step)
    parameters.onStep?.(step)
  }

  // The user's ONE transaction: call 0 moves X to the swapper, call 1 asks for the swap of what call 0 delivered.
  const calls = [
    {
      to: manifest.l2Contracts.l2AssetRouter,
      data: encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }], [setup.assetX, amount, setup.swapper]),
      callAttributes: [encodeIndirectCallAttribute(0n)],
    },
    {
      to: setup.swapper,
      data: encodeSwapRequest({ assetIn: setup.assetX, amountIn: amount, assetOut: setup.assetY, minOut, inputCall: 0n }),
      callAttributes: [] as Hex[],
    },
  ]
  const userWallet = walletFor(setup.alpha, setup.user.privateKey)
  t0 = Date.now()
  const transactionHash = await userWallet.writeContract({
    address: manifest.l2Contracts.interopCenter,
    abi: c.interopCenterAbi,
    functionName: 'sendBundle',
    args: [BigInt(setup.beta.chainId), calls, []],
  } as never)
  report('signed', `signed & sent on ${setup.alpha.name}: transaction ${transactionHash}`)

  const receipt = await alpha.waitForReceipt(transactionHash, timeoutMs)
  if (receipt.status !== 'success') throw new Error(`swap demo: the user's transaction ${transactionHash} reverted`)
  const [sent] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'BundleSent' })
  const [burned] = parseEventLogs({ abi: c.l2AssetRouterAbi, logs: receipt.logs, eventName: 'TransferInitiated' })
  if (!sent || !burned) throw new Error(`swap demo: transaction ${transactionHash} emitted no BundleSent/TransferInitiated`)
  const bundleHash = (sent.args as { bundleHash: Hex }).bundleHash
  report('burned', `${amount} X burned on ${setup.alpha.name} (block ${receipt.blockNumber}); bundle ${bundleHash}`)

  const executed = await waitForMessage(index, { bundleHash, timeoutMs, pollMs: 20 })
  const executedAt = Date.now()
  if (!executed.executedIn) throw new Error(`swap demo: bundle ${bundleHash} executed, but its transaction is unknown`)
  const betaReceipt = await beta.waitForReceipt(executed.executedIn, timeoutMs)
  const events = parseEventLogs({ abi: c.crossChainSwapperAbi, logs: betaReceipt.logs }).filter((log) => log.address.toLowerCase() === setup.swapper.toLowerCase())
  const swapped = events.find((e) => e.eventName === 'Swapped')
  const refundedEvent = events.find((e) => e.eventName === 'Refunded')
  let outcome: 'swapped' | 'refunded'
  let returnBundleHash: Hex
  let expectedOut = 0n
  let refundReason: string | undefined
  if (swapped) {
    const args = swapped.args as { out: bigint; returnBundle: Hex }
    outcome = 'swapped'
    expectedOut = args.out
    returnBundleHash = args.returnBundle
    report('executed', `bundle executed on ${setup.beta.name} (transaction ${executed.executedIn}): swapped ${amount} X for ${args.out} Y (quote ${quote}, min ${minOut})`, executedAt)
  } else if (refundedEvent) {
    const args = refundedEvent.args as { reason: Hex; returnBundle: Hex }
    outcome = 'refunded'
    returnBundleHash = args.returnBundle
    refundReason = explainReason(args.reason)
    report('executed', `bundle executed on ${setup.beta.name} (transaction ${executed.executedIn}): swap failed, ${refundReason}; refunding ${amount} X`, executedAt)
  } else {
    throw new Error(`swap demo: bundle ${bundleHash} executed on ${setup.beta.name} without a Swapped or Refunded event`)
  }
  report('return-sent', `return bundle ${returnBundleHash} sent from ${setup.beta.name} (${outcome === 'swapped' ? `${expectedOut} Y` : `${amount} X`} burned from the swapper)`, executedAt)

  // Observe the result in the user's balance on alpha.
  const [assetBack, before, expected] = outcome === 'swapped' ? [setup.assetY, yBefore, expectedOut] : [setup.assetX, xBefore - amount, amount]
  const balance = await poll(
    `${outcome === 'swapped' ? 'Y' : 'the refunded X'} on ${setup.alpha.name}`,
    async () => {
      const now = await bridgedBalance(manifest, setup.alpha, assetBack, user)
      return now >= before + expected ? now : undefined
    },
    timeoutMs,
  )
  const arrivedAt = Date.now()
  report('arrived', `${outcome === 'swapped' ? `${expectedOut} Y arrived` : `${amount} X refunded`} on ${setup.alpha.name}: the user's balance is now ${balance}`, arrivedAt)

  return {
    setup,
    outcome,
    amountIn: amount,
    minOut,
    quote,
    amountOut: outcome === 'swapped' ? expectedOut : 0n,
    refunded: outcome === 'refunded' ? amount : 0n,
    ...(refundReason === undefined ? {} : { refundReason }),
    bundleHash,
    transactionHash,
    returnBundleHash,
    steps,
    totalMs: arrivedAt - t0,
  }
}
