import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  calendarYearWindow,
  compareMonths,
  financialYearLabel,
  financialYearOf,
  financialYearWindow,
  isFutureMonth,
  latestCalendarYearTo,
  latestFinancialYearTo,
  longWindowLabel,
  monthEnd,
  monthLabel,
  monthOf,
  monthStart,
  monthsBetween,
  parseFinancialYear,
  parseDateAsWritten,
  parseIsoDate,
  parseMonth,
  parsePlanPeriod,
  PeriodError,
  planPeriodLabel,
  planWindow,
  planYearOf,
  previousWindow,
  rollingYear,
  shortMonthLabel,
  windowContains,
  windowFirstDay,
  windowLabel,
  windowLastDay,
  windowMonths,
} from './periods.js';

const refused = (fn: () => unknown, message: string): void => {
  expect(fn).toThrow(PeriodError);
  expect(fn).toThrow(message);
};

// Months from January 1900 to December 2199, as strings.
const monthArb = fc
  .tuple(fc.integer({ min: 1900, max: 2199 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);

describe('parseMonth', () => {
  it.each(['2022-09', '2024-01', '2024-12', ' 2022-09 '])('accepts %j', (text) => {
    expect(parseMonth(text)).toBe(text.trim());
  });

  it.each([
    ['2022-13', 'Month must be between 01 and 12'],
    ['2022-00', 'Month must be between 01 and 12'],
    ['22-09', 'Year must have 4 digits, like 2022-09'],
    ['2022-9', 'Month must have 2 digits, like 2022-09'],
    ['', 'Enter a month, like 2022-09'],
    ['   ', 'Enter a month, like 2022-09'],
    ['Sept 22', 'Month must be a year and month, like 2022-09'],
    ['2022/09', 'Month must be a year and month, like 2022-09'],
    ['2022-09-01', 'Month must be a year and month, like 2022-09'],
  ])('refuses %j: %s', (text, message) => {
    refused(() => parseMonth(text), message);
  });
});

describe('parseIsoDate', () => {
  it('accepts 29 February in a leap year only', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    refused(() => parseIsoDate('2023-02-29'), 'Day must be between 01 and 28');
  });

  it.each([
    ['2022-04-31', 'Day must be between 01 and 30'],
    ['2022-13-01', 'Month must be between 01 and 12'],
    ['2022-04-00', 'Day must be between 01 and 30'],
    ['01/04/2022', 'Date must be a year, month and day, like 2022-04-01'],
    ['', 'Enter a date, like 2022-04-01'],
  ])('refuses %j: %s', (text, message) => {
    refused(() => parseIsoDate(text), message);
  });
});

describe('parseDateAsWritten', () => {
  it.each([
    ['31/03/2024', '2024-03-31'],
    ['31/3/24', '2024-03-31'],
    [' 1/4/2024 ', '2024-04-01'],
    ['01-04-2024', '2024-04-01'],
    ['1.4.2024', '2024-04-01'],
    ['31 March 2024', '2024-03-31'],
    ['31 Mar 2024', '2024-03-31'],
    ['1st Sept. 2024', '2024-09-01'],
    ['2 november  2022', '2022-11-02'],
    ['29/02/2024', '2024-02-29'],
    ['2024-03-31', '2024-03-31'],
  ])('reads %j as %s', (text, iso) => {
    expect(parseDateAsWritten(text)).toBe(iso);
  });

  it.each([
    ['', 'Enter a date, like 31/03/2024'],
    ['29/02/2023', 'Day must be between 1 and 28 in February 2023'],
    ['31/04/2024', 'Day must be between 1 and 30 in April 2024'],
    ['12/13/2024', 'Month must be between 1 and 12'],
    ['31 Marhc 2024', '"Marhc" is not a month: write the date like 31/03/2024'],
    ['March 2024', 'Enter the date as day, month and year, like 31/03/2024'],
    ['2024/03/31', 'Enter the date as day, month and year, like 31/03/2024'],
    ['2024-02-30', 'Day must be between 01 and 29'],
  ])('refuses %j: %s', (text, message) => {
    refused(() => parseDateAsWritten(text), message);
  });

  it('reads back every date it is given in the UK order', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, day] = iso.split('-');
          expect(parseDateAsWritten(`${day}/${m}/${y}`)).toBe(iso);
        },
      ),
    );
  });
});

