// A network that outlives its process, run as a user runs it (`node bin/junction.js up`): stopped with
// Ctrl-C it resumes where it was; SIGKILLed (the whole process group) it resumes from its last
// checkpoint and says what it rolled back; either way every message it kept is delivered exactly once,
// on chain and in the store. `--fresh` moves a network aside; a data dir that cannot be resumed is left
// as it is, with the reason.
import assert from 'node:assert/strict'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import Database from 'better-sqlite3'
import { createWalletClient, http, parseAbiItem, parseEther, toHex, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { sentBundlesOf } from '../../src/indexer/sentBundles.js'
import { ChainConnection, defineJunctionChain } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { CHECKPOINTS_DIR, findLatestCheckpoint } from '../../src/durability/checkpointFiles.js'
import { DataDirInUseError } from '../../src/errors/durability.js'
import { startNetwork } from '../../src/network/startNetwork.js'
import type { NetworkManifest } from '../../src/network/types.js'
import { nodeManifest } from '../../src/network/privateChains.js'
import { BundleStatus, formatInteroperableAddress } from '../../src/protocol/index.js'
import { sendMessage } from '../../src/sdk/index.js'
import { openStore } from '../../src/store/openStore.js'
import { eventually, sleep } from '../support/e2e.js'
import { childPids, commandLine, isGone, runJunction, spawnJunction, waitUntilGone, type JunctionProcess } from '../support/junctionProcess.js'
import { chainNamed, walletFor } from '../support/testNetwork.js'

const BUNDLE_EXECUTED = parseAbiItem('event BundleExecuted(bytes32 indexed bundleHash, uint256 indexed sourceChainId)')

const tmpDirs: string[] = []
const running = new Set<JunctionProcess>()
const allAnvils: number[] = []

after(async () => {
  for (const junction of running) if (!junction.done) await junction.killGroup('SIGKILL')
  const left = await waitUntilGone(allAnvils, 3_000)
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true })
  assert.deepEqual(left, [], 'no anvil started by these tests is left running')
})

function tmpDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-resume-'))
  tmpDirs.push(dir)
  return dir
}

type Up = { junction: JunctionProcess; anvils: number[]; manifest: NetworkManifest }

/** Runs `junction up ...args` until it is ready; returns it with the pids of its anvils. */
async function up(args: string[]): Promise<Up> {
  const junction = spawnJunction(['up', ...args])
  running.add(junction)
  await junction.waitForLine(/ready in [\d.]+ s/, 60_000)
  const anvils = childPids(junction.pid).filter((pid) => /(^|\/)anvil$/.test(commandLine(pid)?.[0] ?? ''))
  allAnvils.push(...anvils)
  const dataDir = args[args.indexOf('--data-dir') + 1]!
  return { junction, anvils, manifest: JSON.parse(readFileSync(join(dataDir, 'network.json'), 'utf8')) as NetworkManifest }
}

/** The network's pieces the tests look at: beta's handler and a recipient, alpha's center. */
function networkView(manifest: NetworkManifest, recipient: Address) {
  const alpha = new ChainConnection(chainNamed({ manifest }, 'alpha'))
  const beta = new ChainConnection(chainNamed({ manifest }, 'beta'))
  const handler = manifest.l2Contracts.interopHandler
  const sentOnAlpha = async () => sentBundlesOf(await alpha.client.getLogs({ address: manifest.l2Contracts.interopCenter, fromBlock: 0n, toBlock: 'latest' }), manifest.l2Contracts.interopCenter)
  return {
    alpha,
    beta,
    received: () => beta.client.readContract({ address: recipient, abi: c.standardRecipientAbi, functionName: 'received' }) as Promise<bigint>,
    /** The handler's status of a bundle (its bytes: its status is kept under its number on its route and its hash). */
    statusOf: (bundle: Hex) => beta.client.readContract({ address: handler, abi: c.interopHandlerAbi, functionName: 'bundleStatus', args: [bundle] }) as Promise<number>,
    /** The handler's status of a bundle alpha holds as sent (its bytes from alpha's logs). */
    status: async (bundleHash: Hex) => {
      const sent = (await sentOnAlpha()).find((bundle) => bundle.bundleHash === bundleHash)
      if (!sent) throw new Error(`alpha holds no bundle sent with hash ${bundleHash}`)
      return beta.client.readContract({ address: handler, abi: c.interopHandlerAbi, functionName: 'bundleStatus', args: [sent.bundle] }) as Promise<number>
    },
    /** Bundles to `recipient`'s chain that alpha holds as sent (in its logs). */
    sentOnAlpha: async () => (await sentOnAlpha()).filter((bundle) => bundle.destinationChainId === BigInt(beta.chainId)).map((bundle) => bundle.bundleHash),
    /** How many BundleExecuted events beta holds per bundle. */
    executionsOnBeta: async () => {
      const counts = new Map<Hex, number>()
      for (const log of await beta.client.getLogs({ address: handler, event: BUNDLE_EXECUTED, fromBlock: 0n, toBlock: 'latest' })) counts.set(log.args.bundleHash!, (counts.get(log.args.bundleHash!) ?? 0) + 1)
      return counts
    },
  }
}

