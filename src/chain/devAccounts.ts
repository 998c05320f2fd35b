import { bytesToHex, type Hex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'

/** The mnemonic anvil funds by default: public, for development networks only. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk'

/** How many accounts each managed anvil funds (`--accounts`). */
export const DEV_ACCOUNT_COUNT = 20

/**
 * Balance of each dev account of a managed anvil, in ether (`--balance`): enough for the L2 deployer
 * to prefund the base-token holder with {@link BASE_TOKEN_HOLDER_PREFUND} (anvil's default is 10 000).
 */
export const DEV_ACCOUNT_BALANCE_ETH = 1_000_000

/**
 * What the L2 deployer sends to the BaseTokenHolder when it deploys it (100 000 ETH): the chain's
 * ETH that may come over the bridge. A production chain would allocate it in its genesis.
 */
export const BASE_TOKEN_HOLDER_PREFUND = 100_000n * 10n ** 18n

/** Which dev account index plays which role. Operators take one index per chain. */
export const DEV_ROLES = {
  l1Deployer: 0,
  relayer: 1,
  l2Deployer: 2,
  firstUser: 3,
  userCount: 5,
  firstOperator: 10,
} as const

export type DevAccount = { index: number; address: Hex; privateKey: Hex }

/**
 * Derives dev account `index` of {@link DEV_MNEMONIC}.
 *
 * @example
 * ```ts
 * devAccount(0).address // 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
 * ```
 */
export function devAccount(index: number): DevAccount {
  const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index })
  const privateKey = account.getHdKey().privateKey
  if (!privateKey) throw new Error(`dev account ${index} has no private key`)
  return { index, address: account.address, privateKey: bytesToHex(privateKey) }
}
