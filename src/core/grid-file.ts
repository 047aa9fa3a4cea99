/**
 * Reads an untrusted CSV or Excel (.xlsx) file as a grid of text, the first sheet's rows as a
 * person sees them in Excel, or refuses it with a clear message. Importers turn the grid into
 * their own records; rows are numbered as the spreadsheet numbers them, the header being row 1.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { inflateRawSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { MONTH_NAMES } from '../domain/periods.js';
import { restoreNeutralised } from './grid-export.js';

export interface FileProblem {
  row?: number;
  column?: string;
  message: string;
}

/** A file refused, with every problem found. */
export class FileError extends Error {
  constructor(readonly problems: FileProblem[]) {
    super(problems.map(describeProblem).join('\n'));
    this.name = 'FileError';
  }
}

export function describeProblem(p: FileProblem): string {
  const where = [p.row === undefined ? '' : `Row ${p.row}`, p.column ?? ''].filter(Boolean);
  return where.length ? `${where.join(', ')}: ${p.message}` : p.message;
}

export interface GridLimits {
  /** Rows below the header. */
  maxRows: number;
  /** What a row holds, for the message: "actions", "indicators". */
  rowNoun: string;
  /** The most columns a row needs; a CSV row longer than all of them at their longest is refused. */
  maxColumns: number;
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_EXPANDED_BYTES = 50 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 2000;
export const MAX_CELL_CHARS = 20_000;

export const fileMessages = {
  notCsvOrXlsx: 'The file must be a CSV or an Excel .xlsx file',
  notXlsx: 'The file must be an Excel .xlsx workbook',
  notUtf8: 'The CSV file must be saved as UTF-8: in Excel, save it as “CSV UTF-8”',
  tooLarge: 'The file must be smaller than 10 MB',
  empty: 'The file is empty',
  expandsTooFar: `The spreadsheet expands to more than ${MAX_EXPANDED_BYTES / 1024 / 1024} MB when opened`,
  tooManyParts: `The spreadsheet has more than ${MAX_ZIP_ENTRIES.toLocaleString('en-GB')} parts inside it`,
  unreadableXlsx: 'The Excel file could not be read: save it again as an .xlsx workbook',
  tooSlow: 'The spreadsheet took too long to open: save it with only the sheet to import in it',
  unreadableCsv: 'The CSV file could not be read: check that quoted cells have a closing quote',
  rowTooLong: `Row is too long: each cell must be ${MAX_CELL_CHARS.toLocaleString('en-GB')} characters or fewer`,
  cellTooLong: `Cell must be ${MAX_CELL_CHARS.toLocaleString('en-GB')} characters or fewer`,
};

export const tooManyRows = (limits: GridLimits): string =>
  `The file must have ${limits.maxRows.toLocaleString('en-GB')} ${limits.rowNoun} or fewer`;

export async function readGridFile(
  buffer: Buffer,
  filename: string,
  limits: GridLimits,
): Promise<string[][]> {
  if (buffer.length > MAX_FILE_BYTES) fail(fileMessages.tooLarge);
  if (buffer.length === 0) fail(fileMessages.empty);
  const grid = isZip(buffer)
    ? await readXlsxGrid(buffer, limits)
    : readCsvGrid(buffer, filename, limits);
  return grid.map((row) => row.map(restoreNeutralised));
}

export function fail(message: string): never {
  throw new FileError([{ message }]);
}

export const isBlankRow = (row: string[]): boolean => row.every((c) => c.trim() === '');

// ---------------------------------------------------------------------------------------------
// CSV

function readCsvGrid(buffer: Buffer, filename: string, limits: GridLimits): string[][] {
  // A text file renamed .xlsx (or an old .xls) is not what the name promises: refuse it.
  if (/\.xlsx?$/i.test(filename)) fail(fileMessages.notCsvOrXlsx);
  // Text never holds NUL bytes; images, PDFs and old .xls files do.
  if (buffer.includes(0)) fail(fileMessages.notCsvOrXlsx);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    // Excel's plain "CSV (Comma delimited)" is not UTF-8: £ and curly quotes would come out wrong.
    fail(/\.csv$/i.test(filename) ? fileMessages.notUtf8 : fileMessages.notCsvOrXlsx);
  }
  try {
    return parseCsv(text, {
      bom: true,
      relax_column_count: true,
      // Room for every column at its longest; the cells are checked one by one later.
      max_record_size: MAX_CELL_CHARS * limits.maxColumns,
    });
  } catch (e) {
    // Records are what a spreadsheet shows as rows; csv-parse counts those read before the bad one.
    const { code, records } = e as { code?: string; records?: number };
    const message =
      code === 'CSV_MAX_RECORD_SIZE' ? fileMessages.rowTooLong : fileMessages.unreadableCsv;
    throw new FileError([{ ...(records === undefined ? {} : { row: records + 1 }), message }]);
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
  if (eocd < 0) fail(fileMessages.unreadableXlsx);
  const count = buffer.readUInt16LE(eocd + 10);
  const cdOffset = buffer.readUInt32LE(eocd + 16);
  // Zip64 markers: no spreadsheet we accept needs them.
  if (count === 0xffff || cdOffset === 0xffffffff) fail(fileMessages.expandsTooFar);
  if (count > MAX_ZIP_ENTRIES) fail(fileMessages.tooManyParts);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buffer.length || buffer.readUInt32LE(p) !== 0x02014b50) {
      fail(fileMessages.unreadableXlsx);
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
    if (e.size === 0xffffffff || total > MAX_EXPANDED_BYTES) fail(fileMessages.expandsTooFar);
  }
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) fail(fileMessages.notCsvOrXlsx);
  for (const e of entries) {
    if (e.method !== 8) continue;
    const local = e.localOffset;
    if (local + 30 > buffer.length || buffer.readUInt32LE(local) !== 0x04034b50) {
      fail(fileMessages.unreadableXlsx);
    }
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + e.compressedSize);
    let out: Buffer;
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        fail(fileMessages.expandsTooFar);
      }
      fail(fileMessages.unreadableXlsx);
    }
    if (out.length !== e.size) fail(fileMessages.unreadableXlsx);
  }
}

