import { createTransport, RpcRequestError, type EIP1193RequestFn, type LocalAccount, type Transport } from 'viem'
import { getHttpRpcClient } from 'viem/utils'
import { UNAUTHORIZED } from './jsonRpc.js'
import { signInWithEthereum } from './PrividiumApiClient.js'

/** Parameters of {@link prividiumTransport}. */
export type PrividiumTransportParameters = {
  /** The permissioned RPC's base URL (`apiBaseUrl` in the manifest): requests go to `<apiBaseUrl>/rpc`. */
  apiBaseUrl: string
  /** The wallet to sign in with (SIWE); the chain's config gives it its roles. */
  account: LocalAccount
  /** The SIWE domain to ask for; default: the server's first. */
  domain?: string | undefined
  /** How many times viem retries a failed request (a refusal or a missing session is not retried). Default 0. */
  retryCount?: number | undefined
  /** Timeout of one HTTP request, in ms. Default: the client's (viem: 10 000). */
  timeout?: number | undefined
}

/**
 * A viem transport to a private chain's permissioned RPC (docs/prividium.md) with a session of one
 * wallet: it signs in (SIWE) on its first request, sends `Authorization: Bearer <token>` with each, and
 * when the RPC answers -32090 (no session: expired, or the proxy restarted) signs in again, once for all
 * the requests that met that session, and asks again once. The session is the transport's: every client
 * built with it shares it.
 *
 * @example
 * ```ts
 * const client = createPublicClient({ transport: prividiumTransport({ apiBaseUrl: bank.apiBaseUrl, account: privateKeyToAccount(relayerKey) }) })
 * const logs = await client.getLogs({ address: interopCenter, fromBlock, toBlock })
 * ```
 */
export function prividiumTransport(parameters: PrividiumTransportParameters): Transport<'prividium'> {
  const { apiBaseUrl, account, domain } = parameters
  const url = `${apiBaseUrl}/rpc`
  let session: Promise<string> | undefined
  /** The session to use; a new one when `stale` is still the current one (so concurrent refusals sign in once). */
  const signedIn = (stale?: Promise<string>): Promise<string> => {
    if (session !== undefined && session !== stale) return session
    const next = signInWithEthereum({ apiBaseUrl, account, domain }).then(({ token }) => token)
    session = next
    // A failed sign-in is not kept: the next request tries again.
    next.catch(() => {
      if (session === next) session = undefined
    })
    return next
  }
  return ({ timeout: clientTimeout }) => {
    const timeout = parameters.timeout ?? clientTimeout ?? 10_000
    const rpc = getHttpRpcClient(url, { timeout })
    const ask = async (body: { method: string; params?: unknown }, token: string): Promise<unknown> => {
      const { error, result } = await rpc.request({ body, fetchOptions: { headers: { authorization: `Bearer ${token}` } } })
      if (error) throw new RpcRequestError({ body, error, url })
      return result
    }
    return createTransport(
      {
        key: 'prividium',
        name: 'Prividium session',
        type: 'prividium',
        retryCount: parameters.retryCount ?? 0,
        timeout,
        request: (async ({ method, params }) => {
          const body = { method, params }
          const used = signedIn()
          try {
            return await ask(body, await used)
          } catch (error) {
            if (!(error instanceof RpcRequestError) || error.code !== UNAUTHORIZED) throw error
            return ask(body, await signedIn(used))
          }
        }) as EIP1193RequestFn,
      },
      { url },
    )
  }
}
