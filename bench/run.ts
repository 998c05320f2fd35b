// Junction's benchmark: `npm run bench` (or `npm run bench -- --messages 50 --swaps 10` for a quick run).
// Prints figures and writes bench/results/<date>.json. Nothing here is asserted: it measures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { spawn } from 'node:child_process'
import { createWalletClient, http, parseEventLogs, stringToHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection, defineJunctionChain } from '../src/chain/ChainConnection.js'
import * as c from '../src/contracts/generated/index.js'
import { startNetwork } from '../src/network/startNetwork.js'
import { sendMessage } from '../src/sdk/actions/sendMessage.js'
import { executeBundle, JunctionIndex, ProofNotReadyError, sendBundle, transfer, waitForMessage } from '../src/sdk/index.js'
import { encodeExecutionAddressAttribute } from '../src/protocol/index.js'
import { openStore } from '../src/store/openStore.js'
import { prepareSwapDemo, runSwapDemo } from '../src/demo/swapDemo.js'

const { values } = parseArgs({ options: { messages: { type: 'string' }, senders: { type: 'string' }, swaps: { type: 'string' } } })
const MESSAGES = Number(values.messages ?? 200)
const SENDERS = Number(values.senders ?? 4)
const SWAPS = Number(values.swaps ?? 50)

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

