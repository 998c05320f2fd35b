import {
  BaseError,
  ContractFunctionRevertedError,
  createClient,
  createPublicClient,
  decodeErrorResult,
  encodeDeployData,
  encodeFunctionData,
  http,
  type Abi,
  type Client,
  type PrepareTransactionRequestParameters,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
} from 'viem'
import { getBlock } from 'viem/actions'
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { TransactionDroppedError, TransactionNotMinedError } from '../errors/transaction.js'
import { allErrorsAbi } from './allErrorsAbi.js'
import { explainMinedRevert } from './explainMinedRevert.js'
import { withGasMargin } from './gasMargin.js'
import { signTransaction } from './signTransaction.js'

/** Parameters of {@link ChainConnection.write}. */
export type WriteParameters = {
  address: Address
  abi: Abi
  functionName: string
  args?: readonly unknown[]
  value?: bigint
  /** Label used in errors, e.g. `executeBundle`. Defaults to the function name. */
  action?: string
  /**
   * A gas limit to send with instead of estimating (the estimate executes the call once more). A call
   * that needs more, or reverts, reverts mined ({@link ContractRevertedError}, with the reason replayed).
   */
  gas?: bigint
  /**
   * Fees to send with instead of the chain's (zero where gas is free): e.g. a tip that puts an operator's
   * transaction first in its block (a node orders a block's transactions by fee, then by arrival).
   */
  fees?: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
}

/** Called at each new block of a chain, with its number when the announcer knows it. */
export type BlockListener = (block?: { number: number }) => void

/** A transaction the node accepted: its hash, and its receipt once mined (rejects as {@link ChainConnection.sendRaw} does). */
export type Submitted = { hash: Hex; receipt: Promise<TransactionReceipt> }

type Transaction = { to: Address | undefined; data: Hex; value?: bigint | undefined; action: string; gas?: bigint | undefined; fees?: WriteParameters['fees'] }

/** A transaction of this connection the node accepted and has not mined yet, as signed (to send it again). */
type InFlight = { nonce: number; raw: Hex; hash: Hex; action: string }

type Sender = {
  account: PrivateKeyAccount
  privateKey: Hex
  tail: Promise<unknown>
  nonce: number | undefined
  /** Its transactions sent and not seen mined, by nonce: kept until mined, even when their caller stopped waiting. */
  inFlight: Map<number, InFlight>
  /** A missing nonce below this key's transactions that this connection did not send, and since when it is missing. */
  gap: { nonce: number; since: number } | undefined
}

/** Parameters of {@link ChainConnection}. */
export type ChainConnectionParameters = {
  chainId: number
  name: string
  rpcUrl: string
  /**
   * How long a transaction may wait for its receipt before the connection looks whether the node still
   * has it (and whatever it waits behind), and then between two looks. Default 1 000 ms.
   */
  stuckCheckMs?: number
  /**
   * How long a nonce below this key's waiting transactions may be missing from the node, when this
   * connection never sent it (another process using the key, gone), before the connection fills it with
   * a transfer of nothing to itself. Default 15 000 ms.
   */
  gapFillAfterMs?: number
  /**
   * Where the connection sends its signed transactions (`eth_sendRawTransaction`: first sends, sends
   * again and nonce fills), when not to the node: a private chain's permissioned RPC with the sender's
   * session (`prividiumTransport`), so that its rules decide each one and its audit log records it.
   * Everything else (estimates, nonces, receipts, blocks) is read from the node at `rpcUrl`. Default: the node.
   */
  sendTransport?: Transport
}

/**
 * A viem chain description for a local or remote EVM chain. On a chain that charges no gas (its base fee
 * is 0, as on Junction's ZK chains: `zkChainNodeFlags`), the clients built with it send with zero fees
 * (`maxFeePerGas` and `maxPriorityFeePerGas` 0, unless the call gives fees), so an account needs no ETH
 * to send; elsewhere viem's own fee estimate applies.
 *
 * @example
 * ```ts
 * const wallet = createWalletClient({ account, chain: defineJunctionChain(273, 'gamma', rpcUrl), transport: http(rpcUrl) })
 * ```
 */
