import { formatEther, isHex, type Hex } from 'viem'
import { JunctionError } from '../../errors/JunctionError.js'
import { getMessageStatus, type GetMessageStatusReturnType } from '../../sdk/actions/getMessageStatus.js'
import type { Command } from '../runCommand.js'
import { parseOptions } from '../parseOptions.js'
import { indexFor, manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

export const messageCommand: Command = {
  summary: "a message's status and timeline",
  usage: `Usage: junction message <bundle hash> [options]\n\nOptions:\n${networkOptionsUsage}`,
  async run(args) {
    const { values, positionals } = parseOptions('message', args, networkOptions, true)
    const id = positionals[0]
    if (!id || !isHex(id) || id.length !== 66) throw new JunctionError(`message: "${id ?? ''}" is not a message id`, { details: 'Give the bundle hash `junction send` printed (0x + 64 hex digits).' })
    const { manifest, dataDir } = manifestFrom(values)
    const status = await getMessageStatus(indexFor(manifest, dataDir), { bundleHash: id as Hex })
    if (status.status === 'unknown') throw new JunctionError(`message ${id} is unknown on this network`, { details: 'Check the id, and that --data-dir/--network name the network it was sent on.' })
    printTimeline(status)
    return status.status === 'failed' ? 2 : 0
  },
}

/** Prints a status and its timeline, with times relative to the first step (or to `since`). */
export function printTimeline(status: GetMessageStatusReturnType, since?: number): void {
  console.log(`message ${status.bundleHash}`)
  console.log(`  ${status.sourceChainId} → ${status.destinationChainId}: ${status.status}${status.failure ? ` (${status.failure})` : ''}`)
  if (status.finality === 'committed') console.log('  finality: COMMITTED (executed on a source batch not proven at the time; docs/protocol.md §12)')
  if (status.waiting) console.log(`  waiting: ${status.waiting}`)
  if (status.fee) {
    const claimed = status.fee.claimedBy ? `claimed by ${status.fee.claimedBy}` : 'not claimed'
    console.log(`  fee: ${formatEther(status.fee.paid)} ETH paid for ${status.fee.gasLimit} gas, ${claimed}`)
  } else if (status.status !== 'unknown') console.log('  fee: none paid (executed by whoever pays its gas)')
  if (status.skipped) console.log(`  relayer: skips it, ${status.skipped}`)
  const origin = since ?? status.timeline[0]?.at ?? Date.now()
  for (const step of status.timeline) {
    const at = step.at === undefined ? '' : `${new Date(step.at).toISOString()}  +${String(step.at - origin).padStart(5)} ms`
    console.log(`  ${step.status.padEnd(30)} ${at}  ${step.detail ?? ''}`)
  }
}
