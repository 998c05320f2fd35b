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
   * Total supply of the bridged token on the chain. For ETH: the ETH bridged into the chain, net of
   * what left it: the base-token holder's initial balance minus its balance (negative when more
   * native ETH was paid in than was ever released, e.g. dev-account ETH withdrawn).
   */
  totalSupply: bigint
  /** What the L1 ledger says the chain may hold. */
  ledger: bigint
  account?: bigint
}

/** What {@link getBalances} resolves with. */
export type GetBalancesReturnType = { assetId: Hex; vault: bigint; l1Account?: bigint; chains: ChainAssetBalance[] }

/**
 * A token's balances across the network: what the L1 vault holds, the L1 ledger per chain, the
 * bridged supply on every chain (and an account's balance everywhere, if given). With `eth: true`,
 * the same for ETH: the vault's ETH, the ledger's ETH balance per chain, the ETH that left each
 * chain's base-token holder (bridged in), and native balances.
 *
 * @example
 * ```ts
 * const { vault, chains } = await getBalances(index, { token })
 * const eth = await getBalances(index, { eth: true, account })
 * ```
 */
export async function getBalances(index: JunctionIndex, parameters: GetBalancesParameters): Promise<GetBalancesReturnType> {
  if (parameters.eth) return getEthBalances(index, parameters.account)
  const { manifest, l1 } = index
  const vault = { address: manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi } as const
  const assetId = (await l1.client.readContract({ ...vault, functionName: 'assetId', args: [parameters.token] })) as Hex
  const [held, l1Account] = await Promise.all([
    l1.client.readContract({ address: parameters.token, abi: erc20Abi, functionName: 'balanceOf', args: [manifest.l1.contracts.nativeTokenVault] }),
    parameters.account ? l1.client.readContract({ address: parameters.token, abi: erc20Abi, functionName: 'balanceOf', args: [parameters.account] }) : undefined,
  ])
  const chains = await Promise.all(
    manifest.chains.map(async (info) => {
      const chain = index.chain(info.chainId)
      const ledger = (await l1.client.readContract({ ...vault, functionName: 'chainBalance', args: [BigInt(info.chainId), assetId] })) as bigint
      const token = (await chain.client.readContract({ address: manifest.l2Contracts.l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'bridgedToken', args: [assetId] })) as Address
      const deployed = token !== zeroAddress
      const [totalSupply, account] = await Promise.all([
        deployed ? chain.client.readContract({ address: token, abi: erc20Abi, functionName: 'totalSupply' }) : 0n,
        deployed && parameters.account ? chain.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [parameters.account] }) : parameters.account ? 0n : undefined,
      ])
      return { name: info.name, chainId: info.chainId, token: deployed ? token : undefined, totalSupply, ledger, ...(account === undefined ? {} : { account }) }
    }),
  )
  return { assetId, vault: held, ...(l1Account === undefined ? {} : { l1Account }), chains }
}

/** {@link getBalances} for ETH. */
async function getEthBalances(index: JunctionIndex, account: Address | undefined): Promise<GetBalancesReturnType> {
  const { manifest, l1 } = index
  const vault = { address: manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi } as const
  const holder = { address: manifest.l2Contracts.baseTokenHolder, abi: c.baseTokenHolderAbi } as const
  const [assetId, held, l1Account] = await Promise.all([
    l1.client.readContract({ ...vault, functionName: 'ethAssetId' }) as Promise<Hex>,
    l1.client.getBalance({ address: vault.address }),
    account ? l1.client.getBalance({ address: account }) : undefined,
  ])
  const chains = await Promise.all(
    manifest.chains.map(async (info) => {
      const chain = index.chain(info.chainId)
      const [ledger, initial, left, own] = await Promise.all([
        l1.client.readContract({ ...vault, functionName: 'chainBalance', args: [BigInt(info.chainId), assetId] }) as Promise<bigint>,
        chain.client.readContract({ ...holder, functionName: 'initialBalance' }) as Promise<bigint>,
        chain.client.getBalance({ address: holder.address }),
        account ? chain.client.getBalance({ address: account }) : undefined,
      ])
      return { name: info.name, chainId: info.chainId, token: undefined, totalSupply: initial - left, ledger, ...(own === undefined ? {} : { account: own }) }
    }),
  )
  return { assetId, vault: held, ...(l1Account === undefined ? {} : { l1Account }), chains }
}
