/**
 * Months, financial years, plan periods and the 12-month windows indicators are compared over.
 * Months are 'YYYY-MM' and dates 'YYYY-MM-DD'. All arithmetic is on whole numbers, so the
 * answers never depend on the machine's time zone, and "today" is always passed in.
 */

/** Input that is not a month, date, financial year or plan period: the message says why. */
export class PeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeriodError';
  }
}

/** A run of whole months, both ends included: { from: '2020-09', to: '2021-08' }. */
export interface MonthWindow {
  from: string;
  to: string;
}

/** 1 April `start` to 31 March the year after. */
export interface FinancialYear {
  start: number;
}

/** The calendar years a plan touches: 2024/25 is { first: 2024, last: 2025 }. */
export interface PlanPeriod {
  first: number;
  last: number;
}

/** Month names, January first: every date label in Saferplan uses these. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const MAX_PLAN_YEARS = 10;

// ---------------------------------------------------------------------------------------------
// Months

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Months counted from January of year 0: consecutive months are consecutive numbers. */
function toIndex(month: string): number {
  const m = parseMonth(month);
  return Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
}

function fromIndex(index: number): string {
  const year = Math.floor(index / 12);
  if (year < 0 || year > 9999) throw new PeriodError('Month is out of range');
  return `${String(year).padStart(4, '0')}-${pad2((index % 12) + 1)}`;
}

/** 'YYYY-MM' for a year given as a number and a month 1–12 (13 is January the year after). */
function monthAt(year: number, month: number): string {
  if (!Number.isInteger(year)) throw new PeriodError('Year must be a whole number');
  return fromIndex(year * 12 + month - 1);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A month written 'YYYY-MM', checked; throws PeriodError naming what is wrong. */
export function parseMonth(text: string): string {
  const t = text.trim();
  if (t === '') throw new PeriodError('Enter a month, like 2022-09');
  const parts = /^(\d+)-(\d+)$/.exec(t);
  if (!parts) throw new PeriodError('Month must be a year and month, like 2022-09');
  const [, year = '', month = ''] = parts;
  if (year.length !== 4) throw new PeriodError('Year must have 4 digits, like 2022-09');
  if (month.length !== 2) throw new PeriodError('Month must have 2 digits, like 2022-09');
  const m = Number(month);
  if (m < 1 || m > 12) throw new PeriodError('Month must be between 01 and 12');
  return t;
}

/** Month names and their usual short forms, lower case, to the month's number. */
export const MONTH_NUMBERS: Readonly<Record<string, number>> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

/**
 * A date as people type it: 31/03/2024, 31/3/24, 31-3-2024, 31.03.2024, 31 March 2024,
 * 31 Mar 24 or 2024-03-31. Gives 'YYYY-MM-DD', checked against the real calendar; a two-digit
 * year is this century's.
 */
export function parseDateAsWritten(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t === '') throw new PeriodError('Enter a date, like 31/03/2024');
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return parseIsoDate(t);
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/.exec(t);
  const words = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4}|\d{2})$/i.exec(t);
  let day: number;
  let month: number | undefined;
  let year: number;
  if (numeric) {
    [day, month, year] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
  } else if (words) {
    day = Number(words[1]);
    month = MONTH_NUMBERS[(words[2] ?? '').toLowerCase()];
    year = Number(words[3]);
    if (month === undefined) {
      throw new PeriodError(`"${words[2] ?? ''}" is not a month: write the date like 31/03/2024`);
    }
  } else {
    throw new PeriodError('Enter the date as day, month and year, like 31/03/2024');
  }
  if (year < 100) year += 2000;
  if (month < 1 || month > 12) throw new PeriodError('Month must be between 1 and 12');
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    throw new PeriodError(
      `Day must be between 1 and ${last} in ${MONTH_NAMES[month - 1] ?? ''} ${year}`,
    );
  }
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** A date written 'YYYY-MM-DD', checked against the real calendar. */
export function parseIsoDate(text: string): string {
  const t = text.trim();
  if (t === '') throw new PeriodError('Enter a date, like 2022-04-01');
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (!parts) throw new PeriodError('Date must be a year, month and day, like 2022-04-01');
  const [, y = '', m = '', d = ''] = parts;
  parseMonth(`${y}-${m}`);
  const last = daysInMonth(Number(y), Number(m));
  if (Number(d) < 1 || Number(d) > last) {
    throw new PeriodError(`Day must be between 01 and ${last}`);
  }
  return t;
}

