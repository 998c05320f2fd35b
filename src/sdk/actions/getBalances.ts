import { erc20Abi, zeroAddress, type Address, type Hex } from 'viem'
import * as c from '../../contracts/generated/index.js'
import type { JunctionIndex } from '../JunctionIndex.js'

/** Parameters of {@link getBalances}: an L1 ERC-20 `token`, or `eth: true` for ETH. */
export type GetBalancesParameters = ({ token: Address; eth?: undefined } | { eth: true; token?: undefined }) & {
  /** Also read this account's balance on every chain (for ETH: its native balance). */
  account?: Address
}

/** One chain's view of the asset. */
export type ChainAssetBalance = {
  name: string
  chainId: number
  /** The bridged token on the chain (the same address on every chain), if deployed yet. */
  token: Address | undefined
  /**
   * Total supply of the bridged token on the chain. For ETH: the ETH bridged into the chain and not
   * bridged out again (`BaseTokenHolder.bridgedBalance`).
   */
  totalSupply: bigint
  /** Where the chain settles now, whose ledger keeps its balance: L1's chain id, or a Gateway's. */
  settlesOn: number
  /**
   * What the ledger where it settles says the chain holds: its own account in L1's ledger when it
   * settles on L1, its balance in the Gateway's asset tracker when it settles on a Gateway
   * (docs/protocol.md §9.10, §9.11). Once nothing is in flight, it equals `totalSupply`.
   */
  ledger: bigint
  /**
   * The chain's own account in L1's ledger. For a chain on a Gateway: what its messages that settled on
   * L1 before it moved may still take out (withdrawals not finalized yet), 0 once they are.
   */
  l1Ledger: bigint
  account?: bigint
}

/** A Gateway's account in L1's ledger, and what its asset tracker holds for its chains. */
export type SettlementLayerAssetBalance = {
  name: string
  chainId: number
  /** The Gateway's account in L1's ledger: what its chains hold together. */
  l1Ledger: bigint
  /** The sum of its chains' balances in its asset tracker: never more than `l1Ledger`, equal once nothing is in flight. */
  chains: bigint
}

/** What {@link getBalances} resolves with. */
export type GetBalancesReturnType = {
  assetId: Hex
  /** What the L1 vault holds: the sum of every account of L1's ledger (chains' and Gateways'). */
  vault: bigint
  l1Account?: bigint
  chains: ChainAssetBalance[]
  settlementLayers: SettlementLayerAssetBalance[]
}

/**
 * A token's balances across the network: what the L1 vault holds, the ledger of every chain (L1's for a
 * chain settling on L1, its Gateway's asset tracker for a chain on a Gateway) and its own account in L1's
 * ledger, each Gateway's account in L1's ledger against the sum of its chains, the bridged supply on
 * every chain (and an account's balance everywhere, if given). With `eth: true`, the same for ETH: the
 * vault's ETH, the ledgers' ETH, the ETH bridged into each chain, and native balances.
 *
 * @example
 * ```ts
 * const { vault, chains, settlementLayers } = await getBalances(index, { token })
 * const eth = await getBalances(index, { eth: true, account })
 * ```
 */
export async function getBalances(index: JunctionIndex, parameters: GetBalancesParameters): Promise<GetBalancesReturnType> {
  const { manifest, l1 } = index
  const vault = { address: manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi } as const
  const registry = { address: manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi } as const
  const isEth = parameters.eth === true
  const assetId = (await (isEth ? l1.client.readContract({ ...vault, functionName: 'ethAssetId' }) : l1.client.readContract({ ...vault, functionName: 'assetId', args: [parameters.token!] }))) as Hex
  const account = parameters.account
  const [held, l1Account] = await Promise.all([
    isEth ? l1.client.getBalance({ address: vault.address }) : l1.client.readContract({ address: parameters.token!, abi: erc20Abi, functionName: 'balanceOf', args: [vault.address] }),
    account === undefined ? undefined : isEth ? l1.client.getBalance({ address: account }) : l1.client.readContract({ address: parameters.token!, abi: erc20Abi, functionName: 'balanceOf', args: [account] }),
  ])
  const gateways = manifest.chains.filter((info) => info.gatewayContracts)
  const chains = await Promise.all(
    manifest.chains.map(async (info): Promise<ChainAssetBalance> => {
      const [settlesOn, l1Ledger, supply] = await Promise.all([
        l1.client.readContract({ ...registry, functionName: 'settlementLayerOf', args: [BigInt(info.chainId)] }).then(Number),
        l1.client.readContract({ ...vault, functionName: 'chainBalance', args: [BigInt(info.chainId), assetId] }) as Promise<bigint>,
        isEth ? ethOnChain(index, info.chainId, account) : tokenOnChain(index, info.chainId, assetId, account),
      ])
      const gateway = gateways.find((g) => g.chainId === settlesOn)
      const ledger = gateway
        ? ((await index.chain(gateway.chainId).client.readContract({ address: gateway.gatewayContracts!.assetTracker, abi: c.gatewayAssetTrackerAbi, functionName: 'balanceOf', args: [BigInt(info.chainId), assetId] })) as bigint)
        : l1Ledger
      return { name: info.name, chainId: info.chainId, ...supply, settlesOn, ledger, l1Ledger }
    }),
  )
  const settlementLayers = await Promise.all(
    gateways.map(async (gateway): Promise<SettlementLayerAssetBalance> => ({
      name: gateway.name,
      chainId: gateway.chainId,
      l1Ledger: (await l1.client.readContract({ ...vault, functionName: 'settlementLayerBalance', args: [BigInt(gateway.chainId), assetId] })) as bigint,
      chains: chains.filter((chain) => chain.settlesOn === gateway.chainId).reduce((sum, chain) => sum + chain.ledger, 0n),
    })),
  )
  return { assetId, vault: held, ...(l1Account === undefined ? {} : { l1Account }), chains, settlementLayers }
}

/** The bridged token of `assetId` on a chain: its address, supply and `account`'s balance. */
async function tokenOnChain(index: JunctionIndex, chainId: number, assetId: Hex, account: Address | undefined): Promise<Pick<ChainAssetBalance, 'token' | 'totalSupply' | 'account'>> {
  const chain = index.chain(chainId)
  const token = (await chain.client.readContract({ address: index.manifest.l2Contracts.l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'bridgedToken', args: [assetId] })) as Address
  const deployed = token !== zeroAddress
  const [totalSupply, balance] = await Promise.all([
    deployed ? chain.client.readContract({ address: token, abi: erc20Abi, functionName: 'totalSupply' }) : 0n,
    account === undefined ? undefined : deployed ? chain.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [account] }) : 0n,
  ])
  return { token: deployed ? token : undefined, totalSupply, ...(balance === undefined ? {} : { account: balance }) }
}

/** ETH on a chain: what its base-token holder counts as bridged in and not out, and `account`'s native balance. */
async function ethOnChain(index: JunctionIndex, chainId: number, account: Address | undefined): Promise<Pick<ChainAssetBalance, 'token' | 'totalSupply' | 'account'>> {
  const chain = index.chain(chainId)
  const [totalSupply, balance] = await Promise.all([
    chain.client.readContract({ address: index.manifest.l2Contracts.baseTokenHolder, abi: c.baseTokenHolderAbi, functionName: 'bridgedBalance' }) as Promise<bigint>,
    account === undefined ? undefined : chain.client.getBalance({ address: account }),
  ])
  return { token: undefined, totalSupply, ...(balance === undefined ? {} : { account: balance }) }
}
