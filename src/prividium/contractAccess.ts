// Whether a caller may make one call (eth_call: read; eth_estimateGas and eth_sendRawTransaction:
// write), by the contract-function rules. Pure.
import type { Address, Hex } from 'viem'
import type { CompiledContractRule, PermissionIndex, UserCaller } from './permissionIndex.js'

/** The decision on one call: allowed or refused with a reason, or: first tell me whether `lookup` holds code. */
export type ContractAccessVerdict = { allowed: true; reason: string; selector?: Hex | undefined } | { allowed: false; reason: string; selector?: Hex | undefined } | { lookup: Address }

export type CheckContractAccessParameters = {
  index: PermissionIndex
  caller: UserCaller
  /** `read` for eth_call, `write` for sends and gas estimates. */
  access: 'read' | 'write'
  /** The signing wallet (the transaction's sender, the call's `from`): restricted arguments must equal it. */
  signer: Address
  /** Absent: a contract creation. */
  to: Address | undefined
  data: Hex
  /** Whether `to` holds code, once asked (only for a target no rule names). */
  targetHasCode?: boolean | undefined
}

/**
 * Decides a call by the rules: a creation needs `deployContracts` (writes; an `eth_call` creation is
 * refused, as it runs any code); a call to an address no rule names is allowed only if no code is there
 * (nothing runs; a send there is a plain transfer, which needs `plainTransfers`), which is asked first
 * (`{ lookup }`); otherwise the rule of (contract,
 * selector) decides (none: refused), a `read` rule allowing no write. The signer must be one of the
 * caller's wallets (checked by the caller of this function).
 *
 * @example
 * ```ts
 * const verdict = checkContractAccess({ index, caller, access: 'write', signer: caller.wallet, to: token, data })
 * ```
 */
export function checkContractAccess(parameters: CheckContractAccessParameters): ContractAccessVerdict {
  const { index, caller, access, signer, to, data } = parameters
  if (to === undefined) {
    if (access === 'read') return { allowed: false, reason: 'an eth_call without `to` runs arbitrary code (it could read any account): needs full read access' }
    return caller.deployContracts ? { allowed: true, reason: 'contract creation: deployContracts permission' } : { allowed: false, reason: 'deploying a contract needs the deployContracts permission' }
  }
  const contract = to.toLowerCase()
  if (!index.contractsWithRules.has(contract)) {
    if (parameters.targetHasCode === undefined) return { lookup: to }
    if (parameters.targetHasCode) return { allowed: false, reason: `no rule names contract ${to}: every call to it is refused` }
    if (access === 'read') return { allowed: true, reason: 'no code at the target: nothing runs' }
    return caller.plainTransfers ? { allowed: true, reason: 'a plain transfer (no code at the target): plainTransfers permission' } : { allowed: false, reason: `${to} holds no code: sending to it is a plain transfer, which needs the plainTransfers permission` }
  }
  if (data.length > 2 && data.length < 10) return { allowed: false, reason: `calldata of ${(data.length - 2) / 2} bytes is shorter than a selector: the fallback would run, which no rule can allow` }
  const selector = (data.length >= 10 ? data.slice(0, 10).toLowerCase() : '0x') as Hex
  const rule = index.contractRule.get(`${contract}:${selector}`)
  if (!rule) return { allowed: false, reason: `no rule allows ${selector === '0x' ? 'receive() (a call without data)' : selector} on ${to}`, selector }
  const what = rule.functionSignature ?? selector
  if (access === 'write' && rule.accessType !== 'write') return { allowed: false, reason: `the rule for ${what} on ${to} allows reading only`, selector }
  const verdict = evaluateRule(rule, caller, signer, data)
  return { ...verdict, reason: `${verdict.allowed ? '' : 'refused by '}${rule.accessType} rule ${rule.ruleType} on ${what}${verdict.allowed ? '' : `: ${verdict.reason}`}`, selector }
}

function evaluateRule(rule: CompiledContractRule, caller: UserCaller, signer: Address, data: Hex): { allowed: boolean; reason: string } {
  const roleOk = () => rule.roles.some((role) => caller.roles.has(role))
  const argumentsOk = () => restrictedArgumentsProblem(rule, signer, data)
  const roleProblem = () => `needs one of the roles ${rule.roles.join(', ')}`
  switch (rule.ruleType) {
    case 'public':
      return { allowed: true, reason: '' }
    case 'checkRole':
      return roleOk() ? { allowed: true, reason: '' } : { allowed: false, reason: roleProblem() }
    case 'restrictArgument': {
      const problem = argumentsOk()
      return problem === undefined ? { allowed: true, reason: '' } : { allowed: false, reason: problem }
    }
    case 'checkRoleAndRestrictArgument': {
      if (!roleOk()) return { allowed: false, reason: roleProblem() }
      const problem = argumentsOk()
      return problem === undefined ? { allowed: true, reason: '' } : { allowed: false, reason: problem }
    }
    case 'checkRoleOrRestrictArgument': {
      if (roleOk()) return { allowed: true, reason: '' }
      const problem = argumentsOk()
      return problem === undefined ? { allowed: true, reason: '' } : { allowed: false, reason: `${roleProblem()}, or ${problem}` }
    }
  }
}

/** Why a restricted argument is not the signer, or undefined when each is. Reads each argument's own word of calldata. */
function restrictedArgumentsProblem(rule: CompiledContractRule, signer: Address, data: Hex): string | undefined {
  const wallet = signer.slice(2).toLowerCase()
  for (const [i, offset] of rule.restrictedOffsets.entries()) {
    const argumentIndex = rule.argumentRestrictions[i]!.argumentIndex
    const word = data.slice(2 + offset * 2, 2 + offset * 2 + 64).toLowerCase()
    if (word.length < 64) return `the calldata ends before argument ${argumentIndex}`
    if (!/^0{24}/.test(word)) return `argument ${argumentIndex} is not a clean address`
    if (word.slice(24) !== wallet) return `argument ${argumentIndex} must be the signing wallet ${signer}`
  }
  return undefined
}
