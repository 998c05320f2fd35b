import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { preparePaymentDemo, runPaymentDemo, type PaymentDemoSetup, type PaymentDemoStep } from '../../demo/paymentDemo.js'
import { JunctionError } from '../../errors/JunctionError.js'
import type { NetworkManifest } from '../../network/types.js'
import { unitsToAmount } from '../../payments/amounts.js'
import { fromStoredJson, toStoredJson } from '../../store/storedJson.js'
import type { Command } from '../runCommand.js'
import { parseOptions } from '../parseOptions.js'
import { indexFor, manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

/** The example pacs.008 shipped with Junction. */
export const EXAMPLE_PACS008 = fileURLToPath(new URL('../../../examples/payments/pacs008.xml', import.meta.url))

const LABELS: Record<PaymentDemoStep['name'], string> = {
  validated: 'validated',
  debited: 'debited on bank A',
  credited: 'credited on bank B',
  verified: 'verified by bank B',
}

function readMessage(file: string): string {
  if (!existsSync(file)) throw new JunctionError(`payment: no file ${file}`, { details: `Give a pacs.008.001.08 XML file, e.g. ${EXAMPLE_PACS008}.` })
  return readFileSync(file, 'utf8')
}

/** Pays `xml` between the banks of `setup`, printing each step with its time and the balances. */
async function pay(manifest: NetworkManifest, dataDir: string, setup: PaymentDemoSetup, xml: string): Promise<void> {
  const amount = (units: bigint) => `${unitsToAmount(units, setup.decimals)} ${setup.currency}`
  const result = await runPaymentDemo({
    manifest,
    setup,
    xml,
    index: indexFor(manifest, dataDir),
    onStep: (step) => console.log(`${new Date(step.at).toISOString()}  +${String(step.sinceStart).padStart(6)} ms  ${LABELS[step.name].padEnd(20)} ${step.detail}`),
  })
  const { before, after } = result
  console.log(`paid: UETR ${result.uetr}, ${amount(result.units)} in bundle ${result.bundleHash}`)
  console.log(`Alice (${setup.a.name}, ${setup.a.chain.name}): ${amount(before.alice)} → ${amount(after.alice)}; Bob (${setup.b.name}, ${setup.b.chain.name}): ${amount(before.bob)} → ${amount(after.bob)}`)
  console.log(`cash: ${setup.a.name} ${amount(before.cashA)} → ${amount(after.cashA)}; ${setup.b.name} ${amount(before.cashB)} → ${amount(after.cashB)}`)
  console.log(`gas: sendPayment ${result.gas.sendPayment} on ${setup.a.chain.name}; the transaction that executed the bundle on ${setup.b.chain.name} ${result.gas.execution ?? 'unknown'}`)
  console.log(`total: ${result.totalMs} ms from reading the message to bank B's check of it`)
}

const savedSetup = (dataDir: string) => join(dataDir, 'payment.json')

/**
 * `junction demo payment`: sets both banks up (fresh contracts) and pays a message; `junction pay --file`
 * pays a user's message between the banks the last `demo payment` set up.
 */
export async function runPaymentDemoCommand(values: { network?: string | undefined; 'data-dir'?: string | undefined; file?: string | undefined; 'debtor-chain'?: string | undefined; 'creditor-chain'?: string | undefined }): Promise<void> {
  const { manifest, dataDir } = manifestFrom(values)
  const xml = readMessage(values.file ?? EXAMPLE_PACS008)
  console.log("note: bank A and bank B run on public chains of this network until private chains exist; the XML itself stays off chain and is handed to bank B's service in this process.")
  const setup = await preparePaymentDemo({
    manifest,
    ...(values['debtor-chain'] ? { debtorChain: values['debtor-chain'] } : {}),
    ...(values['creditor-chain'] ? { creditorChain: values['creditor-chain'] } : {}),
    onProgress: (message) => console.log(`setup: ${message}`),
  })
  writeFileSync(savedSetup(dataDir), toStoredJson(setup))
  for (const bank of [setup.a, setup.b]) console.log(`setup: ${bank.name} ${bank.bic} on ${bank.chain.name}: PaymentBank ${bank.paymentBank}, deposit token ${bank.depositToken}, customer account ${bank.customerAccount} → ${bank.customer}`)
  await pay(manifest, dataDir, setup, xml)
}

export const payCommand: Command = {
  summary: 'pay an ISO 20022 pacs.008.001.08 between the banks of the last `demo payment`',
  usage: `Usage: junction pay --file FILE.xml

Validates the pacs.008.001.08 message (schema subset, docs/payments.md), checks it against the bank
directory of the last \`junction demo payment\` (BICs, accounts, currency, decimals), and pays it in one
bundle: the debtor debited on bank A's chain, the cash moved to bank B, the creditor credited on bank
B's chain. A refused message prints the path of the offending element; nothing is sent.

Options:
  --file FILE       the message                                   [required]
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('pay', args, { ...networkOptions, file: { type: 'string' } })
    if (!values.file) throw new JunctionError('pay: --file is required', { details: `Example: junction pay --file ${EXAMPLE_PACS008}` })
    const { manifest, dataDir } = manifestFrom(values)
    if (!existsSync(savedSetup(dataDir))) throw new JunctionError(`pay: no banks set up in ${dataDir}`, { details: 'Run `junction demo payment` first: it deploys bank A and bank B and their directory.' })
    const setup = fromStoredJson<PaymentDemoSetup>(readFileSync(savedSetup(dataDir), 'utf8'))
    await pay(manifest, dataDir, setup, readMessage(values.file))
  },
}