async function deployRecipient(manifest: NetworkManifest): Promise<Address> {
  const beta = new ChainConnection(chainNamed({ manifest }, 'beta'))
  return (await beta.deploy(manifest.accounts.users[0]!.privateKey, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [manifest.l2Contracts.interopCenter], action: 'deploy StandardRecipient' })).address
}

/** Waits until every bundle in `hashes` is executed once on beta, then checks it stays so (on chain and in the store). */
async function assertDeliveredOnce(dataDir: string, view: ReturnType<typeof networkView>, hashes: readonly Hex[]): Promise<void> {
  await eventually('every kept message executed on beta', async () => ((await view.received()) >= BigInt(hashes.length) ? true : undefined), { timeoutMs: 45_000, intervalMs: 100 })
  await sleep(1_000)
  assert.equal(await view.received(), BigInt(hashes.length), 'the recipient counts each message once')
  assert.deepEqual(await Promise.all(hashes.map(view.status)), hashes.map(() => BundleStatus.Executed), 'every bundle is Executed on beta')
  const executions = await view.executionsOnBeta()
  assert.deepEqual(hashes.map((hash) => executions.get(hash) ?? 0), hashes.map(() => 1), 'one BundleExecuted event per bundle on beta')
  const store = openStore(join(dataDir, 'junction.db'))
  try {
    const stored = () => new Map((store.prepare('SELECT bundle_hash AS hash, count(*) AS n FROM bundles_executed WHERE chain_id = ? GROUP BY bundle_hash').all(view.beta.chainId) as { hash: Hex; n: number }[]).map((row) => [row.hash.toLowerCase(), row.n]))
    await eventually('the store to record every execution', () => (hashes.every((hash) => stored().has(hash.toLowerCase())) ? true : undefined), { timeoutMs: 10_000 })
    assert.deepEqual(hashes.map((hash) => stored().get(hash.toLowerCase())), hashes.map(() => 1), 'bundles_executed has every bundle once')
  } finally {
    store.close()
  }
}

