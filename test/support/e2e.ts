import assert from 'node:assert/strict'
import type { Address, Hex } from 'viem'
import { ContractRevertedError } from '../../src/errors/ContractRevertedError.js'
import { batchLeaf, chainLeaf, MerkleTree, messageLeaf, type InteropProof } from '../../src/protocol/index.js'
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

/** Asserts that `promise` rejects with a {@link ContractRevertedError} whose decoded custom error is `errorName`; returns it. */
export async function rejectsWith(promise: Promise<unknown>, errorName: string): Promise<ContractRevertedError> {
  let caught: unknown
  try {
    await promise
  } catch (error) {
    caught = error
  }
  assert.ok(caught !== undefined, `expected a revert with ${errorName}, but the call succeeded`)
  assert.ok(caught instanceof ContractRevertedError, `expected a ContractRevertedError (${errorName}), got ${String(caught)}`)
  assert.equal(caught.errorName, errorName, `expected ${errorName}, got: ${caught.message}`)
  return caught
}

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
 * `sourceChainId`, against the newest root `destinationChainId` imported that covers it — the logic of
 * src/indexer/buildProofFromStore.ts without the restriction to bundles sent by the InteropCenter.
 * Returns `undefined` while the leaf is not settled or no covering root is imported.
 * The proof's `messageSender` is `sender`.
 */
export function buildLeafProof(
  store: Store,
  parameters: { sourceChainId: number; destinationChainId: number; slChainId: number; sender: Address; payloadHash: Hex },
): { proof: InteropProof; root: Hex } | undefined {
  const { sourceChainId, destinationChainId, slChainId, sender, payloadHash } = parameters
  const leaf = messageLeaf(sender, payloadHash)
  const recorded = store
    .prepare('SELECT block_number FROM message_leaves WHERE chain_id = ? AND leaf = ? ORDER BY block_number LIMIT 1')
    .get(sourceChainId, leaf) as { block_number: number } | undefined
  if (!recorded) return undefined
  const batch = store
    .prepare('SELECT batch_number, first_block, last_block, executed_block FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND ? BETWEEN first_block AND last_block')
    .get(slChainId, sourceChainId, recorded.block_number) as { batch_number: number; first_block: number; last_block: number; executed_block: number | null } | undefined
  if (!batch || batch.executed_block === null) return undefined
  const imported = store
    .prepare('SELECT sl_block_number, root FROM imported_roots WHERE chain_id = ? AND sl_chain_id = ? AND sl_block_number >= ? ORDER BY sl_block_number DESC LIMIT 1')
    .get(destinationChainId, slChainId, batch.executed_block) as { sl_block_number: number; root: Hex } | undefined
  if (!imported) return undefined
  const snapshot = imported.sl_block_number

  const leaves = (
    store
      .prepare('SELECT leaf FROM message_leaves WHERE chain_id = ? AND block_number BETWEEN ? AND ? ORDER BY block_number, log_index')
      .all(sourceChainId, batch.first_block, batch.last_block) as { leaf: Hex }[]
  ).map((r) => r.leaf)
  const messageIndex = leaves.indexOf(leaf)
  assert.ok(messageIndex >= 0, `leaf ${leaf} is not among the leaves of batch ${batch.batch_number}`)
  const messageProof = new MerkleTree(leaves).proof(messageIndex)

  const chains = store.prepare('SELECT chain_id FROM sl_chains WHERE sl_chain_id = ? AND block_number <= ? ORDER BY idx').all(slChainId, snapshot) as { chain_id: number }[]
  const batchesOf = store.prepare('SELECT batch_number, message_root FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND executed_block <= ? ORDER BY batch_number')
  let sourceTree: MerkleTree | undefined
  const chainLeaves = chains.map(({ chain_id }) => {
    const rows = batchesOf.all(slChainId, chain_id, snapshot) as { batch_number: number; message_root: Hex }[]
    const tree = new MerkleTree(rows.map((r) => batchLeaf(r.batch_number, r.message_root)))
    if (chain_id === sourceChainId) sourceTree = tree
    return chainLeaf(chain_id, tree.root)
  })
  const chainIndex = chains.findIndex((c) => c.chain_id === sourceChainId)
  assert.ok(chainIndex >= 0 && sourceTree, `chain ${sourceChainId} is not registered at ${slChainId}@${snapshot}`)
  const sharedTree = new MerkleTree(chainLeaves)
  assert.equal(sharedTree.root, imported.root.toLowerCase(), 'the rebuilt shared root is the imported one')
  const batchProof = sourceTree.proof(batch.batch_number - 1)
  const chainProof = sharedTree.proof(chainIndex)
  return {
    root: imported.root,
    proof: {
      slChainId: BigInt(slChainId),
      slBlockNumber: BigInt(snapshot),
      messageSender: sender,
      batchNumber: BigInt(batch.batch_number),
      messageIndex: BigInt(messageIndex),
      messageCount: BigInt(messageProof.count),
      messageSiblings: messageProof.siblings,
      batchCount: BigInt(batchProof.count),
      batchSiblings: batchProof.siblings,
      chainIndex: BigInt(chainIndex),
      chainCount: BigInt(chainProof.count),
      chainSiblings: chainProof.siblings,
    },
  }
}
