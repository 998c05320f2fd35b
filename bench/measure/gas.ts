// 4. Gas: send and execute per payload size, bundles of 1 and 10 calls, settlement per batch and L1
// gas per message at 1, 10, 100 and 1,000 messages per batch.
import { keccak256, parseEventLogs, stringToHex, toHex, type Hex, type PublicClient } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { encodeExecutionAddressAttribute, formatInteroperableAddress } from '../../src/protocol/index.js'
import { sendMessage } from '../../src/sdk/actions/sendMessage.js'
import { executeBundle, JunctionIndex, ProofNotReadyError, sendBundle } from '../../src/sdk/index.js'
import { openStore } from '../../src/store/openStore.js'
import { fromStoredJson } from '../../src/store/storedJson.js'
import type { BatchCommitment } from '../../src/protocol/index.js'
import { benchRecipientAbi } from '../lib/benchContracts.js'
import { DeliveryWatcher } from '../lib/deliveryWatcher.js'
import type { JunctionBenchNetwork } from '../lib/junctionNetwork.js'
import { DroppedTransactionResender } from '../../src/testing/load/droppedTransactions.js'
import { calldata, makeZkChainKeys, presign, pushSigned } from '../../src/testing/load/load.js'
import { sleep } from '../../src/testing/load/stats.js'
import { join } from 'node:path'
import { walletFor } from '../../src/chain/walletFor.js'

/** A payload of `size` bytes, distinct per `tag`. */
export function payloadOfSize(size: number, tag: string): Hex {
  const head = stringToHex(tag).slice(2)
  return `0x${head.padEnd(size * 2, '0').slice(0, size * 2)}`
}

/** Gas used by the transaction that delivered `payloadHash` to the bench recipient, and how many deliveries it carried. */
export async function deliveryGas(client: PublicClient, recipient: Hex, payloadHash: Hex): Promise<{ gas: number; deliveriesInTransaction: number }> {
  const [log] = await client.getLogs({ address: recipient, event: benchRecipientAbi.find((x) => x.type === 'event')!, args: { payloadHash }, fromBlock: 0n, toBlock: 'latest' })
  if (!log) throw new Error(`no delivery of ${payloadHash} found`)
  const receipt = await client.getTransactionReceipt({ hash: log.transactionHash })
  const deliveries = parseEventLogs({ abi: benchRecipientAbi, logs: receipt.logs, eventName: 'Received' }).length
  return { gas: Number(receipt.gasUsed), deliveriesInTransaction: deliveries }
}

export type MessageGas = { payloadBytes: number; samples: number; send: number; execute: number; deliveriesInTransaction: number }

/** Messages per payload size whose gas is averaged (costs move with storage slots first written, tree positions). */
export const GAS_SAMPLES = 3

/** sendMessage and its execution (alone, by the relayer) for each payload size: the mean of {@link GAS_SAMPLES} messages, after one warm-up message. */
export async function measureMessageGas(bench: JunctionBenchNetwork, sizes: number[]): Promise<MessageGas[]> {
  const { manifest } = bench
  const [alpha, beta] = manifest.chains as [typeof manifest.chains[0], typeof manifest.chains[0]]
  const wallet = walletFor(alpha, manifest.accounts.users[1]!.privateKey)
  const betaClient = new ChainConnection(beta).client
  const watcher = new DeliveryWatcher({ rpcUrls: [beta.rpcUrl], recipient: bench.recipient })
  await watcher.start()
  const one = async (size: number, tag: string) => {
    const payload = payloadOfSize(size, `${tag} ${Date.now()}`)
    const sent = await sendMessage(wallet, { recipient: { chainId: beta.chainId, address: bench.recipient }, payload, interopCenter: manifest.l2Contracts.interopCenter })
    if ((await watcher.waitFor([keccak256(payload)], 60_000)) > 0) throw new Error(`a ${size}-byte message was not delivered within 60 s`)
    return { send: Number(sent.receipt.gasUsed), ...(await deliveryGas(betaClient, bench.recipient, keccak256(payload))) }
  }
  const out: MessageGas[] = []
  try {
    await one(32, 'gas warm-up')
    for (const size of sizes) {
      const samples = []
      for (let i = 0; i < GAS_SAMPLES; i++) samples.push(await one(size, `gas ${size} ${i}`))
      out.push({ payloadBytes: size, samples: samples.length, send: mean(samples.map((s) => s.send)), execute: mean(samples.map((s) => s.gas)), deliveriesInTransaction: Math.max(...samples.map((s) => s.deliveriesInTransaction)) })
    }
  } finally {
    await watcher.stop()
  }
  return out
}

