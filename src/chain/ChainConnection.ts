import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
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
  type WalletClient,
} from 'viem'
import { getBlock } from 'viem/actions'
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { TransactionDroppedError } from '../errors/transaction.js'
import { allErrorsAbi } from './allErrorsAbi.js'
import { explainMinedRevert } from './explainMinedRevert.js'
import { withGasMargin } from './gasMargin.js'

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

/** A transaction the node accepted: its hash, and its receipt once mined (rejects as {@link ChainConnection.sendRaw} does). */
export type Submitted = { hash: Hex; receipt: Promise<TransactionReceipt> }

type Transaction = { to: Address | undefined; data: Hex; value?: bigint | undefined; action: string; gas?: bigint | undefined; fees?: WriteParameters['fees'] }

type Sender = {
  account: PrivateKeyAccount
  wallet: WalletClient
  tail: Promise<unknown>
  nonce: number | undefined
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
  /** Per signing key: its account and wallet (made once), its send queue and its next nonce. */
  readonly #senders = new Map<Hex, Sender>()

  constructor(parameters: { chainId: number; name: string; rpcUrl: string }) {
    this.chainId = parameters.chainId
    this.name = parameters.name
    this.rpcUrl = parameters.rpcUrl
    this.chain = defineJunctionChain(parameters.chainId, parameters.name, parameters.rpcUrl)
    this.client = createPublicClient({ chain: this.chain, transport: http(parameters.rpcUrl, { retryCount: 0 }), pollingInterval: 20 }) as PublicClient
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
   * several transactions of one key can be in flight.
   */
  async sendRaw(privateKey: Hex, tx: Transaction): Promise<TransactionReceipt> {
    return (await this.#submit(privateKey, tx)).receipt
  }

  async #submit(privateKey: Hex, tx: Transaction): Promise<Submitted> {
    let sender = this.#senders.get(privateKey)
    if (!sender) {
      const account = privateKeyToAccount(privateKey)
      const wallet = createWalletClient({ account, chain: this.chain, transport: http(this.rpcUrl, { retryCount: 0 }) })
      sender = { account, wallet, tail: Promise.resolve(), nonce: undefined }
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
    const { hash, nonce, gas } = await sent
    const receipt = this.#mined(q, tx, hash, nonce, gas).then(async (mined) => {
      if (mined.status !== 'success') throw await explainMinedRevert(this.client, { from: q.account.address, to: tx.to, data: tx.data, value: tx.value, hash: mined.transactionHash, blockNumber: mined.blockNumber, action: tx.action, chainName: this.name })
      return mined
    })
    return { hash, receipt }
  }

  /**
   * The receipt of `hash`; if the node dropped it (anvil's trap of full blocks), the same transaction sent
   * again with the same nonce, as a wallet would (the nonce was not used, and this key's later
   * transactions wait behind the gap), up to three times.
   */
  async #mined(queue: Sender, tx: Transaction, hash: Hex, nonce: number, gas: bigint): Promise<TransactionReceipt> {
    for (let resent = 0; ; resent++) {
      try {
        return await this.waitForReceipt(hash)
      } catch (error) {
        if (!(error instanceof TransactionDroppedError) || resent === 3) throw error
        this.dropped++
        hash = await queue.wallet.sendTransaction({ to: tx.to ?? null, data: tx.data, value: tx.value, gas, nonce, ...(tx.fees ?? sendFees(await this.#baseFee())) } as never)
      }
    }
  }

  /** Transactions the node dropped that this connection sent again. */
  dropped = 0

  async #sendNow(queue: Sender, tx: Transaction): Promise<{ hash: Hex; nonce: number; gas: bigint }> {
    const { account, wallet } = queue
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
      const hash = await wallet.sendTransaction({ to: tx.to ?? null, data: tx.data, value: tx.value, gas, nonce, ...(tx.fees ?? sendFees(await this.#baseFee())) } as never)
      queue.nonce = nonce + 1
      return { hash, nonce, gas }
    } catch (error) {
      queue.nonce = undefined
      throw this.explainRevert(error, tx.action)
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
  #blocks: ((listener: () => void) => () => void) | undefined

  /**
   * Looks for receipts when told of a new block, instead of polling: `subscribe(listener)` calls
   * `listener` at each new block of this chain and returns a function that unsubscribes.
   *
   * @example
   * ```ts
   * connection.followBlocks((listener) => { heads.on('block', listener); return () => heads.off('block', listener) })
   * ```
   */
  followBlocks(subscribe: (listener: () => void) => () => void): void {
    this.#blocks = subscribe
  }

  /**
   * Resolves with a transaction's receipt once it is mined. Told of the chain's blocks
   * ({@link ChainConnection.followBlocks}), it looks at each new block (and at least once a second);
   * otherwise it polls with a short back-off (1 ms doubling up to 100 ms: a node mining at once answers
   * in a few, a node with a block time in seconds). A transaction still not mined after 2 s is looked up
   * every 2 s: one the node no longer knows was dropped ({@link TransactionDroppedError}).
   */
  async waitForReceipt(hash: Hex, timeoutMs = 120_000): Promise<TransactionReceipt> {
    const started = Date.now()
    let delay = 1
    let lookedUpAt = started
    let blockSeen = false
    const unsubscribe = this.#blocks?.(() => {
      blockSeen = true
      wake?.()
    })
    let wake: (() => void) | undefined
    try {
      for (;;) {
        blockSeen = false
        const receipt = await this.client.getTransactionReceipt({ hash }).catch((error: unknown) => {
          if (error instanceof BaseError && error.name === 'TransactionReceiptNotFoundError') return undefined
          throw error
        })
        if (receipt) return receipt
        if (Date.now() - started > timeoutMs) throw new Error(`no receipt for ${hash} on ${this.name} after ${timeoutMs} ms`)
        if (Date.now() - lookedUpAt >= 2_000) {
          lookedUpAt = Date.now()
          const known = await this.client.request({ method: 'eth_getTransactionByHash', params: [hash] } as never)
          // Mined between the two calls, or still waiting: look again; unknown: dropped.
          if (known === null && !(await this.client.getTransactionReceipt({ hash }).catch(() => undefined))) throw new TransactionDroppedError({ hash, chainName: this.name, afterMs: Date.now() - started })
        }
        // A block announced while the receipt was asked for may hold it: look again at once.
        if (blockSeen) continue
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, unsubscribe ? 1_000 : delay)
          function done() {
            clearTimeout(timer)
            wake = undefined
            resolve()
          }
          wake = done
        })
        delay = Math.min(delay * 2, 100)
      }
    } finally {
      unsubscribe?.()
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
