import { sql } from 'kysely';
import { nowIso, type DbOrTrx } from '../../db/database.js';
import type { LookupFile } from './lookup-file.js';
import type { PopulationFile } from './population-file.js';

// Rows per insert: well under both databases' limits on bound values.
const CHUNK = 400;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

export interface ImportRecord {
  kind: 'geography' | 'population';
  title: string;
  release: string;
  filenames: string[];
  summary: unknown;
  byLabel: string;
}

export async function insertImport(db: DbOrTrx, record: ImportRecord): Promise<number> {
  const now = nowIso();
  const row = await db
    .insertInto('data_imports')
    .values({
      kind: record.kind,
      status: 'complete',
      title: record.title,
      release: record.release,
      filenames: JSON.stringify(record.filenames),
      summary: JSON.stringify(record.summary),
      started_at: now,
      finished_at: now,
      by_label: record.byLabel,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Writes a lookup file's areas and links. An LSOA lookup replaces the rows of the districts it
 * covers for its pair of vintages, so importing a file again, or files for different districts,
 * never doubles or loses anything.
 */
export async function writeLookup(db: DbOrTrx, file: LookupFile): Promise<void> {
  await inChunks(file.areas, (chunk) =>
    db
      .insertInto('geo_areas')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['code', 'vintage']).doUpdateSet({
          name: (eb) => eb.ref('excluded.name'),
          type: (eb) => eb.ref('excluded.type'),
        }),
      )
      .execute(),
  );
  const first = file.lsoaWards[0];
  if (first) {
    await inChunks(file.districts, (chunk) =>
      db
        .deleteFrom('geo_lsoa_wards')
        .where('lsoa_vintage', '=', first.lsoa_vintage)
        .where('ward_vintage', '=', first.ward_vintage)
        .where('district_code', 'in', chunk)
        .execute(),
    );
    await inChunks(file.lsoaWards, (chunk) =>
      db.insertInto('geo_lsoa_wards').values(chunk).execute(),
    );
  }
  await inChunks(file.links, (chunk) =>
    db
      .insertInto('geo_district_links')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['district_code', 'vintage', 'parent_type'])
          .doUpdateSet({ parent_code: (eb) => eb.ref('excluded.parent_code') }),
      )
      .execute(),
  );
}

/** Writes a population release, replacing an earlier import of the same release. */
export async function writePopulation(
  db: DbOrTrx,
  file: PopulationFile,
  filename: string,
  byLabel: string,
): Promise<number> {
  const earlier = await db
    .selectFrom('data_imports')
    .select('id')
    .where('kind', '=', 'population')
    .where('title', '=', file.title)
    .where('release', '=', file.published)
    .execute();
  for (const { id } of earlier) {
    await db.deleteFrom('population_estimates').where('import_id', '=', id).execute();
    await db.deleteFrom('data_imports').where('id', '=', id).execute();
  }
  const areas = new Set(file.estimates.map((e) => e.code));
  const importId = await insertImport(db, {
    kind: 'population',
    title: file.title,
    release: file.published,
    filenames: [filename],
    summary: { years: file.years, areas: areas.size },
    byLabel,
  });
  await inChunks(file.estimates, (chunk) =>
    db
      .insertInto('population_estimates')
      .values(
        chunk.map((e) => ({
          import_id: importId,
          area_code: e.code,
          year: e.year,
          population: e.population,
        })),
      )
      .execute(),
  );
  return importId;
}

export interface ImportSummary {
  id: number;
  title: string;
  release: string;
  filenames: string[];
  summary: Record<string, unknown>;
  finishedAt: string;
  byLabel: string;
}

export async function completedImports(
  db: DbOrTrx,
  kind: 'geography' | 'population',
): Promise<ImportSummary[]> {
  const rows = await db
    .selectFrom('data_imports')
    .select(['id', 'title', 'release', 'filenames', 'summary', 'finished_at', 'by_label'])
    .where('kind', '=', kind)
    .where('status', '=', 'complete')
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    release: r.release,
    filenames: JSON.parse(r.filenames) as string[],
    summary: JSON.parse(r.summary ?? '{}') as Record<string, unknown>,
    finishedAt: r.finished_at ?? '',
    byLabel: r.by_label,
  }));
}

export interface AreaCount {
  type: string;
  vintage: string;
  areas: number;
}

export async function areaCounts(db: DbOrTrx): Promise<AreaCount[]> {
  const rows = await db
    .selectFrom('geo_areas')
    .select(['type', 'vintage', sql<number>`count(*)`.as('areas')])
    .groupBy(['type', 'vintage'])
    .orderBy('type')
    .orderBy('vintage', 'desc')
    .execute();
  return rows;
}

/** Each area's name in the newest vintage that names it. */
export async function areaNames(db: DbOrTrx, codes: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!codes.length) return names;
  const rows = await db
    .selectFrom('geo_areas')
    .select(['code', 'name'])
    .where('code', 'in', codes)
    .orderBy('vintage')
    .execute();
  for (const r of rows) names.set(r.code, r.name);
  return names;
}

export interface Population {
  population: number;
  year: number;
  /** The release's title and publication date, so the figure can say where it came from. */
  release: string;
  published: string;
}

/**
 * The areas' combined mid-year estimate for a year, from the newest release that has every one
 * of them for that year; undefined when no release does.
 */
export async function populationFor(
  db: DbOrTrx,
  codes: string[],
  year: number,
): Promise<Population | undefined> {
  if (!codes.length) return undefined;
  const rows = await db
    .selectFrom('population_estimates as p')
    .innerJoin('data_imports as i', 'i.id', 'p.import_id')
    .select([
      'i.id',
      'i.title',
      'i.release',
      sql<number>`count(*)`.as('areas'),
      sql<number>`sum(p.population)`.as('population'),
    ])
    .where('p.area_code', 'in', codes)
    .where('p.year', '=', year)
    .groupBy(['i.id', 'i.title', 'i.release'])
    .orderBy('i.release', 'desc')
    .orderBy('i.id', 'desc')
    .execute();
  const whole = rows.find((r) => r.areas === new Set(codes).size);
  return whole
    ? { population: whole.population, year, release: whole.title, published: whole.release }
    : undefined;
}
