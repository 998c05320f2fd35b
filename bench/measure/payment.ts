// The ISO 20022 payment (src/demo/paymentDemo.ts, docs/payments.md) between bank A and bank B: time from reading
// a pacs.008 to the creditor credited on bank B's chain (one hop) and to bank A holding the pacs.002 (bank B's
// answer executed on bank A's chain: there and back), p50 / p95 over payments
// made one after the other; payments per second with both banks busy (each pays the other at once, as fast as
// its operator's transactions are mined, until every answer is back); gas per leg (bank A's sendPayment; the
// relayer's transaction that executed the payment on bank B's chain and the answer on bank A's, which may
// carry other bundles: a mean, not a floor). Each payment's bundle carries the pacs.008 XML (the example: 1,730 bytes).
// Alone: `npx tsx bench/measure/payment.ts --payments 10 --busy 5` starts its own network with the private
// chains and measures bank-a → bank-b (the full bench measures alpha → beta on its network).
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { walletFor } from '../../src/chain/walletFor.js'
import * as c from '../../src/contracts/generated/index.js'
import { DEMO_BANKS, preparePaymentDemo, runPaymentDemo } from '../../src/demo/paymentDemo.js'
import { nodeManifest } from '../../src/network/privateChains.js'
import { startNetwork } from '../../src/network/startNetwork.js'
import type { NetworkManifest } from '../../src/network/types.js'
import { JunctionIndex } from '../../src/sdk/JunctionIndex.js'
import { sendIsoPayment } from '../../src/sdk/actions/sendIsoPayment.js'
import { summarize, type Summary } from '../../src/testing/load/stats.js'
import { mean } from './gas.js'

export type PaymentResult = {
  debtorChain: string
  creditorChain: string
  /** pacs.008 read → the creditor credited on bank B's chain (one cross-chain hop), payments one after the other (absent in results written before it was measured). */
  pacs008ToCreditMs?: Summary
  /** pacs.008 read → pacs.002 recorded at bank A (there and back), payments one after the other. */
  pacs008ToPacs002Ms: Summary
  /** Both banks paying each other at once: payments, and payments answered per second (first send → last answer). */
  busy: { payments: number; seconds: number; paymentsPerSecond: number }
  /** Mean gas per leg over the sequential payments. */
  gas: { sendPayment: number; executePayment: number; executeAnswer: number }
}

const EXAMPLE_UETR = 'eb6305c9-1f7f-49de-aed0-16487c27b42d'
const example = readFileSync(new URL('../../examples/payments/pacs008.xml', import.meta.url), 'utf8')
/** The example under a fresh UETR and `amount`, from bank A to bank B or (swapped agents and accounts) back. */
function message(amount: string, direction: 'aToB' | 'bToA'): string {
  let xml = example.replace(EXAMPLE_UETR, randomUUID()).replace('>1234.50<', `>${amount}<`)
  if (direction === 'bToA') {
    const swap = (x: string, y: string) => (xml = xml.split(x).join('\u0000').split(y).join(x).split('\u0000').join(y))
    swap(DEMO_BANKS.a.bic, DEMO_BANKS.b.bic)
    swap(DEMO_BANKS.a.customerAccount, DEMO_BANKS.b.customerAccount)
  }
  return xml
}

