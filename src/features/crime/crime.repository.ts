import { sql, type Selectable } from 'kysely';
import { nowIso, type DbOrTrx } from '../../db/database.js';
import { incompleteMonthFlags } from '../../domain/incomplete-months.js';
import type { DataImportsTable } from '../geography/geography.table.js';
import type { ImportProgress } from './street-count.js';

export const CRIME_IMPORT_KINDS = ['crime', 'recorded-crime'] as const;

export interface CrimeMonth {
  force: string;
  month: string;
  records: number;
  asb: number;
  noLocation: number;
  unknownLsoa: number;
  lsoaVintage: string;
  /** Why the month looks incomplete; null when it does not. */
  flag: string | null;
  importId: number;
}

export interface DataImport {
  id: number;
  kind: string;
  status: 'running' | 'complete' | 'failed';
  filenames: string[];
  summary: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  byLabel: string;
  /** While running: how far it had got when it last showed it was alive. */
  progress: ImportProgress | null;
}

// A running import shows it is alive, and how far it has got, at most this often.
export const ALIVE_EVERY_MS = 2_000;
// Long past any pause of a running import: it was cut off.
const GONE_AFTER_MS = 15 * 60_000;
export const INTERRUPTED =
  'The import stopped before it finished, as when Saferplan is restarted during one: nothing from it was saved. Import the files again.';

