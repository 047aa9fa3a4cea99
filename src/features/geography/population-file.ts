import { FileError, readXlsxSheets, type FileProblem } from '../../core/grid-file.js';
import { MONTH_NAMES } from '../../domain/periods.js';

/**
 * ONS mid-year population estimates as published: a workbook of many sheets whose MYE4 sheet
 * holds each area's estimate year by year ("Mid-2023", "Mid-2022", …) under a header that
 * follows several rows of titles, and whose cover sheet names the release and its date.
 */

const SERIES_SHEET = 'MYE4';
const COVER_SHEET = 'Cover sheet';
const GSS_CODE = /^[EWSNKLM]\d{8}$/;
const LIMITS = { maxRows: 10_000, rowNoun: 'rows', maxColumns: 100 };

export interface PopulationFile {
  /** The release as ONS titles it: "Mid-Year Population Estimates, England and Wales, June 2023". */
  title: string;
  /** ISO date the release was published, or '' when the cover sheet does not say. */
  published: string;
  years: number[];
  estimates: { code: string; name: string; year: number; population: number }[];
}

export const populationMessages = {
  noSeriesSheet: (found: string[]) =>
    `The workbook has no ${SERIES_SHEET} sheet (population estimates by year, as in the ONS mid-year estimates). Sheets found: ${found.length ? found.join(', ') : 'none'}`,
  noHeader: `The ${SERIES_SHEET} sheet has no header row with Code, Name and year columns like Mid-2023`,
  empty: `The ${SERIES_SHEET} sheet has no areas under its header`,
  badCode: (value: string) =>
    `Code “${value}” is not an ONS area code (9 characters, like E07000113)`,
  badPopulation: (column: string, value: string) =>
    value === ''
      ? `${column} is blank: every area needs its estimate for every year`
      : `${column} “${value}” is not a whole number of people`,
  tooManyProblems: 'More than 20 rows have problems; the first 20 are listed',
};

export async function readPopulationFile(buffer: Buffer): Promise<PopulationFile> {
  const { sheetNames, sheets } = await readXlsxSheets(buffer, [SERIES_SHEET, COVER_SHEET], LIMITS);
  const grid = sheets[SERIES_SHEET];
  if (!grid) throw new FileError([{ message: populationMessages.noSeriesSheet(sheetNames) }]);

  const headerIndex = grid.findIndex(
    (row) =>
      row.some((c) => c.trim() === 'Code') &&
      row.some((c) => c.trim() === 'Name') &&
      row.some((c) => /^Mid-\d{4}$/.test(c.trim())),
  );
  const header = grid[headerIndex]?.map((c) => c.trim());
  if (!header) throw new FileError([{ message: populationMessages.noHeader }]);
  const codeAt = header.indexOf('Code');
  const nameAt = header.indexOf('Name');
  const yearColumns = header
    .map((h, i) => ({ header: h, index: i, year: Number(/^Mid-(\d{4})$/.exec(h)?.[1]) }))
    .filter((c) => c.year > 0);

  const problems: FileProblem[] = [];
  const estimates: PopulationFile['estimates'] = [];
  grid.slice(headerIndex + 1).forEach((row, i) => {
    const rowNumber = headerIndex + i + 2;
    const code = (row[codeAt] ?? '').trim();
    // Notes and blank rows below the table have no code.
    if (code === '') return;
    if (!GSS_CODE.test(code)) {
      problems.push({ row: rowNumber, column: 'Code', message: populationMessages.badCode(code) });
      return;
    }
    for (const c of yearColumns) {
      const value = (row[c.index] ?? '').trim();
      if (!/^\d+$/.test(value)) {
        problems.push({
          row: rowNumber,
          column: c.header,
          message: populationMessages.badPopulation(c.header, value),
        });
        continue;
      }
      estimates.push({
        code,
        name: (row[nameAt] ?? '').trim(),
        year: c.year,
        population: Number(value),
      });
    }
  });
  if (problems.length) {
    throw new FileError(
      problems.length > 20
        ? [...problems.slice(0, 20), { message: populationMessages.tooManyProblems }]
        : problems,
    );
  }
  if (!estimates.length) throw new FileError([{ message: populationMessages.empty }]);
  const { title, published } = release(sheets[COVER_SHEET] ?? []);
  return {
    title,
    published,
    years: yearColumns.map((c) => c.year).sort((a, b) => b - a),
    estimates,
  };
}

/** The release's title (the cover's first line) and the date it says it was published. */
function release(cover: string[][]): { title: string; published: string } {
  const lines = cover
    .flat()
    .map((c) => c.trim())
    .filter(Boolean);
  const [, day = '', monthName = '', year = ''] =
    lines
      .map((l) => /published at [\d.]+\s*[ap]m\s+(\d{1,2}) (\w+) (\d{4})/i.exec(l))
      .find((m) => m) ?? [];
  const month = MONTH_NAMES.indexOf(monthName) + 1;
  return {
    title: lines[0] ?? 'Mid-year population estimates',
    published: month > 0 ? `${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}` : '',
  };
}
