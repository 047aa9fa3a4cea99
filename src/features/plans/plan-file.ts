/**
 * Reads an action plan from a CSV or Excel (.xlsx) file into themes and actions, or refuses it
 * with every problem found, each naming the row (as the spreadsheet numbers it, the header being
 * row 1) and the column. Nothing here touches the database.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inflateRawSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { parseMonth } from '../../domain/periods.js';
import { MONTH_NAMES } from '../../domain/periods.js';
import { parseStatus, splitStatus, type Status } from '../../domain/statuses.js';

export type PlanFileThemeType = 'priority' | 'cross-cutting';

export interface PlanFileMilestone {
  text: string;
  timescale: string;
}

export interface PlanFileAction {
  number: string;
  action: string;
  desiredOutcome: string;
  milestones: PlanFileMilestone[];
  /** Set when the cell had a different number of milestones and timescales. */
  milestoneNote?: string;
  leads: string[];
  status?: Status;
  update?: string;
  updateMonth?: string;
}

export interface PlanFileTheme {
  type: PlanFileThemeType;
  title: string;
  actions: PlanFileAction[];
}

export interface PlanFile {
  themes: PlanFileTheme[];
  /** Actions read: one per non-blank row below the header. */
  rows: number;
}

export interface PlanFileProblem {
  row?: number;
  column?: string;
  message: string;
}

export class PlanFileError extends Error {
  constructor(readonly problems: PlanFileProblem[]) {
    super(problems.map(describeProblem).join('\n'));
    this.name = 'PlanFileError';
  }
}

