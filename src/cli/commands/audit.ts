import { getUnbackedMints } from '../../sdk/actions/getUnbackedMints.js'
import { parseOptions } from '../parseOptions.js'
import { printTable } from '../printTable.js'
import type { Command } from '../runCommand.js'
import { indexFor, manifestFrom, networkOptions, networkOptionsUsage } from './common.js'

export const auditCommand: Command = {
  summary: 'look for mints the L1 ledger will never back: forged bundles executed, transfers the ledger refused',
  usage: `Usage: junction audit [options]

Lists the bundles a chain (or L1) executed that no chain's InteropCenter sent, which only a chain
settling a forged batch can produce (possible while the verifier is a development one), with the
tokens they minted and the ETH they released; and the chain → chain transfers the L1 ledger refused
because their source held less than it sent (known to the services' ledger keeper). This detects
what docs/protocol.md section 9.9 says the ledger does not stop; it does not undo it.
Exits with 1 if it finds anything, 0 otherwise.

Options:
${networkOptionsUsage}`,
  async run(args) {
    const { values } = parseOptions('audit', args, { ...networkOptions })
    const { manifest, dataDir } = manifestFrom(values)
    const index = indexFor(manifest, dataDir)
    await index.sync()
    const name = (chainId: number) => (chainId === manifest.l1.chainId ? 'L1' : (manifest.chains.find((chain) => chain.chainId === chainId)?.name ?? String(chainId)))
    const { forgedBundles, refusedTransfers, unchecked } = await getUnbackedMints(index)
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
    if (unchecked > 0) console.log(`${unchecked} executed bundle(s) not checked yet: their source chain is not indexed past its last committed batch`)
    if (refusedTransfers.length === 0) console.log('transfers refused by the L1 ledger: none')
    else {
      console.log(`transfers refused by the L1 ledger: ${refusedTransfers.length}`)
      printTable(
        ['from', 'to', 'asset', 'amount', 'tx', 'why'],
        refusedTransfers.map((transfer) => [name(transfer.sourceChainId), name(transfer.destinationChainId), transfer.assetId, String(transfer.amount), transfer.txHash, transfer.reason]),
      )
    }
    return forgedBundles.length + refusedTransfers.length > 0 ? 1 : 0
  },
}
