// HTTP plumbing of the permissioned RPC: bodies read within a limit, JSON answers, REST errors in
// Prividium's shape `{ "error": { "code", "message" } }`.
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The REST error codes of Prividium's API (the SDK reads `code` and `message`). */
export type RestErrorCode = 'UNAUTHORIZED_ERROR' | 'WALLET_NOT_LINKED' | 'FORBIDDEN_ERROR' | 'VALIDATION_ERROR' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'PAYLOAD_TOO_LARGE' | 'RATE_LIMIT_ERROR' | 'INTERNAL_SERVER_ERROR'

/** A REST request refused: status, code and message (and headers such as `Retry-After`). */
export class RestError extends Error {
  override name = 'RestError'
  constructor(
    readonly status: number,
    readonly code: RestErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

/** Headers every answer carries: JSON, no caching, and CORS for browser wallets (tokens are bearer headers, never cookies). */
const commonHeaders = {
  'content-type': 'application/json',
  'cache-control': 'no-store',
  'access-control-allow-origin': '*',
  'x-content-type-options': 'nosniff',
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...commonHeaders, 'content-length': String(Buffer.byteLength(text)), ...headers })
  res.end(text)
}

/** Answers a REST error in Prividium's shape. */
export function sendRestError(res: ServerResponse, error: RestError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers)
}

/** Answers a CORS preflight. */
export function sendPreflight(res: ServerResponse): void {
  res.writeHead(204, {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-max-age': '600',
  })
  res.end()
}

export type ReadBodyReturnType = { ok: true; text: string } | { ok: false; tooLarge: true }

/**
 * Reads a request body of at most `maxBytes`. Past the limit it stops keeping what arrives (the rest is
 * drained up to 16 MiB, then the connection is cut) and reports `tooLarge`: the caller answers 413 and
 * closes the connection.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<ReadBodyReturnType> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) {
    drain(req)
    return Promise.resolve({ ok: false, tooLarge: true })
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        req.off('data', onData)
        req.off('end', onEnd)
        drain(req)
        resolve({ ok: false, tooLarge: true })
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') })
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', reject)
  })
}

/** Discards the rest of a body, cutting the connection after 16 MiB. */
function drain(req: IncomingMessage): void {
  let drained = 0
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length
    if (drained > 16 * 1_048_576) req.destroy()
  })
  req.resume()
}