export function describeProblem(p: PlanFileProblem): string {
  const where = [p.row === undefined ? '' : `Row ${p.row}`, p.column ?? ''].filter(Boolean);
  return where.length ? `${where.join(', ')}: ${p.message}` : p.message;
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_ROWS = 5000;
export const MAX_EXPANDED_BYTES = 50 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 2000;
const MAX_CELL_CHARS = 20_000;
const MAX_PROBLEMS = 100;

export const planFileMessages = {
  notCsvOrXlsx: 'The file must be a CSV or an Excel .xlsx file',
  notUtf8: 'The CSV file must be saved as UTF-8: in Excel, save it as “CSV UTF-8”',
  tooLarge: 'The file must be smaller than 10 MB',
  empty: 'The file is empty',
  headerOnly: 'The file has a header row but no actions below it',
  tooManyRows: `The file must have ${MAX_ROWS.toLocaleString('en-GB')} actions or fewer`,
  expandsTooFar: `The spreadsheet expands to more than ${MAX_EXPANDED_BYTES / 1024 / 1024} MB when opened`,
  tooManyParts: `The spreadsheet has more than ${MAX_ZIP_ENTRIES.toLocaleString('en-GB')} parts inside it`,
  unreadableXlsx: 'The Excel file could not be read: save it again as an .xlsx workbook',
  tooSlow: 'The spreadsheet took too long to open: save it with only the action plan in it',
  unreadableCsv: 'The CSV file could not be read: check that quoted cells have a closing quote',
  rowTooLong: `Row is too long: each cell must be ${MAX_CELL_CHARS.toLocaleString('en-GB')} characters or fewer`,
  cellTooLong: `Cell must be ${MAX_CELL_CHARS.toLocaleString('en-GB')} characters or fewer`,
  themeTypeEmpty: 'Enter the theme type: Priority or Cross-cutting theme',
  themeTypeBad: 'Theme type must be Priority or Cross-cutting theme',
  themeEmpty: 'Enter the theme',
  themeTooLong: 'Theme must be 200 characters or fewer',
  numberEmpty: 'Enter the action’s number, like 1.1',
  numberBad: 'Action number must be written like 1.1',
  actionTooLong: 'Action must be 2,000 characters or fewer',
  outcomeTooLong: 'Desired outcome must be 2,000 characters or fewer',
  milestoneTooLong: 'Each milestone must be 1,000 characters or fewer',
  timescaleTooLong: 'Each timescale must be 200 characters or fewer',
  actionEmpty: 'Enter the action',
  leadEmpty: 'Enter at least one lead agency',
  statusBad: 'Status must be Not yet started, In progress, Complete, On hold or Off track',
  monthBad: 'Update month must be a real month written like 2024-09',
};

// The columns in the order they are described to users.
const COLUMNS = {
  themeType: { header: 'Theme type', required: true },
  theme: { header: 'Theme', required: true },
  number: { header: 'No.', required: true },
  action: { header: 'Action', required: true },
  desiredOutcome: { header: 'Desired outcome', required: true },
  milestones: { header: 'Key milestones', required: true },
  timescales: { header: 'Timescales', required: true },
  leads: { header: 'Lead agency', required: true },
  status: { header: 'Status', required: false },
  update: { header: 'Update', required: false },
  updateMonth: { header: 'Update month', required: false },
} as const;
type ColumnKey = keyof typeof COLUMNS;

const normaliseHeader = (h: string): string => h.trim().replace(/\s+/g, ' ').toLowerCase();

// A Map, not an object: headers come from the file and may be "__proto__" or "constructor".
const HEADER_TO_KEY = new Map<string, ColumnKey>(
  (Object.keys(COLUMNS) as ColumnKey[]).map((k) => [normaliseHeader(COLUMNS[k].header), k]),
);

export async function readPlanFile(buffer: Buffer, filename: string): Promise<PlanFile> {
  if (buffer.length > MAX_FILE_BYTES) fail(planFileMessages.tooLarge);
  if (buffer.length === 0) fail(planFileMessages.empty);
  const grid = isZip(buffer) ? await readXlsxGrid(buffer) : readCsvGrid(buffer, filename);
  return readGrid(grid);
}

function fail(message: string): never {
  throw new PlanFileError([{ message }]);
}

// ---------------------------------------------------------------------------------------------
// CSV

function readCsvGrid(buffer: Buffer, filename: string): string[][] {
  // A text file renamed .xlsx (or an old .xls) is not what the name promises: refuse it.
  if (/\.xlsx?$/i.test(filename)) fail(planFileMessages.notCsvOrXlsx);
  // Text never holds NUL bytes; images, PDFs and old .xls files do.
  if (buffer.includes(0)) fail(planFileMessages.notCsvOrXlsx);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    // Excel's plain "CSV (Comma delimited)" is not UTF-8: £ and curly quotes would come out wrong.
    fail(/\.csv$/i.test(filename) ? planFileMessages.notUtf8 : planFileMessages.notCsvOrXlsx);
  }
  try {
    return parseCsv(text, {
      bom: true,
      relax_column_count: true,
      // Room for every column at its longest; the cells are checked one by one later.
      max_record_size: MAX_CELL_CHARS * 12,
    });
  } catch (e) {
    // Records are what a spreadsheet shows as rows; csv-parse counts those read before the bad one.
    const { code, records } = e as { code?: string; records?: number };
    const message =
      code === 'CSV_MAX_RECORD_SIZE' ? planFileMessages.rowTooLong : planFileMessages.unreadableCsv;
    throw new PlanFileError([{ ...(records === undefined ? {} : { row: records + 1 }), message }]);
  }
}

// ---------------------------------------------------------------------------------------------
// XLSX

