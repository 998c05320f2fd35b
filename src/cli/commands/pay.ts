import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { preparePaymentDemo, runPaymentDemo, type PaymentDemoSetup, type PaymentDemoStep } from '../../demo/paymentDemo.js'
import { JunctionError } from '../../errors/JunctionError.js'
import { PaymentRejectedError } from '../../errors/payments.js'
import type { NetworkManifest } from '../../network/types.js'
import { unitsToAmount } from '../../payments/amounts.js'
import { fromStoredJson, toStoredJson } from '../../store/storedJson.js'
import type { Command } from '../runCommand.js'
import { parseOptions } from '../parseOptions.js'
import { indexFor, manifestFrom, networkOptions, networkOptionsUsage } from './common.js'
import { printFeeQuotes } from '../printFeeQuotes.js'

/** The example pacs.008 shipped with Junction. */
export const EXAMPLE_PACS008 = fileURLToPath(new URL('../../../examples/payments/pacs008.xml', import.meta.url))

const LABELS: Record<PaymentDemoStep['name'], string> = {
  validated: 'validated',
  debited: 'debited on bank A',
  credited: 'credited on bank B',
  rejected: 'rejected by bank B',
  answered: 'pacs.002 at bank A',
  verified: 'verified by bank B',
}

function readMessage(file: string): string {
  if (!existsSync(file)) throw new JunctionError(`payment: no file ${file}`, { details: `Give a pacs.008.001.08 XML file, e.g. ${EXAMPLE_PACS008}.` })
  return readFileSync(file, 'utf8')
}

/** Pays `xml` between the banks of `setup`, printing each step with its time and the balances. */
async function pay(manifest: NetworkManifest, dataDir: string, setup: PaymentDemoSetup, xml: string): Promise<'ACSC' | 'RJCT'> {
  const amount = (units: bigint) => `${unitsToAmount(units, setup.decimals)} ${setup.currency}`
  const result = await runPaymentDemo({
    manifest,
    setup,
    xml,
    index: indexFor(manifest, dataDir),
    onStep: (step) => console.log(`${new Date(step.at).toISOString()}  +${String(step.sinceStart).padStart(6)} ms  ${LABELS[step.name].padEnd(20)} ${step.detail}`),
  })
  const { before, after } = result
  console.log(`pacs.008 in:\n${xml.trimEnd()}`)
  console.log(`pacs.002 out (bank A's record under the UETR):\n${result.statusReport.trimEnd()}`)
  if (result.status === 'ACSC') console.log(`paid: UETR ${result.uetr}, ${amount(result.units)} in bundle ${result.bundleHash}`)
  else console.log(`rejected: UETR ${result.uetr}, ${amount(result.units)}, reason ${result.reason}: nothing moved (bundle ${result.bundleHash}, answer ${result.answerBundleHash})`)
  console.log(`Alice (${setup.a.name}, ${setup.a.chain.name}): ${amount(before.alice)} → ${amount(after.alice)}; Bob (${setup.b.name}, ${setup.b.chain.name}): ${amount(before.bob)} → ${amount(after.bob)}`)
  console.log(`cash: ${setup.a.name} ${amount(before.cashA)} → ${amount(after.cashA)}; ${setup.b.name} ${amount(before.cashB)} → ${amount(after.cashB)}`)
  console.log(`gas: sendPayment ${result.gas.sendPayment} on ${setup.a.chain.name}; the transaction that executed the payment on ${setup.b.chain.name} ${result.gas.execution ?? 'unknown'}; the one that executed the answer on ${setup.a.chain.name} ${result.gas.answer ?? 'unknown'}`)
  console.log(`total: ${result.answeredMs} ms from reading the pacs.008 to the pacs.002 at bank A`)
  await printFeeQuotes(indexFor(manifest, dataDir), [{ label: setup.a.name, chainId: setup.a.chain.chainId, transactionHash: result.transactionHash }])
  return result.status
}

const savedSetup = (dataDir: string) => join(dataDir, 'payment.json')

/**
 * `junction demo payment`: sets both banks up (fresh contracts) and pays a message; `junction pay --file`
 * pays a user's message between the banks the last `demo payment` set up.
 */