export function addMonths(month: string, n: number): string {
  if (!Number.isInteger(n)) throw new PeriodError('Months can only be added in whole numbers');
  return fromIndex(toIndex(month) + n);
}

/** Negative when a is earlier than b, 0 when the same month, positive when later. */
export function compareMonths(a: string, b: string): number {
  return Math.sign(toIndex(a) - toIndex(b));
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const first = toIndex(from);
  const last = toIndex(to);
  if (first > last) throw new PeriodError('The first month must not be after the last');
  const months: string[] = [];
  for (let i = first; i <= last; i++) months.push(fromIndex(i));
  return months;
}

export function monthStart(month: string): string {
  return `${parseMonth(month)}-01`;
}

export function monthEnd(month: string): string {
  const m = parseMonth(month);
  return `${m}-${pad2(daysInMonth(Number(m.slice(0, 4)), Number(m.slice(5, 7))))}`;
}

export function monthOf(isoDate: string): string {
  return parseIsoDate(isoDate).slice(0, 7);
}

/** Later than the month `today` falls in; the current month is not in the future. */
export function isFutureMonth(month: string, today: string): boolean {
  return compareMonths(month, monthOf(today)) > 0;
}

/** "September 2020". */
export function monthLabel(month: string): string {
  const i = toIndex(month);
  return `${MONTH_NAMES[i % 12] ?? ''} ${String(Math.floor(i / 12)).padStart(4, '0')}`;
}

/** "Sep 20", as exception reports write a month. */
export function shortMonthLabel(month: string): string {
  const i = toIndex(month);
  return `${(MONTH_NAMES[i % 12] ?? '').slice(0, 3)} ${pad2(Math.floor(i / 12) % 100)}`;
}

// ---------------------------------------------------------------------------------------------
// Financial years

/** The financial year a month ('YYYY-MM') or date ('YYYY-MM-DD') falls in. */
export function financialYearOf(monthOrDate: string): FinancialYear {
  const t = monthOrDate.trim();
  const month = t.split('-').length === 3 ? monthOf(t) : parseMonth(t);
  const i = toIndex(month);
  const year = Math.floor(i / 12);
  return { start: i % 12 >= 3 ? year : year - 1 };
}

/** "2022/23". */
export function financialYearLabel(fy: FinancialYear): string {
  return `${fy.start}/${pad2((fy.start + 1) % 100)}`;
}

export function financialYearWindow(fy: FinancialYear): MonthWindow {
  return { from: monthAt(fy.start, 4), to: monthAt(fy.start, 15) };
}

/** Two years joined by "/", "-", an en or em dash or "to"; the second may have 2 digits. */
function splitYears(text: string): { first: string; sep: string; second: string } | undefined {
  const m = /^(\d+)\s*(\/|-|–|—|\bto\b)\s*(\d+)$/i.exec(text);
  if (!m) return undefined;
  return { first: m[1] ?? '', sep: (m[2] ?? '').toLowerCase(), second: m[3] ?? '' };
}

/** "2022/23", "2022-23" or "2022/2023" (also with an en dash). */
export function parseFinancialYear(text: string): FinancialYear {
  const t = text.trim();
  if (t === '') throw new PeriodError('Enter a financial year, like 2024/25');
  const parts = splitYears(t);
  if (!parts || parts.sep === 'to') {
    throw new PeriodError('Financial year must be written like 2024/25');
  }
  return financialYearFrom(parts.first, parts.second);
}

/** '2023' or '23' after '2022'. */
function isNextYear(first: string, second: string): boolean {
  const next = Number(first) + 1;
  return second === String(next) || second === pad2(next % 100);
}

function financialYearFrom(first: string, second: string): FinancialYear {
  if (first.length !== 4) {
    throw new PeriodError('Financial year must start with a 4-digit year, like 2024/25');
  }
  if (second.length !== 2 && second.length !== 4) {
    throw new PeriodError('Financial year must end with a 2 or 4-digit year, like 2024/25');
  }
  const start = Number(first);
  if (!isNextYear(first, second)) {
    throw new PeriodError(
      `A financial year runs over two years in a row: ${start}/${pad2((start + 1) % 100)}`,
    );
  }
  return { start };
}

// ---------------------------------------------------------------------------------------------
// Plan periods

/**
 * A plan period as users write it. Plan years are financial years. "2024/25" (or "2024-25",
 * "2024/2025") is one financial year. "2016–2020" (en dash, hyphen or "to", both years in full)
 * names the first and last calendar years the plan touches: it runs from 1 April 2016 to
 * 31 March 2020, four financial years. So "2024–2025" is the same period as "2024/25".
 */