function isZip(buffer: Buffer): boolean {
  return buffer.length >= 4 && buffer.readUInt32LE(0) === 0x04034b50;
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The zip's central directory: names and declared sizes, read without expanding anything. */
function zipEntries(buffer: Buffer): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(buffer);
  if (eocd < 0) fail(planFileMessages.unreadableXlsx);
  const count = buffer.readUInt16LE(eocd + 10);
  const cdOffset = buffer.readUInt32LE(eocd + 16);
  // Zip64 markers: no spreadsheet we accept needs them.
  if (count === 0xffff || cdOffset === 0xffffffff) fail(planFileMessages.expandsTooFar);
  if (count > MAX_ZIP_ENTRIES) fail(planFileMessages.tooManyParts);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buffer.length || buffer.readUInt32LE(p) !== 0x02014b50) {
      fail(planFileMessages.unreadableXlsx);
    }
    const nameLength = buffer.readUInt16LE(p + 28);
    const extraLength = buffer.readUInt16LE(p + 30);
    const commentLength = buffer.readUInt16LE(p + 32);
    entries.push({
      method: buffer.readUInt16LE(p + 10),
      compressedSize: buffer.readUInt32LE(p + 20),
      size: buffer.readUInt32LE(p + 24),
      localOffset: buffer.readUInt32LE(p + 42),
      name: buffer.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  const stop = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= stop; i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) return i;
  }
  return -1;
}

/**
 * Refuses a zip that would expand too far before any spreadsheet library opens it: first by the
 * sizes it declares, then by inflating each part with a ceiling at its declared size, so a
 * part that lies about its size is caught without ever growing past the limit.
 */
export function checkZipExpansion(buffer: Buffer): void {
  const entries = zipEntries(buffer);
  let total = 0;
  for (const e of entries) {
    total += e.size;
    if (e.size === 0xffffffff || total > MAX_EXPANDED_BYTES) fail(planFileMessages.expandsTooFar);
  }
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) fail(planFileMessages.notCsvOrXlsx);
  for (const e of entries) {
    if (e.method !== 8) continue;
    const local = e.localOffset;
    if (local + 30 > buffer.length || buffer.readUInt32LE(local) !== 0x04034b50) {
      fail(planFileMessages.unreadableXlsx);
    }
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + e.compressedSize);
    let out: Buffer;
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        fail(planFileMessages.expandsTooFar);
      }
      fail(planFileMessages.unreadableXlsx);
    }
    if (out.length !== e.size) fail(planFileMessages.unreadableXlsx);
  }
}

const WORKER_LIMITS = { maxOldGenerationSizeMb: 768, maxYoungGenerationSizeMb: 64 };
const WORKER_TIMEOUT_MS = 30_000;
// Workers do not inherit the TypeScript loader the process was started with: load it first.
const WORKER_SOURCE = (() => {
  const tsx = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsx, 'dist/esm/api/index.mjs')).href;
  const file = new URL('./plan-file.worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`;
})();

/**
 * Opens the workbook in a worker with a memory ceiling and a time limit: the spreadsheet
 * library keeps the whole workbook in memory and blocks while it parses, so the server
 * stays responsive and a hostile file costs at most the worker.
 */
async function readXlsxGrid(buffer: Buffer): Promise<string[][]> {
  checkZipExpansion(buffer);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    resourceLimits: WORKER_LIMITS,
    workerData: buffer,
  });
  try {
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new PlanFileError([{ message: planFileMessages.tooSlow }]));
      }, WORKER_TIMEOUT_MS);
      worker.once('message', (m: WorkerReply) => {
        clearTimeout(timer);
        resolve(m);
      });
      worker.once('exit', () => {
        clearTimeout(timer);
        reject(new PlanFileError([{ message: planFileMessages.unreadableXlsx }]));
      });
      worker.once('error', (e: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(
          new PlanFileError([
            {
              message:
                e.code === 'ERR_WORKER_OUT_OF_MEMORY'
                  ? planFileMessages.expandsTooFar
                  : planFileMessages.unreadableXlsx,
            },
          ]),
        );
      });
    });
    if ('problems' in reply) throw new PlanFileError(reply.problems);
    return reply.grid;
  } finally {
    await worker.terminate();
  }
}

export type WorkerReply = { grid: string[][] } | { problems: PlanFileProblem[] };

/** The first sheet as rows of text; runs inside the worker. */
export async function xlsxGrid(buffer: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    fail(planFileMessages.unreadableXlsx);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) fail(planFileMessages.empty);
  if (sheet.actualRowCount > MAX_ROWS + 1) fail(planFileMessages.tooManyRows);
  const grid: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value, cell.numFmt);
    });
    grid[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(grid, (r) => r ?? []);
}

