/**
 * Writes a grid of text as CSV or as an Excel workbook. A cell a spreadsheet would run as a
 * formula (one starting = + - @, a tab or a carriage return) is written with an apostrophe in
 * front, so opening an export never runs what someone typed into a form; importing the file
 * again takes the apostrophe off (see grid-file.ts).
 */
import ExcelJS from 'exceljs';

const FORMULA_START = /^'*[=+\-@\t\r]/;

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The inverse of neutralise, for files that come back. */
export function restoreNeutralised(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text) ? text.slice(1) : text;
}

const quoteCsv = (cell: string): string =>
  /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;

/** UTF-8 with a byte order mark, so Excel shows £ and curly quotes as written. */
export function toCsv(rows: string[][]): Buffer {
  const text = rows.map((r) => r.map((c) => quoteCsv(neutralise(c))).join(',')).join('\r\n');
  return Buffer.from(`\uFEFF${text}\r\n`, 'utf8');
}

export async function toXlsx(
  rows: string[][],
  opts: { sheet: string; widths: number[] },
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Saferplan';
  const sheet = workbook.addWorksheet(opts.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = opts.widths.map((width) => ({ width }));
  for (const r of rows) {
    const row = sheet.addRow(r.map(neutralise));
    row.alignment = { vertical: 'top', wrapText: true };
  }
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
