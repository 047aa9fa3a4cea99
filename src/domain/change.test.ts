import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChangeError,
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
import { figureMessages } from './figures.js';
import {
  calendarYearWindow,
  financialYearWindow,
  previousWindow,
  rollingYear,
  windowMonths,
  type MonthWindow,
} from './periods.js';

/** Every month of the window set to `value`, as a record (months → value). */
const filled = (window: MonthWindow, value: string): Record<string, string> =>
  Object.fromEntries(windowMonths(window).map((m) => [m, value]));

const counts = { unit: 'count' } as const;
// The noun as an indicator holds it; the sentence puts it in the singular.
const incidents = { unit: 'count', noun: 'incidents' } as const;

describe('the change sentence', () => {
  it.each([
    // Each written as the issue and committee papers write them.
    ['5344', '5515', counts, '3.2% or 171 increase'],
    ['7000', '7343', incidents, '4.9% or 343 incident increase'],
    ['3811', '2580', incidents, '-32.3% or 1,231 incident decrease'],
    ['134', '183', counts, '36.6% or 49 increase'],
    ['658', '632', { unit: 'count', noun: 'casualty' }, '-4.0% or 26 casualty decrease'],
    ['29000', '33000', incidents, '13.8% or 4,000 incident increase'],
    ['1200', '1200', incidents, 'no change'],
    ['0', '0', incidents, 'no change'],
    ['0', '15', { unit: 'count', noun: 'referral' }, 'new (no previous figure)'],
    ['15', '0', { unit: 'count', noun: 'referral' }, '-100.0% or 15 referral decrease'],
    ['1', '50', counts, '4,900.0% or 49 increase'],
    ['1000000', '2234567', counts, '123.5% or 1,234,567 increase'],
    ['100', '100.5', { unit: 'rate' }, '0.5% or 0.5 increase'],
    [
      '126.56',
      '120.31',
      { unit: 'rate', noun: 'crime per 1,000' },
      '-4.9% or 6.25 crime per 1,000 decrease',
    ],
    ['40', '45', { unit: 'percentage', noun: 'victim' }, '12.5% or 5 percentage point increase'],
    ['52.6', '48.15', { unit: 'percentage' }, '-8.5% or 4.45 percentage point decrease'],
    ['7000', '7343', { unit: 'count', noun: '  incident ' }, '4.9% or 343 incident increase'],
    [
      '7000',
      '7343',
      { unit: 'count', noun: 'KSI casualties' },
      '4.9% or 343 KSI casualty increase',
    ],
    [
      '100',
      '91',
      { unit: 'count', noun: 'vulnerable callers' },
      '-9.0% or 9 vulnerable caller decrease',
    ],
    ['7000', '7343', { unit: 'count', noun: '' }, '4.9% or 343 increase'],
    ['7000', '7343', { unit: 'count', noun: null }, '4.9% or 343 increase'],
  ] as const)('%s to %s reads %j', (previous, current, options, text) => {
    expect(compareFigures(previous, current, options).text).toBe(text);
  });

  it('gives the figures behind the sentence', () => {
    expect(compareFigures('3811', '2580', incidents)).toEqual({
      kind: 'decrease',
      complete: true,
      change: '-1231',
      percent: '-32.3',
      text: '-32.3% or 1,231 incident decrease',
    });
    expect(compareFigures('0', '15', counts)).toEqual({
      kind: 'new',
      complete: true,
      change: '15',
      percent: null,
      text: 'new (no previous figure)',
    });
    expect(compareFigures('9', '9', counts)).toEqual({
      kind: 'no-change',
      complete: true,
      change: '0',
      percent: '0.0',
      text: 'no change',
    });
    expect(compareFigures('126.56', '120.31', { unit: 'rate' }).change).toBe('-6.25');
  });
});