/** A cell as a person sees it in Excel: rich text joined, formulas by their result, UK dates. */
export function cellText(value: ExcelJS.CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const d = String(value.getUTCDate()).padStart(2, '0');
    const m = value.getUTCMonth();
    const y = value.getUTCFullYear();
    // A format with no day ("mmm-yy") shows a month, which is how timescales are often typed.
    if (numFmt && !/d/i.test(numFmt.replace(/\[[^\]]*\]|"[^"]*"/g, ''))) {
      return `${MONTH_NAMES[m]} ${y}`;
    }
    return `${d}/${String(m + 1).padStart(2, '0')}/${y}`;
  }
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    return cellText((value as { result?: ExcelJS.CellValue }).result ?? null, numFmt);
  }
  if ('text' in value) return cellText(value.text, numFmt);
  if ('error' in value) return value.error;
  return '';
}

// ---------------------------------------------------------------------------------------------
// Rows to themes and actions

const THEME_TYPES = new Map<string, PlanFileThemeType>([
  ['priority', 'priority'],
  ['cross-cutting theme', 'cross-cutting'],
  ['cross-cutting', 'cross-cutting'],
  ['cross cutting theme', 'cross-cutting'],
  ['cross cutting', 'cross-cutting'],
]);

const lines = (text: string): string[] =>
  text
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/^\s*[•·▪◦]\s*/, '').trim())
    .filter((l) => l !== '');

const splitLeads = (text: string): string[] => {
  const seen = new Set<string>();
  const leads: string[] = [];
  for (const raw of text.split(/[/;\r\n]+/)) {
    const lead = raw.trim();
    if (lead === '' || seen.has(lead.toLowerCase())) continue;
    seen.add(lead.toLowerCase());
    leads.push(lead);
  }
  return leads;
};

const isBlank = (row: string[]): boolean => row.every((c) => c.trim() === '');