export async function insertImport(
  db: DbOrTrx,
  kind: string,
  filenames: readonly string[],
  byLabel: string,
): Promise<number> {
  const now = nowIso();
  const row = await db
    .insertInto('data_imports')
    .values({
      kind,
      status: 'running',
      filenames: JSON.stringify(filenames),
      started_at: now,
      alive_at: now,
      by_label: byLabel,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records that a running import is still at work, and how far it has got. */
export async function markAlive(db: DbOrTrx, id: number, progress: ImportProgress): Promise<void> {
  await db
    .updateTable('data_imports')
    .set({ alive_at: nowIso(), progress: JSON.stringify(progress) })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

export async function finishImport(
  db: DbOrTrx,
  id: number,
  outcome: { kind?: string; status: 'complete' | 'failed'; summary?: unknown; error?: string },
): Promise<void> {
  await db
    .updateTable('data_imports')
    .set({
      ...(outcome.kind ? { kind: outcome.kind } : {}),
      status: outcome.status,
      summary: outcome.summary === undefined ? null : JSON.stringify(outcome.summary),
      error: outcome.error ?? null,
      progress: null,
      finished_at: nowIso(),
    })
    .where('id', '=', id)
    .execute();
}

function toImport(row: Selectable<DataImportsTable>, now: string): DataImport {
  const lastSign = Date.parse(row.alive_at ?? row.started_at);
  const gone = row.status === 'running' && Date.parse(now) - lastSign > GONE_AFTER_MS;
  return {
    id: row.id,
    kind: row.kind,
    status: gone ? 'failed' : (row.status as DataImport['status']),
    filenames: JSON.parse(row.filenames) as string[],
    summary: row.summary === null ? null : (JSON.parse(row.summary) as unknown),
    error: gone ? INTERRUPTED : row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    byLabel: row.by_label,
    progress:
      row.status === 'running' && !gone && row.progress !== null
        ? (JSON.parse(row.progress) as ImportProgress)
        : null,
  };
}

export async function findImport(
  db: DbOrTrx,
  id: number,
  now = nowIso(),
): Promise<DataImport | undefined> {
  const row = await db
    .selectFrom('data_imports')
    .selectAll()
    .where('id', '=', id)
    .where('kind', 'in', CRIME_IMPORT_KINDS)
    .executeTakeFirst();
  return row ? toImport(row, now) : undefined;
}

export async function listImports(
  db: DbOrTrx,
  limit: number,
  now = nowIso(),
): Promise<DataImport[]> {
  const rows = await db
    .selectFrom('data_imports')
    .selectAll()
    .where('kind', 'in', CRIME_IMPORT_KINDS)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => toImport(r, now));
}

export async function listMonths(db: DbOrTrx, force?: string): Promise<CrimeMonth[]> {
  let q = db.selectFrom('crime_months').selectAll();
  if (force !== undefined) q = q.where(sql<string>`lower(force)`, '=', force.toLowerCase());
  const rows = await q.orderBy('force').orderBy('month').execute();
  return rows.map((r) => ({
    force: r.force,
    month: r.month,
    records: r.records,
    asb: r.asb,
    noLocation: r.no_location,
    unknownLsoa: r.unknown_lsoa,
    lsoaVintage: r.lsoa_vintage,
    flag: r.flag,
    importId: r.import_id,
  }));
}

/**
 * Judges every month of the forces again (a new month changes its neighbours' verdicts);
 * returns the months whose flag changed, with the new flag.
 */
export async function reflagMonths(
  db: DbOrTrx,
  forces: readonly string[],
): Promise<{ force: string; month: string; flag: string | null }[]> {
  const changed: { force: string; month: string; flag: string | null }[] = [];
  for (const force of forces) {
    const months = await db
      .selectFrom('crime_months')
      .select(['month', 'records', 'asb', 'flag'])
      .where('force', '=', force)
      .orderBy('month')
      .execute();
    const flags = incompleteMonthFlags(
      months.map((m) => ({ month: m.month, crimes: m.records - m.asb })),
    );
    for (const m of months) {
      const flag = flags.get(m.month) ?? null;
      if (flag === m.flag) continue;
      await db
        .updateTable('crime_months')
        .set({ flag })
        .where('force', '=', force)
        .where('month', '=', m.month)
        .execute();
      changed.push({ force, month: m.month, flag });
    }
  }
  return changed;
}

export interface AreaMonthCount {
  month: string;
  crimeType: string;
  count: number;
}

/**
 * Counts by month and crime type for districts taken together (a partnership's area), from
 * every force's records placed in them, for months from..to ('YYYY-MM', both included).
 */
export async function districtCounts(
  db: DbOrTrx,
  districtCodes: readonly string[],
  from: string,
  to: string,
): Promise<AreaMonthCount[]> {
  if (districtCodes.length === 0) return [];
  const rows = await db
    .selectFrom('crime_district_counts')
    .select(['month', 'crime_type', (eb) => eb.fn.sum<number>('count').as('count')])
    .where('district_code', 'in', districtCodes)
    .where('month', '>=', from)
    .where('month', '<=', to)
    .groupBy(['month', 'crime_type'])
    .orderBy('month')
    .orderBy('crime_type')
    .execute();
  return rows.map((r) => ({ month: r.month, crimeType: r.crime_type, count: r.count }));
}

/** The flags of the months of the forces whose records reach these districts. */
export async function flagsForDistricts(
  db: DbOrTrx,
  districtCodes: readonly string[],
  from: string,
  to: string,
): Promise<{ force: string; month: string; flag: string }[]> {
  if (districtCodes.length === 0) return [];
  const rows = await db
    .selectFrom('crime_months as m')
    .select(['m.force', 'm.month', 'm.flag'])
    .where('m.flag', 'is not', null)
    .where('m.month', '>=', from)
    .where('m.month', '<=', to)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('crime_district_counts as c')
          .select('c.force')
          .whereRef('c.force', '=', 'm.force')
          .whereRef('c.month', '=', 'm.month')
          .where('c.district_code', 'in', districtCodes),
      ),
    )
    .orderBy('m.month')
    .orderBy('m.force')
    .execute();
  return rows.map((r) => ({ force: r.force, month: r.month, flag: r.flag ?? '' }));
}

export interface RollingTotal {
  /** The last day of the 12 months, 'YYYY-MM-DD'. */
  periodEnd: string;
  offence: string;
  rollingTotal: number;
}

/**
 * A force area's offences in the 12 months ending periodEnd: one period end only, as rolling
 * totals of different period ends overlap and must never be added together.
 */
export async function pfaRollingYear(
  db: DbOrTrx,
  pfa: string,
  periodEnd: string,
): Promise<RollingTotal[]> {
  const rows = await db
    .selectFrom('recorded_crime_pfa')
    .select(['period_end', 'offence', 'rolling_total'])
    .where('pfa', '=', pfa)
    .where('period_end', '=', periodEnd)
    .orderBy('offence')
    .execute();
  return rows.map((r) => ({
    periodEnd: r.period_end,
    offence: r.offence,
    rollingTotal: r.rolling_total,
  }));
}

/** One offence's rolling 12-month totals at each period end, each as published (a trend). */
export async function pfaRollingSeries(
  db: DbOrTrx,
  pfa: string,
  offence: string,
): Promise<RollingTotal[]> {
  const rows = await db
    .selectFrom('recorded_crime_pfa')
    .select(['period_end', 'offence', 'rolling_total'])
    .where('pfa', '=', pfa)
    .where('offence', '=', offence)
    .orderBy('period_end')
    .execute();
  return rows.map((r) => ({
    periodEnd: r.period_end,
    offence: r.offence,
    rollingTotal: r.rolling_total,
  }));
}

export interface CspYearOffences {
  offenceGroup: string;
  offenceSubgroup: string;
  offenceCode: string;
  offenceDescription: string;
  /** Offences recorded in the financial year's quarters loaded. */
  offences: number;
  quarters: number;
}

/** A CSP's offences in a financial year: its quarters' counts added (they do not overlap). */
export async function cspYearOffences(
  db: DbOrTrx,
  cspName: string,
  financialYear: string,
): Promise<CspYearOffences[]> {
  const rows = await db
    .selectFrom('recorded_crime_csp')
    .select([
      'offence_group',
      'offence_subgroup',
      'offence_code',
      'offence_description',
      (eb) => eb.fn.sum<number>('offences').as('offences'),
      (eb) => eb.fn.count<number>('financial_quarter').as('quarters'),
    ])
    .where(sql<string>`lower(csp_name)`, '=', cspName.toLowerCase())
    .where('financial_year', '=', financialYear)
    .groupBy(['offence_group', 'offence_subgroup', 'offence_code', 'offence_description'])
    .orderBy('offence_code')
    .execute();
  return rows.map((r) => ({
    offenceGroup: r.offence_group,
    offenceSubgroup: r.offence_subgroup,
    offenceCode: r.offence_code,
    offenceDescription: r.offence_description,
    offences: r.offences,
    quarters: r.quarters,
  }));
}
