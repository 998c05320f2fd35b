// The permissioned RPC's cost (issue 14): eth_call and eth_sendRawTransaction rates through the proxy
// against the raw node behind it, and the latency an authorised eth_call gains. One anvil (as Junction
// starts its chains), the proxy as its own process (`junction private serve`, as it would run), a load
// from this process: node and proxy rounds alternate, so that a drift of the machine hits both.
// Run alone: `npx tsx bench/measure/prividiumProxy.ts [--calls N] [--sends N] [--rounds N]`.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseGwei, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { BlockProducer } from '../../src/sequencer/BlockProducer.js'
import { cpuMs } from '../lib/cpu.js'
import { createAnvil } from '../../src/chain/process/index.js'
import { testTokenAbi, testTokenBytecode } from '../../src/contracts/generated/index.js'
import { defaultPrividiumConfig } from '../../src/prividium/defaultConfig.js'
import { signInWithEthereum } from '../../src/prividium/PrividiumApiClient.js'
import { makeFundedKeys } from '../../src/testing/load/load.js'
import { percentile, round } from '../../src/testing/load/stats.js'


/** Longest wait for a round's transfers to be mined (ms). */
const MINED_WAIT_MS = 120_000
export type PrividiumProxyResult = {
  /** eth_call balanceOf(own wallet) per second, `concurrency` in flight. */
  callRate: { node: number; proxy: number; ratio: number }
  /** Token transfers accepted (and mined by Junction's block producer) per second, one sequence per sender, `senders` in parallel. */
  sendRate: { node: number; proxy: number; ratio: number }
  /** p50 of one eth_call at a time, and what the proxy adds (target ≤ 1 ms). */
  callLatencyMs: { node: number; proxy: number; added: number }
  /**
   * CPU milliseconds per request (Linux /proc, 10 ms ticks summed over the rounds; the load's from
   * `process.cpuUsage`): anvil's and the load's when called directly, and the proxy's too when proxied.
   * On a machine whose cores are all busy, a proxied rate is at best about node rate × (anvil + load) /
   * (anvil + load + proxy).
   */
  cpuMsPerRequest: { call: RequestCpu; send: RequestCpu }
  /** The machine's 1-minute load average at the start and at the end of the run. */
  loadAverage: { start: number; end: number }
  calls: number
  sends: number
  rounds: number
  concurrency: number
  senders: number
  note: string
}

/** CPU per request of anvil and of the load (this process) when anvil is called directly, and of anvil, the load and the proxy when proxied. */
export type RequestCpu = { anvilDirect: number; loadDirect: number; anvilBehindProxy: number; loadBehindProxy: number; proxy: number }

const CHAIN_ID = 9_140

/** Sums the CPU the processes use while `work` runs, per name. */
async function metered<T>(pids: { anvil: number | undefined; proxy: number | undefined }, into: { anvil: number; proxy: number; load: number }, work: () => Promise<T>): Promise<T> {
  const before = { anvil: pids.anvil === undefined ? undefined : cpuMs(pids.anvil), proxy: pids.proxy === undefined ? undefined : cpuMs(pids.proxy) }
  const load = process.cpuUsage()
  const result = await work()
  const used = process.cpuUsage(load)
  into.load += (used.user + used.system) / 1_000
  for (const name of ['anvil', 'proxy'] as const) {
    const pid = pids[name]
    const start = before[name]
    const end = pid === undefined ? undefined : cpuMs(pid)
    if (start !== undefined && end !== undefined) into[name] += end - start
  }
  return result
}

