// The permissioned RPC's config: the SIWE and session settings, the limits, and the permissions (roles,
// users, contract-function rules, event rules) in the shape of ZKsync Prividium's. Parsed and checked
// here, as a whole, whether it comes from a file or from an admin change (docs/prividium.md).
import { readFileSync } from 'node:fs'
import { getAddress, isAddress, keccak256, parseAbiItem, stringToHex, toEventSelector, toFunctionSelector, type AbiFunction, type Address, type Hex } from 'viem'
import { PrividiumConfigError } from './errors.js'

/** What a role may do beyond the contract and event rules that name it. */
export const SYSTEM_PERMISSIONS = ['deployContracts', 'plainTransfers', 'fullRead', 'admin'] as const
/**
 * - `deployContracts`: send contract creations (a constructor runs any code: give it only where you would give `fullRead`);
 * - `plainTransfers`: send ETH (or anything) to accounts without code, where nothing runs (no contract rule can name them);
 * - `fullRead`: every read on the chain (balances, transactions, blocks, logs, storage, any `eth_call`), no write;
 * - `admin`: the admin API (users, roles, rules, the audit log).
 */
export type SystemPermission = (typeof SYSTEM_PERMISSIONS)[number]

/** How a contract-function rule decides, as in Prividium. */
export const RULE_TYPES = ['public', 'checkRole', 'restrictArgument', 'checkRoleAndRestrictArgument', 'checkRoleOrRestrictArgument'] as const
export type RuleType = (typeof RULE_TYPES)[number]

export type PrividiumRole = {
  /** Letters, digits, `_`, `-`, `.`; at most 64. */
  name: string
  permissions: SystemPermission[]
}

export type PrividiumUser = {
  /** Letters, digits, `_`, `-`, `.`; at most 64. */
  id: string
  displayName: string
  /** Names of roles; each must exist. */
  roles: string[]
  /** At least one; a wallet belongs to one user only. */
  wallets: Address[]
  /** ISO time, set by the admin API (absent in a config file: the time the permissions were loaded). */
  createdAt?: string | undefined
  updatedAt?: string | undefined
}

/** One function of one contract (unique per contract and selector). No rule for a call means it is refused. */
export type ContractRule = {
  contractAddress: Address
  /** `transfer(address,uint256)`: needed to restrict arguments (their positions come from the types). */
  functionSignature?: string | undefined
  /** 4 bytes; `0x` is `receive()` (a call with no data). Derived from `functionSignature` when absent. */
  methodSelector: Hex
  /** `write` allows sends and gas estimates, and implies `read` (`eth_call`). */
  accessType: 'read' | 'write'
  ruleType: RuleType
  /** For the rule types that check a role: any of these. */
  roles: string[]
  /** For the rule types that restrict arguments: each of these `address` arguments must be the signing wallet. */
  argumentRestrictions: { argumentIndex: number }[]
}

/** One event of one contract, for `eth_getLogs`: a log is shown if some rule that applies to the caller matches it. */
export type EventRule = {
  /** Unique; named in the admin API. */
  id: string
  contractAddress: Address
  /** `Transfer(address,address,uint256)`; gives `topic0` when that is absent. */
  eventSignature?: string | undefined
  /** The event's selector (topic 0). */
  topic0: Hex
  /** Every one must hold: topic `topicIndex` equals the 32-byte constant, or one of the caller's wallets (`'caller'`). */
  topicRestrictions: { topicIndex: 1 | 2 | 3; equals: 'caller' | Hex }[]
  /** Roles it applies to; empty: every signed-in user. */
  roles: string[]
}

/** Who may do what on the chain: changed at run time through the admin API. */
export type PrividiumPermissions = {
  roles: PrividiumRole[]
  users: PrividiumUser[]
  contractRules: ContractRule[]
  eventRules: EventRule[]
}

