// The `junction` command line, run as a user runs it (`node bin/junction.js ...`): `up` starts a
// network on free ports and leaves no anvil behind however it is stopped, `send --wait` delivers,
// and mistakes end with exit code 1 and a message that says what was wrong.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { isAddress, zeroAddress, type Address, type Hex } from 'viem'
import { sentBundlesOf } from '../../src/indexer/sentBundles.js'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { ethDepositedAtStart } from '../../src/network/fundOperators.js'
import { isPortFree } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import { nodeManifest } from '../../src/network/privateChains.js'
import type { NetworkManifest } from '../../src/network/types.js'
import { BundleStatus, ethAssetId } from '../../src/protocol/index.js'
import { childPids, commandLine, isGone, runJunction, spawnJunction, waitUntilGone, type JunctionProcess } from '../support/junctionProcess.js'

const tmpDirs: string[] = []
const running = new Set<JunctionProcess>()
/** pids of every anvil a `junction up` of this file started. */
const allAnvils: number[] = []

function tmpDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-cli-'))
  tmpDirs.push(dir)
  return dir
}

after(async () => {
  for (const junction of running) if (!junction.done) await junction.kill('SIGKILL')
  const left = await waitUntilGone(allAnvils, 3_000)
  // Don't leave them to the machine even when a test failed: kill them, then fail.
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true })
  assert.deepEqual(left, [], 'no anvil started by these tests is left running')
})

type Up = { junction: JunctionProcess; dataDir: string; anvils: Map<number, number> }

/** Runs `junction up --base-port 0` until it is ready; returns it with its anvils (pid → chain id). */
async function up(): Promise<Up> {
  const dataDir = tmpDataDir()
  const junction = spawnJunction(['up', '--base-port', '0', '--data-dir', dataDir])
  running.add(junction)
  const ready = await junction.waitForLine(/ready in [\d.]+ s/, 45_000)
  console.log(`junction up: ${ready.trim()}`)
  const anvils = new Map<number, number>()
  for (const pid of childPids(junction.pid)) {
    const argv = commandLine(pid)
    if (!argv || !/(^|\/)anvil$/.test(argv[0]!)) continue
    anvils.set(pid, Number(argv[argv.indexOf('--chain-id') + 1]))
    allAnvils.push(pid)
  }
  return { junction, dataDir, anvils }
}

/** Stops `junction up` with `signal`; asserts it ends and that its anvils are gone within 3 s of that. */
async function assertStopsCleanly(network: Up, signal: NodeJS.Signals, expectedExit: { code: number | null; signal: NodeJS.Signals | null }, options: { toGroup?: boolean } = {}) {
  const pids = [...network.anvils.keys()]
  assert.equal(pids.length, 7, 'seven anvils (L1, Gateway, three chains, two private chains) run as children of junction up')
  assert.ok(pids.every((pid) => !isGone(pid)), 'they run before the signal')
  const exit = await (options.toGroup ? network.junction.killGroup(signal) : network.junction.kill(signal))
  assert.deepEqual(exit, expectedExit, `junction up exits as expected on ${signal}\nstdout:\n${network.junction.stdout()}\nstderr:\n${network.junction.stderr()}`)
  assert.deepEqual(await waitUntilGone(pids, 3_000), [], `every anvil is gone within 3 s of ${signal}`)
  const manifest = readManifest(network.dataDir)
  for (const rpcUrl of [manifest.l1.rpcUrl, ...manifest.chains.map((chain) => chain.rpcUrl)]) {
    await assert.rejects(rpc(rpcUrl, 'eth_chainId'), `${rpcUrl} no longer answers`)
  }
}