function readGrid(grid: string[][]): PlanFile {
  const headerRow = grid[0];
  if (!headerRow || (isBlank(headerRow) && grid.every(isBlank))) fail(planFileMessages.empty);
  if (isBlank(headerRow)) {
    throw new PlanFileError([{ row: 1, message: 'The first row must name the columns' }]);
  }

  const problems: PlanFileProblem[] = [];
  const columnIndex = new Map<ColumnKey, number>();
  headerRow.forEach((h, i) => {
    const key = HEADER_TO_KEY.get(normaliseHeader(h));
    if (!key) return;
    if (columnIndex.has(key)) {
      problems.push({
        row: 1,
        column: COLUMNS[key].header,
        message: `The ${COLUMNS[key].header} column appears more than once`,
      });
    } else columnIndex.set(key, i);
  });
  const missing = (Object.keys(COLUMNS) as ColumnKey[]).filter(
    (k) => COLUMNS[k].required && !columnIndex.has(k),
  );
  if (missing.length) {
    const names = missing.map((k) => COLUMNS[k].header);
    problems.push({
      row: 1,
      message: `The file is missing ${names.length === 1 ? 'the column' : 'these columns'}: ${names.join(', ')}`,
    });
  }
  if (problems.length) throw new PlanFileError(problems);

  const dataRows = grid
    .map((cells, i) => ({ cells, row: i + 1 }))
    .slice(1)
    .filter((r) => !isBlank(r.cells));
  if (dataRows.length === 0) fail(planFileMessages.headerOnly);
  if (dataRows.length > MAX_ROWS) fail(planFileMessages.tooManyRows);

  const themes: PlanFileTheme[] = [];
  const themeByTitle = new Map<string, { theme: PlanFileTheme; row: number }>();
  const rowOfNumber = new Map<string, number>();

  for (const { cells, row } of dataRows) {
    const problem = (key: ColumnKey, message: string) =>
      problems.push({ row, column: COLUMNS[key].header, message });
    const cell = (key: ColumnKey): string => {
      const i = columnIndex.get(key);
      const text = i === undefined ? '' : (cells[i] ?? '').trim();
      if (text.length > MAX_CELL_CHARS) problem(key, planFileMessages.cellTooLong);
      return text;
    };

    const typeText = cell('themeType');
    const type = THEME_TYPES.get(normaliseHeader(typeText));
    if (!typeText) problem('themeType', planFileMessages.themeTypeEmpty);
    else if (!type) problem('themeType', planFileMessages.themeTypeBad);

    const title = cell('theme').replace(/\s+/g, ' ');
    if (!title) problem('theme', planFileMessages.themeEmpty);
    else if (title.length > 200) problem('theme', planFileMessages.themeTooLong);

    const number = cell('number');
    if (!number) problem('number', planFileMessages.numberEmpty);
    else if (!/^\d{1,3}\.\d{1,3}$/.test(number)) problem('number', planFileMessages.numberBad);
    else {
      const earlier = rowOfNumber.get(number);
      if (earlier !== undefined) {
        problem(
          'number',
          `Action ${number} is on row ${earlier} and row ${row}: each number must be used once`,
        );
      } else rowOfNumber.set(number, row);
    }

    const action = cell('action');
    if (!action) problem('action', planFileMessages.actionEmpty);
    else if (action.length > 2000) problem('action', planFileMessages.actionTooLong);
    const desiredOutcome = cell('desiredOutcome');
    if (desiredOutcome.length > 2000) problem('desiredOutcome', planFileMessages.outcomeTooLong);

    const leads = splitLeads(cell('leads'));
    if (leads.length === 0) problem('leads', planFileMessages.leadEmpty);

    const milestoneLines = lines(cell('milestones'));
    const timescaleLines = lines(cell('timescales'));
    if (milestoneLines.some((l) => l.length > 1000)) {
      problem('milestones', planFileMessages.milestoneTooLong);
    }
    if (timescaleLines.some((l) => l.length > 200)) {
      problem('timescales', planFileMessages.timescaleTooLong);
    }
    const milestones = Array.from(
      { length: Math.max(milestoneLines.length, timescaleLines.length) },
      (_, i) => ({ text: milestoneLines[i] ?? '', timescale: timescaleLines[i] ?? '' }),
    );

    let status: Status | undefined;
    let update = cell('update');
    const statusText = cell('status');
    if (statusText) {
      status = parseStatus(statusText);
      if (!status) problem('status', planFileMessages.statusBad);
    } else if (update) {
      const split = splitStatus(update);
      status = split.status;
      update = split.narrative;
    }

    let updateMonth: string | undefined;
    const monthText = cell('updateMonth');
    if (monthText) {
      try {
        updateMonth = parseMonth(monthText);
      } catch {
        problem('updateMonth', planFileMessages.monthBad);
      }
    }

    if (problems.length >= MAX_PROBLEMS) break;
    if (!type || !title) continue;

    const key = title.toLowerCase();
    let found = themeByTitle.get(key);
    if (!found) {
      found = { theme: { type, title, actions: [] }, row };
      themeByTitle.set(key, found);
      themes.push(found.theme);
    } else if (found.theme.type !== type) {
      problem(
        'themeType',
        `Theme type must be the same on every row of a theme: row ${found.row} says ${found.theme.type === 'priority' ? 'Priority' : 'Cross-cutting theme'}`,
      );
      continue;
    }

    found.theme.actions.push({
      number,
      action,
      desiredOutcome,
      milestones,
      ...(milestoneLines.length !== timescaleLines.length
        ? {
            milestoneNote: `The file had ${count(milestoneLines.length, 'milestone')} and ${count(timescaleLines.length, 'timescale')}: check they are paired correctly`,
          }
        : {}),
      leads,
      ...(status ? { status } : {}),
      ...(update ? { update } : {}),
      ...(updateMonth ? { updateMonth } : {}),
    });
  }

  if (problems.length) throw new PlanFileError(problems.slice(0, MAX_PROBLEMS));
  return { themes, rows: dataRows.length };
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
