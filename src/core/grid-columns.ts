/**
 * What every importer does with a grid once it is read: find its columns by their headers
 * (in any order, case and spacing aside), take the rows below the header that have anything in
 * them, and report each problem once per cell, named by row and column. The importers only say
 * what their columns are and what each cell must hold.
 */
import { MONTH_NAMES, parseMonth } from '../domain/periods.js';
import { readTimescale } from '../domain/timescales.js';
import { FileError, MAX_CELL_CHARS, fail, fileMessages, isBlankRow } from './grid-file.js';
import type { FileProblem } from './grid-file.js';

export interface ColumnSpec {
  header: string;
  required: boolean;
}

export interface GridMessages {
  /** The file has a header row and nothing else. */
  headerOnly: string;
  tooManyRows: string;
}

export interface DataRow {
  cells: string[];
  /** As the spreadsheet numbers it: the header is row 1. */
  row: number;
}

export const normaliseHeader = (h: string): string => h.trim().replace(/\s+/g, ' ').toLowerCase();

/** The columns' positions and the non-blank rows below the header, or a FileError. */
export function readColumns<K extends string>(
  grid: string[][],
  columns: Record<K, ColumnSpec>,
  messages: GridMessages,
  maxRows: number,
): { columnIndex: Map<K, number>; dataRows: DataRow[] } {
  const keys = Object.keys(columns) as K[];
  // A Map, not an object: headers come from the file and may be "__proto__" or "constructor".
  const headerToKey = new Map<string, K>(keys.map((k) => [normaliseHeader(columns[k].header), k]));
  const headerRow = grid[0];
  if (!headerRow || (isBlankRow(headerRow) && grid.every(isBlankRow))) fail(fileMessages.empty);
  if (isBlankRow(headerRow)) {
    throw new FileError([{ row: 1, message: 'The first row must name the columns' }]);
  }

  const problems: FileProblem[] = [];
  const columnIndex = new Map<K, number>();
  headerRow.forEach((h, i) => {
    const key = headerToKey.get(normaliseHeader(h));
    if (!key) return;
    if (columnIndex.has(key)) {
      problems.push({
        row: 1,
        column: columns[key].header,
        message: `The ${columns[key].header} column appears more than once`,
      });
    } else columnIndex.set(key, i);
  });
  const missing = keys.filter((k) => columns[k].required && !columnIndex.has(k));
  if (missing.length) {
    const names = missing.map((k) => columns[k].header);
    problems.push({
      row: 1,
      message: `The file is missing ${names.length === 1 ? 'the column' : 'these columns'}: ${names.join(', ')}`,
    });
  }
  if (problems.length) throw new FileError(problems);

  const dataRows = grid
    .map((cells, i) => ({ cells, row: i + 1 }))
    .slice(1)
    .filter((r) => !isBlankRow(r.cells));
  if (dataRows.length === 0) fail(messages.headerOnly);
  if (dataRows.length > maxRows) fail(messages.tooManyRows);
  return { columnIndex, dataRows };
}

/**
 * One row's cells by column, trimmed, and its problems, added to `problems`: one a cell, so
 * an overlong cell is not also reported as too long for its field.
 */
export function rowCells<K extends string>(
  columns: Record<K, ColumnSpec>,
  columnIndex: Map<K, number>,
  { cells, row }: DataRow,
  problems: FileProblem[],
): { cell: (key: K) => string; problem: (key: K, message: string) => void } {
  const reported = new Set<K>();
  const problem = (key: K, message: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ row, column: columns[key].header, message });
  };
  const cell = (key: K): string => {
    const i = columnIndex.get(key);
    const text = i === undefined ? '' : (cells[i] ?? '').trim();
    if (text.length > MAX_CELL_CHARS) problem(key, fileMessages.cellTooLong);
    return text;
  };
  return { cell, problem };
}

const MONTH_WORD = /^([a-z]{3,9})\.?[\s-]+(\d{2}|\d{4})$/i;

/**
 * A month written 2024-09, or as Excel rewrites it when a CSV is opened and saved again
 * ("Sep-24", "September 2024", a date like 01/09/2024). Anything else is not guessed.
 */
export function readMonthCell(text: string): string | undefined {
  if (/^\d+-\d+$/.test(text)) {
    try {
      return parseMonth(text);
    } catch {
      return undefined;
    }
  }
  const word = MONTH_WORD.exec(text)?.[1]?.toLowerCase();
  const named =
    word && MONTH_NAMES.some((m) => m.toLowerCase().startsWith(word.replace(/^sept$/, 'sep')));
  if (!named && !/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(text)) return undefined;
  const read = readTimescale(text, { start: '2000-01-01' });
  return read.parts.length === 1 && read.due ? read.due.slice(0, 7) : undefined;
}
