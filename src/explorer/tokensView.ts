import type { Address, Hex } from 'viem'
import { auditLedger, type AuditLedgerReturnType } from '../sdk/actions/auditLedger.js'
import { getBalances } from '../sdk/actions/getBalances.js'
import { chainName, chainRef, type ExplorerContext } from './context.js'
import { privateChainsOf } from './privateChains.js'
import { visibleChainIds, type Visitor } from './visibility.js'

/** What `GET /api/tokens/:asset` answers (amounts in the token's smallest unit, as decimal strings). */
export type TokensView = {
  asset: 'ETH' | Address
  assetId: Hex
  /** What L1's vault holds: the sum of every account of L1's ledger. */
  vault: string
  chains: {
    name: string
    chainId: number
    settlesOn: { chainId: number; name: string }
    /** The bridged supply on the chain (ETH: bridged in and not out). */
    supply: string
    /** The chain's balance in the ledger where it settles (L1's, or its Gateway's asset tracker). */
    ledger: string
    /** Its own account in L1's ledger. */
    l1Ledger: string
    /** Whether the supply equals the ledger (it does once nothing is in flight). */
    reconciles: boolean
  }[]
  gateways: { name: string; chainId: number; l1Ledger: string; trackerTotal: string; reconciles: boolean }[]
  /** Private chains not listed: their supply is read only through their permissioned RPC, with a visitor's token. */
  privateChainsLeftOut: number
  /** The accounts of L1's ledger listed here (each chain's own, each Gateway's): with no private chain left out, they add up to the vault. */
  ledgerAccountsListed: string
}

/**
 * A token's (or ETH's) balance on every public chain, the ledger where each settles and L1's ledger side by
 * side, the Gateways' accounts against their trackers, and whether each pair reconciles.
 */
export async function tokensView(context: ExplorerContext, asset: 'ETH' | Address): Promise<TokensView> {
  await context.sync()
  const balances = await getBalances(context.publicIndex, asset === 'ETH' ? { eth: true } : { token: asset })
  return {
    asset,
    assetId: balances.assetId,
    vault: String(balances.vault),
    chains: balances.chains.map((chain) => ({
      name: chain.name,
      chainId: chain.chainId,
      settlesOn: { chainId: chain.settlesOn, name: chainName(context.manifest, chain.settlesOn) },
      supply: String(chain.totalSupply),
      ledger: String(chain.ledger),
      l1Ledger: String(chain.l1Ledger),
      reconciles: chain.totalSupply === chain.ledger,
    })),
    gateways: balances.settlementLayers.map((gateway) => ({ name: gateway.name, chainId: gateway.chainId, l1Ledger: String(gateway.l1Ledger), trackerTotal: String(gateway.chains), reconciles: gateway.l1Ledger === gateway.chains })),
    privateChainsLeftOut: privateChainsOf(context.manifest).length,
    ledgerAccountsListed: String(balances.chains.reduce((sum, chain) => sum + chain.l1Ledger, 0n) + balances.settlementLayers.reduce((sum, gateway) => sum + gateway.l1Ledger, 0n)),
  }
}

/** What `GET /api/audit` answers: `junction audit`'s findings (amounts as decimal strings). */
export type AuditView = {
  forgedBundles: { chain: string; sourceChain: string; bundleHash: Hex; txHash: Hex; tokens: { assetId: Hex; amount: string }[]; value: string }[]
  forgedWithdrawals: { chain: string; assetId: Hex; amount: string; l1Receiver: Address; txHash: Hex }[]
  refusedTransfers: { source: string; destination: string; assetId: Hex; amount: string; txHash: Hex; reason: string }[]
  /** Executions not judged yet: their chain is not indexed as far. */
  unchecked: number
}

/**
 * `junction audit` over the public chains: forged bundles and withdrawals, transfers the L1 ledger refused (a
 * private chain the visitor does not see is named only as "a private chain").
 */
export async function auditView(context: ExplorerContext, visitor: Visitor): Promise<AuditView> {
  await context.sync()
  const found: AuditLedgerReturnType = await auditLedger(context.publicIndex)
  const visible = visibleChainIds(context.manifest, visitor)
  const name = (chainId: number) => chainRef(context.manifest, chainId, visible).name
  return {
    forgedBundles: found.forgedBundles.map((b) => ({ chain: name(b.chainId), sourceChain: name(b.sourceChainId), bundleHash: b.bundleHash, txHash: b.txHash, tokens: b.tokens.map((t) => ({ assetId: t.assetId, amount: String(t.amount) })), value: String(b.value) })),
    forgedWithdrawals: found.forgedWithdrawals.map((w) => ({ chain: name(w.chainId), assetId: w.assetId, amount: String(w.amount), l1Receiver: w.l1Receiver, txHash: w.txHash })),
    refusedTransfers: found.refusedTransfers.map((t) => ({ source: name(t.sourceChainId), destination: name(t.destinationChainId), assetId: t.assetId, amount: String(t.amount), txHash: t.txHash, reason: t.reason })),
    unchecked: found.unchecked,
  }
}