export async function runPaymentDemoCommand(values: { network?: string | undefined; 'data-dir'?: string | undefined; file?: string | undefined; 'debtor-chain'?: string | undefined; 'creditor-chain'?: string | undefined }): Promise<number> {
  const { manifest, dataDir } = manifestFrom(values)
  const xml = readMessage(values.file ?? EXAMPLE_PACS008)
  const setup = await preparePaymentDemo({
    manifest,
    ...(values['debtor-chain'] ? { debtorChain: values['debtor-chain'] } : {}),
    ...(values['creditor-chain'] ? { creditorChain: values['creditor-chain'] } : {}),
    onProgress: (message) => console.log(`setup: ${message}`),
  })
  writeFileSync(savedSetup(dataDir), toStoredJson(setup))
  console.log(`note: bank A on ${setup.a.chain.name} and bank B on ${setup.b.chain.name}${setup.a.chain.private && setup.b.chain.private ? " (private chains: this command plays the banks' payment services on their nodes; customers read their own deposits through the permissioned RPC)" : ' (public chains: start the network with private chains for bank-a and bank-b)'}; the XML itself stays off chain and is handed to bank B's service in this process.`)
  for (const bank of [setup.a, setup.b]) console.log(`setup: ${bank.name} ${bank.bic} on ${bank.chain.name}: PaymentBank ${bank.paymentBank}, deposit token ${bank.depositToken}, customer account ${bank.customerAccount} → ${bank.customer}`)
  return (await pay(manifest, dataDir, setup, xml)) === 'ACSC' ? 0 : REJECTED_EXIT_CODE
}

/** Pays the message in `file` between the banks the last `demo payment` set up; exit code 0 on ACSC, 3 on RJCT. */
async function sendFile(command: string, values: { network?: string | undefined; 'data-dir'?: string | undefined }, file: string): Promise<number> {
  const { manifest, dataDir } = manifestFrom(values)
  if (!existsSync(savedSetup(dataDir))) throw new JunctionError(`${command}: no banks set up in ${dataDir}`, { details: 'Run `junction demo payment` first: it deploys bank A and bank B and their directory.' })
  const setup = fromStoredJson<PaymentDemoSetup>(readFileSync(savedSetup(dataDir), 'utf8'))
  try {
    return (await pay(manifest, dataDir, setup, readMessage(file))) === 'ACSC' ? 0 : REJECTED_EXIT_CODE
  } catch (error) {
    if (!(error instanceof PaymentRejectedError)) throw error
    console.log(`pacs.002 out (bank A refused it before sending; nothing was sent):\n${error.statusReport.trimEnd()}`)
    console.error(`${error.message}\n${error.details ?? ''}`)
    return REJECTED_EXIT_CODE
  }
}

/** The exit code of a payment bank B rejected (RJCT): it ran, and nothing moved. */
const REJECTED_EXIT_CODE = 3

const sendUsage = `Validates the pacs.008.001.08 message (schema subset, docs/payments.md), checks it against the bank
directory of the last \`junction demo payment\` (BICs, accounts, currency, decimals), and pays it in one
bundle: the debtor debited (and held) on bank A's chain, the cash moved to bank B, the creditor credited on
bank B's chain; bank B answers on chain, and the pacs.002 status report built from bank A's record is
printed: ACSC (exit code 0), or RJCT with its ISO reason code (exit code ${REJECTED_EXIT_CODE}; the cash came back and the
debtor was re-credited). A message refused before sending prints the path of the offending element;
nothing is sent (exit code 1).`

export const paymentCommand: Command = {
  summary: 'ISO 20022 payments: `payment send FILE.xml` pays a pacs.008.001.08 between the banks of the last `demo payment` and prints the pacs.002',
  usage: `Usage: junction payment send FILE.xml

${sendUsage}

Examples: examples/payments/pacs008.xml (accepted), examples/payments/pacs008-rejected.xml (RJCT AC03).

Options:
${networkOptionsUsage}`,
  async run(args) {
    const { values, positionals } = parseOptions('payment', args, { ...networkOptions }, true)
    const [sub, file, ...extra] = positionals
    if (sub !== 'send' || !file || extra.length > 0) throw new JunctionError(`payment: expected \`payment send FILE.xml\`, got \`payment ${positionals.join(' ')}\``, { details: `Example: junction payment send ${EXAMPLE_PACS008}` })
    return sendFile('payment send', values, file)
  },
}

export const payCommand: Command = {
  summary: 'pay an ISO 20022 pacs.008.001.08 between the banks of the last `demo payment` (alias of `payment send`)',
  usage: `Usage: junction pay --file FILE.xml   (the same as junction payment send FILE.xml)

${sendUsage}

Options:
  --file FILE       the message                                   [required]
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('pay', args, { ...networkOptions, file: { type: 'string' } })
    if (!values.file) throw new JunctionError('pay: --file is required', { details: `Example: junction pay --file ${EXAMPLE_PACS008}` })
    return sendFile('pay', values, values.file)
  },
}
