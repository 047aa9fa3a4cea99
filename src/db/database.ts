import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type DbOrTrx = Kysely<Database> | Transaction<Database>;

// PostgreSQL returns bigint (count(*), sums) as strings; the values Saferplan counts fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

// Never let a locked SQLite file block the event loop for long: one process writes the file,
// so a wait here means a command-line write is in progress, which is short.
const SQLITE_BUSY_TIMEOUT_MS = 250;

export function openSqlite(path: string): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new SQLite(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  return sqlite;
}

export interface DatabaseOptions {
  /** Called after every statement, ok or failed: the benchmark and tests count them. */
  onQuery?: (event: LogEvent) => void;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Db {
  const log = options.onQuery;
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return new Kysely<Database>({
      dialect: new SqliteDialect({ database: openSqlite(path) }),
      ...(log ? { log } : {}),
    });
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection can be ended by the server (a restart, an administrator). The pool drops
  // it and opens another when needed; without a listener Node would treat it as fatal.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
}

export function describeDatabase(url: string): string {
  return url.startsWith('sqlite:') ? `SQLite (${url.slice(7)})` : 'PostgreSQL';
}

export function nowIso(): string {
  return new Date().toISOString();
}
