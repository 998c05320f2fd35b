import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { onShutdown } from '../../chain/process/index.js'
import { devAccount } from '../../chain/devAccounts.js'
import { loadManifest } from '../../sdk/loadManifest.js'
import { loadPrividiumConfig } from '../../prividium/config.js'
import { PRIVIDIUM_DEV_ROLES, defaultPrividiumConfig, erc20Rules } from '../../prividium/defaultConfig.js'
import { PrividiumApiClient } from '../../prividium/PrividiumApiClient.js'
import { createPrividiumProxy } from '../../prividium/PrividiumProxy.js'
import { ProxyStore, readAuditLog, type AuditEntry } from '../../prividium/proxyStore.js'
import { integerOption, parseOptions } from '../parseOptions.js'
import { printTable } from '../printTable.js'
import { UsageError, type Command } from '../runCommand.js'
import { disclose, discloseUsage, verifyDisclosure } from './disclose.js'

const apiOptions = {
  api: { type: 'string' },
  'private-key': { type: 'string' },
} as const

const apiUsage = `  --api URL            the permissioned RPC's API base URL (http://host:port)
  --private-key KEY    the admin's key [default: dev account ${PRIVIDIUM_DEV_ROLES.admin}, the default config's admin]`

export const privateCommand: Command = {
  summary: 'a private chain\'s permissioned RPC: serve it, its users, roles and rules, its audit log; balance disclosures',
  usage: `Usage: junction private <subcommand> [options]

The permissioned RPC in front of a private chain's node (docs/prividium.md): users sign in with
their wallet (SIWE), every JSON-RPC request is checked against their permissions, every decision is
logged. Changes made here apply at once and are kept in the proxy's database.

Subcommands:
  serve --node URL --config FILE --db FILE [--host H] [--port N]
                       run a permissioned RPC in front of the node (Ctrl-C to stop)
  init-config --out FILE [--chain-id N] [--token ADDRESS ...] [--network FILE | --data-dir D]
                       write the default config: the network's dev users as members (the first also
                       deploys), an auditor (dev account ${PRIVIDIUM_DEV_ROLES.auditor}) and an admin (dev account ${PRIVIDIUM_DEV_ROLES.admin}), rules for
                       Junction's contracts and the tokens named
  permissions          print the permissions in force (JSON)
  users | roles | rules | event-rules
                       list them
  add-user --id ID --wallet ADDRESS [--wallet ...] [--role R ...] [--name NAME]
  remove-user ID
  add-role NAME [--permission deployContracts|fullRead|admin ...]
  remove-role NAME
  add-rule --contract ADDRESS (--function 'transfer(address,uint256)' | --selector 0x…) --access read|write
           --type public|checkRole|restrictArgument|checkRoleAndRestrictArgument|checkRoleOrRestrictArgument
           [--role R ...] [--restrict ARGUMENT_INDEX ...]
  remove-rule --contract ADDRESS (--selector 0x… | --function SIGNATURE)
  add-token-rules --token ADDRESS [--role R ...]
                       the ERC-20 rules: own balance and allowances, transfers, Transfer/Approval logs of yours
  add-event-rule --contract ADDRESS (--event 'Transfer(address,address,uint256)' | --topic0 0x…)
                 [--topic N=caller | --topic N=0x… ...] [--role R ...] [--id ID]
  remove-event-rule ID
  log (--db FILE | --api URL) [--limit N] [--user ID] [--wallet ADDRESS] [--method M] [--refused]
                       the audit log, newest first
${discloseUsage}

Options of the subcommands that call the admin API:
${apiUsage}`,
  async run(args) {
    const [subcommand, ...rest] = args
    switch (subcommand) {
      case 'serve':
        return serve(rest)
      case 'init-config':
        return initConfig(rest)
      case 'log':
        return log(rest)
      case 'disclose':
        return disclose(rest)
      case 'verify-disclosure':
        return verifyDisclosure(rest)
      case 'permissions': {
        const { client } = adminClient(rest, {})
        console.log(JSON.stringify(await client.request('GET', '/api/admin/permissions'), null, 2))
        return 0
      }
      case 'users':
      case 'roles':
      case 'rules':
      case 'event-rules':
        return list(subcommand, rest)
      case 'add-user': {
        const { client, values } = adminClient(rest, { id: { type: 'string' }, wallet: { type: 'string', multiple: true }, role: { type: 'string', multiple: true }, name: { type: 'string' } })
        if (!values.id || !values.wallet) throw new UsageError('private add-user: give --id and at least one --wallet')
        const { version } = await client.request('POST', '/api/admin/users', { id: values.id, displayName: values.name ?? values.id, wallets: values.wallet, roles: values.role ?? [] })
        console.log(`user ${values.id} added (permissions version ${version})`)
        return 0
      }
      case 'remove-user':
      case 'remove-role':
      case 'remove-event-rule': {
        const { client, positionals } = adminClient(rest, {}, true)
        const key = positionals[0]
        if (!key) throw new UsageError(`private ${subcommand}: name the ${subcommand.slice(7)} to remove`)
        const path = { 'remove-user': 'users', 'remove-role': 'roles', 'remove-event-rule': 'event-rules' }[subcommand]
        const { version } = await client.request('DELETE', `/api/admin/${path}/${encodeURIComponent(key)}`)
        console.log(`${subcommand.slice(7)} ${key} removed (permissions version ${version})`)
        return 0
      }
      case 'add-role': {
        const { client, values, positionals } = adminClient(rest, { permission: { type: 'string', multiple: true } }, true)
        if (!positionals[0]) throw new UsageError('private add-role: name the role')
        const { version } = await client.request('POST', '/api/admin/roles', { name: positionals[0], permissions: values.permission ?? [] })
        console.log(`role ${positionals[0]} added (permissions version ${version})`)
        return 0
      }
      case 'add-rule': {
        const { client, values } = adminClient(rest, {
          contract: { type: 'string' },
          function: { type: 'string' },
          selector: { type: 'string' },
          access: { type: 'string' },
          type: { type: 'string' },
          role: { type: 'string', multiple: true },
          restrict: { type: 'string', multiple: true },
        })
        if (!values.contract || !values.access || !values.type || (!values.function && !values.selector)) throw new UsageError('private add-rule: give --contract, --function or --selector, --access and --type')
        const rule = {
          contractAddress: values.contract,
          ...(values.function ? { functionSignature: values.function } : {}),
          ...(values.selector ? { methodSelector: values.selector } : {}),
          accessType: values.access,
          ruleType: values.type,
          roles: values.role ?? [],
          argumentRestrictions: (values.restrict ?? []).map((index) => ({ argumentIndex: integerOption('private add-rule', 'restrict', index, 0) })),
        }
        const { version, entry } = await client.request<{ version: number; entry: { methodSelector: string } }>('POST', '/api/admin/contract-rules', rule)
        console.log(`rule for ${entry.methodSelector} on ${values.contract} added (permissions version ${version})`)
        return 0
      }
      case 'remove-rule': {
        const { client, values } = adminClient(rest, { contract: { type: 'string' }, selector: { type: 'string' }, function: { type: 'string' } })
        if (!values.contract || (!values.selector && !values.function)) throw new UsageError('private remove-rule: give --contract and --selector (or --function)')
        const { toFunctionSelector } = await import('viem')
        const selector = values.selector ?? toFunctionSelector(values.function!)
        const { version } = await client.request('DELETE', `/api/admin/contract-rules/${values.contract}/${selector}`)
        console.log(`rule for ${selector} on ${values.contract} removed (permissions version ${version})`)
        return 0
      }
      case 'add-token-rules': {
        const { client, values } = adminClient(rest, { token: { type: 'string' }, role: { type: 'string', multiple: true } })
        if (!values.token) throw new UsageError('private add-token-rules: give --token')
        const rules = erc20Rules(values.token as Hex, values.role ?? ['member'])
        let version = 0
        for (const rule of rules.contractRules) version = (await client.request<{ version: number }>('POST', '/api/admin/contract-rules', rule)).version
        for (const rule of rules.eventRules) version = (await client.request<{ version: number }>('POST', '/api/admin/event-rules', rule)).version
        console.log(`${rules.contractRules.length} contract rules and ${rules.eventRules.length} event rules for ${values.token} added (permissions version ${version})`)
        return 0
      }
      case 'add-event-rule': {
        const { client, values } = adminClient(rest, { contract: { type: 'string' }, event: { type: 'string' }, topic0: { type: 'string' }, topic: { type: 'string', multiple: true }, role: { type: 'string', multiple: true }, id: { type: 'string' } })
        if (!values.contract || (!values.event && !values.topic0)) throw new UsageError('private add-event-rule: give --contract and --event (or --topic0)')
        const topicRestrictions = (values.topic ?? []).map((spec) => {
          const match = /^([1-3])=(caller|0x[0-9a-fA-F]{64})$/.exec(spec)
          if (!match) throw new UsageError(`private add-event-rule: --topic ${spec}: write N=caller or N=0x<32 bytes>, N from 1 to 3`)
          return { topicIndex: Number(match[1]), equals: match[2] }
        })
        const rule = { contractAddress: values.contract, ...(values.event ? { eventSignature: values.event } : {}), ...(values.topic0 ? { topic0: values.topic0 } : {}), topicRestrictions, roles: values.role ?? [], ...(values.id ? { id: values.id } : {}) }
        const { version, entry } = await client.request<{ version: number; entry: { id: string } }>('POST', '/api/admin/event-rules', rule)
        console.log(`event rule ${entry.id} added (permissions version ${version})`)
        return 0
      }
      default:
        throw new UsageError(subcommand ? `private: unknown subcommand "${subcommand}"` : 'private: name a subcommand', { details: 'Run `junction private --help`.' })
    }
  },
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>

function adminClient<const O extends OptionSpec>(args: string[], options: O, positionals = false) {
  const parsed = parseOptions('private', args, { ...apiOptions, ...options }, positionals)
  const values = parsed.values as { api?: string; 'private-key'?: string }
  return { client: clientFrom(values), values: parsed.values as { [K in keyof O]?: O[K]['multiple'] extends true ? string[] : string }, positionals: parsed.positionals }
}

/** The admin API client of `--api` and `--private-key` (default: the default config's admin). */
function clientFrom(values: { api?: string | undefined; 'private-key'?: string | undefined }): PrividiumApiClient {
  if (!values.api) throw new UsageError('private: give --api URL (the permissioned RPC\'s API base URL)')
  const key = (values['private-key'] as Hex | undefined) ?? devAccount(PRIVIDIUM_DEV_ROLES.admin).privateKey
  return new PrividiumApiClient({ apiBaseUrl: values.api, account: privateKeyToAccount(key) })
}

async function list(what: 'users' | 'roles' | 'rules' | 'event-rules', args: string[]): Promise<number> {
  const { client } = adminClient(args, {})
  if (what === 'users') {
    const { users } = await client.request<{ users: { id: string; displayName: string; roles: string[]; wallets: string[] }[] }>('GET', '/api/admin/users')
    printTable(['id', 'name', 'roles', 'wallets'], users.map((u) => [u.id, u.displayName, u.roles.join(', '), u.wallets.join(', ')]))
  } else if (what === 'roles') {
    const { roles } = await client.request<{ roles: { name: string; permissions: string[] }[] }>('GET', '/api/admin/roles')
    printTable(['role', 'system permissions'], roles.map((r) => [r.name, r.permissions.join(', ') || '-']))
  } else if (what === 'rules') {
    const { contractRules } = await client.request<{ contractRules: { contractAddress: string; functionSignature?: string; methodSelector: string; accessType: string; ruleType: string; roles: string[]; argumentRestrictions: { argumentIndex: number }[] }[] }>('GET', '/api/admin/contract-rules')
    printTable(
      ['contract', 'function', 'selector', 'access', 'type', 'roles', 'restricted arguments'],
      contractRules.map((r) => [r.contractAddress, r.functionSignature ?? '-', r.methodSelector, r.accessType, r.ruleType, r.roles.join(', ') || '-', r.argumentRestrictions.map((a) => String(a.argumentIndex)).join(', ') || '-']),
    )
  } else {
    const { eventRules } = await client.request<{ eventRules: { id: string; contractAddress: string; eventSignature?: string; topic0: string; topicRestrictions: { topicIndex: number; equals: string }[]; roles: string[] }[] }>('GET', '/api/admin/event-rules')
    printTable(
      ['id', 'contract', 'event', 'topics', 'roles'],
      eventRules.map((r) => [r.id, r.contractAddress, r.eventSignature ?? r.topic0, r.topicRestrictions.map((t) => `${t.topicIndex}=${t.equals}`).join(', ') || '-', r.roles.join(', ') || 'everyone']),
    )
  }
  return 0
}

async function log(args: string[]): Promise<number> {
  const { values } = parseOptions('private log', args, { ...apiOptions, db: { type: 'string' }, limit: { type: 'string' }, user: { type: 'string' }, wallet: { type: 'string' }, method: { type: 'string' }, refused: { type: 'boolean' } })
  const limit = integerOption('private log', 'limit', values.limit, 50, 1)
  let entries: (Omit<AuditEntry, 'at'> & { at: number | string })[]
  if (values.db) {
    if (!existsSync(values.db)) throw new UsageError(`private log: no database at ${values.db}`)
    const store = new ProxyStore(values.db)
    try {
      entries = readAuditLog(store.db, { limit, userId: values.user, wallet: values.wallet, method: values.method, refusedOnly: values.refused })
    } finally {
      store.close()
    }
  } else if (values.api) {
    const query = new URLSearchParams({ limit: String(limit), ...(values.user ? { user: values.user } : {}), ...(values.wallet ? { wallet: values.wallet } : {}), ...(values.method ? { method: values.method } : {}), ...(values.refused ? { refused: '1' } : {}) })
    entries = (await clientFrom(values).request<{ entries: typeof entries }>('GET', `/api/admin/audit-log?${query}`)).entries
  } else throw new UsageError('private log: give --db FILE (the proxy\'s database) or --api URL')
  if (entries.length === 0) console.log('no entries')
  else
    printTable(
      ['time', 'user', 'wallet', 'method', 'target', 'selector', 'decision', 'reason'],
      entries.map((e) => [typeof e.at === 'number' ? new Date(e.at).toISOString() : e.at, e.userId ?? 'anonymous', e.wallet ?? '-', e.method, e.target ?? '-', e.selector ?? '-', e.allowed ? 'allowed' : 'REFUSED', e.reason]),
    )
  return 0
}

async function initConfig(args: string[]): Promise<number> {
  const { values } = parseOptions('private init-config', args, { out: { type: 'string' }, 'chain-id': { type: 'string' }, token: { type: 'string', multiple: true }, network: { type: 'string' }, 'data-dir': { type: 'string' } })
  if (!values.out) throw new UsageError('private init-config: give --out FILE')
  const manifestPath = values.network ?? join(values['data-dir'] ?? '.junction', 'network.json')
  const manifest = existsSync(manifestPath) ? loadManifest(manifestPath) : undefined
  const members = manifest?.accounts.users ?? Array.from({ length: 5 }, (_, i) => devAccount(3 + i))
  const config = defaultPrividiumConfig({
    chainId: values['chain-id'] === undefined ? undefined : integerOption('private init-config', 'chain-id', values['chain-id'], 0, 1),
    members,
    l2Contracts: manifest?.l2Contracts,
    tokens: (values.token ?? []) as Hex[],
  })
  writeFileSync(values.out, JSON.stringify(config, null, 2) + '\n')
  console.log(`wrote ${values.out}: ${config.permissions.users.length} users, ${config.permissions.contractRules.length} contract rules, ${config.permissions.eventRules.length} event rules${manifest ? ` (members: the dev users of ${manifestPath})` : ' (members: dev accounts 3 to 7; no network manifest found)'}`)
  return 0
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseOptions('private serve', args, { node: { type: 'string' }, config: { type: 'string' }, db: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } })
  if (!values.node || !values.config || !values.db) throw new UsageError('private serve: give --node URL, --config FILE and --db FILE')
  const proxy = createPrividiumProxy({ nodeUrl: values.node, config: loadPrividiumConfig(values.config), dbPath: values.db, host: values.host, port: integerOption('private serve', 'port', values.port, 0) })
  await proxy.start()
  console.log(`junction: permissioned RPC for chain ${proxy.chainId} at ${proxy.url} (JSON-RPC ${proxy.rpcUrl}; node ${values.node}; audit log ${values.db}); Ctrl-C to stop.`)
  await new Promise<void>((resolve) => {
    onShutdown(async () => {
      await proxy.stop()
      resolve()
    })
  })
  return 0
}
