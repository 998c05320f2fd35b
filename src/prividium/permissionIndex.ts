// Permissions compiled for the checks: who a wallet is, the rule of a (contract, selector), the event
// rules of a contract; and who a signed-in caller is. Pure: built again on every change.
import type { AbiParameter, Address, Hex } from 'viem'
import { functionOfSignature, type ContractRule, type EventRule, type PrividiumPermissions, type PrividiumUser, type SystemPermission } from './config.js'

/** A contract rule with the calldata offsets of its restricted arguments. */
export type CompiledContractRule = ContractRule & {
  /** Byte offset in the calldata (selector included) of each restricted argument's 32-byte word. */
  restrictedOffsets: number[]
}

/** The permissions, indexed for the checks of every request. */
export type PermissionIndex = {
  permissions: PrividiumPermissions
  /** Lower-case wallet → its user. */
  userByWallet: ReadonlyMap<string, PrividiumUser>
  userById: ReadonlyMap<string, PrividiumUser>
  /** Role name → its system permissions. */
  rolePermissions: ReadonlyMap<string, ReadonlySet<SystemPermission>>
  /** `${lower-case contract}:${selector}` → its rule. */
  contractRule: ReadonlyMap<string, CompiledContractRule>
  /** Lower-case contracts named by at least one contract rule. */
  contractsWithRules: ReadonlySet<string>
  /** Lower-case contract → its event rules. */
  eventRules: ReadonlyMap<string, readonly EventRule[]>
}

/** Who sent a request: nobody signed in, or a user through one of its wallets. */
export type Caller = AnonymousCaller | UserCaller

export type AnonymousCaller = {
  kind: 'anonymous'
  /** Why there is no session, when a token was given: `expired`, `unknown`, `malformed`, or the user is gone. */
  sessionProblem?: string | undefined
}

export type UserCaller = {
  kind: 'user'
  userId: string
  /** The wallet that signed in. */
  wallet: Address
  /** Its uncompressed public key (from the sign-in signature), for the quick sender check of raw transactions. */
  publicKey?: Hex | undefined
  /** Every wallet of the user, lower-case. */
  wallets: ReadonlySet<string>
  roles: ReadonlySet<string>
  fullRead: boolean
  deployContracts: boolean
  plainTransfers: boolean
  admin: boolean
}

/**
 * Indexes permissions (already checked by `parsePrividiumPermissions`).
 *
 * @example
 * ```ts
 * const index = indexPermissions(config.permissions)
 * index.contractRule.get(`${token.toLowerCase()}:0xa9059cbb`)
 * ```
 */
export function indexPermissions(permissions: PrividiumPermissions): PermissionIndex {
  const userByWallet = new Map<string, PrividiumUser>()
  const userById = new Map<string, PrividiumUser>()
  for (const user of permissions.users) {
    userById.set(user.id, user)
    for (const wallet of user.wallets) userByWallet.set(wallet.toLowerCase(), user)
  }
  const rolePermissions = new Map(permissions.roles.map((role) => [role.name, new Set(role.permissions)] as const))
  const contractRule = new Map<string, CompiledContractRule>()
  const contractsWithRules = new Set<string>()
  for (const rule of permissions.contractRules) {
    const contract = rule.contractAddress.toLowerCase()
    contractsWithRules.add(contract)
    contractRule.set(`${contract}:${rule.methodSelector}`, { ...rule, restrictedOffsets: restrictedOffsets(rule) })
  }
  const eventRules = new Map<string, EventRule[]>()
  for (const rule of permissions.eventRules) {
    const contract = rule.contractAddress.toLowerCase()
    eventRules.set(contract, [...(eventRules.get(contract) ?? []), rule])
  }
  return { permissions, userByWallet, userById, rolePermissions, contractRule, contractsWithRules, eventRules }
}

/**
 * The caller a session stands for, with the user's current roles and wallets (a change through the
 * admin API applies to sessions already open); anonymous when the user no longer exists or the wallet
 * is no longer theirs.
 *
 * @example
 * ```ts
 * const caller = callerOf(index, { userId: 'alice', wallet: '0x…' })
 * ```
 */
export function callerOf(index: PermissionIndex, session: { userId: string; wallet: Address; publicKey?: Hex | undefined }): Caller {
  const user = index.userById.get(session.userId)
  if (!user) return { kind: 'anonymous', sessionProblem: `user "${session.userId}" was removed` }
  const wallets = new Set(user.wallets.map((wallet) => wallet.toLowerCase()))
  if (!wallets.has(session.wallet.toLowerCase())) return { kind: 'anonymous', sessionProblem: `wallet ${session.wallet} was unlinked from user "${user.id}"` }
  const granted = new Set<SystemPermission>()
  for (const role of user.roles) for (const permission of index.rolePermissions.get(role) ?? []) granted.add(permission)
  return {
    kind: 'user',
    userId: user.id,
    wallet: session.wallet,
    publicKey: session.publicKey,
    wallets,
    roles: new Set(user.roles),
    fullRead: granted.has('fullRead'),
    deployContracts: granted.has('deployContracts'),
    plainTransfers: granted.has('plainTransfers'),
    admin: granted.has('admin'),
  }
}

/** Where each restricted argument's word sits in calldata: after the selector, past the heads of the arguments before it. */
function restrictedOffsets(rule: ContractRule): number[] {
  if (rule.argumentRestrictions.length === 0 || rule.functionSignature === undefined) return []
  const inputs = functionOfSignature(rule.functionSignature).inputs
  return rule.argumentRestrictions.map(({ argumentIndex }) => 4 + inputs.slice(0, argumentIndex).reduce((sum, input) => sum + headSize(input), 0))
}

/** Bytes an argument takes in the head of an ABI encoding: 32 for a dynamic one (its offset), its whole size for a static one. */
export function headSize(parameter: AbiParameter): number {
  return isDynamic(parameter) ? 32 : staticSize(parameter)
}

function isDynamic(parameter: AbiParameter): boolean {
  const type = parameter.type
  if (type === 'string' || type === 'bytes') return true
  const array = /^(.*)\[(\d*)\]$/.exec(type)
  if (array) return array[2] === '' || isDynamic({ ...parameter, type: array[1]! } as AbiParameter)
  if (type === 'tuple') return ((parameter as { components?: readonly AbiParameter[] }).components ?? []).some(isDynamic)
  return false
}

function staticSize(parameter: AbiParameter): number {
  const array = /^(.*)\[(\d+)\]$/.exec(parameter.type)
  if (array) return Number(array[2]) * staticSize({ ...parameter, type: array[1]! } as AbiParameter)
  if (parameter.type === 'tuple') return ((parameter as { components?: readonly AbiParameter[] }).components ?? []).reduce((sum, c) => sum + staticSize(c), 0)
  return 32
}
