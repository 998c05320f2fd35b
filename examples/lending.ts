// L1 lending from a ZK chain with one signature, on a running network (`npm start` first): deploys a
// lending pool on L1, then the user on alpha signs ONE transaction: a bundle to L1, run from the user's
// alias account there, deposits 1 ETH as collateral, borrows 1,000 JUSD and bridges it back to alpha.
// Then it repays and brings the collateral back. Prints each step with its time since the signature.
// Run: npx tsx examples/lending.ts
import { loadManifest, prepareLendingDemo, runLendingDemo, runLendingRepay } from '../src/sdk/index.js'

const manifest = loadManifest('.junction/network.json')
const setup = await prepareLendingDemo({ manifest, onProgress: (message) => console.log(`setup: ${message}`) })
const print = (step: { at: number; sinceSignature: number; name: string; detail: string }) => console.log(`${new Date(step.at).toISOString()}  +${step.sinceSignature} ms  ${step.name}: ${step.detail}`)
const borrowed = await runLendingDemo({ manifest, setup, onStep: print })
console.log(`${borrowed.outcome}: total ${borrowed.totalMs} ms, L1 gas of the bundle ${borrowed.l1ExecutionGas}`)
if (borrowed.outcome === 'borrowed') {
  const back = await runLendingRepay({ manifest, setup, onStep: print })
  console.log(`repaid ${back.repaid}, ${back.collateralReturned} wei back: total ${back.totalMs} ms`)
}