/** Sets both banks up, pays `sequential` payments one by one, then `busyPerBank` from each bank at once. */
export async function measurePayment(parameters: { manifest: NetworkManifest; index: JunctionIndex; sequential: number; busyPerBank: number; timeoutMs?: number }): Promise<PaymentResult> {
  const { manifest, index } = parameters
  const timeoutMs = parameters.timeoutMs ?? 120_000
  const setup = await preparePaymentDemo({ manifest, aliceBalance: 100_000_000n })
  const latencies: number[] = []
  const credited: number[] = []
  const gas = { sendPayment: [] as number[], executePayment: [] as number[], executeAnswer: [] as number[] }
  for (let i = 0; i < parameters.sequential; i++) {
    const run = await runPaymentDemo({ manifest, setup, xml: message('1.00', 'aToB'), index, timeoutMs })
    if (run.status !== 'ACSC') throw new Error(`payment bench: payment ${run.uetr} answered ${run.status} ${run.reason ?? ''}`)
    latencies.push(run.answeredMs)
    credited.push(run.creditedMs!)
    gas.sendPayment.push(Number(run.gas.sendPayment))
    if (run.gas.execution !== undefined) gas.executePayment.push(Number(run.gas.execution))
    if (run.gas.answer !== undefined) gas.executeAnswer.push(Number(run.gas.answer))
  }

  // Both banks busy: Bob gets bEUR to pay with, then each bank sends its payments as fast as they are mined.
  const b = new ChainConnection(setup.b.chain)
  await b.write(setup.b.operator.privateKey, { address: setup.b.paymentBank, abi: c.paymentBankAbi, functionName: 'issue', args: [setup.b.customer, 100_000_000n], action: 'issue bEUR' })
  await new ChainConnection(setup.a.chain).write(setup.a.operator.privateKey, { address: setup.a.paymentBank, abi: c.paymentBankAbi, functionName: 'setAccount', args: [setup.a.customer, 1], action: 'open Alice' })
  const started = performance.now()
  const sendAll = async (bank: typeof setup.a, direction: 'aToB' | 'bToA') => {
    const wallet = walletFor(bank.chain, bank.operator.privateKey)
    for (let i = 0; i < parameters.busyPerBank; i++) await sendIsoPayment(wallet, { xml: message('1.00', direction), directory: setup.directory, manifest })
  }
  await Promise.all([sendAll(setup.a, 'aToB'), sendAll(setup.b, 'bToA')])
  const held = (bank: typeof setup.a) => new ChainConnection(bank.chain).client.readContract({ address: bank.paymentBank, abi: c.paymentBankAbi, functionName: 'heldDebits' })
  const deadline = Date.now() + timeoutMs
  while ((await held(setup.a)) !== 0n || (await held(setup.b)) !== 0n) {
    if (Date.now() > deadline) throw new Error('payment bench: answers still pending after the timeout')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const seconds = (performance.now() - started) / 1000
  const payments = 2 * parameters.busyPerBank
  return {
    debtorChain: setup.a.chain.name,
    creditorChain: setup.b.chain.name,
    pacs008ToCreditMs: summarize(credited),
    pacs008ToPacs002Ms: summarize(latencies),
    busy: { payments, seconds: Math.round(seconds * 100) / 100, paymentsPerSecond: Math.round((payments / seconds) * 10) / 10 },
    gas: { sendPayment: Math.round(mean(gas.sendPayment)), executePayment: Math.round(mean(gas.executePayment)), executeAnswer: Math.round(mean(gas.executeAnswer)) },
  }
}

/** The figures as printed lines. */
export function paymentLines(r: PaymentResult): [string, string][] {
  return [
    [`ISO 20022 payment ${r.debtorChain} → ${r.creditorChain}, pacs.008 in → pacs.002 at bank A (there and back), ${r.pacs008ToPacs002Ms.count} payments one by one`, `p50 ${r.pacs008ToPacs002Ms.p50} / p95 ${r.pacs008ToPacs002Ms.p95} / max ${r.pacs008ToPacs002Ms.max} ms`],
    ...(r.pacs008ToCreditMs ? ([[`  pacs.008 in → creditor credited on bank B (one hop)`, `p50 ${r.pacs008ToCreditMs.p50} / p95 ${r.pacs008ToCreditMs.p95} / max ${r.pacs008ToCreditMs.max} ms`]] as [string, string][]) : []),
    [`  both banks busy (each pays the other at once), first send → last answer`, `${r.busy.paymentsPerSecond} payments/s (${r.busy.payments} payments in ${r.busy.seconds} s)`],
    [`  gas: sendPayment (bank A); execution of the payment on bank B / of the answer on bank A (relayer transactions, mean)`, `${r.gas.sendPayment}; ${r.gas.executePayment} / ${r.gas.executeAnswer}`],
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { payments: { type: 'string' }, busy: { type: 'string' } } })
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-payment-bench-'))
  const network = await startNetwork({ basePort: 0, dataDir, chains: 1, onGateway: ['alpha'], privateChains: 2 })
  try {
    // The banks' services reach their chains' nodes directly, as `junction demo payment` does.
    const manifest = nodeManifest(network.manifest)
    const index = new JunctionIndex(manifest, { store: network.services!.store, syncFromChains: false })
    console.log(`payment bench: load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
    const result = await measurePayment({ manifest, index, sequential: Number(values.payments ?? 10), busyPerBank: Number(values.busy ?? 5) })
    for (const [what, figure] of paymentLines(result)) console.log(`${what}: ${figure}`)
    console.log(`payment bench: load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  } finally {
    await network.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
