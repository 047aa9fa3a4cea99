/**
 * Indicator figures over a window of months, and how one window compares with another: the
 * numbers and sentences of the indicator pages and the exception report ("3.2% or 171 increase").
 *
 * Every figure is handled as a whole number of hundredths in bigint arithmetic, so totals,
 * changes and percentages are exact and round as a person would, never as binary floating
 * point does (201 on 2,000 is 10.05%, which is 10.1%, not the 10.0% that toFixed gives).
 *
 * Precision, by unit:
 * - count: whole numbers ("incidents", "callers").
 * - rate (e.g. per 1,000 population) and percentage: up to 2 decimal places, as sources publish
 *   them ("126.56 per 1,000", "52.6%"). Values with more are refused, not rounded, so a figure is
 *   never silently different from the one entered.
 * - every value is 0 or more and less than 1,000,000,000, which keeps every total exact.
 * Figures and changes are shown exactly, with thousands separated and without trailing zeros
 * ("1,231", "126.56", "20.5"); the percentage change always has one decimal place.
 *
 * Counts and rates over a window are the sum of their months (a monthly rate per 1,000 adds up
 * to the year's rate per 1,000). A percentage cannot be summed or averaged from its months (each
 * month has its own denominator), so a window's percentage must be entered for the window.
 */
import type { MonthWindow } from './periods.js';
import { compareMonths, previousWindow, windowMonths } from './periods.js';
import { singularNoun } from './words.js';

export const UNITS = ['count', 'rate', 'percentage'] as const;
export type Unit = (typeof UNITS)[number];

/** Whether an increase in the indicator is bad news, good news, or neither. */
export const POLARITIES = ['increase-bad', 'increase-good', 'neutral'] as const;
export type Polarity = (typeof POLARITIES)[number];

export const POLARITY_LABELS: Record<Polarity, string> = {
  'increase-bad': 'An increase is bad',
  'increase-good': 'An increase is good',
  neutral: 'Neither',
};

/** A value that breaks the rules above, passed in by code that should have checked it. */
export class ChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangeError';
  }
}

const LIMIT = 1_000_000_000;
const MAX_DECIMALS = 2;
const PLAIN_DECIMAL = /^\d+(?:\.\d{1,2})?$/;

/**
 * What is wrong with a value for an indicator of this unit, in words for the person who entered
 * it, or undefined when it is fine. Grids and importers check with this before saving.
 */
export function checkIndicatorValue(unit: Unit, value: number): string | undefined {
  if (!Number.isFinite(value)) return 'Value must be a number';
  if (value < 0) return 'Value must be 0 or more';
  if (value >= LIMIT) return 'Value must be less than 1,000,000,000';
  if (unit === 'count') {
    return Number.isInteger(value) ? undefined : 'Value must be a whole number';
  }
  // The shortest text that reads back as this number is what was typed: 1.005 is "1.005".
  // Under the limit only tiny fractions are written with an exponent (1e-7), and those have
  // too many decimal places too.
  return PLAIN_DECIMAL.test(String(value))
    ? undefined
    : `Value must have no more than ${MAX_DECIMALS} decimal places`;
}

