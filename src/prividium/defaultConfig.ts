// The config a development network gives its private chains: the dev users as members, one auditor,
// one admin, and rules for Junction's contracts (messages, bundles, withdrawals) and for tokens.
import { toEventSelector, toEventSignature, toFunctionSignature, type Abi, type AbiEvent, type AbiFunction, type Address } from 'viem'
import { DEV_ROLES, devAccount } from '../chain/devAccounts.js'
import { interopCenterAbi, interopHandlerAbi, l2AssetRouterAbi } from '../contracts/generated/index.js'
import { DEFAULT_PRIVIDIUM_SETTINGS, parsePrividiumConfig, type ContractRule, type EventRule, type PrividiumConfig } from './config.js'

/**
 * The dev accounts (of `DEV_MNEMONIC`) a development network's private chains give the auditor and the
 * admin: indices no other role of `DEV_ROLES` takes.
 */
export const PRIVIDIUM_DEV_ROLES = { auditor: 8, admin: 9 } as const

/** The roles of the default config. */
export const DEFAULT_ROLES = {
  /** Uses the chain: ETH transfers, Junction's contracts and the tokens the config names, own balances and logs. */
  member: 'member',
  /** May deploy contracts (which, as a constructor runs any code, is as strong as full read). */
  deployer: 'deployer',
  /** Reads everything, writes nothing. */
  auditor: 'auditor',
  /** The admin API. */
  admin: 'admin',
  /**
   * Junction's relayer: reads the bundles sent here and their blindings, executes bundles here and claims its
   * fees (docs/prividium.md, "Private interop"), nothing else.
   */
  relayer: 'relayer',
} as const

/** A contract rule as a config file gives it: the selector may be left to the signature. */
export type ContractRuleInput = Omit<ContractRule, 'methodSelector'> & { methodSelector?: ContractRule['methodSelector'] }

export type DefaultPrividiumConfigParameters = {
  /** The chain's id (the node must report it). */
  chainId?: number | undefined
  /** The members (a development network: its dev users, `manifest.accounts.users`). The first also deploys contracts. */
  members: readonly { address: Address }[]
  /** The auditor's wallet. Default: dev account {@link PRIVIDIUM_DEV_ROLES}.auditor. */
  auditor?: Address | undefined
  /** The admin's wallet. Default: dev account {@link PRIVIDIUM_DEV_ROLES}.admin. */
  admin?: Address | undefined
  /** The relayer's wallet. Default: dev account `DEV_ROLES.relayer` (`manifest.accounts.relayer`). */
  relayer?: Address | undefined
  /** Junction's contracts on the chain (`manifest.l2Contracts`): messages, bundles and withdrawals for members; the relayer's event and write rules. */
  l2Contracts?: { interopCenter: Address; interopHandler: Address; l2AssetRouter: Address } | undefined
  /** ERC-20 tokens on the chain: the rules of {@link erc20Rules} for each. */
  tokens?: readonly Address[] | undefined
  /** SIWE domains. Default `127.0.0.1`, `localhost`. */
  domains?: readonly string[] | undefined
}

/**
 * The default config of a private chain: roles `member`, `deployer`, `auditor` (full read, no write),
 * `admin` and `relayer`; each member a user (`user-1`, ...; the first also a deployer), one auditor, one
 * admin; members may send messages and bundles and withdraw through Junction's contracts, and use the
 * tokens named. With Junction's contracts named, a `relayer` user that may read the InteropCenter's
 * `BundleSent`, `MessageBundleSent`, `MessageSent` and `BundleBlinded` logs (every bundle sent here and its
 * blinding), send the InteropHandler's
 * `executeBundle`, `executeBundles` and `executeBlindedBundle` and the InteropCenter's `claimFee`, and
 * nothing else (no plain transfer, no other contract: a contract its keepers act on needs its own rule,
 * {@link relayerWriteRule}), and
 * members that may read the L2AssetRouter's `WithdrawalInitiated` and `WithdrawalBlinded` logs of their own
 * withdrawals (their blindings, to finalize them on L1).
 *
 * @example
 * ```ts
 * const config = defaultPrividiumConfig({ chainId: 300, members: manifest.accounts.users, l2Contracts: manifest.l2Contracts })
 * ```
 */
