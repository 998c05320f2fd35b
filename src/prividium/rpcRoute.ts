// `POST /rpc`: JSON-RPC through the checks. Each entry of a batch is decided on its own (refused
// entries get their error in place); a batch larger than `limits.maxBatchSize` is refused whole.
import { checkRpcRequest, type RpcDecision } from './checkRpcRequest.js'
import type { RouteAnswer, RouteRequest } from './context.js'
import { filterRpcResult } from './filterRpcResult.js'
import { FORBIDDEN, INTERNAL_ERROR, LIMIT_EXCEEDED, INVALID_REQUEST, NOT_READY, PARSE_ERROR, parseRpcEntry, rpcError, rpcErrorMessage, rpcResult, type RpcEntry } from './jsonRpc.js'
import { NodeUnavailableError, type NodeAnswer } from './NodeClient.js'
import { answerWithdrawalProof } from './withdrawalProofs.js'

/** Answers a JSON-RPC request or batch (HTTP 200 whatever the JSON-RPC outcome, as the SDK expects). */
export async function rpc(request: RouteRequest): Promise<RouteAnswer> {
  const { context, caller } = request
  if (caller.kind === 'anonymous') {
    // Anonymous callers reach only eth_chainId and net_version (answered here), but each decision is logged: limited.
    const retryAfter = context.anonymousLimiter.take(request.client)
    if (retryAfter !== undefined) return { status: 429, body: rpcError(null, LIMIT_EXCEEDED, `Too many requests without a session: retry in ${retryAfter} s or sign in`), headers: { 'retry-after': String(retryAfter) } }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(request.bodyText)
  } catch (error) {
    return { status: 200, body: rpcError(null, PARSE_ERROR, rpcErrorMessage(PARSE_ERROR, `the body is not JSON (${(error as Error).message.slice(0, 100)})`)) }
  }
  if (!Array.isArray(parsed)) return { status: 200, body: await answerEntry(request, parsed) }
  const limit = context.config.limits.maxBatchSize
  if (parsed.length === 0) return { status: 200, body: rpcError(null, INVALID_REQUEST, rpcErrorMessage(INVALID_REQUEST, 'an empty batch')) }
  if (parsed.length > limit) {
    context.audit({ ...who(request), method: 'batch', target: null, selector: null, allowed: false, reason: `a batch of ${parsed.length} entries: at most ${limit}`, client: request.client })
    return { status: 200, body: rpcError(null, INVALID_REQUEST, rpcErrorMessage(INVALID_REQUEST, `a batch of ${parsed.length} entries: at most ${limit}, refused whole`)) }
  }
  // In order: a batch of sends from one wallet reaches the node nonce after nonce.
  const answers: unknown[] = []
  for (const entry of parsed) answers.push(await answerEntry(request, entry))
  return { status: 200, body: answers }
}