describe('month arithmetic', () => {
  it('adds months across the end of a year both ways', () => {
    expect(addMonths('2022-12', 1)).toBe('2023-01');
    expect(addMonths('2023-01', -1)).toBe('2022-12');
    expect(addMonths('2022-09', -11)).toBe('2021-10');
    expect(addMonths('2022-09', 24)).toBe('2024-09');
    expect(addMonths('2022-09', 0)).toBe('2022-09');
  });

  it('refuses part months and bad months', () => {
    refused(() => addMonths('2022-09', 1.5), 'Months can only be added in whole numbers');
    refused(() => addMonths('2022-13', 1), 'Month must be between 01 and 12');
    refused(() => addMonths('9999-12', 1), 'Month is out of range');
  });

  it('compares months', () => {
    expect(compareMonths('2022-09', '2022-10')).toBe(-1);
    expect(compareMonths('2023-01', '2022-12')).toBe(1);
    expect(compareMonths('2022-09', '2022-09')).toBe(0);
    expect(['2023-01', '2022-12', '2022-02'].sort(compareMonths)).toEqual([
      '2022-02',
      '2022-12',
      '2023-01',
    ]);
  });

  it('lists the months between two months, both included, across a year end', () => {
    expect(monthsBetween('2022-11', '2023-02')).toEqual([
      '2022-11',
      '2022-12',
      '2023-01',
      '2023-02',
    ]);
    expect(monthsBetween('2022-09', '2022-09')).toEqual(['2022-09']);
  });

  it('refuses a list that runs backwards', () => {
    refused(
      () => monthsBetween('2023-01', '2022-12'),
      'The first month must not be after the last',
    );
  });
});

describe('first and last days', () => {
  it.each([
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2023-02', '2023-02-01', '2023-02-28'],
    ['2000-02', '2000-02-01', '2000-02-29'],
    ['2100-02', '2100-02-01', '2100-02-28'],
    ['2022-04', '2022-04-01', '2022-04-30'],
    ['2022-12', '2022-12-01', '2022-12-31'],
    ['2023-01', '2023-01-01', '2023-01-31'],
  ])('%s runs from %s to %s', (month, first, last) => {
    expect(monthStart(month)).toBe(first);
    expect(monthEnd(month)).toBe(last);
  });

  it('finds the month of a date', () => {
    expect(monthOf('2024-02-29')).toBe('2024-02');
    expect(monthOf('2022-12-31')).toBe('2022-12');
    refused(() => monthOf('2022-02-30'), 'Day must be between 01 and 28');
  });
});

describe('month labels', () => {
  it('writes months in full and short', () => {
    expect(monthLabel('2020-09')).toBe('September 2020');
    expect(shortMonthLabel('2020-09')).toBe('Sep 20');
    expect(shortMonthLabel('2009-01')).toBe('Jan 09');
    expect(shortMonthLabel('2000-12')).toBe('Dec 00');
  });
});

describe('isFutureMonth', () => {
  it('treats the current month as not in the future', () => {
    expect(isFutureMonth('2024-05', '2024-05-31')).toBe(false);
    expect(isFutureMonth('2024-06', '2024-05-31')).toBe(true);
    expect(isFutureMonth('2024-01', '2023-12-31')).toBe(true);
    expect(isFutureMonth('2023-12', '2024-01-01')).toBe(false);
  });

  it('refuses a today that is not a date', () => {
    refused(() => isFutureMonth('2024-05', '2024-05'), 'Date must be a year, month and day');
  });
});

