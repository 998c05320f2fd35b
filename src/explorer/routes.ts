// Every route of the explorer's JSON API in one table (docs/explorer.md). Handlers take the parsed request
// and return what is sent as JSON; errors become `{ error: { code, message, details } }` in the server.
import { getAddress, isAddress, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { auditView, tokensView } from './tokensView.js'
import { batchView } from './batchView.js'
import { chainView } from './chainView.js'
import { chainName, type ExplorerContext } from './context.js'
import { ExplorerBadRequestError } from './errors.js'
import { instructionView } from './instructionView.js'
import { messageView, proofView } from './messageView.js'
import { networkView } from './networkView.js'
import { paymentView } from './paymentView.js'
import { privateChainsOf, signInEverywhere, type PrivateSession } from './privateChains.js'
import { addressView, search } from './searchView.js'
import type { Visitor } from './visibility.js'
import { signInWithSignatures, siweMessagesFor } from './walletSignIn.js'

/** One request as a handler sees it. */
export type ExplorerRequest = {
  context: ExplorerContext
  visitor: Visitor
  /** The visitor's sessions on private chains, by chain id: sign-in routes change it. */
  sessions: Map<number, PrivateSession>
  /** Whether dev-account sign-in is on (development networks). */
  devSignIn: boolean
  params: string[]
  query: URLSearchParams
  body: unknown
}

export type ExplorerRoute = { method: 'GET' | 'POST'; pattern: RegExp; handle(request: ExplorerRequest): Promise<unknown> }

const HASH = '(0x[0-9a-fA-F]{64})'
const NUMBER = '([0-9]{1,15})'

/** The API, in one table. */
export const EXPLORER_ROUTES: ExplorerRoute[] = [
  { method: 'GET', pattern: /^\/api\/network$/, handle: ({ context, visitor }) => networkView(context, visitor) },
  { method: 'GET', pattern: new RegExp(`^/api/chains/${NUMBER}$`), handle: ({ context, visitor, params }) => chainView(context, visitor, Number(params[0])) },
  { method: 'GET', pattern: new RegExp(`^/api/chains/${NUMBER}/batches/${NUMBER}$`), handle: ({ context, visitor, params }) => batchView(context, visitor, Number(params[0]), Number(params[1])) },
  { method: 'GET', pattern: new RegExp(`^/api/messages/${HASH}$`), handle: ({ context, visitor, params }) => messageView(context, visitor, params[0] as Hex) },
  { method: 'GET', pattern: new RegExp(`^/api/messages/${HASH}/proof$`), handle: ({ context, visitor, params }) => proofView(context, visitor, params[0] as Hex) },
  { method: 'GET', pattern: /^\/api\/addresses\/(0x[0-9a-fA-F]{40})$/, handle: ({ context, visitor, params }) => addressView(context, visitor, getAddress(params[0]!)) },
  { method: 'GET', pattern: /^\/api\/tokens\/(ETH|0x[0-9a-fA-F]{40})$/, handle: ({ context, visitor, params }) => tokensView(context, visitor, params[0] === 'ETH' ? 'ETH' : getAddress(params[0]!)) },
  { method: 'GET', pattern: /^\/api\/payments\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/, handle: ({ context, visitor, params }) => paymentView(context, visitor, params[0]!) },
  { method: 'GET', pattern: new RegExp(`^/api/instructions/${HASH}$`), handle: ({ context, visitor, params }) => instructionView(context, visitor, params[0]!.toLowerCase() as Hex) },
  { method: 'GET', pattern: /^\/api\/audit$/, handle: ({ context, visitor }) => auditView(context, visitor) },
  {
    method: 'GET',
    pattern: /^\/api\/search$/,
    handle: ({ context, visitor, query }) => search(context, visitor, query.get('q') ?? ''),
  },
  { method: 'GET', pattern: /^\/api\/session$/, handle: async (request) => sessionView(request) },
  {
    method: 'POST',
    pattern: /^\/api\/session\/dev-sign-in$/,
    handle: async (request) => {
      if (!request.devSignIn) throw new ExplorerBadRequestError('dev-account sign-in is off on this explorer', { details: 'Sign in with a browser wallet.' })
      const address = addressIn(request.body)
      const user = request.context.manifest.accounts.users.find((u) => u.address.toLowerCase() === address.toLowerCase())
      if (!user) throw new ExplorerBadRequestError(`${address} is not a dev account of this network`, { details: 'Pick one of GET /api/session\'s devAccounts.' })
      const { sessions, refused } = await signInEverywhere(request.context.manifest, privateKeyToAccount(user.privateKey))
      request.sessions.clear()
      for (const session of sessions) request.sessions.set(session.chainId, session)
      return { ...sessionView(request), refused: refused.length }
    },
  },
  { method: 'POST', pattern: /^\/api\/session\/siwe-messages$/, handle: async ({ context, body }) => ({ messages: await siweMessagesFor(context.manifest, addressIn(body)) }) },
  {
    method: 'POST',
    pattern: /^\/api\/session\/sign-in$/,
    handle: async (request) => {
      const { sessions, refusals } = await signInWithSignatures(request.context.manifest, request.body)
      request.sessions.clear()
      for (const session of sessions) request.sessions.set(session.chainId, session)
      return { ...sessionView(request), refused: refusals.length, refusals }
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/session\/sign-out$/,
    handle: async (request) => {
      request.sessions.clear()
      return sessionView(request)
    },
  },
]

/** What `GET /api/session` answers: how to sign in, and where the visitor is signed in. */
export type SessionView = {
  devSignIn: boolean
  devAccounts: { address: Address; label: string }[]
  /** How many private chains the network has (sign in to see them). */
  privateChains: number
  signedIn: { chainId: number; name: string; address: Hex; expiresAt: string }[]
}

function sessionView(request: ExplorerRequest): SessionView {
  const { manifest } = request.context
  return {
    devSignIn: request.devSignIn,
    devAccounts: request.devSignIn ? manifest.accounts.users.map((user, i) => ({ address: user.address, label: `dev user ${i}` })) : [],
    privateChains: privateChainsOf(manifest).length,
    signedIn: [...request.sessions.values()].map((s) => ({ chainId: s.chainId, name: chainName(manifest, s.chainId), address: s.address, expiresAt: s.expiresAt })),
  }
}

function addressIn(body: unknown): Address {
  const address = (body as { address?: unknown } | undefined)?.address
  if (typeof address !== 'string' || !isAddress(address, { strict: false })) throw new ExplorerBadRequestError('the body must be { address: "0x…" } (a 20-byte address)')
  return getAddress(address)
}

/** Finds the route for `method` and `path`, with its captured parameters. */
export function matchExplorerRoute(method: string, path: string): { route: ExplorerRoute; params: string[] } | undefined {
  for (const route of EXPLORER_ROUTES) {
    if (route.method !== method) continue
    const match = route.pattern.exec(path)
    if (match) return { route, params: match.slice(1) }
  }
  return undefined
}
