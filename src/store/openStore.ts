import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/** The SQLite database that holds every service's durable progress. */
export type Store = Database.Database

const SCHEMA_VERSION = 4

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, block INTEGER NOT NULL);

-- what the chain indexers saw on each ZK chain
CREATE TABLE IF NOT EXISTS bundles_sent (
  bundle_hash TEXT PRIMARY KEY, source_chain_id INTEGER NOT NULL, destination_chain_id INTEGER NOT NULL,
  sender TEXT NOT NULL, bundle TEXT NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
  tx_hash TEXT NOT NULL, seen_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS bundles_sent_by_block ON bundles_sent (source_chain_id, block_number);
CREATE TABLE IF NOT EXISTS message_leaves (
  chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
  sender TEXT NOT NULL, payload_hash TEXT NOT NULL, leaf TEXT NOT NULL,
  PRIMARY KEY (chain_id, block_number, log_index));
-- a leaf's occurrences (proofs of withdrawals and transfers look them up by leaf)
CREATE INDEX IF NOT EXISTS message_leaves_by_leaf ON message_leaves (chain_id, leaf, block_number, log_index);
CREATE TABLE IF NOT EXISTS imported_roots (
  chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
  sl_chain_id INTEGER NOT NULL, sl_block_number INTEGER NOT NULL, root TEXT NOT NULL, seen_at INTEGER NOT NULL,
  PRIMARY KEY (chain_id, block_number, log_index));
-- the newest root a chain imported from a settlement layer (proofs and readiness ask it every round)
CREATE INDEX IF NOT EXISTS imported_roots_by_layer ON imported_roots (chain_id, sl_chain_id, sl_block_number);
-- committed finality (docs/protocol.md §12, opt-in): message roots of source batches only committed on
-- their settlement layer that a chain imported (under a committed-batch key)
CREATE TABLE IF NOT EXISTS imported_batch_roots (
  chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
  sl_chain_id INTEGER NOT NULL, source_chain_id INTEGER NOT NULL, batch_number INTEGER NOT NULL, root TEXT NOT NULL, seen_at INTEGER NOT NULL,
  PRIMARY KEY (chain_id, block_number, log_index));
CREATE INDEX IF NOT EXISTS imported_batch_roots_by_batch ON imported_batch_roots (chain_id, sl_chain_id, source_chain_id, batch_number);
CREATE TABLE IF NOT EXISTS bundles_executed (
  bundle_hash TEXT PRIMARY KEY, chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL,
  tx_hash TEXT NOT NULL, seen_at INTEGER NOT NULL);
-- bundles that paid a fee on their source chain and whose fee is not claimed yet (docs/fees.md): once one is
-- executed, its source needs a root covering the destination's execution record for the claim
CREATE TABLE IF NOT EXISTS unclaimed_fees (
  bundle_hash TEXT PRIMARY KEY, source_chain_id INTEGER NOT NULL, destination_chain_id INTEGER NOT NULL);

-- the bundles sent and not executed yet (kept by triggers): what the relayer, the root importers and
-- statuses look at, so that their queries stay small however many bundles were delivered before
CREATE TABLE IF NOT EXISTS pending_bundles (
  bundle_hash TEXT PRIMARY KEY, source_chain_id INTEGER NOT NULL, destination_chain_id INTEGER NOT NULL,
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS pending_bundles_by_pair ON pending_bundles (source_chain_id, destination_chain_id, block_number, log_index);
CREATE TRIGGER IF NOT EXISTS pending_on_sent AFTER INSERT ON bundles_sent
  WHEN NOT EXISTS (SELECT 1 FROM bundles_executed e WHERE e.bundle_hash = NEW.bundle_hash)
  BEGIN INSERT OR IGNORE INTO pending_bundles VALUES (NEW.bundle_hash, NEW.source_chain_id, NEW.destination_chain_id, NEW.block_number, NEW.log_index); END;
CREATE TRIGGER IF NOT EXISTS pending_on_executed AFTER INSERT ON bundles_executed
  BEGIN DELETE FROM pending_bundles WHERE bundle_hash = NEW.bundle_hash; END;
INSERT OR IGNORE INTO pending_bundles
  SELECT b.bundle_hash, b.source_chain_id, b.destination_chain_id, b.block_number, b.log_index FROM bundles_sent b
  WHERE NOT EXISTS (SELECT 1 FROM bundles_executed e WHERE e.bundle_hash = b.bundle_hash)
    AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'pending_bundles_filled');
INSERT OR IGNORE INTO meta (key, value) VALUES ('pending_bundles_filled', '1');

-- the imported roots that really are settlement-layer roots (an operator may import a bad one):
-- the only ones proofs, root imports, relaying and statuses may rely on
CREATE VIEW IF NOT EXISTS real_imported_roots AS
  SELECT i.* FROM imported_roots i
  JOIN sl_roots r ON r.sl_chain_id = i.sl_chain_id AND r.block_number = i.sl_block_number AND r.root = i.root;

-- what the settlement-layer indexer saw
CREATE TABLE IF NOT EXISTS sl_chains (
  sl_chain_id INTEGER NOT NULL, chain_id INTEGER NOT NULL, idx INTEGER NOT NULL, block_number INTEGER NOT NULL,
  PRIMARY KEY (sl_chain_id, chain_id));
CREATE TABLE IF NOT EXISTS sl_batches (
  sl_chain_id INTEGER NOT NULL, chain_id INTEGER NOT NULL, batch_number INTEGER NOT NULL,
  first_block INTEGER NOT NULL, last_block INTEGER NOT NULL, message_root TEXT NOT NULL,
  committed_block INTEGER NOT NULL, committed_at INTEGER NOT NULL,
  proven_block INTEGER, proven_at INTEGER, executed_block INTEGER, executed_at INTEGER,
  PRIMARY KEY (sl_chain_id, chain_id, batch_number));
-- the batch holding a block: the first batch whose last block is at or after it (an index seek, not a scan)
CREATE INDEX IF NOT EXISTS sl_batches_by_last_block ON sl_batches (sl_chain_id, chain_id, last_block);
-- where a chain's blocks settle after it moved (docs/protocol.md §11), from L1's registry (ChainMigrated):
-- from from_block on, on sl_chain_id; in the order L1 recorded the moves (the first epoch of every chain
-- is its deployment's, from the manifest; two moves may start at the same block, the later one counts)
CREATE TABLE IF NOT EXISTS settlement_epochs (
  chain_id INTEGER NOT NULL, from_block INTEGER NOT NULL, sl_chain_id INTEGER NOT NULL,
  l1_block INTEGER NOT NULL, log_index INTEGER NOT NULL,
  PRIMARY KEY (chain_id, l1_block, log_index));
-- the tree of batches a chain brought to a settlement layer when it moved there: batch_count leaves
CREATE TABLE IF NOT EXISTS sl_chain_trees (
  sl_chain_id INTEGER NOT NULL, chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, batch_count INTEGER NOT NULL,
  PRIMARY KEY (sl_chain_id, chain_id, block_number));
-- gas prices the operator posted on L1 (ChainRegistry.postGasPrices, docs/fees.md), carried to chains with the roots they import
CREATE TABLE IF NOT EXISTS gas_prices (
  sl_chain_id INTEGER NOT NULL, chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, wei_per_gas TEXT NOT NULL,
  PRIMARY KEY (sl_chain_id, chain_id, block_number));
CREATE TABLE IF NOT EXISTS sl_roots (
  sl_chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, root TEXT NOT NULL, seen_at INTEGER NOT NULL,
  PRIMARY KEY (sl_chain_id, block_number));

-- the shared bridge: priority requests queued on the settlement layer, processed on the chain; withdrawals
CREATE TABLE IF NOT EXISTS priority_requests (
  sl_chain_id INTEGER NOT NULL, chain_id INTEGER NOT NULL, idx INTEGER NOT NULL, l2_target TEXT NOT NULL, data TEXT NOT NULL,
  request_hash TEXT NOT NULL, rolling_hash TEXT NOT NULL, block_number INTEGER NOT NULL, seen_at INTEGER NOT NULL,
  PRIMARY KEY (chain_id, idx));
CREATE TABLE IF NOT EXISTS priority_processed (
  chain_id INTEGER NOT NULL, idx INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
  rolling_hash TEXT NOT NULL, seen_at INTEGER NOT NULL,
  PRIMARY KEY (chain_id, idx));
CREATE TABLE IF NOT EXISTS withdrawals (
  chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, tx_hash TEXT NOT NULL,
  asset_id TEXT NOT NULL, l2_sender TEXT NOT NULL, l1_receiver TEXT NOT NULL, amount TEXT NOT NULL, message TEXT NOT NULL,
  PRIMARY KEY (chain_id, block_number, log_index));
CREATE INDEX IF NOT EXISTS withdrawals_by_tx ON withdrawals (tx_hash);
CREATE TABLE IF NOT EXISTS transfers (
  chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, tx_hash TEXT NOT NULL,
  destination_chain_id INTEGER NOT NULL, asset_id TEXT NOT NULL, amount TEXT NOT NULL, message TEXT NOT NULL,
  ledger_status TEXT NOT NULL DEFAULT 'pending', ledger_tx TEXT, retry_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, refused_since INTEGER,
  PRIMARY KEY (chain_id, block_number, log_index));
-- value that left a Gateway for a chain that does not settle on it (its asset tracker's TransferLeftGateway,
-- docs/protocol.md §9.10), recorded on L1 by the ledger keeper: chain_id is the Gateway chain's
CREATE TABLE IF NOT EXISTS settlement_layer_transfers (
  chain_id INTEGER NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, tx_hash TEXT NOT NULL,
  source_chain_id INTEGER NOT NULL, destination_chain_id INTEGER NOT NULL, asset_id TEXT NOT NULL, amount TEXT NOT NULL,
  message TEXT NOT NULL, ledger_status TEXT NOT NULL DEFAULT 'pending', ledger_tx TEXT, retry_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, refused_since INTEGER,
  PRIMARY KEY (chain_id, block_number, log_index));

-- the batcher's sealed batches and the submitter's progress
CREATE TABLE IF NOT EXISTS batches (
  chain_id INTEGER NOT NULL, batch_number INTEGER NOT NULL, first_block INTEGER NOT NULL, last_block INTEGER NOT NULL,
  commitment TEXT NOT NULL, imported_roots TEXT NOT NULL, batch_hash TEXT NOT NULL, status TEXT NOT NULL,
  sealed_at INTEGER NOT NULL, committed_at INTEGER, proven_at INTEGER, executed_at INTEGER,
  commit_tx TEXT, prove_tx TEXT, execute_tx TEXT,
  PRIMARY KEY (chain_id, batch_number));

-- a private chain's batch data (validium, docs/protocol.md §5.1): the preimage of its commitment's dataHash,
-- the hashes of the batch's transactions in order (the transactions themselves are in the chain's node).
-- Kept nowhere else: the operator's to keep
CREATE TABLE IF NOT EXISTS batch_data (
  chain_id INTEGER NOT NULL, batch_number INTEGER NOT NULL, transaction_hashes TEXT NOT NULL,
  PRIMARY KEY (chain_id, batch_number));

-- the blindings of private chains' bundles (docs/protocol.md §4.1), from the InteropCenter's BundleBlinded
-- events: the bundle's leaf records commitment = H(0x08 ‖ bundle_hash ‖ blinding) instead of its hash
CREATE TABLE IF NOT EXISTS bundle_blindings (
  bundle_hash TEXT PRIMARY KEY, blinding TEXT NOT NULL, commitment TEXT NOT NULL);
-- the blindings of private chains' withdrawals and transfers (docs/protocol.md §9.13), from the L2AssetRouter's
-- WithdrawalBlinded and TransferBlinded events: the message's leaf records commitment = H(0x08 ‖ payload_hash ‖
-- blinding), where payload_hash = keccak256(message), instead of payload_hash (two equal messages of a chain share
-- one row)
CREATE TABLE IF NOT EXISTS bridge_message_blindings (
  chain_id INTEGER NOT NULL, payload_hash TEXT NOT NULL, blinding TEXT NOT NULL, commitment TEXT NOT NULL,
  PRIMARY KEY (chain_id, payload_hash));

