// What a caller sees of a node's answer: the filters a decision named (see checkRpcRequest). Pure.
import type { Hex } from 'viem'
import { proofEndsInLeaf } from '../protocol/disclosure.js'
import type { ResultFilter } from './checkRpcRequest.js'
import type { PermissionIndex, UserCaller } from './permissionIndex.js'

/** A bloom with every bit set: "may contain anything", true of every block, so it tells nothing. */
export const UNINFORMATIVE_BLOOM = `0x${'ff'.repeat(256)}` as Hex
const EMPTY_CODE_HASH = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'

export type FilterRpcResultReturnType = {
  /** What the caller gets. */
  result: unknown
  /** Set when something was withheld: what and why (for the audit log). */
  withheld?: string | undefined
  /** Set when the answer is refused after all (the caller gets -32001). */
  refused?: string | undefined
}

/**
 * Filters a node's answer for a caller: a transaction or receipt becomes null unless the caller sent it or
 * received it; a block keeps only the caller's transactions (hashes unless full ones were asked) and gets a
 * bloom with every bit set; logs keep those an event rule shows the caller; a proof of the caller's own
 * account is refused if the account is empty (its proof would end in another account's leaf).
 *
 * @example
 * ```ts
 * const { result } = filterRpcResult({ filter: { kind: 'party' }, result: tx, caller, index })
 * ```
 */
export function filterRpcResult(parameters: { filter: ResultFilter; result: unknown; caller: UserCaller; index: PermissionIndex }): FilterRpcResultReturnType {
  const { filter, result, caller, index } = parameters
  switch (filter.kind) {
    case 'none':
      return { result }
    case 'party': {
      if (result === null || typeof result !== 'object') return { result: null }
      const { from, to, transactionHash, hash } = result as { from?: unknown; to?: unknown; transactionHash?: unknown; hash?: unknown }
      if (isOwn(caller, from) || isOwn(caller, to)) return { result }
      return { result: null, withheld: `transaction ${String(transactionHash ?? hash)}: you are neither its sender nor its recipient (answered null)` }
    }
    case 'block': {
      if (result === null || typeof result !== 'object') return { result: null }
      const block = result as Record<string, unknown>
      const all = Array.isArray(block.transactions) ? (block.transactions as unknown[]) : []
      const mine = all.filter((tx) => typeof tx === 'object' && tx !== null && (isOwn(caller, (tx as { from?: unknown }).from) || isOwn(caller, (tx as { to?: unknown }).to)))
      const transactions = filter.full ? mine : mine.map((tx) => (tx as { hash: unknown }).hash)
      return { result: { ...block, logsBloom: UNINFORMATIVE_BLOOM, transactions }, ...(all.length > mine.length ? { withheld: `${all.length - mine.length} of the block's ${all.length} transactions are not yours` } : {}) }
    }
    case 'logs': {
      if (!Array.isArray(result)) return { result }
      const shown = result.filter((log) => logVisible(log, caller, index))
      return { result: shown, ...(shown.length < result.length ? { withheld: `${result.length - shown.length} of ${result.length} logs: no event rule shows them to you` } : {}) }
    }
    case 'ownAccountProof': {
      const account = (result ?? {}) as { balance?: unknown; nonce?: unknown; codeHash?: unknown }
      const empty = BigInt(typeof account.balance === 'string' ? account.balance : '0x0') === 0n && BigInt(typeof account.nonce === 'string' ? account.nonce : '0x0') === 0n && (account.codeHash === undefined || account.codeHash === EMPTY_CODE_HASH || BigInt(String(account.codeHash)) === 0n)
      return empty ? { result: null, refused: 'your account is empty: its proof would show a neighbouring account instead' } : { result }
    }
    case 'ownBalanceProof': {
      const proofs = ((result ?? {}) as { storageProof?: unknown }).storageProof
      const revealing = !Array.isArray(proofs) || proofs.some((p: { value?: unknown; proof?: unknown }) => BigInt(typeof p?.value === 'string' ? p.value : '0x0') === 0n && (!Array.isArray(p?.proof) || proofEndsInLeaf(p.proof as Hex[])))
      return revealing ? { result: null, refused: 'your balance is zero: its proof would show another holder\'s balance slot instead' } : { result }
    }
  }
}

/**
 * Whether an event rule shows a log to the caller: a rule of the log's contract that applies to the
 * caller's roles (none listed: everyone), whose topic 0 is the log's, and each of whose topic
 * restrictions holds (a constant, or one of the caller's wallets).
 *
 * @example
 * ```ts
 * logVisible({ address: token, topics: [transferTopic, fromTopic, toTopic] }, caller, index)
 * ```
 */
export function logVisible(log: unknown, caller: UserCaller, index: PermissionIndex): boolean {
  if (typeof log !== 'object' || log === null) return false
  const { address, topics } = log as { address?: unknown; topics?: unknown }
  if (typeof address !== 'string' || !Array.isArray(topics)) return false
  const lowerTopics = topics.map((t) => (typeof t === 'string' ? t.toLowerCase() : ''))
  const rules = index.eventRules.get(address.toLowerCase()) ?? []
  return rules.some(
    (rule) =>
      (rule.roles.length === 0 || rule.roles.some((role) => caller.roles.has(role))) &&
      lowerTopics[0] === rule.topic0 &&
      rule.topicRestrictions.every(({ topicIndex, equals }) => {
        const topic = lowerTopics[topicIndex]
        if (!topic || topic.length !== 66) return false
        if (equals !== 'caller') return topic === equals
        return topic.startsWith('0x000000000000000000000000') && caller.wallets.has(`0x${topic.slice(26)}`)
      }),
  )
}

function isOwn(caller: UserCaller, address: unknown): boolean {
  return typeof address === 'string' && caller.wallets.has(address.toLowerCase())
}
