import { EventEmitter } from 'node:events'
import { createPublicClient, http, type PublicClient } from 'viem'
import { NodeEvents } from './NodeEvents.js'

/** A chain whose blocks {@link ChainHeads} follows. */
export type FollowedChain = { name: string; chainId: number; rpcUrl: string }

/** Something that announces a chain's blocks in this process (Junction's `BlockProducer`). */
export type BlockAnnouncer = { readonly chainId: number; on(event: 'block', listener: (block: { number: number }) => void): unknown; off(event: 'block', listener: (block: { number: number }) => void): unknown }

/** Parameters of {@link ChainHeads.follow}. */
export type FollowChainsParameters = {
  chains: readonly FollowedChain[]
  /**
   * How often to ask a node that does not announce its blocks over a WebSocket (`eth_blockNumber`), in
   * milliseconds. Default 250.
   */
  pollMs?: number
  /** Called when a node's subscription fails (the chain is then polled). */
  onError?: (chainName: string, error: unknown) => void
}

/** Events of {@link ChainHeads}. */
export type ChainHeadsEvents = {
  /** `chainId` has a new head, `number`. */
  block: [chainId: number, number: number]
}

/**
 * Tells when each chain of a network has a new block, so that services are told instead of polling:
 * from the block producers running in this process (`ChainHeads.of(producers)`), or from the nodes
 * themselves (`ChainHeads.follow({ chains })`: each node's `newHeads` over its WebSocket; a node without
 * one, or whose subscription fails, is polled every `pollMs`, a bounded poll).
 *
 * @example
 * ```ts
 * const heads = ChainHeads.follow({ chains: [manifest.l1, ...manifest.chains] })
 * heads.on('block', (chainId, number) => console.log(chainId, number))
 * await heads.start()
 * await heads.stop()
 * ```
 */
export class ChainHeads extends EventEmitter<ChainHeadsEvents> {
  readonly #start: () => Promise<void>
  readonly #stop: () => Promise<void>
  /** How each chain is followed: announced by a producer here, subscribed over a WebSocket, or polled. */
  readonly modes = new Map<number, 'producer' | 'subscription' | 'poll'>()

  private constructor(start: (heads: ChainHeads) => { start(): Promise<void>; stop(): Promise<void> }) {
    super()
    const { start: begin, stop } = start(this)
    this.#start = begin
    this.#stop = stop
  }

  /** The blocks the producers of this process mine (and any block their nodes announce): told at once, nothing to start. */
  static of(announcers: readonly BlockAnnouncer[]): ChainHeads {
    return new ChainHeads((heads) => {
      const listeners = announcers.map((announcer) => [announcer, ({ number }: { number: number }) => heads.emit('block', announcer.chainId, number)] as const)
      for (const [announcer, listener] of listeners) {
        announcer.on('block', listener)
        heads.modes.set(announcer.chainId, 'producer')
      }
      return {
        async start() {},
        async stop() {
          for (const [announcer, listener] of listeners) announcer.off('block', listener)
        },
      }
    })
  }

  /** The blocks the nodes announce (WebSocket `newHeads`), or a bounded poll of a node that does not. */
  static follow(parameters: FollowChainsParameters): ChainHeads {
    const pollMs = parameters.pollMs ?? 250
    return new ChainHeads((heads) => {
      const subscriptions: NodeEvents[] = []
      const timers: NodeJS.Timeout[] = []
      let stopped = false
      const poll = (chain: FollowedChain) => {
        heads.modes.set(chain.chainId, 'poll')
        const client = createPublicClient({ transport: http(chain.rpcUrl, { retryCount: 0 }) }) as PublicClient
        let last = -1
        let asking = false
        const timer = setInterval(() => {
          if (asking || stopped) return
          asking = true
          client
            .getBlockNumber({ cacheTime: 0 })
            .then((number) => {
              if (Number(number) > last) {
                last = Number(number)
                heads.emit('block', chain.chainId, last)
              }
            })
            // A node that does not answer now may later: the services' own calls report its errors.
            .catch(() => undefined)
            .finally(() => (asking = false))
        }, pollMs)
        timer.unref()
        timers.push(timer)
      }
      return {
        async start() {
          await Promise.all(
            parameters.chains.map(async (chain) => {
              const events = new NodeEvents({ name: chain.name, wsUrl: chain.rpcUrl.replace(/^http/, 'ws') })
              events.on('block', ({ number }) => heads.emit('block', chain.chainId, number))
              events.once('error', (error) => {
                if (stopped) return
                parameters.onError?.(chain.name, error)
                void events.stop()
                poll(chain)
              })
              try {
                await events.start()
                subscriptions.push(events)
                heads.modes.set(chain.chainId, 'subscription')
              } catch {
                // No WebSocket there (a node of one's own may serve HTTP only): poll it.
                await events.stop()
                poll(chain)
              }
            }),
          )
        },
        async stop() {
          stopped = true
          for (const timer of timers) clearInterval(timer)
          await Promise.all(subscriptions.map((events) => events.stop()))
        },
      }
    })
  }

  /** Starts following (subscribes to the nodes, or listens to the producers). */
  start(): Promise<void> {
    return this.#start()
  }

  /** Stops following. */
  stop(): Promise<void> {
    return this.#stop()
  }
}
