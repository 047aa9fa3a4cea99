import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery, PostgresAdapter } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import { pgConnectionOf, type Trx } from '../../db/database.js';

export type Value = string | number;
/** Rows given column by column, as DuckDB hands them over. */
export type Chunk = readonly (readonly Value[])[];
export interface Column {
  name: string;
  /** The PostgreSQL array type, where COPY cannot be used. */
  type: 'text' | 'integer';
}

/**
 * Inserts many rows of a few columns, chunk by chunk, without building a query tree per row: a
 * national year of counts is a quarter of a million rows. PostgreSQL: one COPY for all the
 * chunks over the transaction's own connection (about three times as fast as inserting from
 * arrays), else each chunk's columns as arrays (`unnest`). SQLite: a multi-row VALUES per
 * chunk, whose text repeats for full chunks, so its prepared statement is reused. `onRows` is
 * told how many rows each chunk held once it is sent.
 */
export async function bulkInsert(
  trx: Trx,
  table: string,
  columns: readonly Column[],
  chunks: AsyncIterable<Chunk>,
  onRows: (n: number) => void = () => undefined,
): Promise<void> {
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const postgres = trx.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    const connection = await pgConnectionOf(trx);
    if (connection) {
      const copy = connection.query(copyFrom(`copy "${table}" (${names}) from stdin`));
      await pipeline(
        Readable.from(
          (async function* () {
            for await (const chunk of chunks) {
              yield copyText(chunk);
              onRows(chunk[0]?.length ?? 0);
            }
          })(),
        ),
        copy,
      );
      return;
    }
  }
  for await (const chunk of chunks) {
    await insertChunk(trx, postgres, table, names, columns, chunk);
    onRows(chunk[0]?.length ?? 0);
  }
}

async function insertChunk(
  trx: Trx,
  postgres: boolean,
  table: string,
  names: string,
  columns: readonly Column[],
  values: Chunk,
): Promise<void> {
  const count = values[0]?.length ?? 0;
  if (count === 0) return;
  if (postgres) {
    const unnest = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
    await trx.executeQuery(
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
  await trx.executeQuery(
    CompiledQuery.raw(
      `insert into "${table}" (${names}) values ${new Array<string>(count).fill(row).join(', ')}`,
      parameters,
    ),
  );
}

const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** COPY's text format: a line per row, tab between values, \, tab and line ends escaped. */
export function copyText(chunk: Chunk): string {
  const count = chunk[0]?.length ?? 0;
  let out = '';
  for (let r = 0; r < count; r++) {
    for (let c = 0; c < chunk.length; c++) {
      const v = chunk[c]?.[r] ?? '';
      const text =
        typeof v === 'number' ? String(v) : v.replace(SPECIAL, (ch) => ESCAPES[ch] ?? ch);
      out += c === 0 ? text : `\t${text}`;
    }
    out += '\n';
  }
  return out;
}
