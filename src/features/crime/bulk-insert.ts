import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { DbOrTrx } from '../../db/database.js';

type Value = string | number;

/**
 * Inserts many rows of a few columns at once, without building a query tree per row: a
 * national year of ward counts is over a million rows. PostgreSQL takes each column as one
 * array (`unnest`); SQLite a multi-row VALUES whose text repeats for full chunks, so its
 * prepared statement is reused. `types` are the PostgreSQL array types ('text' or 'integer').
 */
export async function bulkInsert(
  db: DbOrTrx,
  table: string,
  columns: readonly { name: string; type: 'text' | 'integer' }[],
  rows: readonly (readonly Value[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const arrays = columns.map((_, i) => rows.map((r) => r[i]));
    const unnest = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
    await db.executeQuery(
      CompiledQuery.raw(
        `insert into "${table}" (${names}) select * from unnest(${unnest})`,
        arrays,
      ),
    );
    return;
  }
  const row = `(${columns.map(() => '?').join(', ')})`;
  const values = new Array<string>(rows.length).fill(row).join(', ');
  await db.executeQuery(
    CompiledQuery.raw(`insert into "${table}" (${names}) values ${values}`, rows.flat()),
  );
}
