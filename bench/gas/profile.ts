// Where a transaction's gas goes, from the node's opcode trace (`debug_traceTransaction`): the intrinsic part
// (21,000 + calldata), then every executed opcode's cost grouped by kind (storage writes and reads, events,
// keccak, call overhead, copies and memory, the rest) and by contract, each storage write and event listed.
// Used by `npm run gas -- --profile`.
import { getAddress, hexToBytes, type Address, type Hex, type PublicClient } from 'viem'
import type { SourceMaps } from './sourceMap.js'

type StructLog = { pc: number; op: string; gas: number; gasCost: number; depth: number; stack?: string[] }
type TraceResult = { gas: number; failed: boolean; structLogs: StructLog[] }

/** One transaction's gas, split. */
export type GasProfile = {
  gasUsed: number
  intrinsic: { base: number; calldataBytes: number; zeroBytes: number; calldata: number }
  /** Gas refunded at the end (storage cleared or restored), already taken off `gasUsed`. */
  refund: number
  /** Gas per kind of opcode: `storage writes`, `storage reads`, `events`, `keccak`, `calls`, `copies and memory`, `other`. */
  byKind: Record<string, { count: number; gas: number }>
  /** Gas spent in each contract's own code (its calls' overhead included, the callees' code not). */
  byContract: Record<string, number>
  /** Gas spent in each Solidity function (with `sourceMaps`): `Contract.function`, or `(compiler)` for generated code. */
  byFunction: Record<string, number>
  /** Gas spent on each source line (with `sourceMaps`): `file:line`. */
  byLine: Record<string, number>
  /** Every storage write and event, in order: contract, opcode, gas. */
  writes: { contract: string; op: string; gas: number }[]
}

/** What {@link profileTransaction} may use to name what it sees. */
export type ProfileLabels = {
  /** Address → a name for the contract there. */
  names?: Record<string, string>
  /** Address → the artifact (contract name) deployed there, for source maps. */
  artifacts?: Record<string, string>
  sourceMaps?: SourceMaps
}

const KIND: Record<string, string> = {
  SSTORE: 'storage writes',
  SLOAD: 'storage reads',
  TSTORE: 'transient storage',
  TLOAD: 'transient storage',
  KECCAK256: 'keccak',
  SHA3: 'keccak',
  CALL: 'calls',
  STATICCALL: 'calls',
  DELEGATECALL: 'calls',
  CALLCODE: 'calls',
  CREATE: 'calls',
  CREATE2: 'calls',
  CALLDATACOPY: 'copies and memory',
  CODECOPY: 'copies and memory',
  RETURNDATACOPY: 'copies and memory',
  MCOPY: 'copies and memory',
  EXTCODECOPY: 'copies and memory',
  MSTORE: 'copies and memory',
  MSTORE8: 'copies and memory',
  MLOAD: 'copies and memory',
  EXTCODESIZE: 'account access',
  EXTCODEHASH: 'account access',
  BALANCE: 'account access',
}

const kindOf = (op: string) => (op.startsWith('LOG') ? 'events' : (KIND[op] ?? 'other'))

/**
 * Profiles the mined transaction `hash` (the node must answer `debug_traceTransaction`, as anvil does).
 *
 * @example
 * ```ts
 * const profile = await profileTransaction(client, receipt.transactionHash, { [interopCenter]: 'InteropCenter' })
 * ```
 */