/** The rounded mean. */
export const mean = (values: number[]): number => Math.round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length))

/** sendBundle / executeBundle with 1 and 10 calls (each call a 32-byte payload to the bench recipient), executed by the bundle's execution address. */
export async function measureBundleGas(bench: JunctionBenchNetwork): Promise<Record<string, { send: number; execute: number }>> {
  const { manifest } = bench
  const [alpha, beta] = manifest.chains as [typeof manifest.chains[0], typeof manifest.chains[0]]
  const executor = manifest.accounts.users[0]!
  const sender = walletFor(alpha, manifest.accounts.users[2]!.privateKey)
  const betaWallet = walletFor(beta, executor.privateKey)
  // Proofs from the services' store: an index synced from the chains would fetch every log of the run at once.
  const store = openStore(join(bench.dataDir, 'junction.db'))
  const index = new JunctionIndex(manifest, { store, syncFromChains: false })
  const out: Record<string, { send: number; execute: number }> = {}
  try {
  for (const size of [1, 10]) {
    const sent = await sendBundle(sender, {
      destinationChainId: beta.chainId,
      calls: Array.from({ length: size }, (_, i) => ({ to: bench.recipient, data: payloadOfSize(32, `bundle ${size} call ${i} ${Date.now()}`) })),
      // Restricted to our executor, so the relayer leaves it and we measure executeBundle alone.
      attributes: [encodeExecutionAddressAttribute({ chainId: beta.chainId, address: executor.address })],
      interopCenter: manifest.l2Contracts.interopCenter,
    })
    let executed
    let notReady: unknown
    for (const deadline = performance.now() + 60_000; !executed && performance.now() < deadline; ) {
      executed = await executeBundle(betaWallet, index, { bundleHash: sent.bundleHash }).catch((error: unknown) => {
        if (!(error instanceof ProofNotReadyError)) throw error
        notReady = error
        return undefined
      })
      if (!executed) await sleep(50)
    }
    if (!executed) throw new Error(`a ${size}-call bundle could not be executed within 60 s: ${notReady instanceof Error ? notReady.message : 'no proof yet'}`, { cause: notReady })
    out[`${size}`] = { send: Number(sent.receipt.gasUsed), execute: Number(executed.receipt.gasUsed) }
  }
  } finally {
    store.close()
  }
  return out
}

export type AmortisedGas = { messagesPerBatch: number; batchNumber: number; messagesInBatch: number; commit: number; prove: number; execute: number; l1PerBatch: number; l1PerMessage: number }

/**
 * L1 gas per message at each batch size, measured on the contracts: the services run with the
 * batcher's policy `--batch-max-messages N --batch-max-delay-ms 600000` (seal exactly when N
 * messages wait), N messages are sent, and the commit, prove and execute transactions of the one
 * batch that holds them are read from L1 (each of them carries that batch alone).
 */
