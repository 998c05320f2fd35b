import { join } from 'node:path'
import { JunctionError } from '../../errors/JunctionError.js'
import { findChain } from '../../sdk/loadManifest.js'
import { migrateChain } from '../../settlement/migrateChain.js'
import { openStore } from '../../store/openStore.js'
import type { Command } from '../runCommand.js'
import { parseOptions } from '../parseOptions.js'
import { manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

export const migrateCommand: Command = {
  summary: 'moves a chain between L1 and the Gateway while it runs (messages in flight are delivered once)',
  usage: `Usage: junction migrate --chain C --to gateway|l1 [options]

Moves chain C's settlement to the Gateway, or back to L1 (docs/protocol.md §11). The services must be
running on the data dir (\`junction up\` in another terminal, or \`junction services\`): the move pauses the
chain's root imports and batch commits, waits until everything it committed is executed, then switches.
A chain holding many assets moves its balances in several L1 transactions (a line each); run the same
command again to finish a move to the Gateway that was cut short. Back to L1, deposits to the chain are
refused (ChainMigrating) until it has arrived; balances beyond the 100 its migration message carries come
back as transfers the ledger keeper records.

Options:
  --chain C         the chain to move (name or chain id; not the Gateway)
  --to T            gateway or l1
  --timeout S       give up when one step waits longer than S seconds      [default: 120]
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('migrate', args, { ...networkOptions, chain: { type: 'string' }, to: { type: 'string' }, timeout: { type: 'string' } })
    if (values.to !== 'gateway' && values.to !== 'l1') throw new JunctionError(`migrate: --to must be gateway or l1, got "${values.to ?? ''}"`)
    if (!values.chain) throw new JunctionError('migrate: --chain is required')
    const timeout = values.timeout === undefined ? 120 : Number(values.timeout)
    if (!Number.isFinite(timeout) || timeout <= 0) throw new JunctionError(`migrate: --timeout must be a number of seconds, got "${values.timeout}"`)
    const { manifest, dataDir } = manifestFrom(values)
    const chain = findChain(manifest, values.chain)
    if (chain.role === 'gateway') throw new JunctionError('migrate: the Gateway itself settles on L1 and does not move')
    const store = openStore(join(dataDir, 'junction.db'))
    const started = Date.now()
    console.log(`moving ${chain.name} to ${values.to === 'gateway' ? 'the Gateway' : 'L1'}`)
    try {
      const moved = await migrateChain({
        manifest,
        store,
        chainId: chain.chainId,
        to: values.to,
        stepTimeoutMs: timeout * 1000,
        onStep: (step) => console.log(`  +${String(step.at - started).padStart(6)} ms  ${step.name}${step.detail ? `: ${step.detail}` : ''}`),
      })
      console.log(`${chain.name} settles on ${values.to === 'gateway' ? 'the Gateway' : 'L1'} from its block ${moved.lastBlock + 1} (batch ${moved.lastBatch + 1}), after ${moved.totalMs} ms`)
      // Its balances moved between L1's ledger accounts with it (docs/protocol.md §11).
      const carried = moved.balances.filter((b) => b.amount > 0n || b.reserved > 0n)
      if (carried.length === 0) console.log('balances moved: none')
      for (const { assetId, amount, reserved } of carried) {
        console.log(`balance moved: ${amount} of asset ${assetId}${reserved > 0n ? ` (${reserved} kept in its own L1 account for its messages settled on L1 and not finalized yet)` : ''}`)
      }
    } finally {
      store.close()
    }
  },
}