/** Everything the permissioned RPC is configured with. */
export type PrividiumConfig = {
  /** The chain id the node must report; absent: whatever the node reports. */
  chainId?: number | undefined
  siwe: {
    /** Domains (`host` or `host:port`) a SIWE message may name; the first is used when a client names none. */
    domains: string[]
    /** The statement line of the messages this server issues. */
    statement: string
    /** How long an issued message (and its nonce) may be used to log in. */
    nonceTtlSeconds: number
  }
  sessions: {
    /** How long a session token lasts (`expiresAt`). Sessions are not renewed: clients log in again. */
    ttlSeconds: number
  }
  limits: {
    /** Largest request body read, in bytes (413 above it). */
    maxBodyBytes: number
    /** Most entries in one JSON-RPC batch (the whole batch refused above it). */
    maxBatchSize: number
    /** Sign-in requests (SIWE messages and logins) per minute from one client address (429 above it). */
    authRequestsPerMinute: number
    /** JSON-RPC requests without a session per minute from one client address (429 above it; each is refused or answered here, and logged). */
    anonymousRequestsPerMinute: number
    /** Most SIWE messages issued and not used yet, over all clients (429 above it). */
    maxPendingNonces: number
  }
  permissions: PrividiumPermissions
}

/** The defaults of everything but the permissions. */
export const DEFAULT_PRIVIDIUM_SETTINGS: Omit<PrividiumConfig, 'permissions'> = {
  siwe: { domains: ['127.0.0.1', 'localhost'], statement: 'Sign in to the permissioned RPC of a Junction private chain.', nonceTtlSeconds: 300 },
  sessions: { ttlSeconds: 3_600 },
  limits: { maxBodyBytes: 1_048_576, maxBatchSize: 100, authRequestsPerMinute: 60, anonymousRequestsPerMinute: 600, maxPendingNonces: 10_000 },
}

/**
 * Calls that forward arbitrary calls (multicall, account `execute`): a rule on one would let its caller
 * make calls the proxy never sees, as the proxy checks only the outer call. No rule may name them.
 */
export const DISPATCHING_FUNCTIONS = [
  'aggregate((address,bytes)[])',
  'aggregate3((address,bool,bytes)[])',
  'aggregate3Value((address,bool,uint256,bytes)[])',
  'tryAggregate(bool,(address,bytes)[])',
  'tryBlockAndAggregate(bool,(address,bytes)[])',
  'blockAndAggregate((address,bytes)[])',
  'multicall(bytes[])',
  'multicall(uint256,bytes[])',
  'multicall(bytes32,bytes[])',
  'execute(address,uint256,bytes)',
  'executeBatch((address,uint256,bytes)[])',
  'executeBatch(address[],uint256[],bytes[])',
  'executeBatch(address[],bytes[])',
] as const
const dispatchingSelectors = new Map<string, string>(DISPATCHING_FUNCTIONS.map((signature) => [toFunctionSelector(signature), signature]))

const namePattern = /^[A-Za-z0-9_.-]{1,64}$/
const selectorPattern = /^0x([0-9a-f]{8})?$/
const topicPattern = /^0x[0-9a-f]{64}$/

/**
 * Reads a config file (JSON) and checks it whole.
 *
 * @throws {PrividiumConfigError} a field is missing or wrong (the error names it).
 * @example
 * ```ts
 * const config = loadPrividiumConfig('.junction/prividium-bank-a.json')
 * ```
 */
export function loadPrividiumConfig(file: string): PrividiumConfig {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new PrividiumConfigError({ path: file, problem: error instanceof SyntaxError ? `not JSON: ${error.message}` : `cannot be read: ${(error as Error).message}`, cause: error })
  }
  return parsePrividiumConfig(json)
}

/**
 * Checks a config (settings with defaults filled in, and the permissions as a whole: roles named exist,
 * wallets belong to one user, rules unique per contract and selector, restricted arguments are addresses,
 * no rule on a call-forwarding function) and returns it normalised (checksummed addresses, lower-case
 * selectors, selectors derived from signatures).
 *
 * @throws {PrividiumConfigError} naming the field that is wrong.
 * @example
 * ```ts
 * const config = parsePrividiumConfig({ permissions: { roles: [], users: [], contractRules: [], eventRules: [] } })
 * ```
 */