test('a network stopped with Ctrl-C resumes where it was: same RPC URLs, contracts, balances, delivered messages, and the ones in flight delivered once', async (t) => {
  const dataDir = tmpDataDir()
  const first = await up(['--base-port', '0', '--data-dir', dataDir])
  const { manifest } = first
  const recipient = await deployRecipient(manifest)
  const view = networkView(manifest, recipient)
  // An ETH transfer on L1 to a fresh address, and messages alpha → beta: some delivered, some in flight.
  const l1 = new ChainConnection(manifest.l1)
  const payee = privateKeyToAccount(generatePrivateKey()).address
  const l1Wallet = createWalletClient({ account: privateKeyToAccount(manifest.accounts.users[1]!.privateKey), chain: defineJunctionChain(manifest.l1.chainId, 'l1', manifest.l1.rpcUrl), transport: http(manifest.l1.rpcUrl) })
  await l1.waitForReceipt(await l1Wallet.sendTransaction({ to: payee, value: parseEther('1.234') }))
  const wallets = manifest.accounts.users.slice(2, 5).map((user) => walletFor(chainNamed({ manifest }, 'alpha'), user.privateKey))
  const send = async (text: string, wallet = wallets[0]!) => (await sendMessage(wallet, { recipient: { chainId: view.beta.chainId, address: recipient }, payload: toHex(text), interopCenter: manifest.l2Contracts.interopCenter })).bundleHash
  const delivered: Hex[] = []
  for (let i = 0; i < 4; i++) delivered.push(await send(`before the stop ${i}`))
  await eventually('the first messages delivered', async () => ((await view.received()) === 4n ? true : undefined), { timeoutMs: 30_000, intervalMs: 50 })
  // Sent together just before the stop: they cannot all be delivered by then.
  const inFlight = (await Promise.all(wallets.map(async (wallet, u) => [await send(`in flight at the stop, 1 of user ${u}`, wallet), await send(`in flight at the stop, 2 of user ${u}`, wallet)]))).flat()

  const exit = await first.junction.killGroup('SIGINT')
  assert.deepEqual(exit, { code: 130, signal: null }, first.junction.stderr())
  assert.match(first.junction.stdout(), /junction: final checkpoint \d+ written \([\d.]+ MB in .*\); `junction up` resumes from it/)
  assert.deepEqual(await waitUntilGone(first.anvils, 3_000), [], 'every anvil is gone')
  // What the final checkpoint holds: the messages sent, three of them not executed yet.
  const final = findLatestCheckpoint(join(dataDir, CHECKPOINTS_DIR)).checkpoint!
  assert.equal(final.meta.reason, 'stop')
  const pendingAtStop = pendingIn(join(final.dir, final.meta.store.file), inFlight)
  t.diagnostic(`at the stop: ${pendingAtStop} of ${inFlight.length} messages in flight in the final checkpoint's store`)
  assert.ok(pendingAtStop > 0, 'messages were in flight at the stop')

  const second = await up(['--data-dir', dataDir])
  const out = second.junction.stdout()
  assert.match(out, new RegExp(`junction: resumed from checkpoint ${final.meta.sequence}, taken \\S+ at a clean stop: nothing rolled back`), out)
  assert.deepEqual(JSON.parse(readFileSync(join(dataDir, 'network.json'), 'utf8')), manifest, 'the manifest is the same')
  for (const chain of [manifest.l1, ...manifest.chains]) {
    assert.match(out, new RegExp(`^${chain.name}\\s+${chain.chainId}\\s.*\\s${chain.rpcUrl}\\s`, 'm'), `${chain.name} is listed on ${chain.rpcUrl}`)
    assert.equal(Number(await new ChainConnection(chain).client.getChainId()), chain.chainId, `${chain.name} answers on the RPC URL of the manifest`)
  }
  for (const chain of final.meta.chains) {
    // On the raw nodes (the manifest's services part): a private chain's proxy shows blocks to a session only.
    const nodes = nodeManifest(manifest)
    const block = await new ChainConnection([nodes.l1, ...nodes.chains].find((c) => c.name === chain.name)!).client.getBlock({ blockNumber: BigInt(chain.head) })
    assert.equal(block.hash, chain.headHash, `${chain.name} holds its block ${chain.head} as before the stop`)
  }
  assert.equal(await l1.client.getBalance({ address: payee }), parseEther('1.234'), 'the L1 balance is there')
  assert.ok((await view.beta.client.getCode({ address: recipient }))!.length > 2, "the recipient's code is there")
  assert.deepEqual(await Promise.all(delivered.map(view.status)), delivered.map(() => BundleStatus.Executed), 'the delivered messages are still executed')

  // The network goes on: the messages in flight arrive, a new one too, each once.
  const afterwards = await send('after the resume')
  await assertDeliveredOnce(dataDir, view, [...delivered, ...inFlight, afterwards])

  assert.deepEqual(await second.junction.killGroup('SIGTERM'), { code: 143, signal: null }, second.junction.stderr())
  assert.deepEqual(await waitUntilGone(second.anvils, 3_000), [])
})

/** How many of `hashes` a checkpoint's store knows as sent and not executed. */
function pendingIn(storeFile: string, hashes: readonly Hex[]): number {
  const image = readFileSync(storeFile)
  image[18] = 1 // a WAL database's image opens in memory as a rollback-journal one
  image[19] = 1
  const db = new Database(image)
  try {
    const pending = new Set((db.prepare('SELECT bundle_hash FROM pending_bundles').all() as { bundle_hash: string }[]).map((row) => row.bundle_hash.toLowerCase()))
    return hashes.filter((hash) => pending.has(hash.toLowerCase())).length
  } finally {
    db.close()
  }
}

