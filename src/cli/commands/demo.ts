import { JunctionError } from '../../errors/JunctionError.js'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseEther } from 'viem'
import { prepareLendingDemo, runLendingDemo, runLendingRepay, type LendingDemoSetup, type LendingDemoStep } from '../../demo/lendingDemo.js'
import { DVP_SCENARIOS, prepareDvpDemo, runDvpDemo, type DvpScenario } from '../../demo/dvpDemo.js'
import { runSwapDemo, type SwapDemoStep } from '../../demo/swapDemo.js'
import { INSTRUCTION_SCENARIOS, prepareInstructionDemo, runInstructionDemo, type InstructionScenario } from '../../demo/instructionDemo.js'
import { runPaymentDemoCommand } from './pay.js'
import { fromStoredJson, toStoredJson } from '../../store/storedJson.js'
import type { Command } from '../runCommand.js'
import { parseOptions } from '../parseOptions.js'
import { indexFor, manifestFrom, networkOptions, networkOptionsUsage } from './common.js'
import { printFeeQuotes } from '../printFeeQuotes.js'

function wholeOption(name: string, value: string | undefined, positive: boolean): bigint | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || (positive && BigInt(value) === 0n)) throw new JunctionError(`demo: --${name} must be a ${positive ? 'positive' : 'non-negative'} whole number, got "${value}"`)
  return BigInt(value)
}

const STEP_LABELS: Record<SwapDemoStep['name'], string> = {
  signed: 'signed & sent',
  burned: 'X burned',
  executed: 'executed on destination',
  'return-sent': 'return bundle sent',
  arrived: 'arrived',
}

export const demoCommand: Command = {
  summary: 'demos on a running network: `demo swap` (one-click cross-chain swap), `demo lending` (L1 lending from L2), `demo dvp` (delivery versus payment), `demo payment` (ISO 20022 pacs.008 between two banks), `demo instruction` (an instruction three banks must approve, synced across their chains)',
  usage: `Usage: junction demo swap [options]
       junction demo lending [--chain C] [--collateral WEI] [--borrow N] | --repay
       junction demo dvp [--scenario S]
       junction demo payment [--file FILE.xml] [--debtor-chain C] [--creditor-chain C]
       junction demo instruction [--scenario S] [--banks C1,C2,C3]

The one-click cross-chain swap: sets up tokens X and Y, a constant-product pool and a swapper on the
second chain, gives the user X on the first chain; then the user signs ONE transaction that moves X to
the second chain, swaps it there for Y and brings Y back. Prints each step with its time. With a
--min-out above the pool's quote the swap fails and X comes back (automatic refund).

Options:
  --amount N        X to swap                                    [default: 1000]
  --min-out N       least Y accepted                             [default: the quote minus 0.5%]

The lending round trip (L1 from L2 with one signature): deploys a lending pool, its stablecoin (JUSD)
and price oracle on L1, bridges ETH to the user on the chain; then the user signs ONE transaction on
the chain: a bundle to L1, run from the user's alias account there, that deposits the ETH sent with
it as collateral, borrows JUSD and bridges it back; JUSD arrives on the chain as the canonical bridged
token. Over the pool's limit the calls revert together and the ETH stays in the alias account.
--repay repays the last position and brings the collateral back (two signatures on the chain).

  --chain C         the user's chain                             [default: the first chain]
  --collateral WEI  ETH sent as collateral                       [default: 1 ETH]
  --borrow N        JUSD to borrow, 18 decimals (1 = 10^18)      [default: 1000 JUSD]
  --repay           repay the position of the last \`demo lending\`

Delivery versus payment (docs/flows.md): a bond with an allow-list of holders on the first chain against
cash (an L1 stablecoin through the shared bridge) on the second, as one atomic flow with a deadline: both
legs are released, or every locked leg is refunded. Runs the settlement and its failure paths (the seller
never locks: the buyer is refunded after the deadline; the seller locks a wrong amount: both refunded),
printing each step with its time.

  --scenario S      settle, seller-absent, wrong-amount, or all  [default: all]

The ISO 20022 cross-border payment (docs/payments.md): deploys bank A and bank B (a PaymentBank and its
deposit token on each bank's chain, cash from L1), then pays a pacs.008.001.08 in one bundle: Alice
debited (and held) on bank A's chain, the cash moved to bank B, Bob credited on bank B's chain; bank B
answers on chain (ACSC, or RJCT with an ISO reason code and the cash sent back) and the pacs.002 is built
from bank A's record; bank B's service checks the XML handed to it against its chain. Prints both messages
and each step with its time. \`junction payment send FILE.xml\` (or \`junction pay --file\`) then pays your
own messages between the same banks.

  --file FILE       the message                 [default: examples/payments/pacs008.xml]
  --debtor-chain C  bank A's chain              [default: bank-a if the network has it, else the first chain]
  --creditor-chain C bank B's chain             [default: bank-b if the network has it, else the second chain]

Multi-bank instruction sync (docs/instructions.md): a syndicated loan payment that three banks must each
approve and confirm before its expiry, one copy in each bank's InstructionBook on its own chain, kept in step
by interop messages. Bank 1 proposes; \`execute\`: all three approve, then confirm, and every copy executes,
each bank paying the borrower its share on its chain; \`cancel\`: bank 2 approves while bank 3 cancels, and every copy ends cancelled. Prints each step
with its time.

  --scenario S      execute, cancel, or all                      [default: all]
  --banks C1,C2,C3  the banks' chains            [default: the private chains, then the public ones]
${networkOptionsUsage}`,
  async run(args) {
    const { values, positionals } = parseOptions(
      'demo',
      args,
      { ...networkOptions, amount: { type: 'string' }, 'min-out': { type: 'string' }, chain: { type: 'string' }, collateral: { type: 'string' }, borrow: { type: 'string' }, repay: { type: 'boolean' }, scenario: { type: 'string' }, file: { type: 'string' }, 'debtor-chain': { type: 'string' }, 'creditor-chain': { type: 'string' }, banks: { type: 'string' } },
      true,
    )
    const [which, ...extra] = positionals
    if ((which !== 'swap' && which !== 'lending' && which !== 'dvp' && which !== 'payment' && which !== 'instruction') || extra.length > 0) {
      throw new JunctionError(`demo: unknown demo "${[which, ...extra].filter(Boolean).join(' ')}"`, { details: 'Demos: swap, lending, dvp, payment, instruction. Example: junction demo swap --amount 1000' })
    }
    if (which === 'instruction') return runInstruction(values)
    if (which === 'payment') return runPaymentDemoCommand(values)
    if (which === 'lending') return runLending(values)
    if (which === 'dvp') return runDvp(values)
    const amount = wholeOption('amount', values.amount, true) ?? 1_000n
    const minOut = wholeOption('min-out', values['min-out'], false)
    const { manifest, dataDir } = manifestFrom(values)
    const result = await runSwapDemo({
      manifest,
      index: indexFor(manifest, dataDir),
      amount,
      ...(minOut === undefined ? {} : { minOut }),
      prepare: { onProgress: (message) => console.log(`setup: ${message}`) },
      onStep: (step) => console.log(`${new Date(step.at).toISOString()}  +${String(step.sinceSignature).padStart(6)} ms  ${STEP_LABELS[step.name].padEnd(24)} ${step.detail}`),
    })
    console.log(
      result.outcome === 'swapped'
        ? `swapped: ${result.amountIn} X → ${result.amountOut} Y on ${result.setup.alpha.name} (quote ${result.quote}, min ${result.minOut})`
        : `refunded: the swap failed on ${result.setup.beta.name} (${result.refundReason ?? 'unknown reason'}); ${result.refunded} X back on ${result.setup.alpha.name}`,
    )
    console.log(`total: ${result.totalMs} ms from signature to ${result.outcome === 'swapped' ? 'Y' : 'the refunded X'} on ${result.setup.alpha.name}`)
    await printFeeQuotes(indexFor(manifest, dataDir), [{ label: 'the user', chainId: result.setup.alpha.chainId, transactionHash: result.transactionHash }])
  },
}