async function answerEntry(request: RouteRequest, value: unknown): Promise<unknown> {
  const { context, caller } = request
  const envelope = parseRpcEntry(value)
  if (!envelope.ok) {
    context.audit({ ...who(request), method: 'invalid', target: null, selector: null, allowed: false, reason: envelope.reason, client: request.client })
    return rpcError(envelope.id, INVALID_REQUEST, rpcErrorMessage(INVALID_REQUEST, envelope.reason))
  }
  const { entry } = envelope
  const index = context.index()
  let decision = checkRpcRequest({ entry, caller, index, chainId: context.chainId })
  if (decision.kind === 'lookup') {
    const code = await nodeRequest(request, entry, 'eth_getCode', [decision.address, 'latest'])
    if (!code.ok) return code.error
    if ('error' in code.answer) return rpcError(entry.id, INTERNAL_ERROR, rpcErrorMessage(INTERNAL_ERROR, `the node could not tell whether ${decision.address} holds code`))
    decision = checkRpcRequest({ entry, caller, index, chainId: context.chainId, codeAt: { address: decision.address, hasCode: typeof code.answer.result === 'string' && code.answer.result !== '0x' } })
  }
  const audit = (allowed: boolean, reason: string) => context.audit({ ...who(request), method: entry.method.slice(0, 100), target: decision.target ?? null, selector: decision.selector ?? null, allowed, reason, client: request.client })
  switch (decision.kind) {
    case 'lookup':
      audit(false, 'the code lookup did not settle the decision')
      return rpcError(entry.id, INTERNAL_ERROR, rpcErrorMessage(INTERNAL_ERROR, 'the decision needs another lookup'))
    case 'refuse':
      audit(false, decision.reason)
      return rpcError(entry.id, decision.code, rpcErrorMessage(decision.code, decision.reason))
    case 'answer':
      audit(true, decision.reason)
      return rpcResult(entry.id, decision.result)
    case 'forward':
      return forwardDecision(request, entry, decision, audit)
    case 'withdrawalProof': {
      const lookup = context.withdrawalProofs
      // The check asked for a session, so the caller is a user here; the test narrows the type.
      if (!lookup || caller.kind !== 'user') {
        audit(false, 'no operator index attached')
        return rpcError(entry.id, FORBIDDEN, rpcErrorMessage(FORBIDDEN, "this RPC serves no withdrawal proofs: its operator's index is not attached"))
      }
      const answer = answerWithdrawalProof(lookup(decision.transactionHash), caller, decision.transactionHash)
      audit(answer.kind !== 'not-yours', answer.kind === 'result' ? decision.reason : answer.reason)
      if (answer.kind === 'result') return rpcResult(entry.id, answer.result)
      const code = answer.kind === 'not-ready' ? NOT_READY : FORBIDDEN
      return rpcError(entry.id, code, rpcErrorMessage(code, answer.reason))
    }
  }
}

async function forwardDecision(request: RouteRequest, entry: RpcEntry, decision: Extract<RpcDecision, { kind: 'forward' }>, audit: (allowed: boolean, reason: string) => void): Promise<unknown> {
  const sent = await nodeRequest(request, entry, decision.method, decision.params)
  if (!sent.ok) {
    audit(true, `${decision.reason}; the node could not be reached`)
    return sent.error
  }
  const node = sent.answer
  if ('error' in node) {
    audit(true, `${decision.reason}; the node answered error ${node.error.code}`)
    return { jsonrpc: '2.0', id: entry.id, error: node.error }
  }
  const { caller, context } = request
  if (decision.filter.kind === 'none' || caller.kind !== 'user') {
    audit(true, decision.reason)
    return rpcResult(entry.id, node.result)
  }
  const filtered = filterRpcResult({ filter: decision.filter, result: node.result, caller, index: context.index() })
  if (filtered.refused) {
    audit(false, filtered.refused)
    return rpcError(entry.id, FORBIDDEN, rpcErrorMessage(FORBIDDEN, filtered.refused))
  }
  if (filtered.withheld && decision.filter.kind === 'party') audit(false, filtered.withheld)
  else audit(true, filtered.withheld ? `${decision.reason}; withheld ${filtered.withheld}` : decision.reason)
  return rpcResult(entry.id, filtered.result)
}

/** One request to the node, through the proxy's single node client; a node that does not answer becomes a JSON-RPC internal error. */
async function nodeRequest(request: RouteRequest, entry: RpcEntry, method: string, params: unknown[]): Promise<{ ok: true; answer: NodeAnswer } | { ok: false; error: unknown }> {
  try {
    return { ok: true, answer: await request.context.node.request(method, params) }
  } catch (error) {
    if (!(error instanceof NodeUnavailableError)) throw error
    return { ok: false, error: rpcError(entry.id, INTERNAL_ERROR, rpcErrorMessage(INTERNAL_ERROR, 'the chain\'s node did not answer: try again')) }
  }
}

function who(request: RouteRequest): { userId: string | null; wallet: string | null } {
  return request.caller.kind === 'user' ? { userId: request.caller.userId, wallet: request.caller.wallet } : { userId: null, wallet: null }
}
