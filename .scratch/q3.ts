import Database from 'better-sqlite3'
const db = new Database(process.argv[2]!, { fileMustExist: true })
db.exec('CREATE INDEX IF NOT EXISTS sl_batches_by_last_block ON sl_batches (sl_chain_id, chain_id, last_block)')
const t = (name: string, sql: string) => { const s = performance.now(); const r = db.prepare(sql).all(); console.log(name, (performance.now() - s).toFixed(1), 'ms', r.length) }
t('old', `SELECT MAX(s.executed_block) FROM pending_bundles b JOIN sl_batches s ON s.sl_chain_id = 31337 AND s.chain_id = b.source_chain_id AND b.block_number BETWEEN s.first_block AND s.last_block WHERE b.source_chain_id = 271 AND b.destination_chain_id = 272`)
t('new', `SELECT MAX(s.executed_block) FROM pending_bundles b JOIN sl_batches s ON s.sl_chain_id = 31337 AND s.chain_id = b.source_chain_id AND s.first_block <= b.block_number
    AND s.last_block = (SELECT MIN(x.last_block) FROM sl_batches x WHERE x.sl_chain_id = s.sl_chain_id AND x.chain_id = b.source_chain_id AND x.last_block >= b.block_number) WHERE b.source_chain_id = 271 AND b.destination_chain_id = 272`)
