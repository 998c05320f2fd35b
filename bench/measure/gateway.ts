// The Gateway's cost on L1: the L1 gas of the Gateway's own batches (commit + prove + execute), read
// from the receipts of its settlement transactions, and that cost per message of the chains on the
// Gateway when a Gateway batch carries 10, 100 or 1,000 of them. A Gateway batch carries the Gateway's
// shared root as one message leaf, whatever it covers, so its L1 cost does not grow with the number of
// chain messages under it: the amortised figure is that cost divided by the messages per batch.
import { getAbiItem, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import type { NetworkManifest, ZkChainInfo } from '../../src/network/types.js'
import type { BatchCommitment } from '../../src/protocol/index.js'
import { fromStoredJson } from '../../src/store/storedJson.js'
import type { Store } from '../../src/store/openStore.js'
import { round } from '../../src/testing/load/stats.js'

export type GatewayL1Gas = {
  /** Gateway batches measured. */
  batches: number
  /** Mean L1 gas of one Gateway batch (its share of commit, prove and execute transactions). */
  perBatch: number
  /** L1 gas per chain message when a Gateway batch carries this many. */
  perMessage: { messagesPerBatch: number; gas: number }[]
  /** Messages of the chains on the Gateway per Gateway batch in this run (mean). */
  messagesPerBatchInRun: number
  /** Gas on the Gateway of its asset tracker's approvals (docs/protocol.md §9.10): transactions, messages approved, gas per message. */
  approvals: { transactions: number; messages: number; gasPerTransaction: number; gasPerMessage: number }
}

/** Measures the L1 gas of the Gateway's executed batches recorded in the services' store. */
export async function measureGatewayL1Gas(manifest: NetworkManifest, store: Store): Promise<GatewayL1Gas> {
  const gateway = manifest.chains.find((chain) => chain.role === 'gateway')
  if (!gateway) throw new Error('the network has no Gateway')
  const l1 = new ChainConnection(manifest.l1)
  const rows = store.prepare(`SELECT batch_number, first_block, last_block, commit_tx, prove_tx, execute_tx FROM batches WHERE chain_id = ? AND status = 'executed' ORDER BY batch_number`).all(gateway.chainId) as {
    batch_number: number
    first_block: number
    last_block: number
    commit_tx: Hex
    prove_tx: Hex
    execute_tx: Hex
  }[]
  // One transaction may settle several batches: share its gas among them.
  const batchesPerTx = new Map<Hex, number>()
  for (const r of rows) for (const tx of [r.commit_tx, r.prove_tx, r.execute_tx]) batchesPerTx.set(tx, (batchesPerTx.get(tx) ?? 0) + 1)
  const gasOf = new Map<Hex, bigint>()
  for (const tx of batchesPerTx.keys()) gasOf.set(tx, (await l1.client.getTransactionReceipt({ hash: tx })).gasUsed)
  let total = 0
  for (const r of rows) for (const tx of [r.commit_tx, r.prove_tx, r.execute_tx]) total += Number(gasOf.get(tx)!) / batchesPerTx.get(tx)!
  const perBatch = rows.length ? total / rows.length : 0
  // Messages of the chains on the Gateway whose batches executed within the measured Gateway batches.
  const onGateway = manifest.chains.filter((chain) => chain.settlementLayer === gateway.chainId).map((chain) => chain.chainId)
  const last = rows.at(-1)?.last_block ?? -1
  const messages = onGateway.length
    ? (store
        .prepare(
          `SELECT COUNT(*) AS n FROM message_leaves m JOIN sl_batches s ON s.sl_chain_id = ? AND s.chain_id = m.chain_id AND m.block_number BETWEEN s.first_block AND s.last_block
           WHERE m.chain_id IN (${onGateway.map(() => '?').join(',')}) AND s.executed_block <= ?`,
        )
        .get(gateway.chainId, ...onGateway, last) as { n: number }).n
    : 0
  return {
    approvals: await measureApprovalGas(gateway, store),
    batches: rows.length,
    perBatch: round(perBatch),
    perMessage: [10, 100, 1_000].map((n) => ({ messagesPerBatch: n, gas: round(perBatch / n) })),
    messagesPerBatchInRun: rows.length ? round(messages / rows.length, 2) : 0,
  }
}

/** The Gateway gas of the asset tracker's `approveBatches` transactions in the run, per transaction and per message approved. */
async function measureApprovalGas(gateway: ZkChainInfo, store: Store): Promise<GatewayL1Gas['approvals']> {
  const tracker = gateway.gatewayContracts?.assetTracker
  if (!tracker) return { transactions: 0, messages: 0, gasPerTransaction: 0, gasPerMessage: 0 }
  const chain = new ChainConnection(gateway)
  const logs = await chain.client.getLogs({ address: tracker, event: getAbiItem({ abi: c.gatewayAssetTrackerAbi, name: 'BatchApproved' }), fromBlock: 0n, toBlock: 'latest', strict: true })
  const commitment = store.prepare('SELECT commitment FROM batches WHERE chain_id = ? AND batch_number = ?')
  let messages = 0
  for (const log of logs) {
    const row = commitment.get(Number(log.args.chainId), Number(log.args.batchNumber)) as { commitment: string } | undefined
    if (row) messages += Number(fromStoredJson<BatchCommitment>(row.commitment).messageCount)
  }
  const transactions = [...new Set(logs.map((log) => log.transactionHash))]
  let gas = 0
  for (const hash of transactions) gas += Number((await chain.client.getTransactionReceipt({ hash })).gasUsed)
  return { transactions: transactions.length, messages, gasPerTransaction: transactions.length ? round(gas / transactions.length) : 0, gasPerMessage: messages ? round(gas / messages) : 0 }
}