test('a network whose process group is SIGKILLed resumes from its last checkpoint, says what it rolled back, and delivers every message it kept exactly once', async (t) => {
  const dataDir = tmpDataDir()
  const first = await up(['--base-port', '0', '--data-dir', dataDir, '--checkpoint-interval-ms', '300'])
  const { manifest } = first
  const recipient = await deployRecipient(manifest)
  const view = networkView(manifest, recipient)
  const users = manifest.accounts.users.slice(0, 3)
  // Three users send, paced, until the network dies under them.
  let sending = true
  const sent: Hex[] = []
  // The bytes of each bundle sent: a rolled-back one is gone from alpha, and the handler reads statuses with the bytes.
  const bytesOf = new Map<Hex, Hex>()
  // Through a connection that gives up at once when alpha is gone (a viem wallet would poll for minutes).
  const recipient7930 = formatInteroperableAddress({ chainId: BigInt(view.beta.chainId), address: recipient })
  const senders = users.map(async (user, u) => {
    for (let i = 0; sending; i++) {
      try {
        const receipt = await view.alpha.write(user.privateKey, { address: manifest.l2Contracts.interopCenter, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [recipient7930, toHex(`message ${i} of user ${u}`), []] })
        const { bundleHash, bundle } = sentBundlesOf(receipt.logs, manifest.l2Contracts.interopCenter)[0]!
        sent.push(bundleHash)
        bytesOf.set(bundleHash, bundle)
      } catch {
        return // the chain is gone
      }
      await sleep(80)
    }
  })
  await eventually('messages delivered while others are sent', async () => ((await view.received()) >= 6n ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 })
  // On a loaded machine a checkpoint can lag the traffic: kill once the newest one holds messages in flight.
  await eventually('a checkpoint taken with messages in flight', async () => {
    const newest = findLatestCheckpoint(join(dataDir, CHECKPOINTS_DIR)).checkpoint
    return newest && pendingIn(join(newest.dir, newest.meta.store.file), sent) > 0 ? true : undefined
  }, { timeoutMs: 30_000, intervalMs: 50 })
  const exit = await first.junction.killGroup('SIGKILL')
  sending = false
  assert.equal(exit.signal, 'SIGKILL')
  await Promise.all(senders)
  assert.deepEqual(await waitUntilGone(first.anvils, 3_000), [], 'every anvil died with junction up')
  const latest = findLatestCheckpoint(join(dataDir, CHECKPOINTS_DIR)).checkpoint!
  assert.notEqual(latest.meta.reason, 'stop', 'no final checkpoint after a SIGKILL')
  const pendingAtCheckpoint = pendingIn(join(latest.dir, latest.meta.store.file), sent)
  t.diagnostic(`at the kill: ${sent.length} messages sent; the last checkpoint (${latest.meta.sequence}) has ${pendingAtCheckpoint} of them in flight`)
  assert.ok(pendingAtCheckpoint > 0, 'messages were in flight in the checkpoint resumed from')

  const second = await up(['--data-dir', dataDir, '--checkpoint-interval-ms', '300'])
  const out = second.junction.stdout()
  assert.match(out, new RegExp(`junction: resumed from checkpoint ${latest.meta.sequence}, taken ${latest.meta.takenAt.replace(/\./g, '\\.')}; the network had ended without a final checkpoint`), out)
  for (const chain of latest.meta.chains) assert.match(out, new RegExp(`^  ${chain.name}\\s+checkpoint at block ${chain.head}\\b`, 'm'), `the head of ${chain.name} at the checkpoint (and before, if it was indexed)\n${out}`)
  assert.match(out, /^ {2}alpha\s+checkpoint at block \d+, indexed up to block \d+ before/m, 'alpha: its head then')

  // What alpha holds after the resume is what counts: the rest was rolled back, and the report names only that.
  const kept = await view.sentOnAlpha()
  const lost = sent.filter((hash) => !kept.includes(hash))
  const reported = [...out.matchAll(/^ {4}(0x[0-9a-f]{64}) alpha → beta$/gm)].map((match) => match[1] as Hex)
  const reportedCount = Number(/(\d+) messages? (?:was|were) sent after the checkpoint/.exec(out)?.[1] ?? 0)
  t.diagnostic(`after the resume: ${kept.length} messages kept on alpha, ${lost.length} sent ones rolled back, ${reportedCount} reported as sent after the checkpoint; ${/(\d+) bundle executions? after the checkpoint undone/.exec(out)?.[1] ?? 0} executions undone`)
  assert.ok(reported.every((hash) => lost.includes(hash)), 'every message reported as gone is gone from alpha')
  assert.ok(reportedCount <= lost.length)
  assert.ok(
    kept.every((hash) => !reported.includes(hash)),
    'no message alpha kept is reported as gone',
  )
  await assertDeliveredOnce(dataDir, view, kept)
  assert.deepEqual(await Promise.all(lost.map((hash) => view.statusOf(bytesOf.get(hash)!))), lost.map(() => BundleStatus.Unreceived), 'the rolled-back messages are not executed')

  assert.deepEqual(await second.junction.killGroup('SIGTERM'), { code: 143, signal: null }, second.junction.stderr())
  assert.deepEqual(await waitUntilGone(second.anvils, 3_000), [])
})