export function defineJunctionChain(chainId: number, name: string, rpcUrl: string): Chain {
  return {
    id: chainId,
    name,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    // estimateFeesPerGas and estimateMaxPriorityFeePerGas (anvil answers eth_maxPriorityFeePerGas with 1 gwei even then).
    fees: { maxPriorityFeePerGas: async ({ block }) => (block.baseFeePerGas === 0n ? 0n : null) },
    // Sends: viem fills a transaction's fees before it consults `fees` (eth_fillTransaction).
    prepareTransactionRequest: [zeroFeesWhereGasIsFree, { runAt: ['beforeFillTransaction'] }],
  }
}

/** The fees Junction sends with on a chain that charges no gas. */
const ZERO_FEES = { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n } as const

/**
 * The fees a {@link ChainConnection} sends with when the latest block's base fee is `baseFee`: none where
 * gas is free (a ZK chain); else three times the base fee plus 1 gwei, with a tip of 0.001 gwei (anvil
 * drops transactions whose fee falls below a rising base fee). A sender's balance must cover
 * `gas × maxFeePerGas` for the node to take its transaction.
 *
 * @example
 * ```ts
 * sendFees(0n) // { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n }
 * ```
 */
export function sendFees(baseFee: bigint): { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } {
  if (baseFee === 0n) return ZERO_FEES
  const maxPriorityFeePerGas = 1_000_000n
  return { maxFeePerGas: baseFee * 3n + maxPriorityFeePerGas + 1_000_000_000n, maxPriorityFeePerGas }
}

/** Whether a client's chain charges no gas (a base fee of 0 stays 0): asked once per client. */
const gasIsFree = new WeakMap<Client, Promise<boolean>>()

async function zeroFeesWhereGasIsFree(request: PrepareTransactionRequestParameters, { client }: { client: Client }): Promise<PrepareTransactionRequestParameters> {
  const given = request as { gasPrice?: bigint; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint; type?: string }
  if (given.gasPrice !== undefined || given.maxFeePerGas !== undefined || given.maxPriorityFeePerGas !== undefined) return request
  if (given.type === 'legacy' || given.type === 'eip2930') return request
  let free = gasIsFree.get(client)
  if (!free) {
    free = getBlock(client, { blockTag: 'latest' }).then((block) => block.baseFeePerGas === 0n)
    gasIsFree.set(client, free)
    free.catch(() => gasIsFree.delete(client))
  }
  return (await free) ? ({ ...request, ...ZERO_FEES } as PrepareTransactionRequestParameters) : request
}

/**
 * One chain as seen by Junction's services: a public client, and per signing account a
 * serial transaction queue with its own nonce (so services never leave nonce gaps and
 * revert reasons are decoded before anything is sent).
 *
 * A node can lose a transaction it accepted (a restart loses its pool; anvil sometimes drops one):
 * every later nonce of that key would then wait behind it forever. So a transaction not mined within
 * `stuckCheckMs` is looked at: the node no longer has it → sent again, the same signed bytes; a nonce
 * below it missing from the node → that transaction of this connection sent again, or, if another
 * process sent it and is gone, filled with a transfer of nothing to itself after `gapFillAfterMs`; its
 * nonce taken by another transaction of the key → {@link TransactionDroppedError}.
 *
 * With a `sendTransport` (a private chain's permissioned RPC with the sender's session), every signed transaction
 * goes through it and everything else is read from the node: one connection per key and chain still, so that
 * the key's nonces stay in one place.
 *
 * @example
 * ```ts
 * const alpha = new ChainConnection({ chainId: 271, name: 'alpha', rpcUrl })
 * const receipt = await alpha.write(operatorKey, { address, abi, functionName: 'addInteropRoot', args })
 * ```
 */
export class ChainConnection {
  readonly chainId: number
  readonly name: string
  readonly rpcUrl: string
  readonly chain: Chain
  readonly client: PublicClient
  /** What sends this connection's signed transactions: `sendTransport`, else the node. */
  readonly #sends: Pick<PublicClient, 'request'>
  /** Per signing key: its account, its send queue, its next nonce and its transactions not mined yet. */
  readonly #senders = new Map<Hex, Sender>()
  readonly #stuckCheckMs: number
  readonly #gapFillAfterMs: number
  /** Transactions the node lost that were sent again; nonce gaps of other processes filled. */
  readonly recovered = { resent: 0, gapsFilled: 0 }

