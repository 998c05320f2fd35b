import Database from 'better-sqlite3'
import { readdirSync } from 'node:fs'
const dir = readdirSync('/tmp').filter((d) => d.startsWith('junction-bench-') && !d.includes('gateway'))[0]
const db = new Database(`/tmp/${dir}/junction.db`, { readonly: true, fileMustExist: true })
const t = (name: string, sql: string, ...args: unknown[]) => { const s = performance.now(); const r = db.prepare(sql).all(...args); console.log(name, (performance.now() - s).toFixed(1), 'ms', r.length) }
console.log(db.prepare('SELECT COUNT(*) n FROM bundles_sent').get(), db.prepare('SELECT COUNT(*) n FROM bundles_executed').get(), db.prepare('SELECT COUNT(*) n FROM sl_batches').get())
t('pendingPairs', `SELECT DISTINCT b.source_chain_id, b.destination_chain_id FROM bundles_sent b LEFT JOIN bundles_executed e ON e.bundle_hash = b.bundle_hash WHERE e.bundle_hash IS NULL`)
t('ready', `SELECT b.bundle_hash, b.destination_chain_id FROM bundles_sent b JOIN sl_batches s ON s.sl_chain_id = 31337 AND s.chain_id = b.source_chain_id AND b.block_number BETWEEN s.first_block AND s.last_block
         LEFT JOIN bundles_executed e ON e.bundle_hash = b.bundle_hash
         LEFT JOIN deliveries d ON d.bundle_hash = b.bundle_hash
         WHERE b.source_chain_id = 271 AND b.destination_chain_id = 272 AND e.bundle_hash IS NULL AND s.executed_block IS NOT NULL
           AND (d.bundle_hash IS NULL OR (d.status = 'failed' AND d.retry_at <= 0))
           AND EXISTS (SELECT 1 FROM real_imported_roots i WHERE i.chain_id = b.destination_chain_id AND i.sl_chain_id = 31337 AND i.sl_block_number >= s.executed_block)
         ORDER BY b.block_number, b.log_index LIMIT 400`)
t('demand', `SELECT MAX(s.executed_block) AS needed FROM bundles_sent b JOIN sl_batches s ON s.sl_chain_id = 31337 AND s.chain_id = b.source_chain_id AND b.block_number BETWEEN s.first_block AND s.last_block
         LEFT JOIN bundles_executed e ON e.bundle_hash = b.bundle_hash
         WHERE b.source_chain_id = 271 AND b.destination_chain_id = 272 AND e.bundle_hash IS NULL`)
t('realroots', `SELECT MAX(sl_block_number) AS b FROM real_imported_roots WHERE chain_id = 272 AND sl_chain_id = 31337`)
