// The one-click cross-chain swap end to end (contracts/examples, src/demo/swapDemo.ts): the user signs
// one bundle on alpha; X is swapped for Y in a pool on beta and Y comes back to alpha, or, when the
// swap fails on slippage, X comes back in full (automatic refund).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { erc20Abi, parseEventLogs, zeroHash } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { bridgedBalance, encodeSwapRequest, prepareSwapDemo, readPool, runSwapDemo, type SwapDemoSetup } from '../../src/demo/swapDemo.js'
import { encodeExecutionAddressAttribute, encodeIndirectCallAttribute, encodeTransferData, encodeUnbundlerAddressAttribute } from '../../src/protocol/index.js'
import { getMessageStatus, JunctionIndex, sendBundle, transfer, unbundle, waitForMessage } from '../../src/sdk/index.js'
import { eventually, rejectsWith, waitForProof } from '../support/e2e.js'
import { startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let setup: SwapDemoSetup
let index: JunctionIndex

before(async () => {
  network = await startTestNetwork()
  index = new JunctionIndex(network.manifest)
  setup = await prepareSwapDemo({ manifest: network.manifest, userAmount: 10_000n, liquidityX: 1_000_000n, liquidityY: 2_000_000n })
})
after(async () => {
  await network?.close()
})

const balances = async () => ({
  x: await bridgedBalance(network.manifest, setup.alpha, setup.assetX, setup.user.address),
  y: await bridgedBalance(network.manifest, setup.alpha, setup.assetY, setup.user.address),
})
const swapperHoldings = async () => {
  const beta = new ChainConnection(setup.beta)
  return Promise.all([setup.tokenX, setup.tokenY].map((token) => beta.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [setup.swapper] })))
}

test('one signature on alpha: X swapped for Y on beta at the quoted price, Y back on alpha, the swapper keeps nothing', async () => {
  const before = await balances()
  const poolBefore = await readPool(setup)
  const quote = (await new ChainConnection(setup.beta).client.readContract({ address: setup.pool, abi: c.constantProductPoolAbi, functionName: 'getAmountOut', args: [setup.tokenX, 1_000n] })) as bigint
  // x·y = k with a 0.3% fee on the input.
  assert.equal(quote, (1_000n * 997n * poolBefore.y) / (poolBefore.x * 1000n + 1_000n * 997n))
  const result = await runSwapDemo({ manifest: network.manifest, setup, index, amount: 1_000n, timeoutMs: 30_000 })
  assert.equal(result.outcome, 'swapped')
  assert.equal(result.quote, quote)
  assert.equal(result.amountOut, quote)
  assert.deepEqual(result.steps.map((s) => s.name), ['signed', 'burned', 'executed', 'return-sent', 'arrived'])
  assert.ok(result.steps.every((s, i) => i === 0 || s.sinceSignature >= result.steps[i - 1]!.sinceSignature), 'steps in time order')
  assert.equal(result.totalMs, result.steps.at(-1)!.sinceSignature)

  const after = await balances()
  assert.equal(after.x, before.x - 1_000n, 'X left the user on alpha')
  assert.equal(after.y, before.y + quote, 'exactly the quoted Y arrived on alpha')
  const poolAfter = await readPool(setup)
  assert.equal(poolAfter.x, poolBefore.x + 1_000n)
  assert.equal(poolAfter.y, poolBefore.y - quote)
  assert.deepEqual(await swapperHoldings(), [0n, 0n], 'the swapper holds nothing after')
})

test('slippage: minOut above the quote → the swap fails on beta and X comes back to alpha in full; Y and the pool unchanged', async () => {
  const before = await balances()
  const poolBefore = await readPool(setup)
  const quote = (await new ChainConnection(setup.beta).client.readContract({ address: setup.pool, abi: c.constantProductPoolAbi, functionName: 'getAmountOut', args: [setup.tokenX, 2_000n] })) as bigint
  const result = await runSwapDemo({ manifest: network.manifest, setup, index, amount: 2_000n, minOut: quote + 1n, timeoutMs: 30_000 })
  assert.equal(result.outcome, 'refunded')
  assert.equal(result.refunded, 2_000n)
  assert.equal(result.refundReason, `SlippageExceeded(${quote}, ${quote + 1n})`)
  const after = await balances()
  assert.equal(after.x, before.x, 'the user has all of X back on alpha')
  assert.equal(after.y, before.y, 'no Y')
  assert.deepEqual(await readPool(setup), poolBefore, 'the pool did not move')
  assert.deepEqual(await swapperHoldings(), [0n, 0n], 'the swapper holds nothing after')
  // The refund really went through beta: the return bundle is a transfer from beta's router.
  const supplyX = await new ChainConnection(setup.beta).client.readContract({ address: setup.tokenX, abi: erc20Abi, functionName: 'totalSupply' })
  assert.equal(supplyX, poolBefore.x, "beta's X supply is the pool's alone: the refunded X was burned on beta")
})