export async function measureAmortisedGas(bench: JunctionBenchNetwork, sizes: number[]): Promise<AmortisedGas[]> {
  const { manifest } = bench
  const [alpha, beta] = manifest.chains as [typeof manifest.chains[0], typeof manifest.chains[0]]
  const l1 = new ChainConnection(manifest.l1).client
  const store = openStore(join(bench.dataDir, 'junction.db'))
  const out: AmortisedGas[] = []
  try {
    const recipient = formatInteroperableAddress({ chainId: BigInt(beta.chainId), address: bench.recipient })
    for (const n of sizes) {
      await bench.restartCore(['--batch-max-messages', String(n), '--batch-max-delay-ms', '600000'])
      const lastBatch = (store.prepare('SELECT MAX(batch_number) AS b FROM batches WHERE chain_id = ?').get(alpha.chainId) as { b: number | null }).b ?? 0
      const senders = Math.min(8, n)
      const keys = await makeZkChainKeys(`amortised ${n}`, senders, [alpha], manifest.accounts.users[0]!.privateKey)
      const perKey = Math.ceil(n / senders)
      const signed = await presign({
        chainId: alpha.chainId,
        rpcUrl: alpha.rpcUrl,
        keys,
        perKey,
        build: (k, i) => ({ to: manifest.l2Contracts.interopCenter, gas: 200_000n, data: calldata(c.interopCenterAbi, 'sendMessage', [recipient, toHex(`amortised ${n} ${k} ${i}`), []]) }),
      })
      // Exactly n: drop what rounding added.
      let extra = perKey * senders - n
      for (let k = signed.length - 1; extra > 0 && k >= 0; k--) while (extra > 0 && signed[k]!.length > 0) (signed[k]!.pop(), extra--)
      const resender = new DroppedTransactionResender({ rpcUrl: alpha.rpcUrl, keys, signed })
      resender.start()
      let row: { batch_number: number; commitment: string; commit_tx: Hex; prove_tx: Hex; execute_tx: Hex } | undefined
      try {
        await pushSigned(alpha.rpcUrl, signed, (k, i) => resender.accepted(k, i))
        for (const deadline = performance.now() + 120_000; !row && performance.now() < deadline; ) {
          row = store.prepare(`SELECT batch_number, commitment, commit_tx, prove_tx, execute_tx FROM batches WHERE chain_id = ? AND batch_number > ? AND status = 'executed' ORDER BY batch_number LIMIT 1`).get(alpha.chainId, lastBatch) as typeof row
          if (!row) await sleep(50)
        }
      } finally {
        await resender.stop()
      }
      if (!row) throw new Error(`no batch of ${n} messages executed on L1 within 120 s`)
      const gasOf = async (hash: Hex) => {
        const shared = (store.prepare('SELECT COUNT(*) AS n FROM batches WHERE commit_tx = ? OR prove_tx = ? OR execute_tx = ?').get(hash, hash, hash) as { n: number }).n
        return Math.round(Number((await l1.getTransactionReceipt({ hash })).gasUsed) / Math.max(1, shared))
      }
      const [commit, prove, execute] = await Promise.all([gasOf(row.commit_tx), gasOf(row.prove_tx), gasOf(row.execute_tx)])
      const messagesInBatch = Number(fromStoredJson<BatchCommitment>(row.commitment).messageCount)
      const l1PerBatch = commit + prove + execute
      out.push({ messagesPerBatch: n, batchNumber: row.batch_number, messagesInBatch, commit, prove, execute, l1PerBatch, l1PerMessage: Math.round(l1PerBatch / Math.max(1, messagesInBatch)) })
    }
  } finally {
    store.close()
    await bench.restartCore([])
  }
  return out
}

export type LoadGas = { messages: number; l1Batches: number; l1Transactions: number; l1PerBatch: number; l1PerMessage: number; executeTransactions: number; executePerBundle: number }

/**
 * Gas as the services spent it so far (default policy: a batch sealed at every chance, several
 * batches per L1 transaction when they queue): L1 gas of every settled batch (of both chains, so root
 * imports' batches are counted too) per message, and destination gas per bundle of the relayer's
 * executeBundles transactions.
 */
export async function measureLoadGas(bench: JunctionBenchNetwork): Promise<LoadGas> {
  const store = openStore(join(bench.dataDir, 'junction.db'))
  try {
    const l1 = new ChainConnection(bench.manifest.l1).client
    const batches = store.prepare(`SELECT commit_tx, prove_tx, execute_tx FROM batches WHERE status = 'executed'`).all() as { commit_tx: Hex; prove_tx: Hex; execute_tx: Hex }[]
    const l1Txs = [...new Set(batches.flatMap((b) => [b.commit_tx, b.prove_tx, b.execute_tx]))]
    let l1Gas = 0
    for (const hash of l1Txs) l1Gas += Number((await l1.getTransactionReceipt({ hash })).gasUsed)
    const messages = (store.prepare('SELECT COUNT(*) AS n FROM message_leaves').get() as { n: number }).n
    const executions = store.prepare('SELECT chain_id, tx_hash, COUNT(*) AS n FROM bundles_executed GROUP BY chain_id, tx_hash').all() as { chain_id: number; tx_hash: Hex; n: number }[]
    let executeGas = 0
    let bundles = 0
    for (const row of executions) {
      const chain = bench.manifest.chains.find((ch) => ch.chainId === row.chain_id)!
      executeGas += Number((await new ChainConnection(chain).client.getTransactionReceipt({ hash: row.tx_hash })).gasUsed)
      bundles += row.n
    }
    return {
      messages,
      l1Batches: batches.length,
      l1Transactions: l1Txs.length,
      l1PerBatch: Math.round(l1Gas / Math.max(1, batches.length)),
      l1PerMessage: Math.round(l1Gas / Math.max(1, messages)),
      executeTransactions: executions.length,
      executePerBundle: Math.round(executeGas / Math.max(1, bundles)),
    }
  } finally {
    store.close()
  }
}
