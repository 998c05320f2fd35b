// The one place where the permissioned RPC's requests reach the node: plain HTTP JSON-RPC over
// kept-alive connections, one request per call, counted.
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https'

/** The node's answer to one request: its result, or its JSON-RPC error as it gave it. */
export type NodeAnswer = { result: unknown } | { error: { code: number; message: string; data?: unknown } }

/** The node did not answer (down, timed out, or not JSON-RPC). */
export class NodeUnavailableError extends Error {
  override name = 'NodeUnavailableError'
}

/**
 * A JSON-RPC client of the raw node behind a permissioned RPC. Every request the proxy makes goes
 * through `request`, which counts them (`requests`).
 *
 * @example
 * ```ts
 * const node = new NodeClient('http://127.0.0.1:8545')
 * const answer = await node.request('eth_blockNumber', [])
 * ```
 */
export class NodeClient {
  readonly url: URL
  /** Requests sent so far. */
  requests = 0
  readonly #agent: Agent
  readonly #timeoutMs: number
  #nextId = 1

  constructor(url: string, parameters: { timeoutMs?: number | undefined } = {}) {
    this.url = new URL(url)
    this.#agent = this.url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 64 }) : new Agent({ keepAlive: true, maxSockets: 64 })
    this.#timeoutMs = parameters.timeoutMs ?? 30_000
  }

  /** Sends one request; resolves with the node's result or error, rejects with {@link NodeUnavailableError}. */
  request(method: string, params: readonly unknown[]): Promise<NodeAnswer> {
    this.requests++
    const id = this.#nextId++
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params })
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest
    return new Promise((resolve, reject) => {
      const req = send(
        this.url,
        { method: 'POST', agent: this.#agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: this.#timeoutMs },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('error', (error) => reject(new NodeUnavailableError(`the node's answer to ${method} broke off: ${error.message}`, { cause: error })))
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let answer: { result?: unknown; error?: { code: number; message: string; data?: unknown } }
            try {
              answer = JSON.parse(text)
            } catch (error) {
              return reject(new NodeUnavailableError(`the node answered ${method} with HTTP ${response.statusCode} and no JSON-RPC: ${text.slice(0, 200)}`, { cause: error }))
            }
            if (answer.error !== undefined) resolve({ error: answer.error })
            else if ('result' in answer) resolve({ result: answer.result })
            else reject(new NodeUnavailableError(`the node answered ${method} with neither result nor error`))
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)))
      req.on('error', (error) => reject(new NodeUnavailableError(`the node at ${this.url.origin} did not answer ${method}: ${error.message}`, { cause: error })))
      req.end(body)
    })
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#agent.destroy()
  }
}
