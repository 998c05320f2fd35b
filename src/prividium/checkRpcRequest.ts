// Every JSON-RPC method the permissioned RPC serves, and how it decides each request. A whitelist:
// a method not in `methods` is refused. Pure: a request, a caller and the permissions in; a decision
// out (the request to forward, rebuilt from what was checked, and how to filter its answer).
import { numberToHex, type Address, type Hex } from 'viem'
import { checkBalanceProofAccess } from './balanceProofAccess.js'
import { checkContractAccess } from './contractAccess.js'
import { FORBIDDEN, INVALID_PARAMS, UNAUTHORIZED, type RpcEntry } from './jsonRpc.js'
import type { Caller, PermissionIndex, UserCaller } from './permissionIndex.js'
import {
  InvalidParamsError,
  RefusedParamsError,
  addressParam,
  blockNumberParam,
  blockParam,
  booleanParam,
  callObjectParam,
  dataParam,
  hashParam,
  logFilterParam,
  paramsAtMost,
  quantityParam,
} from './rpcParams.js'
import { decodeRawTransaction } from './signedTransaction.js'

/** How an answer is filtered before the caller sees it (see `filterRpcResult`). */
export type ResultFilter =
  | { kind: 'none' }
  /** A transaction or receipt: null unless the caller is its sender or recipient. */
  | { kind: 'party' }
  /** A block fetched with full transactions: only the caller's, as hashes unless `full`, and a bloom that tells nothing. */
  | { kind: 'block'; full: boolean }
  /** Logs: only those an event rule shows the caller. */
  | { kind: 'logs' }
  /** An account proof of the caller's own wallet: refused if the account is empty (the proof would end in another account's leaf). */
  | { kind: 'ownAccountProof' }
  /** A storage proof of the caller's own balance slots: refused if a balance is zero and its proof ends in another slot's leaf (another holder's balance). */
  | { kind: 'ownBalanceProof' }

/** What was decided, with what the audit log records: the target and selector when there is one. */
export type RpcDecision = (
  | { kind: 'refuse'; code: number; reason: string }
  | { kind: 'forward'; method: string; params: unknown[]; filter: ResultFilter; reason: string }
  | { kind: 'answer'; result: unknown; reason: string }
  | { kind: 'lookup'; address: Address }
  /** Answered from the operator's index, not the node: a withdrawal's proof, for its sender (`answerWithdrawalProof`). */
  | { kind: 'withdrawalProof'; transactionHash: Hex; reason: string }
) & { target?: Address | undefined; selector?: Hex | undefined }

export type CheckRpcRequestParameters = {
  entry: RpcEntry
  caller: Caller
  index: PermissionIndex
  chainId: number
  /** Whether an address holds code, once the check asked for it (`kind: 'lookup'`). */
  codeAt?: { address: Address; hasCode: boolean } | undefined
}

type Context = CheckRpcRequestParameters & { params: readonly unknown[]; method: string }
type Handler = { session: false; check: (context: Context) => RpcDecision } | { session: true; check: (context: Context & { caller: UserCaller }) => RpcDecision }

const forward = (method: string, params: unknown[], reason: string, filter: ResultFilter = { kind: 'none' }): RpcDecision => ({ kind: 'forward', method, params, filter, reason })
const forbidden = (reason: string, extra: { target?: Address | undefined; selector?: Hex | undefined } = {}): RpcDecision => ({ kind: 'refuse', code: FORBIDDEN, reason, ...extra })
const isOwn = (caller: UserCaller, address: string) => caller.wallets.has(address.toLowerCase())
const noParams = (method: string): Handler => ({
  session: true,
  check: ({ params }) => {
    paramsAtMost(params, 0, method)
    return forward(method, [], 'chain-wide information')
  },
})

