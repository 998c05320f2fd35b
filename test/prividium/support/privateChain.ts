// A private chain for the permissioned RPC's tests: a real anvil, a counting relay in front of it (so a
// test can prove what reached the node, independently of the proxy's own count), the proxy, a token
// with rules, one without, and some traffic of each member made directly on the node.
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseEther, type Address, type Hash, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts'
import { createAnvil, type AnvilProcess } from '../../../src/chain/process/index.js'
import { devAccount } from '../../../src/chain/devAccounts.js'
import { testTokenAbi, testTokenBytecode } from '../../../src/contracts/generated/index.js'
import { PRIVIDIUM_DEV_ROLES, defaultPrividiumConfig } from '../../../src/prividium/defaultConfig.js'
import type { PrividiumConfig } from '../../../src/prividium/config.js'
import { createPrividiumProxy, type PrividiumProxy } from '../../../src/prividium/PrividiumProxy.js'
import { signInWithEthereum } from '../../../src/prividium/PrividiumApiClient.js'

/** An HTTP relay in front of a node that counts what passes (the methods of every request). */
export type CountingRelay = { url: string; methods: string[]; stop(): Promise<void> }

export async function startCountingRelay(target: string): Promise<CountingRelay> {
  const methods: string[] = []
  const targetUrl = new URL(target)
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      try {
        const parsed = JSON.parse(body.toString('utf8'))
        for (const entry of Array.isArray(parsed) ? parsed : [parsed]) methods.push(String(entry?.method))
      } catch {
        methods.push('<not JSON>')
      }
      const forward = httpRequest(targetUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, { 'content-type': 'application/json' })
        answer.pipe(res)
      })
      forward.on('error', () => res.destroy())
      forward.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    methods,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** Someone who calls the proxy: a key and, once signed in, a session token. */
export type Principal = { name: string; account: PrivateKeyAccount; token?: string | undefined }

export type PrivateChain = {
  chainId: number
  anvil: AnvilProcess
  relay: CountingRelay
  proxy: PrividiumProxy
  config: PrividiumConfig
  /** The raw node, for setting up and checking state (never through the proxy). */
  node: PublicClient
  /** A token the config has ERC-20 rules for (TestToken: anyone may mint on the node, no rule lets members mint). */
  token: Address
  /** A contract no rule names. */
  unlisted: Address
  members: { a: Principal; b: Principal; c: Principal }
  auditor: Principal
  admin: Principal
  /** A wallet no user has. */
  stranger: Principal
  /** Transactions made directly on the node, per member. */
  history: { a: Hash[]; b: Hash[] }
  /** B's token balance and the amount B sent C: values no one else should see. */
  secrets: { bTokens: bigint; bToC: bigint; bMarker: Hex }
  /** A fake clock the proxy reads: `clock.offsetMs` moves it ahead. */
  clock: { offsetMs: number }
  /** POSTs a JSON-RPC body (object or string) to /rpc, with the principal's token if it has one. */
  rpc(body: unknown, principal?: Principal): Promise<{ status: number; body: any }>
  signIn(principal: Principal): Promise<string>
  stop(): Promise<void>
}

/**
 * Starts a private chain for a test: anvil (dev accounts funded), the relay, the proxy with the default
 * config (members A, B, C; an auditor; an admin; ERC-20 rules for `token`), and on the node: B mints
 * and sends C a marked amount, A mints and sends C some, B sends C ETH with marked calldata.
 */
export async function startPrivateChain(parameters: { chainId: number; config?: (base: PrividiumConfig) => PrividiumConfig }): Promise<PrivateChain> {
  const { chainId } = parameters
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-prividium-'))
  const anvil = createAnvil({ chainId, port: 0, name: `private-${chainId}` })
  await anvil.start()
  const relay = await startCountingRelay(anvil.rpcUrl)
  const principal = (name: string, index: number): Principal => ({ name, account: privateKeyToAccount(devAccount(index).privateKey) })
  const members = { a: principal('member A', 3), b: principal('member B', 4), c: principal('member C', 5) }
  const auditor = principal('auditor', PRIVIDIUM_DEV_ROLES.auditor)
  const admin = principal('admin', PRIVIDIUM_DEV_ROLES.admin)
  const stranger = principal('unknown wallet', 7)

  const node = createPublicClient({ transport: http(anvil.rpcUrl) }) as PublicClient
  const wallet = (account: PrivateKeyAccount) => createWalletClient({ account, chain: { id: chainId, name: 'private', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } }, transport: http(anvil.rpcUrl) })
  const deployer = privateKeyToAccount(devAccount(0).privateKey)
  const deploy = async () => {
    const hash = await wallet(deployer).deployContract({ abi: testTokenAbi, bytecode: testTokenBytecode, args: ['Private', 'PRV', 18] })
    return (await node.waitForTransactionReceipt({ hash })).contractAddress!
  }
  const token = await deploy()
  const unlisted = await deploy()
  const secrets = { bTokens: 777_777_123_456_789n, bToC: 31_337_424_242n, bMarker: '0x5ec7e75ec7e75ec7e75ec7e7' as Hex }
  const send = async (account: PrivateKeyAccount, request: { to: Address; data?: Hex; value?: bigint }) => {
    const hash = await wallet(account).sendTransaction(request)
    await node.waitForTransactionReceipt({ hash })
    return hash
  }
  const call = (functionName: 'mint' | 'transfer', args: readonly [Address, bigint]) => ({ to: token, data: encodeFunctionData({ abi: testTokenAbi, functionName, args }) })
  const history = {
    b: [await send(members.b.account, call('mint', [members.b.account.address, secrets.bTokens + secrets.bToC])), await send(members.b.account, call('transfer', [members.c.account.address, secrets.bToC])), await send(members.b.account, { to: members.c.account.address, value: 1n, data: secrets.bMarker })],
    a: [await send(members.a.account, call('mint', [members.a.account.address, parseEther('1000')])), await send(members.a.account, call('transfer', [members.c.account.address, parseEther('1')]))],
  }

  const clock = { offsetMs: 0 }
  const base = defaultPrividiumConfig({ chainId, members: [members.a.account, members.b.account, members.c.account].map((a) => ({ address: a.address })), tokens: [token] })
  const config = parameters.config ? parameters.config(base) : base
  const proxy = createPrividiumProxy({ nodeUrl: relay.url, config, dbPath: join(dataDir, 'prividium.db'), now: () => Date.now() + clock.offsetMs })
  await proxy.start()

  const rpc = async (body: unknown, who?: Principal) => {
    const response = await fetch(proxy.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(who?.token ? { authorization: `Bearer ${who.token}` } : {}) }, body: typeof body === 'string' ? body : JSON.stringify(body) })
    const text = await response.text()
    return { status: response.status, body: text.length ? JSON.parse(text) : undefined }
  }
  return {
    chainId,
    anvil,
    relay,
    proxy,
    config,
    node,
    token,
    unlisted,
    members,
    auditor,
    admin,
    stranger,
    history,
    secrets,
    clock,
    rpc,
    signIn: async (who) => {
      who.token = (await signInWithEthereum({ apiBaseUrl: proxy.url, account: who.account })).token
      return who.token
    },
    stop: async () => {
      await proxy.stop()
      await relay.stop()
      await anvil.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
