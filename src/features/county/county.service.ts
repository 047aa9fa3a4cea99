import type { Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import { fieldError } from '../../core/form-errors.js';
import { todayIso, type Db } from '../../db/database.js';
import {
  compareFigures,
  compareWithPrevious,
  directionOfTravel,
  POLARITY_LABELS,
  windowTotal,
  type Change,
  type Comparison,
  type Direction,
  type Polarity,
  type WindowTotal,
} from '../../domain/change.js';
import { formatFigure, fromScaled, toScaled, UNITS, type Unit } from '../../domain/figures.js';
import {
  compareMonths,
  isFutureMonth,
  monthLabel,
  parseMonth,
  PeriodError,
  previousWindow,
  rollingYear,
  windowLabel,
  type MonthWindow,
} from '../../domain/periods.js';
import { plural } from '../../domain/words.js';
import { comparisonInputs, loadFigures } from '../indicators/indicators.repository.js';
import { nameKey } from '../indicators/indicators.schemas.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import {
  districtsOf,
  indicatorsOf,
  type District,
  type DistrictIndicator,
} from './county.repository.js';

export const countyMessages = {
  endFuture: (latest: string) =>
    `The rolling year must not end in the future: enter ${latest} or an earlier month`,
  noTotalRate:
    'There is no total: a rate, such as one per 1,000 people, cannot be added up across districts whose populations differ.',
  noTotalPercentage: 'There is no total: percentages cannot be added up across districts.',
};

type Named = { slug: string; name: string };

/** An indicator that two or more of the county's districts keep under the same name and unit. */
export interface SharedIndicator {
  /** As the first district, by name, writes it. */
  name: string;
  unit: Unit;
  districts: Named[];
}

export interface CountyIndicators {
  county: Named;
  districtCount: number;
  indicators: SharedIndicator[];
}

export interface DistrictRow {
  district: Named;
  noun: string;
  polarity: Polarity;
  comparison: Comparison;
  direction: Direction | null;
}

/** The districts' window totals added up: only when every district has the whole window. */
export type SummedWindow =
  | { complete: true; total: string; text: string }
  | {
      complete: false;
      text: string;
      /** The districts short of the window, with what their own window lacks. */
      missing: { district: Named; monthsPresent: number; monthsNeeded: number }[];
    };

export type CountyTotal =
  | { kind: 'not-added'; unit: 'rate' | 'percentage' }
  | {
      kind: 'sum';
      previous: SummedWindow;
      current: SummedWindow;
      change: Change;
      /** The districts' polarity and noun when they all agree on it; null when they differ. */
      polarity: Polarity | null;
      noun: string | null;
      direction: Direction | null;
    };

export interface CountyComparison {
  county: Named;
  indicator: SharedIndicator;
  end: string;
  /** How the end month was chosen: asked for, or the default when none was. */
  endChosen: 'given' | 'latest-complete' | 'latest-figure' | 'no-figures';
  previousWindow: MonthWindow;
  currentWindow: MonthWindow;
  rows: DistrictRow[];
  total: CountyTotal;
  /** Districts keeping an indicator of the same name in another unit: not comparable. */
  otherUnits: (Named & { unit: Unit })[];
  /** Districts with no indicator of this name. */
  without: Named[];
}

const named = (d: District): Named => ({ slug: d.slug, name: d.name });

/** A district's indicator, with its district. */
interface Kept {
  indicator: DistrictIndicator;
  district: Named;
}

/**
 * The indicators two or more districts keep under the same name (case and spacing aside) and
 * unit, districts in name order, groups by name.
 */
function sharedGroups(districts: District[], indicators: DistrictIndicator[]): Kept[][] {
  const groups = new Map<string, Kept[]>();
  for (const d of districts) {
    for (const indicator of indicators.filter((i) => i.districtId === d.id)) {
      const key = `${indicator.unit} ${nameKey(indicator.name)}`;
      const group = groups.get(key) ?? [];
      // Names are unique in a partnership, case and spacing aside; this keeps a district once.
      if (!group.some((k) => k.district.slug === d.slug))
        group.push({ indicator, district: named(d) });
      groups.set(key, group);
    }
  }
  const sortKey = (g: Kept[]) => nameKey(g[0]?.indicator.name ?? '');
  const unitRank = (g: Kept[]) => UNITS.indexOf(g[0]?.indicator.unit ?? 'count');
  return [...groups.values()]
    .filter((g) => g.length >= 2)
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || unitRank(a) - unitRank(b));
}

