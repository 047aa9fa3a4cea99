/**
 * Reads indicator figures from a CSV or Excel (.xlsx) file: one row a month of one indicator,
 * with the indicator's details on the rows of an indicator the partnership does not have yet.
 * Finds every problem, each naming the row (the header being row 1) and
 * the column. Rules that need the database (themes, units of existing indicators) are the
 * service's. Nothing here touches the database.
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
import { parseFigure, type Unit } from '../../domain/figures.js';
import { isFutureMonth, monthLabel } from '../../domain/periods.js';
import { nameKey } from './indicators.schemas.js';

export interface IndicatorFileValue {
  row: number;
  month: string;
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
  values: IndicatorFileValue[];
}

export interface IndicatorFile {
  indicators: IndicatorFileEntry[];
  /** Values read: one per non-blank row below the header. */
  rows: number;
  /**
   * Problems in the rows, for the service to report with those it finds in the database, so a
   * file's every problem is listed at once. A file with no usable header is refused outright.
   */
  problems: FileProblem[];
}

export const MAX_ROWS = 20_000;
const MAX_PROBLEMS = 100;
const LIMITS: GridLimits = { maxRows: MAX_ROWS, rowNoun: 'rows of values', maxColumns: 10 };

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
} as const;

export const INDICATOR_FILE_HEADERS = Object.values(COLUMNS).map((c) => c.header);

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

type Detail = 'source' | 'unit' | 'polarity' | 'noun';

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
      column: 'source' | 'unit' | 'polarity' | 'noun',
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
    if (themeTitle) {
      if (!entry.theme) entry.theme = { title: themeTitle, row };
      else if (nameKey(entry.theme.title) !== nameKey(themeTitle)) {
        problem(
          'theme',
          `Theme must be the same on every row of ${name}: row ${entry.theme.row} says ${entry.theme.title}`,
        );
      }
    }

    if (!month || !figure || 'error' in figure) continue;
    const monthKey = `${key}:${month}`;
    const earlier = monthRows.get(monthKey);
    if (earlier !== undefined) {
      problem(
        'month',
        `${name} has ${monthLabel(month)} on row ${earlier} and row ${row}: give each month once`,
      );
      continue;
    }
    monthRows.set(monthKey, row);
    entry.values.push({ row, month, text });
  }

  return {
    indicators,
    rows: dataRows.length,
    problems: inFileOrder(problems).slice(0, MAX_PROBLEMS),
  };
}