export function parsePrividiumConfig(input: unknown): PrividiumConfig {
  const o = object(input, '$')
  known(o, '$', ['chainId', 'siwe', 'sessions', 'limits', 'permissions'])
  const d = DEFAULT_PRIVIDIUM_SETTINGS
  const siwe = o.siwe === undefined ? {} : object(o.siwe, '$.siwe')
  known(siwe, '$.siwe', ['domains', 'statement', 'nonceTtlSeconds'])
  const sessions = o.sessions === undefined ? {} : object(o.sessions, '$.sessions')
  known(sessions, '$.sessions', ['ttlSeconds'])
  const limits = o.limits === undefined ? {} : object(o.limits, '$.limits')
  known(limits, '$.limits', ['maxBodyBytes', 'maxBatchSize', 'authRequestsPerMinute', 'anonymousRequestsPerMinute', 'maxPendingNonces'])
  const domains = siwe.domains === undefined ? d.siwe.domains : array(siwe.domains, '$.siwe.domains').map((v, i) => domain(v, `$.siwe.domains[${i}]`))
  if (domains.length === 0) fail('$.siwe.domains', 'name at least one domain')
  const statement = siwe.statement === undefined ? d.siwe.statement : string(siwe.statement, '$.siwe.statement', 200)
  if (/[\n\r]/.test(statement)) fail('$.siwe.statement', 'one line only')
  return {
    ...(o.chainId === undefined ? {} : { chainId: integer(o.chainId, '$.chainId', 1) }),
    siwe: { domains, statement, nonceTtlSeconds: siwe.nonceTtlSeconds === undefined ? d.siwe.nonceTtlSeconds : integer(siwe.nonceTtlSeconds, '$.siwe.nonceTtlSeconds', 1) },
    sessions: { ttlSeconds: sessions.ttlSeconds === undefined ? d.sessions.ttlSeconds : integer(sessions.ttlSeconds, '$.sessions.ttlSeconds', 1) },
    limits: {
      maxBodyBytes: limits.maxBodyBytes === undefined ? d.limits.maxBodyBytes : integer(limits.maxBodyBytes, '$.limits.maxBodyBytes', 1_024),
      maxBatchSize: limits.maxBatchSize === undefined ? d.limits.maxBatchSize : integer(limits.maxBatchSize, '$.limits.maxBatchSize', 1),
      authRequestsPerMinute: limits.authRequestsPerMinute === undefined ? d.limits.authRequestsPerMinute : integer(limits.authRequestsPerMinute, '$.limits.authRequestsPerMinute', 1),
      anonymousRequestsPerMinute: limits.anonymousRequestsPerMinute === undefined ? d.limits.anonymousRequestsPerMinute : integer(limits.anonymousRequestsPerMinute, '$.limits.anonymousRequestsPerMinute', 1),
      maxPendingNonces: limits.maxPendingNonces === undefined ? d.limits.maxPendingNonces : integer(limits.maxPendingNonces, '$.limits.maxPendingNonces', 1),
    },
    permissions: parsePrividiumPermissions(o.permissions, '$.permissions'),
  }
}

/**
 * Checks permissions as a whole (see {@link parsePrividiumConfig}) and returns them normalised.
 *
 * @throws {PrividiumConfigError} naming the field that is wrong.
 * @example
 * ```ts
 * const permissions = parsePrividiumPermissions({ roles: [{ name: 'admin', permissions: ['admin'] }], users: [], contractRules: [], eventRules: [] })
 * ```
 */
