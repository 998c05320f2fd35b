// End to end, on real chains: the off-chain services run as a separate `junction services` process
// that is SIGKILLed twice while messages travel (once while batches are being settled, once while
// the relayer is executing), and restarted on the same data dir each time. On chain and in the
// store, every message ends up delivered exactly once.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { parseAbiItem, toHex, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { startNetwork, type RunningNetwork } from '../../src/network/startNetwork.js'
import { BundleStatus } from '../../src/protocol/index.js'
import { sendMessage } from '../../src/sdk/index.js'
import { openStore, type Store } from '../../src/store/openStore.js'
import { eventually, sleep } from '../support/e2e.js'
import { isGone, spawnJunction, waitUntilGone, type JunctionProcess } from '../support/junctionProcess.js'
import { chainNamed, walletFor } from '../support/testNetwork.js'

const MESSAGES_PER_USER = 10
const USERS = 3
const TOTAL = MESSAGES_PER_USER * USERS

const BUNDLE_EXECUTED = parseAbiItem('event BundleExecuted(bytes32 indexed bundleHash, uint256 indexed sourceChainId)')

let dataDir: string
let network: RunningNetwork | undefined
let anvilPids: number[] = []
let services: JunctionProcess | undefined
/** Every services process started, in order (their output is printed when the test fails). */
const started: JunctionProcess[] = []
const serviceLogs = () => started.map((p) => `--- junction services, pid ${p.pid}\n${p.stdout()}${p.stderr()}`).join('\n')

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'junction-durability-'))
  network = await startNetwork({ basePort: 0, dataDir, services: false })
  anvilPids = network.processes.map((p) => p.pid!).filter((pid) => pid !== undefined)
})

after(async () => {
  if (services && !services.done) await services.kill('SIGKILL')
  await network?.stop()
  const left = await waitUntilGone(anvilPids, 3_000)
  rmSync(dataDir, { recursive: true, force: true })
  assert.deepEqual(left, [], 'no anvil of this test is left running')
})

/** Starts `junction services` on the test's data dir and waits until its loop runs. */
async function startServices(): Promise<JunctionProcess> {
  const junction = spawnJunction(['services', '--data-dir', dataDir])
  services = junction
  started.push(junction)
  await junction.waitForLine(/services running/, 20_000)
  return junction
}

/** SIGKILLs the services process: no handler runs, nothing is flushed. */
async function killServices(): Promise<void> {
  const exit = await services!.kill('SIGKILL')
  assert.equal(exit.signal, 'SIGKILL')
}

