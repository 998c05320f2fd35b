// Checks of JSON-RPC parameters, each returning the value to forward, rebuilt from what was checked
// (never the client's own object: no field the checks did not see reaches the node). Pure.
import type { Address, Hex } from 'viem'

/** A parameter is malformed (JSON-RPC -32602). */
export class InvalidParamsError extends Error {
  override name = 'InvalidParamsError'
}
/** A parameter is well-formed but asks for something refused (JSON-RPC -32001), such as a state override. */
export class RefusedParamsError extends Error {
  override name = 'RefusedParamsError'
}

const addressPattern = /^0x[0-9a-fA-F]{40}$/
const hashPattern = /^0x[0-9a-fA-F]{64}$/
const quantityPattern = /^0x(0|[1-9a-fA-F][0-9a-fA-F]{0,63})$/
const dataPattern = /^0x([0-9a-fA-F]{2})*$/
const blockTags = new Set(['latest', 'earliest', 'pending', 'safe', 'finalized'])

/** Checks `params` is an array of at most `max` entries (extra ones, such as state overrides, refused). */
export function paramsAtMost(params: readonly unknown[], max: number, method: string, extra = 'more parameters'): void {
  if (params.length > max) throw new RefusedParamsError(`${method} takes at most ${max} parameters: ${extra} are refused`)
}

export function addressParam(v: unknown, name: string): Address {
  if (typeof v !== 'string' || !addressPattern.test(v)) throw new InvalidParamsError(`${name} must be a 20-byte hex address`)
  return v as Address
}

export function hashParam(v: unknown, name: string): Hex {
  if (typeof v !== 'string' || !hashPattern.test(v)) throw new InvalidParamsError(`${name} must be a 32-byte hex hash`)
  return v as Hex
}

export function quantityParam(v: unknown, name: string): Hex {
  if (typeof v !== 'string' || !quantityPattern.test(v)) throw new InvalidParamsError(`${name} must be a hex quantity (0x1a)`)
  return v as Hex
}

export function dataParam(v: unknown, name: string, maxBytes = 262_144): Hex {
  if (typeof v !== 'string' || !dataPattern.test(v)) throw new InvalidParamsError(`${name} must be hex bytes`)
  if (v.length - 2 > maxBytes * 2) throw new InvalidParamsError(`${name} is over ${maxBytes} bytes`)
  return v as Hex
}

export function booleanParam(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw new InvalidParamsError(`${name} must be true or false`)
  return v
}

/** A block: a tag, a number, or EIP-1898 `{ blockHash, requireCanonical? }` / `{ blockNumber }`. Absent stays absent. */
export function blockParam(v: unknown, name: string): unknown {
  if (v === undefined) return undefined
  if (typeof v === 'string') {
    if (blockTags.has(v)) return v
    return quantityParam(v, name)
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o)
    if ('blockHash' in o) {
      if (keys.some((k) => k !== 'blockHash' && k !== 'requireCanonical')) throw new InvalidParamsError(`${name}: only blockHash and requireCanonical`)
      return { blockHash: hashParam(o.blockHash, `${name}.blockHash`), ...(o.requireCanonical === undefined ? {} : { requireCanonical: booleanParam(o.requireCanonical, `${name}.requireCanonical`) }) }
    }
    if ('blockNumber' in o && keys.length === 1) return { blockNumber: quantityParam(o.blockNumber, `${name}.blockNumber`) }
  }
  throw new InvalidParamsError(`${name} must be a block tag (latest, earliest, pending, safe, finalized), a hex number, or { blockHash } / { blockNumber }`)
}

/** A block tag or number only (eth_getBlockByNumber, eth_feeHistory). */
export function blockNumberParam(v: unknown, name: string): string {
  if (typeof v === 'string' && blockTags.has(v)) return v
  return quantityParam(v, name)
}

/** A call object of eth_call and eth_estimateGas, checked and rebuilt. */
export type CallObject = { from: Address | undefined; to: Address | undefined; data: Hex; forward: Record<string, unknown> }