describe('financial years', () => {
  it.each([
    ['2022-04', 2022],
    ['2023-03', 2022],
    ['2022-03', 2021],
    ['2022-12', 2022],
    ['2023-01', 2022],
    ['2022-04-01', 2022],
    ['2022-03-31', 2021],
    ['2024-02-29', 2023],
  ])('%s falls in the year starting April %i', (when, start) => {
    expect(financialYearOf(when)).toEqual({ start });
  });

  it('refuses something that is neither a month nor a date', () => {
    refused(() => financialYearOf('2022-13'), 'Month must be between 01 and 12');
    refused(() => financialYearOf('2022-02-30'), 'Day must be between 01 and 28');
  });

  it('labels a year the way plans do, including across a century', () => {
    expect(financialYearLabel({ start: 2022 })).toBe('2022/23');
    expect(financialYearLabel({ start: 2009 })).toBe('2009/10');
    expect(financialYearLabel({ start: 2099 })).toBe('2099/00');
  });

  it.each(['2022/23', '2022-23', '2022/2023', '2022-2023', '2022–23', ' 2022 / 23 '])(
    'reads %j as 2022/23',
    (text) => {
      expect(parseFinancialYear(text)).toEqual({ start: 2022 });
    },
  );

  it('reads a year across a century', () => {
    expect(parseFinancialYear('2099/00')).toEqual({ start: 2099 });
  });

  it.each([
    ['2022/24', 'A financial year runs over two years in a row: 2022/23'],
    ['2022/2024', 'A financial year runs over two years in a row: 2022/23'],
    ['2023/22', 'A financial year runs over two years in a row: 2023/24'],
    ['22/23', 'Financial year must start with a 4-digit year, like 2024/25'],
    ['2022/3', 'Financial year must end with a 2 or 4-digit year, like 2024/25'],
    ['2022', 'Financial year must be written like 2024/25'],
    ['2022 to 2023', 'Financial year must be written like 2024/25'],
    ['last year', 'Financial year must be written like 2024/25'],
    ['', 'Enter a financial year, like 2024/25'],
  ])('refuses %j: %s', (text, message) => {
    refused(() => parseFinancialYear(text), message);
  });

  it('has twelve months from April to March, and its first and last days', () => {
    const w = financialYearWindow({ start: 2023 });
    expect(w).toEqual({ from: '2023-04', to: '2024-03' });
    expect(windowMonths(w)).toHaveLength(12);
    expect(windowMonths(w)[9]).toBe('2024-01');
    expect(windowFirstDay(w)).toBe('2023-04-01');
    expect(windowLastDay(w)).toBe('2024-03-31');
  });
});

