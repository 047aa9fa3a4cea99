import pg from 'pg';
import { openSqlite } from '../src/db/database.js';

export type Cell = number | string | null;

/** Rows for one table, in key order: inserts into a b-tree in order are the fast ones. */
export interface BulkRows {
  table: string;
  columns: readonly (readonly [name: string, type: 'integer' | 'text'])[];
  rows: Cell[][];
  /** The table's id column is an identity column that must carry on after the given ids. */
  hasId?: boolean;
}

// PostgreSQL takes each column as one array parameter; chunks keep a statement's arrays small.
const PG_CHUNK = 20_000;

/**
 * Loads many rows at once, in one transaction: all or nothing. SQLite: one prepared statement
 * per table, run for every row. PostgreSQL: `insert … select * from unnest(arrays)`, then every
 * identity column is moved past the ids given, so later inserts through the services still work.
 */
export async function bulkInsert(url: string, batches: readonly BulkRows[]): Promise<void> {
  if (url.startsWith('sqlite:')) {
    const sqlite = openSqlite(url.slice('sqlite:'.length));
    try {
      sqlite.transaction(() => {
        for (const b of batches) {
          const names = b.columns.map(([name]) => name);
          const insert = sqlite.prepare(
            `insert into ${b.table} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`,
          );
          for (const row of b.rows) insert.run(row);
        }
      })();
    } finally {
      sqlite.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    for (const b of batches) {
      const names = b.columns.map(([name]) => name).join(', ');
      const arrays = b.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
      const statement = `insert into ${b.table} (${names}) select * from unnest(${arrays})`;
      for (let from = 0; from < b.rows.length; from += PG_CHUNK) {
        const chunk = b.rows.slice(from, from + PG_CHUNK);
        await client.query(
          statement,
          b.columns.map((_, i) => chunk.map((row) => row[i] ?? null)),
        );
      }
      if (b.hasId) {
        await client.query(
          `select setval(pg_get_serial_sequence('${b.table}', 'id'), (select max(id) from ${b.table}))`,
        );
      }
    }
    await client.query('commit');
    // As autovacuum would in time: without statistics the planner guesses, and can guess badly.
    for (const b of batches) await client.query(`analyze ${b.table}`);
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    await client.end();
  }
}