test('the relayer killed mid-flight resumes and delivers everything exactly once', async (t) => {
  const manifest = network!.manifest
  const alpha = chainNamed(network!, 'alpha')
  const beta = new ChainConnection(chainNamed(network!, 'beta'))
  const users = manifest.accounts.users.slice(0, USERS)
  assert.equal(users.length, USERS, `the manifest has ${USERS} user accounts`)
  const { address: recipient } = await beta.deploy(users[0]!.privateKey, {
    abi: c.standardRecipientAbi,
    bytecode: c.standardRecipientBytecode,
    args: [manifest.l2Contracts.interopCenter],
    action: 'deploy StandardRecipient',
  })
  const received = () => (beta.client.readContract({ address: recipient, abi: c.standardRecipientAbi, functionName: 'received' }) as Promise<bigint>)
  // The handler's status of a bundle (its bytes: the status is kept under its number on its route and its hash).
  const bundleStatus = (bundle: Hex) =>
    (beta.client.readContract({ address: manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi, functionName: 'bundleStatus', args: [bundle] }) as Promise<number>)
  // A second connection to the services' SQLite store, read while they run (WAL allows it).
  const store: Store = openStore(join(dataDir, 'junction.db'))
  t.after(() => store.close())
  const batchesOf = (chainId: number) => store.prepare('SELECT batch_number, status FROM batches WHERE chain_id = ? AND batch_number > 0 ORDER BY batch_number').all(chainId) as { batch_number: number; status: string }[]

  try {
    await startServices()

    // Three users send concurrently, each one message after the other, each payload distinct.
    const sent: { bundleHash: Hex; bundle: Hex; payload: Hex }[] = []
    const sending = Promise.all(
      users.map(async (user, u) => {
        const wallet = walletFor(alpha, user.privateKey)
        for (let i = 0; i < MESSAGES_PER_USER; i++) {
          const payload = toHex(`message ${i} of user ${u} (${user.address})`)
          const { bundleHash, bundle } = await sendMessage(wallet, { recipient: { chainId: beta.chainId, address: recipient }, payload, interopCenter: manifest.l2Contracts.interopCenter })
          sent.push({ bundleHash, bundle, payload })
          // Paced, so that messages are still being sent (and relayed) when the services are killed.
          await sleep(150)
        }
      }),
    )
    // Sending fails loudly but only once we await it below; don't let it go unhandled meanwhile.
    sending.catch(() => {})

    // Kill 1: right after the first sends, once a batch is on its way through settlement (committed
    // on L1, usually not yet executed there).
    await eventually('a few messages sent', () => (sent.length >= 6 ? true : undefined), { timeoutMs: 20_000, intervalMs: 5 })
    await eventually('a batch of alpha committed', () => (batchesOf(alpha.chainId).some((b) => b.status !== 'sealed') ? true : undefined), { timeoutMs: 20_000, intervalMs: 2 })
    await killServices()
    const atKill1 = { sent: sent.length, received: await received(), batches: batchesOf(alpha.chainId).map((b) => `${b.batch_number}:${b.status}`).join(' ') }
    t.diagnostic(`kill 1: ${atKill1.sent} sent, ${atKill1.received} received, alpha batches ${atKill1.batches}`)

    // Kill 2: while the relayer is executing.
    await startServices()
    await eventually('some messages executed', async () => ((await received()) >= 1n ? true : undefined), { timeoutMs: 30_000, intervalMs: 5 })
    await killServices()
    const atKill2 = { sent: sent.length, received: await received() }
    t.diagnostic(`kill 2: ${atKill2.sent} sent, ${atKill2.received} received`)
    assert.ok(atKill2.received < BigInt(TOTAL), `the second kill happened mid-flight (${atKill2.received} of ${TOTAL} executed)`)

    await startServices()
    await sending
    assert.equal(sent.length, TOTAL)
    assert.equal(new Set(sent.map((s) => s.bundleHash)).size, TOTAL, 'every message has its own bundle hash')

    await eventually('every message executed on beta', async () => ((await received()) === BigInt(TOTAL) ? true : undefined), { timeoutMs: 40_000, intervalMs: 50 })
    const statuses = await Promise.all(sent.map((s) => bundleStatus(s.bundle)))
    assert.deepEqual(statuses, sent.map(() => BundleStatus.Executed), 'every bundle is Executed on beta')

    // The services keep running: nothing is executed a second time.
    await sleep(1_500)
    assert.equal(await received(), BigInt(TOTAL), 'the recipient still counts each message once')

    // Each payload arrived once: the multiset of Received payloads is the set sent.
    const receivedLogs = await beta.client.getLogs({ address: recipient, event: c.standardRecipientAbi.find((x) => x.type === 'event' && x.name === 'Received') as never, fromBlock: 0n, toBlock: 'latest' })
    const payloads = receivedLogs.map((log) => (log as unknown as { args: { payload: Hex } }).args.payload).sort()
    assert.deepEqual(payloads, sent.map((s) => s.payload).sort(), 'each payload was received exactly once')

    // One BundleExecuted event per bundle on beta.
    const executedLogs = await beta.client.getLogs({ address: manifest.l2Contracts.interopHandler, event: BUNDLE_EXECUTED, fromBlock: 0n, toBlock: 'latest' })
    const executedHashes = executedLogs.map((log) => log.args.bundleHash!).filter((hash) => sent.some((s) => s.bundleHash === hash))
    assert.deepEqual(executedHashes.sort(), sent.map((s) => s.bundleHash).sort(), 'one BundleExecuted event per bundle')

    // The store recorded each execution once (the indexer may lag a little behind the chain).
    const sentHashes = sent.map((s) => s.bundleHash.toLowerCase()).sort()
    const storedExecutions = () =>
      store.prepare('SELECT lower(bundle_hash) AS hash, count(*) AS n FROM bundles_executed WHERE chain_id = ? GROUP BY lower(bundle_hash)').all(beta.chainId) as { hash: string; n: number }[]
    await eventually('the store to record every execution', () => (storedExecutions().filter((r) => sentHashes.includes(r.hash)).length === TOTAL ? true : undefined), { timeoutMs: 10_000 })
    const stored = storedExecutions().filter((r) => sentHashes.includes(r.hash))
    assert.deepEqual(stored.map((r) => r.hash).sort(), sentHashes, 'bundles_executed has every bundle')
    assert.ok(stored.every((r) => r.n === 1), 'bundles_executed has every bundle exactly once')
    const delivered = store.prepare(`SELECT count(*) AS n FROM deliveries WHERE status = 'executed'`).get() as { n: number }
    t.diagnostic(`deliveries recorded as executed: ${delivered.n} of ${TOTAL}`)

    // The last one is stopped the polite way.
    const last = services!
    const exit = await last.kill('SIGTERM')
    assert.equal(exit.code, 143, `junction services exits with 128 + SIGTERM\n${last.stderr()}`)
    assert.ok(isGone(last.pid))
    // What the services reported while recovering (they log each error and retry).
    const reported = started.flatMap((p) => p.stderr().split('\n').filter(Boolean).map((line) => line.replace(/^\[[^\]]+\] /, '')))
    t.diagnostic(`services reported ${reported.length} errors${reported.length ? `: ${[...new Set(reported)].slice(0, 5).join(' | ')}` : ''}`)
  } catch (error) {
    if (services && !services.done) await services.kill('SIGKILL')
    console.log(serviceLogs())
    throw error
  }
})
