// The explorer: an HTTP server with the JSON API of routes.ts, server-sent events for live updates, and the
// page (src/explorer/page, bundled for the browser with esbuild at start). docs/explorer.md.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JunctionError } from '../errors/JunctionError.js'
import type { NetworkManifest } from '../network/types.js'
import type { Store } from '../store/openStore.js'
import { createExplorerContext, type ExplorerContext } from './context.js'
import { ExplorerBadRequestError, ExplorerError } from './errors.js'
import { networkSnapshot, networkViewFor } from './networkView.js'
import type { PrivateSession } from './privateChains.js'
import { matchExplorerRoute } from './routes.js'
import type { Visitor } from './visibility.js'

export type CreateExplorerParameters = {
  manifest: NetworkManifest
  /** The services' store (read only). Absent: the explorer indexes the public chains itself, in memory. */
  store?: Store | undefined
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string | undefined
  /** Port; `0` lets the OS choose. Default 0. */
  port?: number | undefined
  /** Offer the manifest's dev accounts for signing in to private chains (development networks). Default true. */
  devSignIn?: boolean | undefined
  /** How often live updates look for a change. Default 1000 ms. */
  liveIntervalMs?: number | undefined
}

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page')
const SESSION_COOKIE = 'junction_explorer'

/**
 * The explorer of a network: `start()` bundles the page and listens; `url` is what to open.
 *
 * @example
 * ```ts
 * const explorer = createExplorer({ manifest, store: openStore('.junction/junction.db') })
 * await explorer.start()
 * console.log(`explorer: ${explorer.url}`)
 * ```
 */
export function createExplorer(parameters: CreateExplorerParameters): ExplorerServer {
  return new ExplorerServer(parameters)
}

export class ExplorerServer {
  readonly context: ExplorerContext
  readonly host: string
  readonly #parameters: CreateExplorerParameters
  readonly #visitors = new Map<string, Map<number, PrivateSession>>()
  readonly #streams = new Set<() => void>()
  /** The open live streams: each visitor's sessions, what it was sent last, and how to write to it. */
  readonly #live = new Set<LiveStream>()
  #liveTimer: NodeJS.Timeout | undefined
  #liveBusy = false
  /** Live ticks run so far (each reads the public part once, for every stream open). */
  liveTicks = 0
  /** Public snapshots read by the live ticks (one per tick, whatever the number of streams). */
  publicSnapshots = 0
  #server: Server | undefined
  #port: number
  #page: { html: string; css: string; js: string } | undefined

  constructor(parameters: CreateExplorerParameters) {
    this.#parameters = parameters
    this.context = createExplorerContext(parameters.manifest, parameters.store)
    this.host = parameters.host ?? '127.0.0.1'
    this.#port = parameters.port ?? 0
  }