  constructor(parameters: ChainConnectionParameters) {
    this.chainId = parameters.chainId
    this.name = parameters.name
    this.rpcUrl = parameters.rpcUrl
    this.#stuckCheckMs = parameters.stuckCheckMs ?? 1_000
    this.#gapFillAfterMs = parameters.gapFillAfterMs ?? 15_000
    this.chain = defineJunctionChain(parameters.chainId, parameters.name, parameters.rpcUrl)
    this.client = createPublicClient({ chain: this.chain, transport: http(parameters.rpcUrl, { retryCount: 0 }), pollingInterval: 20 }) as PublicClient
    this.#sends = parameters.sendTransport ? (createClient({ chain: this.chain, transport: parameters.sendTransport }) as unknown as Pick<PublicClient, 'request'>) : this.client
  }

  /** Sends a contract call from `privateKey` and resolves with its mined receipt. Reverts throw {@link ContractRevertedError}. */
  write(privateKey: Hex, parameters: WriteParameters): Promise<TransactionReceipt> {
    return this.sendRaw(privateKey, this.#call(parameters))
  }

  /**
   * Sends a contract call from `privateKey` and resolves as soon as the node accepted it, with its hash
   * and a promise of its receipt: for a sender that must not wait for the block (a block producer's
   * builder puts a transaction in the pool, then mines the block that holds it).
   */
  submit(privateKey: Hex, parameters: WriteParameters): Promise<Submitted> {
    return this.#submit(privateKey, this.#call(parameters))
  }

  #call(parameters: WriteParameters): Transaction {
    const data = encodeFunctionData({ abi: parameters.abi, functionName: parameters.functionName, args: parameters.args ?? [] } as never)
    return { to: parameters.address, data, value: parameters.value, action: parameters.action ?? parameters.functionName, gas: parameters.gas, fees: parameters.fees }
  }

  /** Deploys a contract from `privateKey` (with `value` wei sent to a payable constructor); resolves with its address. */
  async deploy(privateKey: Hex, parameters: { abi: Abi; bytecode: Hex; args?: readonly unknown[]; value?: bigint; action: string }): Promise<{ address: Address; receipt: TransactionReceipt }> {
    const data = encodeDeployData({ abi: parameters.abi, bytecode: parameters.bytecode, args: parameters.args ?? [] } as never)
    const receipt = await this.sendRaw(privateKey, { to: undefined, data, value: parameters.value, action: parameters.action })
    if (!receipt.contractAddress) throw new Error(`${parameters.action} on ${this.name}: no contract address in the receipt`)
    return { address: receipt.contractAddress, receipt }
  }

