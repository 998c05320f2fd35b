import Database from 'better-sqlite3'
import { readdirSync } from 'node:fs'
const dir = readdirSync('/tmp').filter((d) => d.startsWith('junction-bench-') && !d.includes('gateway'))[0]
const db = new Database(`/tmp/${dir}/junction.db`, { readonly: true, fileMustExist: true })
console.log(db.prepare('SELECT COUNT(*) n FROM bundles_sent').get(), db.prepare('SELECT COUNT(*) n FROM bundles_executed').get(), db.prepare('SELECT COUNT(*) n FROM pending_bundles').get(), db.prepare('SELECT COUNT(*) n FROM sl_batches').get())
const t = (name: string, sql: string) => { const s = performance.now(); db.prepare(sql).all(); console.log(name, (performance.now() - s).toFixed(1), 'ms') }
t('pairs', 'SELECT DISTINCT source_chain_id, destination_chain_id FROM pending_bundles')