  /** The page's URL. */
  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.#port}/`
  }

  /** Bundles the page (TypeScript → one script) and listens. */
  async start(): Promise<void> {
    const { build } = await import('esbuild')
    const bundled = await build({ entryPoints: [join(PAGE_DIR, 'app.ts')], bundle: true, write: false, format: 'esm', target: 'es2020', minify: false, logLevel: 'silent' })
    this.#page = { html: readFileSync(join(PAGE_DIR, 'index.html'), 'utf8'), css: readFileSync(join(PAGE_DIR, 'style.css'), 'utf8'), js: bundled.outputFiles[0]!.text }
    const server = createServer((req, res) => void this.#handle(req, res))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.#port, this.host, () => resolve())
    })
    this.#server = server
    this.#port = (server.address() as AddressInfo).port
  }

  /** Ends live streams and stops listening. */
  async stop(): Promise<void> {
    for (const end of this.#streams) end()
    clearInterval(this.#liveTimer)
    this.#liveTimer = undefined
    const server = this.#server
    this.#server = undefined
    if (!server) return
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://explorer')
    const sessions = this.#sessionsOf(req)
    try {
      if (req.method === 'GET' && !url.pathname.startsWith('/api/')) return this.#static(url.pathname, res)
      if (req.method === 'GET' && url.pathname === '/api/events') return this.#events(req, res, sessions)
      const found = matchExplorerRoute(req.method ?? 'GET', url.pathname)
      if (!found) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no API route ${req.method} ${url.pathname}`, details: 'The API is described in docs/explorer.md.' } })
      const body = req.method === 'POST' ? await readJson(req) : undefined
      const answer = await found.route.handle({ context: this.context, visitor: visitorOf(sessions), sessions, devSignIn: this.#parameters.devSignIn ?? true, params: found.params, query: url.searchParams, body })
      if (req.method === 'POST') this.#keep(req, res, sessions)
      sendJson(res, 200, answer)
    } catch (error) {
      sendError(res, error)
    }
  }

  /** The visitor's private-chain sessions, by the cookie; a visitor without one gets an empty map, kept only once it signs in ({@link #keep}). */
  #sessionsOf(req: IncomingMessage): Map<number, PrivateSession> {
    const cookie = /(?:^|;\s*)junction_explorer=([0-9a-f]{32})/.exec(req.headers.cookie ?? '')?.[1]
    return (cookie && this.#visitors.get(cookie)) || new Map<number, PrivateSession>()
  }

  /** Keeps a visitor's sessions after a sign-in, under a new cookie; forgets them after a sign-out. */
  #keep(req: IncomingMessage, res: ServerResponse, sessions: Map<number, PrivateSession>): void {
    const cookie = /(?:^|;\s*)junction_explorer=([0-9a-f]{32})/.exec(req.headers.cookie ?? '')?.[1]
    const known = cookie !== undefined && this.#visitors.get(cookie) === sessions
    if (sessions.size === 0) {
      if (known) this.#visitors.delete(cookie)
      return
    }
    if (known) return
    const id = randomBytes(16).toString('hex')
    this.#visitors.set(id, sessions)
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`)
  }

  #static(path: string, res: ServerResponse): void {
    const page = this.#page!
    const files: Record<string, [string, string]> = { '/': [page.html, 'text/html'], '/index.html': [page.html, 'text/html'], '/app.js': [page.js, 'text/javascript'], '/style.css': [page.css, 'text/css'] }
    const file = files[path]
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(`no page ${path}: the explorer is at /`)
      return
    }
    res.writeHead(200, { 'content-type': `${file[1]}; charset=utf-8`, 'cache-control': 'no-cache' })
    res.end(file[0])
  }

  /**
   * Server-sent events: `network` (the network view) whenever it changes, looked at every `liveIntervalMs`.
   * One timer serves every stream ({@link #tick}): the public part is read once per tick for all of them.
   */
  #events(req: IncomingMessage, res: ServerResponse, sessions: Map<number, PrivateSession>): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    res.write(': junction explorer live updates\n\n')
    const stream: LiveStream = { sessions, last: '', beat: 0, write: (text) => res.write(text) }
    this.#live.add(stream)
    if (!this.#liveTimer) {
      this.#liveTimer = setInterval(() => void this.#tick(), this.#parameters.liveIntervalMs ?? 1000)
      void this.#tick()
    }
    const end = () => {
      this.#live.delete(stream)
      if (this.#live.size === 0 && this.#liveTimer) {
        clearInterval(this.#liveTimer)
        this.#liveTimer = undefined
      }
      this.#streams.delete(end)
      res.end()
    }
    this.#streams.add(end)
    req.on('close', end)
  }

  /**
   * One live tick: the public snapshot read once, then one view per visitor (every anonymous stream shares
   * one; a signed-in visitor's streams share theirs: its private part is read once for all its pages), sent
   * to each stream whose view changed.
   */
  async #tick(): Promise<void> {
    if (this.#liveBusy) return
    this.#liveBusy = true
    try {
      this.liveTicks++
      let snapshot: Awaited<ReturnType<typeof networkSnapshot>>
      try {
        snapshot = await networkSnapshot(this.context)
        this.publicSnapshots++
      } catch (error) {
        for (const stream of this.#live) stream.write(`event: failure\ndata: ${JSON.stringify(errorBody(error))}\n\n`)
        return
      }
      const views = new Map<unknown, Promise<{ fingerprint: string; data: string } | { failure: string }>>()
      for (const stream of [...this.#live]) {
        const visitor = visitorOf(stream.sessions)
        const key = visitor.sessions.size === 0 ? ANONYMOUS_STREAM : stream.sessions
        let view = views.get(key)
        if (!view) {
          view = networkViewFor(this.context, visitor, snapshot).then(
            (v) => ({ fingerprint: JSON.stringify({ ...v, at: 0, services: { ...v.services, oldestPendingMs: v.services.oldestPendingMs === null } }, replacer), data: JSON.stringify(v, replacer) }),
            (error: unknown) => ({ failure: JSON.stringify(errorBody(error)) }),
          )
          views.set(key, view)
        }
        const answer = await view
        if ('failure' in answer) stream.write(`event: failure\ndata: ${answer.failure}\n\n`)
        else if (answer.fingerprint !== stream.last) {
          stream.last = answer.fingerprint
          stream.write(`event: network\ndata: ${answer.data}\n\n`)
        } else if (++stream.beat % 15 === 0) stream.write(': still here\n\n')
      }
    } finally {
      this.#liveBusy = false
    }
  }
}

/** An open live stream. */
type LiveStream = { sessions: Map<number, PrivateSession>; last: string; beat: number; write(text: string): void }

/** The key under which every anonymous stream shares one view per tick. */
const ANONYMOUS_STREAM = Symbol('anonymous')

function visitorOf(sessions: Map<number, PrivateSession>): Visitor {
  const now = Date.now()
  for (const [chainId, session] of sessions) if (Date.parse(session.expiresAt) <= now) sessions.delete(chainId)
  return { sessions }
}

const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, replacer)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(text)
}

function errorBody(error: unknown): { error: { code: string; message: string; details?: string } } {
  if (error instanceof ExplorerError) return { error: { code: error.code, message: error.shortMessage, ...(error.details ? { details: error.details } : {}) } }
  if (error instanceof JunctionError) return { error: { code: 'INTERNAL', message: error.shortMessage, ...(error.details ? { details: error.details } : {}) } }
  return { error: { code: 'INTERNAL', message: error instanceof Error ? error.message.split('\n')[0]! : String(error) } }
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.end()
    return
  }
  sendJson(res, error instanceof ExplorerError ? error.status : 500, errorBody(error))
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > 64 * 1024) throw new ExplorerBadRequestError('the body is larger than 64 KiB')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new ExplorerBadRequestError('the body is not JSON', { cause })
  }
}
