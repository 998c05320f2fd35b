import { keccak256, stringToHex, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../chain/ChainConnection.js'
import * as c from '../../contracts/generated/index.js'
import type { NetworkManifest, ZkChainInfo } from '../../network/types.js'
import { encodeExecutionAddressAttribute, formatInteroperableAddress } from '../../protocol/index.js'
import { DroppedTransactionResender } from '../load/droppedTransactions.js'
import { calldata, makeKeys, makeZkChainKeys, presign, rpc, RpcError } from '../load/load.js'
import { SoakLoadError } from './errors.js'

/** One path of the soak's traffic: a source chain, a destination, and how messages between them are proven. */
export type SoakPath = {
  /** e.g. `gamma → alpha`. */
  name: string
  /** e.g. `L1-settled → Gateway`. */
  kind: string
  from: ZkChainInfo
  to: ZkChainInfo
}

/**
 * The soak's paths on `manifest`'s network (the Gateway chains first, as `junction up` names them): an
 * L1-settled chain to a Gateway chain, Gateway to Gateway, Gateway to an L1-settled chain (a two-level
 * proof), and, with two chains on L1, L1-settled to L1-settled. Each source chain sends on one path.
 *
 * @example
 * ```ts
 * soakPaths(manifest).map((p) => p.name) // ['gamma → alpha', 'alpha → beta', 'beta → gamma', 'delta → gamma']
 * ```
 */
export function soakPaths(manifest: NetworkManifest): SoakPath[] {
  const gateway = manifest.chains.find((chain) => chain.role === 'gateway')
  const zk = manifest.chains.filter((chain) => chain.role !== 'gateway')
  const onGateway = zk.filter((chain) => gateway !== undefined && chain.settlementLayer === gateway.chainId)
  const onL1 = zk.filter((chain) => chain.settlementLayer === manifest.l1.chainId)
  if (onGateway.length < 2 || onL1.length < 1) throw new RangeError(`the soak needs two chains on the Gateway and one on L1; the network has ${onGateway.length} and ${onL1.length}`)
  const path = (from: ZkChainInfo, to: ZkChainInfo, kind: string): SoakPath => ({ name: `${from.name} → ${to.name}`, kind, from, to })
  return [
    path(onL1[0]!, onGateway[0]!, 'L1-settled → Gateway'),
    path(onGateway[0]!, onGateway[1]!, 'Gateway → Gateway'),
    path(onGateway[1]!, onL1[0]!, 'Gateway → L1-settled (two-level)'),
    ...(onL1.length >= 2 ? [path(onL1[1]!, onL1[0]!, 'L1-settled → L1-settled')] : []),
  ]
}

/** One message of the soak. */
export type SoakMessage = {
  /** Its place in the send schedule (0, 1, …). */
  id: number
  path: number
  /** Its sender within the path, and its place among that sender's messages. */
  sender: number
  index: number
  /** `soak <seed> <id>`, as bytes: what the recipient receives. */
  payload: Hex
  payloadHash: Hex
  /** `performance.now()` when it was due, and when its node first accepted its transaction. */
  dueAt: number
  acceptedAt: number | undefined
  /** The hash of its first signed transaction. */
  txHash: Hex
}

/** Parameters of {@link SoakTraffic}. */
export type SoakTrafficParameters = {
  manifest: NetworkManifest
  paths: readonly SoakPath[]
  /** Messages in all (spread over the paths and their senders). */
  messages: number
  /** Messages per second over all paths. */
  rate: number
  sendersPerPath: number
  seed: number
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Node answers to a send meaning it has the transaction already (or mined it). */
const ALREADY_IN = /already known|nonce too low|already imported|known transaction/i

/**
 * The soak's load: `sendMessage` transactions to each destination's example recipient, signed before
 * the clock starts (zero fees: a ZK chain charges no gas), sent at a steady rate from several senders
 * per path, message `j` due `j / rate` seconds after the start, one path and sender after another. A
 * sender whose node does not answer (down, restarting, paused) tries again every 100 ms; a sender whose
 * node lost its transactions gets them sent again ({@link DroppedTransactionResender}), as a wallet does.
 *
 * @example
 * ```ts
 * const traffic = await SoakTraffic.prepare({ manifest, paths, messages: 10_000, rate: 50, sendersPerPath: 4, seed })
 * await traffic.send()
 * ```
 */
export class SoakTraffic {
  readonly messages: SoakMessage[]
  /** Every sender's address (the bundles they send are the soak's messages). */
  readonly senders: Address[]
  readonly #p: SoakTrafficParameters
  /** Per path, per sender: its signed transactions in nonce order. */
  readonly #signed: Hex[][][]
  readonly #resenders: DroppedTransactionResender[]
  /** Sends that found their node not answering, and were tried again. */
  retries = 0
  #stopping = false
  #startedAt = 0

  private constructor(parameters: SoakTrafficParameters, signed: Hex[][][], keys: Hex[][]) {
    this.#p = parameters
    this.#signed = signed
    this.senders = keys.flat().map((key) => privateKeyToAccount(key).address)
    const { paths, messages, sendersPerPath, seed } = parameters
    this.messages = Array.from({ length: messages }, (_, id) => {
      const path = id % paths.length
      const slot = Math.floor(id / paths.length)
      const payload = stringToHex(`soak ${seed} ${id}`)
      const sender = slot % sendersPerPath
      const index = Math.floor(slot / sendersPerPath)
      return { id, path, sender, index, payload, payloadHash: keccak256(payload), dueAt: 0, acceptedAt: undefined, txHash: keccak256(signed[path]![sender]![index]!) }
    })
    this.#resenders = paths.map((path, p) => new DroppedTransactionResender({ rpcUrl: path.from.rpcUrl, keys: keys[p]!, signed: signed[p]! }))
  }

  /** Makes and funds the senders, and signs every message. */
  static async prepare(parameters: SoakTrafficParameters): Promise<SoakTraffic> {
    const { manifest, paths, messages, sendersPerPath, seed } = parameters
    const funder = manifest.accounts.users[0]!.privateKey
    const keys = await Promise.all(paths.map((path) => makeZkChainKeys(`soak ${seed} ${path.name}`, sendersPerPath, [path.from], funder)))
    const signed = await Promise.all(
      paths.map((path, p) => {
        const recipient = formatInteroperableAddress({ chainId: BigInt(path.to.chainId), address: manifest.l2Contracts.exampleRecipient })
        // Messages of this path: ids p, p + P, p + 2P, …; sender s sends every sendersPerPath-th of them.
        const ofPath = Math.ceil((messages - p) / paths.length)
        return presign({
          chainId: path.from.chainId,
          rpcUrl: path.from.rpcUrl,
          keys: keys[p]!,
          perKey: Math.ceil(ofPath / sendersPerPath),
          build: (s, i) => {
            const id = (i * sendersPerPath + s) * paths.length + p
            return { to: manifest.l2Contracts.interopCenter, gas: 200_000n, data: calldata(c.interopCenterAbi, 'sendMessage', [recipient, stringToHex(`soak ${seed} ${id}`), []]) }
          },
        })
      }),
    )
    return new SoakTraffic(parameters, signed, keys)
  }

  /** `performance.now()` when sending started. */
  get startedAt(): number {
    return this.#startedAt
  }

  /** Transactions the nodes lost and the senders sent again, or replaced at a higher fee. */
  get resent(): { resent: number; replaced: number } {
    return { resent: this.#resenders.reduce((n, r) => n + r.resent, 0), replaced: this.#resenders.reduce((n, r) => n + r.replaced, 0) }
  }

  /** Sends every message on its schedule; resolves once every one was accepted by its node. */
  async send(onAccepted?: (message: SoakMessage) => void): Promise<void> {
    const { paths, sendersPerPath, rate } = this.#p
    this.#startedAt = performance.now()
    for (const message of this.messages) message.dueAt = this.#startedAt + (message.id * 1000) / rate
    for (const r of this.#resenders) r.start()
    const bySender = paths.flatMap((_, p) => Array.from({ length: sendersPerPath }, (_, s) => this.messages.filter((m) => m.path === p && m.sender === s)))
    await Promise.all(
      bySender.map(async (queue) => {
        for (const message of queue) {
          if (this.#stopping) return
          const wait = message.dueAt - performance.now()
          if (wait > 0) await sleep(wait)
          await this.#push(message)
          this.#resenders[message.path]!.accepted(message.sender, message.index)
          onAccepted?.(message)
        }
      }),
    )
  }

  /**
   * Sends one message on the first path that must never be delivered: its execution is restricted to
   * an address nobody sends from (`0x…dEaD`), so the relayer leaves it. The checks must report it as
   * sent and not executed: they are not blind. Its sender is not among {@link senders}.
   */
  async sendCanary(): Promise<{ message: SoakMessage; sender: Address }> {
    const path = this.#p.paths[0]!
    const key = makeKeys(`soak ${this.#p.seed} canary`, 1)[0]!
    const payload = stringToHex(`soak ${this.#p.seed} canary`)
    const recipient = formatInteroperableAddress({ chainId: BigInt(path.to.chainId), address: this.#p.manifest.l2Contracts.exampleRecipient })
    const nobody = encodeExecutionAddressAttribute({ chainId: path.to.chainId, address: '0x000000000000000000000000000000000000dEaD' })
    const acceptedAt = performance.now()
    const receipt = await new ChainConnection(path.from).write(key, { address: this.#p.manifest.l2Contracts.interopCenter, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [recipient, payload, [nobody]], action: 'send the soak canary' })
    const message: SoakMessage = { id: this.messages.length, path: 0, sender: -1, index: 0, payload, payloadHash: keccak256(payload), dueAt: acceptedAt, acceptedAt, txHash: receipt.transactionHash }
    return { message, sender: privateKeyToAccount(key).address }
  }

  /** Stops sending (what is not sent yet never will be) and watching for lost transactions. */
  async stop(): Promise<void> {
    this.#stopping = true
    for (const r of this.#resenders) await r.stop()
  }

  async #push(message: SoakMessage): Promise<void> {
    const raw = this.#signed[message.path]![message.sender]![message.index]!
    const url = this.#p.paths[message.path]!.from.rpcUrl
    for (;;) {
      try {
        await rpc<Hex>(url, 'eth_sendRawTransaction', [raw])
      } catch (error) {
        if (error instanceof RpcError) {
          if (!ALREADY_IN.test(error.message)) throw new SoakLoadError(`message ${message.id} (${this.#p.paths[message.path]!.name}): ${error.message}`, error)
        } else {
          // No answer: the node is down, restarting or paused.
          if (this.#stopping) return
          this.retries++
          await sleep(100)
          continue
        }
      }
      message.acceptedAt = performance.now()
      return
    }
  }
}
