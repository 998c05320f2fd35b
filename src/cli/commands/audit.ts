import { auditLedger } from '../../sdk/actions/auditLedger.js'
import { parseOptions } from '../parseOptions.js'
import { printTable } from '../printTable.js'
import type { Command } from '../runCommand.js'
import { indexFor, manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

export const auditCommand: Command = {
  summary: 'look for what a chain settling forged batches did: bundles executed and withdrawals finalized that no chain sent, transfers the ledger refused',
  usage: `Usage: junction audit [options]

Lists the bundles a chain (or L1) executed that no chain's InteropCenter sent, which only a chain
settling a forged batch can produce (possible while the verifier is a development one), with the
tokens they minted and the ETH they released; the withdrawals L1 finalized that their chain never
recorded (capped by that chain's balance, so they came out of its depositors' share); and the
chain → chain transfers the L1 ledger refused because their source held less than it sent (known to
the services' ledger keeper). This detects what docs/protocol.md section 9.9 describes; it does not
undo it.
Exits with 1 if it finds anything, 0 otherwise.

Options:
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('audit', args, { ...networkOptions })
    const { manifest, dataDir } = manifestFrom(values)
    const index = indexFor(manifest, dataDir)
    await index.sync()
    const name = (chainId: number) => (chainId === manifest.l1.chainId ? 'L1' : (manifest.chains.find((chain) => chain.chainId === chainId)?.name ?? String(chainId)))
    const { forgedBundles, forgedWithdrawals, refusedTransfers, unchecked } = await auditLedger(index)
    if (forgedBundles.length === 0) console.log('forged bundles: none executed')
    else {
      console.log(`forged bundles: ${forgedBundles.length} executed that no InteropCenter sent`)
      printTable(
        ['executed on', 'batch of', 'bundle', 'tx', 'tokens minted (asset: amount)', 'ETH released (wei)'],
        forgedBundles.map((bundle) => [
          name(bundle.chainId),
          name(bundle.sourceChainId),
          bundle.bundleHash,
          bundle.txHash,
          bundle.tokens.map((token) => `${token.assetId}: ${token.amount}`).join(', ') || '-',
          String(bundle.value),
        ]),
      )
    }
    if (forgedWithdrawals.length === 0) console.log('forged withdrawals: none finalized')
    else {
      console.log(`forged withdrawals: ${forgedWithdrawals.length} finalized on L1 that their chain never recorded (taken from that chain's balance)`)
      printTable(
        ['from', 'asset', 'amount', 'L1 receiver', 'L1 tx'],
        forgedWithdrawals.map((withdrawal) => [name(withdrawal.chainId), withdrawal.assetId, String(withdrawal.amount), withdrawal.l1Receiver, withdrawal.txHash]),
      )
    }
    if (unchecked > 0) console.log(`${unchecked} not judged yet: their chain is not indexed as far as their execution (run again)`)
    if (refusedTransfers.length === 0) console.log('transfers refused by the L1 ledger: none')
    else {
      console.log(`transfers refused by the L1 ledger: ${refusedTransfers.length}`)
      printTable(
        ['from', 'to', 'asset', 'amount', 'tx', 'why'],
        refusedTransfers.map((transfer) => [name(transfer.sourceChainId), name(transfer.destinationChainId), transfer.assetId, String(transfer.amount), transfer.txHash, transfer.reason]),
      )
    }
    return forgedBundles.length + forgedWithdrawals.length + refusedTransfers.length > 0 ? 1 : 0
  },
}
