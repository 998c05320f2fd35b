// The one-click cross-chain swap (src/demo/swapDemo.ts) between two chains settling on L1: time from
// the user's one signature on alpha to Y arriving on alpha (X goes to beta, is swapped there, Y comes
// back: two chain → chain legs), p50 and p95 over the runs. Then the gas of a chain → chain token
// transfer (SDK `transfer`: a one-call bundle whose call is an indirect call through the L2 asset
// router) on each side: the source `sendBundle`, and the destination execution of that bundle alone.
import { parseEventLogs, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { prepareSwapDemo, runSwapDemo, type SwapDemoSetup } from '../../src/demo/swapDemo.js'
import type { NetworkManifest } from '../../src/network/types.js'
import { transfer } from '../../src/sdk/actions/transfer.js'
import { waitForMessage } from '../../src/sdk/actions/waitForMessage.js'
import type { JunctionIndex } from '../../src/sdk/JunctionIndex.js'
import { summarize, type Summary } from '../../src/testing/load/stats.js'
import { GAS_SAMPLES, mean } from './gas.js'
import { walletFor } from '../../src/chain/walletFor.js'

export type SwapResult = {
  from: string
  to: string
  runs: number
  /** Signature on the source → Y seen in the user's balance on the source. */
  roundTripMs: Summary
  /** Signature → the bundle executed on the destination (the first leg), from the demo's steps. */
  firstLegMs: Summary
  /** Every round-trip sample (ms). */
  samples: number[]
  /** Runs that ended in a refund instead of a swap (0 expected: the demo's slippage bound follows the quote). */
  refunded: number
}

export type TransferGas = {
  from: string
  to: string
  /** Transfers averaged (after one warm-up transfer). */
  samples: number
  /** `sendBundle` on the source: the indirect call through the L2 asset router burns the tokens and emits the transfer. */
  source: number
  /** `executeBundle` of that one bundle on the destination (the asset router mints there). */
  destination: number
}

/** Users of the manifest the swap takes: the swapper (on alpha) and the liquidity provider (on beta); no other bench phase sends from them at the same time. */
const SWAP_USER = 3
const SWAP_PROVIDER = 0

/** Sets the swap up once (tokens, liquidity, pool, swapper), then runs it `runs` times, one after the other. */
export async function measureSwap(parameters: { manifest: NetworkManifest; index: JunctionIndex; runs: number }): Promise<{ setup: SwapDemoSetup; result: SwapResult }> {
  const { manifest, index } = parameters
  const setup = await prepareSwapDemo({ manifest, userIndex: SWAP_USER, providerIndex: SWAP_PROVIDER })
  const samples: number[] = []
  const firstLeg: number[] = []
  let refunded = 0
  for (let i = 0; i < parameters.runs; i++) {
    const run = await runSwapDemo({ manifest, setup, index })
    if (run.outcome === 'refunded') refunded++
    samples.push(run.totalMs)
    const executed = run.steps.find((s) => s.name === 'executed')
    if (executed) firstLeg.push(executed.sinceSignature)
  }
  return { setup, result: { from: setup.alpha.name, to: setup.beta.name, runs: parameters.runs, roundTripMs: summarize(samples), firstLegMs: summarize(firstLeg), samples, refunded } }
}

/** The bench could not attribute a destination transaction to one transfer alone. */
export class TransferGasError extends Error {
  override name = 'TransferGasError'
}

/**
 * Gas of a chain → chain transfer of the swap's token X from the swap user on alpha to itself on
 * beta (SDK `transfer`), executed by the relayer: mean of {@link GAS_SAMPLES} after one warm-up (the
 * receiver's first balance on beta costs a fresh storage slot). Run while nothing else is in flight:
 * a relayer transaction that executed more than this bundle is not counted and the transfer is sent
 * again (at most 3 times).
 */
export async function measureTransferGas(parameters: { manifest: NetworkManifest; index: JunctionIndex; setup: SwapDemoSetup }): Promise<TransferGas> {
  const { manifest, index, setup } = parameters
  const { alpha, beta } = setup
  const wallet = walletFor(alpha, setup.user.privateKey)
  const betaClient = new ChainConnection(beta).client
  const one = async (): Promise<{ source: number; destination: number }> => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const sent = await transfer(wallet, { manifest, assetId: setup.assetX, amount: 100n, destinationChainId: beta.chainId })
      const status = await waitForMessage(index, { bundleHash: sent.bundleHash, timeoutMs: 60_000, pollMs: 20 })
      if (!status.executedIn) throw new TransferGasError(`transfer ${sent.bundleHash} executed, but its transaction is unknown`)
      const receipt = await betaClient.getTransactionReceipt({ hash: status.executedIn })
      const executed = parseEventLogs({ abi: c.interopHandlerAbi, logs: receipt.logs, eventName: 'BundleExecuted' }).filter((log) => log.address.toLowerCase() === manifest.l2Contracts.interopHandler.toLowerCase())
      if (executed.length === 1 && (executed[0]!.args as { bundleHash: Hex }).bundleHash === sent.bundleHash) return { source: Number(sent.receipt.gasUsed), destination: Number(receipt.gasUsed) }
      console.log(`  transfer ${sent.bundleHash.slice(0, 10)} was executed with ${executed.length - 1} other bundle(s) in ${status.executedIn}: not counted, sending another (attempt ${attempt} of 3)`)
    }
    throw new TransferGasError('three transfers in a row were executed together with other bundles: the destination gas of one transfer cannot be read')
  }
  await one()
  const samples: { source: number; destination: number }[] = []
  for (let i = 0; i < GAS_SAMPLES; i++) samples.push(await one())
  return { from: alpha.name, to: beta.name, samples: samples.length, source: mean(samples.map((s) => s.source)), destination: mean(samples.map((s) => s.destination)) }
}