export function parsePrividiumPermissions(input: unknown, path = '$'): PrividiumPermissions {
  const o = object(input, path)
  known(o, path, ['roles', 'users', 'contractRules', 'eventRules'])
  const roles = array(o.roles ?? [], `${path}.roles`).map((v, i) => role(v, `${path}.roles[${i}]`))
  const roleNames = new Set<string>()
  roles.forEach((r, i) => {
    if (roleNames.has(r.name)) fail(`${path}.roles[${i}].name`, `role "${r.name}" is defined twice`)
    roleNames.add(r.name)
  })
  const existingRole = (name: unknown, at: string): string => {
    const value = string(name, at, 64)
    if (!roleNames.has(value)) fail(at, `no role "${value}" (roles: ${[...roleNames].join(', ') || 'none'})`)
    return value
  }

  const userIds = new Set<string>()
  const walletOwners = new Map<string, string>()
  const users = array(o.users ?? [], `${path}.users`).map((v, i): PrividiumUser => {
    const at = `${path}.users[${i}]`
    const u = object(v, at)
    known(u, at, ['id', 'displayName', 'roles', 'wallets', 'createdAt', 'updatedAt'])
    const id = name(u.id, `${at}.id`)
    if (userIds.has(id)) fail(`${at}.id`, `user "${id}" is defined twice`)
    userIds.add(id)
    const wallets = array(u.wallets, `${at}.wallets`).map((w, j) => address(w, `${at}.wallets[${j}]`))
    if (wallets.length === 0) fail(`${at}.wallets`, 'a user needs at least one wallet')
    for (const [j, wallet] of wallets.entries()) {
      const owner = walletOwners.get(wallet.toLowerCase())
      if (owner !== undefined) fail(`${at}.wallets[${j}]`, `wallet ${wallet} already belongs to user "${owner}"`)
      walletOwners.set(wallet.toLowerCase(), id)
    }
    const userRoles = array(u.roles ?? [], `${at}.roles`).map((r, j) => existingRole(r, `${at}.roles[${j}]`))
    return {
      id,
      displayName: u.displayName === undefined ? id : string(u.displayName, `${at}.displayName`, 200),
      roles: [...new Set(userRoles)],
      wallets,
      ...(u.createdAt === undefined ? {} : { createdAt: isoTime(u.createdAt, `${at}.createdAt`) }),
      ...(u.updatedAt === undefined ? {} : { updatedAt: isoTime(u.updatedAt, `${at}.updatedAt`) }),
    }
  })

  const ruleKeys = new Set<string>()
  const contractRules = array(o.contractRules ?? [], `${path}.contractRules`).map((v, i) => {
    const at = `${path}.contractRules[${i}]`
    const rule = contractRule(v, at, existingRole)
    const key = `${rule.contractAddress.toLowerCase()}:${rule.methodSelector}`
    if (ruleKeys.has(key)) fail(at, `a second rule for ${rule.methodSelector} on ${rule.contractAddress} (one rule per contract and selector)`)
    ruleKeys.add(key)
    return rule
  })

  const eventIds = new Set<string>()
  const eventRules = array(o.eventRules ?? [], `${path}.eventRules`).map((v, i) => {
    const at = `${path}.eventRules[${i}]`
    const rule = eventRule(v, at, existingRole)
    if (eventIds.has(rule.id)) fail(`${at}.id`, `event rule "${rule.id}" is defined twice`)
    eventIds.add(rule.id)
    return rule
  })
  return { roles, users, contractRules, eventRules }
}

/**
 * The function of a rule's signature, parsed (`transfer(address,uint256)` → its ABI item).
 *
 * @example
 * ```ts
 * functionOfSignature('transfer(address,uint256)').inputs[0].type // 'address'
 * ```
 */
export function functionOfSignature(signature: string): AbiFunction {
  const item = parseAbiItem(`function ${signature}`) as AbiFunction
  if (item.type !== 'function') throw new Error(`not a function: ${signature}`)
  return item
}

function role(v: unknown, at: string): PrividiumRole {
  const r = object(v, at)
  known(r, at, ['name', 'permissions'])
  const permissions = array(r.permissions ?? [], `${at}.permissions`).map((p, j) => {
    if (typeof p !== 'string' || !(SYSTEM_PERMISSIONS as readonly string[]).includes(p)) fail(`${at}.permissions[${j}]`, `must be one of ${SYSTEM_PERMISSIONS.join(', ')}`)
    return p as SystemPermission
  })
  return { name: name(r.name, `${at}.name`), permissions: [...new Set(permissions)] }
}

