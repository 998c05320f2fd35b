import type { Hex } from 'viem'
import { JunctionError } from '../../errors/JunctionError.js'
import { buildProofFromStore } from '../../indexer/buildProofFromStore.js'
import { topologyOf } from '../../network/topology.js'
import type { InteropProof } from '../../protocol/index.js'
import type { JunctionIndex } from '../JunctionIndex.js'

/** Parameters of {@link getMessageProof}. */
export type GetMessageProofParameters = {
  bundleHash: Hex
  /**
   * `'committed'` (opt-in, docs/protocol.md §12): when the source batch is not settled yet, prove the
   * bundle against its committed batch's message root if the destination imported it. Default `'proven'`.
   */
  finality?: 'proven' | 'committed'
}

/** What {@link getMessageProof} resolves with: the encoded bundle and its inclusion proof. */
export type GetMessageProofReturnType = {
  bundle: Hex
  proof: InteropProof
  sourceChainId: number
  destinationChainId: number
  finality: 'proven' | 'committed'
  /** A private chain's bundle: its blinding (docs/protocol.md §4.1); the proof is of its blinded commitment, checked by `executeBlindedBundle`. */
  blinding?: Hex
}

/** The message cannot be proven on its destination yet (or is unknown). */
export class ProofNotReadyError extends JunctionError {
  override name = 'ProofNotReadyError'
  readonly reason: string
  constructor(bundleHash: Hex, reason: string) {
    const details: Record<string, string> = {
      unknown: 'No InteropCenter on this network emitted this bundle hash. Check the id and the network.',
      'not-batched': 'The source batch is not committed on the settlement layer yet: the batcher and the settlement submitter must run.',
      'not-executed-on-settlement-layer': 'The source batch is committed but not yet executed on the settlement layer.',
      'root-not-imported': "The destination has not imported a settlement-layer root covering the batch yet: the destination operator's root importer must run.",
    }
    super(`message ${bundleHash} cannot be proven yet: ${reason}`, { details: details[reason] })
    this.reason = reason
  }
}

/**
 * Builds the inclusion proof of a bundle against the newest root its destination imported.
 * This is a Merkle inclusion proof checked on chain; the batches themselves are accepted by a
 * development verifier, not a zero-knowledge proof.
 *
 * @example
 * ```ts
 * const index = new JunctionIndex(manifest)
 * const { bundle, proof } = await getMessageProof(index, { bundleHash })
 * ```
 */
export async function getMessageProof(index: JunctionIndex, parameters: GetMessageProofParameters): Promise<GetMessageProofReturnType> {
  await index.sync()
  const built = buildProofFromStore(index.store, {
    bundleHash: parameters.bundleHash,
    interopCenter: index.manifest.l2Contracts.interopCenter,
    topology: topologyOf(index.manifest, index.store),
    committedFinality: parameters.finality === 'committed',
  })
  if (!built.ready) throw new ProofNotReadyError(parameters.bundleHash, built.reason)
  return { bundle: built.bundle, proof: built.proof, sourceChainId: built.sourceChainId, destinationChainId: built.destinationChainId, finality: built.finality, ...(built.blinding === undefined ? {} : { blinding: built.blinding }) }
}
