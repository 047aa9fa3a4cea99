import { nowIso, type DbOrTrx } from '../../db/database.js';
import type { EnteredTotal, Polarity } from '../../domain/change.js';
import { isIndicatorCrimeType, type IndicatorCrimeType } from '../../domain/crime-types.js';
import type { Unit } from '../../domain/figures.js';
import { rollingYear } from '../../domain/periods.js';
import type { IndicatorRow } from './indicators.table.js';

export interface IndicatorTheme {
  id: number;
  title: string;
  type: 'priority' | 'cross-cutting';
  planId: number;
  planTitle: string;
  periodLabel: string;
}

export interface Indicator {
  id: number;
  name: string;
  source: string;
  unit: Unit;
  /** The word used in change sentences ("incidents"), or '' for none. */
  noun: string;
  polarity: Polarity;
  notes: string;
  theme: IndicatorTheme | null;
  /** The police.uk crime type its monthly figures are filled from; null when entered by hand. */
  crimeType?: IndicatorCrimeType | null;
}

/** A figure: exact decimal text, like "1234" or "12.35". */
export interface MonthFigure {
  month: string;
  value: string;
}

/** A 12-month total, for sources that publish no monthly figures: the window ends at `endMonth`. */
export interface TotalFigure {
  endMonth: string;
  value: string;
}

export interface IndicatorFigures {
  months: MonthFigure[];
  totals: TotalFigure[];
}

/** The figures as comparisons take them: months by 'YYYY-MM', each total for its 12 months. */
export function comparisonInputs(figures: IndicatorFigures): {
  months: Map<string, string>;
  entered: EnteredTotal[];
} {
  return {
    months: new Map(figures.months.map((f) => [f.month, f.value])),
    entered: figures.totals.map((t) => ({ window: rollingYear(t.endMonth), total: t.value })),
  };
}

/** A value change for the audit trail: null is no value. */
export interface FigureChange {
  month: string;
  before: string | null;
  after: string | null;
}

/** The partnership's themes, every plan's, with their plans, latest plan first. */
export async function partnershipThemes(
  db: DbOrTrx,
  partnershipId: number,
): Promise<IndicatorTheme[]> {
  const rows = await db
    .selectFrom('themes')
    .innerJoin('plans', 'plans.id', 'themes.plan_id')
    .select([
      'themes.id',
      'themes.title',
      'themes.type',
      'plans.id as planId',
      'plans.title as planTitle',
      'plans.period_label as periodLabel',
    ])
    .where('plans.partnership_id', '=', partnershipId)
    .orderBy('plans.period_start', 'desc')
    .orderBy('plans.id', 'desc')
    .orderBy('themes.position')
    .execute();
  return rows.map((r) => ({ ...r, type: r.type as IndicatorTheme['type'] }));
}

export function toIndicator(row: IndicatorRow, themes: Map<number, IndicatorTheme>): Indicator {
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    unit: row.unit as Unit,
    noun: row.noun,
    polarity: row.polarity as Polarity,
    notes: row.notes,
    crimeType:
      row.crime_type !== null && isIndicatorCrimeType(row.crime_type) ? row.crime_type : null,
    theme: row.theme_id === null ? null : (themes.get(row.theme_id) ?? null),
  };
}

/** Every figure of the indicators, by indicator id, months and totals in month order. */
export async function loadFigures(
  db: DbOrTrx,
  indicatorIds: number[],
): Promise<Map<number, IndicatorFigures>> {
  const figures = new Map<number, IndicatorFigures>(
    indicatorIds.map((id) => [id, { months: [], totals: [] }]),
  );
  if (indicatorIds.length === 0) return figures;
  const rows = await db
    .selectFrom('indicator_values')
    .select(['indicator_id', 'month', 'months', 'value'])
    .where('indicator_id', 'in', indicatorIds)
    .orderBy('indicator_id')
    .orderBy('month')
    .execute();
  for (const r of rows) {
    const f = figures.get(r.indicator_id);
    if (!f) continue;
    if (r.months === 12) f.totals.push({ endMonth: r.month, value: r.value });
    else f.months.push({ month: r.month, value: r.value });
  }
  return figures;
}

const CHUNK = 500;

/** Writes monthly (months 1) or 12-month (months 12) figures as the changes say. */
export async function writeFigures(
  trx: DbOrTrx,
  indicatorId: number,
  months: 1 | 12,
  changes: FigureChange[],
  byLabel: string,
): Promise<void> {
  const now = nowIso();
  for (let i = 0; i < changes.length; i += CHUNK) {
    const chunk = changes.slice(i, i + CHUNK);
    await trx
      .deleteFrom('indicator_values')
      .where('indicator_id', '=', indicatorId)
      .where('months', '=', months)
      .where(
        'month',
        'in',
        chunk.map((c) => c.month),
      )
      .execute();
    const rows = chunk.flatMap((c) =>
      c.after === null
        ? []
        : [
            {
              indicator_id: indicatorId,
              month: c.month,
              months,
              value: c.after,
              updated_at: now,
              updated_by_label: byLabel,
            },
          ],
    );
    if (rows.length) await trx.insertInto('indicator_values').values(rows).execute();
  }
}
