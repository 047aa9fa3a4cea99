import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { DbOrTrx } from '../../db/database.js';

type Value = string | number;

/**
 * Inserts many rows of a few columns at once, given column by column (as DuckDB hands them
 * over), without building a query tree per row: a national year of ward counts is over a
 * million rows. PostgreSQL takes each column as one array (`unnest`); SQLite a multi-row
 * VALUES whose text repeats for full chunks, so its prepared statement is reused. `type` is
 * the PostgreSQL array type.
 */
export async function bulkInsert(
  db: DbOrTrx,
  table: string,
  columns: readonly { name: string; type: 'text' | 'integer' }[],
  values: readonly (readonly Value[])[],
): Promise<void> {
  const count = values[0]?.length ?? 0;
  if (count === 0) return;
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const unnest = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
    await db.executeQuery(
      CompiledQuery.raw(`insert into "${table}" (${names}) select * from unnest(${unnest})`, [
        ...values,
      ]),
    );
    return;
  }
  const width = columns.length;
  const parameters = new Array<Value>(count * width);
  for (let c = 0; c < width; c++) {
    const column = values[c] ?? [];
    for (let r = 0; r < count; r++) parameters[r * width + c] = column[r] ?? '';
  }
  const row = `(${columns.map(() => '?').join(', ')})`;
  await db.executeQuery(
    CompiledQuery.raw(
      `insert into "${table}" (${names}) values ${new Array<string>(count).fill(row).join(', ')}`,
      parameters,
    ),
  );
}