export function defaultPrividiumConfig(parameters: DefaultPrividiumConfigParameters): PrividiumConfig {
  const { member, deployer, auditor, admin, relayer } = DEFAULT_ROLES
  const contractRules: ContractRuleInput[] = []
  const eventRules: EventRule[] = []
  if (parameters.l2Contracts) {
    const write = (contract: Address, abi: Abi, name: string): ContractRuleInput => ({ contractAddress: contract, functionSignature: signatureOf(abi, name), accessType: 'write', ruleType: 'checkRole', roles: [member], argumentRestrictions: [] })
    contractRules.push(
      write(parameters.l2Contracts.interopCenter, interopCenterAbi, 'sendMessage'),
      write(parameters.l2Contracts.interopCenter, interopCenterAbi, 'sendBundle'),
      write(parameters.l2Contracts.l2AssetRouter, l2AssetRouterAbi, 'withdraw'),
      write(parameters.l2Contracts.l2AssetRouter, l2AssetRouterAbi, 'withdrawETH'),
      { ...write(parameters.l2Contracts.l2AssetRouter, l2AssetRouterAbi, 'bridgedToken'), accessType: 'read' },
      // The relayer's sends here (its executions, its fee claims on bundles sent from here), through this
      // RPC like any member's: decided by these rules and recorded in the audit log.
      relayerWriteRule(parameters.l2Contracts.interopHandler, interopHandlerAbi, 'executeBundle'),
      relayerWriteRule(parameters.l2Contracts.interopHandler, interopHandlerAbi, 'executeBundles'),
      relayerWriteRule(parameters.l2Contracts.interopHandler, interopHandlerAbi, 'executeBlindedBundle'),
      relayerWriteRule(parameters.l2Contracts.interopCenter, interopCenterAbi, 'claimFee'),
    )
    // A message's bundle is announced by MessageBundleSent and rebuilt from the MessageSent after it.
    for (const event of ['BundleSent', 'MessageBundleSent', 'MessageSent', 'BundleBlinded'] as const) {
      const item = interopCenterAbi.find((entry) => entry.type === 'event' && entry.name === event)!
      eventRules.push({ id: `relayer-${event}`, contractAddress: parameters.l2Contracts.interopCenter, eventSignature: toEventSignature(item as AbiEvent), topic0: toEventSelector(item as AbiEvent), topicRestrictions: [], roles: [relayer] })
    }
    // A member's own withdrawals and their blindings (docs/protocol.md §9.13), which it needs to finalize one on
    // L1 itself: `WithdrawalInitiated` names the sender in topic 2 (after the asset id), `WithdrawalBlinded` in topic 1.
    for (const [event, topicIndex] of [['WithdrawalInitiated', 2], ['WithdrawalBlinded', 1]] as const) {
      const item = l2AssetRouterAbi.find((entry) => entry.type === 'event' && entry.name === event)!
      eventRules.push({ id: `member-${event}`, contractAddress: parameters.l2Contracts.l2AssetRouter, eventSignature: toEventSignature(item as AbiEvent), topic0: toEventSelector(item as AbiEvent), topicRestrictions: [{ topicIndex, equals: 'caller' }], roles: [member] })
    }
  }
  for (const token of parameters.tokens ?? []) {
    const rules = erc20Rules(token, [member])
    contractRules.push(...rules.contractRules)
    eventRules.push(...rules.eventRules)
  }
  const input = {
    ...(parameters.chainId === undefined ? {} : { chainId: parameters.chainId }),
    siwe: { ...DEFAULT_PRIVIDIUM_SETTINGS.siwe, domains: [...(parameters.domains ?? DEFAULT_PRIVIDIUM_SETTINGS.siwe.domains)] },
    permissions: {
      roles: [
        { name: member, permissions: ['plainTransfers'] },
        { name: deployer, permissions: ['deployContracts'] },
        { name: auditor, permissions: ['fullRead'] },
        { name: admin, permissions: ['admin'] },
        { name: relayer, permissions: [] },
      ],
      users: [
        ...parameters.members.map((m, i) => ({ id: `user-${i + 1}`, displayName: `User ${i + 1}`, roles: i === 0 ? [member, deployer] : [member], wallets: [m.address] })),
        { id: 'auditor', displayName: 'Auditor', roles: [auditor], wallets: [parameters.auditor ?? devAccount(PRIVIDIUM_DEV_ROLES.auditor).address] },
        { id: 'admin', displayName: 'Admin', roles: [admin], wallets: [parameters.admin ?? devAccount(PRIVIDIUM_DEV_ROLES.admin).address] },
        ...(parameters.l2Contracts ? [{ id: 'relayer', displayName: 'Relayer', roles: [relayer], wallets: [parameters.relayer ?? devAccount(DEV_ROLES.relayer).address] }] : []),
      ],
      contractRules,
      eventRules,
    },
  }
  return parsePrividiumConfig(input)
}

