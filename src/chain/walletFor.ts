import { createWalletClient, http, type Account, type Chain, type Hex, type Transport, type WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { defineJunctionChain } from './ChainConnection.js'

/** A chain to sign for: its id, a name, and where it answers. */
export type WalletChain = { chainId: number; name: string; rpcUrl: string }

/**
 * A viem wallet client for `chain` signing with `privateKey` (a network's chains from its manifest, or
 * any EVM JSON-RPC URL): what the SDK's actions take.
 *
 * @example
 * ```ts
 * const alpha = walletFor(manifest.chains[0], manifest.accounts.users[0].privateKey)
 * await sendMessage(alpha, { interopCenter, recipient, payload })
 * ```
 */
export function walletFor(chain: WalletChain, privateKey: Hex): WalletClient<Transport, Chain, Account> {
  return createWalletClient({ account: privateKeyToAccount(privateKey), chain: defineJunctionChain(chain.chainId, chain.name, chain.rpcUrl), transport: http(chain.rpcUrl) })
}
