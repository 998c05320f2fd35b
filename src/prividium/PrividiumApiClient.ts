// A client of a permissioned RPC's REST API, for Junction's own tools (`junction private`, tests, the
// bench): sign in with a local key (SIWE), then call the admin API or read the profile.
import type { LocalAccount } from 'viem'
import { PrividiumApiError } from './errors.js'

export type SignInWithEthereumParameters = {
  /** The API base URL (an origin, such as `http://127.0.0.1:PORT`). */
  apiBaseUrl: string
  account: LocalAccount
  /** The SIWE domain to ask for; default: the server's first. */
  domain?: string | undefined
}

/**
 * Signs in with a local key, as the prividium SDK does: asks for a SIWE message, signs it, logs in.
 *
 * @throws {PrividiumApiError} the server refused (401 `WALLET_NOT_LINKED` for a wallet with no user).
 * @example
 * ```ts
 * const { token } = await signInWithEthereum({ apiBaseUrl: proxy.url, account: privateKeyToAccount(key) })
 * ```
 */
export async function signInWithEthereum(parameters: SignInWithEthereumParameters): Promise<{ token: string; expiresAt: string }> {
  const { apiBaseUrl, account, domain } = parameters
  const issued = (await call(apiBaseUrl, 'POST', '/api/siwe-messages', undefined, { address: account.address, ...(domain === undefined ? {} : { domain }) })) as { msg: string; nonceToken: string }
  const signature = await account.signMessage({ message: issued.msg })
  return (await call(apiBaseUrl, 'POST', '/api/auth/login/crypto-native', undefined, { message: issued.msg, signature, nonceToken: issued.nonceToken })) as { token: string; expiresAt: string }
}

/**
 * A signed-in client of the REST API. Signs in on first use, and again once if the server answers 401.
 *
 * @example
 * ```ts
 * const admin = new PrividiumApiClient({ apiBaseUrl: proxy.url, account: privateKeyToAccount(adminKey) })
 * const { users } = await admin.request('GET', '/api/admin/users')
 * ```
 */
export class PrividiumApiClient {
  readonly #parameters: SignInWithEthereumParameters
  #token: string | undefined

  constructor(parameters: SignInWithEthereumParameters) {
    this.#parameters = parameters
  }

  /** Calls `path` with the session; resolves with the JSON answer (undefined for 204). */
  async request<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    this.#token ??= (await signInWithEthereum(this.#parameters)).token
    try {
      return (await call(this.#parameters.apiBaseUrl, method, path, this.#token, body)) as T
    } catch (error) {
      if (!(error instanceof PrividiumApiError) || error.status !== 401) throw error
      this.#token = (await signInWithEthereum(this.#parameters)).token
      return (await call(this.#parameters.apiBaseUrl, method, path, this.#token, body)) as T
    }
  }
}

async function call(apiBaseUrl: string, method: string, path: string, token: string | undefined, body: unknown): Promise<unknown> {
  const url = new URL(path, apiBaseUrl).toString()
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (response.status === 204) return undefined
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new PrividiumApiError({ url, status: response.status, code: 'NOT_JSON', message: text.slice(0, 200) || 'empty answer' })
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } }).error
    throw new PrividiumApiError({ url, status: response.status, code: error?.code ?? 'UNKNOWN', message: error?.message ?? text.slice(0, 200) })
  }
  return json
}