/** An account's balance or nonce: the caller's own wallets, or any with full read access. */
const ownAccountRead = (method: string): Handler => ({
  session: true,
  check: ({ params, caller }) => {
    paramsAtMost(params, 2, method)
    const address = addressParam(params[0], 'address')
    const block = blockParam(params[1], 'block')
    const forwarded = block === undefined ? [address] : [address, block]
    if (isOwn(caller, address)) return { ...forward(method, forwarded, 'own wallet'), target: address }
    if (caller.fullRead) return { ...forward(method, forwarded, 'full read access'), target: address }
    return forbidden(`${address} is not one of your wallets`, { target: address })
  },
})

/** A transaction or receipt by hash: answered null unless the caller is a party (or reads everything). */
const byTransactionHash = (method: string): Handler => ({
  session: true,
  check: ({ params, caller }) => {
    paramsAtMost(params, 1, method)
    const hash = hashParam(params[0], 'transaction hash')
    return caller.fullRead ? forward(method, [hash], 'full read access') : forward(method, [hash], 'shown only if you are its sender or recipient', { kind: 'party' })
  },
})

/** A block: the caller's own transactions only, unless it reads everything (fetched whole, then filtered). */
const block = (method: string, first: (v: unknown) => unknown): Handler => ({
  session: true,
  check: ({ params, caller }) => {
    paramsAtMost(params, 2, method)
    const which = first(params[0])
    const full = params[1] === undefined ? false : booleanParam(params[1], 'full transactions')
    if (caller.fullRead) return forward(method, [which, full], 'full read access')
    return forward(method, [which, true], 'your transactions only', { kind: 'block', full })
  },
})

/**
 * eth_call (a read) and eth_estimateGas (decided as the send it prepares: an estimate runs the call, so
 * it would otherwise tell whether any call succeeds): `from` one of the caller's wallets, no overrides,
 * then the contract rules; a full reader may make any call.
 */
const callOrEstimate = (method: 'eth_call' | 'eth_estimateGas'): Handler => ({
  session: true,
  check: ({ params, caller, index, codeAt }) => {
    const access = method === 'eth_call' ? 'read' : 'write'
    paramsAtMost(params, 2, method, access === 'read' ? 'state and block overrides' : 'state overrides')
    const call = callObjectParam(params[0], 'call')
    const blockTag = blockParam(params[1], 'block')
    const forwarded = blockTag === undefined ? [call.forward] : [call.forward, blockTag]
    const at = { target: call.to, selector: selectorOf(call.data) }
    if (call.from === undefined) return forbidden(`${method} needs \`from\`: one of your wallets (give the client an account)`, at)
    if (!isOwn(caller, call.from)) return forbidden(`from ${call.from} is not one of your wallets`, at)
    if (access === 'read' && caller.fullRead) return { ...forward(method, forwarded, 'full read access'), ...at }
    const verdict = checkContractAccess({ index, caller, access, signer: call.from, to: call.to, data: call.data, targetHasCode: knownCode(codeAt, call.to) })
    if ('lookup' in verdict) return { kind: 'lookup', address: verdict.lookup }
    return verdict.allowed ? { ...forward(method, forwarded, verdict.reason), ...at } : forbidden(verdict.reason, at)
  },
})

