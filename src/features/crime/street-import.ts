/**
 * Counting data.police.uk street-level records. DuckDB reads the CSVs and counts them by force,
 * month, LSOA and crime type; each LSOA is placed in its ward and district through the ONS
 * lookup of the right vintage; only the counts reach the app database, streamed in chunks
 * inside the caller's transaction.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { DbOrTrx } from '../../db/database.js';
import { ANTI_SOCIAL_BEHAVIOUR, isPoliceUkCrimeType } from '../../domain/crime-types.js';
import { bulkInsert } from './bulk-insert.js';
import { CrimeFileError, type CrimeFile } from './crime-files.js';

export interface ImportProgress {
  stage: 'reading' | 'writing';
  filesRead: number;
  files: number;
  /** Records counted so far (reading), or count rows written (writing). */
  records: number;
}

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
type Value = string | number;
const text = (name: string) => ({ name, type: 'text' as const });
const DISTRICT_COLUMNS = [
  text('force'),
  text('month'),
  text('district_code'),
  text('crime_type'),
  { name: 'count', type: 'integer' as const },
];
const WARD_COLUMNS = [
  text('force'),
  text('month'),
  text('ward_code'),
  text('ward_vintage'),
  text('district_code'),
  text('measure'),
  { name: 'count', type: 'integer' as const },
];
const LOOKUP_PAGE = 10_000;
// Enough bytes per DuckDB read that it works files in parallel, few enough to show progress.
const BATCH_BYTES = 256 * 1024 * 1024;

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

function readCsv(files: readonly CrimeFile[]): string {
  const header = files[0]?.header ?? [];
  const columns = header.map((c) => `${literal(c)}: 'VARCHAR'`).join(', ');
  return `read_csv([${files.map((f) => literal(f.path)).join(', ')}], header = true,
    auto_detect = false, delim = ',', quote = '"', escape = '"', strict_mode = true,
    null_padding = false, filename = true, columns = {${columns}})`;
}

/** DuckDB's CSV error as the file and line it names. */
function csvProblem(err: unknown, names: Map<string, string>): Error {
  const message = err instanceof Error ? err.message : String(err);
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  const file = /file = (.+)/.exec(message)?.[1]?.trim();
  const what =
    /Expected Number of Columns: \d+ Found: \d+/.exec(message)?.[0] ??
    /Value with unterminated quote[^\n]*/.exec(message)?.[0] ??
    message.split('\n')[0] ??
    message;
  if (file) {
    return new CrimeFileError(
      names.get(file) ?? file,
      `the file is corrupt or cut short: ${what.toLowerCase()}`,
      line === undefined ? undefined : Number(line),
    );
  }
  return err instanceof Error ? err : new Error(message);
}

async function rows(
  duck: DuckDBConnection,
  sql: string,
): Promise<Record<string, string | number | null>[]> {
  const reader = await duck.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, string | number | null>[];
}

/** Loads the app database's LSOA lookups into DuckDB, newest ward vintage per LSOA. */
async function loadLookup(db: DbOrTrx, duck: DuckDBConnection): Promise<number> {
  await duck.run(`create table lookup_all (lsoa_code varchar, lsoa_vintage varchar,
    ward_code varchar, ward_vintage varchar, district_code varchar)`);
  const appender = await duck.createAppender('lookup_all');
  let n = 0;
  // Read in pages by key: the PostgreSQL driver is set up without cursors to stream.
  let after: { lsoa_vintage: string; lsoa_code: string; ward_vintage: string } | undefined;
  for (;;) {
    let q = db
      .selectFrom('geo_lsoa_wards')
      .select(['lsoa_code', 'lsoa_vintage', 'ward_code', 'ward_vintage', 'district_code'])
      .orderBy('lsoa_vintage')
      .orderBy('lsoa_code')
      .orderBy('ward_vintage')
      .limit(LOOKUP_PAGE);
    if (after) {
      const key = after;
      q = q.where((eb) =>
        eb.or([
          eb('lsoa_vintage', '>', key.lsoa_vintage),
          eb.and([eb('lsoa_vintage', '=', key.lsoa_vintage), eb('lsoa_code', '>', key.lsoa_code)]),
          eb.and([
            eb('lsoa_vintage', '=', key.lsoa_vintage),
            eb('lsoa_code', '=', key.lsoa_code),
            eb('ward_vintage', '>', key.ward_vintage),
          ]),
        ]),
      );
    }
    const page = await q.execute();
    for (const row of page) {
      appender.appendVarchar(row.lsoa_code);
      appender.appendVarchar(row.lsoa_vintage);
      appender.appendVarchar(row.ward_code);
      appender.appendVarchar(row.ward_vintage);
      appender.appendVarchar(row.district_code);
      appender.endRow();
      n++;
    }
    after = page.at(-1);
    if (page.length < LOOKUP_PAGE) break;
  }
  appender.closeSync();
  // A 2021 LSOA lies in a ward of each ward vintage loaded; counts use the newest.
  await duck.run(`create table lookup as
    select lsoa_code, lsoa_vintage,
           arg_max(ward_code, ward_vintage) as ward_code, max(ward_vintage) as ward_vintage,
           arg_max(district_code, ward_vintage) as district_code
    from lookup_all group by lsoa_code, lsoa_vintage`);
  await duck.run('drop table lookup_all');
  return n;
}

