// Whether a caller may have a storage proof of a token's balance slots (eth_getProof with storage keys):
// each key the balance slot of one of its own wallets, whose balance a read rule lets it see. What a holder
// needs to disclose its balance (docs/prividium.md, "Selective disclosure"). Pure.
import { encodeFunctionData, erc20Abi, type Address, type Hex } from 'viem'
import { balanceSlot, JUNCTION_TOKEN_BALANCES_SLOT } from '../protocol/disclosure.js'
import { checkContractAccess } from './contractAccess.js'
import type { PermissionIndex, UserCaller } from './permissionIndex.js'

export type CheckBalanceProofAccessParameters = {
  index: PermissionIndex
  caller: UserCaller
  token: Address
  /** The storage keys asked for (32-byte hex). */
  keys: readonly Hex[]
}

/**
 * Decides `eth_getProof(token, keys)` for a caller without full read access: every key must be
 * `keccak256(abi.encode(wallet, 3))` (the balance slot of Junction's tokens, `JUNCTION_TOKEN_BALANCES_SLOT`)
 * for one of the caller's wallets, and a read rule must let that wallet call `balanceOf(wallet)` on the
 * token. The proof then shows the token's account and the path to the caller's own slot; a zero balance
 * whose proof ends in another slot's leaf (that holder's balance) is refused after (`ownBalanceProof`).
 *
 * @example
 * ```ts
 * const verdict = checkBalanceProofAccess({ index, caller, token, keys: [balanceSlot({ holder: caller.wallet })] })
 * ```
 */
export function checkBalanceProofAccess(parameters: CheckBalanceProofAccessParameters): { allowed: boolean; reason: string } {
  const { index, caller, token, keys } = parameters
  const reasons: string[] = []
  for (const key of keys) {
    const wallet = [...caller.wallets].find((w) => balanceSlot({ holder: w as Address, balancesSlot: JUNCTION_TOKEN_BALANCES_SLOT }) === key.toLowerCase()) as Address | undefined
    if (wallet === undefined) return { allowed: false, reason: `storage proofs need full read access; storage key ${key} is not the balance slot of one of your wallets` }
    const verdict = checkContractAccess({ index, caller, access: 'read', signer: wallet, to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [wallet] }), targetHasCode: true })
    if ('lookup' in verdict || !verdict.allowed) return { allowed: false, reason: `a proof of your balance slot in ${token} needs a rule letting you read your balanceOf: ${'lookup' in verdict ? 'no rule names it' : verdict.reason}` }
    reasons.push(wallet)
  }
  return { allowed: true, reason: `proof of your own balance slot (${reasons.join(', ')}): balanceOf read rule` }
}