/** The value in hundredths, exactly; throws ChangeError for a value checkIndicatorValue refuses. */
function hundredths(unit: Unit, value: number): bigint {
  const problem = checkIndicatorValue(unit, value);
  if (problem) throw new ChangeError(`${problem}: ${String(value)}`);
  // Checked: plain digits with at most 2 decimals.
  const [whole = '0', fraction = ''] = String(value).split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

const abs = (n: bigint): bigint => (n < 0n ? -n : n);

const withSeparators = (digits: string): string => digits.replace(/\B(?=(\d{3})+$)/g, ',');

/** Hundredths as people write the figure: "1,231", "126.56", "20.5". Without a sign. */
function figureText(h: bigint): string {
  const a = abs(h);
  const whole = withSeparators((a / 100n).toString());
  const fraction = (a % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** Hundredths back to a number; exact to 2 decimals for everything under the limits above. */
const toNumber = (h: bigint): number =>
  Number(`${h < 0n ? '-' : ''}${figureText(h).replace(/,/g, '')}`);

// ---------------------------------------------------------------------------------------------
// Window totals

/** Values by month ('YYYY-MM'); a missing, null or undefined month has no value. */
export type MonthlyValues =
  | ReadonlyMap<string, number | null | undefined>
  | Readonly<Record<string, number | null | undefined>>;

/** A figure entered for a whole window, for sources that publish only 12-month totals. */
export interface EnteredTotal {
  window: MonthWindow;
  total: number;
}

export type WindowTotal =
  | {
      complete: true;
      total: number;
      /** "35,172", or "52.6%" for a percentage. */
      text: string;
      source: 'months' | 'entered';
      /** Present only when the months are all there and add up to something else. */
      monthsTotal?: number;
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

const isMap = (v: MonthlyValues): v is ReadonlyMap<string, number | null | undefined> =>
  v instanceof Map;

function monthValue(values: MonthlyValues, month: string): number | null | undefined {
  if (isMap(values)) return values.get(month);
  return Object.hasOwn(values, month) ? values[month] : undefined;
}

const sameWindow = (a: MonthWindow, b: MonthWindow): boolean =>
  compareMonths(a.from, b.from) === 0 && compareMonths(a.to, b.to) === 0;

function completeText(unit: Unit, h: bigint): string {
  return unit === 'percentage' ? `${figureText(h)}%` : figureText(h);
}

/**
 * The figure for a window: the sum of its months when every month has a value; the total entered
 * for exactly that window; otherwise incomplete, never a partial sum.
 *
 * When both exist, the entered total wins: it is the figure the source publishes for the window
 * and the one committee papers quote, while monthly values are often from an earlier extract and
 * do not always add up to it after the source recounts. `monthsTotal` then says what the months
 * add up to, when that differs, so a page can point the difference out.
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
    sum += hundredths(unit, v);
    present++;
  }
  const summed = present === needed.length && unit !== 'percentage' ? sum : undefined;

  const matches = entered.filter((e) => sameWindow(e.window, window));
  if (matches.length > 1) {
    throw new ChangeError(`More than one total entered for ${window.from} to ${window.to}`);
  }
  const match = matches[0];
  if (match) {
    const total = hundredths(unit, match.total);
    return {
      complete: true,
      total: toNumber(total),
      text: completeText(unit, total),
      source: 'entered',
      ...(summed !== undefined && summed !== total ? { monthsTotal: toNumber(summed) } : {}),
    };
  }
  if (summed !== undefined) {
    return {
      complete: true,
      total: toNumber(summed),
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
  /** Current minus previous: negative for a decrease. */
  change: number | null;
  /** Change as a percentage of the previous figure, one decimal place, half away from zero. */
  percent: number | null;
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

/**
 * Tenths of a percent as written: "36.6", "-32.3", "1,150.0". A decrease keeps its minus sign even
 * when it rounds to "-0.0", so the sign always agrees with the word "decrease" after it.
 */
function percentText(tenths: bigint, decrease: boolean): string {
  const a = abs(tenths);
  return `${decrease ? '-' : ''}${withSeparators((a / 10n).toString())}.${a % 10n}`;
}

/**
 * The change from one complete figure to another. Equal figures, zero included, are "no change";
 * a rise from 0 is "new (no previous figure)", with no percentage (it would be infinite).
 */
export function compareFigures(previous: number, current: number, options: ChangeOptions): Change {
  const { unit } = options;
  const p = hundredths(unit, previous);
  const c = hundredths(unit, current);
  const diff = c - p;
  if (diff === 0n) {
    return { kind: 'no-change', complete: true, change: 0, percent: 0, text: 'no change' };
  }
  const change = toNumber(diff);
  if (p === 0n) {
    return { kind: 'new', complete: true, change, percent: null, text: 'new (no previous figure)' };
  }
  // percent × 10 = diff ÷ p × 1,000, both in hundredths so the scale cancels.
  const tenths = divideRoundHalfAway(diff * 1000n, p);
  const decrease = diff < 0n;
  const noun = unit === 'percentage' ? 'percentage point' : singularNoun(options.noun ?? '');
  const words = [
    `${percentText(tenths, decrease)}%`,
    'or',
    figureText(diff),
    ...(noun ? [noun] : []),
    decrease ? 'decrease' : 'increase',
  ];
  return {
    kind: decrease ? 'decrease' : 'increase',
    complete: true,
    change,
    // 0 rather than -0 when a small decrease rounds to nothing.
    percent: tenths === 0n ? 0 : Number(tenths) / 10,
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