test('`junction up --fresh` moves a network aside and says where; a damaged checkpoint is set aside for the one before; a data dir that cannot be resumed, or a network of another shape, is refused and left as it was', async () => {
  const dataDir = tmpDataDir()
  const first = await up(['--base-port', '0', '--data-dir', dataDir, '--chains', '1', '--no-gateway'])
  assert.deepEqual(await first.junction.killGroup('SIGTERM'), { code: 143, signal: null })
  await waitUntilGone(first.anvils, 3_000)

  // Another shape than the network there: refused before anything starts.
  const shape = await runJunction(['up', '--data-dir', dataDir, '--chains', '2'])
  assert.equal(shape.code, 1, shape.stdout)
  assert.match(shape.stderr, /holds a network of another shape: --chains 2, it has 1/)
  assert.match(shape.stderr, /--fresh/)
  // The API refuses to start a new network over it.
  await assert.rejects(startNetwork({ basePort: 0, dataDir, services: false }), DataDirInUseError)

  // A network without checkpoints (its manifest and store only): nothing to resume from, nothing changed.
  const bare = tmpDataDir()
  cpSync(join(dataDir, 'network.json'), join(bare, 'network.json'))
  cpSync(join(dataDir, 'junction.db'), join(bare, 'junction.db'))
  const refused = await runJunction(['up', '--data-dir', bare])
  assert.equal(refused.code, 1, refused.stdout)
  assert.match(refused.stderr, new RegExp(`Cannot resume the network in ${bare}: there is no checkpoint in ${bare}/checkpoints`))
  assert.match(refused.stderr, /Nothing was changed there\. `junction up --fresh` moves its contents aside/)
  assert.deepEqual(readdirSync(bare).sort(), ['junction.db', 'network.json'])

  // A damaged newest checkpoint: the resume says so, sets it aside and takes the one before.
  const checkpoints = join(dataDir, CHECKPOINTS_DIR)
  const newest = findLatestCheckpoint(checkpoints).checkpoint!
  assert.equal(newest.meta.reason, 'stop')
  const alphaState = join(newest.dir, 'alpha.state.json.gz')
  const bytes = readFileSync(alphaState)
  bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff
  writeFileSync(alphaState, bytes)
  const fallback = await up(['--data-dir', dataDir])
  const name = newest.dir.split('/').at(-1)!
  assert.match(fallback.junction.stdout(), new RegExp(`junction: checkpoint ${name} is damaged \\(alpha\\.state\\.json\\.gz does not match its sha256\\): set aside as ${newest.dir}\\.damaged, falling back to an older one`))
  assert.match(fallback.junction.stdout(), /junction: resumed from checkpoint \d+, taken \S+; the newer checkpoints were damaged\. Rolled back to it:/)
  assert.ok(existsSync(`${newest.dir}.damaged`))
  assert.deepEqual(await fallback.junction.killGroup('SIGTERM'), { code: 143, signal: null })
  await waitUntilGone(fallback.anvils, 3_000)

  // --fresh: the old network goes to <data-dir>/previous/<time>/, a new one starts.
  const fresh = await up(['--fresh', '--base-port', '0', '--data-dir', dataDir, '--chains', '1', '--no-gateway'])
  const moved = /junction: moved the network that was in \S+ to (\S+) \(delete it when you no longer need it\)/.exec(fresh.junction.stdout())?.[1]
  assert.ok(moved, fresh.junction.stdout())
  assert.ok(moved.startsWith(join(dataDir, 'previous')), moved)
  assert.deepEqual(readdirSync(moved).sort(), [CHECKPOINTS_DIR, 'junction.db', 'network.json', 'prividium'], 'the whole old network is there (its private chains\' proxy databases too)')
  assert.deepEqual(JSON.parse(readFileSync(join(moved, 'network.json'), 'utf8')), first.manifest)
  assert.notDeepEqual(fresh.manifest.createdAt, first.manifest.createdAt, 'a new network was deployed')
  assert.match(fresh.junction.stdout(), /junction: starting the network…/)
  assert.ok(existsSync(join(dataDir, CHECKPOINTS_DIR)))
  assert.deepEqual(await fresh.junction.killGroup('SIGTERM'), { code: 143, signal: null })
  assert.deepEqual(await waitUntilGone(fresh.anvils, 3_000), [])
  assert.ok(isGone(fresh.junction.pid))
})