/** The methods served, each with whether it needs a session and how it decides. Anything else is refused. */
const methods: Record<string, Handler> = {
  eth_chainId: { session: false, check: ({ params, chainId }) => (paramsAtMost(params, 0, 'eth_chainId'), { kind: 'answer', result: numberToHex(chainId), reason: 'public' }) },
  net_version: { session: false, check: ({ params, chainId }) => (paramsAtMost(params, 0, 'net_version'), { kind: 'answer', result: String(chainId), reason: 'public' }) },
  eth_blockNumber: noParams('eth_blockNumber'),
  eth_gasPrice: noParams('eth_gasPrice'),
  eth_maxPriorityFeePerGas: noParams('eth_maxPriorityFeePerGas'),
  eth_feeHistory: {
    session: true,
    check: ({ params }) => {
      paramsAtMost(params, 3, 'eth_feeHistory')
      const count = typeof params[0] === 'number' && Number.isSafeInteger(params[0]) && params[0] >= 0 ? numberToHex(params[0]) : quantityParam(params[0], 'block count')
      if (BigInt(count) > 1_024n) throw new InvalidParamsError('block count: at most 1024')
      const newest = blockNumberParam(params[1], 'newest block')
      const percentiles = params[2] === undefined ? [] : params[2]
      if (!Array.isArray(percentiles) || percentiles.length > 100 || percentiles.some((p) => typeof p !== 'number' || !(p >= 0 && p <= 100))) throw new InvalidParamsError('reward percentiles must be at most 100 numbers from 0 to 100')
      return forward('eth_feeHistory', [count, newest, percentiles], 'chain-wide information (gas used per block)')
    },
  },
  eth_getBalance: ownAccountRead('eth_getBalance'),
  eth_getTransactionCount: ownAccountRead('eth_getTransactionCount'),
  eth_getCode: {
    session: true,
    check: ({ params, caller, index }) => {
      paramsAtMost(params, 2, 'eth_getCode')
      const address = addressParam(params[0], 'address')
      const blockTag = blockParam(params[1], 'block')
      const forwarded = blockTag === undefined ? [address] : [address, blockTag]
      const lower = address.toLowerCase()
      if (caller.fullRead) return { ...forward('eth_getCode', forwarded, 'full read access'), target: address }
      if (isOwn(caller, address)) return { ...forward('eth_getCode', forwarded, 'own wallet'), target: address }
      if (index.contractsWithRules.has(lower) || index.eventRules.has(lower)) return { ...forward('eth_getCode', forwarded, 'a contract the rules name'), target: address }
      return forbidden(`${address} is neither yours nor a contract the rules name`, { target: address })
    },
  },
  eth_getStorageAt: {
    session: true,
    check: ({ params, caller }) => {
      paramsAtMost(params, 3, 'eth_getStorageAt')
      const address = addressParam(params[0], 'address')
      const slot = typeof params[1] === 'string' && params[1].length === 66 ? hashParam(params[1], 'slot') : quantityParam(params[1], 'slot')
      const blockTag = blockParam(params[2], 'block')
      if (!caller.fullRead) return forbidden('reading storage directly needs full read access (a slot can hold anyone\'s balance)', { target: address })
      return { ...forward('eth_getStorageAt', blockTag === undefined ? [address, slot] : [address, slot, blockTag], 'full read access'), target: address }
    },
  },
  eth_getProof: {
    session: true,
    check: ({ params, caller, index }) => {
      paramsAtMost(params, 3, 'eth_getProof')
      const address = addressParam(params[0], 'address')
      if (!Array.isArray(params[1]) || params[1].length > 100) throw new InvalidParamsError('storage keys must be an array of at most 100')
      const keys = params[1].map((k, i) => hashParam(k, `storage key ${i}`))
      const blockTag = blockParam(params[2], 'block') ?? 'latest'
      if (caller.fullRead) return { ...forward('eth_getProof', [address, keys, blockTag], 'full read access'), target: address }
      if (!isOwn(caller, address) && keys.length > 0) {
        const verdict = checkBalanceProofAccess({ index, caller, token: address, keys })
        return verdict.allowed ? { ...forward('eth_getProof', [address, keys, blockTag], verdict.reason, { kind: 'ownBalanceProof' }), target: address } : forbidden(verdict.reason, { target: address })
      }
      if (!isOwn(caller, address)) return forbidden(`a proof of ${address}: not one of your wallets`, { target: address })
      if (keys.length > 0) return forbidden('storage proofs need full read access', { target: address })
      return { ...forward('eth_getProof', [address, keys, blockTag], 'own wallet\'s account proof', { kind: 'ownAccountProof' }), target: address }
    },
  },
  junction_getWithdrawalProof: {
    session: true,
    check: ({ params }) => {
      paramsAtMost(params, 1, 'junction_getWithdrawalProof')
      return { kind: 'withdrawalProof', transactionHash: hashParam(params[0], 'transaction hash'), reason: "a withdrawal's proof from the operator's index, for its sender" }
    },
  },
  eth_call: callOrEstimate('eth_call'),
  eth_estimateGas: callOrEstimate('eth_estimateGas'),
  eth_sendRawTransaction: {
    session: true,
    check: ({ params, caller, index, chainId, codeAt }) => {
      paramsAtMost(params, 1, 'eth_sendRawTransaction')
      const raw = dataParam(params[0], 'raw transaction', 262_144)
      const decoded = decodeRawTransaction(raw, { chainId, signer: caller.publicKey ? { address: caller.wallet, publicKey: caller.publicKey } : undefined })
      if (!decoded.ok) return { kind: 'refuse', code: INVALID_PARAMS, reason: decoded.reason }
      const tx = decoded.transaction
      const selector = selectorOf(tx.data)
      if (!isOwn(caller, tx.from)) return forbidden(`the transaction is signed by ${tx.from}, not one of your wallets`, { target: tx.to, selector })
      // A transfer of nothing to oneself, where no code runs (no EIP-7702 delegation), moves nothing and calls
      // nothing: it takes one of the wallet's nonces (a nonce filled, a stuck transaction cancelled), which any
      // sender may need, also without `plainTransfers` (Junction's relayer fills its nonce gaps so).
      if (tx.to !== undefined && tx.to.toLowerCase() === tx.from.toLowerCase() && tx.value === 0n && tx.data === '0x') {
        const hasCode = knownCode(codeAt, tx.to)
        if (hasCode === undefined) return { kind: 'lookup', address: tx.to }
        if (!hasCode) return { ...forward('eth_sendRawTransaction', [tx.raw], 'a transfer of nothing to your own wallet (takes a nonce, runs no code)'), target: tx.to, selector }
      }
      const verdict = checkContractAccess({ index, caller, access: 'write', signer: tx.from, to: tx.to, data: tx.data, targetHasCode: knownCode(codeAt, tx.to) })
      if ('lookup' in verdict) return { kind: 'lookup', address: verdict.lookup }
      return verdict.allowed ? { ...forward('eth_sendRawTransaction', [tx.raw], verdict.reason), target: tx.to, selector } : forbidden(verdict.reason, { target: tx.to, selector })
    },
  },
  eth_getTransactionByHash: byTransactionHash('eth_getTransactionByHash'),
  eth_getTransactionReceipt: byTransactionHash('eth_getTransactionReceipt'),
  eth_getBlockByNumber: block('eth_getBlockByNumber', (v) => blockNumberParam(v, 'block')),
  eth_getBlockByHash: block('eth_getBlockByHash', (v) => hashParam(v, 'block hash')),
  eth_getLogs: {
    session: true,
    check: ({ params, caller, index }) => {
      paramsAtMost(params, 1, 'eth_getLogs')
      const filter = logFilterParam(params[0], 'filter')
      const target = filter.addresses?.length === 1 ? filter.addresses[0] : undefined
      if (caller.fullRead) return { ...forward('eth_getLogs', [filter.forward], 'full read access'), target }
      if (filter.addresses === undefined) return forbidden('name the contracts (`address`) whose logs you want: logs are shown by event rules, per contract')
      for (const address of filter.addresses) {
        const rules = index.eventRules.get(address.toLowerCase()) ?? []
        if (!rules.some((rule) => rule.roles.length === 0 || rule.roles.some((role) => caller.roles.has(role)))) return forbidden(`no event rule lets you read logs of ${address}`, { target: address })
      }
      return { ...forward('eth_getLogs', [filter.forward], 'logs the event rules show you', { kind: 'logs' }), target }
    },
  },
}