const WORKER_LIMITS = { maxOldGenerationSizeMb: 768, maxYoungGenerationSizeMb: 64 };
const WORKER_TIMEOUT_MS = 30_000;
// Workers do not inherit the TypeScript loader the process was started with: load it first.
const WORKER_SOURCE = (() => {
  const tsx = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsx, 'dist/esm/api/index.mjs')).href;
  const file = new URL('./grid-file.worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`;
})();

/**
 * Opens the workbook in a worker with a memory ceiling and a time limit: the spreadsheet
 * library keeps the whole workbook in memory and blocks while it parses, so the server
 * stays responsive and a hostile file costs at most the worker.
 */
async function readXlsxGrid(buffer: Buffer, limits: GridLimits): Promise<string[][]> {
  const reply = await inWorker({ buffer, limits });
  if (!('grid' in reply)) throw new Error('the worker answered with sheets');
  return reply.grid;
}

/**
 * The named sheets of a workbook, as rows of text, and the names of all its sheets: for
 * published workbooks whose data sits on a sheet of a known name among many others.
 */
export async function readXlsxSheets(
  buffer: Buffer,
  names: string[],
  limits: GridLimits,
): Promise<SheetsReply> {
  if (buffer.length > MAX_FILE_BYTES) fail(fileMessages.tooLarge);
  if (buffer.length === 0) fail(fileMessages.empty);
  if (!isZip(buffer)) fail(fileMessages.notXlsx);
  const reply = await inWorker({ buffer, limits, sheets: names });
  if (!('sheets' in reply)) throw new Error('the worker answered with one grid');
  return reply;
}

async function inWorker(input: WorkerInput): Promise<GridReply | SheetsReply> {
  checkZipExpansion(input.buffer as Buffer);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    resourceLimits: WORKER_LIMITS,
    workerData: input,
  });
  try {
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new FileError([{ message: fileMessages.tooSlow }]));
      }, WORKER_TIMEOUT_MS);
      worker.once('message', (m: WorkerReply) => {
        clearTimeout(timer);
        resolve(m);
      });
      worker.once('exit', () => {
        clearTimeout(timer);
        reject(new FileError([{ message: fileMessages.unreadableXlsx }]));
      });
      worker.once('error', (e: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(
          new FileError([
            {
              message:
                e.code === 'ERR_WORKER_OUT_OF_MEMORY'
                  ? fileMessages.expandsTooFar
                  : fileMessages.unreadableXlsx,
            },
          ]),
        );
      });
    });
    if ('problems' in reply) throw new FileError(reply.problems);
    return reply;
  } finally {
    await worker.terminate();
  }
}

export interface WorkerInput {
  buffer: Uint8Array;
  limits: GridLimits;
  /** Read these sheets (by name) rather than the first. */
  sheets?: string[];
}
interface GridReply {
  grid: string[][];
}
export interface SheetsReply {
  sheetNames: string[];
  sheets: Record<string, string[][]>;
}
export type WorkerReply = GridReply | SheetsReply | { problems: FileProblem[] };

/** The first sheet as rows of text; runs inside the worker. */
export async function xlsxGrid(buffer: Buffer, limits: GridLimits): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    fail(fileMessages.unreadableXlsx);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) fail(fileMessages.empty);
  if (sheet.actualRowCount > limits.maxRows + 1) fail(tooManyRows(limits));
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

/**
 * The named sheets, read as a stream so the other sheets of a large workbook are passed over
 * rather than kept; runs inside the worker.
 */
export async function xlsxSheets(
  buffer: Buffer,
  names: string[],
  limits: GridLimits,
): Promise<SheetsReply> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  const reply: SheetsReply = { sheetNames: [], sheets: {} };
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      reply.sheetNames.push(name);
      const wanted = names.includes(name);
      const grid: string[][] = [];
      for await (const row of sheet) {
        if (!wanted) continue;
        if (row.number > limits.maxRows + 1) fail(tooManyRows(limits));
        const cells: string[] = [];
        row.eachCell({ includeEmpty: true }, (cell, col) => {
          cells[col - 1] = cellText(cell.value, cell.numFmt);
        });
        grid[row.number - 1] = Array.from(cells, (c) => c ?? '');
      }
      if (wanted) reply.sheets[name] = Array.from(grid, (r) => r ?? []);
    }
  } catch (e) {
    if (e instanceof FileError) throw e;
    fail(fileMessages.unreadableXlsx);
  }
  return reply;
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
