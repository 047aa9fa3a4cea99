import { z } from 'zod';
import { canManagePartnership, type Actor } from '../../core/actor.js';
import { NotFoundError, ValidationFailed } from '../../core/errors.js';
import { fieldError, formErrors, parseInput } from '../../core/form-errors.js';
import { nowIso, todayIso, type Db, type DbOrTrx } from '../../db/database.js';
import {
  compareWithPrevious,
  directionOfTravel,
  type Comparison,
  type Direction,
} from '../../domain/change.js';
import { formatFigure, parseFigure, type Unit } from '../../domain/figures.js';
import {
  PeriodError,
  addMonths,
  calendarYearWindow,
  compareMonths,
  financialYearWindow,
  isFutureMonth,
  latestCalendarYearTo,
  latestFinancialYearTo,
  monthLabel,
  monthsBetween,
  parseMonth,
  longWindowLabel,
  rollingYear,
  type MonthWindow,
} from '../../domain/periods.js';
import { historyOf, recordAudit, type AuditEvent } from '../audit/audit.service.js';
import { crimeFlags, fillCrimeIndicator, partnershipDistricts } from './crime-indicators.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import {
  comparisonInputs,
  loadFigures,
  partnershipThemes,
  toIndicator,
  writeFigures,
  type FigureChange,
  type Indicator,
  type IndicatorFigures,
  type IndicatorTheme,
} from './indicators.repository.js';
import {
  COMPARISON_BASES,
  indicatorSchema,
  messages,
  nameKey,
  type ComparisonBasis,
  type IndicatorValues,
} from './indicators.schemas.js';
import type { IndicatorRow } from './indicators.table.js';

export interface IndicatorDetail extends Indicator {
  canManage: boolean;
}

/** One month of the values grid. */
export interface GridMonth {
  month: string;
  value: string | null;
  future: boolean;
}

/** A window against the one before it, with the direction of travel by the polarity. */
export interface IndicatorComparison extends Comparison {
  basis: ComparisonBasis;
  direction: Direction | null;
}

export interface IndicatorComparisons {
  /** The last month compared to: the one asked for, or the latest with a figure. */
  end: string;
  /** One a basis, in the order of COMPARISON_BASES. */
  comparisons: IndicatorComparison[];
}

/** The earliest month comparisons reach back from: far enough for any real source. */
const EARLIEST_END = '1900-01';

/**
 * The window of each basis for comparisons to the end of `end`: the 12 months ending with it,
 * and the latest financial (April to March) and calendar years whole by then, as those are the
 * years a report quotes: August 2022 compares 2021/22 and 2021, not the years still under way.
 */
export function comparisonWindows(end: string): Record<ComparisonBasis, MonthWindow> {
  return {
    rolling: rollingYear(end),
    financial: financialYearWindow(latestFinancialYearTo(end)),
    calendar: calendarYearWindow(latestCalendarYearTo(end)),
  };
}

/** The latest month with a figure, a 12-month total's last month included; null for none. */
export function latestFigureMonth(figures: IndicatorFigures): string | null {
  const months = [...figures.months.map((f) => f.month), ...figures.totals.map((t) => t.endMonth)];
  return months.reduce<string | null>(
    (latest, m) => (latest === null || compareMonths(m, latest) > 0 ? m : latest),
    null,
  );
}

/** The indicator's figures over a window against the window before it. */
function compareOn(
  indicator: Indicator,
  figures: IndicatorFigures,
  basis: ComparisonBasis,
  window: MonthWindow,
): IndicatorComparison {
  const { months, entered } = comparisonInputs(figures);
  const options = { unit: indicator.unit, noun: indicator.noun };
  const comparison = compareWithPrevious(window, options, months, entered);
  return {
    basis,
    ...comparison,
    direction: directionOfTravel(comparison.change, indicator.polarity),
  };
}

/** The field of a month in the values grid, so errors point at its input. */
export const monthField = (month: string): string => `month-${month}`;