function readManifest(dataDir: string): NetworkManifest {
  return JSON.parse(readFileSync(join(dataDir, 'network.json'), 'utf8')) as NetworkManifest
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await response.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

describe('junction up', () => {
  let network: Up

  before(async () => {
    network = await up()
  })

  test('`junction up` prints the chains and writes a manifest whose chains answer', async (t) => {
    const stdout = network.junction.stdout()
    const manifest = readManifest(network.dataDir)

    // The table: one row per chain, with its id, role and RPC URL.
    const rows = stdout.split('\n')
    const row = (name: string) => rows.find((line) => line.startsWith(`${name} `))
    assert.match(row('l1') ?? '', new RegExp(`^l1\\s+31337\\s+L1\\s+${manifest.l1.rpcUrl}\\s+-$`), stdout)
    const chainOf = (name: string) => manifest.chains.find((chain) => chain.name === name)!
    // The default topology: alpha and beta settle on the Gateway, gamma and the Gateway on L1.
    assert.match(row('alpha') ?? '', new RegExp(`^alpha\\s+271\\s+ZK chain\\s+${chainOf('alpha').rpcUrl}\\s+gateway$`), stdout)
    assert.match(row('beta') ?? '', new RegExp(`^beta\\s+272\\s+ZK chain\\s+${chainOf('beta').rpcUrl}\\s+gateway$`), stdout)
    assert.match(row('gamma') ?? '', new RegExp(`^gamma\\s+273\\s+ZK chain\\s+${chainOf('gamma').rpcUrl}\\s+l1$`), stdout)
    assert.match(row('gateway') ?? '', new RegExp(`^gateway\\s+31338\\s+Gateway \\(settlement layer\\)\\s+${chainOf('gateway').rpcUrl}\\s+l1$`), stdout)
    // ...and the private chains bank-a and bank-b on the Gateway, listed with their permissioned RPC.
    assert.match(row('bank-a') ?? '', new RegExp(`^bank-a\\s+4201\\s+private chain \\(permissioned RPC\\)\\s+${chainOf('bank-a').apiBaseUrl}/rpc\\s+gateway$`), stdout)
    assert.match(row('bank-b') ?? '', new RegExp(`^bank-b\\s+4202\\s+private chain \\(permissioned RPC\\)\\s+${chainOf('bank-b').apiBaseUrl}/rpc\\s+gateway$`), stdout)

    // The manifest: seven chains whose RPC URLs answer with the right chain ids (a private chain's proxy tells anyone its chain id).
    const chains = [manifest.l1, ...manifest.chains]
    assert.deepEqual(chains.map((chain) => [chain.name, chain.chainId]), [['l1', 31337], ['alpha', 271], ['beta', 272], ['gamma', 273], ['bank-a', 4201], ['bank-b', 4202], ['gateway', 31338]])
    for (const chain of chains) assert.equal(await rpc(chain.rpcUrl, 'eth_chainId'), `0x${chain.chainId.toString(16)}`, `${chain.name} answers on ${chain.rpcUrl}`)
    assert.deepEqual([...network.anvils.values()].sort((a, b) => a - b), [271, 272, 273, 4201, 4202, 31337, 31338], 'one anvil per chain, spawned by junction up')

    // Every contract the manifest names has code where it says.
    const hasCode = async (rpcUrl: string, name: string, address: Address) => {
      assert.ok(isAddress(address) && address !== zeroAddress, `${name} is an address`)
      const code = (await rpc(rpcUrl, 'eth_getCode', [address, 'latest'])) as Hex
      assert.ok(code.length > 2, `${name} (${address}) has code on ${rpcUrl}`)
    }
    // Read on the raw nodes (the manifest's services part): a private chain's proxy shows code to a session only.
    const nodes = nodeManifest(manifest)
    const rpcOf = (chainId: number) => (chainId === nodes.l1.chainId ? nodes.l1.rpcUrl : nodes.chains.find((chain) => chain.chainId === chainId)!.rpcUrl)
    for (const [name, address] of Object.entries(manifest.l1.contracts)) await hasCode(manifest.l1.rpcUrl, `l1 ${name}`, address)
    for (const chain of nodes.chains) {
      await hasCode(rpcOf(chain.settlementLayer), `${chain.name}'s settlement`, chain.settlement)
      for (const [name, address] of Object.entries(manifest.l2Contracts)) await hasCode(chain.rpcUrl, `${chain.name} ${name}`, address)
      for (const [name, address] of Object.entries(chain.gatewayContracts ?? {})) await hasCode(chain.rpcUrl, `${chain.name} ${name}`, address)
    }

    // The explorer, its URL printed under the table: it serves the page and the network as JSON.
    const explorerUrl = /^explorer:\s+(http:\/\/\S+)$/m.exec(stdout)?.[1]
    assert.ok(explorerUrl, `junction up prints the explorer's URL\n${stdout}`)
    assert.match(await (await fetch(explorerUrl)).text(), /<title>Junction explorer<\/title>/)
    const explored = (await (await fetch(new URL('/api/network', explorerUrl))).json()) as { chains: { name: string; head: number | null }[] }
    assert.deepEqual(explored.chains.map((chain) => chain.name), ['alpha', 'beta', 'gamma', 'gateway'])
    assert.ok(explored.chains.every((chain) => typeof chain.head === 'number'), 'with their head blocks')

    const startup = /ready in ([\d.]+) s/.exec(stdout)![1]
    t.diagnostic(`start-up: ready in ${startup} s`)
  })

  test('`junction send --wait` delivers and prints the timeline', async () => {
    const manifest = readManifest(network.dataDir)
    const beta = new ChainConnection(manifest.chains.find((chain) => chain.name === 'beta')!)
    const recipient = manifest.l2Contracts.exampleRecipient
    const received = () => beta.client.readContract({ address: recipient, abi: c.standardRecipientAbi, functionName: 'received' }) as Promise<bigint>
    const before = await received()

    const started = performance.now()
    const result = await runJunction(['send', '--from', 'alpha', '--to', 'beta', '--text', 'hello', '--wait', '--data-dir', network.dataDir])
    console.log(`junction send --wait: ${Math.round(performance.now() - started)} ms (process start included)\n${result.stdout}`)
    assert.equal(result.code, 0, `exit code 0\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`)
    assert.match(result.stdout, /^\s+271 → 272: executed$/m, 'the status line says executed')
    for (const step of ['sent', 'committed', 'proven', 'executed-on-settlement-layer', 'root-on-destination', 'executed']) {
      assert.match(result.stdout, new RegExp(`^\\s+${step}\\s`, 'm'), `the timeline shows "${step}"`)
    }

    // On chain: the bundle it printed is executed on beta, and the example recipient got it.
    const bundleHash = /^sent (0x[0-9a-f]{64})$/m.exec(result.stdout)?.[1] as Hex | undefined
    assert.ok(bundleHash, `it prints the bundle hash\n${result.stdout}`)
    // The handler reads the bundle's bytes (its status is kept under its number on its route and its hash): from alpha's logs.
    const alpha = new ChainConnection(manifest.chains.find((chain) => chain.name === 'alpha')!)
    const [sent] = sentBundlesOf(await alpha.client.getLogs({ address: manifest.l2Contracts.interopCenter, fromBlock: 0n, toBlock: 'latest' }), manifest.l2Contracts.interopCenter).filter((log) => log.bundleHash === bundleHash)
    assert.ok(sent, 'alpha announced it')
    const status = await beta.client.readContract({ address: manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi, functionName: 'bundleStatus', args: [sent.bundle] })
    assert.equal(status, BundleStatus.Executed)
    assert.equal(await received(), before + 1n, 'the example recipient on beta received one more message')
    assert.equal(await beta.client.readContract({ address: recipient, abi: c.standardRecipientAbi, functionName: 'lastPayload' }), '0x68656c6c6f', 'with the payload "hello"')
  })

  test('`junction status` shows each chain with its head block and settled batches, `junction message` the timeline, and `junction explorer` serves the message', async () => {
    const manifest = readManifest(network.dataDir)
    const sent = await runJunction(['send', '--from', 'beta', '--to', 'alpha', '--text', 'status', '--wait', '--data-dir', network.dataDir])
    assert.equal(sent.code, 0, sent.stderr)
    const bundleHash = /^sent (0x[0-9a-f]{64})$/m.exec(sent.stdout)![1]!
    const result = await runJunction(['status', '--data-dir', network.dataDir])
    assert.equal(result.code, 0, result.stderr)
    for (const chain of manifest.chains) {
      const slInfo = manifest.chains.find((other) => other.chainId === chain.settlementLayer)
      const settlement = new ChainConnection(slInfo ?? manifest.l1)
      const executed = (await settlement.client.readContract({ address: chain.settlement, abi: c.chainSettlementAbi, functionName: 'totalExecuted' })) as bigint
      const line = result.stdout.split('\n').find((l) => l.startsWith(`${chain.name} `))
      assert.ok(line, `a line for ${chain.name}\n${result.stdout}`)
      const slName = slInfo?.name ?? 'l1'
      assert.match(line, new RegExp(`^${chain.name}\\s+${chain.chainId}\\s+\\d+\\s+${slName}\\s+\\d+\\s+\\d+ / ${executed}\\b`), `${chain.name}: executed batches as on ${slName} (${executed})`)
      if (chain.name !== 'gamma') assert.ok(executed >= 1n, `${chain.name} has settled a batch`)
      assert.match(line, slInfo?.gatewayContracts ? /checked on the Gateway\s*$/ : /L1 ledger only\s*$/, `${chain.name}: where its token balances are checked`)
    }
    const message = await runJunction(['message', bundleHash, '--data-dir', network.dataDir])
    assert.equal(message.code, 0, message.stderr)
    assert.match(message.stdout, /272 → 271: executed/)
    assert.match(message.stdout, /^\s+batched\s+\d{4}-\d\d-\d\dT/m, 'timestamps, and the batcher step from the services store')

    // `junction explorer --network FILE` (run from the repository, where no store is) finds the services'
    // store beside FILE and serves the same message, until Ctrl-C.
    const explorer = spawnJunction(['explorer', '--network', join(network.dataDir, 'network.json'), '--port', '0'])
    running.add(explorer)
    const explorerLine = await explorer.waitForLine(/^explorer:\s+http/, 20_000)
    assert.ok(explorerLine.includes(`services' store ${join(network.dataDir, 'junction.db')}`), `it reads the store beside the manifest: ${explorerLine}`)
    const explorerUrl = /(http:\/\/\S+)/.exec(explorerLine)![1]!
    const explored = (await (await fetch(new URL(`/api/messages/${bundleHash}`, explorerUrl))).json()) as { status: string; timeline: { status: string }[] }
    assert.equal(explored.status, 'executed')
    assert.ok(explored.timeline.some((step) => step.status === 'batched'), 'with the batcher step from the services store')
    assert.deepEqual(await explorer.kill('SIGINT'), { code: 130, signal: null }, 'and stops on Ctrl-C (exit 130, as junction up)')
  })

  test('`junction demo swap` swaps with one signature, and with an impossible --min-out shows the refund', async () => {
    const swapped = await runJunction(['demo', 'swap', '--amount', '1000', '--data-dir', network.dataDir])
    assert.equal(swapped.code, 0, `exit code 0\nstdout:\n${swapped.stdout}\nstderr:\n${swapped.stderr}`)
    console.log(`junction demo swap:\n${swapped.stdout}`)
    for (const step of ['signed & sent', 'X burned', 'executed on destination', 'return bundle sent', 'arrived']) {
      assert.match(swapped.stdout, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+\\+\\s*\\d+ ms\\s+${step}\\s`, 'm'), `prints "${step}" with its time`)
    }
    assert.match(swapped.stdout, /^swapped: 1000 X → \d+ Y on alpha/m)
    assert.match(swapped.stdout, /^total: \d+ ms from signature to Y on alpha$/m)
    // What the user would pay on alpha, where it signs, for the delivery on beta (docs/fees.md).
    assert.match(swapped.stdout, /^fee quote: the user on alpha → beta: \d+(\.\d+)? ETH paid on alpha for [\d,]+ gas of execution on beta( \(its share of a transaction that executed \d+ bundles\))? at [\d.]+ gwei, /m)

    const refunded = await runJunction(['demo', 'swap', '--amount', '1000', '--min-out', '1000000000000', '--data-dir', network.dataDir])
    assert.equal(refunded.code, 0, `exit code 0\nstdout:\n${refunded.stdout}\nstderr:\n${refunded.stderr}`)
    console.log(`junction demo swap --min-out 1000000000000:\n${refunded.stdout}`)
    assert.match(refunded.stdout, /swap failed, SlippageExceeded\(\d+, 1000000000000\); refunding 1000 X/)
    assert.match(refunded.stdout, /^refunded: .*1000 X back on alpha$/m)
    assert.match(refunded.stdout, /^total: \d+ ms from signature to the refunded X on alpha$/m)
  })

  test('`junction demo dvp --scenario settle` settles a bond against cash and prints each step with its time', async () => {
    const settled = await runJunction(['demo', 'dvp', '--scenario', 'settle', '--data-dir', network.dataDir])
    assert.equal(settled.code, 0, `exit code 0\nstdout:\n${settled.stdout}\nstderr:\n${settled.stderr}`)
    console.log(`junction demo dvp --scenario settle:\n${settled.stdout}`)
    for (const step of ['created', 'buyer-locked', 'seller-locked', 'lock-proven', 'released', 'bonds-delivered']) {
      assert.match(settled.stdout, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+\\+\\s*\\d+ ms\\s+${step}\\s`, 'm'), `prints "${step}" with its time`)
    }
    assert.match(settled.stdout, /^released: seller bonds 1000 → 990, cash 0 → 10000; buyer bonds 0 → 10, cash 10000000 → 9990000$/m)
    assert.match(settled.stdout, /^fee quote: the seller locks the bonds on \S+ → \S+: \d+(\.\d+)? ETH paid on \S+ for [\d,]+ gas of execution on /m)
    const unknown = await runJunction(['demo', 'dvp', '--scenario', 'later', '--data-dir', network.dataDir])
    assert.notEqual(unknown.code, 0)
    assert.match(unknown.stderr, /unknown scenario "later"/)
  })

  test('`junction demo instruction --scenario execute` runs the instruction across three banks and prints the fee quote of each bank\'s updates', async () => {
    const executed = await runJunction(['demo', 'instruction', '--scenario', 'execute', '--data-dir', network.dataDir])
    assert.equal(executed.code, 0, `exit code 0\nstdout:\n${executed.stdout}\nstderr:\n${executed.stderr}`)
    console.log(`junction demo instruction --scenario execute:\n${executed.stdout}`)
    assert.match(executed.stdout, /^executed: the borrower's balance on /m)
    // The proposal, each approval and each confirmation send an update to the two other banks: fourteen quotes, each paid where its bank signs.
    const quotes = executed.stdout.match(/^fee quote: bank [123] on (\S+) → \S+: \d+(\.\d+)? ETH paid on \1 for [\d,]+ gas of execution on /gm) ?? []
    assert.equal(quotes.length, 14, `a quote per update (proposal 2, approvals 3 × 2, confirmations 3 × 2)\n${executed.stdout}`)
  })

  test('`junction deposit --eth`, `withdraw --eth`, `claim-failed-deposit` and `balances --eth`', async () => {
    const manifest = readManifest(network.dataDir)
    const alpha = new ChainConnection(manifest.chains.find((chain) => chain.name === 'alpha')!)
    const dataDir = ['--data-dir', network.dataDir]
    // A receiver that refuses ETH: the deposit fails on alpha and is claimed back on L1.
    const refuser = (await alpha.deploy(manifest.accounts.users[4]!.privateKey, { abi: c.ethRefuserAbi, bytecode: c.ethRefuserBytecode, args: [0n], action: 'deploy EthRefuser' })).address
    const deposited = await runJunction(['deposit', '--to-chain', 'alpha', '--eth', '--amount', '5000', '--receiver', refuser, '--account', '2', ...dataDir])
    assert.equal(deposited.code, 0, deposited.stderr)
    const requestIndex = /priority request (\d+) for alpha/.exec(deposited.stdout)?.[1]
    assert.ok(requestIndex, deposited.stdout)
    // A second one, which its depositor has paid to another address (with its signature, submitted by someone else).
    const second = await runJunction(['deposit', '--to-chain', 'alpha', '--eth', '--amount', '700', '--receiver', refuser, '--account', '2', ...dataDir])
    const secondIndex = /priority request (\d+) for alpha/.exec(second.stdout)?.[1]
    assert.ok(secondIndex, second.stdout)
    // Wait in-process (a command is a new process each time) until alpha's batch that processed the
    // deposit is executed where alpha settles (the Gateway, by default).
    const alphaInfo = manifest.chains.find((chain) => chain.name === 'alpha')!
    const sl = new ChainConnection(manifest.chains.find((chain) => chain.chainId === alphaInfo.settlementLayer) ?? manifest.l1)
    const alphaSettlement = { address: alphaInfo.settlement, abi: c.chainSettlementAbi } as const
    for (const deadline = Date.now() + 30_000; ; ) {
      if (((await sl.client.readContract({ ...alphaSettlement, functionName: 'totalPriorityRequestsProcessed' })) as bigint) > BigInt(secondIndex)) break
      assert.ok(Date.now() < deadline, 'alpha settled the failed deposit within 30 s')
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    let claimed = await runJunction(['claim-failed-deposit', '--chain', 'alpha', '--request', requestIndex, ...dataDir])
    // The services' store may index the execution a moment after L1 has it.
    for (let attempt = 0; claimed.code !== 0 && attempt < 5; attempt++) {
      assert.match(claimed.stderr, /cannot be proven yet/, claimed.stderr)
      claimed = await runJunction(['claim-failed-deposit', '--chain', 'alpha', '--request', requestIndex, ...dataDir])
    }
    assert.equal(claimed.code, 0, claimed.stderr)
    assert.match(claimed.stdout, new RegExp(`failed deposit ${requestIndex} to alpha claimed back: 5000 of asset 0x[0-9a-f]{64} to ${manifest.accounts.users[2]!.address}`))
    const elsewhere = manifest.accounts.users[3]!.address
    const unsigned = await runJunction(['claim-failed-deposit', '--chain', 'alpha', '--request', secondIndex, '--to', elsewhere, '--account', '4', ...dataDir])
    assert.equal(unsigned.code, 1, unsigned.stdout)
    assert.match(unsigned.stderr, /needs the depositor's authorisation/)
    const signed = await runJunction(['claim-failed-deposit', '--chain', 'alpha', '--request', secondIndex, '--to', elsewhere, '--sign', '--account', '2', ...dataDir])
    assert.equal(signed.code, 0, signed.stderr)
    const signature = /--signature (0x[0-9a-f]+)/.exec(signed.stdout)?.[1]
    assert.ok(signature, signed.stdout)
    const claimPaid = () => runJunction(['claim-failed-deposit', '--chain', 'alpha', '--request', secondIndex, '--to', elsewhere, '--signature', signature, '--account', '4', ...dataDir])
    let paid = await claimPaid()
    for (let attempt = 0; paid.code !== 0 && attempt < 5; attempt++) {
      assert.match(paid.stderr, /cannot be proven yet/, paid.stderr)
      paid = await claimPaid()
    }
    assert.equal(paid.code, 0, paid.stderr)
    assert.match(paid.stdout, new RegExp(`failed deposit ${secondIndex} to alpha claimed back: 700 of asset 0x[0-9a-f]{64} to ${elsewhere} on L1 \\(depositor ${manifest.accounts.users[2]!.address}\\)`))

    // Every chain holds the dev users' deposits at start and nothing else (the failed deposit was claimed back).
    const atStart = ethDepositedAtStart(manifest)
    const balances = await runJunction(['balances', '--eth', ...dataDir])
    assert.equal(balances.code, 0, balances.stderr)
    assert.match(balances.stdout, new RegExp(`^ETH, asset 0x[0-9a-f]{64}: L1 vault holds ${atStart * BigInt(manifest.chains.length)}$`, 'm'), balances.stdout)
    assert.match(balances.stdout, new RegExp(`^alpha\\s+271\\s+gateway\\s+${atStart}\\s+0\\s+${atStart}\\s*$`, 'm'), 'alpha: the deposits in its Gateway ledger, nothing in its own L1 account, the deposits bridged in')
    assert.match(balances.stdout, new RegExp(`^gateway: its account in L1's ledger holds ${atStart * 4n}; its chains hold ${atStart * 4n} in its asset tracker$`, 'm'), 'alpha, beta, bank-a and bank-b')
    // ETH that came over the bridge leaves over it.
    const withdrawn = await runJunction(['withdraw', '--from', 'alpha', '--eth', '--amount', '1', ...dataDir])
    assert.equal(withdrawn.code, 0, withdrawn.stderr)
    assert.match(withdrawn.stdout, /^withdrawal started on alpha: transaction 0x[0-9a-f]{64}$/m)
    const audited = await runJunction(['audit', ...dataDir])
    assert.equal(audited.code, 0, audited.stdout + audited.stderr)
    assert.match(audited.stdout, /^forged bundles: none executed$/m)
    assert.match(audited.stdout, /^forged withdrawals: none finalized$/m)
    assert.match(audited.stdout, /^transfers refused by the L1 ledger: none$/m)
  })

  test('`junction send` to an unknown chain exits 1 and says "unknown chain"', async () => {
    const result = await runJunction(['send', '--from', 'alpha', '--to', 'nowhere', '--text', 'hello', '--data-dir', network.dataDir])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /unknown chain "nowhere"/)
    assert.match(result.stderr, /l1 \(31337\), alpha \(271\)/, 'it lists the destinations of the network')
    const byId = await runJunction(['send', '--from', 'alpha', '--to', '999', '--text', 'hello', '--data-dir', network.dataDir])
    assert.equal(byId.code, 1, byId.stderr)
    assert.match(byId.stderr, /unknown chain "999"/)
  })

  test('`junction transfer` to L1 exits 1 before sending and says to withdraw', async () => {
    const result = await runJunction(['transfer', '--from', 'alpha', '--to', 'l1', '--asset', `0x${'11'.repeat(32)}`, '--amount', '1', '--data-dir', network.dataDir])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /unknown chain "31337"/)
    assert.match(result.stderr, /withdraw the token to move it to L1/)
  })

  test('`junction migrate` moves gamma to the Gateway and back, `junction status` shows where it settles, a move to where it is exits 1', async () => {
    const dataDir = ['--data-dir', network.dataDir]
    const there = await runJunction(['migrate', '--chain', 'gamma', '--to', 'gateway', ...dataDir])
    assert.equal(there.code, 0, there.stderr)
    assert.match(there.stdout, /^\s+\+\s*\d+ ms {2}left l1: after batch \d+ \(block \d+\)/m)
    assert.match(there.stdout, /gamma settles on the Gateway from its block \d+ \(batch \d+\), after \d+ ms/)
    const status = await runJunction(['status', ...dataDir])
    const manifest = readManifest(network.dataDir)
    const atStart = ethDepositedAtStart(manifest)
    const ethAsset = ethAssetId({ l1ChainId: manifest.l1.chainId, l1Vault: manifest.l1.contracts.nativeTokenVault })
    assert.match(there.stdout, new RegExp(`^balance moved: ${atStart} of asset ${ethAsset}$`, 'm'), 'gamma held the dev users\' ETH deposits')
    assert.match(status.stdout, /^gamma\s+273\s+\d+\s+gateway\s.*checked on the Gateway\s*$/m, status.stdout)
    const again = await runJunction(['migrate', '--chain', 'gamma', '--to', 'gateway', ...dataDir])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /gamma already settles on gateway/)
    const back = await runJunction(['migrate', '--chain', 'gamma', '--to', 'l1', ...dataDir])
    assert.equal(back.code, 0, back.stderr)
    assert.match(back.stdout, /settles on l1: the migration message proven on L1/)
    assert.match((await runJunction(['status', ...dataDir])).stdout, /^gamma\s+273\s+\d+\s+l1\s/m)
    const gatewayItself = await runJunction(['migrate', '--chain', 'gateway', '--to', 'l1', ...dataDir])
    assert.equal(gatewayItself.code, 1)
    assert.match(gatewayItself.stderr, /the Gateway itself settles on L1/)
  })

  // After the balances test: the demo bridges ETH into alpha, which that test's ledger figures do not count.
  test('`junction demo lending` borrows on L1 with one signature and says its bundle to L1 pays no fee', async () => {
    const borrowed = await runJunction(['demo', 'lending', '--data-dir', network.dataDir])
    assert.equal(borrowed.code, 0, `exit code 0\nstdout:\n${borrowed.stdout}\nstderr:\n${borrowed.stderr}`)
    console.log(`junction demo lending:\n${borrowed.stdout}`)
    assert.match(borrowed.stdout, /^borrowed: \d+ JUSD against \d+ wei/m)
    assert.match(borrowed.stdout, /^fee quote: the user on alpha → L1: none, a bundle to L1 pays no fee/m)
  })

  test('`junction up` leaves no anvil behind on SIGTERM', async () => {
    await assertStopsCleanly(network, 'SIGTERM', { code: 143, signal: null })
    assert.match(network.junction.stdout(), /junction: SIGTERM, stopping services and chains/)
  })
})

