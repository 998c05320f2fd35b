import { JunctionError } from '../../errors/JunctionError.js'
import { runSwapDemo, type SwapDemoStep } from '../../demo/swapDemo.js'
import type { Command } from '../runCommand.js'
import { parseOptions } from '../parseOptions.js'
import { indexFor, manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

function wholeOption(name: string, value: string | undefined, positive: boolean): bigint | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || (positive && BigInt(value) === 0n)) throw new JunctionError(`demo swap: --${name} must be a ${positive ? 'positive' : 'non-negative'} whole number, got "${value}"`)
  return BigInt(value)
}

const STEP_LABELS: Record<SwapDemoStep['name'], string> = {
  signed: 'signed & sent',
  burned: 'X burned',
  executed: 'executed on destination',
  'return-sent': 'return bundle sent',
  arrived: 'arrived',
}

export const demoCommand: Command = {
  summary: 'demos on a running network: `demo swap`, the one-click cross-chain swap',
  usage: `Usage: junction demo swap [options]

The one-click cross-chain swap: sets up tokens X and Y, a constant-product pool and a swapper on the
second chain, gives the user X on the first chain; then the user signs ONE transaction that moves X to
the second chain, swaps it there for Y and brings Y back. Prints each step with its time. With a
--min-out above the pool's quote the swap fails and X comes back (automatic refund).

Options:
  --amount N        X to swap                                    [default: 1000]
  --min-out N       least Y accepted                             [default: the quote minus 0.5%]
${networkOptionsUsage}`,
  async run(args) {
    const { values, positionals } = parseOptions('demo', args, { ...networkOptions, amount: { type: 'string' }, 'min-out': { type: 'string' } }, true)
    const [which, ...extra] = positionals
    if (which !== 'swap' || extra.length > 0) throw new JunctionError(`demo: unknown demo "${[which, ...extra].filter(Boolean).join(' ')}"`, { details: 'Demos: swap. Example: junction demo swap --amount 1000' })
    const amount = wholeOption('amount', values.amount, true) ?? 1_000n
    const minOut = wholeOption('min-out', values['min-out'], false)
    const { manifest, dataDir } = manifestFrom(values)
    const result = await runSwapDemo({
      manifest,
      index: indexFor(manifest, dataDir),
      amount,
      ...(minOut === undefined ? {} : { minOut }),
      prepare: { onProgress: (message) => console.log(`setup: ${message}`) },
      onStep: (step) => console.log(`${new Date(step.at).toISOString()}  +${String(step.sinceSignature).padStart(6)} ms  ${STEP_LABELS[step.name].padEnd(24)} ${step.detail}`),
    })
    console.log(
      result.outcome === 'swapped'
        ? `swapped: ${result.amountIn} X → ${result.amountOut} Y on ${result.setup.alpha.name} (quote ${result.quote}, min ${result.minOut})`
        : `refunded: the swap failed on ${result.setup.beta.name} (${result.refundReason ?? 'unknown reason'}); ${result.refunded} X back on ${result.setup.alpha.name}`,
    )
    console.log(`total: ${result.totalMs} ms from signature to ${result.outcome === 'swapped' ? 'Y' : 'the refunded X'} on ${result.setup.alpha.name}`)
  },
}