/**
 * The rules of an ERC-20 token for `roles`: read your own balance and allowances (the owner argument must
 * be your wallet), the token's name, symbol, decimals and total supply; transfer, approve and
 * transferFrom; see Transfer logs from or to you and Approval logs of yours.
 *
 * @example
 * ```ts
 * const { contractRules, eventRules } = erc20Rules(token, ['member'])
 * ```
 */
export function erc20Rules(token: Address, roles: readonly string[]): { contractRules: ContractRuleInput[]; eventRules: EventRule[] } {
  const rule = (functionSignature: string, accessType: 'read' | 'write', restrictFirst: boolean): ContractRuleInput => ({
    contractAddress: token,
    functionSignature,
    accessType,
    ruleType: restrictFirst ? 'checkRoleAndRestrictArgument' : 'checkRole',
    roles: [...roles],
    argumentRestrictions: restrictFirst ? [{ argumentIndex: 0 }] : [],
  })
  const transfer = toEventSelector('event Transfer(address indexed from, address indexed to, uint256 amount)')
  const approval = toEventSelector('event Approval(address indexed owner, address indexed spender, uint256 amount)')
  const event = (topic0: `0x${string}`, eventSignature: string, topicIndex: 1 | 2, id: string): EventRule => ({ id: `${id}-${token.slice(2, 10).toLowerCase()}`, contractAddress: token, eventSignature, topic0, topicRestrictions: [{ topicIndex, equals: 'caller' }], roles: [...roles] })
  return {
    contractRules: [
      rule('balanceOf(address)', 'read', true),
      rule('allowance(address,address)', 'read', true),
      rule('name()', 'read', false),
      rule('symbol()', 'read', false),
      rule('decimals()', 'read', false),
      rule('totalSupply()', 'read', false),
      rule('transfer(address,uint256)', 'write', false),
      rule('approve(address,uint256)', 'write', false),
      rule('transferFrom(address,address,uint256)', 'write', false),
    ],
    eventRules: [
      event(transfer, 'Transfer(address,address,uint256)', 1, 'transfer-from'),
      event(transfer, 'Transfer(address,address,uint256)', 2, 'transfer-to'),
      event(approval, 'Approval(address,address,uint256)', 1, 'approval-owner'),
    ],
  }
}

/**
 * A rule that lets the `relayer` role send `functionName` of `contract` through the permissioned RPC: the
 * default config's for Junction's contracts, and the one the deployer of a contract the relayer's keepers act on
 * adds (an InstructionBook's `expire`, a FlowCoordinator's `refund`: docs/prividium.md, "Private interop").
 *
 * @example
 * ```ts
 * await admin.request('POST', '/api/admin/contract-rules', relayerWriteRule(book, instructionBookAbi, 'expire'))
 * ```
 */
export function relayerWriteRule(contract: Address, abi: Abi, functionName: string): ContractRuleInput {
  return { contractAddress: contract, functionSignature: signatureOf(abi, functionName), accessType: 'write', ruleType: 'checkRole', roles: [DEFAULT_ROLES.relayer], argumentRestrictions: [] }
}

function signatureOf(abi: Abi, name: string): string {
  const item = abi.find((entry): entry is AbiFunction => entry.type === 'function' && entry.name === name)
  if (!item) throw new Error(`no function ${name} in the ABI`)
  return toFunctionSignature(item)
}
