// `junction_getWithdrawalProof`: a private chain's withdrawal proof, from its operator's index, for the
// withdrawal's sender only. A private chain publishes no batch data (validium), so nobody else can build
// the Merkle path of a withdrawal's leaf; the operator serves it here, behind the session and the checks.
import { decodeAbiParameters, encodeAbiParameters, getAddress, isHex, type Address, type Hex } from 'viem'
import type { ProofNotReadyReason } from '../indexer/buildProofFromStore.js'
import type { WithdrawalProof } from '../indexer/withdrawalProof.js'
import { interopProofAbiParameter } from '../protocol/index.js'
import type { UserCaller } from './permissionIndex.js'

/** The operator's lookup of a withdrawal's proof by its transaction hash (`withdrawalProofOf` on its index). */
export type WithdrawalProofs = (transactionHash: Hex) => { ready: true; withdrawal: WithdrawalProof } | { ready: false; reason: ProofNotReadyReason; l2Sender?: Address }

/** The answer of `junction_getWithdrawalProof`: quantities as hex, the proof ABI-encoded (`InteropProof`, protocol §7). */
export type WithdrawalProofRpc = { chainId: Hex; l2Sender: Address; message: Hex; blinding: Hex | null; proof: Hex }

/** How the permissioned RPC answers `junction_getWithdrawalProof` for `caller`. */
export type WithdrawalProofAnswer = { kind: 'result'; result: WithdrawalProofRpc } | { kind: 'not-yours'; reason: string } | { kind: 'not-ready'; reason: string }

/**
 * Decides what `caller` learns of the withdrawal in `transactionHash`: its proof if the caller sent it (or
 * has full read access) and its batch is executed on L1; that it is not ready yet, to the same callers; and
 * to anyone else the same answer as for a transaction that holds no withdrawal, so that nothing tells
 * whether another member withdrew.
 *
 * @example
 * ```ts
 * const answer = answerWithdrawalProof(lookup(hash), caller, hash)
 * ```
 */
export function answerWithdrawalProof(found: ReturnType<WithdrawalProofs>, caller: UserCaller, transactionHash: Hex): WithdrawalProofAnswer {
  const sender = found.ready ? found.withdrawal.l2Sender : found.l2Sender
  if (sender === undefined || !(caller.fullRead || caller.wallets.has(sender.toLowerCase()))) {
    return { kind: 'not-yours', reason: `no withdrawal of yours in transaction ${transactionHash} that the operator has indexed (yet)` }
  }
  if (!found.ready) return { kind: 'not-ready', reason: `the withdrawal in ${transactionHash} cannot be proven yet: ${found.reason}` }
  const { withdrawal } = found
  return {
    kind: 'result',
    result: {
      chainId: `0x${withdrawal.chainId.toString(16)}`,
      l2Sender: withdrawal.l2Sender,
      message: withdrawal.message,
      blinding: withdrawal.blinding ?? null,
      proof: encodeAbiParameters([interopProofAbiParameter], [withdrawal.proof]),
    },
  }
}

/**
 * Reads an answer of `junction_getWithdrawalProof` back into a {@link WithdrawalProof}; throws a `TypeError`
 * naming the member that is malformed.
 */
export function parseWithdrawalProofRpc(value: unknown): WithdrawalProof {
  const o = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof WithdrawalProofRpc, unknown>>
  const hex = (key: keyof WithdrawalProofRpc): Hex => {
    const v = o[key]
    if (typeof v !== 'string' || !isHex(v)) throw new TypeError(`junction_getWithdrawalProof answered without a hex ${key}`)
    return v
  }
  const [chainId, l2Sender, message, encoded] = [hex('chainId'), hex('l2Sender'), hex('message'), hex('proof')]
  const blinding = o.blinding === null || o.blinding === undefined ? undefined : hex('blinding')
  let proof: WithdrawalProof['proof']
  try {
    ;[proof] = decodeAbiParameters([interopProofAbiParameter], encoded)
  } catch (error) {
    throw new TypeError('junction_getWithdrawalProof answered a proof that is not an ABI-encoded InteropProof', { cause: error })
  }
  return { chainId: Number(BigInt(chainId)), l2Sender: getAddress(l2Sender), message, ...(blinding === undefined ? {} : { blinding }), proof }
}
