// The one place where the explorer reaches a private chain: through its permissioned RPC, with the token
// of the visitor it acts for (docs/explorer.md, "Private chains"). It never holds a raw node's URL.
import { createClient, custom, type Client, type Hex, type LocalAccount } from 'viem'
import type { NetworkManifest, ZkChainInfo } from '../network/types.js'
import { signInWithEthereum } from '../prividium/PrividiumApiClient.js'
import { PrividiumApiError } from '../prividium/errors.js'
import { ExplorerError, ExplorerUpstreamError } from './errors.js'

/** A visitor's session on one private chain: the wallet and the permissioned RPC's token. */
export type PrivateSession = { chainId: number; address: Hex; token: string; expiresAt: string }

/** The private chains of a manifest (with their permissioned RPC's origin). */
export function privateChainsOf(manifest: NetworkManifest): (ZkChainInfo & { apiBaseUrl: string })[] {
  return manifest.chains.filter((chain): chain is ZkChainInfo & { apiBaseUrl: string } => chain.private === true && typeof chain.apiBaseUrl === 'string')
}

/** Whether `chainId` is a private chain of the manifest. */
export function isPrivateChain(manifest: NetworkManifest, chainId: number): boolean {
  return manifest.chains.some((chain) => chain.chainId === chainId && chain.private === true)
}

/** The manifest without its private chains: what the explorer's own reads of nodes may use. */
export function publicManifestOf(manifest: NetworkManifest): NetworkManifest {
  return { ...manifest, chains: manifest.chains.filter((chain) => chain.private !== true) }
}

/**
 * Signs `account` in to every private chain (dev-account sign-in: the explorer holds the key). Chains where
 * the wallet has no user (the permissioned RPC answers 401 WALLET_NOT_LINKED) are left out of the result.
 */
export async function signInEverywhere(manifest: NetworkManifest, account: LocalAccount): Promise<{ sessions: PrivateSession[]; refused: { chainId: number; reason: string }[] }> {
  const sessions: PrivateSession[] = []
  const refused: { chainId: number; reason: string }[] = []
  for (const chain of privateChainsOf(manifest)) {
    try {
      const { token, expiresAt } = await signInWithEthereum({ apiBaseUrl: chain.apiBaseUrl, account })
      sessions.push({ chainId: chain.chainId, address: account.address, token, expiresAt })
    } catch (error) {
      if (error instanceof PrividiumApiError && (error.status === 401 || error.status === 403)) refused.push({ chainId: chain.chainId, reason: `${error.code}` })
      else throw new ExplorerUpstreamError(`sign-in at a private chain's permissioned RPC failed`, { details: error instanceof Error ? error.message : String(error), cause: error })
    }
  }
  return { sessions, refused }
}

/** A REST call to a private chain's permissioned RPC (sign-in with a browser wallet goes through these). */
export async function callPrivateApi(chain: { apiBaseUrl: string }, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, chain.apiBaseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const text = await response.text()
  try {
    return { status: response.status, body: JSON.parse(text) }
  } catch (cause) {
    throw new ExplorerUpstreamError(`the permissioned RPC at ${chain.apiBaseUrl} answered ${response.status} with something other than JSON`, { details: text.slice(0, 200), cause })
  }
}

/** What a JSON-RPC call through the permissioned RPC gave: a result, or the proxy's refusal. */
export type PrivateRpcAnswer<T> = { ok: true; result: T } | { ok: false; code: number; message: string }

/**
 * One JSON-RPC request to a private chain, as the visitor whose session this is. Refusals (-32001 not
 * allowed, -32090 session expired) are answers, not errors: the page shows them.
 */
export async function privateRpc<T>(chain: { apiBaseUrl: string }, session: PrivateSession, method: string, params: unknown[]): Promise<PrivateRpcAnswer<T>> {
  let response: Response
  try {
    response = await fetch(`${chain.apiBaseUrl}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
  } catch (cause) {
    throw new ExplorerUpstreamError(`the permissioned RPC at ${chain.apiBaseUrl} cannot be reached`, { details: 'Is the private chain running?', cause })
  }
  const text = await response.text()
  let answer: { result?: T; error?: { code: number; message: string } }
  try {
    answer = JSON.parse(text)
  } catch (cause) {
    throw new ExplorerUpstreamError(`the permissioned RPC at ${chain.apiBaseUrl} answered ${response.status} with something other than JSON`, { details: text.slice(0, 200), cause })
  }
  if (answer.error) return { ok: false, code: answer.error.code, message: answer.error.message }
  return { ok: true, result: answer.result as T }
}

/** A refusal of a permissioned RPC inside a {@link privateClient}'s request: {@link refusalIn} finds it in what viem throws. */
export class PrivateRpcRefusal extends ExplorerError {
  override name = 'PrivateRpcRefusal'
}

/**
 * A viem client on a private chain as the visitor: every request goes through the chain's permissioned RPC
 * with the visitor's token, calls come from the visitor's wallet (`eth_call` needs a `from` of the caller's),
 * and a refusal throws a {@link PrivateRpcRefusal}.
 *
 * @example
 * ```ts
 * const client = privateClient(chain, session)
 * const supply = await readContract(client, { address, abi, functionName: 'bridgedBalance' })
 * ```
 */
export function privateClient(chain: { apiBaseUrl: string }, session: PrivateSession): Client {
  return createClient({
    account: session.address,
    transport: custom({
      async request({ method, params }) {
        const answer = await privateRpc<unknown>(chain, session, method, (params ?? []) as unknown[])
        if (!answer.ok) throw new PrivateRpcRefusal(answer.message, { details: `JSON-RPC error ${answer.code}` })
        return answer.result
      },
    }),
  })
}

/** The {@link PrivateRpcRefusal} in an error's causes, if a permissioned RPC's refusal is why it failed. */
export function refusalIn(error: unknown): PrivateRpcRefusal | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof PrivateRpcRefusal) return e
  return undefined
}