/** Starts anvil and the proxy, measures, stops both. */
export async function measurePrividiumProxy(parameters: { calls?: number; sends?: number; rounds?: number; concurrency?: number; senders?: number } = {}): Promise<PrividiumProxyResult> {
  const calls = parameters.calls ?? 2_000
  const sends = parameters.sends ?? 400
  const rounds = parameters.rounds ?? 3
  const concurrency = parameters.concurrency ?? 8
  const senders = parameters.senders ?? 4
  const loadAtStart = loadavg()[0]!
  const dir = mkdtempSync(join(tmpdir(), 'junction-bench-prividium-'))
  // As Junction runs a chain: automine off, its block producer mines (automine lost transactions under
  // this load: a nonce gap, and every later transfer of that sender waited for ever).
  const anvil = createAnvil({ chainId: CHAIN_ID, port: 0, name: 'prividium-bench', noMining: true })
  await anvil.start()
  const node = createPublicClient({ transport: http(anvil.rpcUrl) }) as PublicClient
  const producer = new BlockProducer({ name: 'prividium-bench', chainId: CHAIN_ID, rpcUrl: anvil.rpcUrl, onError: (error) => console.error('prividium-bench block producer:', error) })
  await producer.start()
  let proxy: { url: string; child: ChildProcess } | undefined
  try {
    const keys = await makeFundedKeys('prividium', senders, [anvil.rpcUrl])
    const accounts = keys.map((key) => privateKeyToAccount(key))
    const chain = { id: CHAIN_ID, name: 'bench', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } }
    const deployer = createWalletClient({ account: accounts[0]!, chain, transport: http(anvil.rpcUrl) })
    const token = (await node.waitForTransactionReceipt({ hash: await deployer.deployContract({ abi: testTokenAbi, bytecode: testTokenBytecode, args: ['Bench', 'B', 18] }) })).contractAddress!
    for (const account of accounts) {
      const hash = await createWalletClient({ account, chain, transport: http(anvil.rpcUrl) }).writeContract({ address: token, abi: testTokenAbi, functionName: 'mint', args: [account.address, 10n ** 30n] })
      await node.waitForTransactionReceipt({ hash })
    }
    const config = defaultPrividiumConfig({ chainId: CHAIN_ID, members: accounts, tokens: [token] })
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config))
    proxy = await serve(anvil.rpcUrl, join(dir, 'config.json'), join(dir, 'prividium.db'))
    const tokens = await Promise.all(accounts.map(async (account) => (await signInWithEthereum({ apiBaseUrl: proxy!.url, account })).token))

    // eth_call: balanceOf(own wallet), from its own wallet.
    const callBody = (k: number) => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ from: accounts[k]!.address, to: token, data: encodeFunctionData({ abi: testTokenAbi, functionName: 'balanceOf', args: [accounts[k]!.address] }) }, 'latest'] })
    const bodies = accounts.map((_, k) => callBody(k))
    const targets = { node: { url: anvil.rpcUrl, token: (_k: number) => undefined as string | undefined }, proxy: { url: `${proxy.url}/rpc`, token: (k: number) => tokens[k] } }
    const pids = { anvil: anvil.pid, proxy: proxy.child.pid }
    const callCpu = { node: { anvil: 0, proxy: 0, load: 0 }, proxy: { anvil: 0, proxy: 0, load: 0 } }
    const callRates = { node: [] as number[], proxy: [] as number[] }
    for (let round = 0; round < rounds; round++) {
      for (const name of ['node', 'proxy'] as const) {
        const target = targets[name]
        let next = 0
        const started = performance.now()
        await metered(pids, callCpu[name], () => Promise.all(
          Array.from({ length: concurrency }, async (_, worker) => {
            const k = worker % accounts.length
            while (next < calls) {
              next++
              await post(target.url, bodies[k]!, target.token(k))
            }
          }),
        ))
        callRates[name].push((calls * 1_000) / (performance.now() - started))
      }
    }

    // Latency of one authorised call at a time, in alternating blocks.
    const latencies = { node: [] as number[], proxy: [] as number[] }
    for (let block = 0; block < 10; block++) {
      for (const name of ['node', 'proxy'] as const) {
        for (let i = 0; i < 50; i++) {
          const started = performance.now()
          await post(targets[name].url, bodies[0]!, targets[name].token(0))
          latencies[name].push(performance.now() - started)
        }
      }
    }

    // eth_sendRawTransaction: token transfers, presigned for every round in nonce order.
    const perSender = Math.ceil(sends / senders)
    const signed: Hex[][][] = [] // [round * 2 + (node 0 | proxy 1)][sender][i]
    const nonces = await Promise.all(accounts.map((account) => node.getTransactionCount({ address: account.address, blockTag: 'pending' })))
    for (let slot = 0; slot < rounds * 2; slot++) {
      signed.push(
        await Promise.all(
          accounts.map(async (account, k) => {
            const list: Hex[] = []
            for (let i = 0; i < perSender; i++) {
              list.push(await account.signTransaction({ type: 'eip1559', chainId: CHAIN_ID, nonce: nonces[k]!++, to: token, data: encodeFunctionData({ abi: testTokenAbi, functionName: 'transfer', args: [accounts[(k + 1) % accounts.length]!.address, 1n] }), gas: 100_000n, maxFeePerGas: parseGwei('50'), maxPriorityFeePerGas: parseGwei('1') }))
            }
            return list
          }),
        ),
      )
    }
    const sendCpu = { node: { anvil: 0, proxy: 0, load: 0 }, proxy: { anvil: 0, proxy: 0, load: 0 } }
    const sendRates = { node: [] as number[], proxy: [] as number[] }
    for (let round = 0; round < rounds; round++) {
      for (const [slot, name] of [[round * 2, 'node'], [round * 2 + 1, 'proxy']] as const) {
        const target = targets[name]
        const started = performance.now()
        await metered(pids, sendCpu[name], () => Promise.all(signed[slot]!.map(async (list, k) => {
          for (const raw of list) {
            const answer = await post(target.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [raw] }), target.token(k))
            if (!('result' in answer)) throw new Error(`${name} refused a transfer: ${JSON.stringify(answer)}`)
          }
        })))
        sendRates[name].push((perSender * senders * 1_000) / (performance.now() - started))
        // Every transfer of the round mined before the next round; bounded, since a transaction the node lost
        // leaves a nonce gap the ones after it wait behind for ever (one run once waited 11 minutes).
        const minedBy = Date.now() + MINED_WAIT_MS
        await Promise.all(accounts.map(async (account, k) => {
          const expected = nonces[k]! - (rounds * 2 - slot - 1) * perSender
          for (;;) {
            const mined = await node.getTransactionCount({ address: account.address, blockTag: 'latest' })
            if (mined >= expected) return
            if (Date.now() > minedBy) throw new Error(`proxy bench: sender ${k} (${account.address}) has ${mined} of its ${expected} transfers mined ${MINED_WAIT_MS / 1_000} s after the ${name} round ${round + 1} sent them; a lost transaction leaves a nonce gap. Run the measure again.`)
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
        }))
      }
    }

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const p50 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50)
    const callRate = { node: round(median(callRates.node)), proxy: round(median(callRates.proxy)) }
    const sendRate = { node: round(median(sendRates.node)), proxy: round(median(sendRates.proxy)) }
    const latency = { node: p50(latencies.node), proxy: p50(latencies.proxy) }
    const perRequest = (cpu: typeof callCpu, requests: number): RequestCpu => ({
      anvilDirect: round(cpu.node.anvil / requests, 3),
      loadDirect: round(cpu.node.load / requests, 3),
      anvilBehindProxy: round(cpu.proxy.anvil / requests, 3),
      loadBehindProxy: round(cpu.proxy.load / requests, 3),
      proxy: round(cpu.proxy.proxy / requests, 3),
    })
    return {
      callRate: { ...callRate, ratio: round(callRate.proxy / callRate.node, 2) },
      sendRate: { ...sendRate, ratio: round(sendRate.proxy / sendRate.node, 2) },
      callLatencyMs: { node: round(latency.node, 3), proxy: round(latency.proxy, 3), added: round(latency.proxy - latency.node, 3) },
      cpuMsPerRequest: { call: perRequest(callCpu, calls * rounds), send: perRequest(sendCpu, perSender * senders * rounds) },
      loadAverage: { start: round(loadAtStart, 2), end: round(loadavg()[0]!, 2) },
      calls,
      sends: perSender * senders,
      rounds,
      concurrency,
      senders,
      note: 'anvil (automine off, mined by Junction\'s block producer, --hardfork cancun) and the proxy (its own process: junction private serve) on this machine, the load from a third process; medians of alternating rounds. Each proxied request is checked (session, rules, a raw transaction decoded and its signer checked against the signed-in key), forwarded over a kept-alive connection and logged to SQLite.',
    }
  } finally {
    await producer.stop()
    if (proxy) await stopChild(proxy.child)
    await anvil.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function post(url: string, body: string, token: string | undefined): Promise<{ result?: unknown; error?: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body })
  return (await response.json()) as { result?: unknown; error?: unknown }
}

