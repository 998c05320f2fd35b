import { ChainConnection, sendFees } from '../chain/ChainConnection.js'
import type { ChainEndpoint } from '../chain/deployNetwork.js'
import { DEV_ROLES, devAccount, operatorRole } from '../chain/devAccounts.js'
import { L1AccountsNotFundedError, type UnfundedAccount } from '../errors/nodes.js'

/**
 * Gas the L1 deployer may spend deploying a network on L1: its settlement-layer contracts (measured:
 * 10.95M gas, anvil 1.7.1) with half again as much to spare. Plus {@link L1_DEPLOYMENT_GAS_PER_CHAIN} per
 * ZK chain.
 */
export const L1_DEPLOYMENT_GAS = 16_500_000n
/** Gas the L1 deployer may spend per ZK chain (the Gateway too): its settlement contracts and registrations (measured: 2.0M gas), with half again as much to spare. */
export const L1_DEPLOYMENT_GAS_PER_CHAIN = 3_000_000n
/**
 * The least gas every other account Junction signs with on L1 must be able to pay for: a floor that
 * lets the network start (a few rounds of batches settled, a few bundles executed), not a budget for
 * its life. Each account keeps paying for its own transactions: top them up on a long-lived L1.
 */
export const L1_OPERATING_GAS = 5_000_000n

/** Parameters of {@link expectFundedL1}. */
export type ExpectFundedL1Parameters = {
  l1: ChainEndpoint
  /** The names of the network's ZK chains in deployment order (`deployNetwork`'s: the Gateway last): each one's operator signs on L1. */
  zkChains: readonly string[]
  /** What each dev user deposits to each ZK chain when the network starts (`fundDevUsers`). */
  devUserEth: bigint
}

/**
 * Checks, before anything is sent, that the L1 funds every account Junction signs with there (they are
 * the development mnemonic's, `devAccount`): the L1 deployer for the deployment, the relayer (bundles to
 * L1, the ledger keeper), each ZK chain's operator (its batches, while it settles on L1; every chain may
 * move there) and each dev user (its deposits to every ZK chain, and gas). What an account needs is its
 * gas at the fees Junction sends with now (`sendFees`: nothing on an L1 that charges no gas), plus the
 * users' deposits. Throws {@link L1AccountsNotFundedError} listing every account short of it.
 *
 * @example
 * ```ts
 * await expectFundedL1({ l1, zkChains: ['alpha', 'beta', 'gateway'], devUserEth: parseEther('1000') })
 * ```
 */
export async function expectFundedL1(parameters: ExpectFundedL1Parameters): Promise<void> {
  const l1 = new ChainConnection(parameters.l1)
  const { maxFeePerGas } = sendFees((await l1.client.getBlock({ blockTag: 'latest' })).baseFeePerGas ?? 0n)
  const operating = L1_OPERATING_GAS * maxFeePerGas
  const wanted: Omit<UnfundedAccount, 'balance'>[] = [
    { role: 'L1 deployer', address: devAccount(DEV_ROLES.l1Deployer).address, needs: (L1_DEPLOYMENT_GAS + BigInt(parameters.zkChains.length) * L1_DEPLOYMENT_GAS_PER_CHAIN) * maxFeePerGas },
    { role: 'relayer', address: devAccount(DEV_ROLES.relayer).address, needs: operating },
    ...parameters.zkChains.map((name, i) => ({ role: `operator of ${name}`, address: devAccount(operatorRole(i)).address, needs: operating })),
    ...Array.from({ length: DEV_ROLES.userCount }, (_, i) => ({ role: `dev user ${i + 1}`, address: devAccount(DEV_ROLES.firstUser + i).address, needs: parameters.devUserEth * BigInt(parameters.zkChains.length) + operating })),
  ]
  const balances = await Promise.all(wanted.map((account) => l1.client.getBalance({ address: account.address })))
  const short = wanted.map((account, i) => ({ ...account, balance: balances[i]! })).filter((account) => account.balance < account.needs)
  if (short.length > 0) throw new L1AccountsNotFundedError({ chainName: parameters.l1.name, accounts: short })
}