const totalSchema = z.object({
  endMonth: z.string({ error: messages.endMonthEmpty }).trim().min(1, messages.endMonthEmpty),
  value: z.string({ error: messages.totalEmpty }).trim().min(1, messages.totalEmpty),
});

/** Changed cells as the audit summary lists them, the first few by name. */
function describeChanges(changes: FigureChange[], label: (c: FigureChange) => string): string {
  const shown = changes.slice(0, 6).map((c) => {
    const what = label(c);
    if (c.before === null) return `${what} set to ${formatFigure(c.after ?? '')}`;
    if (c.after === null) return `${what} cleared (was ${formatFigure(c.before)})`;
    return `${what} changed from ${formatFigure(c.before)} to ${formatFigure(c.after)}`;
  });
  const more = changes.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** Before and after of the changed cells, keyed by month, for the audit trail. */
export function changeRecord(changes: FigureChange[]): { before: object; after: object } {
  return {
    before: Object.fromEntries(changes.map((c) => [c.month, c.before])),
    after: Object.fromEntries(changes.map((c) => [c.month, c.after])),
  };
}

/**
 * Performance indicators and their figures. Everyone in a partnership reads them; its
 * coordinators add, change and delete indicators and enter or import figures. Another
 * partnership's indicators answer 404. Every change of a figure is audited with who and when:
 * one entry a save, listing the months changed.
 */
export class IndicatorsService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
    /** Today as 'YYYY-MM-DD': months after its month are in the future. */
    private readonly today: () => string = () => todayIso(),
  ) {}

  /** The month today falls in. */
  currentMonth(): string {
    return this.today().slice(0, 7);
  }

  /** The partnership's indicators, by theme (latest plan first, in plan order), then name. */
  async list(actor: Actor, slug: string): Promise<Indicator[]> {
    const p = await this.partnerships.readable(actor, slug);
    return this.listFor(this.db, p.id);
  }

  /**
   * Every indicator of the partnership with all its figures, in the list's order, in three
   * queries: what reports and comparisons read.
   */
  async listWithFigures(
    actor: Actor,
    slug: string,
  ): Promise<(Indicator & { figures: IndicatorFigures })[]> {
    const p = await this.partnerships.readable(actor, slug);
    return this.withFiguresFor(this.db, p.id);
  }

  /** What listWithFigures gives, for a caller that has checked access, in its transaction. */
  async withFiguresFor(
    db: DbOrTrx,
    partnershipId: number,
  ): Promise<(Indicator & { figures: IndicatorFigures })[]> {
    const indicators = await this.listFor(db, partnershipId);
    const figures = await loadFigures(
      db,
      indicators.map((i) => i.id),
    );
    return indicators.map((i) => ({
      ...i,
      figures: figures.get(i.id) ?? { months: [], totals: [] },
    }));
  }

  private async listFor(db: DbOrTrx, partnershipId: number): Promise<Indicator[]> {
    const [rows, themes] = await Promise.all([
      db
        .selectFrom('indicators')
        .selectAll()
        .where('partnership_id', '=', partnershipId)
        .orderBy('name')
        .execute(),
      partnershipThemes(db, partnershipId),
    ]);
    const order = new Map(themes.map((t, i) => [t.id, i]));
    const byTheme = new Map(themes.map((t) => [t.id, t]));
    const rank = (r: IndicatorRow) =>
      r.theme_id === null ? themes.length : (order.get(r.theme_id) ?? themes.length);
    return rows
      .map((r, i) => ({ r, i }))
      .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
      .map(({ r }) => toIndicator(r, byTheme));
  }

  /** The themes an indicator can belong to: every theme of every plan of the partnership. */
  async themeChoices(actor: Actor, slug: string): Promise<IndicatorTheme[]> {
    const p = await this.partnerships.readable(actor, slug);
    return partnershipThemes(this.db, p.id);
  }

  async get(actor: Actor, slug: string, indicatorId: number): Promise<IndicatorDetail> {
    const { p, row } = await this.find(actor, slug, indicatorId);
    const themes = new Map((await partnershipThemes(this.db, p.id)).map((t) => [t.id, t]));
    return { ...toIndicator(row, themes), canManage: canManagePartnership(actor, p) };
  }

  /** Every figure of the indicator: months and 12-month totals, in month order. */
  async figures(actor: Actor, slug: string, indicatorId: number): Promise<IndicatorFigures> {
    const { row } = await this.find(actor, slug, indicatorId);
    return (await loadFigures(this.db, [row.id])).get(row.id) ?? { months: [], totals: [] };
  }

  /**
   * The indicator over the rolling year, the financial year and the calendar year to the end of
   * a month, each against the one before. `end` is the month as typed ('YYYY-MM'); empty or
   * left out, the latest month with a figure, or last month when there is none. A month that is
   * not one, or is in the future, is refused as the field `to`.
   */
  async comparisons(
    actor: Actor,
    slug: string,
    indicatorId: number,
    end?: string,
  ): Promise<IndicatorComparisons> {
    const [indicator, figures] = await Promise.all([
      this.get(actor, slug, indicatorId),
      this.figures(actor, slug, indicatorId),
    ]);
    const month = this.chosenEnd(end, figures);
    const windows = comparisonWindows(month);
    return {
      end: month,
      comparisons: COMPARISON_BASES.map((basis) =>
        compareOn(indicator, figures, basis, windows[basis]),
      ),
    };
  }

  /**
   * Every indicator of the partnership, in the list's order, with its latest rolling year
   * against the one before: the 12 months to its latest month with a figure. Null for an
   * indicator with no figures. All the figures are read in one query.
   */
  async listWithLatest(
    actor: Actor,
    slug: string,
  ): Promise<(Indicator & { latest: IndicatorComparison | null })[]> {
    return (await this.listWithFigures(actor, slug)).map(({ figures, ...indicator }) => {
      const end = latestFigureMonth(figures);
      return {
        ...indicator,
        latest: end === null ? null : compareOn(indicator, figures, 'rolling', rollingYear(end)),
      };
    });
  }

  /** The month comparisons end with: `text` checked, or the default for none. */
  private chosenEnd(text: string | undefined, figures: IndicatorFigures): string {
    const typed = (text ?? '').trim();
    if (typed === '') return latestFigureMonth(figures) ?? addMonths(this.currentMonth(), -1);
    let month: string;
    try {
      month = parseMonth(typed);
    } catch (err) {
      if (!(err instanceof PeriodError)) throw err;
      throw fieldError('to', err.message);
    }
    if (isFutureMonth(month, this.today())) throw fieldError('to', messages.compareFuture);
    if (compareMonths(month, EARLIEST_END) < 0) throw fieldError('to', messages.compareTooEarly);
    return month;
  }

  /** Months of a window with their figures; months after this one are marked future. */
  async grid(
    actor: Actor,
    slug: string,
    indicatorId: number,
    window: MonthWindow,
  ): Promise<GridMonth[]> {
    const figures = await this.figures(actor, slug, indicatorId);
    const byMonth = new Map(figures.months.map((f) => [f.month, f.value]));
    return monthsBetween(window.from, window.to).map((month) => ({
      month,
      value: byMonth.get(month) ?? null,
      future: isFutureMonth(month, this.today()),
    }));
  }

  async history(actor: Actor, slug: string, indicatorId: number): Promise<AuditEvent[]> {
    const { row } = await this.find(actor, slug, indicatorId);
    return historyOf(this.db, 'indicator', row.id);
  }

  async create(actor: Actor, slug: string, input: unknown): Promise<Indicator> {
    const values = parseInput(indicatorSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      const themes = await this.checkRules(trx, p, values);
      const row = await insertIndicator(trx, actor, p.id, values);
      await fillCrimeIndicator(trx, actor, row);
      return toIndicator(row, themes);
    });
  }

  async update(actor: Actor, slug: string, indicatorId: number, input: unknown): Promise<void> {
    const values = parseInput(indicatorSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.findManaged(actor, slug, indicatorId, trx);
      await this.checkRules(trx, p, values, row.id);
      await trx
        .updateTable('indicators')
        .set({
          name: values.name,
          source: values.source,
          unit: values.unit,
          noun: values.noun,
          polarity: values.polarity,
          notes: values.notes,
          theme_id: values.themeId ?? null,
          crime_type: values.crimeType,
          updated_at: nowIso(),
        })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'indicator',
        entityId: row.id,
        action: 'updated',
        summary: `Changed the indicator ${values.name}`,
        before: describeRow(row),
        after: values,
      });
      // A new crime type, or figures entered before the indicator followed police.uk data.
      await fillCrimeIndicator(trx, actor, { ...row, crime_type: values.crimeType });
    });
  }

  /**
   * Where a crime-data indicator's figures come from: its crime type, the partnership's
   * districts, and the months the crime import flagged as looking incomplete. Null for an
   * indicator whose figures are entered by hand or imported.
   */
  async crimeSource(
    actor: Actor,
    slug: string,
    indicatorId: number,
  ): Promise<{ crimeType: string; districts: string[]; flags: Map<string, string> } | null> {
    const { p, row } = await this.find(actor, slug, indicatorId);
    if (row.crime_type === null) return null;
    const districts = await partnershipDistricts(this.db, p.id);
    return { crimeType: row.crime_type, districts, flags: await crimeFlags(this.db, districts) };
  }

  /** What deleting the indicator takes with it, for the coordinator to confirm. */
  async deletion(
    actor: Actor,
    slug: string,
    indicatorId: number,
  ): Promise<{ indicator: { id: number; name: string }; months: number; totals: number }> {
    const { row } = await this.findManaged(actor, slug, indicatorId, this.db);
    const figures = (await loadFigures(this.db, [row.id])).get(row.id);
    return {
      indicator: { id: row.id, name: row.name },
      months: figures?.months.length ?? 0,
      totals: figures?.totals.length ?? 0,
    };
  }

  /** Deletes the indicator and its figures; the audit trail keeps them. */
  async delete(actor: Actor, slug: string, indicatorId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.findManaged(actor, slug, indicatorId, trx);
      const figures = (await loadFigures(trx, [row.id])).get(row.id);
      await trx.deleteFrom('indicators').where('id', '=', row.id).execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'indicator',
        entityId: row.id,
        action: 'deleted',
        summary: `Deleted the indicator ${row.name} and its ${figures?.months.length ?? 0} monthly values and ${figures?.totals.length ?? 0} 12-month totals`,
        before: { ...describeRow(row), ...figures },
      });
    });
  }

  /**
   * Saves the grid's months, all or nothing: `input` maps 'YYYY-MM' to the text typed, '' to
   * clear. Every problem is reported at once, each naming its month. Returns the months changed.
   *
   * `shown` maps months to the figures the form showed ('' for none). With it, a month left as
   * shown is not saved, so a grid posted back whole never undoes someone else's change made in
   * the meantime; and a month changed here that someone else has also changed is refused.
   */
  async saveMonths(
    actor: Actor,
    slug: string,
    indicatorId: number,
    input: Record<string, string | undefined>,
    shown?: Record<string, string | undefined>,
  ): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.findManaged(actor, slug, indicatorId, trx);
      refuseIfFilled(row);
      const wanted = new Map<string, string | null>();
      const problems: [string, string][] = [];
      for (const [key, raw] of Object.entries(input)) {
        const text = (raw ?? '').trim();
        let month: string;
        try {
          month = parseMonth(key);
        } catch (err) {
          if (!(err instanceof PeriodError)) throw err;
          problems.push([monthField(key), `${key}: ${err.message}`]);
          continue;
        }
        const where = monthLabel(month);
        if (isFutureMonth(month, this.today())) {
          if (text) problems.push([monthField(month), `${where}: ${messages.monthFuture}`]);
          continue;
        }
        if (text === '') {
          wanted.set(month, null);
          continue;
        }
        const figure = parseFigure(text, row.unit as Unit);
        if ('error' in figure) problems.push([monthField(month), `${where}: ${figure.error}`]);
        else wanted.set(month, figure.value);
      }
      const current = (await loadFigures(trx, [row.id])).get(row.id)?.months ?? [];
      const had = new Map(current.map((f) => [f.month, f.value]));
      if (shown) {
        for (const [month, after] of wanted) {
          const before = shown[month];
          if (before === undefined) continue;
          const saw = before.trim() === '' ? null : parseFigure(before, row.unit as Unit);
          const sawValue = saw === null ? null : 'value' in saw ? saw.value : before;
          if (after === sawValue) {
            wanted.delete(month);
            continue;
          }
          const now = had.get(month) ?? null;
          if (now !== sawValue && now !== after) {
            problems.push([
              monthField(month),
              `${monthLabel(month)}: ${messages.monthChanged(now === null ? 'cleared it' : `changed it to ${formatFigure(now)}`)}`,
            ]);
          }
        }
      }
      if (problems.length) throw new ValidationFailed(formErrors(problems));

      const changes = [...wanted]
        .map(([month, after]) => ({ month, before: had.get(month) ?? null, after }))
        .filter((c) => c.before !== c.after)
        .sort((a, b) => a.month.localeCompare(b.month));
      if (changes.length === 0) return 0;
      await writeFigures(trx, row.id, 1, changes, actor.label);
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'indicator',
        entityId: row.id,
        action: 'updated',
        summary: `Changed ${changes.length === 1 ? 'a monthly value' : `${changes.length} monthly values`} of ${row.name}: ${describeChanges(changes, (c) => monthLabel(c.month))}`,
        ...changeRecord(changes),
      });
      return changes.length;
    });
  }

  /**
   * Sets the 12-month total ending at a month, as the source publishes it. Comparisons use it for
   * those 12 months in place of their monthly figures.
   */
  async setTotal(actor: Actor, slug: string, indicatorId: number, input: unknown): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // Access first: someone who may not change the indicator learns nothing from its rules.
      const { p, row } = await this.findManaged(actor, slug, indicatorId, trx);
      refuseIfFilled(row, 'value');
      const raw = parseInput(totalSchema, input);
      const problems: [string, string][] = [];
      let endMonth = '';
      try {
        endMonth = parseMonth(raw.endMonth);
        if (isFutureMonth(endMonth, this.today()))
          problems.push(['endMonth', messages.monthFuture]);
      } catch (err) {
        if (!(err instanceof PeriodError)) throw err;
        problems.push(['endMonth', err.message]);
      }
      const figure = parseFigure(raw.value, row.unit as Unit);
      if ('error' in figure) problems.push(['value', figure.error]);
      if (problems.length || 'error' in figure) throw new ValidationFailed(formErrors(problems));

      const current = (await loadFigures(trx, [row.id])).get(row.id)?.totals ?? [];
      const before = current.find((t) => t.endMonth === endMonth)?.value ?? null;
      if (before === figure.value) return;
      await this.writeTotal(trx, actor, p, row, { month: endMonth, before, after: figure.value });
    });
  }

  async removeTotal(
    actor: Actor,
    slug: string,
    indicatorId: number,
    endMonth: string,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.findManaged(actor, slug, indicatorId, trx);
      const current = (await loadFigures(trx, [row.id])).get(row.id)?.totals ?? [];
      const before = current.find((t) => t.endMonth === endMonth)?.value;
      if (before === undefined) throw new NotFoundError('12-month total');
      await this.writeTotal(trx, actor, p, row, { month: endMonth, before, after: null });
    });
  }

  private async writeTotal(
    trx: DbOrTrx,
    actor: Actor,
    p: PartnershipRow,
    row: IndicatorRow,
    change: FigureChange,
  ): Promise<void> {
    await writeFigures(trx, row.id, 12, [change], actor.label);
    const window = longWindowLabel(rollingYear(change.month));
    await recordAudit(trx, actor, {
      partnershipId: p.id,
      entityType: 'indicator',
      entityId: row.id,
      action: 'updated',
      summary: `Changed the 12-month total of ${row.name}: ${describeChanges([change], () => window)}`,
      before: { total: { endMonth: change.month, value: change.before } },
      after: { total: { endMonth: change.month, value: change.after } },
    });
  }

  /** The indicator if it belongs to a partnership the actor can read; otherwise 404. */
  private async find(actor: Actor, slug: string, indicatorId: number, db: DbOrTrx = this.db) {
    const p = await this.partnerships.readable(actor, slug, db);
    const row = await db
      .selectFrom('indicators')
      .selectAll()
      .where('id', '=', indicatorId)
      .where('partnership_id', '=', p.id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('Indicator');
    return { p, row };
  }

  /** As find, for coordinators: others in the partnership get 403, outsiders 404. */
  private async findManaged(actor: Actor, slug: string, indicatorId: number, db: DbOrTrx) {
    const found = await this.find(actor, slug, indicatorId, db);
    await this.partnerships.manageable(actor, slug, db);
    return found;
  }

  /** The name is free and the theme is the partnership's; returns the themes by id. */
  private async checkRules(
    db: DbOrTrx,
    p: PartnershipRow,
    values: IndicatorValues,
    indicatorId?: number,
  ): Promise<Map<number, IndicatorTheme>> {
    const themes = new Map((await partnershipThemes(db, p.id)).map((t) => [t.id, t]));
    const problems: [string, string][] = [];
    const names = await db
      .selectFrom('indicators')
      .select(['id', 'name'])
      .where('partnership_id', '=', p.id)
      .execute();
    if (names.some((n) => n.id !== indicatorId && nameKey(n.name) === nameKey(values.name)))
      problems.push(['name', messages.nameTaken]);
    if (values.themeId !== undefined && !themes.has(values.themeId))
      problems.push(['themeId', messages.themeUnknown]);
    // Every stored figure must stay one of its unit's, or it could not be compared.
    if (indicatorId !== undefined && values.unit === 'count') {
      const decimal = await db
        .selectFrom('indicator_values')
        .select('id')
        .where('indicator_id', '=', indicatorId)
        .where('value', 'like', '%.%')
        .executeTakeFirst();
      if (decimal) problems.push(['unit', messages.unitNotWhole]);
    }
    if (problems.length) throw new ValidationFailed(formErrors(problems));
    return themes;
  }
}