function sharedIndicator(group: Kept[]): SharedIndicator {
  const first = group[0]?.indicator;
  return {
    name: first?.name ?? '',
    unit: first?.unit ?? 'count',
    districts: group.map((k) => k.district),
  };
}

/** The value of a setting when every district has the same, case and spacing aside; else null. */
function agreed<T extends string>(values: T[]): T | null {
  const [first] = values;
  if (first === undefined) return null;
  return values.every((v) => nameKey(v) === nameKey(first)) ? first : null;
}

function sumWindow(rows: DistrictRow[], pick: (c: Comparison) => WindowTotal): SummedWindow {
  let sum = 0n;
  const missing: { district: Named; monthsPresent: number; monthsNeeded: number }[] = [];
  for (const { district, comparison } of rows) {
    const t = pick(comparison);
    if (t.complete) sum += toScaled(t.total);
    else missing.push({ district, monthsPresent: t.monthsPresent, monthsNeeded: t.monthsNeeded });
  }
  if (missing.length) {
    const short = plural(missing.length, 'district', 'districts');
    return { complete: false, text: `incomplete (${short} short of months)`, missing };
  }
  const total = fromScaled(sum);
  return { complete: true, total, text: formatFigure(total) };
}

/**
 * The sum of the districts' counts over each window, compared exactly as one district's are.
 * Never a partial sum: a window any district lacks a month of has no total.
 */
function countTotal(rows: DistrictRow[]): CountyTotal {
  const previous = sumWindow(rows, (c) => c.previous);
  const current = sumWindow(rows, (c) => c.current);
  const polarity = agreed(rows.map((r) => r.polarity));
  const noun = agreed(rows.map((r) => r.noun));
  const change: Change =
    previous.complete && current.complete
      ? compareFigures(previous.total, current.total, { unit: 'count', noun })
      : { kind: 'incomplete', complete: false, change: null, percent: null, text: 'incomplete' };
  const direction = polarity === null ? null : directionOfTravel(change, polarity);
  return { kind: 'sum', previous, current, change, polarity, noun, direction };
}

/**
 * Why the total is missing, incomplete or has no direction, in sentences for the page and the
 * command line alike.
 */
export function totalNotes(c: CountyComparison): string[] {
  const { total } = c;
  if (total.kind === 'not-added') {
    return [total.unit === 'rate' ? countyMessages.noTotalRate : countyMessages.noTotalPercentage];
  }
  const notes: string[] = [];
  for (const [which, window, sum] of [
    ['previous', c.previousWindow, total.previous],
    ['current', c.currentWindow, total.current],
  ] as const) {
    if (sum.complete) continue;
    const gaps = sum.missing.map(
      (m) => `${m.district.name} has ${m.monthsPresent} of ${m.monthsNeeded} months`,
    );
    notes.push(
      `There is no total for the ${which} rolling year (${windowLabel(window)}), since a total needs every month of every district: ${gaps.join('; ')}.`,
    );
  }
  if (total.polarity === null) {
    const each = c.rows.map(
      (r) => `${r.district.name}: ${POLARITY_LABELS[r.polarity].toLowerCase()}`,
    );
    notes.push(
      `The districts differ on what an increase means (${each.join('; ')}), so the total has no direction.`,
    );
  }
  if (total.noun === null) {
    const nouns = [...new Set(c.rows.map((r) => (r.noun ? `“${r.noun}”` : 'none')))];
    notes.push(
      `The districts name what they count differently (${nouns.join(', ')}), so the total’s change names nothing.`,
    );
  }
  return notes;
}

/**
 * The county view of its districts' indicators: an indicator several districts keep, district
 * by district and in total, over the same rolling years. Whoever reads the county partnership
 * reads it, the districts' figures included, though not every county reader may read the
 * districts themselves; district partnerships have no county view (404).
 */
