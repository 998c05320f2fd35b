import { parseEther } from 'viem'
import { DEV_USER_ETH_PER_ZK_CHAIN } from '../chain/devAccounts.js'
import { walletFor } from '../chain/walletFor.js'
import { depositETH } from '../sdk/actions/depositETH.js'
import type { DevUserDeposit } from './fundDevUsers.js'
import type { NetworkManifest } from './types.js'

/**
 * What each ZK chain's operator gets on its chain when Junction starts the network: enough to tip its
 * root imports to the head of a block at `ROOT_IMPORT_TIP` (it is the chain's coinbase: the tips come
 * back to it, so the balance stays).
 */
export const OPERATOR_ETH_PER_ZK_CHAIN = parseEther('1')

/**
 * Deposits {@link OPERATOR_ETH_PER_ZK_CHAIN} from L1 to each ZK chain's operator on its own chain (the L1
 * deployer pays, its deployment done), the way any account is funded there: every wei outside a chain's
 * BaseTokenHolder came over the bridge. Resolves once the deposits are queued on L1; the chains release
 * them with the dev users' deposits (`waitForDevUserDeposits` waits for both).
 *
 * @example
 * ```ts
 * const deposits = [...(await fundDevUsers(manifest)), ...(await fundOperators(manifest))]
 * ```
 */
export async function fundOperators(manifest: NetworkManifest): Promise<DevUserDeposit[]> {
  const wallet = walletFor(manifest.l1, manifest.accounts.l1Deployer.privateKey)
  const deposits: DevUserDeposit[] = []
  for (const chain of manifest.chains) {
    const { requestIndex } = await depositETH(wallet, { manifest, chainId: chain.chainId, amount: OPERATOR_ETH_PER_ZK_CHAIN, to: chain.operator.address })
    deposits.push({ chainId: chain.chainId, user: chain.operator.address, amount: OPERATOR_ETH_PER_ZK_CHAIN, requestIndex })
  }
  return deposits
}

/**
 * The ETH a network Junction started deposits to each ZK chain at start: {@link DEV_USER_ETH_PER_ZK_CHAIN}
 * for each dev user and {@link OPERATOR_ETH_PER_ZK_CHAIN} for the chain's operator (what its ledgers hold
 * before anyone moves ETH).
 *
 * @example
 * ```ts
 * const atStart = ethDepositedAtStart(manifest) // per ZK chain
 * ```
 */
export function ethDepositedAtStart(manifest: NetworkManifest): bigint {
  return DEV_USER_ETH_PER_ZK_CHAIN * BigInt(manifest.accounts.users.length) + OPERATOR_ETH_PER_ZK_CHAIN
}