/** Why families of methods are refused, for a clear message. */
const refusedFamilies: [RegExp, string][] = [
  [/^debug_/, 'debugging and tracing show every account a transaction touched'],
  [/^(trace_|ots_)/, 'traces show every account a transaction touched'],
  [/^(anvil_|evm_|hardhat_|ganache_|miner_|admin_|engine_)/, 'node administration is not served'],
  [/^txpool_/, 'the pool shows everyone\'s pending transactions'],
  [/^(personal_|eth_sign|eth_accounts$|wallet_)/, 'the node holds no keys of yours: sign in your wallet'],
  [/^eth_sendTransaction$/, 'the node would sign it: send a signed transaction (eth_sendRawTransaction)'],
  [/^eth_simulateV1$/, 'simulations take state overrides and run calls the rules cannot see'],
  [/^eth_createAccessList$/, 'it reports the storage a call touches'],
  [/^eth_(newFilter|newBlockFilter|newPendingTransactionFilter|getFilterChanges|getFilterLogs|uninstallFilter|subscribe|unsubscribe)$/, 'filters and subscriptions are kept on the node: poll eth_getLogs and eth_blockNumber'],
  [/^eth_(getBlockReceipts|getBlockTransactionCountBy|getTransactionByBlock|getUncle)/, 'it would show other people\'s transactions: read the block (your transactions only)'],
]

