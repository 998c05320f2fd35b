import { parseEther } from 'viem'
import type { NodeSpec, ResolveNodesParameters } from '../../network/resolveNodes.js'
import { UsageError } from '../runCommand.js'

/** The options that name nodes Junction did not start (`junction deploy`, `junction up`), for `parseOptions`. */
export const nodeOptions = {
  l1: { type: 'string' },
  chain: { type: 'string', multiple: true },
  gateway: { type: 'string' },
  'dev-user-eth': { type: 'string' },
} as const

/** Their lines in `--help`. */
export const nodeOptionsUsage = `  --l1 URL[,chain-id=N]      the L1's JSON-RPC URL (a development chain id: 1337, 31337-31346)
  --chain NAME=URL[,gateway][,chain-id=N]
                             a ZK chain: its name, its node's URL, and ",gateway" if it settles on the
                             Gateway (else on L1). Repeat for each chain. Its node must run from its
                             ZK chain genesis: \`junction genesis --help\`
  --gateway URL[,chain-id=N] the Gateway's node (a ZK chain with a development chain id, from its genesis)
                             chain-id=N: refuse the node unless it answers eth_chainId with N
  --dev-user-eth ETH         what each dev user deposits from L1 to each ZK chain; 0 for none [default: 1000]`

/** Names the L1 and the Gateway have in a manifest: a ZK chain may not take them. */
const RESERVED_NAMES = new Set(['l1', 'gateway'])

/** Parses `URL[,chain-id=N]` (`--l1`, `--gateway`) into a node named `name`. */
export function parseNodeOption(flag: string, name: string, value: string): NodeSpec {
  const [rpcUrl, ...flags] = value.split(',')
  const spec: NodeSpec = { name, rpcUrl: checkedUrl(flag, rpcUrl!) }
  for (const flagValue of flags) {
    const chainId = chainIdFlag(flag, flagValue)
    if (chainId === undefined) throw new UsageError(`${flag} ${value}: unknown "${flagValue}"`, { details: `Expected ${flag} URL[,chain-id=N].` })
    spec.chainId = chainId
  }
  return spec
}

/**
 * Parses a `--chain` value: `NAME=URL[,gateway][,chain-id=N]`.
 *
 * @example
 * ```ts
 * parseChainOption('alpha=http://10.0.0.2:8545,gateway') // { name: 'alpha', rpcUrl: 'http://10.0.0.2:8545', settlesOn: 'gateway' }
 * ```
 */
export function parseChainOption(value: string): NodeSpec & { settlesOn: 'l1' | 'gateway' } {
  const at = value.indexOf('=')
  const name = at < 0 ? '' : value.slice(0, at)
  if (!/^[a-z][a-z0-9_-]*$/i.test(name)) throw new UsageError(`--chain ${value}: expected NAME=URL, with a name of letters, digits, - and _`, { details: 'For example: --chain alpha=http://10.0.0.2:8545,gateway' })
  if (RESERVED_NAMES.has(name.toLowerCase())) throw new UsageError(`--chain ${value}: "${name}" is the name of the ${name.toLowerCase() === 'l1' ? 'L1' : 'Gateway'}`, { details: `Give the L1 with --l1 URL and the Gateway with --gateway URL; name the ZK chains otherwise.` })
  const [rpcUrl, ...flags] = value.slice(at + 1).split(',')
  const spec: NodeSpec & { settlesOn: 'l1' | 'gateway' } = { name, rpcUrl: checkedUrl('--chain', rpcUrl!), settlesOn: 'l1' }
  for (const flag of flags) {
    const chainId = chainIdFlag('--chain', flag)
    if (chainId !== undefined) spec.chainId = chainId
    else if (flag === 'gateway' || flag === 'l1') spec.settlesOn = flag
    else throw new UsageError(`--chain ${value}: unknown "${flag}"`, { details: 'Expected --chain NAME=URL[,gateway][,chain-id=N].' })
  }
  return spec
}

/** The nodes named by `--l1`, `--chain` and `--gateway`; undefined when none is given. */
export function nodesFromOptions(command: string, values: { l1?: string | undefined; chain?: string[] | undefined; gateway?: string | undefined }): Omit<ResolveNodesParameters, 'timeoutMs' | 'expectedFrom'> | undefined {
  const chains = values.chain ?? []
  if (values.l1 === undefined && chains.length === 0 && values.gateway === undefined) return undefined
  if (values.l1 === undefined) throw new UsageError(`${command}: --chain and --gateway need --l1 URL`, { details: `Run \`junction ${command} --help\`.` })
  if (chains.length === 0 && values.gateway === undefined) throw new UsageError(`${command}: give at least one ZK chain (--chain NAME=URL) or a Gateway (--gateway URL)`, { details: `Run \`junction ${command} --help\`.` })
  return {
    l1: parseNodeOption('--l1', 'l1', values.l1),
    chains: chains.map(parseChainOption),
    ...(values.gateway === undefined ? {} : { gateway: parseNodeOption('--gateway', 'gateway', values.gateway) }),
  }
}

/** `--dev-user-eth` in wei (default 1,000 ETH). */
export function devUserEthOption(command: string, value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined
  if (!/^\d+(\.\d{1,18})?$/.test(value)) throw new UsageError(`${command}: --dev-user-eth must be an amount of ETH (e.g. 1000 or 0.5), got "${value}"`)
  return parseEther(value)
}

function checkedUrl(flag: string, url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UsageError(`${flag}: "${url}" is not a URL`, { details: 'Give the node\'s HTTP JSON-RPC URL, e.g. http://10.0.0.2:8545' })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${flag}: ${url} is not an http(s) URL`, { details: 'Junction talks to nodes over HTTP JSON-RPC.' })
  return url
}

function chainIdFlag(flag: string, value: string): number | undefined {
  const match = /^chain-id=(.*)$/.exec(value)
  if (!match) return undefined
  const chainId = Number(match[1])
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new UsageError(`${flag}: chain-id must be a positive whole number, got "${match[1]}"`)
  return chainId
}
