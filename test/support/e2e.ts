import type { Address, Hex } from 'viem'
import { buildLeafProofFromStore } from '../../src/indexer/buildProofFromStore.js'
import type { InteropProof } from '../../src/protocol/index.js'
import { getMessageProof, ProofNotReadyError, type GetMessageProofReturnType } from '../../src/sdk/actions/getMessageProof.js'
import type { JunctionIndex } from '../../src/sdk/JunctionIndex.js'
import type { Store } from '../../src/store/openStore.js'

/** Calls `check` every `intervalMs` until it returns something other than `undefined`; fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000)
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs ?? 20_000} ms waiting for ${what}`)
    await sleep(options.intervalMs ?? 50)
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export { rejectsWith } from '../../src/testing/rejectsWith.js'

/** Polls {@link getMessageProof} until the message can be proven on its destination. */
export function waitForProof(index: JunctionIndex, bundleHash: Hex, timeoutMs = 20_000): Promise<GetMessageProofReturnType> {
  return eventually(
    `a proof of ${bundleHash}`,
    async () => {
      try {
        return await getMessageProof(index, { bundleHash })
      } catch (error) {
        if (error instanceof ProofNotReadyError) return undefined
        throw error
      }
    },
    { timeoutMs },
  )
}

/**
 * The inclusion proof of an arbitrary message leaf `messageLeaf(sender, payloadHash)` recorded on
 * `sourceChainId` (see buildLeafProofFromStore); `undefined` while it cannot be proven yet.
 */
export function buildLeafProof(
  store: Store,
  parameters: { sourceChainId: number; destinationChainId: number; slChainId: number; sender: Address; payloadHash: Hex },
): { proof: InteropProof; root: Hex } | undefined {
  const built = buildLeafProofFromStore(store, parameters)
  return built.ready ? { proof: built.proof, root: built.sharedRoot } : undefined
}