async function firstBadLine(
  duck: DuckDBConnection,
  file: CrimeFile,
): Promise<{ line: number; problem: string } | undefined> {
  const found = await rows(
    duck,
    `select rn, "Month" as month, "Reported by" as force, "Crime type" as type from (
       select row_number() over () as rn, * from ${readCsv([file])})
     where "Reported by" is null or "Crime type" is null or "Month" is null
        or not regexp_full_match("Month", '\\d{4}-(0[1-9]|1[0-2])')
     order by rn limit 1`,
  );
  const bad = found[0];
  if (!bad) return undefined;
  const problem =
    bad.force === null
      ? '"Reported by" is blank'
      : bad.type === null
        ? '"Crime type" is blank'
        : `"Month" must be a year and month like 2021-03, not "${bad.month ?? ''}"`;
  return { line: Number(bad.rn) + 1, problem };
}

/** Counts the files in DuckDB; leaves tables `agg`, `totals`, `month_vintages` and `placed`. */
async function count(
  db: DbOrTrx,
  duck: DuckDBConnection,
  files: readonly CrimeFile[],
  onProgress: (p: ImportProgress) => void,
): Promise<void> {
  const names = new Map(files.map((f) => [f.path, f.name]));
  const lookupRows = await loadLookup(db, duck);
  if (lookupRows === 0) {
    throw new Error(
      'No LSOA lookups are loaded, so no record could be placed in a ward or district: import the ONS lookups first (saferplan geography import)',
    );
  }
  await duck.run(`create table agg (filename varchar, force varchar, month varchar,
    lsoa varchar, crime_type varchar, n integer)`);
  // Files of the same header are read together; batches keep progress moving.
  const batches: CrimeFile[][] = [];
  const byHeader = new Map<string, CrimeFile[]>();
  for (const f of files) {
    const key = JSON.stringify(f.header);
    byHeader.set(key, [...(byHeader.get(key) ?? []), f]);
  }
  for (const group of byHeader.values()) {
    let batch: CrimeFile[] = [];
    let bytes = 0;
    for (const f of group) {
      batch.push(f);
      bytes += f.bytes;
      if (bytes >= BATCH_BYTES) {
        batches.push(batch);
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length > 0) batches.push(batch);
  }
  let filesRead = 0;
  let records = 0;
  onProgress({ stage: 'reading', filesRead, files: files.length, records });
  for (const batch of batches) {
    try {
      await duck.run(`insert into agg
        select filename, "Reported by", "Month", "LSOA code", "Crime type", count(*)::integer
        from ${readCsv(batch)} group by all`);
    } catch (err) {
      throw csvProblem(err, names);
    }
    filesRead += batch.length;
    const [total] = await rows(duck, 'select coalesce(sum(n), 0)::bigint::double as n from agg');
    records = Number(total?.n ?? 0);
    onProgress({ stage: 'reading', filesRead, files: files.length, records });
  }

  // Read order, to name the first bad file as the files were given.
  const order = new Map(batches.flat().map((f, i) => [f.path, i]));
  // One pass over the counts gives each file's force, month and type totals: the checks below
  // and the months' and types' totals read these few thousand rows.
  await duck.run(`create table totals as
    select filename, force, month, crime_type, sum(n)::bigint as n,
           coalesce(sum(n) filter (where lsoa is null), 0)::bigint as no_location
    from agg group by all`);
  const bad = (
    await rows(
      duck,
      `select distinct filename from totals
       where force is null or crime_type is null or month is null
          or not regexp_full_match(month, '\\d{4}-(0[1-9]|1[0-2])')`,
    )
  )
    .map((r) => String(r.filename))
    .sort((x, y) => (order.get(x) ?? 0) - (order.get(y) ?? 0))[0];
  if (bad !== undefined) {
    const file = files.find((f) => f.path === bad);
    const found = file ? await firstBadLine(duck, file) : undefined;
    throw new CrimeFileError(
      file?.name ?? bad,
      found?.problem ?? 'a record has a blank force, month or crime type',
      found?.line,
    );
  }
  const [twice] = await rows(
    duck,
    `select force, month, list(distinct filename order by filename) as files from totals
     group by force, month having count(distinct filename) > 1 order by force, month limit 1`,
  );
  if (twice) {
    const [a = '', b = ''] = twice.files as unknown as string[];
    throw new CrimeFileError(
      names.get(a) ?? a,
      `${String(twice.force)} ${String(twice.month)} is also in ${names.get(b) ?? b}: import each force's month from one file only`,
    );
  }

  // Each force's month's LSOA codes with their records (ASB apart), to place once each.
  await duck.run(`create table codes as
    select force, month, lsoa, sum(n)::bigint as n,
           coalesce(sum(n) filter (where crime_type = ${literal(ANTI_SOCIAL_BEHAVIOUR)}), 0)::bigint as asb
    from agg where lsoa is not null group by all`);
  // The LSOA vintage of each month is the one that knows most of its codes; a code only the
  // other vintage knows is placed through that one.
  await duck.run(`create table month_vintages as
    select a.force, a.month, l.lsoa_vintage, count(*) as codes,
           row_number() over (partition by a.force, a.month
                              order by count(*) desc, l.lsoa_vintage desc) as rank
    from codes a
    join lookup l on l.lsoa_code = a.lsoa
    group by a.force, a.month, l.lsoa_vintage`);
  // Every code, in the ward and district of its best-ranked vintage (a month ranks each vintage
  // once, so there is one); null where no lookup knows it.
  await duck.run(`create table placed as
    select c.force, c.month, c.lsoa, c.n, c.asb,
           arg_min(l.ward_code, v.rank) as ward_code,
           arg_min(l.ward_vintage, v.rank) as ward_vintage,
           arg_min(l.district_code, v.rank) as district_code
    from codes c
    left join lookup l on l.lsoa_code = c.lsoa
    left join month_vintages v on v.force = c.force and v.month = c.month
                              and v.lsoa_vintage = l.lsoa_vintage
    group by all`);
  await duck.run('drop table codes');
}

/**
 * A query's result, chunk by chunk, each as its columns' values. Its first `named` columns are
 * numbers in `names`, given back as the texts they stand for: DuckDB hands numbers to
 * JavaScript far faster than texts, and these repeat on every row.
 */
async function* chunks(
  duck: DuckDBConnection,
  sql: string,
  names: readonly string[],
  named: number,
): AsyncGenerator<Value[][]> {
  const result = await duck.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    const columns = chunk.getColumns() as number[][];
    yield columns.map((column, c) => (c < named ? column.map((id) => names[id] ?? '') : column));
  }
}