/** Figures filled from police.uk data are not for changing by hand. */
function refuseIfFilled(row: IndicatorRow, field = 'values'): void {
  if (row.crime_type !== null) throw fieldError(field, messages.crimeFilled(row.name));
}

function describeRow(row: IndicatorRow) {
  return {
    name: row.name,
    source: row.source,
    unit: row.unit,
    noun: row.noun,
    polarity: row.polarity,
    notes: row.notes,
    themeId: row.theme_id ?? undefined,
    crimeType: row.crime_type,
  };
}

/** A new indicator, audited; the caller has checked its name and theme. */
export async function insertIndicator(
  trx: DbOrTrx,
  actor: Actor,
  partnershipId: number,
  values: IndicatorValues,
  summary = `Created the indicator ${values.name}`,
): Promise<IndicatorRow> {
  const now = nowIso();
  const row = await trx
    .insertInto('indicators')
    .values({
      partnership_id: partnershipId,
      theme_id: values.themeId ?? null,
      name: values.name,
      source: values.source,
      unit: values.unit,
      noun: values.noun,
      polarity: values.polarity,
      notes: values.notes,
      crime_type: values.crimeType,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    partnershipId,
    entityType: 'indicator',
    entityId: row.id,
    action: 'created',
    summary,
    after: values,
  });
  return row;
}