test('`junction up` leaves no anvil behind on Ctrl-C (SIGINT to its process group), and stops its services before its chains', async () => {
  const network = await up()
  await assertStopsCleanly(network, 'SIGINT', { code: 130, signal: null }, { toGroup: true })
  // The chains are in process groups of their own: the terminal's SIGINT does not stop them under the services.
  assert.doesNotMatch(network.junction.stderr(), /HTTP request failed|fetch failed|ECONNREFUSED/, network.junction.stderr())
})

test('`junction up` killed with SIGKILL leaves no anvil behind (parent-death signal)', async () => {
  const network = await up()
  await assertStopsCleanly(network, 'SIGKILL', { code: null, signal: 'SIGKILL' })
})

describe('junction errors', () => {
  test('`junction up` on a port in use exits 1 and says the port is in use', async () => {
    const server: Server = createServer()
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, resolve))
    const port = (server.address() as { port: number }).port
    try {
      const nextPorts = [port + 1, port + 2]
      const freeBefore = await Promise.all(nextPorts.map((next) => isPortFree(next, '127.0.0.1')))
      const result = await runJunction(['up', '--base-port', String(port), '--data-dir', tmpDataDir()])
      assert.equal(result.code, 1, `exit code 1\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`)
      assert.match(result.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`))
      assert.match(result.stderr, /--base-port/, 'it says how to choose other ports')
      // The chains it did start on the next ports were stopped again.
      for (const [i, next] of nextPorts.entries()) if (freeBefore[i]) assert.ok(await isPortFree(next, '127.0.0.1'), `port ${next} is free again`)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  test('`junction message` with something that is not a bundle hash exits 1', async () => {
    const result = await runJunction(['message', '0x12'])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /"0x12" is not a message id/)
  })

  test('an unknown command exits 1 and lists the commands', async () => {
    const result = await runJunction(['frobnicate'])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /unknown command "frobnicate"/)
    for (const command of ['up', 'status', 'send', 'message', 'deposit', 'withdraw', 'finalize-withdrawal', 'claim-failed-deposit', 'balances', 'audit', 'migrate', 'services', 'demo']) assert.match(result.stderr, new RegExp(`\\b${command}\\b`), `lists ${command}`)
  })

  test('`junction --help` and `junction up --help` exit 0 and print the usage', async () => {
    const [help, upHelp, claimHelp, both] = await Promise.all([
      runJunction(['--help']),
      runJunction(['up', '--help']),
      runJunction(['claim-failed-deposit', '--help']),
      runJunction(['balances', '--eth', '--token', zeroAddress]),
    ])
    assert.equal(claimHelp.code, 0, claimHelp.stderr)
    assert.match(claimHelp.stdout, /^Usage: junction claim-failed-deposit --chain CHAIN --request N/m)
    assert.equal(both.code, 1)
    assert.match(both.stderr, /give --eth or --token, not both/)
    assert.equal(help.code, 0, help.stderr)
    assert.match(help.stdout, /^Usage: junction <command> \[options\]$/m)
    for (const command of ['up', 'status', 'send', 'message', 'deposit', 'withdraw', 'finalize-withdrawal', 'claim-failed-deposit', 'balances', 'audit', 'migrate', 'services', 'demo']) assert.match(help.stdout, new RegExp(`^  ${command}\\s`, 'm'), `lists ${command}`)
    assert.equal(upHelp.code, 0, upHelp.stderr)
    assert.match(upHelp.stdout, /^Usage: junction up \[options\]$/m)
    assert.match(upHelp.stdout, /--base-port P/)
  })
})
