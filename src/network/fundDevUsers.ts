import type { Address } from 'viem'
import { ChainConnection } from '../chain/ChainConnection.js'
import { DEV_USER_ETH_PER_ZK_CHAIN } from '../chain/devAccounts.js'
import { walletFor } from '../chain/walletFor.js'
import { depositETH } from '../sdk/actions/depositETH.js'
import { waitForDeposit } from '../sdk/actions/waitForDeposit.js'
import { nodeManifest } from './privateChains.js'
import type { NetworkManifest } from './types.js'

/** One deposit made when a network starts: `amount` wei to `user` on `chainId` ({@link fundDevUsers}: from its own L1 account; `fundOperators`: to a chain's operator). */
export type DevUserDeposit = { chainId: number; user: Address; amount: bigint; requestIndex: bigint }

/**
 * Funds the dev users (`manifest.accounts.users`) on every ZK chain the way any user is funded there:
 * each deposits `amount` (default {@link DEV_USER_ETH_PER_ZK_CHAIN}) from its L1 account to itself on each
 * chain (`depositETH`). Resolves once the deposits are queued on L1; the chains release the ETH when their
 * operators process the requests (the services' priority processors): see {@link waitForDevUserDeposits}.
 *
 * @example
 * ```ts
 * const deposits = await fundDevUsers(manifest)
 * await waitForDevUserDeposits(manifest, deposits)
 * ```
 */
export async function fundDevUsers(manifest: NetworkManifest, parameters: { amount?: bigint } = {}): Promise<DevUserDeposit[]> {
  const amount = parameters.amount ?? DEV_USER_ETH_PER_ZK_CHAIN
  // One sender per user, each sending its deposits in turn (nonces), the users side by side.
  const perUser = await Promise.all(
    manifest.accounts.users.map(async (user) => {
      const wallet = walletFor(manifest.l1, user.privateKey)
      const deposits: DevUserDeposit[] = []
      for (const chain of manifest.chains) {
        const { requestIndex } = await depositETH(wallet, { manifest, chainId: chain.chainId, amount })
        deposits.push({ chainId: chain.chainId, user: user.address, amount, requestIndex })
      }
      return deposits
    }),
  )
  return perUser.flat()
}

/**
 * Waits until every chain processed the deposits of {@link fundDevUsers} (the dev users hold their ETH
 * there). Needs the services running: a chain processes its queue only through its operator.
 * Throws `DepositTimeoutError` after `timeoutMs` (default 60 000) on any chain.
 *
 * @example
 * ```ts
 * await waitForDevUserDeposits(manifest, await fundDevUsers(manifest))
 * ```
 */
export async function waitForDevUserDeposits(manifest: NetworkManifest, deposits: readonly DevUserDeposit[], parameters: { timeoutMs?: number } = {}): Promise<void> {
  // Read on the nodes themselves: a private chain's permissioned RPC would show the deposits to their receivers only.
  await Promise.all(
    nodeManifest(manifest).chains.map((chain) => {
      const last = deposits.filter((deposit) => deposit.chainId === chain.chainId).reduce((max, deposit) => (deposit.requestIndex > max ? deposit.requestIndex : max), -1n)
      if (last < 0n) return undefined
      return waitForDeposit(new ChainConnection(chain).client, { manifest, requestIndex: last, timeoutMs: parameters.timeoutMs ?? 60_000, pollMs: 20 })
    }),
  )
}
