/**
 * Which months an assessment can vouch for. A month counts as loaded for a district when the
 * district's home force (the one recording most of its crime) has published it; a force's file
 * also holds a few crimes located just over its border, and those never make a neighbouring
 * district look loaded. A flagged month is loaded, but every figure using it names it.
 */
import {
  longWindowLabel,
  monthLabel,
  windowMonths,
  type MonthWindow,
} from '../../domain/periods.js';
import type { Basis, CrimeMonthRow, ForceShareRow, MonthNote } from './assessment-figures.js';

/** Each district's home force: the one with most of its records in the window. */
export function homeForces(rows: ForceShareRow[]): Map<string, string> {
  const best = new Map<string, ForceShareRow>();
  for (const r of rows) {
    const b = best.get(r.district);
    if (!b || r.count > b.count || (r.count === b.count && r.force < b.force))
      best.set(r.district, r);
  }
  return new Map([...best].map(([d, r]) => [d, r.force]));
}

const forceMonths = new WeakMap<CrimeMonthRow[], Map<string, Map<string, string | null>>>();

/** Months published by force: month → flag (null when it looks complete). */
function monthsByForce(rows: CrimeMonthRow[]): Map<string, Map<string, string | null>> {
  const known = forceMonths.get(rows);
  if (known) return known;
  const out = new Map<string, Map<string, string | null>>();
  for (const r of rows) {
    const m = out.get(r.force) ?? new Map<string, string | null>();
    m.set(r.month, r.flag);
    out.set(r.force, m);
  }
  forceMonths.set(rows, out);
  return out;
}

export class Coverage {
  private readonly byForce: Map<string, Map<string, string | null>>;
  constructor(
    rows: CrimeMonthRow[],
    private readonly home: ReadonlyMap<string, string>,
  ) {
    this.byForce = monthsByForce(rows);
  }

  /** Whether every district has the month; districts with no home force have none. */
  loaded(districts: string[], month: string): boolean {
    return districts.every((d) => {
      const force = this.home.get(d);
      return force !== undefined && this.byForce.get(force)?.has(month) === true;
    });
  }

  /** The home forces' flags for the month, if any. */
  flag(districts: string[], month: string): string | null {
    const flags = new Set<string>();
    for (const d of districts) {
      const force = this.home.get(d);
      const f = force === undefined ? null : this.byForce.get(force)?.get(month);
      if (f) flags.add(`${force}: ${f}`);
    }
    return flags.size ? [...flags].join('; ') : null;
  }

  basis(districts: string[], window: MonthWindow, source: string): Basis {
    const missing: MonthNote[] = [];
    const flagged: MonthNote[] = [];
    for (const month of windowMonths(window)) {
      if (!this.loaded(districts, month)) {
        missing.push({ month, label: monthLabel(month), reason: 'not loaded' });
        continue;
      }
      const f = this.flag(districts, month);
      if (f) flagged.push({ month, label: monthLabel(month), reason: f });
    }
    return {
      source,
      period: window,
      periodLabel: longWindowLabel(window),
      complete: missing.length === 0,
      missing,
      flagged,
    };
  }
}
