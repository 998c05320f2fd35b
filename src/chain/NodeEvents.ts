import { EventEmitter } from 'node:events'
import { createPublicClient, webSocket, type Hex, type PublicClient } from 'viem'

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
  #client: PublicClient | undefined
  #stopped = false
  /** Announced blocks, for measurements. */
  blocks = 0

  constructor(parameters: NodeEventsParameters) {
    super()
    this.#p = parameters
  }

  /** Opens the connection and subscribes; throws if the node refuses (no WebSocket, no `eth_subscribe`). */
  async start(): Promise<void> {
    if (this.#client) return
    this.#stopped = false
    // A socket of its own (viem shares sockets per URL and key): closing it leaves others' open. No
    // keep-alive pings (a local node) and no reconnection: a node that went away is reported.
    const client = createPublicClient({ transport: webSocket(this.#p.wsUrl, { key: `junction-node-events-${nextKey++}`, keepAlive: false, reconnect: false, retryCount: 0 }) }) as PublicClient
    this.#client = client
    const onError = (error: unknown) => {
      if (!this.#stopped) this.emit('error', error)
    }
    await client.transport.subscribe({
      params: ['newHeads'],
      onData: (data: { result?: { number: Hex; hash: Hex; timestamp: Hex } }) => {
        const head = data.result
        if (!head) return
        this.blocks++
        this.emit('block', { number: Number(BigInt(head.number)), hash: head.hash, timestamp: Number(BigInt(head.timestamp)) })
      },
      onError,
    })
    if (this.#p.pendingTransactions) {
      await client.transport.subscribe({
        params: ['newPendingTransactions'],
        onData: (data: { result?: Hex }) => {
          if (data.result) this.emit('pending', data.result)
        },
        onError,
      })
    }
  }

  /** Closes the connection (its subscriptions end with it). */
  async stop(): Promise<void> {
    this.#stopped = true
    const client = this.#client
    this.#client = undefined
    if (!client) return
    const socket = await (client.transport as unknown as { getRpcClient(): Promise<{ close(): void }> }).getRpcClient()
    socket.close()
  }
}

let nextKey = 0
