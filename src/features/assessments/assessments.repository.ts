import { sql } from 'kysely';
import { NotFoundError } from '../../core/errors.js';
import type { DbOrTrx } from '../../db/database.js';
import { ukDate } from '../../domain/dates.js';
import { addMonths, windowMonths, type MonthWindow } from '../../domain/periods.js';
import {
  ASB,
  TREND_YEARS,
  type Area,
  type CrimeMonthRow,
  type Csp,
  type DistrictCountRow,
  type DistrictTotalRow,
  type FiguresInput,
  type ForceShareRow,
  type PopulationRelease,
  type PopulationRow,
  type WardCountRow,
} from './assessment-figures.js';
import type { AssessmentRow } from './assessments.table.js';

/**
 * What every assessment of a period reads alike, whatever the partnership: each district's
 * totals and home force, names, CSPs, population and published months. Read once for a batch.
 */
export interface NationalData {
  window: MonthWindow;
  crimeMonths: CrimeMonthRow[];
  forceShares: ForceShareRow[];
  districtTotals: DistrictTotalRow[];
  districts: Area[];
  csps: Csp[];
  cspVintage: string | null;
  releases: PopulationRelease[];
  populations: PopulationRow[];
  forceImports: Map<string, string>;
}

/**
 * A population release as people name it: ONS's title and when it was published ("Mid-Year
 * Population Estimates, England and Wales, June 2023, published 15 July 2024").
 */
export function releaseName(title: string, published: string): string {
  const when = /^\d{4}-\d{2}-\d{2}$/.test(published) ? ukDate(published) : published;
  return [title, when ? `published ${when}` : ''].filter(Boolean).join(', ');
}

const trendFrom = (window: MonthWindow) => addMonths(window.from, -12 * (TREND_YEARS - 1));

export async function loadNational(db: DbOrTrx, window: MonthWindow): Promise<NationalData> {
  const startYear = Number(window.from.slice(0, 4));
  const [crimeMonths, totals, districts, cspRows, releases, populations, imports] =
    await Promise.all([
      db.selectFrom('crime_months').select(['force', 'month', 'flag', 'import_id']).execute(),
      // One pass over the period: each district's totals by force and by measure.
      db
        .selectFrom('crime_district_counts')
        .select([
          'district_code',
          'force',
          sql<number | string>`case when crime_type = ${sql.lit(ASB)} then 1 else 0 end`.as('asb'),
          (eb) => eb.fn.sum<number | string>('count').as('n'),
        ])
        .where('month', '>=', window.from)
        .where('month', '<=', window.to)
        .groupBy([
          'district_code',
          'force',
          sql`case when crime_type = ${sql.lit(ASB)} then 1 else 0 end`,
        ])
        .execute(),
      namedAreas(db, 'district'),
      newestCsps(db),
      db
        .selectFrom('data_imports')
        .select(['id', 'release', 'title'])
        .where('kind', '=', 'population')
        .where('status', '=', 'complete')
        .execute(),
      db
        .selectFrom('population_estimates')
        .select(['import_id', 'area_code', 'year', 'population'])
        .where('year', '>=', startYear - TREND_YEARS + 1)
        .where('year', '<=', startYear)
        .execute(),
      db
        .selectFrom('data_imports')
        .select(['id', 'finished_at', 'started_at'])
        .where('kind', '=', 'crime')
        .execute(),
    ]);
  const importDates = new Map(imports.map((i) => [i.id, i.finished_at ?? i.started_at]));
  // The latest import of each force's months in the window, to name in the source.
  const forceImports = new Map<string, string>();
  const latest = new Map<string, string>();
  for (const m of crimeMonths) {
    if (m.month < trendFrom(window) || m.month > window.to) continue;
    const when = importDates.get(m.import_id);
    if (when && (latest.get(m.force) ?? '') < when) latest.set(m.force, when);
  }
  for (const [force, when] of latest) forceImports.set(force, ukDate(when));
  return {
    window,
    crimeMonths: crimeMonths.map((m) => ({ force: m.force, month: m.month, flag: m.flag })),
    ...sharesAndTotals(totals),
    districts,
    ...cspRows,
    releases: releases.map((r) => ({
      importId: r.id,
      release: releaseName(r.title, r.release),
      title: r.title,
    })),
    populations: populations.map((p) => ({
      importId: p.import_id,
      area: p.area_code,
      year: p.year,
      population: p.population,
    })),
    forceImports,
  };
}