test('tokens the swapper holds otherwise cannot be swapped out: a crafted bundle or a direct call is refused', async () => {
  const { assetX, assetY, swapper, user } = setup
  const alphaWallet = walletFor(setup.alpha, user.privateKey)
  const interopCenter = network.manifest.l2Contracts.interopCenter
  // 500 X reach the swapper without a swap call: a plain transfer bundle.
  const stray = await transfer(alphaWallet, { manifest: network.manifest, assetId: assetX, amount: 500n, destinationChainId: setup.beta.chainId, to: swapper })
  await waitForMessage(index, { bundleHash: stray.bundleHash, timeoutMs: 30_000 })
  assert.deepEqual(await swapperHoldings(), [500n, 0n])
  const [before, poolBefore] = [await balances(), await readPool(setup)]

  const toSwapper = (amount: bigint) => ({ to: network.manifest.l2Contracts.l2AssetRouter, data: encodeTransferData({ assetId: assetX, amount, receiver: swapper }), attributes: [encodeIndirectCallAttribute(0n)] })
  const swap = (amountIn: bigint, inputCall: bigint) => ({ to: swapper, data: encodeSwapRequest({ assetIn: assetX, amountIn, assetOut: assetY, minOut: 0n, inputCall }) })
  const crafted = [
    // A swap of the swapper's balance with no input at all (its own call as the "input").
    { calls: [swap(500n, 0n)], refusal: 'InputNotReceived' },
    // 1 X delivered, 501 claimed.
    { calls: [toSwapper(1n), swap(501n, 0n)], refusal: 'InputNotReceived' },
    // 100 X delivered, swapped twice.
    { calls: [toSwapper(100n), swap(100n, 0n), swap(100n, 0n)], refusal: 'InputAlreadySwapped' },
    // An input that is not the transfer received last.
    { calls: [toSwapper(100n), toSwapper(100n), swap(100n, 0n)], refusal: 'InputNotReceived' },
  ]
  for (const { calls, refusal } of crafted) {
    const { bundleHash } = await sendBundle(alphaWallet, { destinationChainId: setup.beta.chainId, calls, interopCenter })
    const failure = await eventually(`bundle ${bundleHash} refused on beta`, async () => {
      const status = await getMessageStatus(index, { bundleHash })
      assert.notEqual(status.status, 'executed', `the crafted bundle with ${calls.length} calls executed`)
      return status.status === 'failed' ? status.failure : undefined
    }, { timeoutMs: 30_000 })
    assert.match(failure ?? '', new RegExp(refusal), `refused with ${refusal}`)
  }
  // Nor can anyone call the swapper directly: only the chain's gateway delivers to it.
  const beta = new ChainConnection(setup.beta)
  await rejectsWith(beta.write(setup.provider.privateKey, { address: swapper, abi: c.crossChainSwapperAbi, functionName: 'receiveMessage', args: [zeroHash, '0x', swap(500n, 0n).data] }), 'UnauthorizedGateway')

  assert.deepEqual(await swapperHoldings(), [500n, 0n], 'the stray X is still there, and nothing else arrived')
  assert.deepEqual(await readPool(setup), poolBefore, 'the pool did not move')
  assert.equal((await balances()).y, before.y, 'no Y came back to the sender')
})

test('an unbundler that executes both calls in one transaction gets the swap; the swap call in a later transaction is refused', async () => {
  const { assetX, assetY, swapper, user } = setup
  const alphaWallet = walletFor(setup.alpha, user.privateKey)
  const betaWallet = walletFor(setup.beta, user.privateKey)
  const onBeta = { chainId: setup.beta.chainId, address: user.address }
  // The execution address keeps the relayer away: the user, as unbundler on beta, decides.
  const attributes = [encodeExecutionAddressAttribute(onBeta), encodeUnbundlerAddressAttribute(onBeta)]
  const calls = [
    { to: network.manifest.l2Contracts.l2AssetRouter, data: encodeTransferData({ assetId: assetX, amount: 300n, receiver: swapper }), attributes: [encodeIndirectCallAttribute(0n)] },
    { to: swapper, data: encodeSwapRequest({ assetIn: assetX, amountIn: 300n, assetOut: assetY, minOut: 0n, inputCall: 0n }) },
  ]
  const send = () => sendBundle(alphaWallet, { destinationChainId: setup.beta.chainId, calls, attributes, interopCenter: network.manifest.l2Contracts.interopCenter })
  const [held] = await swapperHoldings()

  const together = await send()
  await waitForProof(index, together.bundleHash, 30_000)
  const { receipt } = await unbundle(betaWallet, index, { bundleHash: together.bundleHash, decisions: ['execute', 'execute'] })
  assert.ok(parseEventLogs({ abi: c.crossChainSwapperAbi, logs: receipt.logs, eventName: 'Swapped' }).length === 1, 'swapped')
  assert.deepEqual(await swapperHoldings(), [held, 0n])

  const apart = await send()
  await waitForProof(index, apart.bundleHash, 30_000)
  await unbundle(betaWallet, index, { bundleHash: apart.bundleHash, decisions: ['execute', 'leave'] })
  const refused = await rejectsWith(unbundle(betaWallet, index, { bundleHash: apart.bundleHash, decisions: ['leave', 'execute'] }), 'CallFailed')
  assert.match(refused.message, /InputNotReceived/)
  // The 300 X delivered without its swap stay with the swapper: nobody can swap them out (nor get them back).
  assert.deepEqual(await swapperHoldings(), [held! + 300n, 0n])
})
