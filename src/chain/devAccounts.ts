import { bytesToHex, type Hex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'

/** The mnemonic anvil funds by default: public, for development networks only. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk'

/** How many dev accounts each managed anvil knows (`--accounts`): funded on L1, holding nothing on ZK chains. */
export const DEV_ACCOUNT_COUNT = 20

/**
 * Balance of each dev account on L1, in ether (`--balance`; anvil's default is 10 000). L1 plays
 * Ethereum; on ZK chains dev accounts get no genesis ETH (`zkChainNodeFlags`): every wei there came
 * over the bridge.
 */
export const DEV_ACCOUNT_BALANCE_ETH = 1_000_000

/**
 * What each dev user (`manifest.accounts.users`) gets on every ZK chain when the network starts: a real
 * ETH deposit from its L1 account (1,000 ETH).
 */
export const DEV_USER_ETH_PER_ZK_CHAIN = 1_000n * 10n ** 18n

/** Which dev account index plays which role. Operators take one index per chain. */
export const DEV_ROLES = {
  l1Deployer: 0,
  relayer: 1,
  l2Deployer: 2,
  firstUser: 3,
  userCount: 5,
  firstOperator: 10,
} as const

/** The dev account index of the operator of the network's `position`-th ZK chain (the Gateway comes last). */
export const operatorRole = (position: number): number => DEV_ROLES.firstOperator + position

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
  const known = derived.get(index)
  if (known) return { ...known }
  const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index })
  const privateKey = account.getHdKey().privateKey
  if (!privateKey) throw new Error(`dev account ${index} has no private key`)
  const derivedAccount = { index, address: account.address, privateKey: bytesToHex(privateKey) }
  derived.set(index, derivedAccount)
  return { ...derivedAccount }
}

/** Dev accounts derived so far: each derivation hashes the mnemonic again (~20 ms). */
const derived = new Map<number, DevAccount>()
