/**
 * Indicators filled from police.uk crime data: a crime type (or all crime, or anti-social
 * behaviour) counted in the partnership's districts, month by month, from the aggregates the
 * crime import keeps. A month is filled only when every district of the partnership has data
 * loaded for it; a month with no data stays empty, never 0, so a window missing it is reported
 * as incomplete rather than compared. Every fill is audited as coming from police.uk data.
 */
import type { Actor } from '../../core/actor.js';
import type { DbOrTrx } from '../../db/database.js';
import { countsTowards, isIndicatorCrimeType } from '../../domain/crime-types.js';
import { monthLabel } from '../../domain/periods.js';
import { recordAudit } from '../audit/audit.service.js';
import { loadFigures, writeFigures, type FigureChange } from './indicators.repository.js';
import type { IndicatorRow } from './indicators.table.js';

/** Who filled a figure, as the values and the audit trail name it. */
export const POLICE_UK_LABEL = 'police.uk data';

/** The crime import, as the audit trail names it when it refreshes indicators. */
export const CRIME_DATA_IMPORT: Actor = Object.freeze({
  userId: null,
  label: 'police.uk crime data import',
  agencyId: null,
  isAdmin: true,
  roles: new Map(),
});

/** The GSS codes of the partnership's districts. */
export async function partnershipDistricts(db: DbOrTrx, partnershipId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('partnership_areas')
    .select('gss_code')
    .where('partnership_id', '=', partnershipId)
    .orderBy('gss_code')
    .execute();
  return rows.map((r) => r.gss_code);
}

/**
 * Each month with data for every one of the districts, and the count of the crime type in them
 * together, as exact whole-number text.
 */
export async function crimeCounts(
  db: DbOrTrx,
  districts: string[],
  crimeType: string,
): Promise<Map<string, string>> {
  const counts = new Map<string, string>();
  if (districts.length === 0 || !isIndicatorCrimeType(crimeType)) return counts;
  const rows = await db
    .selectFrom('crime_district_counts')
    .select(['month', 'district_code', 'crime_type'])
    .select((eb) => eb.fn.sum<number | string>('count').as('n'))
    .where('district_code', 'in', districts)
    .groupBy(['month', 'district_code', 'crime_type'])
    .execute();
  const present = new Map<string, Set<string>>();
  const totals = new Map<string, bigint>();
  for (const r of rows) {
    const seen = present.get(r.month) ?? new Set<string>();
    seen.add(r.district_code);
    present.set(r.month, seen);
    const add = countsTowards(crimeType, r.crime_type) ? BigInt(r.n) : 0n;
    totals.set(r.month, (totals.get(r.month) ?? 0n) + add);
  }
  for (const [month, seen] of present) {
    if (seen.size === districts.length) counts.set(month, String(totals.get(month) ?? 0n));
  }
  return counts;
}

/** Months the crime import flagged as looking incomplete, for forces covering the districts. */
export async function crimeFlags(db: DbOrTrx, districts: string[]): Promise<Map<string, string>> {
  const flags = new Map<string, string>();
  if (districts.length === 0) return flags;
  const rows = await db
    .selectFrom('crime_months')
    .select(['month', 'force', 'flag'])
    .where('flag', 'is not', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('crime_district_counts')
          .select('crime_district_counts.month')
          .whereRef('crime_district_counts.force', '=', 'crime_months.force')
          .whereRef('crime_district_counts.month', '=', 'crime_months.month')
          .where('crime_district_counts.district_code', 'in', districts),
      ),
    )
    .orderBy('month')
    .execute();
  for (const r of rows) {
    const why = `${r.force}: ${r.flag ?? ''}`;
    const had = flags.get(r.month);
    flags.set(r.month, had ? `${had}; ${why}` : why);
  }
  return flags;
}

/** The flagged months from `from` to `to`, both included, named for people. */
export function flaggedBetween(
  flags: ReadonlyMap<string, string>,
  from: string,
  to: string,
): { month: string; label: string; why: string }[] {
  return [...flags]
    .filter(([month]) => month >= from && month <= to)
    .map(([month, why]) => ({ month, label: monthLabel(month), why }));
}