describe('plan periods', () => {
  it.each(['2024/25', '2024-25', '2024/2025', '2024–2025', '2024 to 2025'])(
    'reads %j as the financial year 2024/25',
    (text) => {
      const period = parsePlanPeriod(text);
      expect(period).toEqual({ first: 2024, last: 2025 });
      expect(planPeriodLabel(period)).toBe('2024/25');
      expect(planWindow(period)).toEqual({ from: '2024-04', to: '2025-03' });
    },
  );

  it.each(['2016–2020', '2016-2020', '2016 to 2020', '2016 TO 2020', '2016 — 2020', '2016 – 2020'])(
    'reads %j as four financial years from 1 April 2016 to 31 March 2020',
    (text) => {
      const period = parsePlanPeriod(text);
      expect(period).toEqual({ first: 2016, last: 2020 });
      expect(planPeriodLabel(period)).toBe('2016 to 2020');
      expect(windowFirstDay(planWindow(period))).toBe('2016-04-01');
      expect(windowLastDay(planWindow(period))).toBe('2020-03-31');
      expect(windowMonths(planWindow(period))).toHaveLength(48);
    },
  );

  it('reads back its own labels', () => {
    for (const text of ['2024/25', '2016 to 2020']) {
      expect(planPeriodLabel(parsePlanPeriod(text))).toBe(text);
    }
  });

  it.each([
    ['', 'Enter the plan period, like 2024/25 or 2016 to 2020'],
    ['next year', 'Plan period must be written like 2024/25 or 2016 to 2020'],
    ['2016', 'Plan period must be written like 2024/25 or 2016 to 2020'],
    ['2016–20', 'Write one year like 2016/17, or several years like 2016 to 2020'],
    ['2022/24', 'Write one year like 2016/17, or several years like 2016 to 2020'],
    ['2016/2020', 'Write one year like 2016/17, or several years like 2016 to 2020'],
    ['2016 to 20', 'Write both years of the plan in full, like 2016 to 2020'],
    ['16-2020', 'Write both years of the plan in full, like 2016 to 2020'],
    ['2020 to 2016', 'The last year of the plan must be after the first'],
    ['2020–2020', 'The last year of the plan must be after the first'],
    ['2016 to 2099', 'A plan can run for at most 10 years'],
  ])('refuses %j: %s', (text, message) => {
    refused(() => parsePlanPeriod(text), message);
  });

  it('says which year of a multi-year plan a month falls in', () => {
    const plan = parsePlanPeriod('2016–2020');
    expect(planYearOf(plan, '2016-04')).toEqual({ year: 1, of: 4, financialYear: { start: 2016 } });
    expect(planYearOf(plan, '2017-03')).toEqual({ year: 1, of: 4, financialYear: { start: 2016 } });
    expect(planYearOf(plan, '2017-04')?.year).toBe(2);
    expect(planYearOf(plan, '2018-12')?.year).toBe(3);
    expect(planYearOf(plan, '2020-03')?.year).toBe(4);
  });

  it('says a month outside the plan is in none of its years', () => {
    const plan = parsePlanPeriod('2016–2020');
    expect(planYearOf(plan, '2016-03')).toBeNull();
    expect(planYearOf(plan, '2020-04')).toBeNull();
  });

  it('treats a one-year plan as a single year', () => {
    expect(planYearOf(parsePlanPeriod('2024/25'), '2025-01')).toEqual({
      year: 1,
      of: 1,
      financialYear: { start: 2024 },
    });
  });
});

describe('windows', () => {
  it('builds the rolling years of the exception report, with their labels', () => {
    const current = rollingYear('2022-08');
    const previous = previousWindow(current);
    expect(current).toEqual({ from: '2021-09', to: '2022-08' });
    expect(previous).toEqual({ from: '2020-09', to: '2021-08' });
    expect(`Previous Rolling Year (${windowLabel(previous)})`).toBe(
      'Previous Rolling Year (Sep 20 – end Aug 21)',
    );
    expect(`Current Rolling Year (${windowLabel(current)})`).toBe(
      'Current Rolling Year (Sep 21 – end Aug 22)',
    );
    expect(longWindowLabel(previous)).toBe('September 2020 to August 2021');
  });

  it('writes the label with an en dash', () => {
    expect(windowLabel(rollingYear('2021-08'))).toContain(' \u2013 end ');
  });

  it('ends a rolling year in December as a calendar year', () => {
    expect(rollingYear('2023-12')).toEqual(calendarYearWindow(2023));
    expect(windowLabel(rollingYear('2023-12'))).toBe('Jan 23 – end Dec 23');
  });

  it('ends a rolling year in January across the calendar year end', () => {
    const w = rollingYear('2024-01');
    expect(w).toEqual({ from: '2023-02', to: '2024-01' });
    expect(windowContains(w, '2024-01')).toBe(true);
    expect(windowContains(w, '2023-01')).toBe(false);
    expect(previousWindow(w)).toEqual({ from: '2022-02', to: '2023-01' });
  });

  it('crosses a financial year end and counts the leap day', () => {
    const w = rollingYear('2024-06');
    expect(windowLabel(w)).toBe('Jul 23 – end Jun 24');
    expect(windowMonths(w)).toContain('2024-02');
    expect(windowFirstDay(w)).toBe('2023-07-01');
    expect(windowLastDay(w)).toBe('2024-06-30');
    expect(windowLastDay(rollingYear('2024-02'))).toBe('2024-02-29');
  });

  it('compares a financial year with the one before', () => {
    const w = financialYearWindow(parseFinancialYear('2022/23'));
    expect(previousWindow(w)).toEqual(financialYearWindow({ start: 2021 }));
    expect(windowLabel(w)).toBe('Apr 22 – end Mar 23');
    expect(longWindowLabel(w)).toBe('April 2022 to March 2023');
  });

  it('compares a calendar year with the one before', () => {
    expect(previousWindow(calendarYearWindow(2023))).toEqual(calendarYearWindow(2022));
    expect(longWindowLabel(calendarYearWindow(2023))).toBe('January 2023 to December 2023');
  });

  it('gives a shorter window the same number of months before it', () => {
    expect(previousWindow({ from: '2024-01', to: '2024-03' })).toEqual({
      from: '2023-10',
      to: '2023-12',
    });
  });

  it('finds the latest whole financial and calendar years by the end of a month', () => {
    expect(latestFinancialYearTo('2022-08')).toEqual({ start: 2021 });
    expect(latestFinancialYearTo('2022-03')).toEqual({ start: 2021 });
    expect(latestFinancialYearTo('2022-04')).toEqual({ start: 2021 });
    expect(latestFinancialYearTo('2022-02')).toEqual({ start: 2020 });
    expect(latestCalendarYearTo('2022-08')).toBe(2021);
    expect(latestCalendarYearTo('2022-12')).toBe(2022);
    expect(latestCalendarYearTo('2023-01')).toBe(2022);
  });

  it('refuses a rolling year ending in a month that does not exist', () => {
    refused(() => rollingYear('2022-13'), 'Month must be between 01 and 12');
    refused(() => calendarYearWindow(2022.5), 'Year must be a whole number');
  });
});

