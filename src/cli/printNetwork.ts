import type { NetworkManifest } from '../network/types.js'
import { printTable } from './printTable.js'

/** Prints a network's chains as a table: name, chain id, role, RPC URL (a private chain's: its permissioned RPC), where each settles. */
export function printNetworkTable(manifest: NetworkManifest): void {
  printTable(
    ['name', 'chain id', 'role', 'rpc url', 'settles on'],
    [
      [manifest.l1.name, String(manifest.l1.chainId), 'L1', manifest.l1.rpcUrl, '-'],
      ...manifest.chains.map((c) => [
        c.name,
        String(c.chainId),
        c.role === 'gateway' ? 'Gateway (settlement layer)' : c.private ? 'private chain (permissioned RPC)' : 'ZK chain',
        c.rpcUrl,
        c.settlementLayer === manifest.l1.chainId ? manifest.l1.name : (manifest.chains.find((sl) => sl.chainId === c.settlementLayer)?.name ?? String(c.settlementLayer)),
      ]),
    ],
  )
}
