// Helpers of the explorer's browser tests (test/e2e/explorer*.test.ts).
import chromium from '@sparticuz/chromium'
import { chromium as playwright, type Browser, type Page } from 'playwright-core'
import type { Address } from 'viem'

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