const printStep = (step: LendingDemoStep) => console.log(`${new Date(step.at).toISOString()}  +${String(step.sinceSignature).padStart(6)} ms  ${step.name.padEnd(32)} ${step.detail}`)

async function runLending(values: { network?: string | undefined; 'data-dir'?: string | undefined; chain?: string | undefined; collateral?: string | undefined; borrow?: string | undefined; repay?: boolean | undefined }): Promise<void> {
  const { manifest, dataDir } = manifestFrom(values)
  const saved = join(dataDir, 'lending.json')
  console.log('note: batches are accepted by a DEVELOPMENT verifier (not a zero-knowledge proof); the bundle is proven on L1 with Merkle proofs against L1\'s root history.')
  if (values.repay) {
    if (!existsSync(saved)) throw new JunctionError(`demo lending --repay: no position to repay in ${saved}`, { details: 'Run `junction demo lending` first.' })
    const setup = fromStoredJson<LendingDemoSetup>(readFileSync(saved, 'utf8'))
    const back = await runLendingRepay({ manifest, setup, index: indexFor(manifest, dataDir), onStep: printStep })
    console.log(`repaid: ${back.repaid} JUSD; ${back.collateralReturned} wei of collateral back on ${setup.chain.name}`)
    console.log(`total: ${back.totalMs} ms from the first signature to the ETH on ${setup.chain.name}; L1 gas: finalize ${back.l1Gas.finalizeWithdrawal}, bundle ${back.l1Gas.bundle}`)
    await printFeeQuotes(indexFor(manifest, dataDir), [{ label: 'the user', chainId: setup.chain.chainId, transactionHash: back.bundleTransactionHash }])
    return
  }
  const collateral = wholeOption('collateral', values.collateral, true) ?? parseEther('1')
  const borrow = wholeOption('borrow', values.borrow, true) ?? parseEther('1000')
  const setup = await prepareLendingDemo({ manifest, ...(values.chain ? { chainName: values.chain } : {}), bridgeEth: collateral * 2n + parseEther('1'), onProgress: (message) => console.log(`setup: ${message}`) })
  console.log(`setup: the user ${setup.user.address} on ${setup.chain.name}; its alias account on L1 is ${setup.alias}`)
  const result = await runLendingDemo({ manifest, setup, collateral, borrow, onStep: printStep })
  if (result.outcome === 'borrowed') {
    writeFileSync(saved, toStoredJson(setup))
    console.log(`borrowed: ${borrow} JUSD against ${collateral} wei; position of the alias account: collateral ${result.position.collateral}, debt ${result.position.debt}`)
  } else {
    console.log(`failed: ${result.failure}; the ${collateral} wei wait in the alias account ${setup.alias} for the owner's next bundle`)
  }
  console.log(`total: ${result.totalMs} ms from signature to ${result.outcome === 'borrowed' ? 'JUSD' : 'the failure'}; L1 gas of the bundle: ${result.l1ExecutionGas}`)
  await printFeeQuotes(indexFor(manifest, dataDir), [{ label: 'the user', chainId: setup.chain.chainId, transactionHash: result.transactionHash }])
}