describe('properties', () => {
  it('adding then taking away the same number of months gives the month back', () => {
    fc.assert(
      fc.property(monthArb, fc.integer({ min: -1200, max: 1200 }), (m, n) => {
        expect(addMonths(addMonths(m, n), -n)).toBe(m);
      }),
    );
  });

  it('a rolling year is 12 distinct consecutive months ending at its end month', () => {
    fc.assert(
      fc.property(monthArb, (end) => {
        const months = windowMonths(rollingYear(end));
        expect(months).toHaveLength(12);
        expect(new Set(months).size).toBe(12);
        expect(months.at(-1)).toBe(end);
        months.slice(1).forEach((m, i) => {
          expect(addMonths(months[i] ?? '', 1)).toBe(m);
        });
      }),
    );
  });

  it('the previous window ends the month before the window starts, and is as long', () => {
    fc.assert(
      fc.property(monthArb, (end) => {
        const w = rollingYear(end);
        const p = previousWindow(w);
        expect(addMonths(p.to, 1)).toBe(w.from);
        expect(windowMonths(p)).toHaveLength(12);
      }),
    );
  });

  it('the latest whole years by a month end by it, and the next ones end after it', () => {
    fc.assert(
      fc.property(monthArb, (m) => {
        const fy = financialYearWindow(latestFinancialYearTo(m));
        expect(compareMonths(fy.to, m)).toBeLessThanOrEqual(0);
        expect(compareMonths(addMonths(fy.to, 12), m)).toBeGreaterThan(0);
        const cy = calendarYearWindow(latestCalendarYearTo(m));
        expect(compareMonths(cy.to, m)).toBeLessThanOrEqual(0);
        expect(compareMonths(addMonths(cy.to, 12), m)).toBeGreaterThan(0);
      }),
    );
  });

  it('every month is in the financial year whose window contains it', () => {
    fc.assert(
      fc.property(monthArb, (m) => {
        expect(windowContains(financialYearWindow(financialYearOf(m)), m)).toBe(true);
      }),
    );
  });

  it('the last day of a month is a real date in it, and the day after is not', () => {
    fc.assert(
      fc.property(monthArb, (m) => {
        const last = monthEnd(m);
        expect(monthOf(last)).toBe(m);
        const day = Number(last.slice(8));
        expect(() => parseIsoDate(`${m}-${day + 1}`)).toThrow(PeriodError);
      }),
    );
  });
});
