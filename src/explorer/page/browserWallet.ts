// The page's side of signing in with a browser wallet (EIP-1193 `window.ethereum`): asks for the account,
// has the wallet sign each private chain's SIWE message, and says in words why a sign-in did not happen.

/** An EIP-1193 provider, as wallets inject it. */
export type Eip1193Provider = { request(args: { method: string; params?: unknown[] }): Promise<unknown> }

/** Why a wallet sign-in did not happen, as the page shows it (`reason` is also its `data-reason`). */
export class WalletSignInProblem extends Error {
  constructor(
    readonly reason: 'rejected' | 'wallet-error' | 'no-account' | 'not-linked' | 'refused',
    message: string,
  ) {
    super(message)
  }
}

/** The injected wallet, if the browser has one. */
export function injectedWallet(): Eip1193Provider | undefined {
  return (window as unknown as { ethereum?: Eip1193Provider }).ethereum
}

/** One request to the wallet; its refusal (EIP-1193 error 4001: the user said no) or failure becomes a {@link WalletSignInProblem}. */
export async function askWallet(wallet: Eip1193Provider, method: string, params?: unknown[]): Promise<unknown> {
  try {
    return await wallet.request(params === undefined ? { method } : { method, params })
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
    if (code === 4001) throw new WalletSignInProblem('rejected', `You declined ${method === 'eth_requestAccounts' ? 'to connect your wallet' : 'to sign the sign-in message'} in your wallet (EIP-1193 error 4001): you are not signed in.`)
    throw new WalletSignInProblem('wallet-error', `Your wallet answered ${method} with an error${typeof code === 'number' ? ` ${code}` : ''}: ${typeof message === 'string' ? message : String(error)}`)
  }
}

/** The wallet's first account. */
export async function walletAccount(wallet: Eip1193Provider): Promise<string> {
  const accounts = await askWallet(wallet, 'eth_requestAccounts')
  const account = Array.isArray(accounts) ? accounts[0] : undefined
  if (typeof account !== 'string') throw new WalletSignInProblem('no-account', 'Your wallet gave no account: unlock it or add one, then sign in again.')
  return account
}

/**
 * What the explorer's sign-in answered, in words: nothing when every private chain signed the wallet in;
 * otherwise which refused and why (a wallet no user has: WALLET_NOT_LINKED).
 */
export function explainSignIn(address: string, answer: { signedIn: unknown[]; refusals: { code: string; message: string }[] }): WalletSignInProblem | undefined {
  if (answer.refusals.length === 0) return undefined
  const notLinked = answer.refusals.filter((r) => r.code === 'WALLET_NOT_LINKED').length
  const others = answer.refusals.filter((r) => r.code !== 'WALLET_NOT_LINKED')
  const parts: string[] = []
  if (notLinked) parts.push(`wallet ${address} is not linked to a user of ${notLinked === 1 ? 'a private chain' : `${notLinked} private chains`} (WALLET_NOT_LINKED): ask the chain's admin to add it, or sign in with another account`)
  for (const r of others) parts.push(`a private chain's permissioned RPC refused the sign-in (${r.code}: ${r.message})`)
  const text = `${answer.signedIn.length ? 'Signed in where allowed, but ' : 'Not signed in: '}${parts.join('; ')}.`
  return new WalletSignInProblem(others.length === 0 ? 'not-linked' : 'refused', text)
}
