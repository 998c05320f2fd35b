import { RpcUnreachableError } from '../../errors/process.js'

export type WaitForRpcParameters = {
  /** Give up after this long. Default 10 000 ms. */
  timeoutMs?: number | undefined
  /** Pause between attempts. Default 100 ms. */
  intervalMs?: number | undefined
}

/** The chain id the node answered with. */
export type WaitForRpcReturnType = number

export type WaitForRpcErrorType = RpcUnreachableError

/**
 * Polls `eth_chainId` on a JSON-RPC URL until it answers. For nodes Junction did not start
 * itself (a remote or user-run node), where there is no output to watch for readiness.
 *
 * @throws {RpcUnreachableError} no valid answer within `timeoutMs`; `cause` is the last failure.
 *
 * @example
 * ```ts
 * const chainId = await waitForRpc('http://127.0.0.1:8545', { timeoutMs: 5_000 })
 * ```
 */
export async function waitForRpc(url: string, parameters: WaitForRpcParameters = {}): Promise<WaitForRpcReturnType> {
  const { timeoutMs = 10_000, intervalMs = 100 } = parameters
  const deadline = performance.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    const remaining = deadline - performance.now()
    if (remaining <= 0) break
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
        signal: AbortSignal.timeout(Math.max(1, Math.ceil(Math.min(remaining, 2_000)))),
      })
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`)
      const body = (await response.json()) as { result?: unknown; error?: { message?: string } }
      if (typeof body.result === 'string') return Number(BigInt(body.result))
      throw new Error(`Unexpected eth_chainId answer: ${JSON.stringify(body).slice(0, 200)}`)
    } catch (error) {
      lastError = error
    }
    const pause = Math.min(intervalMs, deadline - performance.now())
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause))
  }
  throw new RpcUnreachableError({ url, timeoutMs, cause: lastError })
}