function contractRule(v: unknown, at: string, existingRole: (name: unknown, at: string) => string): ContractRule {
  const r = object(v, at)
  known(r, at, ['contractAddress', 'functionSignature', 'methodSelector', 'accessType', 'ruleType', 'roles', 'argumentRestrictions'])
  const contractAddress = address(r.contractAddress, `${at}.contractAddress`)
  let fn: AbiFunction | undefined
  let functionSignature: string | undefined
  if (r.functionSignature !== undefined) {
    functionSignature = string(r.functionSignature, `${at}.functionSignature`, 1_000).replace(/\s+/g, '')
    try {
      fn = functionOfSignature(functionSignature)
    } catch (error) {
      fail(`${at}.functionSignature`, `"${functionSignature}" is not a function signature such as transfer(address,uint256)`, error)
    }
  }
  let methodSelector: Hex
  if (r.methodSelector !== undefined) {
    const given = string(r.methodSelector, `${at}.methodSelector`, 10).toLowerCase()
    if (!selectorPattern.test(given)) fail(`${at}.methodSelector`, 'must be 4 bytes of hex (0x12345678), or 0x for receive()')
    methodSelector = given as Hex
    if (fn && toFunctionSelector(fn) !== methodSelector) fail(`${at}.methodSelector`, `${methodSelector} is not the selector of ${functionSignature} (${toFunctionSelector(fn)})`)
  } else if (fn) methodSelector = toFunctionSelector(fn)
  else fail(at, 'give functionSignature or methodSelector')
  const dispatcher = dispatchingSelectors.get(methodSelector)
  if (dispatcher) fail(at, `${dispatcher} forwards arbitrary calls the proxy cannot check: no rule may allow it`)
  if (r.accessType !== 'read' && r.accessType !== 'write') fail(`${at}.accessType`, 'must be read or write')
  if (typeof r.ruleType !== 'string' || !(RULE_TYPES as readonly string[]).includes(r.ruleType)) fail(`${at}.ruleType`, `must be one of ${RULE_TYPES.join(', ')}`)
  const ruleType = r.ruleType as RuleType
  const roles = [...new Set(array(r.roles ?? [], `${at}.roles`).map((x, j) => existingRole(x, `${at}.roles[${j}]`)))]
  const checksRole = ruleType === 'checkRole' || ruleType === 'checkRoleAndRestrictArgument' || ruleType === 'checkRoleOrRestrictArgument'
  const restricts = ruleType === 'restrictArgument' || ruleType === 'checkRoleAndRestrictArgument' || ruleType === 'checkRoleOrRestrictArgument'
  if (checksRole && roles.length === 0) fail(`${at}.roles`, `a ${ruleType} rule needs at least one role`)
  if (!checksRole && roles.length > 0) fail(`${at}.roles`, `a ${ruleType} rule checks no role: leave roles empty`)
  const argumentRestrictions = array(r.argumentRestrictions ?? [], `${at}.argumentRestrictions`).map((x, j) => {
    const ra = object(x, `${at}.argumentRestrictions[${j}]`)
    known(ra, `${at}.argumentRestrictions[${j}]`, ['argumentIndex'])
    return { argumentIndex: integer(ra.argumentIndex, `${at}.argumentRestrictions[${j}].argumentIndex`, 0) }
  })
  if (restricts && argumentRestrictions.length === 0) fail(`${at}.argumentRestrictions`, `a ${ruleType} rule needs at least one restricted argument`)
  if (!restricts && argumentRestrictions.length > 0) fail(`${at}.argumentRestrictions`, `a ${ruleType} rule restricts no argument: leave argumentRestrictions empty`)
  if (restricts) {
    if (!fn) fail(`${at}.functionSignature`, 'restricting arguments needs the function signature (their types give their positions)')
    for (const [j, { argumentIndex }] of argumentRestrictions.entries()) {
      const input = fn.inputs[argumentIndex]
      if (!input) fail(`${at}.argumentRestrictions[${j}].argumentIndex`, `${functionSignature} has ${fn.inputs.length} arguments`)
      if (input.type !== 'address') fail(`${at}.argumentRestrictions[${j}].argumentIndex`, `argument ${argumentIndex} of ${functionSignature} is ${input.type}: only address arguments can be restricted to the caller`)
    }
  }
  return {
    contractAddress,
    ...(functionSignature === undefined ? {} : { functionSignature }),
    methodSelector,
    accessType: r.accessType,
    ruleType,
    roles,
    argumentRestrictions,
  }
}