export class CountyService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
    /** Today as 'YYYY-MM-DD': months after its month are in the future. */
    private readonly today: () => string = () => todayIso(),
  ) {}

  private async load(actor: Actor, slug: string) {
    const county = await this.partnerships.readable(actor, slug);
    if (county.type !== 'county') throw new NotFoundError('County view');
    const districts = await districtsOf(this.db, county.id);
    const indicators = await indicatorsOf(
      this.db,
      districts.map((d) => d.id),
    );
    return { county: { slug: county.slug, name: county.name }, districts, indicators };
  }

  /** The indicators two or more districts share, by name. */
  async shared(actor: Actor, slug: string): Promise<CountyIndicators> {
    const { county, districts, indicators } = await this.load(actor, slug);
    return {
      county,
      districtCount: districts.length,
      indicators: sharedGroups(districts, indicators).map(sharedIndicator),
    };
  }

  /**
   * A shared indicator over the rolling year ending `end` and the one before, district by
   * district and, for counts, in total. Without `end`, the latest month for which every district
   * has the whole rolling year; failing that, the latest month with any figure.
   */
  async comparison(
    actor: Actor,
    slug: string,
    input: { name: string; unit: string; end?: string },
  ): Promise<CountyComparison> {
    const { county, districts, indicators } = await this.load(actor, slug);
    const key = nameKey(input.name);
    const sameName = indicators.filter((i) => nameKey(i.name) === key);
    const group = sharedGroups(districts, sameName).find(
      (g) => g[0]?.indicator.unit === input.unit,
    );
    if (!group) throw new NotFoundError('Shared indicator');
    const indicator = sharedIndicator(group);
    const { unit } = indicator;

    const figures = await loadFigures(
      this.db,
      group.map((k) => k.indicator.id),
    );
    const sharing = group.map((k) => ({
      ...k,
      ...comparisonInputs(figures.get(k.indicator.id) ?? { months: [], totals: [] }),
    }));

    const current = this.today().slice(0, 7);
    let end: string;
    let endChosen: CountyComparison['endChosen'] = 'given';
    if (input.end === undefined || input.end.trim() === '') {
      ({ end, endChosen } = defaultEnd(unit, sharing, current));
    } else {
      end = this.checkEnd(input.end);
    }

    const window = rollingYear(end);
    const rows: DistrictRow[] = sharing.map((s) => {
      const comparison = compareWithPrevious(
        window,
        { unit, noun: s.indicator.noun },
        s.months,
        s.entered,
      );
      return {
        district: s.district,
        noun: s.indicator.noun,
        polarity: s.indicator.polarity,
        comparison,
        direction: directionOfTravel(comparison.change, s.indicator.polarity),
      };
    });
    const keeping = new Set(sameName.map((i) => i.districtId));
    return {
      county,
      indicator,
      end,
      endChosen,
      previousWindow: previousWindow(window),
      currentWindow: window,
      rows,
      total: unit === 'count' ? countTotal(rows) : { kind: 'not-added', unit },
      otherUnits: districts.flatMap((d) => {
        const other = sameName.find((i) => i.districtId === d.id && i.unit !== unit);
        return other ? [{ ...named(d), unit: other.unit }] : [];
      }),
      without: districts.filter((d) => !keeping.has(d.id)).map(named),
    };
  }

  /** The month as asked for, if it is one, not in the future, with two windows to compare. */
  private checkEnd(text: string): string {
    const today = this.today();
    let month: string;
    try {
      month = parseMonth(text);
      previousWindow(rollingYear(month));
    } catch (err) {
      if (!(err instanceof PeriodError)) throw err;
      throw fieldError('end', err.message);
    }
    if (isFutureMonth(month, today)) {
      throw fieldError('end', countyMessages.endFuture(monthLabel(today.slice(0, 7))));
    }
    return month;
  }
}

/**
 * The latest month, up to this one, whose rolling year every district has whole; else the
 * latest month with any figure; else this month.
 */
function defaultEnd(
  unit: Unit,
  sharing: { months: Map<string, string>; entered: { window: MonthWindow; total: string }[] }[],
  current: string,
): { end: string; endChosen: CountyComparison['endChosen'] } {
  const months = new Set<string>();
  for (const s of sharing) {
    for (const m of s.months.keys()) months.add(m);
    for (const e of s.entered) months.add(e.window.to);
  }
  const candidates = [...months]
    .filter((m) => compareMonths(m, current) <= 0)
    .sort((a, b) => compareMonths(b, a));
  const complete = candidates.find((m) =>
    sharing.every((s) => windowTotal(rollingYear(m), unit, s.months, s.entered).complete),
  );
  if (complete) return { end: complete, endChosen: 'latest-complete' };
  const latest = candidates[0];
  if (latest) return { end: latest, endChosen: 'latest-figure' };
  return { end: current, endChosen: 'no-figures' };
}
