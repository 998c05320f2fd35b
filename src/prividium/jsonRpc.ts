// JSON-RPC 2.0 envelopes: what a request must look like, and the error answers. Pure.

/** No, invalid or expired session: the only code that makes the prividium SDK sign in again. */
export const UNAUTHORIZED = -32090
/** Signed in, but the rules refuse the request. */
export const FORBIDDEN = -32001
export const PARSE_ERROR = -32700
export const INVALID_REQUEST = -32600
export const INVALID_PARAMS = -32602
export const INTERNAL_ERROR = -32603
/** Too many requests (EIP-1474): the anonymous rate limit, which a session lifts. */
export const LIMIT_EXCEEDED = -32005
/** Resource unavailable (EIP-1474): what was asked exists but is not ready yet (a withdrawal whose batch L1 has not executed). */
export const NOT_READY = -32002

export type JsonRpcId = string | number | null

/** One request entry, checked as an envelope (not yet as a method call). */
export type RpcEntry = { id: JsonRpcId; method: string; params: unknown[] }

export type ParseRpcEntryReturnType = { ok: true; entry: RpcEntry } | { ok: false; id: JsonRpcId; reason: string }

/**
 * Checks one JSON-RPC entry: an object with `jsonrpc: "2.0"`, an id (a number, a string of at most 256
 * characters, or null; notifications, without an id, are refused: every request gets an answer), a
 * method name and positional params (absent: none).
 *
 * @example
 * ```ts
 * parseRpcEntry({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }) // { ok: true, entry: { id: 1, method: 'eth_chainId', params: [] } }
 * ```
 */
export function parseRpcEntry(value: unknown): ParseRpcEntryReturnType {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, id: null, reason: 'a request must be a JSON object' }
  const o = value as Record<string, unknown>
  const id = o.id
  const validId = id === null || (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= 256)
  if (!validId) return { ok: false, id: null, reason: id === undefined ? 'notifications (no id) are not served: give every request an id' : 'id must be a number, a string of at most 256 characters, or null' }
  const safeId = id as JsonRpcId
  if (o.jsonrpc !== '2.0') return { ok: false, id: safeId, reason: 'jsonrpc must be "2.0"' }
  if (typeof o.method !== 'string' || o.method.length === 0 || o.method.length > 100) return { ok: false, id: safeId, reason: 'method must be a name of 1 to 100 characters' }
  if (o.params !== undefined && !Array.isArray(o.params)) return { ok: false, id: safeId, reason: 'params must be an array (by-name params are not served)' }
  for (const key of Object.keys(o)) if (!['jsonrpc', 'id', 'method', 'params'].includes(key)) return { ok: false, id: safeId, reason: `unknown member "${key.slice(0, 40)}"` }
  return { ok: true, entry: { id: safeId, method: o.method, params: (o.params as unknown[] | undefined) ?? [] } }
}

/** A JSON-RPC error answer. */
export function rpcError(id: JsonRpcId, code: number, message: string): { jsonrpc: '2.0'; id: JsonRpcId; error: { code: number; message: string } } {
  return { jsonrpc: '2.0', id, error: { code, message } }
}

/** A JSON-RPC result answer. */
export function rpcResult(id: JsonRpcId, result: unknown): { jsonrpc: '2.0'; id: JsonRpcId; result: unknown } {
  return { jsonrpc: '2.0', id, result }
}

/** The message of an error code: `Unauthorized` and `Forbidden` as the prividium SDK knows them, with the reason after. */
export function rpcErrorMessage(code: number, reason: string): string {
  const title = code === UNAUTHORIZED ? 'Unauthorized' : code === FORBIDDEN ? 'Forbidden' : code === INVALID_PARAMS ? 'Invalid params' : code === INVALID_REQUEST ? 'Invalid request' : code === PARSE_ERROR ? 'Parse error' : code === NOT_READY ? 'Not ready' : 'Internal error'
  return `${title}: ${reason}`
}