-- batches a Gateway's asset tracker refused for now because their chain holds less than they move
-- (docs/protocol.md §9.10): they wait for a credit from L1; the submitter clears a row once it is approved
CREATE TABLE IF NOT EXISTS approval_waits (
  chain_id INTEGER NOT NULL, batch_number INTEGER NOT NULL, sl_chain_id INTEGER NOT NULL,
  asset_id TEXT NOT NULL, balance TEXT NOT NULL, amount TEXT NOT NULL, since INTEGER NOT NULL, checked_at INTEGER NOT NULL,
  PRIMARY KEY (chain_id, batch_number));

-- the relayer's attempts
CREATE TABLE IF NOT EXISTS deliveries (
  bundle_hash TEXT PRIMARY KEY, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT, tx_hash TEXT, updated_at INTEGER NOT NULL, retry_at INTEGER);
`

/**
 * Opens (and creates or migrates) the SQLite store at `path`; `':memory:'` gives a throw-away store.
 *
 * WAL journal: a killed process loses nothing that was committed.
 *
 * @example
 * ```ts
 * const store = openStore('.junction/junction.db')
 * ```
 */
export function openStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  db.exec(SCHEMA)
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: string } | undefined
  if (!row) db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION))
  else if (Number(row.value) !== SCHEMA_VERSION) {
    db.close()
    throw new Error(`store ${path} has schema version ${row.value}, this Junction expects ${SCHEMA_VERSION}: use a new --data-dir`)
  }
  return db
}

/** Reads a named block cursor (the last block a service finished), or `fallback`. */
export function readCursor(store: Store, name: string, fallback: number): number {
  const row = statement(store, 'SELECT block FROM cursors WHERE name = ?').get(name) as { block: number } | undefined
  return row ? row.block : fallback
}

/** Writes a named block cursor; call it inside the transaction that stores what the block range gave. */
export function writeCursor(store: Store, name: string, block: number): void {
  statement(store, 'INSERT INTO cursors (name, block) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET block = excluded.block').run(name, block)
}

const statements = new WeakMap<Store, Map<string, Database.Statement>>()

/**
 * The prepared statement for `sql` on `store`, prepared once and kept: hot paths (proofs, readiness)
 * run the same few queries thousands of times, and preparing costs more than running them.
 *
 * @example
 * ```ts
 * const row = statement(store, 'SELECT block FROM cursors WHERE name = ?').get(name)
 * ```
 */
export function statement(store: Store, sql: string): Database.Statement {
  let cache = statements.get(store)
  if (!cache) statements.set(store, (cache = new Map()))
  let prepared = cache.get(sql)
  if (!prepared) cache.set(sql, (prepared = store.prepare(sql)))
  return prepared
}
