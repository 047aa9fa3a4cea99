/**
 * Reads indicator figures from a CSV or Excel (.xlsx) file, and writes them in the same columns:
 * one row a figure of one indicator, a month's value or (with Months 12) the total for the 12
 * months ending at the month, with the indicator's details on the rows of an indicator the
 * partnership does not have yet. Finds every problem, each naming the row (the header being
 * row 1) and the column. Rules that need the database (themes, units of existing indicators)
 * are the service's. Nothing here touches the database.
 */
import { normaliseHeader, readColumns, readMonthCell, rowCells } from '../../core/grid-columns.js';
import {
  fileMessages,
  readGridFile,
  tooManyRows,
  type FileProblem,
  type GridLimits,
} from '../../core/grid-file.js';
import type { Polarity } from '../../domain/change.js';
import { INDICATOR_CRIME_TYPES, type IndicatorCrimeType } from '../../domain/crime-types.js';
import { parseFigure, UNIT_LABELS, type Unit } from '../../domain/figures.js';
import { isFutureMonth, longWindowLabel, monthLabel, rollingYear } from '../../domain/periods.js';
import type { Indicator, IndicatorFigures } from './indicators.repository.js';
import { nameKey } from './indicators.schemas.js';

export interface IndicatorFileValue {
  row: number;
  month: string;
  /** 1 for the month's value; 12 for the total of the 12 months ending at `month`. */
  months: 1 | 12;
  /** The cell as written; checked as a number, and against the unit by the service. */
  text: string;
}

export interface IndicatorFileEntry {
  name: string;
  /** The first row naming the indicator. */
  row: number;
  /** Details given in the file, with the row each was first given on. */
  theme?: { title: string; row: number };
  source?: string;
  unit?: Unit;
  polarity?: Polarity;
  noun?: string;
  /** For a new indicator, the police.uk crime type its figures are filled from. */
  crimeType?: IndicatorCrimeType;
  values: IndicatorFileValue[];
}

export interface IndicatorFile {
  indicators: IndicatorFileEntry[];
  /** Figures read: one per non-blank row below the header. */
  rows: number;
  /**
   * Problems in the rows, for the service to report with those it finds in the database, so a
   * file's every problem is listed at once. A file with no usable header is refused outright.
   */
  problems: FileProblem[];
}

export const MAX_ROWS = 20_000;
const MAX_PROBLEMS = 100;
const LIMITS: GridLimits = { maxRows: MAX_ROWS, rowNoun: 'rows of values', maxColumns: 11 };

export const indicatorFileMessages = {
  ...fileMessages,
  headerOnly: 'The file has a header row but no values below it',
  tooManyRows: tooManyRows(LIMITS),
  nameEmpty: 'Enter the indicator’s name',
  nameTooLong: 'Indicator name must be 200 characters or fewer',
  monthEmpty: 'Enter the month, like 2024-09',
  monthBad: 'Month must be a real month written like 2024-09',
  monthFuture: 'Month must not be in the future',
  valueEmpty: 'Enter the value',
  themeTooLong: 'Theme must be 200 characters or fewer',
  sourceTooLong: 'Source must be 200 characters or fewer',
  unitBad: 'Unit must be Count, Rate or Percentage',
  polarityBad: 'Polarity must be Increase is bad, Increase is good or Neutral',
  nounTooLong: 'Noun must be 50 characters or fewer',
  monthsBad: 'Months must be 1 for a month’s value or 12 for a 12-month total, or left blank for 1',
  crimeTypeBad:
    'Crime type must be one of the police.uk crime types, like Shoplifting, or All crime',
};

// The columns in the order they are described to users.
const COLUMNS = {
  indicator: { header: 'Indicator', required: true },
  month: { header: 'Month', required: true },
  value: { header: 'Value', required: true },
  theme: { header: 'Theme', required: false },
  source: { header: 'Source', required: false },
  unit: { header: 'Unit', required: false },
  polarity: { header: 'Polarity', required: false },
  noun: { header: 'Noun', required: false },
  months: { header: 'Months', required: false },
  crimeType: { header: 'Crime type', required: false },
} as const;

export const INDICATOR_FILE_HEADERS = Object.values(COLUMNS).map((c) => c.header);
/** The columns an export writes when no indicator follows police.uk data. */
const HEADERS_WITHOUT_CRIME = INDICATOR_FILE_HEADERS.filter((h) => h !== COLUMNS.crimeType.header);

