// The one-click cross-chain swap end to end (contracts/examples, src/demo/swapDemo.ts): the user signs
// one bundle on alpha; X is swapped for Y in a pool on beta and Y comes back to alpha, or, when the
// swap fails on slippage, X comes back in full (automatic refund).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { erc20Abi } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { bridgedBalance, prepareSwapDemo, readPool, runSwapDemo, type SwapDemoSetup } from '../../src/demo/swapDemo.js'
import { JunctionIndex } from '../../src/sdk/index.js'
import { startTestNetwork } from '../support/testNetwork.js'

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