/** Runs `junction private serve` as its own process and resolves with its URL. */
function serve(nodeUrl: string, config: string, db: string): Promise<{ url: string; child: ChildProcess }> {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'private', 'serve', '--node', nodeUrl, '--config', config, '--db', db], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /permissioned RPC for chain \d+ at (http:\/\/[\d.]+:\d+)/.exec(out)
      if (match) resolve({ url: match[1]!, child })
    })
    child.once('exit', (code) => reject(new Error(`junction private serve exited with ${code}: ${out}`)))
  })
}

/** The figures as the bench prints them, each with its target (issue 14). */
export function prividiumProxyLines(r: PrividiumProxyResult): string[] {
  return [
    `eth_call rate: node ${r.callRate.node}/s, proxy ${r.callRate.proxy}/s, ${r.callRate.ratio}× (target ≥ 0.9×)`,
    `eth_sendRawTransaction rate: node ${r.sendRate.node}/s, proxy ${r.sendRate.proxy}/s, ${r.sendRate.ratio}× (target ≥ 0.9×)`,
    `one authorised eth_call, p50: node ${r.callLatencyMs.node} ms, proxy ${r.callLatencyMs.proxy} ms, +${r.callLatencyMs.added} ms (target ≤ 1 ms)`,
    ...(['call', 'send'] as const).map((kind) => {
      const cpu = r.cpuMsPerRequest[kind]
      return `CPU per ${kind === 'call' ? 'eth_call' : 'eth_sendRawTransaction'}: direct anvil ${cpu.anvilDirect} + load ${cpu.loadDirect} ms; proxied anvil ${cpu.anvilBehindProxy} + load ${cpu.loadBehindProxy} + proxy ${cpu.proxy} ms`
    }),
    `load average ${r.loadAverage.start} at the start, ${r.loadAverage.end} at the end`,
  ]
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { calls: { type: 'string' }, sends: { type: 'string' }, rounds: { type: 'string' } } })
  const result = await measurePrividiumProxy({ calls: values.calls ? Number(values.calls) : undefined, sends: values.sends ? Number(values.sends) : undefined, rounds: values.rounds ? Number(values.rounds) : undefined })
  console.log(JSON.stringify(result, null, 2))
}
