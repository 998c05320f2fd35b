import type { Address, Hex, TransactionReceipt } from 'viem'
import type { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { emptyBatchCommitment, merkleRoot, type BatchCommitment } from '../../src/protocol/index.js'

/**
 * A malicious operator's move: commits and "proves" (the development verifier accepts anything) on `sl`
 * the next batch (after the last one committed) of the chain whose settlement contract there is `settlement`, holding exactly the
 * message `leaves` given, for one block past what it committed before (with `dataHash`: a private chain's
 * batch, docs/protocol.md §5.1). Resolves with the batch.
 */
export async function commitForgedBatch(sl: ChainConnection, settlement: Address, operatorKey: Hex, leaves: readonly Hex[], options: { dataHash?: Hex } = {}): Promise<BatchCommitment> {
  const contract = { address: settlement, abi: c.chainSettlementAbi } as const
  const read = <T>(functionName: string, args: readonly unknown[] = []) => sl.client.readContract({ ...contract, functionName, args } as never) as Promise<T>
  const committed = await read<bigint>('totalCommitted')
  const lastCommitted = await read<bigint>('lastCommittedBlock')
  const batch = emptyBatchCommitment({
    batchNumber: committed + 1n,
    previousBatchHash: await read<Hex>('batchHashes', [committed]),
    firstBlock: lastCommitted + 1n,
    lastBlock: lastCommitted + 1n,
    messageRoot: merkleRoot([...leaves]),
    messageCount: BigInt(leaves.length),
    priorityRequestsHash: await read<Hex>('priorityRollingHashes', [await read<bigint>('totalPriorityRequestsProcessed')]),
    ...(options.dataHash ? { dataHash: options.dataHash } : {}),
  })
  await sl.write(operatorKey, { ...contract, functionName: 'commitBatches', args: [[batch]] })
  await sl.write(operatorKey, { ...contract, functionName: 'proveBatches', args: [[batch], '0x'] })
  return batch
}

/** {@link commitForgedBatch}, then executes it (on a Gateway, `beforeExecute` gets it approved first). Resolves with the batch and the execution's receipt. */
export async function forgeBatch(
  sl: ChainConnection,
  settlement: Address,
  operatorKey: Hex,
  leaves: readonly Hex[],
  options: { beforeExecute?: (batch: BatchCommitment) => Promise<unknown> } = {},
): Promise<{ batch: BatchCommitment; execution: TransactionReceipt }> {
  const batch = await commitForgedBatch(sl, settlement, operatorKey, leaves)
  await options.beforeExecute?.(batch)
  const execution = await sl.write(operatorKey, { address: settlement, abi: c.chainSettlementAbi, functionName: 'executeBatches', args: [[batch], [[]]] })
  return { batch, execution }
}