const columnOrder = (p: FileProblem): number =>
  p.column === undefined ? -1 : (INDICATOR_FILE_HEADERS as string[]).indexOf(p.column);

/** Problems as a person reads the file: row by row, and along each row. */
export function inFileOrder(problems: FileProblem[]): FileProblem[] {
  return [...problems].sort(
    (a, b) => (a.row ?? 0) - (b.row ?? 0) || columnOrder(a) - columnOrder(b),
  );
}

const UNIT_WORDS = new Map<string, Unit>([
  ['count', 'count'],
  ['number', 'count'],
  ['rate', 'rate'],
  ['percentage', 'percentage'],
  ['percent', 'percentage'],
  ['per cent', 'percentage'],
  ['%', 'percentage'],
]);

const POLARITY_WORDS = new Map<string, Polarity>([
  ['increase is bad', 'increase-bad'],
  ['an increase is bad', 'increase-bad'],
  ['increase-bad', 'increase-bad'],
  ['bad', 'increase-bad'],
  ['increase is good', 'increase-good'],
  ['an increase is good', 'increase-good'],
  ['increase-good', 'increase-good'],
  ['good', 'increase-good'],
  ['neutral', 'neutral'],
  ['increase is neutral', 'neutral'],
  ['neither', 'neutral'],
]);

/** `today` is 'YYYY-MM-DD': months after its month are refused as in the future. */
export async function readIndicatorFile(
  buffer: Buffer,
  filename: string,
  today: string,
): Promise<IndicatorFile> {
  return readGrid(await readGridFile(buffer, filename, LIMITS), today);
}

type Detail = 'source' | 'unit' | 'polarity' | 'noun' | 'crimeType';