/**
 * Makes the indicator's monthly figures those of the crime data: months with data set to their
 * count, months without cleared, 12-month totals removed (they would stand in for the counts).
 * Audited as coming from police.uk data. Returns how many figures changed.
 */
export async function fillCrimeIndicator(
  trx: DbOrTrx,
  actor: Actor,
  row: IndicatorRow,
): Promise<number> {
  if (row.crime_type === null) return 0;
  const districts = await partnershipDistricts(trx, row.partnership_id);
  const counts = await crimeCounts(trx, districts, row.crime_type);
  const saved = (await loadFigures(trx, [row.id])).get(row.id) ?? { months: [], totals: [] };
  const had = new Map(saved.months.map((f) => [f.month, f.value]));
  const changes: FigureChange[] = [];
  for (const [month, value] of counts) {
    const before = had.get(month) ?? null;
    if (before !== value) changes.push({ month, before, after: value });
  }
  for (const [month, before] of had) {
    if (!counts.has(month)) changes.push({ month, before, after: null });
  }
  changes.sort((a, b) => a.month.localeCompare(b.month));
  const totals: FigureChange[] = saved.totals.map((t) => ({
    month: t.endMonth,
    before: t.value,
    after: null,
  }));
  if (changes.length === 0 && totals.length === 0) return 0;
  if (changes.length) await writeFigures(trx, row.id, 1, changes, POLICE_UK_LABEL);
  if (totals.length) await writeFigures(trx, row.id, 12, totals, POLICE_UK_LABEL);
  const first = changes[0]?.month;
  const last = changes.at(-1)?.month;
  const span = first && last ? ` (${monthLabel(first)} to ${monthLabel(last)})` : '';
  const where = districts.length ? districts.join(' and ') : 'no districts';
  await recordAudit(trx, actor, {
    partnershipId: row.partnership_id,
    entityType: 'indicator',
    entityId: row.id,
    action: 'updated',
    summary:
      `Filled ${changes.length === 1 ? 'a monthly value' : `${changes.length} monthly values`} of ${row.name} from police.uk data${span}: ${row.crime_type} in ${where}` +
      (totals.length ? `; removed ${totals.length} 12-month totals entered before` : ''),
    before: {
      source: POLICE_UK_LABEL,
      months: Object.fromEntries(changes.map((c) => [c.month, c.before])),
      ...(totals.length
        ? { totals: Object.fromEntries(totals.map((t) => [t.month, t.before])) }
        : {}),
    },
    after: {
      source: POLICE_UK_LABEL,
      crimeType: row.crime_type,
      districts,
      months: Object.fromEntries(changes.map((c) => [c.month, c.after])),
    },
  });
  return changes.length + totals.length;
}

export interface CrimeRefresh {
  /** Crime-data indicators looked at. */
  indicators: number;
  /** Of them, those whose figures changed. */
  changed: number;
}

/**
 * Fills every crime-data indicator again from the crime aggregates as they now stand, all in
 * one transaction. The crime import calls it after its own transaction commits; `districts`
 * limits it to the partnerships covering any of those districts (the ones the import touched).
 * Given a transaction, it works inside it.
 */
export async function refreshCrimeIndicators(
  db: DbOrTrx,
  options: { districts?: string[]; actor?: Actor } = {},
): Promise<CrimeRefresh> {
  const actor = options.actor ?? CRIME_DATA_IMPORT;
  const run = async (trx: DbOrTrx): Promise<CrimeRefresh> => {
    let query = trx.selectFrom('indicators').selectAll().where('crime_type', 'is not', null);
    if (options.districts) {
      if (options.districts.length === 0) return { indicators: 0, changed: 0 };
      const districts = options.districts;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('partnership_areas')
            .select('partnership_areas.partnership_id')
            .whereRef('partnership_areas.partnership_id', '=', 'indicators.partnership_id')
            .where('partnership_areas.gss_code', 'in', districts),
        ),
      );
    }
    const rows = await query.orderBy('id').execute();
    let changed = 0;
    for (const row of rows) if ((await fillCrimeIndicator(trx, actor, row)) > 0) changed += 1;
    return { indicators: rows.length, changed };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
