import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChangeError,
  checkIndicatorValue,
  compareFigures,
  compareTotals,
  compareWithPrevious,
  DIRECTION_LABELS,
  directionOfTravel,
  divideRoundHalfAway,
  windowTotal,
  type EnteredTotal,
  type Polarity,
  type WindowTotal,
} from './change.js';
import {
  calendarYearWindow,
  financialYearWindow,
  previousWindow,
  rollingYear,
  windowMonths,
  type MonthWindow,
} from './periods.js';

/** Every month of the window set to `value`, as a record (months → value). */
const filled = (window: MonthWindow, value: number): Record<string, number> =>
  Object.fromEntries(windowMonths(window).map((m) => [m, value]));

const counts = { unit: 'count' } as const;
// The noun as an indicator holds it; the sentence puts it in the singular.
const incidents = { unit: 'count', noun: 'incidents' } as const;

describe('the change sentence', () => {
  it.each([
    // Each written as the issue and committee papers write them.
    [5344, 5515, counts, '3.2% or 171 increase'],
    [7000, 7343, incidents, '4.9% or 343 incident increase'],
    [3811, 2580, incidents, '-32.3% or 1,231 incident decrease'],
    [134, 183, counts, '36.6% or 49 increase'],
    [658, 632, { unit: 'count', noun: 'casualty' }, '-4.0% or 26 casualty decrease'],
    [29000, 33000, incidents, '13.8% or 4,000 incident increase'],
    [1200, 1200, incidents, 'no change'],
    [0, 0, incidents, 'no change'],
    [0, 15, { unit: 'count', noun: 'referral' }, 'new (no previous figure)'],
    [15, 0, { unit: 'count', noun: 'referral' }, '-100.0% or 15 referral decrease'],
    [1, 50, counts, '4,900.0% or 49 increase'],
    [1_000_000, 2_234_567, counts, '123.5% or 1,234,567 increase'],
    [100, 100.5, { unit: 'rate' }, '0.5% or 0.5 increase'],
    [
      126.56,
      120.31,
      { unit: 'rate', noun: 'crime per 1,000' },
      '-4.9% or 6.25 crime per 1,000 decrease',
    ],
    [40, 45, { unit: 'percentage', noun: 'victim' }, '12.5% or 5 percentage point increase'],
    [52.6, 48.15, { unit: 'percentage' }, '-8.5% or 4.45 percentage point decrease'],
    [7000, 7343, { unit: 'count', noun: '  incident ' }, '4.9% or 343 incident increase'],
    [7000, 7343, { unit: 'count', noun: 'KSI casualties' }, '4.9% or 343 KSI casualty increase'],
    [
      100,
      91,
      { unit: 'count', noun: 'vulnerable callers' },
      '-9.0% or 9 vulnerable caller decrease',
    ],
    [7000, 7343, { unit: 'count', noun: '' }, '4.9% or 343 increase'],
    [7000, 7343, { unit: 'count', noun: null }, '4.9% or 343 increase'],
  ] as const)('%d to %d reads %j', (previous, current, options, text) => {
    expect(compareFigures(previous, current, options).text).toBe(text);
  });

  it('gives the figures behind the sentence', () => {
    expect(compareFigures(3811, 2580, incidents)).toEqual({
      kind: 'decrease',
      complete: true,
      change: -1231,
      percent: -32.3,
      text: '-32.3% or 1,231 incident decrease',
    });
    expect(compareFigures(0, 15, counts)).toEqual({
      kind: 'new',
      complete: true,
      change: 15,
      percent: null,
      text: 'new (no previous figure)',
    });
    expect(compareFigures(9, 9, counts)).toEqual({
      kind: 'no-change',
      complete: true,
      change: 0,
      percent: 0,
      text: 'no change',
    });
    expect(compareFigures(126.56, 120.31, { unit: 'rate' }).change).toBe(-6.25);
  });
});

