import { EventEmitter } from 'node:events'
import type { Hex } from 'viem'
import WebSocket from 'ws'
import { JunctionError } from '../errors/JunctionError.js'

/** Parameters of {@link NodeEvents}. */
export type NodeEventsParameters = {
  /** The node's name, for errors. */
  name: string
  /** The node's WebSocket URL (`ws://…`; anvil serves it on its HTTP port). */
  wsUrl: string
  /** Also announce each transaction the node's pool accepts (`newPendingTransactions`). Default false. */
  pendingTransactions?: boolean
}

/** A block the node announced: its number, hash and timestamp (seconds). */
export type AnnouncedBlock = { number: number; hash: Hex; timestamp: number }

/** Events of a {@link NodeEvents}, each with its listener arguments. */
export type NodeEventsEvents = {
  /** A new head (`newHeads`). */
  block: [block: AnnouncedBlock]
  /** The pool accepted a transaction (`newPendingTransactions`), when asked for. */
  pending: [hash: Hex]
  /** The subscription failed or the connection closed while running; nothing more is announced. */
  error: [error: unknown]
}

/**
 * What a node tells about itself, over one WebSocket of its own: each new block (`eth_subscribe
 * newHeads`) and, when asked for, each transaction its pool accepts (`newPendingTransactions`),
 * whoever sent it. No polling: an idle node sends nothing. `start()` resolves once subscribed; a
 * connection that closes while running emits `error` (a stopped node), and `stop()` closes it.
 *
 * The socket is its own, not viem's: viem keeps one socket per URL for every client in the process, so
 * one client closing it ended every other subscription to that node (a block producer stopped hearing
 * of transactions when a service following the same node stopped).
 *
 * @example
 * ```ts
 * const events = new NodeEvents({ name: 'alpha', wsUrl: 'ws://127.0.0.1:8546' })
 * events.on('block', ({ number }) => console.log('block', number))
 * await events.start()
 * await events.stop()
 * ```
 */
export class NodeEvents extends EventEmitter<NodeEventsEvents> {
  readonly #p: NodeEventsParameters
  #socket: WebSocket | undefined
  #stopped = false
  #nextId = 1
  /** Requests sent and not answered yet, by id. */
  readonly #waiting = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>()
  /** Subscription ids the node gave, and what each announces. */
  readonly #subscriptions = new Map<string, 'newHeads' | 'newPendingTransactions'>()
  /** Announced blocks, for measurements. */
  blocks = 0

  constructor(parameters: NodeEventsParameters) {
    super()
    this.#p = parameters
  }

  /** Opens the connection and subscribes; throws if the node refuses (no WebSocket, no `eth_subscribe`). */
  async start(): Promise<void> {
    if (this.#socket) return
    this.#stopped = false
    const socket = new WebSocket(this.#p.wsUrl)
    this.#socket = socket
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve())
        socket.once('error', reject)
      })
    } catch (error) {
      this.#socket = undefined
      socket.terminate()
      throw new NodeEventsError(this.#p.name, `could not open ${this.#p.wsUrl}`, error)
    }
    socket.on('message', (data) => this.#onMessage(data.toString()))
    socket.on('error', (error) => this.#fail(error))
    socket.on('close', () => this.#fail(new NodeEventsError(this.#p.name, 'the connection closed')))
    try {
      this.#subscriptions.set(String(await this.#request('eth_subscribe', ['newHeads'])), 'newHeads')
      if (this.#p.pendingTransactions) this.#subscriptions.set(String(await this.#request('eth_subscribe', ['newPendingTransactions'])), 'newPendingTransactions')
    } catch (error) {
      await this.stop()
      throw error
    }
  }

  /** Closes the connection (its subscriptions end with it). */
  async stop(): Promise<void> {
    this.#stopped = true
    const socket = this.#socket
    this.#socket = undefined
    this.#subscriptions.clear()
    for (const { reject } of this.#waiting.values()) reject(new NodeEventsError(this.#p.name, 'stopped'))
    this.#waiting.clear()
    if (!socket || socket.readyState === WebSocket.CLOSED) return
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve())
      socket.close()
    })
  }

  #request(method: string, params: unknown[]): Promise<unknown> {
    const socket = this.#socket
    if (!socket) return Promise.reject(new NodeEventsError(this.#p.name, 'not started'))
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject })
      socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
    })
  }

  #onMessage(text: string): void {
    let message: { id?: number; result?: unknown; error?: { message?: string }; method?: string; params?: { subscription?: string; result?: unknown } }
    try {
      message = JSON.parse(text)
    } catch (error) {
      this.#fail(new NodeEventsError(this.#p.name, 'the node sent something that is not JSON', error))
      return
    }
    if (message.method === 'eth_subscription' && message.params?.subscription !== undefined) {
      const what = this.#subscriptions.get(message.params.subscription)
      const result = message.params.result
      if (what === 'newHeads') {
        const head = result as { number: Hex; hash: Hex; timestamp: Hex }
        this.blocks++
        this.emit('block', { number: Number(BigInt(head.number)), hash: head.hash, timestamp: Number(BigInt(head.timestamp)) })
      } else if (what === 'newPendingTransactions' && typeof result === 'string') this.emit('pending', result as Hex)
      return
    }
    if (message.id === undefined) return
    const waiting = this.#waiting.get(message.id)
    if (!waiting) return
    this.#waiting.delete(message.id)
    if (message.error) waiting.reject(new NodeEventsError(this.#p.name, `the node refused: ${message.error.message ?? JSON.stringify(message.error)}`))
    else waiting.resolve(message.result)
  }

  /** A connection that fails while running: reported once, nothing more is announced. */
  #fail(error: unknown): void {
    if (this.#stopped) return
    this.#stopped = true
    for (const { reject } of this.#waiting.values()) reject(error instanceof Error ? error : new NodeEventsError(this.#p.name, String(error)))
    this.#waiting.clear()
    this.#socket?.terminate()
    this.#socket = undefined
    this.emit('error', error)
  }
}

/** The node's WebSocket could not be opened, refused a subscription, failed or closed. */
export class NodeEventsError extends JunctionError {
  override name = 'NodeEventsError'
  constructor(
    readonly node: string,
    detail: string,
    cause?: unknown,
  ) {
    super(`${node}'s WebSocket: ${detail}`, { cause, details: 'Junction follows a node\'s blocks and pool over its WebSocket (anvil serves it on its HTTP port). Check that the node runs and serves WebSocket at that URL.' })
  }
}
