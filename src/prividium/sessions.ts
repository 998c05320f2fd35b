// Nonce tokens and session tokens: opaque random strings, kept in memory by their SHA-256 (a token is
// never stored as given). A restart forgets them: clients sign in again (the SDK does so by itself on
// -32090). And the sign-in rate limit per client address.
import { createHash, randomBytes } from 'node:crypto'
import type { Address, Hex } from 'viem'
import type { IssuedSiweMessage } from './siwe.js'

/** A signed-in session. */
export type Session = {
  userId: string
  wallet: Address
  publicKey?: Hex | undefined
  /** Milliseconds since the epoch. */
  createdAt: number
  expiresAt: number
}

export type TakeNonceReturnType = { ok: true; issued: IssuedSiweMessage } | { ok: false; reason: string }
export type SessionLookupReturnType = { ok: true; session: Session } | { ok: false; reason: string }

/**
 * The tokens of one permissioned RPC. A nonce token can be used once (a second use is a replay, refused
 * as such until it would have expired); a session lasts `sessionTtlMs` and is not renewed.
 *
 * @example
 * ```ts
 * const tokens = new TokenStore({ nonceTtlMs: 300_000, sessionTtlMs: 3_600_000, maxPendingNonces: 10_000, now: Date.now })
 * const { nonceToken } = tokens.issueNonce((expiresAt) => ({ address, domain, nonce, message, expiresAt }))!
 * ```
 */
export class TokenStore {
  readonly #nonceTtlMs: number
  readonly #sessionTtlMs: number
  readonly #maxPendingNonces: number
  readonly #now: () => number
  /** hash(nonce token) → the message issued with it. */
  readonly #pending = new Map<string, IssuedSiweMessage>()
  /** hash(nonce token) → when it would have expired: used ones, to name a replay. */
  readonly #used = new Map<string, number>()
  /** hash(session token) → session. */
  readonly #sessions = new Map<string, Session>()
  #sweptAt = 0

  constructor(parameters: { nonceTtlMs: number; sessionTtlMs: number; maxPendingNonces: number; now: () => number }) {
    this.#nonceTtlMs = parameters.nonceTtlMs
    this.#sessionTtlMs = parameters.sessionTtlMs
    this.#maxPendingNonces = parameters.maxPendingNonces
    this.#now = parameters.now
  }

  /** Issues a nonce token for the message `build` makes (given its expiry); undefined when too many wait unused. */
  issueNonce(build: (expiresAt: number) => IssuedSiweMessage): { nonceToken: string; issued: IssuedSiweMessage } | undefined {
    this.#sweep()
    if (this.#pending.size >= this.#maxPendingNonces) return undefined
    const nonceToken = newToken()
    const issued = build(this.#now() + this.#nonceTtlMs)
    this.#pending.set(digest(nonceToken), issued)
    return { nonceToken, issued }
  }

  /** Takes a nonce token: it cannot be used again, whatever the login's outcome. */
  takeNonce(nonceToken: string): TakeNonceReturnType {
    const key = digest(nonceToken)
    const issued = this.#pending.get(key)
    if (!issued) return { ok: false, reason: this.#used.has(key) ? 'this nonce token was already used: a replayed sign-in is refused (ask for a new message)' : 'unknown nonce token: ask for a message first (POST /api/siwe-messages)' }
    this.#pending.delete(key)
    this.#used.set(key, issued.expiresAt)
    if (issued.expiresAt <= this.#now()) return { ok: false, reason: 'the nonce token has expired: ask for a new message' }
    return { ok: true, issued }
  }

  /** Opens a session; its token is returned once and kept only as a hash. */
  openSession(session: Omit<Session, 'createdAt' | 'expiresAt'>): { token: string; session: Session } {
    this.#sweep()
    const token = newToken()
    const now = this.#now()
    const opened = { ...session, createdAt: now, expiresAt: now + this.#sessionTtlMs }
    this.#sessions.set(digest(token), opened)
    return { token, session: opened }
  }

  /** The session of a bearer token, or why there is none. */
  session(token: string): SessionLookupReturnType {
    const key = digest(token)
    const session = this.#sessions.get(key)
    if (!session) return { ok: false, reason: 'unknown session token: sign in again' }
    if (session.expiresAt <= this.#now()) {
      this.#sessions.delete(key)
      return { ok: false, reason: 'the session has expired: sign in again' }
    }
    return { ok: true, session }
  }

  /** Ends a session (logout). */
  close(token: string): boolean {
    return this.#sessions.delete(digest(token))
  }

  /** How many sessions are open and nonces wait (for tests and the status). */
  get counts(): { sessions: number; pendingNonces: number } {
    return { sessions: this.#sessions.size, pendingNonces: this.#pending.size }
  }

  /** Forgets what expired, at most once a second. */
  #sweep(): void {
    const now = this.#now()
    if (now - this.#sweptAt < 1_000) return
    this.#sweptAt = now
    for (const [key, issued] of this.#pending) if (issued.expiresAt <= now) this.#pending.delete(key)
    for (const [key, expiresAt] of this.#used) if (expiresAt <= now) this.#used.delete(key)
    for (const [key, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(key)
  }
}

/**
 * Requests per minute per client address, in fixed one-minute windows.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ perMinute: 60, now: Date.now })
 * const retryAfter = limiter.take('127.0.0.1') // undefined, or the seconds to wait
 * ```
 */
export class RateLimiter {
  readonly #perMinute: number
  readonly #now: () => number
  readonly #windows = new Map<string, { start: number; count: number }>()

  constructor(parameters: { perMinute: number; now: () => number }) {
    this.#perMinute = parameters.perMinute
    this.#now = parameters.now
  }

  /** Counts one request from `client`; returns the seconds to wait when over the limit. */
  take(client: string): number | undefined {
    const now = this.#now()
    if (this.#windows.size > 10_000) for (const [key, w] of this.#windows) if (now - w.start >= 60_000) this.#windows.delete(key)
    let window = this.#windows.get(client)
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 }
      this.#windows.set(client, window)
    }
    window.count++
    if (window.count <= this.#perMinute) return undefined
    return Math.max(1, Math.ceil((window.start + 60_000 - now) / 1_000))
  }
}

function newToken(): string {
  return randomBytes(32).toString('base64url')
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