describe('percentage rounding', () => {
  it.each([
    // Exactly half-way at the second decimal: away from zero, in both directions.
    [16, 17, '6.3% or 1 increase', 6.3],
    [16, 15, '-6.3% or 1 decrease', -6.3],
    [400, 401, '0.3% or 1 increase', 0.3],
    [400, 399, '-0.3% or 1 decrease', -0.3],
    // The 0.05 boundary.
    [2000, 2001, '0.1% or 1 increase', 0.1],
    [2000, 1999, '-0.1% or 1 decrease', -0.1],
    [2000, 2201, '10.1% or 201 increase', 10.1],
    [2000, 1799, '-10.1% or 201 decrease', -10.1],
    // Half-way cases binary floating point gets wrong: (23 / 80) * 100 is 28.749999…
    [80, 103, '28.8% or 23 increase', 28.8],
    [80, 29, '-63.8% or 51 decrease', -63.8],
    [400, 429, '7.3% or 29 increase', 7.3],
    [2000, 39, '-98.1% or 1,961 decrease', -98.1],
    // Below the half: down, in both directions.
    [20000, 20001, '0.0% or 1 increase', 0],
    [20000, 19999, '-0.0% or 1 decrease', 0],
    [3000, 3001, '0.0% or 1 increase', 0],
    [1999, 2000, '0.1% or 1 increase', 0.1],
    // Decimals entered for rates: 0.35 on 100 is 0.35%, which floating point makes 0.34999…
    [100, 100.35, '0.4% or 0.35 increase', 0.4],
    [100, 99.65, '-0.4% or 0.35 decrease', -0.4],
    [20, 20.01, '0.1% or 0.01 increase', 0.1],
    [1.01, 1.02, '1.0% or 0.01 increase', 1],
  ])('%d to %d is %j', (previous, current, text, percent) => {
    const change = compareFigures(previous, current, { unit: 'rate' });
    expect(change.text).toBe(text);
    expect(change.percent).toBe(percent);
  });

  it('never gives a negative zero as a number', () => {
    expect(Object.is(compareFigures(20000, 19999, counts).percent, 0)).toBe(true);
  });

  it('divides exactly, half away from zero', () => {
    expect(divideRoundHalfAway(5n, 2n)).toBe(3n);
    expect(divideRoundHalfAway(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfAway(7n, 3n)).toBe(2n);
    expect(divideRoundHalfAway(-7n, 3n)).toBe(-2n);
    expect(divideRoundHalfAway(0n, 7n)).toBe(0n);
    expect(() => divideRoundHalfAway(1n, 0n)).toThrow(ChangeError);
  });

  // Figures in hundredths, so rates with decimals are covered as well as counts.
  const hundredths = fc.integer({ min: 0, max: 100_000_000 });

  it('rounds to the nearest tenth of a percent, and half-way away from zero', () => {
    fc.assert(
      fc.property(hundredths, hundredths, (p, c) => {
        fc.pre(p > 0 && p !== c);
        const change = compareFigures(p / 100, c / 100, { unit: 'rate' });
        // Read the percent back from the sentence, as tenths.
        const written = /^(-?)([\d,]+)\.(\d)% or /.exec(change.text);
        expect(written).not.toBeNull();
        const [, sign = '', whole = '', tenth = ''] = written ?? [];
        const tenths = BigInt(sign + whole.replace(/,/g, '') + tenth);
        // The exact percent in tenths is 1,000 (c − p) / p. Written − exact, times p:
        const error = tenths * BigInt(p) - 1000n * BigInt(c - p);
        const twice = 2n * (error < 0n ? -error : error);
        // Within half a tenth…
        expect(twice <= BigInt(p)).toBe(true);
        // …and exactly half a tenth only when rounded away from zero.
        if (twice === BigInt(p)) expect(c > p ? error > 0n : error < 0n).toBe(true);
        // The sign follows the change, and the number agrees with the text.
        expect(sign === '-').toBe(c < p);
        expect(change.percent).toBe(Number(tenths) / 10 || 0);
      }),
    );
  });

  it('writes the change without a sign and with thousands separated', () => {
    fc.assert(
      fc.property(fc.nat(999_999_999), fc.nat(999_999_999), (p, c) => {
        fc.pre(p > 0 && p !== c);
        const change = compareFigures(p, c, counts);
        const number = / or ([\d,]+) (?:increase|decrease)$/.exec(change.text)?.[1] ?? '';
        expect(number).toBe(Math.abs(c - p).toLocaleString('en-GB'));
        expect(change.change).toBe(c - p);
        expect(change.text.endsWith(c > p ? ' increase' : ' decrease')).toBe(true);
      }),
    );
  });
});

describe('values the figures are made of', () => {
  it.each([
    ['count', 12, undefined],
    ['count', 0, undefined],
    ['count', 12.5, 'Value must be a whole number'],
    ['count', -1, 'Value must be 0 or more'],
    ['count', Number.NaN, 'Value must be a number'],
    ['count', Number.POSITIVE_INFINITY, 'Value must be a number'],
    ['count', 1_000_000_000, 'Value must be less than 1,000,000,000'],
    ['rate', 126.56, undefined],
    ['rate', 1.005, 'Value must have no more than 2 decimal places'],
    ['rate', 0.1 + 0.2, 'Value must have no more than 2 decimal places'],
    ['rate', 1e-7, 'Value must have no more than 2 decimal places'],
    ['percentage', 52.6, undefined],
    ['percentage', 120, undefined],
  ] as const)('a %s of %d: %j', (unit, value, problem) => {
    expect(checkIndicatorValue(unit, value)).toBe(problem);
  });

  it('refuses to compare values that break the rules', () => {
    expect(() => compareFigures(10, 12.5, counts)).toThrow(ChangeError);
    expect(() => compareFigures(10, 12.5, counts)).toThrow('Value must be a whole number: 12.5');
    expect(() => compareFigures(-1, 2, { unit: 'rate' })).toThrow('Value must be 0 or more');
  });
});

describe('window totals', () => {
  const current = rollingYear('2022-08');
  const previous = previousWindow(current);

  it('sums a rolling year across the year end (Sep 21 to Aug 22)', () => {
    const months = new Map<string, number>(windowMonths(current).map((m, i) => [m, 100 + i]));
    // Months either side of the window do not count.
    months.set('2021-08', 9999).set('2022-09', 9999);
    expect(windowTotal(current, 'count', months)).toEqual({
      complete: true,
      total: 12 * 100 + 66,
      text: '1,266',
      source: 'months',
    });
    expect(windowMonths(current)[0]).toBe('2021-09');
    expect(windowMonths(previous)).toEqual([
      ...['2020-09', '2020-10', '2020-11', '2020-12'],
      ...['2021-01', '2021-02', '2021-03', '2021-04'],
      ...['2021-05', '2021-06', '2021-07', '2021-08'],
    ]);
  });

  it('sums a financial year, April to March', () => {
    const fy = financialYearWindow({ start: 2018 });
    const months = { ...filled(fy, 2931), '2018-04': 2931 + 11, '2019-03': 2931 - 1 };
    // Medway's 35,172 recorded crimes for April 18 to March 19, spread over the months.
    expect(windowTotal(fy, 'count', months)).toMatchObject({ complete: true, total: 35_182 });
    expect(windowTotal(fy, 'count', filled(fy, 2931))).toMatchObject({ text: '35,172' });
  });

  it('sums a calendar year, January to December', () => {
    const months = filled(calendarYearWindow(2015), 52);
    months['2015-12'] = 60;
    months['2016-01'] = 500;
    months['2014-12'] = 500;
    expect(windowTotal(calendarYearWindow(2015), 'count', months)).toMatchObject({
      complete: true,
      total: 632,
    });
  });

  it('sums rates exactly: twelve months of 0.1 make 1.2', () => {
    expect(windowTotal(current, 'rate', filled(current, 0.1))).toEqual({
      complete: true,
      total: 1.2,
      text: '1.2',
      source: 'months',
    });
    expect(windowTotal(current, 'rate', filled(current, 10.55))).toMatchObject({
      total: 126.6,
      text: '126.6',
    });
  });

  it('never sums a window with a month missing', () => {
    const months: Record<string, number | null> = filled(current, 100);
    delete months['2022-01'];
    months['2021-10'] = null;
    expect(windowTotal(current, 'count', months)).toEqual({
      complete: false,
      monthsPresent: 10,
      monthsNeeded: 12,
      reason: 'missing-months',
      text: 'incomplete (10 of 12 months)',
    });
    expect(windowTotal(current, 'count', {})).toMatchObject({
      monthsPresent: 0,
      text: 'incomplete (0 of 12 months)',
    });
  });

  it('counts a zero as a value, not a gap', () => {
    expect(windowTotal(current, 'count', filled(current, 0))).toMatchObject({
      complete: true,
      total: 0,
      text: '0',
    });
  });

  it('takes a total entered for exactly the window', () => {
    const entered: EnteredTotal[] = [
      { window: previous, total: 33_104 },
      { window: current, total: 35_172 },
      // Same end, different start: not this window.
      { window: { from: '2021-10', to: '2022-08' }, total: 1 },
    ];
    expect(windowTotal(current, 'count', {}, entered)).toEqual({
      complete: true,
      total: 35_172,
      text: '35,172',
      source: 'entered',
    });
    expect(windowTotal(previous, 'count', new Map(), entered)).toMatchObject({ total: 33_104 });
    expect(windowTotal(rollingYear('2022-09'), 'count', {}, entered)).toMatchObject({
      complete: false,
      monthsPresent: 0,
    });
  });

  it('prefers the entered total to the months, and says when the months disagree', () => {
    const entered = [{ window: current, total: 1250 }];
    expect(windowTotal(current, 'count', filled(current, 100), entered)).toEqual({
      complete: true,
      total: 1250,
      text: '1,250',
      source: 'entered',
      monthsTotal: 1200,
    });
    const agreeing = [{ window: current, total: 1200 }];
    expect(windowTotal(current, 'count', filled(current, 100), agreeing)).toEqual({
      complete: true,
      total: 1200,
      text: '1,200',
      source: 'entered',
    });
    // Months with gaps add up to nothing to compare with.
    const partial = { '2022-08': 100 };
    expect(windowTotal(current, 'count', partial, entered)).not.toHaveProperty('monthsTotal');
  });

  it('refuses two totals for the same window', () => {
    const entered = [
      { window: current, total: 1 },
      { window: { ...current }, total: 2 },
    ];
    expect(() => windowTotal(current, 'count', {}, entered)).toThrow(ChangeError);
  });

  it('refuses values that break the rules, in months or totals', () => {
    expect(() => windowTotal(current, 'count', { '2022-01': 1.5 })).toThrow(
      'Value must be a whole number',
    );
    expect(() => windowTotal(current, 'rate', {}, [{ window: current, total: 0.125 }])).toThrow(
      'Value must have no more than 2 decimal places',
    );
  });

  it('does not read keys a record inherits', () => {
    const months = Object.create({ '2022-08': 5 }) as Record<string, number>;
    expect(windowTotal(current, 'count', months)).toMatchObject({ monthsPresent: 0 });
  });

  it('takes a percentage only as entered for the window, never from its months', () => {
    expect(windowTotal(current, 'percentage', filled(current, 50))).toEqual({
      complete: false,
      monthsPresent: 12,
      monthsNeeded: 12,
      reason: 'percentage-not-entered',
      text: 'incomplete (12-month figure not entered)',
    });
    expect(
      windowTotal(current, 'percentage', filled(current, 50), [{ window: current, total: 52.6 }]),
    ).toEqual({ complete: true, total: 52.6, text: '52.6%', source: 'entered' });
  });

  it('agrees with a plain sum when every month is there, and is incomplete otherwise', () => {
    const month = fc.integer({ min: 0, max: 50_000 });
    fc.assert(
      fc.property(
        fc.array(fc.option(month, { nil: undefined }), { minLength: 12, maxLength: 12 }),
        (values) => {
          const months = new Map(windowMonths(current).map((m, i) => [m, values[i]]));
          const total = windowTotal(current, 'count', months);
          const present = values.filter((v) => v !== undefined);
          if (present.length === 12) {
            expect(total).toMatchObject({
              complete: true,
              total: present.reduce((a, b) => a + b, 0),
            });
          } else {
            expect(total).toMatchObject({ complete: false, monthsPresent: present.length });
          }
        },
      ),
    );
  });
});

describe('comparing windows', () => {
  const current = rollingYear('2022-08');
  const previous = previousWindow(current);
  const total = (window: MonthWindow, months: Record<string, number>): WindowTotal =>
    windowTotal(window, 'count', months);

  it('compares rolling year on rolling year', () => {
    const months = { ...filled(previous, 300), ...filled(current, 310) };
    expect(compareTotals(total(previous, months), total(current, months), incidents).text).toBe(
      '3.3% or 120 incident increase',
    );
  });

  it('compares an entered total with summed months', () => {
    const prev = windowTotal(previous, 'count', {}, [{ window: previous, total: 7000 }]);
    const cur = windowTotal(current, 'count', filled(current, 612));
    expect(compareTotals(prev, cur, incidents).text).toBe('4.9% or 344 incident increase');
  });

  it('says which months are missing instead of a change', () => {
    const months: Record<string, number> = { ...filled(previous, 300), ...filled(current, 310) };
    delete months['2022-07'];
    delete months['2022-08'];
    expect(compareTotals(total(previous, months), total(current, months), incidents)).toEqual({
      kind: 'incomplete',
      complete: false,
      change: null,
      percent: null,
      text: 'incomplete (10 of 12 months)',
    });
    delete months['2020-09'];
    expect(compareTotals(total(previous, months), total(current, months), incidents).text).toBe(
      'incomplete (previous 11 of 12 months, current 10 of 12 months)',
    );
    expect(compareTotals(total(previous, months), total(previous, months), incidents).text).toBe(
      'incomplete (previous 11 of 12 months, current 11 of 12 months)',
    );
  });

  it('compares financial year with financial year', () => {
    const fy = financialYearWindow({ start: 2023 });
    const before = previousWindow(fy);
    expect(before).toEqual({ from: '2022-04', to: '2023-03' });
    const months = { ...filled(before, 1000), ...filled(fy, 1000), '2024-03': 1010 };
    expect(compareTotals(total(before, months), total(fy, months), counts).text).toBe(
      '0.1% or 10 increase',
    );
  });

  it('compares calendar year with calendar year', () => {
    const year = calendarYearWindow(2015);
    const months = { ...filled(calendarYearWindow(2014), 55), ...filled(year, 50) };
    expect(previousWindow(year)).toEqual(calendarYearWindow(2014));
    expect(
      compareTotals(total(previousWindow(year), months), total(year, months), {
        unit: 'count',
        noun: 'casualty',
      }).text,
    ).toBe('-9.1% or 60 casualty decrease');
  });
});

describe('a window against the one before', () => {
  it('compares the rolling year ending August 2022 with the year before', () => {
    const current = rollingYear('2022-08');
    const months = {
      ...filled({ from: '2020-09', to: '2021-08' }, 300),
      ...filled(current, 310),
    };
    const comparison = compareWithPrevious(current, incidents, months);
    expect(comparison.previousWindow).toEqual({ from: '2020-09', to: '2021-08' });
    expect(comparison.currentWindow).toEqual({ from: '2021-09', to: '2022-08' });
    expect(comparison.previous).toMatchObject({ complete: true, total: 3600 });
    expect(comparison.current).toMatchObject({ complete: true, total: 3720 });
    expect(comparison.change.text).toBe('3.3% or 120 incident increase');
  });

  it('compares a financial year given only as entered totals', () => {
    const fy = financialYearWindow({ start: 2018 });
    const entered = [
      { window: financialYearWindow({ start: 2017 }), total: 31_375 },
      { window: fy, total: 35_172 },
    ];
    expect(compareWithPrevious(fy, counts, {}, entered).change.text).toBe(
      '12.1% or 3,797 increase',
    );
  });

  it('says the previous year is incomplete when its months are missing', () => {
    const year = calendarYearWindow(2023);
    const months = { ...filled(year, 9), '2022-12': 9 };
    const comparison = compareWithPrevious(year, counts, months);
    expect(comparison.previous).toMatchObject({ complete: false, monthsPresent: 1 });
    expect(comparison.change.text).toBe('incomplete (1 of 12 months)');
  });
});

describe('direction of travel', () => {
  const up = compareFigures(100, 110, counts);
  const down = compareFigures(110, 100, counts);
  const same = compareFigures(100, 100, counts);
  const fresh = compareFigures(0, 4, counts);
  const unknown = compareTotals(
    { complete: false, monthsPresent: 3, monthsNeeded: 12, reason: 'missing-months', text: '' },
    { complete: true, total: 4, text: '4', source: 'months' },
    counts,
  );

  const changes = { up, down, same, fresh, unknown };

  it.each([
    ['up', 'increase-bad', 'worse'],
    ['up', 'increase-good', 'better'],
    ['up', 'neutral', 'neutral'],
    ['down', 'increase-bad', 'better'],
    ['down', 'increase-good', 'worse'],
    ['down', 'neutral', 'neutral'],
    ['same', 'increase-bad', 'no-change'],
    ['same', 'increase-good', 'no-change'],
    ['same', 'neutral', 'no-change'],
    ['fresh', 'increase-bad', 'worse'],
    ['fresh', 'increase-good', 'better'],
    ['fresh', 'neutral', 'neutral'],
    ['unknown', 'increase-bad', null],
    ['unknown', 'neutral', null],
  ] as const)('%s with %s is %s', (name, polarity: Polarity, direction) => {
    expect(directionOfTravel(changes[name], polarity)).toBe(direction);
  });

  it('has a word for every direction, so a tag never relies on colour', () => {
    expect(DIRECTION_LABELS).toEqual({
      better: 'Better',
      worse: 'Worse',
      neutral: 'Neutral',
      'no-change': 'No change',
    });
  });
});
