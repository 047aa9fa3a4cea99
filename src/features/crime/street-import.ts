/**
 * Counting data.police.uk street-level records: DuckDB reads and places them (street-count.ts);
 * only the counts reach the app database, streamed in chunks inside the caller's transaction.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { DbOrTrx, Trx } from '../../db/database.js';
import { ANTI_SOCIAL_BEHAVIOUR, isPoliceUkCrimeType } from '../../domain/crime-types.js';
import { bulkInsert, type Chunk, type Column } from './bulk-insert.js';
import type { CrimeFile } from './crime-files.js';
import { count, literal, rows, type ImportProgress } from './street-count.js';

export interface MonthCounted {
  force: string;
  month: string;
  records: number;
  asb: number;
  noLocation: number;
  unknownLsoa: number;
  lsoaVintage: string;
}

export interface StreetCounts {
  records: number;
  months: MonthCounted[];
  districts: number;
  wards: number;
  /** Up to 20 LSOA codes no lookup knows, with their records, most first. */
  unknownLsoaCodes: { code: string; records: number }[];
  unknownTypes: { type: string; records: number }[];
}

const CHUNK_ROWS = 1000;
const DUCKDB_MEMORY = '768MB';
const text = (name: string): Column => ({ name, type: 'text' });
const DISTRICT_COLUMNS: Column[] = [
  text('force'),
  text('month'),
  text('district_code'),
  text('crime_type'),
  { name: 'count', type: 'integer' },
];
const WARD_COLUMNS: Column[] = [
  text('force'),
  text('month'),
  text('ward_code'),
  text('ward_vintage'),
  text('district_code'),
  { name: 'crime', type: 'integer' },
  { name: 'asb', type: 'integer' },
];

/**
 * A query's result, chunk by chunk, each as its columns' values. Its text columns come as
 * numbers in `names` and are given back as the texts they stand for: DuckDB hands numbers to
 * JavaScript far faster than texts, and these repeat on every row.
 */
async function* chunks(
  duck: DuckDBConnection,
  sql: string,
  names: readonly string[],
  columns: readonly Column[],
): AsyncGenerator<Chunk> {
  const result = await duck.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    const values = chunk.getColumns() as number[][];
    yield values.map((column, c) =>
      columns[c]?.type === 'text' ? column.map((id) => names[id] ?? '') : column,
    );
  }
}

/** Writes the counts with `trx`, replacing each month whole, and returns what was counted. */
export type WriteStreetCounts = (trx: Trx, importId: number) => Promise<StreetCounts>;

/** The months, their records and what could not be placed, from the tables count() leaves. */
async function summarise(duck: DuckDBConnection): Promise<StreetCounts> {
  const months = (
    await rows(
      duck,
      `select t.force, t.month, t.records, t.asb, t.no_location,
         coalesce(u.unknown_lsoa, 0)::integer as unknown_lsoa,
         coalesce(v.lsoa_vintage, '') as lsoa_vintage
       from (select force, month, sum(n)::integer as records,
               coalesce(sum(n) filter (where crime_type = ${literal(ANTI_SOCIAL_BEHAVIOUR)}), 0)::integer as asb,
               sum(no_location)::integer as no_location
             from totals group by force, month) t
       left join (select force, month, sum(n) as unknown_lsoa from placed
                  where district_code is null group by force, month) u
         on u.force = t.force and u.month = t.month
       left join month_vintages v on v.force = t.force and v.month = t.month and v.rank = 1
       order by t.force, t.month`,
    )
  ).map((r): MonthCounted => ({
    force: String(r.force),
    month: String(r.month),
    records: Number(r.records),
    asb: Number(r.asb),
    noLocation: Number(r.no_location),
    unknownLsoa: Number(r.unknown_lsoa),
    lsoaVintage: String(r.lsoa_vintage),
  }));
  const [areas] = await rows(
    duck,
    `select count(distinct district_code)::integer as districts,
            count(distinct ward_vintage || ' ' || ward_code)::integer as wards
     from placed where district_code is not null`,
  );
  const unknownLsoaCodes = (
    await rows(
      duck,
      `select lsoa, sum(n)::integer as n from placed
       where district_code is null
       group by lsoa order by n desc, lsoa limit 20`,
    )
  ).map((r) => ({ code: String(r.lsoa), records: Number(r.n) }));
  const unknownTypes = (
    await rows(duck, 'select crime_type, sum(n)::integer as n from totals group by 1 order by 1')
  )
    .filter((r) => !isPoliceUkCrimeType(String(r.crime_type)))
    .map((r) => ({ type: String(r.crime_type), records: Number(r.n) }));
  return {
    records: months.reduce((s, m) => s + m.records, 0),
    months,
    districts: Number(areas?.districts ?? 0),
    wards: Number(areas?.wards ?? 0),
    unknownLsoaCodes,
    unknownTypes,
  };
}

/**
 * Reads and counts the street files in DuckDB (no transaction is open meanwhile, so the app
 * keeps answering), then hands `use` the function that writes the counts in its transaction.
 */
