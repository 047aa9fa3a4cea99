/**
 * Indicator figures over a window of months, and how one window compares with another: the
 * numbers and sentences of the indicator pages and the exception report ("3.2% or 171 increase").
 *
 * Figures come in and go out as the exact decimal text of figures.ts ("1234", "126.5625") and
 * are summed and compared as whole numbers of its smallest step in bigint arithmetic, so totals,
 * changes and percentages are exact and round as a person would, never as binary floating
 * point does (201 on 2,000 is 10.05%, which is 10.1%, not the 10.0% that toFixed gives).
 * Figures and changes are shown with exactly the decimals they have, thousands separated and
 * without trailing zeros ("1,231", "126.56", "20.5"); the percentage change always has one
 * decimal place, rounded half away from zero.
 *
 * Counts and rates over a window are the sum of their months (a monthly rate per 1,000 adds up
 * to the year's rate per 1,000). A percentage cannot be summed or averaged from its months (each
 * month has its own denominator), so a window's percentage must be entered for the window.
 */
import { formatFigure, fromScaled, parseFigure, toScaled, type Unit } from './figures.js';
import type { MonthWindow } from './periods.js';
import { compareMonths, previousWindow, windowMonths } from './periods.js';
import { singularNoun } from './words.js';

/** Whether an increase in the indicator is bad news, good news, or neither. */
export const POLARITIES = ['increase-bad', 'increase-good', 'neutral'] as const;
export type Polarity = (typeof POLARITIES)[number];
export const POLARITY_LABELS: Record<Polarity, string> = {
  'increase-bad': 'An increase is bad',
  'increase-good': 'An increase is good',
  neutral: 'An increase is neutral',
};

/** A figure that breaks the rules of figures.ts, passed in by code that should have checked it. */
export class ChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangeError';
  }
}

/**
 * A stored figure (canonical text, within the unit's rules) as a whole number of steps; throws
 * ChangeError for anything parseFigure would not have stored.
 */
function scaled(unit: Unit, value: string): bigint {
  const read = parseFigure(value, unit);
  if ('error' in read) throw new ChangeError(`${read.error}: ${value}`);
  if (read.value !== value) throw new ChangeError(`Not a stored figure: "${value}"`);
  return toScaled(value);
}

const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** Steps as people write the figure: "1,231", "126.56", "20.5". Without a sign. */
const figureText = (n: bigint): string => formatFigure(fromScaled(abs(n)));

// ---------------------------------------------------------------------------------------------
// Window totals

/** Figures by month ('YYYY-MM'), as stored; a missing, null or undefined month has none. */
export type MonthlyValues =
  | ReadonlyMap<string, string | null | undefined>
  | Readonly<Record<string, string | null | undefined>>;

/** A figure entered for a whole window, as the source publishes it (often only 12-month totals). */
export interface EnteredTotal {
  window: MonthWindow;
  total: string;
}

export type WindowTotal =
  | {
      complete: true;
      /** Exact decimal text, like every stored figure: "35172", "52.6". */
      total: string;
      /** "35,172", or "52.6%" for a percentage. */
      text: string;
      source: 'months' | 'entered';
      /**
       * Present only for an entered total whose window also has every month, when the months
       * add up to something else: what they add up to, and the entered total less that
       * ("50" when the months are 50 short, "-0.25" when they are 0.25 over).
       */
      monthsTotal?: string;
      difference?: string;
    }
  | {
      complete: false;
      monthsPresent: number;
      monthsNeeded: number;
      /** Some months have no value, or a percentage has no figure entered for the window. */
      reason: 'missing-months' | 'percentage-not-entered';
      /** "incomplete (10 of 12 months)". */
      text: string;
    };

const isMap = (v: MonthlyValues): v is ReadonlyMap<string, string | null | undefined> =>
  v instanceof Map;

function monthValue(values: MonthlyValues, month: string): string | null | undefined {
  if (isMap(values)) return values.get(month);
  return Object.hasOwn(values, month) ? values[month] : undefined;
}

const sameWindow = (a: MonthWindow, b: MonthWindow): boolean =>
  compareMonths(a.from, b.from) === 0 && compareMonths(a.to, b.to) === 0;

function completeText(unit: Unit, n: bigint): string {
  return unit === 'percentage' ? `${figureText(n)}%` : figureText(n);
}

