/**
 * Reading data.police.uk street-level files in DuckDB: the CSVs counted by force, month, LSOA
 * and crime type, the files checked, and each LSOA placed in its ward and district through the
 * ONS lookup of the right vintage.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DbOrTrx } from '../../db/database.js';
import { ANTI_SOCIAL_BEHAVIOUR } from '../../domain/crime-types.js';
import { CrimeFileError, type CrimeFile } from './crime-files.js';

export interface ImportProgress {
  stage: 'reading' | 'writing';
  filesRead: number;
  files: number;
  /** Records counted so far (reading), or count rows written (writing). */
  records: number;
}

const LOOKUP_PAGE = 10_000;
// Enough bytes per DuckDB read that it works files in parallel, few enough to show progress.
const BATCH_BYTES = 256 * 1024 * 1024;

export const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

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

export async function rows(
  duck: DuckDBConnection,
  sql: string,
): Promise<Record<string, string | number | null>[]> {
  const reader = await duck.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, string | number | null>[];
}

/** Loads the app database's LSOA lookups into DuckDB, newest ward vintage per LSOA. */
async function loadLookup(db: DbOrTrx, duck: DuckDBConnection): Promise<void> {
  await duck.run(`create table lookup_all (lsoa_code varchar, lsoa_vintage varchar,
    ward_code varchar, ward_vintage varchar, district_code varchar)`);
  const appender = await duck.createAppender('lookup_all');
  // Read in pages in the key's order, which the index gives without sorting: the PostgreSQL
  // driver is set up without cursors to stream.
  let after: { lsoa_code: string; lsoa_vintage: string; ward_vintage: string } | undefined;
  for (;;) {
    let q = db
      .selectFrom('geo_lsoa_wards')
      .select(['lsoa_code', 'lsoa_vintage', 'ward_code', 'ward_vintage', 'district_code'])
      .orderBy('lsoa_code')
      .orderBy('lsoa_vintage')
      .orderBy('ward_vintage')
      .limit(LOOKUP_PAGE);
    if (after) {
      const { lsoa_code, lsoa_vintage, ward_vintage } = after;
      q = q.where((eb) =>
        eb(
          eb.refTuple('lsoa_code', 'lsoa_vintage', 'ward_vintage'),
          '>',
          eb.tuple(lsoa_code, lsoa_vintage, ward_vintage),
        ),
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

/**
 * Counts the files in DuckDB, leaving tables `agg`, `totals`, `month_vintages`, `choices` (each
 * code's place for each order of vintages) and `placed`. The lookups load through `aside`,
 * another connection, while `duck` reads the files.
 */
export async function count(
  db: DbOrTrx,
  duck: DuckDBConnection,
  aside: DuckDBConnection,
  files: readonly CrimeFile[],
  onProgress: (p: ImportProgress) => void,
): Promise<void> {
  const names = new Map(files.map((f) => [f.path, f.name]));
  if (!(await db.selectFrom('geo_lsoa_wards').select('lsoa_code').limit(1).executeTakeFirst())) {
    throw new Error(
      'No LSOA lookups are loaded, so no record could be placed in a ward or district: import the ONS lookups first (saferplan geography import)',
    );
  }
  const lookup = loadLookup(db, aside);
  try {
    await read(duck, files, names, onProgress);
  } finally {
    // Never leave the lookups loading into a connection about to close.
    await lookup.catch(() => undefined);
  }
  await lookup;
  await check(duck, files, names);
  await place(duck);
}

/** Reads the files into `agg`: records counted by file, force, month, LSOA and type. */
async function read(
  duck: DuckDBConnection,
  files: readonly CrimeFile[],
  names: Map<string, string>,
  onProgress: (p: ImportProgress) => void,
): Promise<void> {
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
}

/** Sums `agg` up into `totals`, then refuses bad records and a month given twice. */
async function check(
  duck: DuckDBConnection,
  files: readonly CrimeFile[],
  names: Map<string, string>,
): Promise<void> {
  // Read order, to name the first bad file as the files were given.
  const order = new Map(files.map((f, i) => [f.path, i]));
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
}

/** Places each force's month's LSOA codes in their wards and districts, in `placed`. */
async function place(duck: DuckDBConnection): Promise<void> {
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
  // Each month's vintages, best first; months of the same order share one placing of every
  // code: through the first vintage in that order that knows it.
  await duck.run(`create table rankings as
    select force, month, ranking, dense_rank() over (order by ranking)::integer as ranking_id
    from (select force, month, list(lsoa_vintage order by rank) as ranking
          from month_vintages group by all)`);
  await duck.run(`create table choices as
    select r.ranking_id, l.lsoa_code,
           arg_min(l.ward_code, list_position(r.ranking, l.lsoa_vintage)) as ward_code,
           arg_min(l.ward_vintage, list_position(r.ranking, l.lsoa_vintage)) as ward_vintage,
           arg_min(l.district_code, list_position(r.ranking, l.lsoa_vintage)) as district_code
    from (select distinct ranking_id, ranking from rankings) r
    join lookup l on list_contains(r.ranking, l.lsoa_vintage)
    group by all`);
  // Every code in its ward and district; null where no lookup knows it.
  await duck.run(`create table placed as
    select c.force, c.month, c.lsoa, c.n, c.asb, h.ward_code, h.ward_vintage, h.district_code
    from codes c
    left join rankings r on r.force = c.force and r.month = c.month
    left join choices h on h.ranking_id = r.ranking_id and h.lsoa_code = c.lsoa`);
  await duck.run('drop table codes');
}
