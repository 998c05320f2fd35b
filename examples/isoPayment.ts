// An ISO 20022 pacs.008.001.08 paid between two banks on a running network (`npm start` first): sets up
// bank A on alpha and bank B on beta (PaymentBank, deposit token, cash from L1), then pays the message
// with the SDK: bank A sends it (one bundle), the relayer executes it on beta, bank B answers on chain
// (ACSC, or RJCT with a reason and the cash back), bank A prints the pacs.002, bank B reads the XML that
// came with the bundle from its chain and checks it. A bad message is refused with the path of the offending element.
// Run: npx tsx examples/isoPayment.ts [FILE.xml]   (default examples/payments/pacs008.xml; run it again with a new UETR)
import { readFileSync } from 'node:fs'
import { ChainConnection } from '../src/chain/ChainConnection.js'
import { walletFor } from '../src/chain/walletFor.js'
import { getIsoPaymentMessage, getPaymentStatusReport, JunctionIndex, loadManifest, PaymentMessageRefusedError, preparePaymentDemo, sendIsoPayment, verifyIsoPayment, waitForMessage } from '../src/sdk/index.js'

const manifest = loadManifest('.junction/network.json')
const xml = readFileSync(process.argv[2] ?? new URL('./payments/pacs008.xml', import.meta.url), 'utf8')
const setup = await preparePaymentDemo({ manifest, debtorChain: 'alpha', creditorChain: 'beta', onProgress: (message) => console.log(`setup: ${message}`) })
try {
  const sent = await sendIsoPayment(walletFor(setup.a.chain, setup.a.operator.privateKey), { xml, directory: setup.directory, manifest })
  const { uetr } = sent.instruction.message.transaction
  console.log(`bank A sent UETR ${uetr} (${sent.instruction.units} units, deadline ${sent.deadline.deadline}) in bundle ${sent.bundleHash}`)
  await waitForMessage(new JunctionIndex(manifest), { bundleHash: sent.bundleHash })
  const answer = await getPaymentStatusReport(new ChainConnection(setup.a.chain).client, { xml, directory: setup.directory, manifest, timeoutMs: 60_000 })
  console.log(`bank B answered ${answer.status}${answer.report?.reason ? ` ${answer.report.reason}` : ''}; the pacs.002 bank A holds:\n${answer.xml}`)
  if (answer.status !== 'ACSC') process.exit(3)
  const bankB = new ChainConnection(setup.b.chain).client
  const delivered = await getIsoPaymentMessage(bankB, { paymentBank: setup.b.paymentBank, uetr })
  if (!delivered) throw new Error(`no message for ${uetr} on ${setup.b.chain.name}`)
  const { received } = await verifyIsoPayment(bankB, { xml: delivered.xml, directory: setup.directory, manifest })
  console.log(`bank B credited ${received.customer} with ${received.amount} units; the message that came with the bundle matches hash ${received.messageHash}`)
} catch (error) {
  if (error instanceof PaymentMessageRefusedError) console.error(`refused (${error.refusal}) at ${error.path}: ${error.reason}`)
  else throw error
}
