// The explorer on a network with a real private chain (bank-a: its InteropCenter blinds its bundles' leaves,
// docs/protocol.md §4.1, and its permissioned RPC is the network's own), in Chromium: a message sent from
// bank-a is not found before sign-in and, signed in as its sender, its page says that its leaf is blinded.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { toHex, type Hex } from 'viem'
import { createExplorer, type ExplorerServer } from '../../src/explorer/ExplorerServer.js'
import { nodeManifest } from '../../src/network/privateChains.js'
import { blindedBundleCommitment } from '../../src/protocol/index.js'
import { sendMessage } from '../../src/sdk/index.js'
import { openStore, type Store } from '../../src/store/openStore.js'
import { launchBrowser, signIn } from '../support/explorerPage.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

const SCREENSHOTS = join(process.cwd(), 'test-results', 'explorer')

let network: Awaited<ReturnType<typeof startTestNetwork>>
let explorer: ExplorerServer
let store: Store
let browser: Browser

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  network = await startTestNetwork({ chains: 1, privateChains: 1 })
  store = openStore(join(network.dataDir, 'junction.db'))
  explorer = createExplorer({ manifest: network.manifest, store, liveIntervalMs: 250 })
  await explorer.start()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await explorer?.stop()
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