export interface CountedStreet {
  counts: StreetCounts;
  /** Writes the counts with `trx`, replacing each month whole; returns the rows written. */
  write: (trx: DbOrTrx, importId: number) => Promise<number>;
}

/**
 * Reads and counts the street files in DuckDB (no transaction is open meanwhile, so the app
 * keeps answering), then hands the counts to `use`, which writes them in its transaction.
 */
export async function withStreetCounts<T>(
  db: DbOrTrx,
  files: readonly CrimeFile[],
  onProgress: (p: ImportProgress) => void,
  use: (counted: CountedStreet) => Promise<T>,
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
  let prepared: Promise<unknown> = Promise.resolve();
  try {
    await count(db, duck, files, onProgress);

    // Every text the count rows hold, numbered in sort order, so rows sorted by number are
    // sorted as their texts (the order the tables' keys keep).
    await duck.run(`create table names as
      select name, (row_number() over (order by name) - 1)::integer as id from (
        select force as name from totals union select month from totals
        union select crime_type from totals union select ward_code from placed
        union select ward_vintage from placed union select district_code from placed
        union select 'asb' union select 'crime')
      where name is not null`);
    const names = (await rows(duck, 'select name from names order by id')).map((r) =>
      String(r.name),
    );
    // DuckDB gets the rows to write ready on its own threads, in the order of each table's key
    // (so that SQLite adds to a table at one place per district or month, not all over it),
    // while this thread sums up the months and then writes the district rows.
    const districtRows = background.run(`create table district_rows as
      select f.id as force, m.id as month, d.id as district_code, t.id as crime_type, c.n from (
        select a.force, a.month, p.district_code, a.crime_type, sum(a.n)::integer as n
        from agg a join placed p on p.force = a.force and p.month = a.month and p.lsoa = a.lsoa
        where p.district_code is not null group by all) c
      join names f on f.name = c.force join names m on m.name = c.month
      join names d on d.name = c.district_code join names t on t.name = c.crime_type
      order by 3, 2, 4, 1`);
    const wardRows = districtRows.then(() =>
      background.run(`create table ward_rows as
        select f.id as force, m.id as month, w.id as ward_code, v.id as ward_vintage,
               d.id as district_code, e.id as measure, c.count from (
          unpivot (select force, month, ward_code, ward_vintage, district_code,
                          nullif(sum(n - asb), 0)::integer as crime,
                          nullif(sum(asb), 0)::integer as asb
                   from placed where district_code is not null group by all)
          on crime, asb into name measure value count) c
        join names f on f.name = c.force join names m on m.name = c.month
        join names w on w.name = c.ward_code join names v on v.name = c.ward_vintage
        join names d on d.name = c.district_code join names e on e.name = c.measure
        order by 2, 5, 3, 4, 6, 1`),
    );
    // Whatever happens next, DuckDB is closed only once these have stopped.
    prepared = wardRows.catch(() => undefined);

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

    const write = async (trx: DbOrTrx, importId: number): Promise<number> => {
      // A month's forces at once: ward counts are keyed month first, so each statement passes
      // over one month's rows rather than one pass for each force.
      const forcesByMonth = new Map<string, string[]>();
      for (const m of months) {
        forcesByMonth.set(m.month, [...(forcesByMonth.get(m.month) ?? []), m.force]);
      }
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
      for (let i = 0; i < months.length; i += CHUNK_ROWS) {
        await trx
          .insertInto('crime_months')
          .values(
            months.slice(i, i + CHUNK_ROWS).map((m) => ({
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
      let written = 0;
      const progress = () => {
        onProgress({
          stage: 'writing',
          filesRead: files.length,
          files: files.length,
          records: written,
        });
      };
      // Writing starts: the time spent reading ends here, not after the district rows.
      progress();
      await districtRows;
      for await (const chunk of chunks(duck, 'select * from district_rows', names, 4)) {
        await bulkInsert(trx, 'crime_district_counts', DISTRICT_COLUMNS, chunk);
        written += chunk[0]?.length ?? 0;
      }
      progress();
      await wardRows;
      for await (const chunk of chunks(duck, 'select * from ward_rows', names, 6)) {
        await bulkInsert(trx, 'crime_ward_counts', WARD_COLUMNS, chunk);
        const n = chunk[0]?.length ?? 0;
        written += n;
        if (written % 100_000 < n) progress();
      }
      progress();
      return written;
    };

    return await use({
      counts: {
        records: months.reduce((s, m) => s + m.records, 0),
        months,
        districts: Number(areas?.districts ?? 0),
        wards: Number(areas?.wards ?? 0),
        unknownLsoaCodes,
        unknownTypes,
      },
      write,
    });
  } finally {
    await prepared;
    background.closeSync();
    duck.closeSync();
    instance.closeSync();
    await rm(spill, { recursive: true, force: true });
  }
}