/**
 * The figure for a window: the total entered for exactly that window; otherwise the sum of its
 * months when every month has a value; otherwise incomplete, never a partial sum.
 *
 * The entered total wins over the months: it is the figure the source publishes for the window
 * and the one committee papers quote, while monthly values are often from an earlier extract and
 * do not always add up to it after the source recounts. `monthsTotal` and `difference` then say
 * what the months add up to, when that differs, so a page can point the difference out.
 */
export function windowTotal(
  window: MonthWindow,
  unit: Unit,
  months: MonthlyValues,
  entered: readonly EnteredTotal[] = [],
): WindowTotal {
  const needed = windowMonths(window);
  let sum = 0n;
  let present = 0;
  for (const month of needed) {
    const v = monthValue(months, month);
    if (v === null || v === undefined) continue;
    sum += scaled(unit, v);
    present++;
  }
  const summed = present === needed.length && unit !== 'percentage' ? sum : undefined;

  const matches = entered.filter((e) => sameWindow(e.window, window));
  if (matches.length > 1) {
    throw new ChangeError(`More than one total entered for ${window.from} to ${window.to}`);
  }
  const match = matches[0];
  if (match) {
    const total = scaled(unit, match.total);
    const differs = summed !== undefined && summed !== total;
    return {
      complete: true,
      total: match.total,
      text: completeText(unit, total),
      source: 'entered',
      ...(differs
        ? { monthsTotal: fromScaled(summed), difference: fromScaled(total - summed) }
        : {}),
    };
  }
  if (summed !== undefined) {
    return {
      complete: true,
      total: fromScaled(summed),
      text: completeText(unit, summed),
      source: 'months',
    };
  }
  const reason = unit === 'percentage' ? 'percentage-not-entered' : 'missing-months';
  const gap = { reason, monthsPresent: present, monthsNeeded: needed.length } as const;
  return { complete: false, ...gap, text: `incomplete (${gapText(gap)})` };
}

/** "10 of 12 months": what an incomplete window lacks. */
function gapText(t: {
  reason: 'missing-months' | 'percentage-not-entered';
  monthsPresent: number;
  monthsNeeded: number;
}): string {
  return t.reason === 'percentage-not-entered'
    ? `${t.monthsNeeded}-month figure not entered`
    : `${t.monthsPresent} of ${t.monthsNeeded} months`;
}

// ---------------------------------------------------------------------------------------------
// Change

export interface Change {
  kind: 'increase' | 'decrease' | 'no-change' | 'new' | 'incomplete';
  /** False when either window is incomplete: there is then no change to give. */
  complete: boolean;
  /** Current minus previous as exact decimal text: "-1231" for a decrease, "6.25", "0". */
  change: string | null;
  /**
   * Change as a percentage of the previous figure, one decimal place, half away from zero:
   * "-32.3", "1150.0"; "0.0" when a change rounds to nothing either way. Null for a new figure.
   */
  percent: string | null;
  /** "3.2% or 171 increase", "-32.3% or 1,231 incident decrease", "no change"… */
  text: string;
}

export interface ChangeOptions {
  unit: Unit;
  /**
   * The indicator's noun for what is counted ("incidents", "callers"); the sentence puts it in
   * the singular, as it reads before "increase": "4.9% or 343 incident increase". Percentages
   * always say "percentage point", since their change is in points whatever they measure.
   */
  noun?: string | null;
}

/**
 * n ÷ d rounded half away from zero to a whole number, exactly (d > 0). Exported for tests of
 * the percentage rounding only.
 */
export function divideRoundHalfAway(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new ChangeError('Divide by a positive number only');
  const q = abs(n) / d;
  const r = abs(n) % d;
  const rounded = 2n * r >= d ? q + 1n : q;
  return n < 0n ? -rounded : rounded;
}

/** Tenths of a percent as decimal text, without a sign or separators: "36.6", "1150.0". */
const tenthsText = (tenths: bigint): string => `${abs(tenths) / 10n}.${abs(tenths) % 10n}`;

/**
 * The change from one complete figure to another, both stored figures of the unit. Equal
 * figures, zero included, are "no change"; a rise from 0 is "new (no previous figure)", with no
 * percentage (it would be infinite). A decrease keeps its minus sign in the sentence even when
 * it rounds to "-0.0%", so the sign always agrees with the word "decrease" after it.
 */
