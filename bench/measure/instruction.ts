// Multi-bank instruction sync (src/demo/instructionDemo.ts, docs/instructions.md) between three chains: bank 1
// proposes, the three banks approve, wait until every copy knows every approval, and confirm. Time from the proposal
// mined to every copy executed, p50 / p95 over the runs, as the demo observes it (polling the three books); it spans
// three rounds of interop messages (the proposal, the approvals, the confirmations), each proven and delivered by the
// relayer. Gas of `propose` (two messages), `approve` (escrow and two messages) and `confirm` (two messages).
//
// Standalone: `npx tsx bench/measure/instruction.ts [--runs N]` starts its own network (L1 and three chains on L1,
// services and relayer in their own processes), measures, prints the result as JSON and stops everything.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { parseEventLogs, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { prepareInstructionDemo, runInstructionDemo } from '../../src/demo/instructionDemo.js'
import type { NetworkManifest, ZkChainInfo } from '../../src/network/types.js'
import { instructionId } from '../../src/protocol/instruction.js'
import { JunctionIndex } from '../../src/sdk/JunctionIndex.js'
import { summarize, type Summary } from '../../src/testing/load/stats.js'
import { startJunctionBenchNetwork } from '../lib/junctionNetwork.js'
import { mean } from './gas.js'

export type InstructionResult = {
  chains: string[]
  runs: number
  /** Bank 1's proposal mined → every copy executed (as the demo sees it). */
  proposalToAllExecutedMs: Summary
  /** The rounds inside it: proposal → both other copies hold it; → every copy knows every approval (the approvals sent after the first). */
  proposalToDeliveredMs: Summary
  proposalToApprovalsDeliveredMs: Summary
  /** Mean gas of each bank's own step over the runs and banks. */
  gas: { propose: number; approve: number; confirm: number }
}

/** Gas of the transactions on `book` that recorded this bank's own vote `vote` (its approve or confirm), and of the propose. */
async function ownStepsGas(chain: ZkChainInfo, book: Address, id: Hex): Promise<{ propose?: number; approve?: number; confirm?: number }> {
  const client = new ChainConnection(chain).client
  const logs = await client.getLogs({ address: book, fromBlock: 0n })
  const gasOf = async (hash: Hex) => Number((await client.getTransactionReceipt({ hash })).gasUsed)
  const out: { propose?: number; approve?: number; confirm?: number } = {}
  for (const log of parseEventLogs({ abi: c.instructionBookAbi, logs, eventName: 'ProposalRecorded' })) {
    // Proposed here (not delivered): the same transaction opened the copy with this book as the proposer.
    if (log.args.instructionId === id && parseEventLogs({ abi: c.instructionBookAbi, logs: logs.filter((l) => l.transactionHash === log.transactionHash), eventName: 'UpdateSent' }).length > 0) out.propose = await gasOf(log.transactionHash)
  }
  for (const log of parseEventLogs({ abi: c.instructionBookAbi, logs, eventName: 'VoteRecorded' })) {
    if (log.args.instructionId !== id) continue
    const sent = parseEventLogs({ abi: c.instructionBookAbi, logs: logs.filter((l) => l.transactionHash === log.transactionHash), eventName: 'UpdateSent' }).length > 0
    if (!sent) continue // a delivered vote, not this bank's own
    if (log.args.vote === 2) out.approve = await gasOf(log.transactionHash)
    if (log.args.vote === 4) out.confirm = await gasOf(log.transactionHash)
  }
  return out
}

/** Sets the three banks up once, then runs `runs` instructions one after the other, each to execution on every copy. */
export async function measureInstruction(parameters: { manifest: NetworkManifest; index: JunctionIndex; runs: number; timeoutMs?: number }): Promise<InstructionResult> {
  const { manifest, index } = parameters
  const setup = await prepareInstructionDemo({ manifest })
  const times: number[] = []
  const delivered: number[] = []
  const approvals: number[] = []
  const gas = { propose: [] as number[], approve: [] as number[], confirm: [] as number[] }
  for (let i = 0; i < parameters.runs; i++) {
    const run = await runInstructionDemo({ manifest, setup, index, scenario: 'execute', share: 1n, timeoutMs: parameters.timeoutMs ?? 120_000 })
    if (run.outcome !== 'executed') throw new Error(`instruction bench: run ${i} ended ${run.outcome}`)
    const since = (name: string) => run.steps.find((s) => s.name === name)!.sinceProposal
    times.push(since('executed'))
    delivered.push(since('proposal-delivered'))
    approvals.push(since('approvals-delivered'))
    const id = instructionId(run.instruction)
    for (const bank of setup.banks) {
      const steps = await ownStepsGas(bank.chain, bank.book, id)
      if (steps.propose !== undefined) gas.propose.push(steps.propose)
      if (steps.approve !== undefined) gas.approve.push(steps.approve)
      if (steps.confirm !== undefined) gas.confirm.push(steps.confirm)
    }
  }
  return {
    chains: setup.banks.map((bank) => bank.chain.name),
    runs: parameters.runs,
    proposalToAllExecutedMs: summarize(times),
    proposalToDeliveredMs: summarize(delivered),
    proposalToApprovalsDeliveredMs: summarize(approvals),
    gas: { propose: Math.round(mean(gas.propose)), approve: Math.round(mean(gas.approve)), confirm: Math.round(mean(gas.confirm)) },
  }
}

/** The report's lines for a result. */
export function instructionLines(r: InstructionResult): [string, string][] {
  const fmt = (n: number) => n.toLocaleString('en-US')
  return [
    [`multi-bank instruction, 3 banks (${r.chains.join(', ')}), proposal → executed on every copy (propose, approve ×3, confirm ×3), ${r.runs} runs`, `p50 ${fmt(r.proposalToAllExecutedMs.p50)} / p95 ${fmt(r.proposalToAllExecutedMs.p95)} / max ${fmt(r.proposalToAllExecutedMs.max)} ms; p50 of the rounds: proposal delivered ${fmt(r.proposalToDeliveredMs.p50)}, every approval delivered ${fmt(r.proposalToApprovalsDeliveredMs.p50)} ms`],
    [`  gas: propose; approve (escrow); confirm`, `${fmt(r.gas.propose)}; ${fmt(r.gas.approve)}; ${fmt(r.gas.confirm)}`],
  ]
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string' } } })
  const runs = Number(values.runs ?? 5)
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-instruction-bench-'))
  const loadBefore = loadavg()
  const bench = await startJunctionBenchNetwork({ dataDir, chains: 3 })
  try {
    const index = new JunctionIndex(bench.manifest)
    const result = await measureInstruction({ manifest: bench.manifest, index, runs })
    console.log(JSON.stringify({ ...result, loadAverageBefore: loadBefore.map((l) => Math.round(l * 100) / 100), loadAverageAfter: loadavg().map((l) => Math.round(l * 100) / 100) }, null, 2))
    for (const [what, figure] of instructionLines(result)) console.log(`${what}: ${figure}`)
  } finally {
    await bench.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