  /**
   * Sends a transaction from `privateKey`. Sends from one key go out one after another (estimate,
   * nonce, send), so nonces never leave gaps; waiting for the receipt does not hold the queue, so
   * several transactions of one key can be in flight. A transaction the node loses is sent again (see
   * the class).
   *
   * @throws {ContractRevertedError} it reverts (estimated, or mined).
   * @throws {TransactionDroppedError} the node lost it and another transaction of the key took its nonce.
   * @throws {TransactionNotMinedError} not mined within two minutes although the node has it.
   */
  async sendRaw(privateKey: Hex, tx: Transaction): Promise<TransactionReceipt> {
    return (await this.#submit(privateKey, tx)).receipt
  }

  async #submit(privateKey: Hex, tx: Transaction): Promise<Submitted> {
    let sender = this.#senders.get(privateKey)
    if (!sender) {
      sender = { account: privateKeyToAccount(privateKey), privateKey, tail: Promise.resolve(), nonce: undefined, inFlight: new Map(), gap: undefined }
      this.#senders.set(privateKey, sender)
    }
    const q = sender
    const attempt = () =>
      this.#sendNow(q, tx).catch((error: unknown) => {
        // Another client sent from this key: the nonce was re-read from the chain; try once more.
        if (error instanceof Error && /nonce too low|replacement transaction underpriced|already known/i.test(error.message)) return this.#sendNow(q, tx)
        throw error
      })
    const sent = q.tail.then(attempt, attempt)
    q.tail = sent.catch(() => undefined)
    const inFlight = await sent
    const receipt = this.#awaitMined(q, inFlight).then(async (mined) => {
      if (mined.status !== 'success') throw await explainMinedRevert(this.client, { from: q.account.address, to: tx.to, data: tx.data, value: tx.value, hash: inFlight.hash, blockNumber: mined.blockNumber, action: tx.action, chainName: this.name })
      return mined
    })
    return { hash: inFlight.hash, receipt }
  }

  async #sendNow(queue: Sender, tx: Transaction): Promise<InFlight> {
    const { account } = queue
    let gas: bigint
    if (tx.gas !== undefined) gas = tx.gas
    else {
      try {
        gas = withGasMargin(await this.client.estimateGas({ account: account.address, to: tx.to, data: tx.data, value: tx.value }))
      } catch (error) {
        throw this.explainRevert(error, tx.action)
      }
    }
    if (queue.nonce === undefined) queue.nonce = await this.client.getTransactionCount({ address: account.address, blockTag: 'pending' })
    const nonce = queue.nonce
    try {
      // Signed here and kept, so that a transaction the node loses can be sent again as it was.
      const { raw, hash } = await this.#sign(queue, { to: tx.to, data: tx.data, value: tx.value, gas, nonce, fees: tx.fees })
      await this.#sends.request({ method: 'eth_sendRawTransaction', params: [raw] })
      const inFlight: InFlight = { nonce, raw, hash, action: tx.action }
      queue.inFlight.set(nonce, inFlight)
      queue.nonce = nonce + 1
      return inFlight
    } catch (error) {
      queue.nonce = undefined
      throw this.explainRevert(error, tx.action)
    }
  }

  /** Signs a transaction of `sender` with its own `fees`, else {@link sendFees} at the latest base fee: its bytes and hash ({@link signTransaction}). */
  async #sign(sender: Sender, tx: { to: Address | undefined; data: Hex; value?: bigint | undefined; gas: bigint; nonce: number; fees?: WriteParameters['fees'] }): Promise<{ raw: Hex; hash: Hex }> {
    const fees = tx.fees ?? sendFees(await this.#baseFee())
    return signTransaction({ privateKey: sender.privateKey, transaction: { type: 'eip1559', chainId: this.chainId, to: tx.to ?? null, data: tx.data, value: tx.value, gas: tx.gas, nonce: tx.nonce, ...fees } })
  }

  /** Waits for `tx`'s receipt; while it does not come, looks whether the node lost it or what it waits behind (every `stuckCheckMs`). */
  async #awaitMined(queue: Sender, tx: InFlight, timeoutMs = 120_000): Promise<TransactionReceipt> {
    const started = Date.now()
    let nextCheck = started + this.#stuckCheckMs
    const blocks = this.#nextBlock()
    try {
      for (;;) {
        blocks.reset()
        const receipt = await this.#receipt(tx.hash)
        if (receipt) {
          for (const nonce of queue.inFlight.keys()) if (nonce <= tx.nonce) queue.inFlight.delete(nonce)
          return receipt
        }
        if (Date.now() - started > timeoutMs) throw new TransactionNotMinedError({ chainName: this.name, action: tx.action, hash: tx.hash, timeoutMs })
        if (Date.now() >= nextCheck) {
          await this.#recoverStuck(queue, tx)
          nextCheck = Date.now() + this.#stuckCheckMs
        }
        await blocks.wait(Math.max(1, Math.min(nextCheck - Date.now(), this.#stuckCheckMs)))
      }
    } finally {
      blocks.close()
    }
  }

  /**
   * Waits for this chain's next block: told of blocks ({@link ChainConnection.followBlocks}), until the
   * next one is announced (or `maxMs`); otherwise a short poll (1 ms doubling up to 100 ms: a node mining
   * at once answers in a few, a node with a block time in seconds). `reset()` before each look, so a block
   * announced during the look is not missed.
   */
  #nextBlock(): { reset(): void; wait(maxMs: number): Promise<void>; close(): void } {
    let delay = 1
    let blockSeen = false
    let wake: (() => void) | undefined
    const unsubscribe = this.onBlock(() => {
      blockSeen = true
      wake?.()
    })
    return {
      reset: () => {
        blockSeen = false
      },
      wait: async (maxMs) => {
        // A block announced while the receipt was asked for may hold it: look again at once.
        if (blockSeen) return
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, unsubscribe ? maxMs : Math.min(delay, maxMs))
          function done() {
            clearTimeout(timer)
            wake = undefined
            resolve()
          }
          wake = done
        })
        delay = Math.min(delay * 2, 100)
      },
      close: () => unsubscribe?.(),
    }
  }

  async #receipt(hash: Hex): Promise<TransactionReceipt | undefined> {
    return this.client.getTransactionReceipt({ hash }).catch((error: unknown) => {
      if (error instanceof BaseError && error.name === 'TransactionReceiptNotFoundError') return undefined
      throw error
    })
  }

  /**
   * `tx` is not mined yet: if its nonce went to another transaction, it never will be
   * ({@link TransactionDroppedError}); if the node lost it, it is sent again; if a nonce below it is
   * missing from the node, that transaction of this connection is sent again, or, one this connection
   * did not send, filled with a transfer of nothing to itself once missing for `gapFillAfterMs`.
   */
  async #recoverStuck(queue: Sender, tx: InFlight): Promise<void> {
    const address = queue.account.address
    const mined = await this.client.getTransactionCount({ address, blockTag: 'latest' })
    if (mined > tx.nonce) {
      if (await this.#receipt(tx.hash)) return
      queue.inFlight.delete(tx.nonce)
      // The key's nonce moved on without this connection: read it again before the next send.
      queue.nonce = undefined
      throw new TransactionDroppedError({ chainName: this.name, action: tx.action, hash: tx.hash, nonce: tx.nonce, minedNonce: mined })
    }
    const known = await this.client.request({ method: 'eth_getTransactionByHash', params: [tx.hash] })
    if (known === null && (await this.#resend(tx))) this.recovered.resent++
    if (mined === tx.nonce) return
    // Nonces mined..tx.nonce-1 must be in the node's pool for tx to be mined: `pending` counts the ones ready to mine.
    const ready = await this.client.getTransactionCount({ address, blockTag: 'pending' })
    if (ready > mined) return
    const ours = [...queue.inFlight.values()].filter((t) => t.nonce >= mined && t.nonce < tx.nonce).sort((a, b) => a.nonce - b.nonce)
    if (ours[0]?.nonce === mined) {
      for (const t of ours) if (await this.#resend(t)) this.recovered.resent++
      return
    }
    if (queue.gap?.nonce !== mined) {
      queue.gap = { nonce: mined, since: Date.now() }
      return
    }
    if (Date.now() - queue.gap.since < this.#gapFillAfterMs) return
    const { raw, hash } = await this.#sign(queue, { to: address, data: '0x', value: 0n, gas: 21_000n, nonce: mined })
    if (await this.#resend({ nonce: mined, raw, hash, action: `fill nonce ${mined} of ${address}` })) this.recovered.gapsFilled++
    queue.gap = undefined
  }

  /** Sends a signed transaction again; resolves whether the node took it (a node that has it or mined it already says so, which is fine). */
  async #resend(tx: InFlight): Promise<boolean> {
    try {
      await this.#sends.request({ method: 'eth_sendRawTransaction', params: [tx.raw] })
      return true
    } catch (error) {
      if (error instanceof Error && /already known|nonce too low|already imported|known transaction/i.test(error.message)) return false
      throw this.explainRevert(error, `${tx.action} (sent again)`)
    }
  }

  #fee: { value: bigint; at: number } | undefined

  /** The latest block's base fee, read at most every 500 ms. */
  async #baseFee(): Promise<bigint> {
    if (this.#fee && Date.now() - this.#fee.at < 500) return this.#fee.value
    const block = await this.client.getBlock({ blockTag: 'latest' })
    this.#fee = { value: block.baseFeePerGas ?? 1_000_000_000n, at: Date.now() }
    return this.#fee.value
  }

  /** Tells this connection of the chain's blocks (`ChainHeads`), so receipts are looked for when a block exists. */
  #blocks: ((listener: BlockListener) => () => void) | undefined
  /** The block number last announced to this connection, and the subscription that follows it. */
  #announcedHead: number | undefined
  #unfollowHead: (() => void) | undefined

  /**
   * Looks for receipts when told of a new block, instead of polling: `subscribe(listener)` calls
   * `listener` at each new block of this chain (with its number when the announcer knows it) and returns a
   * function that unsubscribes.
   *
   * @example
   * ```ts
   * connection.followBlocks((listener) => { heads.on('block', listener); return () => heads.off('block', listener) })
   * ```
   */
  followBlocks(subscribe: (listener: BlockListener) => () => void): void {
    this.#unfollowHead?.()
    this.#blocks = subscribe
    this.#announcedHead = undefined
    this.#unfollowHead = subscribe((block) => {
      // The latest announcement, even if lower: a node started again from an older state announces its new head.
      if (block !== undefined) this.#announcedHead = block.number
    })
  }

  /**
   * The block number last announced to this connection ({@link ChainConnection.followBlocks}): a block the node
   * has, so reading up to it needs no `eth_blockNumber`. Undefined when it is not told of blocks, or was told of
   * none with a number yet. The node may be further on (an announcement can be lost): ask it now and then.
   */
  announcedHead(): number | undefined {
    return this.#announcedHead
  }

  /**
   * Calls `listener` at each new block of this chain, if this connection is told of blocks
   * ({@link ChainConnection.followBlocks}); returns the unsubscribe function, or `undefined` when it is not
   * told (the caller must then ask the node).
   */
  onBlock(listener: BlockListener): (() => void) | undefined {
    return this.#blocks?.(listener)
  }

  /**
   * Resolves with a transaction's receipt once it is mined. Told of the chain's blocks
   * ({@link ChainConnection.followBlocks}), it looks at each new block (and at least once a second);
   * otherwise it polls with a short back-off. (A transaction sent by this connection is also looked after
   * while it waits: see the class.)
   */
  async waitForReceipt(hash: Hex, timeoutMs = 120_000): Promise<TransactionReceipt> {
    const started = Date.now()
    const blocks = this.#nextBlock()
    try {
      for (;;) {
        blocks.reset()
        const receipt = await this.#receipt(hash)
        if (receipt) return receipt
        if (Date.now() - started > timeoutMs) throw new Error(`no receipt for ${hash} on ${this.name} after ${timeoutMs} ms`)
        await blocks.wait(1_000)
      }
    } finally {
      blocks.close()
    }
  }

  /** Turns a viem error into a {@link ContractRevertedError} with the decoded custom error, when there is revert data. */
  explainRevert(error: unknown, action: string): Error {
    return explainRevert(error, action, this.name)
  }
}

/**
 * Turns an error from a call or transaction into a {@link ContractRevertedError} naming the decoded
 * custom error of any Junction contract (`RootNotImported(31337, 42)`), when it carries revert data;
 * other errors come back unchanged.
 *
 * @example
 * ```ts
 * await writeContract(client, call).catch((e) => { throw explainRevert(e, 'sendBundle', 'alpha') })
 * ```
 */
export function explainRevert(error: unknown, action: string, chainName: string): Error {
  const data = findRevertData(error)
  if (data && data !== '0x') {
    const decoded = decodeJunctionError(data)
    return new ContractRevertedError({ action, chainName, errorName: decoded.errorName, errorArgs: decoded.args, reason: decoded.text, cause: error })
  }
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null
    if (reverted) return new ContractRevertedError({ action, chainName, reason: reverted.reason ?? reverted.shortMessage, cause: error })
    if (/revert/i.test(error.message)) return new ContractRevertedError({ action, chainName, reason: error.shortMessage, cause: error })
  }
  return error instanceof Error ? error : new Error(String(error))
}

