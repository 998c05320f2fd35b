// The permissioned RPC's SQLite file: the audit log (every decision) and every version of the
// permissions (the config file's, then each admin change), so that changes outlive a restart.
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { parsePrividiumPermissions, type PrividiumPermissions } from './config.js'

/** One decision: who, what, on which target and selector, allowed or why not. */
export type AuditEntry = {
  /** Milliseconds since the epoch. */
  at: number
  /** The user, or null for an anonymous caller. */
  userId: string | null
  /** The wallet that signed in (or tried to), or null. */
  wallet: string | null
  /** A JSON-RPC method, or `auth:login`, `admin:<METHOD> <path>`. */
  method: string
  target: string | null
  selector: string | null
  allowed: boolean
  /** The rule or permission that allowed it, or why it was refused; what was withheld from the answer. */
  reason: string
  /** The client's address. */
  client: string | null
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, user_id TEXT, wallet TEXT, method TEXT NOT NULL,
  target TEXT, selector TEXT, allowed INTEGER NOT NULL, reason TEXT NOT NULL, client TEXT);
CREATE INDEX IF NOT EXISTS audit_log_by_user ON audit_log (user_id, id);
CREATE TABLE IF NOT EXISTS permission_versions (
  version INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, source TEXT NOT NULL, source_hash TEXT,
  changed_by TEXT NOT NULL, change TEXT NOT NULL, permissions TEXT NOT NULL);
`

/** The permissions in force and where they come from. */
export type PermissionsVersion = { version: number; at: number; source: 'file' | 'admin'; changedBy: string; change: string; permissions: PrividiumPermissions }

/**
 * Opens (or creates) a permissioned RPC's SQLite file. Audit entries are written every 50 ms in one
 * transaction (after the answers), so that the log costs the requests next to nothing; a crash of the
 * process loses at most the last 50 ms of them.
 *
 * @example
 * ```ts
 * const store = new ProxyStore('.junction/prividium-bank-a.db')
 * store.record({ at: Date.now(), userId: 'alice', wallet, method: 'eth_call', target, selector, allowed: true, reason: 'rule', client: '127.0.0.1' })
 * ```
 */
export class ProxyStore {
  readonly db: Database.Database
  readonly #insert: Database.Statement
  readonly #insertMany: (entries: AuditEntry[]) => void
  #queue: AuditEntry[] = []
  #flushScheduled = false

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    this.db = new Database(path)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.exec(SCHEMA)
    this.#insert = this.db.prepare('INSERT INTO audit_log (at, user_id, wallet, method, target, selector, allowed, reason, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    this.#insertMany = this.db.transaction((entries: AuditEntry[]) => {
      for (const e of entries) this.#insert.run(e.at, e.userId, e.wallet, e.method, e.target, e.selector, e.allowed ? 1 : 0, e.reason, e.client)
    })
  }

  /** Queues an audit entry; written within 50 ms, with the others of that time, in one transaction (and at `close()`). */
  record(entry: AuditEntry): void {
    this.#queue.push(entry)
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    setTimeout(() => this.flush(), 50).unref()
  }

  /** Writes the queued audit entries now. */
  flush(): void {
    this.#flushScheduled = false
    if (this.#queue.length === 0 || !this.db.open) return
    const entries = this.#queue
    this.#queue = []
    this.#insertMany(entries)
  }

  /**
   * The permissions to start with: the config file's, unless they are the ones the newest file version
   * recorded, in which case the newest version (admin changes included). So admin changes outlive a
   * restart, and an edited file wins over them (recorded as a new version).
   */
  permissionsAtStart(fromFile: PrividiumPermissions): PermissionsVersion {
    const sourceHash = hashPermissions(fromFile)
    const lastFile = this.db.prepare("SELECT source_hash AS hash FROM permission_versions WHERE source = 'file' ORDER BY version DESC LIMIT 1").get() as { hash: string } | undefined
    if (lastFile?.hash === sourceHash) {
      const newest = this.currentPermissions()
      if (newest) return newest
    }
    return this.savePermissions({ permissions: fromFile, source: 'file', sourceHash, changedBy: 'config file', change: lastFile ? 'the config file changed: its permissions replace the ones in force' : 'loaded from the config file' })
  }

  /** The newest version of the permissions, checked again. */
  currentPermissions(): PermissionsVersion | undefined {
    const row = this.db.prepare('SELECT version, at, source, changed_by AS changedBy, change, permissions FROM permission_versions ORDER BY version DESC LIMIT 1').get() as
      | { version: number; at: number; source: 'file' | 'admin'; changedBy: string; change: string; permissions: string }
      | undefined
    if (!row) return undefined
    return { ...row, permissions: parsePrividiumPermissions(JSON.parse(row.permissions), `permission version ${row.version}`) }
  }

  /** Records a new version of the permissions (already checked) and returns it. */
  savePermissions(parameters: { permissions: PrividiumPermissions; source: 'file' | 'admin'; sourceHash?: string; changedBy: string; change: string }): PermissionsVersion {
    const at = Date.now()
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO permission_versions (at, source, source_hash, changed_by, change, permissions) VALUES (?, ?, ?, ?, ?, ?)')
      .run(at, parameters.source, parameters.sourceHash ?? null, parameters.changedBy, parameters.change, JSON.stringify(parameters.permissions))
    return { version: Number(lastInsertRowid), at, source: parameters.source, changedBy: parameters.changedBy, change: parameters.change, permissions: parameters.permissions }
  }

  close(): void {
    this.flush()
    this.db.close()
  }
}

/** Which audit entries to read. */
export type AuditLogQuery = {
  /** Most recent first, at most this many. Default 100. */
  limit?: number | undefined
  userId?: string | undefined
  wallet?: string | undefined
  method?: string | undefined
  /** Only refusals. */
  refusedOnly?: boolean | undefined
  /** Only entries after this id (to follow the log). */
  afterId?: number | undefined
}

/**
 * Reads the audit log, newest first.
 *
 * @example
 * ```ts
 * readAuditLog(store.db, { refusedOnly: true, limit: 20 })
 * ```
 */
export function readAuditLog(db: Database.Database, query: AuditLogQuery = {}): (AuditEntry & { id: number })[] {
  const where: string[] = []
  const values: unknown[] = []
  const condition = (sql: string, value?: unknown) => {
    where.push(sql)
    if (value !== undefined) values.push(value)
  }
  if (query.userId !== undefined) condition('user_id = ?', query.userId)
  if (query.wallet !== undefined) condition('lower(wallet) = lower(?)', query.wallet)
  if (query.method !== undefined) condition('method = ?', query.method)
  if (query.refusedOnly) condition('allowed = 0')
  if (query.afterId !== undefined) condition('id > ?', query.afterId)
  const rows = db
    .prepare(`SELECT id, at, user_id AS userId, wallet, method, target, selector, allowed, reason, client FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
    .all(...values, query.limit ?? 100) as (Omit<AuditEntry, 'allowed'> & { id: number; allowed: number })[]
  return rows.map((row) => ({ ...row, allowed: row.allowed === 1 }))
}

function hashPermissions(permissions: PrividiumPermissions): string {
  return createHash('sha256').update(JSON.stringify(permissions)).digest('hex')
}
