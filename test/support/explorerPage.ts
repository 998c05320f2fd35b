// Helpers of the explorer's browser tests (test/e2e/explorer*.test.ts).
import chromium from '@sparticuz/chromium'
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { Address, PrivateKeyAccount } from 'viem'

/** Chromium from @sparticuz/chromium (nothing downloaded); several contexts (one per visitor), so not in --single-process mode, where closing one ends the browser. */
export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args.filter((arg) => arg !== '--single-process'), headless: true })
}

/** Signs the page's visitor in to the private chains as a dev account, with the page's picker. */
export async function signIn(page: Page, address: Address): Promise<void> {
  await page.click('#sign-in')
  await page.selectOption('#dev-account', address)
  await page.click('#dev-sign-in')
  await page.waitForSelector('#signed-in')
}

/** What the test's wallet does when the page asks it: sign as `account`, or refuse as a user would (EIP-1193 error 4001). */
export type TestWalletBehaviour = { account: PrivateKeyAccount; refuse?: 'eth_requestAccounts' | 'personal_sign' | undefined }

/**
 * Gives every page of `context` a browser wallet (`window.ethereum`, EIP-1193) backed by a key in the test:
 * the page's `request` goes through `exposeFunction` to node, where viem signs. Requests are recorded in
 * `requests`.
 */
export async function injectWallet(context: BrowserContext, behaviour: TestWalletBehaviour): Promise<{ requests: string[] }> {
  const requests: string[] = []
  await context.exposeFunction('__junctionTestWallet', async (method: string, params: unknown[]) => {
    requests.push(method)
    if (behaviour.refuse === method) return { error: { code: 4001, message: 'User rejected the request.' } }
    if (method === 'eth_requestAccounts' || method === 'eth_accounts') return { result: [behaviour.account.address] }
    if (method === 'personal_sign') {
      const [message, address] = params as [string, string]
      if (address.toLowerCase() !== behaviour.account.address.toLowerCase()) return { error: { code: 4100, message: `not the wallet's account: ${address}` } }
      return { result: await behaviour.account.signMessage({ message }) }
    }
    return { error: { code: 4200, message: `the test wallet does not support ${method}` } }
  })
  await context.addInitScript(() => {
    type Bridge = { __junctionTestWallet(method: string, params: unknown[]): Promise<{ result?: unknown; error?: { code: number; message: string } }> }
    ;(window as unknown as { ethereum: unknown }).ethereum = {
      async request({ method, params }: { method: string; params?: unknown[] }) {
        const answer = await (window as unknown as Bridge).__junctionTestWallet(method, params ?? [])
        if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code })
        return answer.result
      },
    }
  })
  return { requests }
}

/** Signs the page's visitor in with the browser wallet {@link injectWallet} gave its context (waits until the page says it is signed in). */
export async function signInWithWallet(page: Page): Promise<void> {
  await page.click('#sign-in')
  await page.click('#wallet-sign-in')
  await page.waitForSelector('#signed-in')
}

/** A new visitor (its own browser context) with a browser wallet of `account`, on `url`. */
export async function openWithWallet(browser: Browser, url: string, account: PrivateKeyAccount): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } })
  await injectWallet(context, { account })
  const page = await context.newPage()
  await page.goto(url)
  return page
}
