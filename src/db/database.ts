import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  sql,
  SqliteDialect,
  type LogEvent,
  type SqliteDatabase,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { ukDateOf } from '../domain/dates.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type DbOrTrx = Kysely<Database> | Trx;

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

// Kysely asks SQLite to prepare every statement afresh; a page's statements are the same few
// dozen each time, and preparing them was a tenth of a page's time. Bounded, as statements with
// `in (?, ?, …)` lists come in many lengths.
const STATEMENT_CACHE_SIZE = 500;

/** better-sqlite3 behind Kysely, keeping prepared statements to run again. */
export function reusingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql) => {
      const kept = cache.get(sql);
      // A statement still being iterated (a streamed query) cannot run twice at once.
      if (kept && !kept.busy) {
        // Most recently used last, so the oldest is the one dropped.
        cache.delete(sql);
        cache.set(sql, kept);
        return kept;
      }
      const statement = sqlite.prepare(sql);
      if (!kept) {
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next();
          if (!oldest.done) cache.delete(oldest.value);
        }
      }
      return statement;
    },
  };
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
      dialect: new SqliteDialect({ database: reusingStatements(openSqlite(path)) }),
      ...(log ? { log } : {}),
    });
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection can be ended by the server (a restart, an administrator). The pool drops
  // it and opens another when needed; without a listener Node would treat it as fatal.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`);
  });
  pool.on('connect', (client) => {
    const pid = serverProcess(client);
    if (pid) pgConnections.set(pid, client);
  });
  pool.on('remove', (client) => {
    const pid = serverProcess(client);
    if (pid && pgConnections.get(pid) === client) pgConnections.delete(pid);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
}

/** Every open pool connection, by the process id the server gave it (pg_backend_pid()). */
const pgConnections = new Map<number, pg.PoolClient>();
// pg keeps the id the server sent at start-up (used to cancel queries), but does not type it.
const serverProcess = (client: pg.PoolClient) =>
  (client as pg.PoolClient & { processID?: number | null }).processID ?? undefined;

/**
 * The PostgreSQL connection a transaction runs on, for what Kysely cannot send (COPY … FROM
 * STDIN). Undefined on SQLite, and where the server's process is not one of this process's
 * connections (a pooler such as PgBouncer in between): callers then fall back to plain SQL.
 * Only for a transaction: outside one, each statement may take another connection.
 */
export async function pgConnectionOf(trx: Trx): Promise<pg.ClientBase | undefined> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
  const pid = rows[0]?.pid;
  return pid === undefined ? undefined : pgConnections.get(pid);
}

export function describeDatabase(url: string): string {
  return url.startsWith('sqlite:') ? `SQLite (${url.slice(7)})` : 'PostgreSQL';
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Today's date in the UK, 'YYYY-MM-DD'. */
export function todayIso(): string {
  return ukDateOf(nowIso());
}
