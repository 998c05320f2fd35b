// The one-click cross-chain swap on a running network (`npm start` first): sets up tokens, a pool and
// a swapper on beta, then the user signs ONE transaction on alpha; X goes to beta, is swapped for Y,
// and Y comes back to alpha. Prints each step with its time since the signature.
// Run: npx tsx examples/crossChainSwap.ts [minOut]   (a minOut above the quote shows the refund)
import { loadManifest, runSwapDemo } from '../src/sdk/index.js'

const manifest = loadManifest('.junction/network.json')
const minOut = process.argv[2] === undefined ? undefined : BigInt(process.argv[2])
const result = await runSwapDemo({
  manifest,
  amount: 1_000n,
  ...(minOut === undefined ? {} : { minOut }),
  prepare: { onProgress: (message) => console.log(`setup: ${message}`) },
  onStep: (step) => console.log(`${new Date(step.at).toISOString()}  +${step.sinceSignature} ms  ${step.name}: ${step.detail}`),
})
console.log(result.outcome === 'swapped' ? `swapped ${result.amountIn} X for ${result.amountOut} Y` : `refunded ${result.refunded} X (${result.refundReason})`)
console.log(`total: ${result.totalMs} ms`)
