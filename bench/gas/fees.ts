// `npx tsx bench/gas/fees.ts [gwei] [usdPerEth]`: what interop fees cost (docs/fees.md), from the measured gas
// snapshot (test/contracts/gas-snapshot.json, written by `npm run gas`): the gas overhead of paying and claiming
// a fee per message, and the cost of one message at 1, 10 and 100 messages per batch, in dollars at a gas price
// (default 1 gwei) and an ETH price (default $3,000), next to the seed's "< $0.001 per message".
import { quoteInteropFee } from '../../src/protocol/index.js'
import { readSnapshot } from './snapshot.js'

const gwei = Number(process.argv[2] ?? 1)
const usdPerEth = Number(process.argv[3] ?? 3_000)
const gas = readSnapshot()
const figure = (name: string) => {
  const value = gas[name]
  if (value === undefined) throw new Error(`no figure "${name}" in the gas snapshot: run npm run gas`)
  return value
}
const usd = (g: number) => (g * gwei * 1e-9 * usdPerEth).toFixed(4)

// Source chain: what paying a fee adds to a send, a top-up, a claim.
const plainSend = figure('InteropCenter.sendMessage (32 B)')
const paidSend = figure('InteropCenter.sendMessage (32 B, paying a fee)')
const claim = figure('InteropCenter.claimFee')
console.log(`Gas overhead of fees per message (measured, ${gwei} gwei, $${usdPerEth}/ETH):`)
console.log(`  paying with the send      ${(paidSend - plainSend).toLocaleString('en').padStart(8)} gas  $${usd(paidSend - plainSend)}  (sendMessage 32 B: ${plainSend.toLocaleString('en')} → ${paidSend.toLocaleString('en')})`)
console.log(`  top-up                    ${figure('InteropCenter.topUpFee').toLocaleString('en').padStart(8)} gas  $${usd(figure('InteropCenter.topUpFee'))}`)
console.log(`  claiming (one per bundle) ${claim.toLocaleString('en').padStart(8)} gas  $${usd(claim)}  (proof of the execution record + the payment)`)

// The cost of one 32-byte message at N per batch: its execution on the destination (alone, or its share of an
// executeBundles of N), its share of its batch's settlement on L1 (commit, prove, execute of the measured
// 121-message batch, shared by N), the fee overhead on the source (paying and claiming).
const settlement =
  figure('ChainSettlement.commitBatches (1 batch, 121 messages, 4 priority requests)') +
  figure('ChainSettlement.proveBatches (1 batch, 121 messages, 4 priority requests)') +
  figure('ChainSettlement.executeBatches (1 batch, 121 messages, 4 priority requests)')
const execution: Record<number, number> = {
  1: figure('InteropHandler.executeBundle (sendMessage 32 B)'),
  10: figure('InteropHandler.executeBundles (10 bundles of sendMessage 32 B), per bundle'),
  100: figure('InteropHandler.executeBundles (100 bundles of sendMessage 32 B), per bundle'),
}
console.log(`\nOne 32-byte message at N messages per batch (gas; $ at ${gwei} gwei and $${usdPerEth}/ETH; the seed: < $0.001):`)
console.log('  N    execution  settlement share  pay + claim      total      $ total   $ without fees   quoted fee ($)')
for (const n of [1, 10, 100]) {
  const share = Math.round(settlement / n)
  const fees = paidSend - plainSend + claim
  const total = execution[n]! + share + fees
  // What estimateInteropFee would quote for it: its execution gas as the model puts it (the example's 512-byte
  // bundle and a recipient of ~2,000 gas), the claim on the source and settlement at the same price, +10%.
  const quoted = quoteInteropFee({ gasLimit: 65_000n + 4_500n + 18n * 512n + 2_000n, payloadBytes: 512n, executionWeiPerGas: BigInt(Math.round(gwei * 1e9)), settlementWeiPerGas: BigInt(Math.round(gwei * 1e9)), sourceWeiPerGas: BigInt(Math.round(gwei * 1e9)) })
  console.log(
    `  ${String(n).padEnd(4)} ${execution[n]!.toLocaleString('en').padStart(9)}  ${share.toLocaleString('en').padStart(16)}  ${fees.toLocaleString('en').padStart(11)}  ${total.toLocaleString('en').padStart(9)}  ${usd(total).padStart(10)}  ${usd(total - fees).padStart(15)}   ${(Number(quoted) * 1e-18 * usdPerEth).toFixed(4)}`,
  )
}
const budget = Math.floor(0.001 / (gwei * 1e-9 * usdPerEth))
console.log(`\n$0.001 buys ${budget.toLocaleString('en')} gas at ${gwei} gwei: the seed's figure needs a gas price near ${((0.001 / ((execution[100]! + Math.round(settlement / 100)) * 1e-9 * usdPerEth))).toFixed(3)} gwei for a message batched by 100 without a fee, or a cheaper claim (claims in batches).`)