async function runDvp(values: { network?: string | undefined; 'data-dir'?: string | undefined; scenario?: string | undefined }): Promise<void> {
  const chosen = values.scenario ?? 'all'
  if (chosen !== 'all' && !(DVP_SCENARIOS as readonly string[]).includes(chosen)) {
    throw new JunctionError(`demo dvp: unknown scenario "${chosen}"`, { details: `Scenarios: ${DVP_SCENARIOS.join(', ')}, all.` })
  }
  const scenarios: DvpScenario[] = chosen === 'all' ? [...DVP_SCENARIOS] : [chosen as DvpScenario]
  const { manifest, dataDir } = manifestFrom(values)
  const index = indexFor(manifest, dataDir)
  const setup = await prepareDvpDemo({ manifest, onProgress: (message) => console.log(`setup: ${message}`) })
  for (const scenario of scenarios) {
    console.log(`\n== ${scenario} ==`)
    const result = await runDvpDemo({ manifest, setup, index, scenario, onStep: (step) => console.log(`${new Date(step.at).toISOString()}  +${String(step.sinceStart).padStart(6)} ms  ${step.name.padEnd(18)} ${step.detail}`) })
    const { before, after } = result
    console.log(`${result.outcome}: seller bonds ${before.sellerBonds} → ${after.sellerBonds}, cash ${before.sellerCash} → ${after.sellerCash}; buyer bonds ${before.buyerBonds} → ${after.buyerBonds}, cash ${before.buyerCash} → ${after.buyerCash}`)
    const { createFlow, buyerLock, sellerLock } = result.transactions
    await printFeeQuotes(index, [
      { label: 'the buyer creates the flow', chainId: setup.cashChain.chainId, transactionHash: createFlow },
      { label: 'the buyer locks the cash', chainId: setup.cashChain.chainId, transactionHash: buyerLock },
      ...(sellerLock ? [{ label: 'the seller locks the bonds', chainId: setup.bondChain.chainId, transactionHash: sellerLock }] : []),
    ])
  }
}

async function runInstruction(values: { network?: string | undefined; 'data-dir'?: string | undefined; scenario?: string | undefined; banks?: string | undefined }): Promise<void> {
  const chosen = values.scenario ?? 'all'
  if (chosen !== 'all' && !(INSTRUCTION_SCENARIOS as readonly string[]).includes(chosen)) {
    throw new JunctionError(`demo instruction: unknown scenario "${chosen}"`, { details: `Scenarios: ${INSTRUCTION_SCENARIOS.join(', ')}, all.` })
  }
  const chains = values.banks?.split(',').map((name) => name.trim())
  if (chains && chains.length !== 3) throw new JunctionError(`demo instruction: --banks names ${chains.length} chain(s)`, { details: 'Name three chains, e.g. --banks bank-a,bank-b,alpha.' })
  const { manifest, dataDir } = manifestFrom(values)
  const index = indexFor(manifest, dataDir)
  const setup = await prepareInstructionDemo({ manifest, ...(chains ? { chains } : {}), onProgress: (message) => console.log(`setup: ${message}`) })
  console.log(`setup: banks on ${setup.banks.map((bank) => bank.chain.name).join(', ')}; the borrower ${setup.payee}`)
  for (const scenario of chosen === 'all' ? [...INSTRUCTION_SCENARIOS] : [chosen as InstructionScenario]) {
    console.log(`\n== ${scenario} ==`)
    const result = await runInstructionDemo({ manifest, setup, index, scenario, onStep: (step) => console.log(`${new Date(step.at).toISOString()}  +${String(step.sinceProposal).padStart(6)} ms  ${step.name.padEnd(20)} ${step.detail}`) })
    console.log(`${result.outcome}: the borrower's balance on ${setup.banks.map((bank, i) => `${bank.chain.name} ${result.payeeBefore[i]} → ${result.payeeAfter[i]}`).join(', ')}`)
    await printFeeQuotes(index, result.transactions.map(({ bank, chainId, transactionHash }) => ({ label: `bank ${bank}`, chainId, transactionHash })))
  }
}
