// What a token transfer costs L1's ledger, per path (docs/protocol.md §9.5, §9.11): between two chains of
// the Gateway nothing (the Gateway's asset tracker moved it when it approved the source batch); out of the
// Gateway one record of the tracker's settlement-layer transfer message (a one-level proof of the Gateway
// chain's message); from a chain on L1 one record of its transfer message (and, into the Gateway, the
// credit queued for its tracker). Read from the ledger keeper's transactions in the services' store.
import type { Address, Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import type { NetworkManifest } from '../../src/network/types.js'
import { deposit, transfer, waitForDeposit, waitForMessage, type JunctionIndex } from '../../src/sdk/index.js'
import { zkChainCursor } from '../../src/indexer/ZkChainIndexer.js'
import { readCursor, type Store } from '../../src/store/openStore.js'
import { walletFor } from '../../src/chain/walletFor.js'

/** L1's ledger cost of one token transfer on one path. */
export type LedgerGas = {
  path: string
  from: string
  to: string
  /** L1 transactions the ledger keeper sent for it (0: L1 is not involved). */
  l1Transactions: number
  /** Their L1 gas. */
  l1Gas: number
}

const paths = [
  { path: 'Gateway → Gateway', from: 'alpha', to: 'beta' },
  { path: 'Gateway → L1-settled', from: 'alpha', to: 'gamma' },
  { path: 'L1-settled → Gateway', from: 'gamma', to: 'alpha' },
  { path: 'L1-settled → L1-settled', from: 'gamma', to: 'delta' },
]

/** Measures L1's ledger cost of one token transfer on each path of a network with alpha, beta on the Gateway and gamma, delta on L1. */
export async function measureLedgerGas(parameters: { manifest: NetworkManifest; index: JunctionIndex; store: Store; userKey: Hex }): Promise<LedgerGas[]> {
  const { manifest, index, store, userKey } = parameters
  const named = (name: string) => {
    const chain = manifest.chains.find((info) => info.name === name)
    if (!chain) throw new Error(`the bench network has no chain ${name}`)
    return chain
  }
  const l1 = new ChainConnection(manifest.l1)
  const l1Wallet = walletFor(manifest.l1, userKey)
  const user = l1Wallet.account.address as Address
  const token = (await l1.deploy(userKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Ledger', 'LDG', 18], action: 'deploy TestToken' })).address
  await l1.write(userKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user, 1_000_000n] })
  let assetId: Hex | undefined
  for (const name of ['alpha', 'gamma']) {
    const deposited = await deposit(l1Wallet, { manifest, chainId: named(name).chainId, token, amount: 100_000n })
    assetId = deposited.assetId
    await waitForDeposit(new ChainConnection(named(name)).client, { manifest, requestIndex: deposited.requestIndex })
  }
  const results: LedgerGas[] = []
  for (const [i, p] of paths.entries()) {
    // A distinct amount per path finds the Gateway's record of it.
    const amount = 1_000n + BigInt(i)
    const source = named(p.from)
    const destination = named(p.to)
    const sent = await transfer(walletFor(source, userKey), { manifest, assetId: assetId!, amount, destinationChainId: destination.chainId })
    await waitForMessage(index, { bundleHash: sent.bundleHash, timeoutMs: 120_000, pollMs: 20 })
    const ledgerTxs = await settledRecords(store, { sourceChainId: source.chainId, destinationChainId: destination.chainId, sendTx: sent.receipt.transactionHash, amount })
    let l1Gas = 0
    for (const hash of ledgerTxs) l1Gas += Number((await l1.client.getTransactionReceipt({ hash })).gasUsed)
    results.push({ ...p, l1Transactions: ledgerTxs.length, l1Gas })
  }
  return results
}

/** Waits until the ledger keeper is done with the transfer, and returns the L1 transactions it sent for it. */
async function settledRecords(store: Store, t: { sourceChainId: number; destinationChainId: number; sendTx: Hex; amount: bigint }): Promise<Hex[]> {
  const deadline = Date.now() + 120_000
  for (;;) {
    const own = store.prepare('SELECT block_number, ledger_status, ledger_tx FROM transfers WHERE chain_id = ? AND tx_hash = ?').get(t.sourceChainId, t.sendTx) as
      | { block_number: number; ledger_status: string; ledger_tx: Hex | null }
      | undefined
    if (own?.ledger_status === 'recorded' && own.ledger_tx) return [own.ledger_tx]
    if (own?.ledger_status.startsWith('accounted on')) {
      // Accounted on the Gateway, which records for L1 only what leaves it, in the transaction that
      // executed the source batch: once the Gateway chain is indexed past it, a record is there or none is.
      const gateway = Number(own.ledger_status.replace('accounted on ', ''))
      const left = store
        .prepare('SELECT ledger_status, ledger_tx FROM settlement_layer_transfers WHERE source_chain_id = ? AND destination_chain_id = ? AND amount = ?')
        .get(t.sourceChainId, t.destinationChainId, String(t.amount)) as { ledger_status: string; ledger_tx: Hex | null } | undefined
      if (left?.ledger_status === 'recorded' && left.ledger_tx) return [left.ledger_tx]
      const executed = store
        .prepare('SELECT executed_block FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND ? BETWEEN first_block AND last_block AND executed_block IS NOT NULL')
        .get(gateway, t.sourceChainId, own.block_number) as { executed_block: number } | undefined
      if (!left && executed && readCursor(store, zkChainCursor(gateway), -1) >= executed.executed_block) return []
    }
    if (Date.now() > deadline) throw new Error(`the ledger keeper did not finish with transfer ${t.sendTx} in 120 s (status ${own?.ledger_status ?? 'not indexed'})`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