describe('percentage rounding', () => {
  it.each([
    // Exactly half-way at the second decimal: away from zero, in both directions.
    ['16', '17', '6.3% or 1 increase', '6.3'],
    ['16', '15', '-6.3% or 1 decrease', '-6.3'],
    ['400', '401', '0.3% or 1 increase', '0.3'],
    ['400', '399', '-0.3% or 1 decrease', '-0.3'],
    // The 0.05 boundary.
    ['2000', '2001', '0.1% or 1 increase', '0.1'],
    ['2000', '1999', '-0.1% or 1 decrease', '-0.1'],
    ['2000', '2201', '10.1% or 201 increase', '10.1'],
    ['2000', '1799', '-10.1% or 201 decrease', '-10.1'],
    // Half-way cases binary floating point gets wrong: (23 / 80) * 100 is 28.749999…
    ['80', '103', '28.8% or 23 increase', '28.8'],
    ['80', '29', '-63.8% or 51 decrease', '-63.8'],
    ['400', '429', '7.3% or 29 increase', '7.3'],
    ['2000', '39', '-98.1% or 1,961 decrease', '-98.1'],
    // Below the half: down, in both directions.
    ['20000', '20001', '0.0% or 1 increase', '0.0'],
    ['20000', '19999', '-0.0% or 1 decrease', '0.0'],
    ['3000', '3001', '0.0% or 1 increase', '0.0'],
    ['1999', '2000', '0.1% or 1 increase', '0.1'],
    // Decimals entered for rates: 0.35 on 100 is 0.35%, which floating point makes 0.34999…
    ['100', '100.35', '0.4% or 0.35 increase', '0.4'],
    ['100', '99.65', '-0.4% or 0.35 decrease', '-0.4'],
    ['20', '20.01', '0.1% or 0.01 increase', '0.1'],
    ['1.01', '1.02', '1.0% or 0.01 increase', '1.0'],
    // Rates with 3 and 4 decimal places, shown with exactly the decimals they have.
    ['0.016', '0.017', '6.3% or 0.001 increase', '6.3'],
    ['0.016', '0.015', '-6.3% or 0.001 decrease', '-6.3'],
    ['0.0016', '0.0017', '6.3% or 0.0001 increase', '6.3'],
    ['0.0016', '0.0015', '-6.3% or 0.0001 decrease', '-6.3'],
    // 0.0023 on 0.008 is 28.75%: floating point makes it 28.749999…
    ['0.008', '0.0103', '28.8% or 0.0023 increase', '28.8'],
    ['1.125', '1.25', '11.1% or 0.125 increase', '11.1'],
    ['126.5625', '120.3125', '-4.9% or 6.25 decrease', '-4.9'],
    ['12.345', '12.3456', '0.0% or 0.0006 increase', '0.0'],
    ['1234.5678', '1234.5677', '-0.0% or 0.0001 decrease', '0.0'],
    ['0.0001', '0.1', '99,900.0% or 0.0999 increase', '99900.0'],
    // 0.0008 on 1.6 is 0.05%, half-way to the tenth.
    ['1.6', '1.6008', '0.1% or 0.0008 increase', '0.1'],
    ['1.6', '1.5992', '-0.1% or 0.0008 decrease', '-0.1'],
  ])('%s to %s is %j', (previous, current, text, percent) => {
    const change = compareFigures(previous, current, { unit: 'rate' });
    expect(change.text).toBe(text);
    expect(change.percent).toBe(percent);
  });

  it('gives a decrease that rounds to nothing as 0.0, keeping the minus for the sentence', () => {
    expect(compareFigures('20000', '19999', counts)).toMatchObject({
      percent: '0.0',
      text: '-0.0% or 1 decrease',
    });
  });

  it('divides exactly, half away from zero', () => {
    expect(divideRoundHalfAway(5n, 2n)).toBe(3n);
    expect(divideRoundHalfAway(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfAway(7n, 3n)).toBe(2n);
    expect(divideRoundHalfAway(-7n, 3n)).toBe(-2n);
    expect(divideRoundHalfAway(0n, 7n)).toBe(0n);
    expect(() => divideRoundHalfAway(1n, 0n)).toThrow(ChangeError);
  });

  // Figures in ten-thousandths, the finest step a figure has, across the whole range allowed.
  const steps = fc.bigInt({ min: 0n, max: 10n ** 16n - 1n });
  /** Ten-thousandths as a stored figure, written out here independently of figures.ts. */
  const stored = (n: bigint): string => {
    const fraction = String(n % 10_000n)
      .padStart(4, '0')
      .replace(/0+$/, '');
    return `${n / 10_000n}${fraction ? `.${fraction}` : ''}`;
  };

  it('rounds to the nearest tenth of a percent, and half-way away from zero', () => {
    fc.assert(
      fc.property(steps, steps, (p, c) => {
        fc.pre(p > 0n && p !== c);
        const change = compareFigures(stored(p), stored(c), { unit: 'rate' });
        // Read the percent back from the sentence, as tenths.
        const written = /^(-?)([\d,]+)\.(\d)% or /.exec(change.text);
        expect(written).not.toBeNull();
        const [, sign = '', whole = '', tenth = ''] = written ?? [];
        const tenths = BigInt(sign + whole.replace(/,/g, '') + tenth);
        // The exact percent in tenths is 1,000 (c − p) / p. Written − exact, times p:
        const error = tenths * p - 1000n * (c - p);
        const twice = 2n * (error < 0n ? -error : error);
        // Within half a tenth…
        expect(twice <= p).toBe(true);
        // …and exactly half a tenth only when rounded away from zero.
        if (twice === p) expect(c > p ? error > 0n : error < 0n).toBe(true);
        // The sign follows the change, and the figure agrees with the text.
        expect(sign === '-').toBe(c < p);
        expect(change.percent).toBe(
          `${tenths === 0n ? '' : sign}${whole.replace(/,/g, '')}.${tenth}`,
        );
      }),
    );
  });

  it('writes the change exactly, without a sign and with thousands separated', () => {
    fc.assert(
      fc.property(steps, steps, (p, c) => {
        fc.pre(p > 0n && p !== c);
        const change = compareFigures(stored(p), stored(c), { unit: 'rate' });
        const size = c > p ? c - p : p - c;
        const number = / or ([\d,.]+) (?:increase|decrease)$/.exec(change.text)?.[1] ?? '';
        expect(number.replace(/,/g, '')).toBe(stored(size));
        expect(number).toMatch(/^\d{1,3}(?:,\d{3})*(?:\.\d{1,4})?$/);
        expect(change.change).toBe(`${c < p ? '-' : ''}${stored(size)}`);
        expect(change.text.endsWith(c > p ? ' increase' : ' decrease')).toBe(true);
      }),
    );
  });
});

describe('figures the comparisons are made of', () => {
  it.each([
    ['count', '12.5', `${figureMessages.notWhole}: 12.5`],
    ['count', '-1', `${figureMessages.negative}: -1`],
    ['rate', '0.12345', `${figureMessages.tooManyDecimals}: 0.12345`],
    ['rate', '1000000000000', `${figureMessages.tooLarge}: 1000000000000`],
    ['rate', 'twelve', `${figureMessages.notNumber}: twelve`],
    // Read as figures from a person, but not as they are stored.
    ['count', '1,234', 'Not a stored figure: "1,234"'],
    ['rate', '12.50', 'Not a stored figure: "12.50"'],
    ['rate', '007', 'Not a stored figure: "007"'],
    ['percentage', '45%', 'Not a stored figure: "45%"'],
  ] as const)('refuses a %s of %j', (unit, value, problem) => {
    expect(() => compareFigures('10', value, { unit })).toThrow(ChangeError);
    expect(() => compareFigures(value, '10', { unit })).toThrow(problem);
  });

  it('takes the largest figures there are, exactly', () => {
    expect(compareFigures('999999999999.9999', '0', { unit: 'rate' }).text).toBe(
      '-100.0% or 999,999,999,999.9999 decrease',
    );
    expect(compareFigures('0.0001', '999999999999.9999', { unit: 'rate' })).toMatchObject({
      change: '999999999999.9998',
      percent: '999999999999999800.0',
      text: '999,999,999,999,999,800.0% or 999,999,999,999.9998 increase',
    });
  });
});

describe('window totals', () => {
  const current = rollingYear('2022-08');
  const previous = previousWindow(current);

  it('sums a rolling year across the year end (Sep 21 to Aug 22)', () => {
    const months = new Map(windowMonths(current).map((m, i) => [m, String(100 + i)]));
    // Months either side of the window do not count.
    months.set('2021-08', '9999').set('2022-09', '9999');
    expect(windowTotal(current, 'count', months)).toEqual({
      complete: true,
      total: '1266',
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
    const months = { ...filled(fy, '2931'), '2018-04': '2942', '2019-03': '2930' };
    // Medway's 35,172 recorded crimes for April 18 to March 19, spread over the months.
    expect(windowTotal(fy, 'count', months)).toMatchObject({ complete: true, total: '35182' });
    expect(windowTotal(fy, 'count', filled(fy, '2931'))).toMatchObject({ text: '35,172' });
  });

  it('sums a calendar year, January to December', () => {
    const months = filled(calendarYearWindow(2015), '52');
    months['2015-12'] = '60';
    months['2016-01'] = '500';
    months['2014-12'] = '500';
    expect(windowTotal(calendarYearWindow(2015), 'count', months)).toMatchObject({
      complete: true,
      total: '632',
    });
  });

  it('sums rates exactly: twelve months of 0.1 make 1.2', () => {
    expect(windowTotal(current, 'rate', filled(current, '0.1'))).toEqual({
      complete: true,
      total: '1.2',
      text: '1.2',
      source: 'months',
    });
    expect(windowTotal(current, 'rate', filled(current, '10.55'))).toMatchObject({
      total: '126.6',
      text: '126.6',
    });
  });

  it('sums rates of 4 decimal places exactly, keeping only the decimals the total has', () => {
    expect(windowTotal(current, 'rate', filled(current, '0.0625'))).toMatchObject({
      total: '0.75',
      text: '0.75',
    });
    expect(windowTotal(current, 'rate', filled(current, '10123.1234'))).toMatchObject({
      total: '121477.4808',
      text: '121,477.4808',
    });
    // The largest figures still add up exactly, past what a figure itself may be.
    expect(windowTotal(current, 'rate', filled(current, '999999999999.9999'))).toMatchObject({
      total: '11999999999999.9988',
      text: '11,999,999,999,999.9988',
    });
  });

  it('never sums a window with a month missing', () => {
    const months: Record<string, string | null> = filled(current, '100');
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
    expect(windowTotal(current, 'count', filled(current, '0'))).toMatchObject({
      complete: true,
      total: '0',
      text: '0',
    });
  });

  it('takes a total entered for exactly the window', () => {
    const entered: EnteredTotal[] = [
      { window: previous, total: '33104' },
      { window: current, total: '35172' },
      // Same end, different start: not this window.
      { window: { from: '2021-10', to: '2022-08' }, total: '1' },
    ];
    expect(windowTotal(current, 'count', {}, entered)).toEqual({
      complete: true,
      total: '35172',
      text: '35,172',
      source: 'entered',
    });
    expect(windowTotal(previous, 'count', new Map(), entered)).toMatchObject({ total: '33104' });
    expect(windowTotal(rollingYear('2022-09'), 'count', {}, entered)).toMatchObject({
      complete: false,
      monthsPresent: 0,
    });
  });

  it('prefers the entered total to the months, and says when the months disagree', () => {
    const entered = [{ window: current, total: '1250' }];
    expect(windowTotal(current, 'count', filled(current, '100'), entered)).toEqual({
      complete: true,
      total: '1250',
      text: '1,250',
      source: 'entered',
      monthsTotal: '1200',
      difference: '50',
    });
    const agreeing = [{ window: current, total: '1200' }];
    expect(windowTotal(current, 'count', filled(current, '100'), agreeing)).toEqual({
      complete: true,
      total: '1200',
      text: '1,200',
      source: 'entered',
    });
    // Months with gaps add up to nothing to compare with.
    const partial = { '2022-08': '100' };
    expect(windowTotal(current, 'count', partial, entered)).not.toHaveProperty('monthsTotal');
    // A rate published as 126.5 whose months add up to 0.0625 more.
    const rate = windowTotal(current, 'rate', filled(current, '10.5469'), [
      { window: current, total: '126.5' },
    ]);
    expect(rate).toMatchObject({ total: '126.5', monthsTotal: '126.5628', difference: '-0.0628' });
  });

  it('refuses two totals for the same window', () => {
    const entered = [
      { window: current, total: '1' },
      { window: { ...current }, total: '2' },
    ];
    expect(() => windowTotal(current, 'count', {}, entered)).toThrow(ChangeError);
  });

  it('refuses values that break the rules, in months or totals', () => {
    expect(() => windowTotal(current, 'count', { '2022-01': '1.5' })).toThrow(
      figureMessages.notWhole,
    );
    expect(() => windowTotal(current, 'rate', {}, [{ window: current, total: '0.12345' }])).toThrow(
      figureMessages.tooManyDecimals,
    );
    expect(() => windowTotal(current, 'rate', { '2022-01': '1.50' })).toThrow(
      'Not a stored figure',
    );
  });

  it('does not read keys a record inherits', () => {
    const months = Object.create({ '2022-08': '5' }) as Record<string, string>;
    expect(windowTotal(current, 'count', months)).toMatchObject({ monthsPresent: 0 });
  });

  it('takes a percentage only as entered for the window, never from its months', () => {
    expect(windowTotal(current, 'percentage', filled(current, '50'))).toEqual({
      complete: false,
      monthsPresent: 12,
      monthsNeeded: 12,
      reason: 'percentage-not-entered',
      text: 'incomplete (12-month figure not entered)',
    });
    expect(
      windowTotal(current, 'percentage', filled(current, '50'), [
        { window: current, total: '52.6125' },
      ]),
    ).toEqual({ complete: true, total: '52.6125', text: '52.6125%', source: 'entered' });
  });

  it('agrees with a plain sum when every month is there, and is incomplete otherwise', () => {
    const month = fc.integer({ min: 0, max: 50_000 });
    fc.assert(
      fc.property(
        fc.array(fc.option(month, { nil: undefined }), { minLength: 12, maxLength: 12 }),
        (values) => {
          const months = new Map(windowMonths(current).map((m, i) => [m, values[i]?.toString()]));
          const total = windowTotal(current, 'count', months);
          const present = values.filter((v) => v !== undefined);
          if (present.length === 12) {
            expect(total).toMatchObject({
              complete: true,
              total: String(present.reduce((a, b) => a + b, 0)),
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
  const total = (window: MonthWindow, months: Record<string, string>): WindowTotal =>
    windowTotal(window, 'count', months);

  it('compares rolling year on rolling year', () => {
    const months = { ...filled(previous, '300'), ...filled(current, '310') };
    expect(compareTotals(total(previous, months), total(current, months), incidents).text).toBe(
      '3.3% or 120 incident increase',
    );
  });

  it('compares an entered total with summed months', () => {
    const prev = windowTotal(previous, 'count', {}, [{ window: previous, total: '7000' }]);
    const cur = windowTotal(current, 'count', filled(current, '612'));
    expect(compareTotals(prev, cur, incidents).text).toBe('4.9% or 344 incident increase');
  });

  it('says which months are missing instead of a change', () => {
    const months: Record<string, string> = {
      ...filled(previous, '300'),
      ...filled(current, '310'),
    };
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
    const months = { ...filled(before, '1000'), ...filled(fy, '1000'), '2024-03': '1010' };
    expect(compareTotals(total(before, months), total(fy, months), counts).text).toBe(
      '0.1% or 10 increase',
    );
  });

  it('compares calendar year with calendar year', () => {
    const year = calendarYearWindow(2015);
    const months = { ...filled(calendarYearWindow(2014), '55'), ...filled(year, '50') };
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
      ...filled({ from: '2020-09', to: '2021-08' }, '300'),
      ...filled(current, '310'),
    };
    const comparison = compareWithPrevious(current, incidents, months);
    expect(comparison.previousWindow).toEqual({ from: '2020-09', to: '2021-08' });
    expect(comparison.currentWindow).toEqual({ from: '2021-09', to: '2022-08' });
    expect(comparison.previous).toMatchObject({ complete: true, total: '3600' });
    expect(comparison.current).toMatchObject({ complete: true, total: '3720' });
    expect(comparison.change.text).toBe('3.3% or 120 incident increase');
  });

  it('compares a financial year given only as entered totals', () => {
    const fy = financialYearWindow({ start: 2018 });
    const entered = [
      { window: financialYearWindow({ start: 2017 }), total: '31375' },
      { window: fy, total: '35172' },
    ];
    expect(compareWithPrevious(fy, counts, {}, entered).change.text).toBe(
      '12.1% or 3,797 increase',
    );
  });

  it('says the previous year is incomplete when its months are missing', () => {
    const year = calendarYearWindow(2023);
    const months = { ...filled(year, '9'), '2022-12': '9' };
    const comparison = compareWithPrevious(year, counts, months);
    expect(comparison.previous).toMatchObject({ complete: false, monthsPresent: 1 });
    expect(comparison.change.text).toBe('incomplete (1 of 12 months)');
  });
});

describe('direction of travel', () => {
  const up = compareFigures('100', '110', counts);
  const down = compareFigures('110', '100', counts);
  const same = compareFigures('100', '100', counts);
  const fresh = compareFigures('0', '4', counts);
  const unknown = compareTotals(
    { complete: false, monthsPresent: 3, monthsNeeded: 12, reason: 'missing-months', text: '' },
    { complete: true, total: '4', text: '4', source: 'months' },
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
