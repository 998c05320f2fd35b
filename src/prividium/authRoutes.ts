// Sign-in (SIWE), sign-out and the caller's profile, in the shapes the prividium SDK expects.
import { getAddress, isAddress, type Address, type Hex } from 'viem'
import { generateSiweNonce } from 'viem/siwe'
import type { RouteAnswer, RouteRequest } from './context.js'
import { RestError } from './http.js'
import { buildSiweMessage, checkSiweLogin, verifySiweSignature } from './siwe.js'

/**
 * `POST /api/siwe-messages` `{ address, domain? }` → `{ nonce, msg, nonceToken }`: an EIP-4361 message for
 * `address` to sign, valid `siwe.nonceTtlSeconds`, and the opaque token to send back with it. Issued to any
 * address (whether it is linked is told only after a valid signature).
 */
export function issueSiweMessage(request: RouteRequest): RouteAnswer {
  const { context } = request
  const body = jsonObject(request.bodyText)
  if (typeof body.address !== 'string' || !isAddress(body.address, { strict: false })) throw new RestError(400, 'VALIDATION_ERROR', 'address must be a 20-byte hex address')
  const domains = context.config.siwe.domains
  if (body.domain !== undefined && (typeof body.domain !== 'string' || !domains.includes(body.domain))) {
    throw new RestError(400, 'VALIDATION_ERROR', `domain ${JSON.stringify(String(body.domain).slice(0, 100))} is not one this server accepts (${domains.join(', ')})`)
  }
  const domain = (body.domain as string | undefined) ?? domains[0]!
  const address = getAddress(body.address)
  const nonce = generateSiweNonce()
  const issued = context.tokens.issueNonce((expiresAt) => ({
    address,
    domain,
    nonce,
    expiresAt,
    message: buildSiweMessage({ address, domain, uri: context.origin, chainId: context.chainId, statement: context.config.siwe.statement, nonce, issuedAt: new Date(context.now()), expirationTime: new Date(expiresAt) }),
  }))
  if (!issued) throw new RestError(429, 'RATE_LIMIT_ERROR', 'too many sign-in messages wait unused: try again later', { 'retry-after': String(context.config.siwe.nonceTtlSeconds) })
  return { status: 200, body: { nonce, msg: issued.issued.message, nonceToken: issued.nonceToken } }
}

/**
 * `POST /api/auth/login/crypto-native` `{ message, signature, nonceToken }` → `{ token, expiresAt, renewableUntil }`.
 * The nonce token is used up by the attempt; the message must be the one issued with it (domain, chain id,
 * nonce, address, expiry checked one by one), signed by its address; the wallet must belong to a user
 * (401 `WALLET_NOT_LINKED` otherwise). Every attempt is in the audit log.
 */
export async function login(request: RouteRequest): Promise<RouteAnswer> {
  const { context } = request
  const body = jsonObject(request.bodyText)
  const refuse = (wallet: string | null, reason: string, code: 'UNAUTHORIZED_ERROR' | 'WALLET_NOT_LINKED' = 'UNAUTHORIZED_ERROR'): never => {
    context.audit({ userId: null, wallet, method: 'auth:login', target: null, selector: null, allowed: false, reason, client: request.client })
    throw new RestError(401, code, reason)
  }
  if (typeof body.message !== 'string' || body.message.length > 4_000) throw new RestError(400, 'VALIDATION_ERROR', 'message must be the SIWE message issued (a string)')
  if (typeof body.signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(body.signature)) throw new RestError(400, 'VALIDATION_ERROR', 'signature must be 65 bytes of hex')
  if (typeof body.nonceToken !== 'string' || body.nonceToken.length > 200) throw new RestError(400, 'VALIDATION_ERROR', 'nonceToken must be the token issued with the message')
  const taken = context.tokens.takeNonce(body.nonceToken)
  if (!taken.ok) refuse(null, taken.reason)
  const { issued } = taken as Extract<typeof taken, { ok: true }>
  const problem = checkSiweLogin({ message: body.message, issued, domains: context.config.siwe.domains, chainId: context.chainId, now: context.now() })
  if (problem) refuse(issued.address, problem)
  const { valid, publicKey } = await verifySiweSignature({ address: issued.address, message: body.message, signature: body.signature as Hex })
  if (!valid) refuse(issued.address, `the signature is not ${issued.address}'s signature of the message`)
  const user = context.index().userByWallet.get(issued.address.toLowerCase())
  if (!user) refuse(issued.address, `wallet ${issued.address} is not linked to any user of this chain`, 'WALLET_NOT_LINKED')
  const { token, session } = context.tokens.openSession({ userId: user!.id, wallet: issued.address as Address, publicKey })
  context.audit({ userId: user!.id, wallet: issued.address, method: 'auth:login', target: null, selector: null, allowed: true, reason: 'signed in (SIWE)', client: request.client })
  const expiresAt = new Date(session.expiresAt).toISOString()
  return { status: 200, body: { token, expiresAt, renewableUntil: expiresAt } }
}

/** `POST /api/auth/logout` (Bearer): ends the session. */
export function logout(request: RouteRequest): RouteAnswer {
  if (request.token !== undefined) request.context.tokens.close(request.token)
  return { status: 204 }
}

/** `GET /api/profiles/me` (Bearer) → `{ id, displayName, createdAt, updatedAt, roles: [{ roleName }], wallets: [{ walletAddress }] }`. */
export function profile(request: RouteRequest): RouteAnswer {
  const { caller, context } = request
  if (caller.kind !== 'user') throw new RestError(401, 'UNAUTHORIZED_ERROR', caller.sessionProblem ?? 'sign in first')
  const user = context.index().userById.get(caller.userId)!
  const loadedAt = new Date(context.version().at).toISOString()
  return {
    status: 200,
    body: {
      id: user.id,
      displayName: user.displayName,
      createdAt: user.createdAt ?? loadedAt,
      updatedAt: user.updatedAt ?? loadedAt,
      roles: user.roles.map((roleName) => ({ roleName })),
      wallets: user.wallets.map((walletAddress) => ({ walletAddress })),
    },
  }
}

/** The body as a JSON object, or 400. */
export function jsonObject(text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new RestError(400, 'VALIDATION_ERROR', 'the body is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RestError(400, 'VALIDATION_ERROR', 'the body must be a JSON object')
  return value as Record<string, unknown>
}