export function parsePlanPeriod(text: string): PlanPeriod {
  const t = text.trim();
  if (t === '') throw new PeriodError('Enter the plan period, like 2024/25 or 2016 to 2020');
  const parts = splitYears(t);
  if (!parts) {
    throw new PeriodError('Plan period must be written like 2024/25 or 2016 to 2020');
  }
  // A slash, or a dash before a 2-digit year, is how a single financial year is written.
  if (parts.sep === '/' || (parts.sep !== 'to' && parts.second.length === 2)) {
    if (parts.first.length === 4 && !isNextYear(parts.first, parts.second)) {
      throw new PeriodError('Write one year like 2016/17, or several years like 2016 to 2020');
    }
    const fy = financialYearFrom(parts.first, parts.second);
    return { first: fy.start, last: fy.start + 1 };
  }
  if (parts.first.length !== 4 || parts.second.length !== 4) {
    throw new PeriodError('Write both years of the plan in full, like 2016 to 2020');
  }
  const first = Number(parts.first);
  const last = Number(parts.second);
  if (last <= first) throw new PeriodError('The last year of the plan must be after the first');
  if (last - first > MAX_PLAN_YEARS) {
    throw new PeriodError(`A plan can run for at most ${MAX_PLAN_YEARS} years`);
  }
  return { first, last };
}

/** "2024/25" for one financial year, "2016 to 2020" for several; parsePlanPeriod reads both. */
export function planPeriodLabel(period: PlanPeriod): string {
  return period.last - period.first === 1
    ? financialYearLabel({ start: period.first })
    : `${period.first} to ${period.last}`;
}

/** April of the first year to March of the last. */
export function planWindow(period: PlanPeriod): MonthWindow {
  return { from: monthAt(period.first, 4), to: monthAt(period.last, 3) };
}

/** Which year of the plan a month falls in (1 for the first), or null outside the plan. */
export function planYearOf(
  period: PlanPeriod,
  month: string,
): { year: number; of: number; financialYear: FinancialYear } | null {
  const fy = financialYearOf(month);
  if (fy.start < period.first || fy.start >= period.last) return null;
  return { year: fy.start - period.first + 1, of: period.last - period.first, financialYear: fy };
}

// ---------------------------------------------------------------------------------------------
// Windows

/** The 12 months ending with `endMonth`. */
export function rollingYear(endMonth: string): MonthWindow {
  return { from: addMonths(endMonth, -11), to: parseMonth(endMonth) };
}

/** The window of the same length that ends the month before `window` starts. */
export function previousWindow(window: MonthWindow): MonthWindow {
  const length = windowMonths(window).length;
  return { from: addMonths(window.from, -length), to: addMonths(window.from, -1) };
}

export function calendarYearWindow(year: number): MonthWindow {
  return { from: monthAt(year, 1), to: monthAt(year, 12) };
}

/**
 * The latest financial year that has ended by the end of `month`: the year itself when `month`
 * is March, otherwise the year before the one `month` falls in (August 2022 gives 2021/22).
 */
export function latestFinancialYearTo(month: string): FinancialYear {
  const fy = financialYearOf(month);
  return compareMonths(financialYearWindow(fy).to, month) === 0 ? fy : { start: fy.start - 1 };
}

/** The latest calendar year that has ended by the end of `month`: 2021 for August 2022. */
export function latestCalendarYearTo(month: string): number {
  const year = Number(parseMonth(month).slice(0, 4));
  return compareMonths(calendarYearWindow(year).to, month) === 0 ? year : year - 1;
}

export function windowMonths(window: MonthWindow): string[] {
  return monthsBetween(window.from, window.to);
}

export function windowFirstDay(window: MonthWindow): string {
  return monthStart(window.from);
}

export function windowLastDay(window: MonthWindow): string {
  return monthEnd(window.to);
}

export function windowContains(window: MonthWindow, month: string): boolean {
  return compareMonths(month, window.from) >= 0 && compareMonths(month, window.to) <= 0;
}

/** "Sep 20 – end Aug 21", as the exception report heads its columns. */
export function windowLabel(window: MonthWindow): string {
  return `${shortMonthLabel(window.from)} – end ${shortMonthLabel(window.to)}`;
}

/** "September 2020 to August 2021". */
export function longWindowLabel(window: MonthWindow): string {
  return `${monthLabel(window.from)} to ${monthLabel(window.to)}`;
}