/** Decodes revert data with every Junction error, recursively through `CallFailed(index, reason)`. */
export function decodeJunctionError(data: Hex): { errorName: string | undefined; args: readonly unknown[] | undefined; text: string } {
  try {
    const decoded = decodeErrorResult({ abi: allErrorsAbi, data })
    const args = (decoded.args ?? []) as readonly unknown[]
    const parts = args.map((arg) => {
      if (decoded.errorName === 'CallFailed' && typeof arg === 'string' && arg.startsWith('0x') && arg.length > 2) return decodeJunctionError(arg as Hex).text
      return typeof arg === 'bigint' ? arg.toString() : String(arg)
    })
    return { errorName: decoded.errorName, args, text: `${decoded.errorName}(${parts.join(', ')})` }
  } catch {
    return { errorName: undefined, args: undefined, text: `unknown revert data ${data}` }
  }
}

function findRevertData(error: unknown): Hex | undefined {
  let current: unknown = error
  for (let i = 0; i < 12 && current; i++) {
    const candidate = current as { data?: unknown; cause?: unknown }
    if (typeof candidate.data === 'string' && candidate.data.startsWith('0x')) return candidate.data as Hex
    if (candidate.data && typeof candidate.data === 'object' && typeof (candidate.data as { data?: unknown }).data === 'string') {
      return (candidate.data as { data: Hex }).data
    }
    current = candidate.cause
  }
  return undefined
}