export async function withStreetCounts<T>(
  db: DbOrTrx,
  files: readonly CrimeFile[],
  onProgress: (p: ImportProgress) => void,
  use: (write: WriteStreetCounts) => Promise<T>,
): Promise<T> {
  // DuckDB spills to disk rather than pass its memory limit; the app keeps well under 1.5 GB.
  const spill = await mkdtemp(join(tmpdir(), 'saferplan-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '2',
    memory_limit: DUCKDB_MEMORY,
    temp_directory: spill,
  });
  const duck = await instance.connect();
  const background = await instance.connect();
  const summaries = await instance.connect();
  let prepared: Promise<unknown> = Promise.resolve();
  try {
    await count(db, duck, background, files, onProgress);

    // Every text the count rows hold, numbered in sort order, so rows sorted by number are
    // sorted as their texts (the order the tables' keys keep).
    await duck.run(`create table names as
      select name, (row_number() over (order by name) - 1)::integer as id from (
        select force as name from totals union select month from totals
        union select crime_type from totals union select ward_code from choices
        union select ward_vintage from choices union select district_code from choices)
      where name is not null`);
    const names = (await rows(duck, 'select name from names order by id')).map((r) =>
      String(r.name),
    );
    // DuckDB gets the rows to write ready on its own threads, in the order of each table's key
    // (so that SQLite adds to a table at one place per district or month, not all over it).
    // The ward rows come first, being quick to make from the placed LSOAs: SQLite writes them
    // while DuckDB joins every count to its LSOA's district and sums up the months.
    const wardRows = background.run(`create table ward_rows as
      select f.id as force, m.id as month, w.id as ward_code, v.id as ward_vintage,
             d.id as district_code, c.crime, c.asb from (
        select force, month, ward_code, ward_vintage, district_code,
               sum(n - asb)::integer as crime, sum(asb)::integer as asb
        from placed where district_code is not null group by all) c
      join names f on f.name = c.force join names m on m.name = c.month
      join names w on w.name = c.ward_code join names v on v.name = c.ward_vintage
      join names d on d.name = c.district_code
      order by 2, 5, 3, 4, 1`);
    const districtRows = wardRows.then(() =>
      background.run(`create table district_rows as
        select f.id as force, m.id as month, d.id as district_code, t.id as crime_type, c.n from (
          select a.force, a.month, h.district_code, a.crime_type, sum(a.n)::integer as n
          from agg a join rankings r on r.force = a.force and r.month = a.month
          join choices h on h.ranking_id = r.ranking_id and h.lsoa_code = a.lsoa
          group by all) c
        join names f on f.name = c.force join names m on m.name = c.month
        join names d on d.name = c.district_code join names t on t.name = c.crime_type
        order by 3, 2, 4, 1`),
    );
    const counted = wardRows.then(() => summarise(summaries));
    // Whatever happens next, DuckDB is closed only once these have stopped.
    prepared = Promise.allSettled([districtRows, counted]);
    // A month's forces at once: ward counts are keyed month first, so each statement passes
    // over one month's rows rather than one pass for each force.
    const forcesByMonth = new Map<string, string[]>();
    for (const r of await rows(duck, 'select distinct month, force from totals order by all')) {
      const month = String(r.month);
      forcesByMonth.set(month, [...(forcesByMonth.get(month) ?? []), String(r.force)]);
    }

    const write = async (trx: Trx, importId: number): Promise<StreetCounts> => {
      let written = 0;
      const progress = () => {
        onProgress({
          stage: 'writing',
          filesRead: files.length,
          files: files.length,
          records: written,
        });
      };
      // Writing starts: the time spent reading ends here, not after the first rows.
      progress();
      for (const [month, forces] of forcesByMonth) {
        for (const table of [
          'crime_ward_counts',
          'crime_district_counts',
          'crime_months',
        ] as const) {
          await trx
            .deleteFrom(table)
            .where('month', '=', month)
            .where('force', 'in', forces)
            .execute();
        }
      }
      const copy = (
        table: 'crime_ward_counts' | 'crime_district_counts',
        columns: readonly Column[],
        from: string,
      ) =>
        bulkInsert(
          trx,
          table,
          columns,
          chunks(duck, `select * from ${from}`, names, columns),
          (n) => {
            written += n;
            if (written % 100_000 < n) progress();
          },
        );
      await wardRows;
      await copy('crime_ward_counts', WARD_COLUMNS, 'ward_rows');
      await districtRows;
      await copy('crime_district_counts', DISTRICT_COLUMNS, 'district_rows');
      const counts = await counted;
      for (let i = 0; i < counts.months.length; i += CHUNK_ROWS) {
        await trx
          .insertInto('crime_months')
          .values(
            counts.months.slice(i, i + CHUNK_ROWS).map((m) => ({
              force: m.force,
              month: m.month,
              import_id: importId,
              records: m.records,
              asb: m.asb,
              no_location: m.noLocation,
              unknown_lsoa: m.unknownLsoa,
              lsoa_vintage: m.lsoaVintage,
              flag: null,
            })),
          )
          .execute();
      }
      progress();
      return counts;
    };

    return await use(write);
  } finally {
    await prepared;
    summaries.closeSync();
    background.closeSync();
    duck.closeSync();
    instance.closeSync();
    await rm(spill, { recursive: true, force: true });
  }
}