/**
 * Decides one JSON-RPC request (docs/prividium.md lists the rules): public methods for anyone, the
 * rest for signed-in callers (JSON-RPC -32090 without a session), each checked against the caller's
 * wallets and the rules (-32001 when refused, -32602 for malformed params), and anything not listed
 * refused. A decision to forward carries the request rebuilt from what was checked and how to filter
 * its answer; `lookup` asks whether an address holds code (then decide again with `codeAt`).
 *
 * @example
 * ```ts
 * const decision = checkRpcRequest({ entry: { id: 1, method: 'eth_getBalance', params: [address, 'latest'] }, caller, index, chainId })
 * if (decision.kind === 'refuse') console.log(decision.code, decision.reason)
 * ```
 */
export function checkRpcRequest(parameters: CheckRpcRequestParameters): RpcDecision {
  const { entry, caller } = parameters
  const handler = Object.hasOwn(methods, entry.method) ? methods[entry.method] : undefined
  if (!handler) {
    const family = refusedFamilies.find(([pattern]) => pattern.test(entry.method))
    return { kind: 'refuse', code: FORBIDDEN, reason: `${entry.method.slice(0, 100)} is not served${family ? `: ${family[1]}` : ' by this RPC (a whitelist: docs/prividium.md)'}` }
  }
  const context = { ...parameters, params: entry.params, method: entry.method }
  try {
    if (!handler.session) return handler.check(context)
    if (caller.kind !== 'user') return { kind: 'refuse', code: UNAUTHORIZED, reason: caller.sessionProblem ?? `${entry.method} needs a session: sign in (SIWE) and send Authorization: Bearer <token>` }
    return handler.check({ ...context, caller })
  } catch (error) {
    if (error instanceof InvalidParamsError) return { kind: 'refuse', code: INVALID_PARAMS, reason: `${entry.method}: ${error.message}` }
    if (error instanceof RefusedParamsError) return { kind: 'refuse', code: FORBIDDEN, reason: error.message }
    throw error
  }
}

/** The methods served (for the docs and the tests). */
export const SERVED_METHODS: readonly string[] = Object.keys(methods)
/** The methods served without a session. */
export const PUBLIC_METHODS: readonly string[] = Object.entries(methods)
  .filter(([, handler]) => !handler.session)
  .map(([method]) => method)

function selectorOf(data: Hex): Hex | undefined {
  return data.length >= 10 ? (data.slice(0, 10).toLowerCase() as Hex) : undefined
}

function knownCode(codeAt: CheckRpcRequestParameters['codeAt'], to: Address | undefined): boolean | undefined {
  return codeAt !== undefined && to !== undefined && codeAt.address.toLowerCase() === to.toLowerCase() ? codeAt.hasCode : undefined
}
