// When the ledger keeper asks to be woken: at the earliest refused record's next try (nothing else announces
// it), never sooner than 250 ms from now, and not at all while nothing was refused.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openStore } from '../store/openStore.js'
import { LedgerKeeper } from './LedgerKeeper.js'

test('wakes at the earliest refused record of either table, at most 4 times a second, and not without one', () => {
  const store = openStore(':memory:')
  const keeper = new LedgerKeeper({ store } as unknown as ConstructorParameters<typeof LedgerKeeper>[0])
  assert.equal(keeper.wakeAt(), undefined, 'nothing refused')
  const transfer = store.prepare(`INSERT INTO transfers (chain_id, block_number, log_index, tx_hash, destination_chain_id, asset_id, amount, message, ledger_status, retry_at) VALUES (271, ?, 0, '0x', 272, '0x', '1', '0x', ?, ?)`)
  const left = store.prepare(`INSERT INTO settlement_layer_transfers (chain_id, block_number, log_index, tx_hash, source_chain_id, destination_chain_id, asset_id, amount, message, ledger_status, retry_at) VALUES (31338, ?, 0, '0x', 271, 273, '0x', '1', '0x', ?, ?)`)
  const now = Date.now()
  transfer.run(1, 'pending', null)
  transfer.run(2, 'recorded', null)
  assert.equal(keeper.wakeAt(), undefined, 'pending and recorded records wait for no clock')
  transfer.run(3, 'refused: InsufficientChainBalance', now + 60_000)
  left.run(4, 'refused: InsufficientChainBalance', now + 30_000)
  assert.equal(keeper.wakeAt(), now + 30_000, "the Gateway's record is due first")
  transfer.run(5, 'refused: InsufficientChainBalance', now - 5_000)
  const due = keeper.wakeAt()!
  assert.ok(due >= now + 250 && due <= Date.now() + 250, `a record already due wakes it 250 ms from now (${due - now} ms)`)
  store.close()
})
