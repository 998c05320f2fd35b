// The one place where the permissioned RPC's requests reach the node: plain HTTP JSON-RPC over
// kept-alive connections, counted. Reads asked in the same turn of the event loop go as one JSON-RPC
// batch (fewer round trips under load); transactions always go alone (anvil's automine can leave
// batched transactions pending, ENGINE-NOTES.md).
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https'

/** The node's answer to one request: its result, or its JSON-RPC error as it gave it. */
export type NodeAnswer = { result: unknown } | { error: { code: number; message: string; data?: unknown } }

/** The node did not answer (down, timed out, or not JSON-RPC). */
export class NodeUnavailableError extends Error {
  override name = 'NodeUnavailableError'
}

type RawAnswer = { id?: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } }
type Pending = { id: number; method: string; params: readonly unknown[]; resolve: (answer: NodeAnswer) => void; reject: (error: Error) => void }

/** Methods never put in a batch. */
const ALONE = new Set(['eth_sendRawTransaction'])
const MAX_BATCH = 100

/**
 * A JSON-RPC client of the raw node behind a permissioned RPC. Every request the proxy makes goes
 * through `request`, which counts them (`requests`; `httpRequests` counts what went over the wire).
 *
 * @example
 * ```ts
 * const node = new NodeClient('http://127.0.0.1:8545')
 * const answer = await node.request('eth_blockNumber', [])
 * ```
 */
export class NodeClient {
  readonly url: URL
  /** JSON-RPC requests sent so far. */
  requests = 0
  /** HTTP requests sent so far (a batch is one). */
  httpRequests = 0
  readonly #agent: Agent
  readonly #timeoutMs: number
  #nextId = 1
  #queue: Pending[] = []

  constructor(url: string, parameters: { timeoutMs?: number | undefined } = {}) {
    this.url = new URL(url)
    this.#agent = this.url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 64 }) : new Agent({ keepAlive: true, maxSockets: 64 })
    this.#timeoutMs = parameters.timeoutMs ?? 30_000
  }

  /** Sends one request; resolves with the node's result or error, rejects with {@link NodeUnavailableError}. */
  request(method: string, params: readonly unknown[]): Promise<NodeAnswer> {
    this.requests++
    return new Promise((resolve, reject) => {
      const pending = { id: this.#nextId++, method, params, resolve, reject }
      if (ALONE.has(method)) return this.#send([pending], false)
      this.#queue.push(pending)
      if (this.#queue.length === 1) setImmediate(() => this.#flush())
    })
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#agent.destroy()
  }

  #flush(): void {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH)
      this.#send(batch, batch.length > 1)
    }
  }

  #send(entries: Pending[], asBatch: boolean): void {
    this.httpRequests++
    const requests = entries.map(({ id, method, params }) => ({ jsonrpc: '2.0', id, method, params }))
    const body = JSON.stringify(asBatch ? requests : requests[0])
    const what = entries.length === 1 ? entries[0]!.method : `a batch of ${entries.length} requests`
    const fail = (error: NodeUnavailableError) => entries.forEach((entry) => entry.reject(error))
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(
      this.url,
      { method: 'POST', agent: this.#agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: this.#timeoutMs },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', (error) => fail(new NodeUnavailableError(`the node's answer to ${what} broke off: ${error.message}`, { cause: error })))
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let parsed: unknown
          try {
            parsed = JSON.parse(text)
          } catch (error) {
            return fail(new NodeUnavailableError(`the node answered ${what} with HTTP ${response.statusCode} and no JSON-RPC: ${text.slice(0, 200)}`, { cause: error }))
          }
          const answers = new Map<unknown, RawAnswer>()
          for (const answer of Array.isArray(parsed) ? parsed : [parsed]) if (typeof answer === 'object' && answer !== null) answers.set((answer as RawAnswer).id, answer as RawAnswer)
          for (const entry of entries) {
            const answer = answers.get(entry.id) ?? (!asBatch && answers.size === 1 ? [...answers.values()][0] : undefined)
            if (answer?.error !== undefined) entry.resolve({ error: answer.error })
            else if (answer && 'result' in answer) entry.resolve({ result: answer.result })
            else entry.reject(new NodeUnavailableError(`the node answered ${entry.method} with neither result nor error: ${text.slice(0, 200)}`))
          }
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)))
    req.on('error', (error) => fail(new NodeUnavailableError(`the node at ${this.url.origin} did not answer ${what}: ${error.message}`, { cause: error })))
    req.end(body)
  }
}
