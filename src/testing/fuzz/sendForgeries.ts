import { createPublicClient, decodeFunctionData, http, keccak256, type Abi, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { decodeJunctionError, type ChainConnection } from '../../chain/ChainConnection.js'
import * as c from '../../contracts/generated/index.js'
import { encodeForgery, type Forgery, type FuzzAddresses } from './fuzzCall.js'

/**
 * How a forged transaction ended. Only `refused` (a named custom error of Junction's contracts) and
 * `abi-decoder` (calldata that is not an ABI encoding of the function's arguments, which Solidity's
 * decoder refuses before any code of the function runs, without data) are what the contracts must do;
 * `accepted` and `unnamed` are findings.
 */
export type ForgeryOutcome =
  | { kind: 'refused'; error: string; detail: string }
  | { kind: 'abi-decoder'; detail: string }
  | { kind: 'accepted'; detail: string }
  | { kind: 'unnamed'; error: string; detail: string }

/** One forgery as it was sent and mined. */
export type SentForgery = {
  index: number
  forgery: Forgery
  chainId: number
  from: Address
  to: Address
  data: Hex
  txHash: Hex
  gasUsed: bigint
  fee: bigint
  outcome: ForgeryOutcome
  /** Milliseconds spent signing and sending it, waiting for its receipt, and reading its trace. */
  ms: { send: number; receipt: number; trace: number }
  /** When its receipt came, in milliseconds since the sends began. */
  doneAt: number
}

/** What the trace of a mined transaction says about how it ended. */
export type MinedResult = { status: 'success' | 'reverted'; output: Hex | undefined; traceError: string | undefined; gasUsed: bigint; gasLimit: bigint }

/**
 * Classifies a mined forged transaction: a named custom error (decoded with every Junction error, through
 * `CallFailed`), or a finding (it succeeded; reverted without data, with a panic, a string, unknown data;
 * ran out of gas). An empty revert is the ABI decoder's only when `calldataDecodes` is false.
 *
 * @example
 * ```ts
 * classifyOutcome({ status: 'reverted', output: '0x…', traceError: 'execution reverted', gasUsed: 30_000n, gasLimit: 5_000_000n }, true)
 * ```
 */
export function classifyOutcome(result: MinedResult, calldataDecodes: boolean): ForgeryOutcome {
  if (result.status === 'success') return { kind: 'accepted', detail: 'the forged transaction succeeded' }
  const error = result.traceError ?? ''
  if (/out of gas/i.test(error) || result.gasUsed >= result.gasLimit) return { kind: 'unnamed', error: 'out of gas', detail: `used ${result.gasUsed} of ${result.gasLimit} gas` }
  const output = result.output
  if (!output || output === '0x') {
    if (!calldataDecodes) return { kind: 'abi-decoder', detail: 'calldata that does not decode, refused without data' }
    return { kind: 'unnamed', error: 'empty revert', detail: `reverted without data (${error || 'no error text'})` }
  }
  const decoded = decodeJunctionError(output)
  if (decoded.errorName === undefined) return { kind: 'unnamed', error: 'unknown revert data', detail: decoded.text }
  if (decoded.errorName === 'Panic') return { kind: 'unnamed', error: `Panic(${String(decoded.args?.[0])})`, detail: decoded.text }
  if (decoded.errorName === 'Error') return { kind: 'unnamed', error: 'Error(string)', detail: decoded.text }
  if (decoded.errorName === 'CallFailed') {
    const inner = decodeJunctionError((decoded.args?.[1] as Hex | undefined) ?? '0x')
    return { kind: 'refused', error: `CallFailed(${inner.errorName ?? 'no named reason'})`, detail: decoded.text }
  }
  return { kind: 'refused', error: decoded.errorName, detail: decoded.text }
}

/** Parameters of {@link sendForgeries}. */
export type SendForgeriesParameters = {
  forgeries: readonly Forgery[]
  addresses: FuzzAddresses
  /** A connection to every chain a forgery may be sent to. */
  connections: ReadonlyMap<number, ChainConnection>
  /** Keys that send the forgeries (one sender per lane). */
  senders: readonly Hex[]
  /** Key of the verified bundle's unbundler: sends the forgeries marked `asUnbundler`. */
  unbundler: Hex
  /** Gas limit of every forged transaction: fixed, so nothing is estimated away. Default 5,000,000. */
  gasLimit?: bigint
  /**
   * Concurrent senders per chain on average, each with its own nonces (automine freezes with many more).
   * A chain gets lanes in proportion to its share of the forgeries (L1 has most), at least one and at
   * most one per sender, so that the chains finish together. Default 3.
   */
  lanesPerChain?: number
  onSent?: (sent: SentForgery) => void
}

/**
 * Sends every forgery as a real transaction, signed here with an explicit nonce and a fixed gas limit (a
 * reverted transaction is mined), each chain in parallel with a few senders per chain; reads how each
 * ended from its receipt and its trace (`debug_traceTransaction` with the call tracer: the revert data of
 * the mined transaction itself, not of a replay) and classifies it ({@link classifyOutcome}).
 *
 * @example
 * ```ts
 * const sent = await sendForgeries({ forgeries, addresses, connections, senders, unbundler })
 * ```
 */
export async function sendForgeries(parameters: SendForgeriesParameters): Promise<SentForgery[]> {
  const { addresses, connections } = parameters
  const gasLimit = parameters.gasLimit ?? 5_000_000n
  const results: SentForgery[] = []
  const byChain = new Map<number, { index: number; forgery: Forgery }[]>()
  parameters.forgeries.forEach((forgery, index) => {
    const list = byChain.get(forgery.call.chainId) ?? []
    list.push({ index, forgery })
    byChain.set(forgery.call.chainId, list)
  })
  const lanes: Promise<void>[] = []
  const started = performance.now()
  const laneBudget = (parameters.lanesPerChain ?? 3) * byChain.size
  for (const [chainId, items] of byChain) {
    const connection = connections.get(chainId)
    if (!connection) throw new Error(`no connection to chain ${chainId}`)
    const laneCount = Math.max(1, Math.min(parameters.senders.length, Math.round((laneBudget * items.length) / parameters.forgeries.length)))
    const byUnbundler = items.filter((item) => item.forgery.call.fn === 'unbundleBundle' && item.forgery.call.asUnbundler)
    const others = items.filter((item) => !byUnbundler.includes(item))
    if (byUnbundler.length > 0) lanes.push(runLane(connection, parameters.unbundler, byUnbundler))
    for (let lane = 0; lane < laneCount; lane++) {
      const share = others.filter((_, i) => i % laneCount === lane)
      if (share.length > 0) lanes.push(runLane(connection, parameters.senders[lane]!, share))
    }
  }
  await Promise.all(lanes)
  return results.sort((a, b) => a.index - b.index)

  async function runLane(connection: ChainConnection, key: Hex, items: { index: number; forgery: Forgery }[]): Promise<void> {
    const account = privateKeyToAccount(key)
    // Its own client: a node on a loaded machine may take seconds to answer (a trace above all), and a
    // read may be retried; the services' clients give up after 10 s.
    const client = createPublicClient({ chain: connection.chain, transport: http(connection.rpcUrl, { timeout: 60_000, retryCount: 3 }) })
    let nonce = await client.getTransactionCount({ address: account.address, blockTag: 'pending' })
    let maxFeePerGas = 0n
    for (const [i, { index, forgery }] of items.entries()) {
      if (i % 100 === 0) {
        // Twice the base fee and a gwei (anvil drops transactions whose fee falls below a rising base fee);
        // nothing where gas is free (base fee 0). No tip.
        const baseFee = (await client.getBlock({ blockTag: 'latest' })).baseFeePerGas ?? 1_000_000_000n
        maxFeePerGas = baseFee === 0n ? 0n : baseFee * 2n + 1_000_000_000n
      }
      const { to, data } = encodeForgery(forgery, addresses)
      const t0 = performance.now()
      const signed = await account.signTransaction({ chainId: connection.chainId, type: 'eip1559', to, data, nonce, gas: gasLimit, maxFeePerGas, maxPriorityFeePerGas: 0n, value: 0n })
      const txHash = keccak256(signed)
      await client.request({ method: 'eth_sendRawTransaction', params: [signed] }).catch((error: unknown) => {
        // A retry of a send that reached the node: it has the transaction already.
        if (!(error instanceof Error && /already known|nonce too low/i.test(error.message))) throw error
      })
      nonce++
      const t1 = performance.now()
      const receipt = await client.waitForTransactionReceipt({ hash: txHash, pollingInterval: 5, timeout: 120_000 })
      const t2 = performance.now()
      let outcome: ForgeryOutcome
      if (receipt.status === 'success') outcome = classifyOutcome({ status: 'success', output: undefined, traceError: undefined, gasUsed: receipt.gasUsed, gasLimit }, true)
      else {
        const trace = (await client.request({ method: 'debug_traceTransaction', params: [txHash, { tracer: 'callTracer', tracerConfig: { onlyTopCall: true } }] } as never)) as { output?: Hex; error?: string }
        const mined: MinedResult = { status: 'reverted', output: trace.output, traceError: trace.error, gasUsed: receipt.gasUsed, gasLimit }
        outcome = classifyOutcome(mined, !mined.output || mined.output === '0x' ? calldataDecodes(to, data, addresses) : true)
      }
      const t3 = performance.now()
      const sent: SentForgery = {
        index,
        forgery,
        chainId: connection.chainId,
        from: account.address,
        to,
        data,
        txHash,
        gasUsed: receipt.gasUsed,
        fee: receipt.gasUsed * receipt.effectiveGasPrice,
        outcome,
        ms: { send: t1 - t0, receipt: t2 - t1, trace: t3 - t2 },
        doneAt: t3 - started,
      }
      results.push(sent)
      parameters.onSent?.(sent)
    }
  }
}

/** Whether `data` is an ABI encoding of the arguments of a function of the contract at `to`. */
function calldataDecodes(to: Address, data: Hex, addresses: FuzzAddresses): boolean {
  const abi: Abi =
    to === addresses.l1AssetRouter ? c.l1AssetRouterAbi : to === addresses.l1ChainRegistry ? c.chainRegistryAbi : to === addresses.l1InteropHandler ? c.l1InteropHandlerAbi : c.interopHandlerAbi
  try {
    decodeFunctionData({ abi, data })
    return true
  } catch {
    return false
  }
}
