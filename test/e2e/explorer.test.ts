// The explorer in a real browser (playwright-core driving the Chromium of @sparticuz/chromium, both from
// npm: nothing is downloaded at run time) against a whole network; gamma is made a private chain behind
// a permissioned RPC. Screenshots go to test-results/explorer/ (gitignored).
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { formatEther, toHex, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { prepareInstructionDemo, runInstructionDemo } from '../../src/demo/instructionDemo.js'
import { preparePaymentDemo } from '../../src/demo/paymentDemo.js'
import { createExplorer, type ExplorerServer } from '../../src/explorer/ExplorerServer.js'
import type { NetworkManifest } from '../../src/network/types.js'
import { encodeUnbundlerAddressAttribute } from '../../src/protocol/index.js'
import { instructionId } from '../../src/protocol/instruction.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { DEFAULT_ROLES, PRIVIDIUM_DEV_ROLES } from '../../src/prividium/defaultConfig.js'
import { PrividiumApiClient } from '../../src/prividium/PrividiumApiClient.js'
import { createPrividiumProxy, type PrividiumProxy } from '../../src/prividium/PrividiumProxy.js'
import { defaultPrividiumConfig } from '../../src/prividium/defaultConfig.js'
import { getBalances, getBundleStatus, getPaymentStatusReport, JunctionIndex, sendBundle, sendIsoPayment, sendMessage } from '../../src/sdk/index.js'
import { openStore } from '../../src/store/openStore.js'
import { startCountingRelay, type CountingRelay } from '../prividium/support/privateChain.js'
import { injectWallet, launchBrowser, openWithWallet, signIn, signInWithWallet, type TestWalletBehaviour } from '../support/explorerPage.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

const SCREENSHOTS = join(process.cwd(), 'test-results', 'explorer')

let network: Awaited<ReturnType<typeof startTestNetwork>>
let proxy: PrividiumProxy
let gammaRelay: CountingRelay
let explorer: ExplorerServer
let browser: Browser
let index: JunctionIndex
let manifest: NetworkManifest

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  network = await startTestNetwork({ chains: 3, onGateway: ['alpha', 'beta'] })
  const gamma = chainNamed(network, 'gamma')
  proxy = createPrividiumProxy({
    nodeUrl: gamma.rpcUrl,
    config: defaultPrividiumConfig({ chainId: gamma.chainId, members: network.manifest.accounts.users, l2Contracts: network.manifest.l2Contracts }),
    dbPath: join(network.dataDir, 'prividium-gamma.db'),
  })
  await proxy.start()
  // The explorer's manifest names gamma's node through a counting relay: a test of "never reads a private chain's raw node".
  gammaRelay = await startCountingRelay(gamma.rpcUrl)
  manifest = { ...network.manifest, chains: network.manifest.chains.map((chain) => (chain.name === 'gamma' ? { ...chain, rpcUrl: gammaRelay.url, private: true, apiBaseUrl: proxy.url } : chain)) }
  explorer = createExplorer({ manifest, store: openStore(join(network.dataDir, 'junction.db')), liveIntervalMs: 250 })
  await explorer.start()
  index = new JunctionIndex(network.manifest)
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await explorer?.stop()
  await gammaRelay?.stop()
  await proxy?.stop()
  await network?.close()
})

