// The explorer on a network with real private chains (bank-a and bank-b: their InteropCenters blind their
// bundles' leaves, docs/protocol.md §4.1, and their permissioned RPCs are the network's own), in Chromium: a
// message sent from bank-a is not found before sign-in and, signed in as its sender, its page says that its
// leaf is blinded; a payment from bank-a to bank-b shows whole to the chains' auditor (signed in with a
// browser wallet) and not at all to a member. The explorer is given the raw nodes (the manifest's services
// part) behind counting relays: they get nothing.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { toHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { devAccount } from '../../src/chain/devAccounts.js'
import { preparePaymentDemo } from '../../src/demo/paymentDemo.js'
import type { NetworkManifest } from '../../src/network/types.js'
import { PRIVIDIUM_DEV_ROLES } from '../../src/prividium/defaultConfig.js'
import { createExplorer, type ExplorerServer } from '../../src/explorer/ExplorerServer.js'
import { nodeManifest } from '../../src/network/privateChains.js'
import { blindedBundleCommitment } from '../../src/protocol/index.js'
import { sendIsoPayment, sendMessage } from '../../src/sdk/index.js'
import { openStore, type Store } from '../../src/store/openStore.js'
import { startCountingRelay, type CountingRelay } from '../prividium/support/privateChain.js'
import { launchBrowser, openWithWallet, signIn, signInWithWallet } from '../support/explorerPage.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

const SCREENSHOTS = join(process.cwd(), 'test-results', 'explorer')

let network: Awaited<ReturnType<typeof startTestNetwork>>
let explorer: ExplorerServer
let store: Store
let browser: Browser
/** The private chains' raw nodes as the explorer's manifest names them (its services part): counting relays. */
const rawNodes: CountingRelay[] = []

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  network = await startTestNetwork({ chains: 1, privateChains: 2 })
  store = openStore(join(network.dataDir, 'junction.db'))
  const privateNodes: Record<string, { rpcUrl: string }> = {}
  for (const [name, node] of Object.entries(network.manifest.services?.privateNodes ?? {})) {
    const relay = await startCountingRelay(node.rpcUrl)
    rawNodes.push(relay)
    privateNodes[name] = { rpcUrl: relay.url }
  }
  assert.equal(rawNodes.length, 2, 'bank-a and bank-b have raw nodes in the services part')
  const manifest: NetworkManifest = { ...network.manifest, services: { ...network.manifest.services, privateNodes } }
  explorer = createExplorer({ manifest, store, liveIntervalMs: 250 })
  await explorer.start()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await explorer?.stop()
  for (const relay of rawNodes) await relay.stop()
  await network?.close()
})

test("shows that a bundle sent from a private chain has a blinded leaf, only to a visitor signed in as its sender", async () => {
  const sender = network.manifest.accounts.users[0]!
  // The sender reaches bank-a's node as the services do (its wallet would go through the permissioned RPC).
  const bankA = chainNamed({ manifest: nodeManifest(network.manifest) }, 'bank-a')
  const { bundleHash } = await sendMessage(walletFor(bankA, sender.privateKey), {
    recipient: { chainId: chainNamed(network, 'alpha').chainId, address: network.manifest.l2Contracts.exampleRecipient },
    payload: toHex('from bank-a, blinded'),
    interopCenter: network.manifest.l2Contracts.interopCenter,
  })
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${explorer.url}#/message/${bundleHash}`)
  await page.waitForSelector('[data-page="not-found"]')
  await signIn(page, sender.address)
  await page.waitForSelector('[data-page="message"]')
  await page.waitForSelector('#message-status .executed', { timeout: 45_000 })
  const blinding = store.prepare('SELECT blinding FROM bundle_blindings WHERE bundle_hash = ?').get(bundleHash) as { blinding: Hex } | undefined
  assert.ok(blinding, 'bank-a blinded the leaf')
  const shown = await page.locator('#blinded-leaf').innerText()
  assert.match(shown, /blinded/)
  assert.ok(shown.includes(blindedBundleCommitment(bundleHash, blinding.blinding)), `the commitment its message root holds: ${shown}`)
  assert.ok(!shown.includes(blinding.blinding.slice(2)), 'not the blinding itself')
  await page.screenshot({ path: join(SCREENSHOTS, 'message-blinded.png'), fullPage: true })
  await context.close()
})

test("shows a payment between bank-a and bank-b whole to the chains' auditor, and not at all to a member, never reading a raw node", async () => {
  // The banks' services play their part on the raw nodes, as `junction demo payment` does.
  const nodes = nodeManifest(network.manifest)
  const setup = await preparePaymentDemo({ manifest: nodes, debtorChain: 'bank-a', creditorChain: 'bank-b' })
  const xml = readFileSync(join(process.cwd(), 'examples', 'payments', 'pacs008.xml'), 'utf8')
  await sendIsoPayment(walletFor(setup.a.chain, setup.a.operator.privateKey), { xml, directory: setup.directory, manifest: nodes })
  const uetr = /<UETR>([^<]+)<\/UETR>/.exec(xml)![1]!

  // The auditor (fullRead on both chains), with a browser wallet: nothing before sign-in, everything after.
  const auditor = await openWithWallet(browser, `${explorer.url}#/payment/${uetr}`, privateKeyToAccount(devAccount(PRIVIDIUM_DEV_ROLES.auditor).privateKey))
  await auditor.waitForSelector('[data-page="not-found"]')
  await signInWithWallet(auditor)
  assert.match(await auditor.locator('#signed-in').innerText(), /bank-a, bank-b/)
  await auditor.waitForSelector('[data-page="payment"]')
  await auditor.locator('#payment-status .executed').waitFor({ timeout: 60_000 })
  await auditor.locator('#payment-records tr[data-bank="debtor"] .executed').waitFor({ timeout: 60_000 })
  assert.match(await auditor.locator('#payment-status').innerText(), /ACSC/)
  assert.match(await auditor.locator('#payment-records tr[data-bank="debtor"]').innerText(), /bank-a/)
  assert.match(await auditor.locator('#payment-records tr[data-bank="creditor"]').innerText(), /bank-b/)
  assert.equal(await auditor.locator('#payment-records tr.not-shown').count(), 0, 'both records, read through each chain\'s permissioned RPC')
  assert.deepEqual(await auditor.locator('#payment-bundles tr[data-role]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-role'))), ['payment', 'answer'])
  await auditor.screenshot({ path: join(SCREENSHOTS, 'payment-private-auditor.png'), fullPage: true })
  await auditor.context().close()

  // A member (Alice, bank-a's customer): her RPCs give her neither bank's transactions, so no bundle of the payment shows.
  const memberContext = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const member = await memberContext.newPage()
  await member.goto(`${explorer.url}#/payment/${uetr}`)
  await member.waitForSelector('[data-page="not-found"]')
  await signIn(member, network.manifest.accounts.users[2]!.address)
  await member.waitForSelector('#signed-in')
  await member.waitForSelector('[data-page="not-found"]')
  assert.match(await member.locator('[data-page="not-found"]').innerText(), new RegExp(`payment ${uetr} is not known on this network`))
  await member.screenshot({ path: join(SCREENSHOTS, 'payment-private-member.png'), fullPage: true })
  await memberContext.close()
  assert.deepEqual(rawNodes.flatMap((relay) => relay.methods), [], "the banks' raw nodes got nothing from the explorer")
})