const callQuantityFields = ['gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'value', 'nonce', 'type', 'chainId'] as const
const callFields = new Set<string>(['from', 'to', 'data', 'input', 'accessList', ...callQuantityFields])

export function callObjectParam(v: unknown, name: string): CallObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidParamsError(`${name} must be a call object`)
  const o = v as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!callFields.has(key)) throw new RefusedParamsError(`${name}.${key} is refused (fields allowed: ${[...callFields].join(', ')})`)
  }
  const forward: Record<string, unknown> = {}
  const from = o.from === undefined || o.from === null ? undefined : addressParam(o.from, `${name}.from`)
  const to = o.to === undefined || o.to === null ? undefined : addressParam(o.to, `${name}.to`)
  if (from) forward.from = from
  if (to) forward.to = to
  const data = o.data === undefined || o.data === null ? undefined : dataParam(o.data, `${name}.data`)
  const input = o.input === undefined || o.input === null ? undefined : dataParam(o.input, `${name}.input`)
  if (data !== undefined && input !== undefined && data.toLowerCase() !== input.toLowerCase()) throw new RefusedParamsError(`${name} has data and input that differ: give one`)
  const calldata = (data ?? input ?? '0x') as Hex
  if (calldata !== '0x') forward.data = calldata
  for (const field of callQuantityFields) if (o[field] !== undefined && o[field] !== null) forward[field] = quantityParam(o[field], `${name}.${field}`)
  if (o.accessList !== undefined && o.accessList !== null) forward.accessList = accessListParam(o.accessList, `${name}.accessList`)
  return { from, to, data: calldata, forward }
}

function accessListParam(v: unknown, name: string): unknown[] {
  if (!Array.isArray(v) || v.length > 1_000) throw new InvalidParamsError(`${name} must be an array of { address, storageKeys }`)
  return v.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new InvalidParamsError(`${name}[${i}] must be { address, storageKeys }`)
    const e = entry as Record<string, unknown>
    if (Object.keys(e).some((k) => k !== 'address' && k !== 'storageKeys')) throw new InvalidParamsError(`${name}[${i}]: only address and storageKeys`)
    if (!Array.isArray(e.storageKeys)) throw new InvalidParamsError(`${name}[${i}].storageKeys must be an array`)
    return { address: addressParam(e.address, `${name}[${i}].address`), storageKeys: e.storageKeys.map((k, j) => hashParam(k, `${name}[${i}].storageKeys[${j}]`)) }
  })
}

/** A log filter of eth_getLogs, checked and rebuilt; `addresses` undefined when it names none. */
export type LogFilter = { addresses: Address[] | undefined; forward: Record<string, unknown> }

export function logFilterParam(v: unknown, name: string): LogFilter {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidParamsError(`${name} must be a filter object`)
  const o = v as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!['address', 'topics', 'fromBlock', 'toBlock', 'blockHash'].includes(key)) throw new RefusedParamsError(`${name}.${key} is refused (fields allowed: address, topics, fromBlock, toBlock, blockHash)`)
  }
  const forward: Record<string, unknown> = {}
  let addresses: Address[] | undefined
  if (o.address !== undefined && o.address !== null) {
    const list = Array.isArray(o.address) ? o.address : [o.address]
    if (list.length === 0 || list.length > 100) throw new InvalidParamsError(`${name}.address must name 1 to 100 addresses`)
    addresses = list.map((a, i) => addressParam(a, `${name}.address[${i}]`))
    forward.address = Array.isArray(o.address) ? addresses : addresses[0]
  }
  if (o.topics !== undefined && o.topics !== null) {
    if (!Array.isArray(o.topics) || o.topics.length > 4) throw new InvalidParamsError(`${name}.topics must be an array of at most 4`)
    forward.topics = o.topics.map((t, i) => {
      if (t === null) return null
      if (Array.isArray(t)) {
        if (t.length > 100) throw new InvalidParamsError(`${name}.topics[${i}]: at most 100 alternatives`)
        return t.map((x, j) => (x === null ? null : hashParam(x, `${name}.topics[${i}][${j}]`)))
      }
      return hashParam(t, `${name}.topics[${i}]`)
    })
  }
  if (o.blockHash !== undefined && o.blockHash !== null) {
    if (o.fromBlock !== undefined || o.toBlock !== undefined) throw new InvalidParamsError(`${name}: blockHash excludes fromBlock and toBlock`)
    forward.blockHash = hashParam(o.blockHash, `${name}.blockHash`)
  }
  if (o.fromBlock !== undefined && o.fromBlock !== null) forward.fromBlock = blockNumberParam(o.fromBlock, `${name}.fromBlock`)
  if (o.toBlock !== undefined && o.toBlock !== null) forward.toBlock = blockNumberParam(o.toBlock, `${name}.toBlock`)
  return { addresses, forward }
}
