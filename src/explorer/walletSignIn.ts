// Sign-in with a browser wallet (docs/explorer.md, "Private chains"): the explorer asks each private chain's
// permissioned RPC for a SIWE message, the wallet signs them in the page, and the explorer hands the
// signatures to each RPC's login. Refusals come back with the RPC's code (WALLET_NOT_LINKED, …) so the
// page can say why.
import { getAddress, type Address } from 'viem'
import type { NetworkManifest } from '../network/types.js'
import { ExplorerBadRequestError, ExplorerUpstreamError } from './errors.js'
import { callPrivateApi, privateChainsOf, type PrivateSession } from './privateChains.js'

/** A SIWE message a private chain's RPC issued, to be signed by the wallet; `chainKey` names the chain without naming it. */
export type SiweMessageToSign = { chainKey: number; message: string; nonceToken: string }

/** A permissioned RPC's refusal of a sign-in: its code (`WALLET_NOT_LINKED`, `UNAUTHORIZED_ERROR`, …) and message. */
export type SignInRefusal = { code: string; message: string }

/**
 * One SIWE message per private chain for `address`, from each chain's permissioned RPC.
 *
 * @example
 * ```ts
 * const messages = await siweMessagesFor(manifest, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8')
 * ```
 */
export async function siweMessagesFor(manifest: NetworkManifest, address: Address): Promise<SiweMessageToSign[]> {
  const messages: SiweMessageToSign[] = []
  for (const [chainKey, chain] of privateChainsOf(manifest).entries()) {
    const answer = await callPrivateApi(chain, '/api/siwe-messages', { address })
    if (answer.status !== 200) throw new ExplorerUpstreamError(`a private chain's permissioned RPC refused to issue a sign-in message (${answer.status})`, { details: JSON.stringify(answer.body).slice(0, 300) })
    const issued = answer.body as { msg: string; nonceToken: string }
    messages.push({ chainKey, message: issued.msg, nonceToken: issued.nonceToken })
  }
  return messages
}

/**
 * Logs in at each private chain's RPC with the wallet's signatures: the sessions opened, and the refusals
 * with the RPC's code (a wallet no user of the chain has: `WALLET_NOT_LINKED`; a signature of another
 * wallet, an expired or used nonce: `UNAUTHORIZED_ERROR`).
 *
 * @example
 * ```ts
 * const { sessions, refusals } = await signInWithSignatures(manifest, signed)
 * ```
 */
export async function signInWithSignatures(manifest: NetworkManifest, body: unknown): Promise<{ sessions: PrivateSession[]; refusals: SignInRefusal[] }> {
  const signed = (body as { signed?: unknown } | undefined)?.signed
  if (!Array.isArray(signed)) throw new ExplorerBadRequestError('the body must be { signed: [{ chainKey, message, signature, nonceToken }] }')
  const chains = privateChainsOf(manifest)
  const sessions: PrivateSession[] = []
  const refusals: SignInRefusal[] = []
  for (const one of signed as { chainKey?: unknown; message?: unknown; signature?: unknown; nonceToken?: unknown }[]) {
    const chain = typeof one.chainKey === 'number' ? chains[one.chainKey] : undefined
    if (!chain) throw new ExplorerBadRequestError('chainKey must be one POST /api/session/siwe-messages gave')
    const answer = await callPrivateApi(chain, '/api/auth/login/crypto-native', { message: one.message, signature: one.signature, nonceToken: one.nonceToken })
    if (answer.status === 200) {
      const { token, expiresAt } = answer.body as { token: string; expiresAt: string }
      const address = /0x[0-9a-fA-F]{40}/.exec(String(one.message))?.[0]
      if (!address) throw new ExplorerBadRequestError('the signed message names no wallet address')
      sessions.push({ chainId: chain.chainId, address: getAddress(address), token, expiresAt })
    } else if (answer.status === 400 || answer.status === 401 || answer.status === 403) {
      const error = (answer.body as { error?: { code?: unknown; message?: unknown } }).error
      refusals.push({ code: String(error?.code ?? answer.status), message: String(error?.message ?? 'refused') })
    } else throw new ExplorerUpstreamError(`a private chain's permissioned RPC answered the sign-in with ${answer.status}`, { details: JSON.stringify(answer.body).slice(0, 300) })
  }
  return { sessions, refusals }
}
