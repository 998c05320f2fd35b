import { erc20Abi, zeroAddress, type Address, type Hex } from 'viem'
import { readContract } from 'viem/actions'
import * as c from '../contracts/generated/index.js'
import { auditLedger, type AuditLedgerReturnType } from '../sdk/actions/auditLedger.js'
import { getBalances } from '../sdk/actions/getBalances.js'
import { chainName, chainRef, type ExplorerContext } from './context.js'
import { privateChainsOf, privateClient, refusalIn, type PrivateSession } from './privateChains.js'
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
    /** A private chain the visitor signed in to (its supply read through its permissioned RPC). */
    private?: true
    /** The bridged supply on the chain (ETH: bridged in and not out); `null` when the permissioned RPC refused the visitor (`note`). */
    supply: string | null
    note?: string
    /** The chain's balance in the ledger where it settles (L1's, or its Gateway's asset tracker). */
    ledger: string
    /** Its own account in L1's ledger. */
    l1Ledger: string
    /** Whether the supply equals the ledger (it does once nothing is in flight); `null` when the supply is unknown. */
    reconciles: boolean | null
  }[]
  gateways: { name: string; chainId: number; l1Ledger: string; trackerTotal: string; reconciles: boolean }[]
  /** Private chains not listed: those the visitor did not sign in to (a signed-in one is listed, its supply read through its permissioned RPC). */
  privateChainsLeftOut: number
  /** The accounts of L1's ledger listed here (each chain's own, each Gateway's): with no private chain left out, they add up to the vault. */
  ledgerAccountsListed: string
}

/**
 * A token's (or ETH's) balance on every public chain and every private chain the visitor signed in to, the ledger where each settles and L1's ledger side by
 * side, the Gateways' accounts against their trackers, and whether each pair reconciles.
 */
export async function tokensView(context: ExplorerContext, visitor: Visitor, asset: 'ETH' | Address): Promise<TokensView> {
  await context.sync()
  const balances = await getBalances(context.publicIndex, asset === 'ETH' ? { eth: true } : { token: asset })
  const signedIn = privateChainsOf(context.manifest).filter((chain) => visitor.sessions.has(chain.chainId))
  const privateRows = await Promise.all(signedIn.map((chain) => privateChainRow(context, chain, visitor.sessions.get(chain.chainId)!, asset, balances.assetId)))
  return {
    asset,
    assetId: balances.assetId,
    vault: String(balances.vault),
    chains: [
      ...balances.chains.map((chain) => ({
      name: chain.name,
      chainId: chain.chainId,
      settlesOn: { chainId: chain.settlesOn, name: chainName(context.manifest, chain.settlesOn) },
      supply: String(chain.totalSupply),
      ledger: String(chain.ledger),
      l1Ledger: String(chain.l1Ledger),
      reconciles: chain.totalSupply === chain.ledger,
      })),
      ...privateRows,
    ],
    gateways: balances.settlementLayers.map((gateway) => {
      // The tracker's total over the chains listed: the public ones and the private ones the visitor signed in to.
      const trackerTotal = gateway.chains + privateRows.filter((row) => row.settlesOn.chainId === gateway.chainId).reduce((sum, row) => sum + BigInt(row.ledger), 0n)
      return { name: gateway.name, chainId: gateway.chainId, l1Ledger: String(gateway.l1Ledger), trackerTotal: String(trackerTotal), reconciles: gateway.l1Ledger === trackerTotal }
    }),
    privateChainsLeftOut: privateChainsOf(context.manifest).length - signedIn.length,
    ledgerAccountsListed: String(
      balances.chains.reduce((sum, chain) => sum + chain.l1Ledger, 0n) + privateRows.reduce((sum, row) => sum + BigInt(row.l1Ledger), 0n) + balances.settlementLayers.reduce((sum, gateway) => sum + gateway.l1Ledger, 0n),
    ),
  }
}

/**
 * A private chain's line for a visitor signed in to it: where it settles and its ledgers, read on L1 and its
 * Gateway (public chains); its supply through its permissioned RPC as the visitor (ETH: the base-token
 * holder's `bridgedBalance`; a token: its bridged token's `totalSupply`), `null` with a note if refused.
 */
async function privateChainRow(context: ExplorerContext, chain: { chainId: number; name: string; apiBaseUrl: string }, session: PrivateSession, asset: 'ETH' | Address, assetId: Hex): Promise<TokensView['chains'][number]> {
  const { manifest } = context
  const l1 = context.publicIndex.l1.client
  const chainId = BigInt(chain.chainId)
  const [settlesOn, l1Ledger] = await Promise.all([
    l1.readContract({ address: manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi, functionName: 'settlementLayerOf', args: [chainId] }).then(Number),
    l1.readContract({ address: manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi, functionName: 'chainBalance', args: [chainId, assetId] }) as Promise<bigint>,
  ])
  const gateway = manifest.chains.find((g) => g.chainId === settlesOn && g.gatewayContracts && g.private !== true)
  const ledger = gateway
    ? ((await context.publicIndex.chain(gateway.chainId).client.readContract({ address: gateway.gatewayContracts!.assetTracker, abi: c.gatewayAssetTrackerAbi, functionName: 'balanceOf', args: [chainId, assetId] })) as bigint)
    : l1Ledger
  const client = privateClient(chain, session)
  let supply: bigint | null = null
  let note: string | undefined
  try {
    if (asset === 'ETH') supply = (await readContract(client, { address: manifest.l2Contracts.baseTokenHolder, abi: c.baseTokenHolderAbi, functionName: 'bridgedBalance' })) as bigint
    else {
      const token = (await readContract(client, { address: manifest.l2Contracts.l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'bridgedToken', args: [assetId] })) as Address
      supply = token === zeroAddress ? 0n : await readContract(client, { address: token, abi: erc20Abi, functionName: 'totalSupply' })
    }
  } catch (error) {
    const refusal = refusalIn(error)
    if (!refusal) throw error
    note = `its permissioned RPC refused your account the supply: ${refusal.shortMessage}`
  }
  return {
    name: chain.name,
    chainId: chain.chainId,
    private: true,
    settlesOn: { chainId: settlesOn, name: chainName(manifest, settlesOn) },
    supply: supply === null ? null : String(supply),
    ...(note ? { note } : {}),
    ledger: String(ledger),
    l1Ledger: String(l1Ledger),
    reconciles: supply === null ? null : supply === ledger,
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