export function compareFigures(previous: string, current: string, options: ChangeOptions): Change {
  const { unit } = options;
  const p = scaled(unit, previous);
  const c = scaled(unit, current);
  const diff = c - p;
  if (diff === 0n) {
    return { kind: 'no-change', complete: true, change: '0', percent: '0.0', text: 'no change' };
  }
  const change = fromScaled(diff);
  if (p === 0n) {
    return { kind: 'new', complete: true, change, percent: null, text: 'new (no previous figure)' };
  }
  // percent × 10 = diff ÷ p × 1,000, both in the same steps so the scale cancels.
  const tenths = divideRoundHalfAway(diff * 1000n, p);
  const decrease = diff < 0n;
  const noun = unit === 'percentage' ? 'percentage point' : singularNoun(options.noun ?? '');
  const words = [
    `${decrease ? '-' : ''}${formatFigure(tenthsText(tenths))}%`,
    'or',
    figureText(diff),
    ...(noun ? [noun] : []),
    decrease ? 'decrease' : 'increase',
  ];
  return {
    kind: decrease ? 'decrease' : 'increase',
    complete: true,
    change,
    percent: `${tenths < 0n ? '-' : ''}${tenthsText(tenths)}`,
    text: words.join(' '),
  };
}

/**
 * The change from the previous window to the current one. When a window is incomplete the text
 * says so: "incomplete (10 of 12 months)" for one window (its own column shows which), and both
 * counts when both are.
 */
export function compareTotals(
  previous: WindowTotal,
  current: WindowTotal,
  options: ChangeOptions,
): Change {
  if (previous.complete && current.complete) {
    return compareFigures(previous.total, current.total, options);
  }
  const what = (t: WindowTotal): string => (t.complete ? '' : gapText(t));
  const text =
    !previous.complete && !current.complete
      ? `incomplete (previous ${what(previous)}, current ${what(current)})`
      : `incomplete (${what(previous)}${what(current)})`;
  return { kind: 'incomplete', complete: false, change: null, percent: null, text };
}

/** A window against the one of the same length before it, as every indicator table shows it. */
export interface Comparison {
  previousWindow: MonthWindow;
  currentWindow: MonthWindow;
  previous: WindowTotal;
  current: WindowTotal;
  change: Change;
}

/**
 * The current window (a rolling year, financial year or calendar year) against the window
 * before it, from the indicator's months and entered totals.
 */
export function compareWithPrevious(
  currentWindow: MonthWindow,
  options: ChangeOptions,
  months: MonthlyValues,
  entered: readonly EnteredTotal[] = [],
): Comparison {
  const before = previousWindow(currentWindow);
  const previous = windowTotal(before, options.unit, months, entered);
  const current = windowTotal(currentWindow, options.unit, months, entered);
  return {
    previousWindow: before,
    currentWindow,
    previous,
    current,
    change: compareTotals(previous, current, options),
  };
}

/** A comparison's figures as plain values for JSON and reports: null where a window is incomplete. */
export function comparisonFigures(c: Pick<Comparison, 'previous' | 'current' | 'change'>) {
  return {
    previous: c.previous.complete ? c.previous.total : null,
    current: c.current.complete ? c.current.total : null,
    previousText: c.previous.text,
    currentText: c.current.text,
    change: c.change.change,
    changePercent: c.change.percent,
    text: c.change.text,
    complete: c.change.complete,
  };
}

// ---------------------------------------------------------------------------------------------
// Direction of travel

export type Direction = 'better' | 'worse' | 'neutral' | 'no-change';

/** The word a tag shows: direction is never shown by colour alone. */
export const DIRECTION_LABELS: Record<Direction, string> = {
  better: 'Better',
  worse: 'Worse',
  neutral: 'Neutral',
  'no-change': 'No change',
};

/**
 * Better or worse by the indicator's polarity; neutral when an increase is neither. A new figure
 * (from nothing) is an increase. Incomplete comparisons have no direction: null.
 */
export function directionOfTravel(change: Change, polarity: Polarity): Direction | null {
  if (change.kind === 'incomplete') return null;
  if (change.kind === 'no-change') return 'no-change';
  if (polarity === 'neutral') return 'neutral';
  const increase = change.kind !== 'decrease';
  return increase === (polarity === 'increase-good') ? 'better' : 'worse';
}