function eventRule(v: unknown, at: string, existingRole: (name: unknown, at: string) => string): EventRule {
  const r = object(v, at)
  known(r, at, ['id', 'contractAddress', 'eventSignature', 'topic0', 'topicRestrictions', 'roles'])
  const contractAddress = address(r.contractAddress, `${at}.contractAddress`)
  let eventSignature: string | undefined
  let fromSignature: Hex | undefined
  if (r.eventSignature !== undefined) {
    eventSignature = string(r.eventSignature, `${at}.eventSignature`, 1_000).replace(/\s+/g, '')
    try {
      fromSignature = toEventSelector(`event ${eventSignature}`)
    } catch (error) {
      fail(`${at}.eventSignature`, `"${eventSignature}" is not an event signature such as Transfer(address,address,uint256)`, error)
    }
  }
  let topic0: Hex
  if (r.topic0 !== undefined) {
    topic0 = topic(r.topic0, `${at}.topic0`)
    if (fromSignature && fromSignature !== topic0) fail(`${at}.topic0`, `${topic0} is not the selector of ${eventSignature} (${fromSignature})`)
  } else if (fromSignature) topic0 = fromSignature
  else fail(at, 'give eventSignature or topic0')
  const indices = new Set<number>()
  const topicRestrictions = array(r.topicRestrictions ?? [], `${at}.topicRestrictions`).map((x, j) => {
    const tat = `${at}.topicRestrictions[${j}]`
    const t = object(x, tat)
    known(t, tat, ['topicIndex', 'equals'])
    const topicIndex = integer(t.topicIndex, `${tat}.topicIndex`, 1)
    if (topicIndex > 3) fail(`${tat}.topicIndex`, 'topics 1 to 3 can be restricted (topic 0 is the event)')
    if (indices.has(topicIndex)) fail(`${tat}.topicIndex`, `topic ${topicIndex} is restricted twice`)
    indices.add(topicIndex)
    const equals = t.equals === 'caller' ? ('caller' as const) : topic(t.equals, `${tat}.equals`)
    return { topicIndex: topicIndex as 1 | 2 | 3, equals }
  })
  const roles = [...new Set(array(r.roles ?? [], `${at}.roles`).map((x, j) => existingRole(x, `${at}.roles[${j}]`)))]
  const id = r.id === undefined ? defaultEventRuleId(contractAddress, topic0, topicRestrictions) : name(r.id, `${at}.id`)
  return { id, contractAddress, ...(eventSignature === undefined ? {} : { eventSignature }), topic0, topicRestrictions, roles }
}

/** An event rule's id when none is given: from what it matches, so the same rule gets the same id. */
function defaultEventRuleId(contract: Address, topic0: Hex, restrictions: EventRule['topicRestrictions']): string {
  return `event-${keccak256(stringToHex(JSON.stringify([contract.toLowerCase(), topic0, restrictions]))).slice(2, 14)}`
}

function fail(path: string, problem: string, cause?: unknown): never {
  throw new PrividiumConfigError({ path, problem, cause })
}
function object(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, 'must be an object')
  return v as Record<string, unknown>
}
function known(o: Record<string, unknown>, at: string, keys: readonly string[]): void {
  for (const key of Object.keys(o)) if (!keys.includes(key)) fail(`${at}.${key}`, `unknown field (known: ${keys.join(', ')})`)
}
function array(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) fail(at, 'must be an array')
  return v
}
function string(v: unknown, at: string, maxLength: number): string {
  if (typeof v !== 'string') fail(at, 'must be a string')
  if (v.length > maxLength) fail(at, `at most ${maxLength} characters`)
  return v
}
function name(v: unknown, at: string): string {
  const value = string(v, at, 64)
  if (!namePattern.test(value)) fail(at, `"${value}": letters, digits, _ - . only, 1 to 64 of them`)
  return value
}
function integer(v: unknown, at: string, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(at, `must be a whole number ≥ ${min}`)
  return v
}
function address(v: unknown, at: string): Address {
  if (typeof v !== 'string' || !isAddress(v, { strict: false })) fail(at, `${JSON.stringify(v)} is not an address`)
  return getAddress(v)
}
function topic(v: unknown, at: string): Hex {
  if (typeof v !== 'string' || !topicPattern.test(v.toLowerCase())) fail(at, 'must be 32 bytes of hex')
  return v.toLowerCase() as Hex
}
function domain(v: unknown, at: string): string {
  const value = string(v, at, 255)
  if (!/^[a-zA-Z0-9.-]+(:[0-9]{1,5})?$/.test(value)) fail(at, `"${value}" is not a host or host:port`)
  return value
}
function isoTime(v: unknown, at: string): string {
  const value = string(v, at, 40)
  if (Number.isNaN(Date.parse(value))) fail(at, 'must be an ISO time')
  return value
}