export async function profileTransaction(client: PublicClient, hash: Hex, labels: ProfileLabels = {}): Promise<GasProfile> {
  const names = labels.names ?? {}
  const [tx, receipt] = await Promise.all([client.getTransaction({ hash }), client.getTransactionReceipt({ hash })])
  // A trace of many bundles is larger than viem's response limit: read it with fetch.
  const rpcUrl = client.transport.url as string
  const response = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'debug_traceTransaction', params: [hash, { disableMemory: true, disableStorage: true, disableStack: false }] }) })
  const trace = ((await response.json()) as { result: TraceResult }).result
  if (trace.structLogs.length === 0) throw new Error('the node returned no opcode trace: start anvil with --steps-tracing')
  const label = (address: string) => names[getAddress(address)] ?? getAddress(address)
  const codes = new Map<string, Hex>()
  for (const address of Object.keys(labels.artifacts ?? {})) codes.set(getAddress(address), (await client.getCode({ address: address as Address })) ?? '0x')
  const byFunction: Record<string, number> = {}
  const byLine: Record<string, number> = {}
  const functionAt = (address: string | undefined, pc: number): string => {
    if (!address || !labels.sourceMaps) return '?'
    const artifact = labels.artifacts?.[address]
    const code = codes.get(address)
    if (!artifact || !code) return `${label(address)} (unknown code)`
    return labels.sourceMaps.functionAt(artifact, code, pc)
  }
  const addresses: (string | undefined)[] = [tx.to ? getAddress(tx.to) : undefined]
  const input = hexToBytes(tx.input)
  const zeroBytes = input.filter((b) => b === 0).length
  const calldata = zeroBytes * 4 + (input.length - zeroBytes) * 16
  const base = tx.to === null ? 53_000 : 21_000
  const logs = trace.structLogs
  const byKind: GasProfile['byKind'] = {}
  const byContract: Record<string, number> = {}
  const writes: GasProfile['writes'] = []
  const contracts: string[] = [label(tx.to ?? '0x0000000000000000000000000000000000000000')]
  let executed = 0
  for (let i = 0; i < logs.length; i++) {
    const step = logs[i]!
    const next = logs[i + 1]
    let cost: number
    if (next && next.depth > step.depth) {
      // A call entered: its own cost is what the frame lost minus what the callee used.
      let back = i + 1
      while (back < logs.length && logs[back]!.depth > step.depth) back++
      const last = logs[back - 1]!
      const calleeUsed = next.gas - (last.gas - last.gasCost)
      cost = back < logs.length ? step.gas - logs[back]!.gas - calleeUsed : step.gasCost
      const stack = step.stack ?? []
      const target = step.op.startsWith('CREATE') ? 'new contract' : label(`0x${(stack[stack.length - 2] ?? '0x0').replace(/^0x/, '').padStart(64, '0').slice(24)}`)
      contracts[next.depth - 1] = target
      addresses[next.depth - 1] = step.op.startsWith('CREATE') ? undefined : getAddress(`0x${(stack[stack.length - 2] ?? '0x0').replace(/^0x/, '').padStart(64, '0').slice(24)}`)
    } else if (next && next.depth === step.depth) cost = step.gas - next.gas
    else cost = step.gasCost
    const kind = kindOf(step.op)
    const entry = (byKind[kind] ??= { count: 0, gas: 0 })
    entry.count++
    entry.gas += cost
    const contract = contracts[step.depth - 1] ?? '?'
    byContract[contract] = (byContract[contract] ?? 0) + cost
    if (labels.sourceMaps) {
      const address = addresses[step.depth - 1]
      const fn = functionAt(address, step.pc)
      byFunction[fn] = (byFunction[fn] ?? 0) + cost
      const artifact = address ? labels.artifacts?.[address] : undefined
      const code = address ? codes.get(address) : undefined
      const line = artifact && code ? `${artifact} ${labels.sourceMaps.lineAt(artifact, code, step.pc)}` : fn
      byLine[line] = (byLine[line] ?? 0) + cost
    }
    if (step.op === 'SSTORE' || step.op.startsWith('LOG')) writes.push({ contract, op: step.op, gas: cost })
    executed += cost
  }
  const gasUsed = Number(receipt.gasUsed)
  return { gasUsed, intrinsic: { base, calldataBytes: input.length, zeroBytes, calldata }, refund: Math.max(0, base + calldata + executed - gasUsed), byKind, byContract, byFunction, byLine, writes }
}

/** The profile as lines of text. */
export function formatProfile(name: string, p: GasProfile): string {
  const lines = [`${name}: ${p.gasUsed.toLocaleString('en')} gas`]
  lines.push(`  intrinsic ${p.intrinsic.base.toLocaleString('en')} + calldata ${p.intrinsic.calldata.toLocaleString('en')} (${p.intrinsic.calldataBytes} bytes, ${p.intrinsic.zeroBytes} zero)${p.refund ? `, refund -${p.refund.toLocaleString('en')}` : ''}`)
  for (const [kind, { count, gas }] of Object.entries(p.byKind).sort((a, b) => b[1].gas - a[1].gas)) lines.push(`  ${kind.padEnd(18)} ${String(count).padStart(6)} ops ${gas.toLocaleString('en').padStart(9)}`)
  lines.push('  by contract (own code):')
  for (const [contract, gas] of Object.entries(p.byContract).sort((a, b) => b[1] - a[1])) lines.push(`    ${contract.padEnd(44)} ${gas.toLocaleString('en').padStart(9)}`)
  if (Object.keys(p.byFunction).length) {
    lines.push('  by function (own code):')
    for (const [fn, gas] of Object.entries(p.byFunction).sort((a, b) => b[1] - a[1])) if (gas > 0) lines.push(`    ${fn.padEnd(44)} ${gas.toLocaleString('en').padStart(9)}`)
  }
  if (Object.keys(p.byLine).length) {
    lines.push('  top source lines (own code):')
    for (const [line, gas] of Object.entries(p.byLine).sort((a, b) => b[1] - a[1]).slice(0, 25)) lines.push(`    ${line.padEnd(60)} ${gas.toLocaleString('en').padStart(9)}`)
  }
  if (p.writes.length) lines.push(`  writes: ${p.writes.slice(0, 12).map((w) => `${w.contract}.${w.op} ${w.gas}`).join(', ')}${p.writes.length > 12 ? `, … (${p.writes.length} in all)` : ''}`)
  return lines.join('\n')
}
