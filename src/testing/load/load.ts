// Load generation that is not the bottleneck: accounts made and funded for the bench, transactions
// signed before the clock starts, then pushed with eth_sendRawTransaction by concurrent senders.
import { createPublicClient, encodeFunctionData, http, keccak256, numberToHex, parseEther, stringToHex, type Abi, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../chain/ChainConnection.js'

/** A JSON-RPC call was answered with an error. */
export class RpcError extends Error {
  override name = 'RpcError'
}

/** `count` private keys derived from `label` (the same on every run). */
export function makeKeys(label: string, count: number): Hex[] {
  return Array.from({ length: count }, (_, i) => keccak256(stringToHex(`junction bench ${label} ${i}`)))
}

/** `count` keys of {@link makeKeys}, funded with 1,000 ETH on each plain anvil (not a ZK chain) via `anvil_setBalance`. */
export async function makeFundedKeys(label: string, count: number, rpcUrls: string[]): Promise<Hex[]> {
  const keys = makeKeys(label, count)
  for (const url of rpcUrls) {
    await Promise.all(keys.map((key) => rpc(url, 'anvil_setBalance', [privateKeyToAccount(key).address, numberToHex(10n ** 21n)])))
  }
  return keys
}

/** What a load key gets on a ZK chain: enough for a replacement at a raised fee (DroppedTransactionResender), as gas is otherwise free. */
export const ZK_CHAIN_KEY_ETH = parseEther('0.01')

/**
 * `count` keys of {@link makeKeys}, each sent {@link ZK_CHAIN_KEY_ETH} on every ZK chain by `funderKey`,
 * a dev user holding the ETH it deposited from L1 (on a ZK chain every wei came over the bridge; the
 * network's services must have processed those deposits).
 */
export async function makeZkChainKeys(label: string, count: number, chains: { chainId: number; name: string; rpcUrl: string }[], funderKey: Hex): Promise<Hex[]> {
  const keys = makeKeys(label, count)
  await Promise.all(
    chains.map((chain) => {
      const connection = new ChainConnection(chain)
      return Promise.all(keys.map((key) => connection.sendRaw(funderKey, { to: privateKeyToAccount(key).address, data: '0x', value: ZK_CHAIN_KEY_ETH, action: `fund a bench sender on ${chain.name}` })))
    }),
  )
  return keys
}

/** One JSON-RPC request; throws {@link RpcError} on an error answer. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await response.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new RpcError(`${method}: ${body.error.message}`)
  return body.result as T
}

export type PresignParameters = {
  chainId: number
  rpcUrl: string
  keys: Hex[]
  /** Transactions per key. */
  perKey: number
  /** The i-th transaction of the k-th key. */
  build: (k: number, i: number) => { to: Address; data?: Hex; value?: bigint; gas: bigint }
}

/** Signs every transaction up front (nonces from the chain), so sending costs only the RPC. */
export async function presign(parameters: PresignParameters): Promise<Hex[][]> {
  const client = createPublicClient({ transport: http(parameters.rpcUrl) }) as PublicClient
  // None where the chain charges no gas (a ZK chain: base fee 0); elsewhere a fixed fee well above
  // anvil's base fee: it never rises past it here (blocks stay far below the gas target).
  const free = (await client.getBlock({ blockTag: 'latest' })).baseFeePerGas === 0n
  const fees = free ? { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n } : { maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 1_000_000n }
  return Promise.all(
    parameters.keys.map(async (key, k) => {
      const account = privateKeyToAccount(key)
      const first = await client.getTransactionCount({ address: account.address, blockTag: 'pending' })
      const signed: Hex[] = []
      for (let i = 0; i < parameters.perKey; i++) {
        const tx = parameters.build(k, i)
        signed.push(await account.signTransaction({ type: 'eip1559', chainId: parameters.chainId, nonce: first + i, to: tx.to, data: tx.data, value: tx.value, gas: tx.gas, ...fees }))
      }
      return signed
    }),
  )
}

/** Options of {@link pushSigned}. */
export type PushSignedOptions = {
  /**
   * Transactions of one key sent in one JSON-RPC batch request (in nonce order), default 1. Each HTTP request
   * costs the load generator (and the node) far more than the transaction in it: `../shared/ENGINE-NOTES.md`
   * measured ~8,400 transfers/s into one anvil with batches of 100, against ~1,000–1,800 one per request.
   * Under automine, batches left transactions unmined there: batch only nodes whose blocks are produced.
   */
  perRequest?: number
}

/**
 * Sends each key's transactions in order (one request in flight per key, keys concurrently; `perRequest`
 * transactions per request); calls `onSent(k, i, time)` when the node accepted each. Resolves with the
 * transaction hashes. `beforeSend`, when given, is awaited before each transaction goes out (e.g. to bound how
 * many messages wait for delivery); a request goes out once each of its transactions was let through.
 */
export async function pushSigned(rpcUrl: string, signed: Hex[][], onSent?: (k: number, i: number, at: number) => void, beforeSend?: () => Promise<void>, options: PushSignedOptions = {}): Promise<Hex[][]> {
  const perRequest = options.perRequest ?? 1
  if (!Number.isInteger(perRequest) || perRequest < 1) throw new RangeError(`perRequest must be a positive integer, got ${perRequest}`)
  return Promise.all(
    signed.map(async (list, k) => {
      const hashes: Hex[] = []
      for (let first = 0; first < list.length; first += perRequest) {
        const raws = list.slice(first, first + perRequest)
        if (beforeSend) for (let j = 0; j < raws.length; j++) await beforeSend()
        const sent = raws.length === 1 ? [await rpc<Hex>(rpcUrl, 'eth_sendRawTransaction', [raws[0]])] : await rpcBatch<Hex>(rpcUrl, raws.map((raw) => ({ method: 'eth_sendRawTransaction', params: [raw] })))
        const at = performance.now()
        for (const [j, hash] of sent.entries()) {
          hashes.push(hash)
          onSent?.(k, first + j, at)
        }
      }
      return hashes
    }),
  )
}

/** One JSON-RPC batch request; the answers in the order of `calls`; throws {@link RpcError} if any call was answered with an error. */
export async function rpcBatch<T = unknown>(url: string, calls: { method: string; params: unknown[] }[]): Promise<T[]> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(calls.map((call, id) => ({ jsonrpc: '2.0', id, ...call }))) })
  const body = (await response.json()) as { id: number; result?: T; error?: { message: string } }[] | { error?: { message: string } }
  if (!Array.isArray(body)) throw new RpcError(`batch of ${calls.length}: ${body.error?.message ?? 'not an array of answers'}`)
  const byId = new Map(body.map((answer) => [answer.id, answer]))
  return calls.map((call, id) => {
    const answer = byId.get(id)
    if (!answer) throw new RpcError(`${call.method} (batch entry ${id}): no answer`)
    if (answer.error) throw new RpcError(`${call.method} (batch entry ${id}): ${answer.error.message}`)
    return answer.result as T
  })
}

/** Calldata of `functionName(args)` (a shorthand for the load builders). */
export const calldata = (abi: Abi, functionName: string, args: readonly unknown[]): Hex => encodeFunctionData({ abi, functionName, args } as never)