async function open(path = ''): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${explorer.url}${path}`)
  return page
}
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
const user = (i: number) => network.manifest.accounts.users[i]!

describe('the explorer in a browser', () => {
  test('shows a message sent with the SDK appear live on the network page, and its timeline reach executed', async () => {
    const page = await open()
    await page.waitForSelector('[data-page="network"] tr[data-chain]')
    await page.waitForSelector('#live.on')
    const { bundleHash } = await sendMessage(walletFor(chainNamed(network, 'alpha'), user(0).privateKey), {
      recipient: { chainId: chainNamed(network, 'beta').chainId, address: network.manifest.l2Contracts.exampleRecipient },
      payload: toHex('hello from the explorer test'),
      interopCenter: network.manifest.l2Contracts.interopCenter,
    })
    // No reload: the row comes with a server-sent event.
    const row = page.locator(`tr[data-bundle="${bundleHash}"]`)
    await row.waitFor({ timeout: 20_000 })
    await page.locator(`tr[data-bundle="${bundleHash}"] .state .executed`).waitFor({ timeout: 30_000 })
    await shot(page, 'network')
    await row.locator('a').first().click()
    await page.waitForSelector('#message-status .executed', { timeout: 30_000 })
    const steps = await page.locator('ol.timeline li.done').evaluateAll((items) => items.map((item) => item.getAttribute('data-status')))
    assert.deepEqual(steps.slice(0, 3), ['sent', 'batched', 'committed'])
    assert.match((await page.locator('li[data-status="sent"]').innerText()) ?? '', /block \d+ on alpha\b/, 'the sent step names the chain, not its id')
    assert.equal(steps.at(-1), 'executed')
    const executedIn = (await getBundleStatus(index, { bundleHash })).executedIn
    assert.ok(executedIn, 'executed on beta')
    assert.match((await page.locator('li[data-status="executed"]').textContent()) ?? '', new RegExp(executedIn), 'the page names the transaction that executed it')
    assert.equal((await getBundleStatus(index, { bundleHash })).destinationStatus, 'executed', 'and beta says so')
    await page.click('#proof-button')
    await page.waitForSelector('#proof pre')
    assert.match((await page.locator('#proof pre').textContent()) ?? '', /"sourceChainId"/)
    await shot(page, 'message')
    await page.click(`a[href="#/batch/${chainNamed(network, 'alpha').chainId}/${(await getBundleStatus(index, { bundleHash })).batchNumber}"]`)
    await page.waitForSelector('[data-page="batch"]')
    await page.locator(`[data-page="batch"] tr[data-bundle="${bundleHash}"]`).waitFor()
    await shot(page, 'batch')
    await page.context().close()
  })

  test("shows a failed bundle's revert reason and what the sender can do", async () => {
    const beta = new ChainConnection(chainNamed(network, 'beta'))
    const deployer = user(4).privateKey
    const { address: recipient } = await beta.deploy(deployer, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [network.manifest.l2Contracts.interopCenter], action: 'deploy recipient' })
    await beta.write(deployer, { address: recipient, abi: c.standardRecipientAbi, functionName: 'setFail', args: [true] })
    const { bundleHash } = await sendBundle(walletFor(chainNamed(network, 'alpha'), user(1).privateKey), {
      destinationChainId: beta.chainId,
      calls: [{ to: recipient as Address, data: '0x01' }],
      attributes: [encodeUnbundlerAddressAttribute({ chainId: beta.chainId, address: user(1).address })],
      interopCenter: network.manifest.l2Contracts.interopCenter,
    })
    const page = await open(`#/message/${bundleHash}`)
    await page.waitForSelector('#failure .reason', { timeout: 30_000 })
    assert.match((await page.locator('#failure .reason').textContent()) ?? '', /RecipientRefused/)
    const remedies = await page.locator('#failure li').allTextContents()
    assert.ok(remedies.some((r) => r.startsWith('Retry')) && remedies.some((r) => r.includes(user(1).address)), `retry and unbundle by ${user(1).address}: ${remedies.join(' | ')}`)
    assert.equal((await getBundleStatus(index, { bundleHash })).destinationStatus, 'unreceived', 'nothing ran on beta')
    await shot(page, 'failed-bundle')
    await page.context().close()
  })

  test("hides a private chain until the visitor signs in, then shows what the chain's RPC lets that visitor see", async () => {
    const gamma = chainNamed(network, 'gamma')
    const { bundleHash } = await sendMessage(walletFor(gamma, user(0).privateKey), {
      recipient: { chainId: chainNamed(network, 'alpha').chainId, address: network.manifest.l2Contracts.exampleRecipient },
      payload: toHex('from the private chain'),
      interopCenter: network.manifest.l2Contracts.interopCenter,
    })
    // A message from public alpha to gamma: its send is public, gamma's side is not.
    const toGamma = await sendMessage(walletFor(chainNamed(network, 'alpha'), user(0).privateKey), {
      recipient: { chainId: gamma.chainId, address: network.manifest.l2Contracts.exampleRecipient },
      payload: toHex('to the private chain'),
      interopCenter: network.manifest.l2Contracts.interopCenter,
    })
    const page = await open()
    await page.waitForSelector('[data-page="network"] tr[data-chain]')
    assert.equal(await page.locator(`tr[data-chain="${gamma.chainId}"]`).count(), 0, 'gamma is not listed')
    await page.goto(`${explorer.url}#/message/${toGamma.bundleHash}`)
    await page.waitForSelector('#destination-hidden')
    await page.locator('li.done[data-status="executed-on-settlement-layer"]').waitFor({ timeout: 30_000 })
    assert.equal(await page.locator('li[data-status="executed"], li[data-status="root-on-destination"]').count(), 0, "gamma's side is not shown")
    assert.doesNotMatch(await page.locator('main').innerText(), /gamma/)
    await page.goto(`${explorer.url}#/`)
    await page.waitForSelector('[data-page="network"] tr[data-chain]')
    assert.match((await page.locator('#hidden-private').textContent()) ?? '', /1 private chain/)
    assert.doesNotMatch(await page.locator('main').innerText(), /gamma/)
    await page.goto(`${explorer.url}#/message/${bundleHash}`)
    await page.waitForSelector('[data-page="not-found"]')
    await shot(page, 'private-before-sign-in')

    // Dev user 1 signs in: gamma shows, but not user 0's message (gamma's RPC shows it only its own transactions).
    const other = await open()
    await signIn(other, user(1).address)
    await other.waitForSelector(`tr[data-chain="${gamma.chainId}"] .badge.private`)
    await other.goto(`${explorer.url}#/message/${bundleHash}`)
    await other.waitForSelector('[data-page="not-found"]')
    await other.context().close()

    await page.goto(`${explorer.url}#/`)
    await signIn(page, user(0).address)
    await page.waitForSelector(`tr[data-chain="${gamma.chainId}"] .badge.private`)
    assert.match((await page.locator(`tr[data-chain="${gamma.chainId}"]`).innerText()) ?? '', /gamma/)
    await page.goto(`${explorer.url}#/message/${bundleHash}`)
    await page.waitForSelector('[data-page="message"]')
    await page.waitForSelector('#message-status .executed', { timeout: 30_000 })
    await shot(page, 'private-after-sign-in')
    await page.goto(`${explorer.url}#/message/${toGamma.bundleHash}`)
    await page.waitForSelector('#message-status .executed', { timeout: 30_000 })
    assert.equal(await page.locator('#destination-hidden').count(), 0, "signed in to gamma, its side shows")
    await page.goto(`${explorer.url}#/chain/${gamma.chainId}`)
    await page.waitForSelector('[data-page="chain"]')
    await page.locator(`[data-page="chain"] tr[data-bundle="${bundleHash}"]`).first().waitFor()
    await page.context().close()
    assert.deepEqual(gammaRelay.methods, [], "the explorer never read gamma's node itself")
    assert.ok(proxy.nodeRequests > 0, 'it read gamma through the permissioned RPC')
  })

  test('answers a search for an unknown hash with a not-found page and a malformed one with the API error, and shows ETH in every ledger with the audit', async () => {
    const page = await open()
    await page.waitForSelector('[data-page="network"]')
    const unknown = `0x${'ab'.repeat(32)}` as Hex
    await page.fill('#search-input', unknown)
    await page.press('#search-input', 'Enter')
    await page.waitForSelector('[data-page="not-found"]')
    assert.match(await page.locator('[data-page="not-found"]').innerText(), new RegExp(`${unknown} is not known on this network`))
    await shot(page, 'not-found')
    await page.fill('#search-input', 'not a hash!')
    await page.press('#search-input', 'Enter')
    await page.waitForSelector('#api-error:not([hidden])')
    assert.match(await page.locator('#api-error').innerText(), /BAD_REQUEST.*neither a hash, an address, a UETR nor a chain/)
    await page.goto(`${explorer.url}#/tokens`)
    await page.waitForSelector('#balances tbody tr')
    const alphaSupply = (await getBalances(index, { eth: true })).chains.find((chain) => chain.name === 'alpha')!.totalSupply
    assert.match(await page.locator('#balances tr', { hasText: 'alpha' }).innerText(), new RegExp(`${formatEther(alphaSupply).replace('.', '\\.')} ETH`), "alpha's bridged ETH as alpha says")
    assert.match(await page.locator('[data-page="tokens"]').innerText(), /are the private chains' accounts/)
    await page.waitForSelector('#audit')
    assert.match(await page.locator('#audit').innerText(), /forged bundles: none executed/)
    await shot(page, 'tokens')
    await page.context().close()
  })

  test("lists a private chain's ETH on the tokens page only for a visitor signed in to it, with its supply as its RPC lets that visitor read it", async () => {
    const gamma = chainNamed(network, 'gamma')
    const actual = (await getBalances(index, { eth: true })).chains.find((chain) => chain.name === 'gamma')!
    const eth = (wei: bigint) => new RegExp(`${formatEther(wei).replace('.', '\\.')} ETH`)
    const page = await open('#/tokens')
    await page.waitForSelector('#balances tbody tr')
    assert.equal(await page.locator(`#balances tr[data-chain="${gamma.chainId}"]`).count(), 0, 'gamma is not listed before sign-in')
    assert.match(await page.locator('#private-left-out').innerText(), /1 private chain/)
    assert.doesNotMatch(await page.locator('main').innerText(), /gamma/)

    await signIn(page, user(2).address)
    const row = page.locator(`#balances tr[data-chain="${gamma.chainId}"]`)
    await row.waitFor()
    assert.match(await row.innerText(), /gamma[\s\S]*private/)
    // A member may not read the base-token holder: the supply is the RPC's refusal, the ledgers are L1's.
    assert.match(await row.locator('.supply').innerText(), /permissioned RPC refused your account/)
    assert.match(await row.innerText(), eth(actual.l1Ledger))
    assert.equal(await page.locator('#private-left-out').count(), 0)

    // The chain's admin lets members read it: the supply shows, as gamma's node says.
    const admin = new PrividiumApiClient({ apiBaseUrl: proxy.url, account: privateKeyToAccount(devAccount(PRIVIDIUM_DEV_ROLES.admin).privateKey) })
    await admin.request('POST', '/api/admin/contract-rules', { contractAddress: network.manifest.l2Contracts.baseTokenHolder, functionSignature: 'bridgedBalance()', accessType: 'read', ruleType: 'checkRole', roles: [DEFAULT_ROLES.member], argumentRestrictions: [] })
    await page.reload()
    await row.locator('.supply').waitFor()
    assert.match(await row.locator('.supply').innerText(), eth(actual.totalSupply))
    assert.match(await row.innerText(), /yes/, 'its supply and its ledger reconcile')
    await shot(page, 'tokens-signed-in')
    await page.context().close()
    assert.deepEqual(gammaRelay.methods, [], "gamma's node got nothing")
  })

  test("finds a payment by its UETR: its status, amount, both banks' records and the bundles that carried it; an unknown UETR is not found", async () => {
    const setup = await preparePaymentDemo({ manifest: network.manifest, debtorChain: 'alpha', creditorChain: 'beta' })
    const accepted = readFileSync(join(process.cwd(), 'examples', 'payments', 'pacs008.xml'), 'utf8')
    const rejected = readFileSync(join(process.cwd(), 'examples', 'payments', 'pacs008-rejected.xml'), 'utf8')
    const bankA = () => walletFor(setup.a.chain, setup.a.operator.privateKey)
    const sent = await sendIsoPayment(bankA(), { xml: accepted, directory: setup.directory, manifest: network.manifest })
    const uetr = uetrOf(accepted)
    const page = await open()
    await page.waitForSelector('[data-page="network"]')
    await page.fill('#search-input', uetr.toUpperCase())
    await page.press('#search-input', 'Enter')
    await page.waitForSelector('[data-page="payment"]')
    // Pending until bank B's answer is back on alpha; the page follows the live updates.
    await page.locator('#payment-status .executed').waitFor({ timeout: 45_000 })
    assert.match(await page.locator('#payment-status').innerText(), /ACSC/)
    assert.equal(await page.locator('#payment-amount').innerText(), '1234.5 aEUR')
    // Bank B decided; bank A's record follows once the answer is back on alpha, without a reload.
    await page.locator('#payment-records tr[data-bank="debtor"] .executed').waitFor({ timeout: 45_000 })
    const answered = await getPaymentStatusReport(new ChainConnection(setup.a.chain).client, { xml: accepted, directory: setup.directory, manifest: network.manifest })
    assert.equal(answered.status, 'ACSC', 'and bank A says so')
    const debtorRow = await page.locator('#payment-records tr[data-bank="debtor"]').innerText()
    assert.match(debtorRow, /alpha/)
    assert.match(debtorRow, /ACSC/)
    assert.match(await page.locator('#payment-records tr[data-bank="creditor"]').innerText(), /beta[\s\S]*ACSC/)
    await page.locator('#payment-bundles tr[data-role="answer"]').waitFor()
    assert.equal(await page.locator(`#payment-bundles tr[data-role="payment"] a[href="#/message/${sent.bundleHash}"]`).count(), 1, 'the payment bundle, linked')
    assert.equal(await page.locator(`#payment-bundles tr[data-role="answer"] a[href="#/message/${answered.record.answerBundleHash}"]`).count(), 1, 'the answer bundle, linked')
    await shot(page, 'payment')
    await page.click(`#payment-bundles tr[data-role="payment"] a`)
    await page.waitForSelector('[data-page="message"]')
    assert.match(await page.locator('[data-page="message"] h1').innerText(), new RegExp(sent.bundleHash.slice(0, 10)))

    // Rejected by bank B (AC03): RJCT with its reason, on both records.
    await sendIsoPayment(bankA(), { xml: rejected, directory: setup.directory, manifest: network.manifest })
    const report = await getPaymentStatusReport(new ChainConnection(setup.a.chain).client, { xml: rejected, directory: setup.directory, manifest: network.manifest, timeoutMs: 45_000 })
    assert.equal(report.status, 'RJCT')
    await page.goto(`${explorer.url}#/payment/${uetrOf(rejected)}`)
    await page.waitForSelector('#payment-status .failed')
    assert.match(await page.locator('#payment-status').innerText(), /RJCT[\s\S]*AC03[\s\S]*Invalid creditor account number/)
    assert.match(await page.locator('#payment-records tr[data-bank="creditor"]').innerText(), /RJCT[\s\S]*AC03/)
    await shot(page, 'payment-rejected')

    const unknown = '0f0e0d0c-0b0a-4908-8706-050403020100'
    await page.fill('#search-input', unknown)
    await page.press('#search-input', 'Enter')
    await page.waitForSelector('[data-page="not-found"]')
    assert.match(await page.locator('[data-page="not-found"]').innerText(), new RegExp(`payment ${unknown} is not known on this network`))
    await page.context().close()
  })

  test("signs a visitor in with a wallet's signatures of the private chains' SIWE messages, and refuses another wallet's signature", async () => {
    const wallet = privateKeyToAccount(user(2).privateKey)
    const post = (path: string, body: unknown, cookie?: string) =>
      fetch(new URL(path, explorer.url), { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) })
    type Issued = { messages: { chainKey: number; message: string; nonceToken: string }[] }
    type Session = { signedIn: { name: string; address: string }[]; refused: number }
    const issued = (await (await post('/api/session/siwe-messages', { address: wallet.address })).json()) as Issued
    assert.equal(issued.messages.length, 1, 'one message per private chain')
    assert.match(issued.messages[0]!.message, new RegExp(wallet.address))
    const signed = await Promise.all(issued.messages.map(async (m) => ({ ...m, signature: await wallet.signMessage({ message: m.message }) })))
    const answer = await post('/api/session/sign-in', { signed })
    const cookie = answer.headers.get('set-cookie')?.split(';')[0]
    assert.ok(cookie, 'the session is kept under a cookie')
    assert.deepEqual(((await answer.json()) as Session).signedIn.map((s) => [s.name, s.address]), [['gamma', wallet.address]])
    const seen = (await (await fetch(new URL('/api/network', explorer.url), { headers: { cookie } })).json()) as { chains: { name: string; signedInAs?: string; head: number | null }[] }
    const gamma = seen.chains.find((chain) => chain.name === 'gamma')
    assert.ok(gamma && gamma.signedInAs === wallet.address && typeof gamma.head === 'number', 'gamma shows, with its head read through its RPC')

    const again = (await (await post('/api/session/siwe-messages', { address: wallet.address })).json()) as Issued
    const impostor = privateKeyToAccount(user(3).privateKey)
    const forged = await Promise.all(again.messages.map(async (m) => ({ ...m, signature: await impostor.signMessage({ message: m.message }) })))
    const refused = (await (await post('/api/session/sign-in', { signed: forged })).json()) as Session
    assert.equal(refused.refused, 1)
    assert.deepEqual(refused.signedIn, [])
  })

  test("signs in with a browser wallet (EIP-1193), and says so when the user declines or the wallet is no user's", async () => {
    const signInWith = async (page: Page) => {
      await page.click('#sign-in')
      await page.click('#wallet-sign-in')
    }
    // A member's wallet that first declines to sign, then signs.
    const memberContext = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const member: TestWalletBehaviour = { account: privateKeyToAccount(user(2).privateKey), refuse: 'eth_requestAccounts' }
    const { requests } = await injectWallet(memberContext, member)
    const page = await memberContext.newPage()
    await page.goto(explorer.url)
    await page.waitForSelector('#hidden-private')
    await signInWith(page)
    await page.waitForSelector('#sign-in-result[data-reason="rejected"]')
    assert.match(await page.locator('#sign-in-result').innerText(), /declined to connect your wallet/)
    member.refuse = 'personal_sign'
    await page.click('#wallet-sign-in')
    await page.waitForSelector('#sign-in-result[data-reason="rejected"]')
    assert.match(await page.locator('#sign-in-result').innerText(), /declined to sign the sign-in message in your wallet \(EIP-1193 error 4001\): you are not signed in/)
    assert.equal(await page.locator('#signed-in').count(), 0)
    await shot(page, 'wallet-declined')
    member.refuse = undefined
    await page.click('#wallet-sign-in')
    await page.waitForSelector('#signed-in')
    assert.match(await page.locator('#signed-in').innerText(), /gamma/)
    await page.waitForSelector(`tr[data-chain="${chainNamed(network, 'gamma').chainId}"]`)
    assert.deepEqual(requests, ['eth_requestAccounts', 'eth_requestAccounts', 'personal_sign', 'eth_requestAccounts', 'personal_sign'], 'the account, then a signature of the SIWE message')
    await shot(page, 'wallet-signed-in')
    await memberContext.close()

    // A wallet no user of gamma has: gamma's RPC refuses it (WALLET_NOT_LINKED), and the page says so.
    const strangerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const stranger = privateKeyToAccount(generatePrivateKey())
    await injectWallet(strangerContext, { account: stranger })
    const strangerPage = await strangerContext.newPage()
    await strangerPage.goto(explorer.url)
    await strangerPage.waitForSelector('#hidden-private')
    await signInWith(strangerPage)
    await strangerPage.waitForSelector('#sign-in-result[data-reason="not-linked"]')
    const said = await strangerPage.locator('#sign-in-result').innerText()
    assert.match(said, /^Not signed in: /)
    assert.ok(said.includes(`wallet ${stranger.address} is not linked to a user of a private chain (WALLET_NOT_LINKED)`), said)
    assert.equal(await strangerPage.locator('#signed-in').count(), 0)
    assert.equal(await strangerPage.locator('#hidden-private').count(), 1, 'gamma stays hidden')
    await shot(strangerPage, 'wallet-not-linked')
    await strangerContext.close()
  })

  test("shows an instruction's copy on each bank's chain side by side: a private bank's only through its RPC, as the visitor may read it", async () => {
    // Three banks on alpha, beta and gamma (the demo's banks play their part on the nodes); every bank approves.
    const setup = await prepareInstructionDemo({ manifest: network.manifest, chains: ['alpha', 'beta', 'gamma'] })
    const { instruction } = await runInstructionDemo({ manifest: network.manifest, setup, index, scenario: 'execute' })
    const id = instructionId(instruction)
    const copy = (page: Page, chain: string) => page.locator(`.copy[data-chain="${chainNamed(network, chain).chainId}"]`)
    const page = await open(`#/instruction/${id}`)
    await page.waitForSelector('[data-page="instruction"]')
    for (const chain of ['alpha', 'beta']) assert.match(await copy(page, chain).locator('.copy-status').innerText(), /executed/, `${chain}'s copy, read on its node`)
    assert.match(await copy(page, 'gamma').innerText(), /a private chain: sign in to it to see its copy/)
    // A member of gamma (bank 3's operator) has no rule on the book: gamma's RPC refuses the read, and the page says so.
    await signIn(page, user(2).address)
    await copy(page, 'gamma').locator('.not-shown', { hasText: 'refused your account' }).waitFor()
    await page.context().close()
    // gamma's auditor (fullRead), with a browser wallet, sees gamma's copy executed beside the others.
    const auditor = await openWithWallet(browser, `${explorer.url}#/instruction/${id}`, privateKeyToAccount(devAccount(PRIVIDIUM_DEV_ROLES.auditor).privateKey))
    await auditor.waitForSelector('[data-page="instruction"]')
    await signInWithWallet(auditor)
    await copy(auditor, 'gamma').locator('.copy-status').waitFor()
    assert.match(await copy(auditor, 'gamma').innerText(), /executed[\s\S]*votes\s+bank 1: confirmed \(v\d+\), bank 2: confirmed \(v\d+\), bank 3: confirmed \(v\d+\)/)
    assert.match(await auditor.locator('#instruction-outcome').innerText(), /executed/)
    await shot(auditor, 'instruction')
    await auditor.context().close()
    const unknown = await fetch(new URL(`/api/instructions/0x${'ab'.repeat(32)}`, explorer.url))
    assert.equal(unknown.status, 404)
    // Search finds it by its id (alpha's book opened it, a chain anyone sees) and the page opens it.
    const found = await fetch(new URL(`/api/search?q=${id}`, explorer.url))
    assert.deepEqual(await found.json(), { kind: 'instruction', instructionId: id.toLowerCase() })
    const searched = await open(`#/search/${id}`)
    await searched.waitForSelector('[data-page="instruction"]')
    assert.match(await copy(searched, 'alpha').locator('.copy-status').innerText(), /executed/)
    await searched.context().close()
  })

  test('reads the network once per live tick for all open pages, public and anonymous, and the private part once per signed-in visitor', async () => {
    // The explorer's L1 and public chains behind counting relays: RPC calls per second with 1 and 10 pages open.
    const relays = new Map<number, CountingRelay>()
    for (const chain of [network.manifest.l1, ...manifest.chains.filter((c) => c.private !== true)]) relays.set(chain.chainId, await startCountingRelay(chain.rpcUrl))
    const counted: NetworkManifest = {
      ...manifest,
      l1: { ...manifest.l1, rpcUrl: relays.get(manifest.l1.chainId)!.url },
      chains: manifest.chains.map((chain) => (relays.has(chain.chainId) ? { ...chain, rpcUrl: relays.get(chain.chainId)!.url } : chain)),
    }
    const live = createExplorer({ manifest: counted, store: openStore(join(network.dataDir, 'junction.db')), liveIntervalMs: 250 })
    await live.start()
    const publicCalls = () => [...relays.values()].reduce((sum, relay) => sum + relay.methods.length, 0)
    const signedInAnswer = await fetch(new URL('/api/session/dev-sign-in', live.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: user(0).address }) })
    const cookie = signedInAnswer.headers.get('set-cookie')!.split(';')[0]!
    /** Opens `pages` live streams (`signedIn` of them with the signed-in visitor's cookie), waits for each one's first view, and counts the RPC calls of the next 2 s. */
    const measure = async (pages: number, signedIn = 0) => {
      const streams = await Promise.all(
        Array.from({ length: pages }, async (_, i) => {
          const controller = new AbortController()
          const response = await fetch(new URL('/api/events', live.url), { signal: controller.signal, headers: i < signedIn ? { cookie } : {} })
          const reader = response.body!.getReader()
          let text = ''
          while (!text.includes('event: network')) text += new TextDecoder().decode((await reader.read()).value)
          void reader.read().catch(() => undefined)
          return controller
        }),
      )
      const [startPublic, startPrivate, startTicks, startAt] = [publicCalls(), proxy.nodeRequests, live.liveTicks, Date.now()]
      await new Promise((resolve) => setTimeout(resolve, 2000))
      const seconds = (Date.now() - startAt) / 1000
      const figures = { pages, signedIn, ticks: live.liveTicks - startTicks, publicPerSecond: Math.round((publicCalls() - startPublic) / seconds), privatePerSecond: Math.round((proxy.nodeRequests - startPrivate) / seconds) }
      for (const stream of streams) stream.abort()
      await new Promise((resolve) => setTimeout(resolve, 300))
      return figures
    }
    try {
      const one = await measure(1)
      const ten = await measure(10)
      const tenSignedIn = await measure(10, 5)
      console.log(`explorer live view, RPC calls per second (tick 250 ms): ${JSON.stringify([one, ten, tenSignedIn])}`)
      // Counts, not times: one public read of each node per tick whatever the number of pages.
      assert.ok(ten.ticks > 0 && tenSignedIn.ticks > 0)
      assert.equal(live.publicSnapshots, live.liveTicks, 'one public snapshot per tick')
      // The chain page, reloaded on each live update, reads only the blocks mined since its last read.
      const alpha = chainNamed(network, 'alpha').chainId
      const blockReads = () => relays.get(alpha)!.methods.filter((method) => method === 'eth_getBlockByNumber').length
      const chainPage = async () => ((await (await fetch(new URL(`/api/chains/${alpha}`, live.url))).json()) as { chain: { head: number }; blocks: { number: number }[] })
      const first = await chainPage()
      const readBefore = blockReads()
      const second = await chainPage()
      assert.equal(second.blocks[0]!.number, second.chain.head)
      assert.ok(blockReads() - readBefore <= second.chain.head - first.chain.head, `read ${blockReads() - readBefore} blocks for ${second.chain.head - first.chain.head} new ones`)
    } finally {
      await live.stop()
      for (const relay of relays.values()) await relay.stop()
    }
  })

  test("without the services' store, indexes the public chains itself and shows their bundles, never reading the private chain's node", async () => {
    const standalone = createExplorer({ manifest })
    await standalone.start()
    try {
      const { bundleHash } = await sendMessage(walletFor(chainNamed(network, 'beta'), user(2).privateKey), {
        recipient: { chainId: chainNamed(network, 'alpha').chainId, address: network.manifest.l2Contracts.exampleRecipient },
        payload: toHex('seen by an explorer of its own'),
        interopCenter: network.manifest.l2Contracts.interopCenter,
      })
      const answer = (await (await fetch(new URL('/api/network', standalone.url))).json()) as { chains: { name: string }[]; messages: { bundleHash: Hex }[]; hiddenPrivateChains: number }
      assert.deepEqual(answer.chains.map((chain) => chain.name), ['alpha', 'beta', 'gateway'])
      assert.equal(answer.hiddenPrivateChains, 1)
      assert.ok(answer.messages.some((message) => message.bundleHash === bundleHash), 'the bundle beta just sent is listed')
      const message = await fetch(new URL(`/api/messages/${bundleHash}`, standalone.url))
      assert.equal(message.status, 200)
      assert.equal(((await message.json()) as { timeline: { status: string }[] }).timeline[0]!.status, 'sent')
      const missing = await fetch(new URL(`/api/messages/0x${'cd'.repeat(32)}`, standalone.url))
      assert.equal(missing.status, 404)
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NOT_FOUND')
      assert.deepEqual(gammaRelay.methods, [], "gamma's node got nothing")
    } finally {
      await standalone.stop()
    }
  })
})

const uetrOf = (xml: string) => /<UETR>([^<]+)<\/UETR>/.exec(xml)![1]!