export function readGrid(grid: string[][], today: string): IndicatorFile {
  const { columnIndex, dataRows } = readColumns(grid, COLUMNS, indicatorFileMessages, MAX_ROWS);
  const problems: FileProblem[] = [];
  const indicators: IndicatorFileEntry[] = [];
  const byName = new Map<string, IndicatorFileEntry>();
  const detailRows = new Map<string, { row: number; given: string }>();
  const monthRows = new Map<string, number>();

  for (const dataRow of dataRows) {
    const { row } = dataRow;
    const { cell, problem } = rowCells(COLUMNS, columnIndex, dataRow, problems);

    const name = cell('indicator').replace(/\s+/g, ' ');
    if (!name) problem('indicator', indicatorFileMessages.nameEmpty);
    else if (name.length > 200) problem('indicator', indicatorFileMessages.nameTooLong);

    const monthText = cell('month');
    const month = monthText ? readMonthCell(monthText) : undefined;
    if (!monthText) problem('month', indicatorFileMessages.monthEmpty);
    else if (!month) problem('month', indicatorFileMessages.monthBad);
    else if (isFutureMonth(month, today)) problem('month', indicatorFileMessages.monthFuture);

    const text = cell('value');
    // Checked as the most permissive unit here; whole numbers for counts once the unit is known.
    const figure = text ? parseFigure(text, 'percentage') : undefined;
    if (!figure) problem('value', indicatorFileMessages.valueEmpty);
    else if ('error' in figure) problem('value', figure.error);

    const themeTitle = cell('theme').replace(/\s+/g, ' ');
    if (themeTitle.length > 200) problem('theme', indicatorFileMessages.themeTooLong);
    const source = cell('source');
    if (source.length > 200) problem('source', indicatorFileMessages.sourceTooLong);
    const unitText = cell('unit');
    const unit = unitText ? UNIT_WORDS.get(normaliseHeader(unitText)) : undefined;
    if (unitText && !unit) problem('unit', indicatorFileMessages.unitBad);
    const polarityText = cell('polarity');
    const polarity = polarityText ? POLARITY_WORDS.get(normaliseHeader(polarityText)) : undefined;
    if (polarityText && !polarity) problem('polarity', indicatorFileMessages.polarityBad);
    const noun = cell('noun');
    if (noun.length > 50) problem('noun', indicatorFileMessages.nounTooLong);
    const monthsText = cell('months');
    const months = monthsText === '' || monthsText === '1' ? 1 : monthsText === '12' ? 12 : null;
    if (months === null) problem('months', indicatorFileMessages.monthsBad);
    const crimeText = cell('crimeType').replace(/\s+/g, ' ');
    const crimeType = crimeText
      ? INDICATOR_CRIME_TYPES.find((t) => t.toLowerCase() === crimeText.toLowerCase())
      : undefined;
    if (crimeText && !crimeType) problem('crimeType', indicatorFileMessages.crimeTypeBad);

    if (problems.length >= MAX_PROBLEMS) break;
    if (!name) continue;

    const key = nameKey(name);
    let entry = byName.get(key);
    if (!entry) {
      entry = { name, row, values: [] };
      byName.set(key, entry);
      indicators.push(entry);
    }

    // Details are the indicator's, not the row's: rows that give them must agree.
    const agree = <D extends Detail>(
      detail: D,
      column: 'source' | 'unit' | 'polarity' | 'noun' | 'crimeType',
      value: IndicatorFileEntry[D] | undefined,
      given: string,
    ) => {
      if (value === undefined || value === '' || !entry) return;
      const had = entry[detail];
      if (had === undefined) {
        entry[detail] = value;
        detailRows.set(`${key}:${detail}`, { row, given });
      } else if (had !== value) {
        const first = detailRows.get(`${key}:${detail}`);
        problem(
          column,
          `${COLUMNS[column].header} must be the same on every row of ${name}: row ${first?.row ?? entry.row} says ${first?.given ?? ''}`,
        );
      }
    };
    agree('source', 'source', source, source);
    agree('unit', 'unit', unit, unitText);
    agree('polarity', 'polarity', polarity, polarityText);
    agree('noun', 'noun', noun, noun);
    agree('crimeType', 'crimeType', crimeType, crimeText);
    if (themeTitle) {
      if (!entry.theme) entry.theme = { title: themeTitle, row };
      else if (nameKey(entry.theme.title) !== nameKey(themeTitle)) {
        problem(
          'theme',
          `Theme must be the same on every row of ${name}: row ${entry.theme.row} says ${entry.theme.title}`,
        );
      }
    }

    if (!month || !figure || 'error' in figure || months === null) continue;
    const monthKey = `${key}:${months}:${month}`;
    const earlier = monthRows.get(monthKey);
    if (earlier !== undefined) {
      const what =
        months === 1
          ? `${monthLabel(month)} on row ${earlier} and row ${row}: give each month once`
          : `a 12-month total for ${longWindowLabel(rollingYear(month))} on row ${earlier} and row ${row}: give each total once`;
      problem('month', `${name} has ${what}`);
      continue;
    }
    monthRows.set(monthKey, row);
    entry.values.push({ row, month, months, text });
  }

  return {
    indicators,
    rows: dataRows.length,
    problems: inFileOrder(problems).slice(0, MAX_PROBLEMS),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Polarities as the import's help names them; each reads back as itself. */
const POLARITY_NAMES: Record<Polarity, string> = {
  'increase-bad': 'Increase is bad',
  'increase-good': 'Increase is good',
  neutral: 'Neutral',
};

/**
 * The indicators' figures as rows under the header, in the columns the import reads, so the file
 * imports back unchanged: each indicator's months in order, then its 12-month totals, with its
 * details on its first row. Figures are their exact stored text. An indicator with no figures
 * has no row, as every row is a figure.
 */
export function indicatorFileRows(
  indicators: (Indicator & { figures: IndicatorFigures })[],
): string[][] {
  // The crime type column only when an indicator has one: other files keep their columns.
  const crime = indicators.some((i) => i.crimeType);
  const rows: string[][] = [crime ? INDICATOR_FILE_HEADERS : HEADERS_WITHOUT_CRIME];
  for (const i of indicators) {
    const figures = [
      ...i.figures.months.map((f) => ({ month: f.month, value: f.value, months: '1' })),
      ...i.figures.totals.map((t) => ({ month: t.endMonth, value: t.value, months: '12' })),
    ];
    figures.forEach((f, n) => {
      const details =
        n === 0
          ? [
              i.theme?.title ?? '',
              i.source,
              UNIT_LABELS[i.unit],
              POLARITY_NAMES[i.polarity],
              i.noun,
            ]
          : ['', '', '', '', ''];
      const crimeCell = crime ? [n === 0 ? (i.crimeType ?? '') : ''] : [];
      rows.push([i.name, f.month, f.value, ...details, f.months, ...crimeCell]);
    });
  }
  return rows;
}