/** Each district's records by force (its home force) and by measure (its ranks). */
function sharesAndTotals(
  rows: { district_code: string; force: string; asb: number | string; n: number | string }[],
): { forceShares: ForceShareRow[]; districtTotals: DistrictTotalRow[] } {
  const shares = new Map<string, ForceShareRow>();
  const totals = new Map<string, DistrictTotalRow>();
  for (const r of rows) {
    const n = Number(r.n);
    const measure = Number(r.asb) === 1 ? 'asb' : 'crime';
    const share = shares.get(`${r.district_code}|${r.force}`) ?? {
      district: r.district_code,
      force: r.force,
      count: 0,
    };
    share.count += n;
    shares.set(`${r.district_code}|${r.force}`, share);
    const total = totals.get(`${r.district_code}|${measure}`) ?? {
      district: r.district_code,
      measure,
      count: 0,
    };
    total.count += n;
    totals.set(`${r.district_code}|${measure}`, total);
  }
  return { forceShares: [...shares.values()], districtTotals: [...totals.values()] };
}

/** Areas of a type by code, with the name of their newest vintage. */
async function namedAreas(db: DbOrTrx, type: string): Promise<Area[]> {
  const rows = await db
    .selectFrom('geo_areas')
    .select(['code', 'name', 'vintage'])
    .where('type', '=', type)
    .orderBy('vintage')
    .execute();
  const byCode = new Map<string, string>();
  for (const r of rows) byCode.set(r.code, r.name);
  return [...byCode]
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The community safety partnerships of the newest district lookup, with their districts. */
async function newestCsps(db: DbOrTrx): Promise<{ csps: Csp[]; cspVintage: string | null }> {
  const newest = await db
    .selectFrom('geo_district_links')
    .select((eb) => eb.fn.max('vintage').as('v'))
    .where('parent_type', '=', 'csp')
    .executeTakeFirst();
  const vintage = newest?.v ?? null;
  if (vintage === null) return { csps: [], cspVintage: null };
  const rows = await db
    .selectFrom('geo_district_links as l')
    .leftJoin('geo_areas as a', (j) =>
      j.onRef('a.code', '=', 'l.parent_code').on('a.type', '=', 'csp'),
    )
    .select(['l.district_code', 'l.parent_code', 'a.name', 'a.vintage'])
    .where('l.parent_type', '=', 'csp')
    .where('l.vintage', '=', vintage)
    .execute();
  const csps = new Map<string, Csp>();
  for (const r of rows) {
    const c = csps.get(r.parent_code) ?? {
      code: r.parent_code,
      name: r.name ?? r.parent_code,
      districts: [],
    };
    if (r.name && r.vintage === vintage) c.name = r.name;
    if (!c.districts.includes(r.district_code)) c.districts.push(r.district_code);
    csps.set(r.parent_code, c);
  }
  return { csps: [...csps.values()], cspVintage: vintage };
}

/** The partnership's own rows: its districts' counts over five years and ward counts. */
export async function loadLocal(
  db: DbOrTrx,
  window: MonthWindow,
  districts: string[],
): Promise<Pick<FiguresInput, 'counts' | 'ourForceShares' | 'wardCounts' | 'wardNames'>> {
  if (districts.length === 0) {
    return { counts: [], ourForceShares: [], wardCounts: [], wardNames: new Map() };
  }
  const from = trendFrom(window);
  const [counts, wards] = await Promise.all([
    db
      .selectFrom('crime_district_counts')
      .select([
        'district_code',
        'month',
        'crime_type',
        'force',
        (eb) => eb.fn.sum<number | string>('count').as('n'),
      ])
      .where('district_code', 'in', districts)
      .where('month', '>=', from)
      .where('month', '<=', window.to)
      .groupBy(['district_code', 'month', 'crime_type', 'force'])
      .execute(),
    db
      .selectFrom('crime_ward_counts')
      .select([
        'ward_code',
        'ward_vintage',
        (eb) => eb.fn.sum<number | string>('crime').as('crime'),
        (eb) => eb.fn.sum<number | string>('asb').as('asb'),
      ])
      // Keyed month first: naming each month lets the database seek every month's districts.
      .where('month', 'in', windowMonths(window))
      .where('district_code', 'in', districts)
      .groupBy(['ward_code', 'ward_vintage'])
      .execute(),
  ]);
  const shares = new Map<string, ForceShareRow>();
  const rows: DistrictCountRow[] = [];
  for (const r of counts) {
    const n = Number(r.n);
    rows.push({ district: r.district_code, month: r.month, crimeType: r.crime_type, count: n });
    const key = `${r.district_code}|${r.force}`;
    const s = shares.get(key) ?? { district: r.district_code, force: r.force, count: 0 };
    s.count += n;
    shares.set(key, s);
  }
  const wardCodes = [...new Set(wards.map((w) => w.ward_code))];
  const names = wardCodes.length
    ? await db
        .selectFrom('geo_areas')
        .select(['code', 'vintage', 'name'])
        .where('type', '=', 'ward')
        .where('code', 'in', wardCodes)
        .execute()
    : [];
  return {
    counts: rows,
    ourForceShares: [...shares.values()],
    // A ward with none of a measure is not counted among that measure's wards.
    wardCounts: wards.flatMap((w) =>
      (['crime', 'asb'] as const)
        .map((measure) => ({
          ward: w.ward_code,
          vintage: w.ward_vintage,
          measure,
          count: Number(w[measure]),
        }))
        .filter((c) => c.count > 0),
    ) satisfies WardCountRow[],
    wardNames: new Map(names.map((n) => [`${n.code}|${n.vintage}`, n.name])),
  };
}

/** The partnership's districts (its ONS codes) with their names where the lookups know them. */
export async function partnershipDistricts(db: DbOrTrx, partnershipId: number): Promise<Area[]> {
  const rows = await db
    .selectFrom('partnership_areas')
    .select('gss_code')
    .where('partnership_id', '=', partnershipId)
    .orderBy('gss_code')
    .execute();
  const codes = rows.map((r) => r.gss_code);
  if (codes.length === 0) return [];
  const names = await db
    .selectFrom('geo_areas')
    .select(['code', 'name', 'vintage'])
    .where('type', '=', 'district')
    .where('code', 'in', codes)
    .orderBy('vintage')
    .execute();
  const byCode = new Map(names.map((n) => [n.code, n.name]));
  return codes.map((code) => ({ code, name: byCode.get(code) ?? code }));
}

/** A district's wards of every vintage the lookups hold. */
export async function wardsOf(
  db: DbOrTrx,
  districts: string[],
): Promise<{ district: string; vintage: string; code: string; name: string }[]> {
  if (districts.length === 0) return [];
  const rows = await db
    .selectFrom('geo_lsoa_wards as l')
    .leftJoin('geo_areas as a', (j) =>
      j.onRef('a.code', '=', 'l.ward_code').onRef('a.vintage', '=', 'l.ward_vintage'),
    )
    .select(['l.district_code', 'l.ward_vintage', 'l.ward_code', 'a.name'])
    .distinct()
    .where('l.district_code', 'in', districts)
    .orderBy('l.district_code')
    .orderBy('l.ward_vintage')
    .orderBy('a.name')
    .execute();
  return rows.map((r) => ({
    district: r.district_code,
    vintage: r.ward_vintage,
    code: r.ward_code,
    name: r.name ?? r.ward_code,
  }));
}

/** Every release's mid-year estimates for the districts. */
export async function populationsOf(db: DbOrTrx, areas: string[]) {
  if (areas.length === 0) return [];
  return db
    .selectFrom('population_estimates as p')
    .innerJoin('data_imports as i', 'i.id', 'p.import_id')
    .select(['p.area_code', 'p.year', 'p.population', 'i.id', 'i.release', 'i.title'])
    .where('p.area_code', 'in', areas)
    .where('i.status', '=', 'complete')
    .orderBy('i.id')
    .orderBy('p.area_code')
    .orderBy('p.year')
    .execute();
}

export async function findAssessmentRow(
  db: DbOrTrx,
  partnershipId: number,
  id: number,
): Promise<AssessmentRow> {
  const row = await db
    .selectFrom('assessments')
    .selectAll()
    .where('id', '=', id)
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Assessment');
  return row;
}

export async function assessmentForPeriod(
  db: DbOrTrx,
  partnershipId: number,
  from: string,
): Promise<AssessmentRow | undefined> {
  return db
    .selectFrom('assessments')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('period_from', '=', from)
    .executeTakeFirst();
}

export async function assessmentsOf(db: DbOrTrx, partnershipId: number): Promise<AssessmentRow[]> {
  return db
    .selectFrom('assessments')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .orderBy('period_from', 'desc')
    .execute();
}

export async function overviewsOf(db: DbOrTrx, assessmentId: number): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('assessment_overviews')
    .select(['theme_id', 'text'])
    .where('assessment_id', '=', assessmentId)
    .execute();
  return new Map(rows.map((r) => [r.theme_id, r.text]));
}

/**
 * The priorities and cross-cutting themes of the partnership's current plan: the adopted plan
 * covering the period's last day, else the latest adopted plan, else the latest draft.
 */
export async function currentPlanThemes(
  db: DbOrTrx,
  partnershipId: number,
  lastDay: string,
): Promise<{
  plan: { id: number; title: string; periodLabel: string } | null;
  themes: { id: number; type: string; title: string }[];
}> {
  const plans = await db
    .selectFrom('plans')
    .select(['id', 'title', 'period_label', 'period_start', 'period_end', 'status'])
    .where('partnership_id', '=', partnershipId)
    .where('status', '!=', 'archived')
    .orderBy('period_start', 'desc')
    .execute();
  const plan =
    plans.find(
      (p) => p.status === 'adopted' && p.period_start <= lastDay && p.period_end >= lastDay,
    ) ??
    plans.find((p) => p.status === 'adopted') ??
    plans[0];
  if (!plan) return { plan: null, themes: [] };
  const themes = await db
    .selectFrom('themes')
    .select(['id', 'type', 'title'])
    .where('plan_id', '=', plan.id)
    .orderBy('position')
    .execute();
  return { plan: { id: plan.id, title: plan.title, periodLabel: plan.period_label }, themes };
}