const dataDir = mkdtempSync(join(tmpdir(), 'junction-bench-'))
console.log(`junction bench: ${MESSAGES} messages alpha → beta from ${SENDERS} concurrent senders`)
// The services run in their own process (as `junction services`), so this process's load
// generation does not steal their event loop.
const network = await startNetwork({ basePort: 0, dataDir, chains: 2, services: false })
const services = spawn(process.execPath, ['bin/junction.js', 'services', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
await new Promise<void>((resolve, reject) => {
  services.stdout.on('data', (chunk) => (String(chunk).includes('services running') ? resolve() : undefined))
  services.on('exit', (code) => reject(new Error(`junction services exited with ${code}`)))
})
services.stdout.resume()
try {
  const { manifest } = network
  console.log(`start-up to ready: ${Math.round(network.startupMs)} ms`)
  const [alpha, beta] = manifest.chains as [typeof manifest.chains[0], typeof manifest.chains[0]]
  const betaConnection = new ChainConnection(beta)

  // Watch beta for executions, stamping each with the wall-clock time it was first seen.
  const executedAt = new Map<Hex, number>()
  const executeGas: bigint[] = []
  let watching = true
  let from = await betaConnection.client.getBlockNumber()
  const watcher = (async () => {
    while (watching) {
      const head = await betaConnection.client.getBlockNumber({ cacheTime: 0 })
      if (head > from) {
        const logs = await betaConnection.client.getLogs({ address: manifest.l2Contracts.interopHandler, fromBlock: from + 1n, toBlock: head })
        const now = performance.now()
        for (const log of parseEventLogs({ abi: c.interopHandlerAbi, logs, eventName: 'BundleExecuted' })) {
          executedAt.set((log.args as { bundleHash: Hex }).bundleHash, now)
        }
        from = head
      }
      await new Promise((r) => setTimeout(r, 5))
    }
  })()

  const sentAt = new Map<Hex, number>()
  const sendGas: bigint[] = []
  const waitFor = async (hashes: Hex[]) => {
    const deadline = performance.now() + 120_000
    while (hashes.some((h) => !executedAt.has(h)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5))
  }

  // Phase 1: one message at a time, each waited for: latency with nothing else in flight.
  const single = createWalletClient({ account: privateKeyToAccount(manifest.accounts.users[SENDERS]!.privateKey), chain: defineJunctionChain(alpha.chainId, alpha.name, alpha.rpcUrl), transport: http(alpha.rpcUrl) })
  const idleLatencies: number[] = []
  for (let i = 0; i < 10; i++) {
    const sent = await sendMessage(single, { recipient: { chainId: beta.chainId, address: manifest.l2Contracts.exampleRecipient }, payload: stringToHex(`single ${i}`), interopCenter: manifest.l2Contracts.interopCenter })
    const t = performance.now()
    await waitFor([sent.bundleHash])
    idleLatencies.push(executedAt.get(sent.bundleHash)! - t)
  }
  idleLatencies.sort((a, b) => a - b)
  const singleExecution = (await new ChainConnection(beta).client.getLogs({ address: manifest.l2Contracts.interopHandler, fromBlock: 0n })).at(-1)!
  const singleExecuteGas = (await betaConnection.client.getTransactionReceipt({ hash: singleExecution.transactionHash! })).gasUsed

  // Phase 2: MESSAGES messages from SENDERS concurrent senders.
  const perSender = Math.ceil(MESSAGES / SENDERS)
  const started = performance.now()
  await Promise.all(
    manifest.accounts.users.slice(0, SENDERS).map(async (user, s) => {
      const wallet = createWalletClient({ account: privateKeyToAccount(user.privateKey), chain: defineJunctionChain(alpha.chainId, alpha.name, alpha.rpcUrl), transport: http(alpha.rpcUrl) })
      for (let i = 0; i < perSender && s * perSender + i < MESSAGES; i++) {
        const sent = await sendMessage(wallet, {
          recipient: { chainId: beta.chainId, address: manifest.l2Contracts.exampleRecipient },
          payload: stringToHex(`bench message ${s}-${i}`),
          interopCenter: manifest.l2Contracts.interopCenter,
        })
        sentAt.set(sent.bundleHash, performance.now())
        sendGas.push(sent.receipt.gasUsed)
      }
    }),
  )
  const sendSeconds = (performance.now() - started) / 1000
  await waitFor([...sentAt.keys()])
  watching = false
  await watcher
  const totalSeconds = (performance.now() - started) / 1000
  const latencies = [...sentAt].filter(([h]) => executedAt.has(h)).map(([h, t]) => executedAt.get(h)! - t).sort((a, b) => a - b)
  const missing = sentAt.size - latencies.length

  // Gas of phases 1 and 2 (before the bundle and swap phases add their own): executions on beta
  // (per bundle, batched by the relayer), settlement on L1 (per batch), from the services' store.
  const store = openStore(join(dataDir, 'junction.db'))
  const executionTxs = store.prepare('SELECT tx_hash, COUNT(*) AS n FROM bundles_executed WHERE chain_id = ? GROUP BY tx_hash').all(beta.chainId) as { tx_hash: Hex; n: number }[]
  let executedBundles = 0
  for (const row of executionTxs) {
    executeGas.push((await betaConnection.client.getTransactionReceipt({ hash: row.tx_hash })).gasUsed)
    executedBundles += row.n
  }
  const l1 = new ChainConnection(manifest.l1)
  const batches = store.prepare('SELECT commit_tx, prove_tx, execute_tx FROM batches WHERE status = ?').all('executed') as { commit_tx: Hex; prove_tx: Hex; execute_tx: Hex }[]
  const l1Txs = new Set(batches.flatMap((b) => [b.commit_tx, b.prove_tx, b.execute_tx]))
  let l1Gas = 0n
  for (const hash of l1Txs) l1Gas += (await l1.client.getTransactionReceipt({ hash })).gasUsed
  const messagesSettled = (store.prepare(`SELECT COUNT(*) AS n FROM message_leaves`).get() as { n: number }).n

  // Bundles of 1 and 10 calls, restricted to an executor of ours so the relayer leaves them: gas of sending and executing each.
  const executor = manifest.accounts.users[0]!
  const index = new JunctionIndex(manifest)
  const bundleGas: Record<string, { send: number; execute: number }> = {}
  for (const size of [1, 10]) {
    const sent = await sendBundle(single, {
      destinationChainId: beta.chainId,
      calls: Array.from({ length: size }, (_, i) => ({ to: manifest.l2Contracts.exampleRecipient, data: stringToHex(`bundle call ${i}`) })),
      attributes: [encodeExecutionAddressAttribute({ chainId: beta.chainId, address: executor.address })],
      interopCenter: manifest.l2Contracts.interopCenter,
    })
    const betaWallet = createWalletClient({ account: privateKeyToAccount(executor.privateKey), chain: defineJunctionChain(beta.chainId, beta.name, beta.rpcUrl), transport: http(beta.rpcUrl) })
    let executed
    for (const deadline = performance.now() + 60_000; !executed && performance.now() < deadline; ) {
      executed = await executeBundle(betaWallet, index, { bundleHash: sent.bundleHash }).catch((error: unknown) => {
        if (error instanceof ProofNotReadyError) return undefined
        throw error
      })
      if (!executed) await new Promise((r) => setTimeout(r, 50))
    }
    bundleGas[`${size}`] = { send: Number(sent.receipt.gasUsed), execute: Number(executed!.receipt.gasUsed) }
  }

  // One-click cross-chain swaps (src/demo/swapDemo.ts), one at a time: signature on alpha → Y observed on alpha.
  const swapTimes: number[] = []
  let transferGas: { source: number; destination: number } | undefined
  if (SWAPS > 0) {
    const swapSetup = await prepareSwapDemo({ manifest, userAmount: BigInt(SWAPS + 1) * 1_000n })
    for (let i = 0; i < SWAPS; i++) {
      const swap = await runSwapDemo({ manifest, setup: swapSetup, index, amount: 1_000n })
      if (swap.outcome !== 'swapped') throw new Error(`swap ${i} was refunded: ${swap.refundReason}`)
      swapTimes.push(swap.totalMs)
    }
    swapTimes.sort((a, b) => a - b)
    // A chain → chain token transfer alone: gas on the source (sendBundle with the indirect call) and on the destination (its execution).
    const moved = await transfer(createWalletClient({ account: privateKeyToAccount(swapSetup.user.privateKey), chain: defineJunctionChain(alpha.chainId, alpha.name, alpha.rpcUrl), transport: http(alpha.rpcUrl) }), {
      manifest,
      assetId: swapSetup.assetX,
      amount: 1_000n,
      destinationChainId: beta.chainId,
    })
    const arrived = await waitForMessage(index, { bundleHash: moved.bundleHash, timeoutMs: 60_000 })
    transferGas = { source: Number(moved.receipt.gasUsed), destination: Number((await betaConnection.client.getTransactionReceipt({ hash: arrived.executedIn! })).gasUsed) }
  }

  
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30), node: process.version },
    command: `npm run bench -- --messages ${MESSAGES} --senders ${SENDERS} --swaps ${SWAPS}`,
    startupMs: Math.round(network.startupMs),
    idleLatencyMs: { count: idleLatencies.length, p50: round(percentile(idleLatencies, 50)), max: round(idleLatencies.at(-1) ?? 0) },
    latencyMs: { count: latencies.length, missing, p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1) ?? 0) },
    swapMs: { count: swapTimes.length, p50: swapTimes.length ? round(percentile(swapTimes, 50)) : null, max: swapTimes.length ? round(swapTimes.at(-1)!) : null },
    throughput: { sendSeconds: round(sendSeconds, 2), totalSeconds: round(totalSeconds, 2), deliveredPerSecond: round(latencies.length / totalSeconds) },
    gas: {
      sendMessage: sendGas.length ? Number(sendGas.reduce((a, b) => a + b, 0n) / BigInt(sendGas.length)) : 0,
      executeBundleOneCall: Number(singleExecuteGas),
      executeBundlesPerBundle: executedBundles ? Math.round(Number(executeGas.reduce((a, b) => a + b, 0n)) / executedBundles) : 0,
      executeBundlesTransactions: executionTxs.length,
      bundles: bundleGas,
      transferChainToChain: transferGas,
      l1: { batches: batches.length, transactions: l1Txs.size, total: Number(l1Gas), perBatch: batches.length ? Math.round(Number(l1Gas) / batches.length) : 0, perMessage: messagesSettled ? Math.round(Number(l1Gas) / messagesSettled) : 0 },
    },
    notes: 'Latency: from the send transaction receipt to the first sight of BundleExecuted on beta (5 ms polling). Services run in their own process. Settlement uses the development verifier (not a zero-knowledge proof).',
  }
  console.log()
  console.log(`| figure | value |\n|---|---|`)
  console.log(`| start-up to ready | ${results.startupMs} ms |`)
  console.log(`| latency alpha → beta, one message at a time (p50 / max of ${idleLatencies.length}) | ${results.idleLatencyMs.p50} / ${results.idleLatencyMs.max} ms |`)
  console.log(`| latency alpha → beta, send receipt → executed (p50 / p95 / p99 / max) | ${results.latencyMs.p50} / ${results.latencyMs.p95} / ${results.latencyMs.p99} / ${results.latencyMs.max} ms over ${latencies.length} messages (${missing} missing) |`)
  if (swapTimes.length) console.log(`| one-click swap alpha → beta → alpha, signature → Y on alpha (p50 / max of ${swapTimes.length}) | ${results.swapMs.p50} / ${results.swapMs.max} ms |`)
  console.log(`| delivered per second (whole run) | ${results.throughput.deliveredPerSecond} |`)
  console.log(`| gas: sendMessage | ${results.gas.sendMessage} |`)
  console.log(`| gas: executeBundle, a one-call bundle alone | ${results.gas.executeBundleOneCall} |`)
  console.log(`| gas per one-call bundle when the relayer batches (executeBundles, ${results.gas.executeBundlesTransactions} txs) | ${results.gas.executeBundlesPerBundle} |`)
  for (const [size, gas] of Object.entries(bundleGas)) console.log(`| gas: sendBundle / executeBundle with ${size} call(s) | ${gas.send} / ${gas.execute} |`)
  if (transferGas) console.log(`| gas: token transfer chain → chain, source / destination (executed alone) | ${transferGas.source} / ${transferGas.destination} |`)
  console.log(`| L1 gas per batch (commit + prove + execute, amortised over ${results.gas.l1.batches} batches in ${results.gas.l1.transactions} txs) | ${results.gas.l1.perBatch} |`)
  console.log(`| L1 gas per message (this run) | ${results.gas.l1.perMessage} |`)
  mkdirSync('bench/results', { recursive: true })
  const file = join('bench/results', `${results.date.slice(0, 10)}.json`)
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n')
  console.log(`\nwrote ${file}`)
  store.close()
} finally {
  services.kill('SIGTERM')
  await new Promise((r) => services.once('exit', r))
  await network.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
