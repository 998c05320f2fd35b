// Private interop's latency against public interop on the same path (issue 14): a message bank-a → bank-b
// (private chains on the Gateway: a blinded leaf, a validium batch approved from its value summary, the
// bundle read by the relayer through bank-a's permissioned RPC, executed with its blinding) against alpha →
// beta (public chains on the Gateway), in one network, messages alternating between the two paths, one at a
// time: from the send's receipt to the bundle reading Executed on its destination (polled every 10 ms).
// Run alone: `npx tsx bench/measure/privateInterop.ts [--messages N]`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { stringToHex, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { walletFor } from '../../src/chain/walletFor.js'
import * as c from '../../src/contracts/generated/index.js'
import { nodeManifest } from '../../src/network/privateChains.js'
import { startNetwork } from '../../src/network/startNetwork.js'
import { BundleStatus } from '../../src/protocol/index.js'
import { sendMessage } from '../../src/sdk/actions/sendMessage.js'
import { sleep, summarize, type Summary } from '../../src/testing/load/stats.js'
import { stageMedians } from './latency.js'

export type PrivateInteropPath = {
  path: string
  from: string
  to: string
  latencyMs: Summary
  missing: number
  stagesMs: Record<string, number>
  /** Median gas of the relayer's transaction that executed one of them (`executeBundle`, or `executeBlindedBundle` for a private chain's). */
  executionGas: number
}

/** Starts alpha and beta and the private chains bank-a and bank-b, all on the Gateway, and measures `messages` messages per path. */
export async function measurePrivateInterop(parameters: { messages: number; timeoutMs?: number }): Promise<PrivateInteropPath[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-private-interop-'))
  const network = await startNetwork({ basePort: 0, dataDir, chains: 2, onGateway: ['alpha', 'beta'], privateChains: 2 })
  try {
    // The bench plays the users through the raw nodes (as the operator's tools do): the send is not what is measured.
    const manifest = nodeManifest(network.manifest)
    const chain = (name: string) => manifest.chains.find((info) => info.name === name)!
    const paths = [
      { path: 'public (alpha → beta)', from: chain('alpha'), to: chain('beta'), senderKey: manifest.accounts.users[1]!.privateKey },
      { path: 'private (bank-a → bank-b)', from: chain('bank-a'), to: chain('bank-b'), senderKey: manifest.accounts.users[2]!.privateKey },
    ]
    const samples = paths.map(() => [] as number[])
    const bundles = paths.map(() => [] as Hex[])
    const missing = paths.map(() => 0)
    const { interopCenter, interopHandler, exampleRecipient } = manifest.l2Contracts
    const store = network.services!.store
    // A warm-up message each, not counted (first batches, first root imports, the relayer's sign-in).
    for (let i = -1; i < parameters.messages; i++) {
      for (const [k, p] of paths.entries()) {
        const sent = await sendMessage(walletFor(p.from, p.senderKey), { recipient: { chainId: p.to.chainId, address: exampleRecipient }, payload: stringToHex(`latency ${p.path} ${i}`), interopCenter })
        const started = performance.now()
        const destination = new ChainConnection(p.to).client
        const deadline = started + (parameters.timeoutMs ?? 60_000)
        let executed = false
        while (!executed && performance.now() < deadline) {
          executed = (await destination.readContract({ address: interopHandler, abi: c.interopHandlerAbi, functionName: 'bundleStatus', args: [sent.bundle] })) === BundleStatus.Executed
          if (!executed) await sleep(10)
        }
        if (i < 0) continue
        if (!executed) missing[k]!++
        else samples[k]!.push(performance.now() - started)
        bundles[k]!.push(sent.bundleHash)
      }
    }
    const executionGas = async (k: number) => {
      const destination = new ChainConnection(paths[k]!.to).client
      const hashes = bundles[k]!.map((hash) => (store.prepare('SELECT tx_hash FROM deliveries WHERE bundle_hash = ?').get(hash) as { tx_hash: Hex | null } | undefined)?.tx_hash).filter((h): h is Hex => !!h)
      const receipts = await Promise.all([...new Set(hashes)].map((hash) => destination.getTransactionReceipt({ hash })))
      return summarize(receipts.map((r) => Number(r.gasUsed))).p50
    }
    return Promise.all(paths.map(async (p, k) => ({ path: p.path, from: p.from.name, to: p.to.name, latencyMs: summarize(samples[k]!), missing: missing[k]!, stagesMs: stageMedians(store, bundles[k]!, { sourceSettlementLayer: p.from.settlementLayer }), executionGas: await executionGas(k) })))
  } finally {
    await network.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Lines for the bench's output: each path's latency, the private one against the public one, and where the time goes. */
export function privateInteropLines(results: PrivateInteropPath[]): string[] {
  const [publicPath, privatePath] = results
  const lines = results.map((r) => `${r.path}: p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, max ${r.latencyMs.max} ms over ${r.latencyMs.count} messages${r.missing ? `, ${r.missing} not executed in time` : ''}; execution ${r.executionGas.toLocaleString('en')} gas; steps (p50 ms): ${Object.entries(r.stagesMs).map(([k, v]) => `${k} ${v}`).join(', ')}`)
  if (publicPath && privatePath && publicPath.latencyMs.p50 > 0) lines.push(`private / public, p50: ${(privatePath.latencyMs.p50 / publicPath.latencyMs.p50).toFixed(2)}× (+${(privatePath.latencyMs.p50 - publicPath.latencyMs.p50).toFixed(1)} ms)`)
  return lines
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { messages: { type: 'string' } } })
  for (const line of privateInteropLines(await measurePrivateInterop({ messages: Number(values.messages ?? 20) }))) console.log(line)
}
