import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FileError, fileMessages, readGridFile, type FileProblem } from './grid-file.js';

const LIMITS = { maxRows: 10, rowNoun: 'rows', maxColumns: 3 };
const read = (buffer: Buffer, filename: string) => readGridFile(buffer, filename, LIMITS);

async function problemsOf(p: Promise<unknown>): Promise<FileProblem[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FileError) return e.problems;
    throw e;
  }
  throw new Error('The file was accepted');
}

async function xlsx(rows: unknown[][], sheet = 'Data'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  wb.addWorksheet('Notes').addRow(['This sheet is ignored']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface ZipPart {
  name: string;
  data: Buffer;
  /** The uncompressed size the zip claims, whatever the data really holds. */
  declared: number;
}

/** A zip written by hand, so its declared sizes can lie. */
function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(p.declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(p.declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const part = (name: string, text: string): ZipPart => {
  const raw = Buffer.from(text);
  return { name, data: deflateRawSync(raw), declared: raw.length };
};

describe('reading a file as a grid', () => {
  it('reads a CSV and the first sheet of a workbook alike', async () => {
    const rows = [
      ['Name', 'Count'],
      ['Café', '1'],
    ];
    const fromCsv = await read(Buffer.from('\uFEFFName,Count\r\nCafé,1\r\n'), 'file.csv');
    expect(fromCsv).toEqual(rows);
    expect(await read(await xlsx(rows), 'file.xlsx')).toEqual(rows);
  });

  it('refuses more rows than the importer takes, naming what the rows hold', async () => {
    const rows = [['Name'], ...Array.from({ length: 11 }, (_, i) => [`Row ${i}`])];
    expect(await problemsOf(read(await xlsx(rows), 'file.xlsx'))).toEqual([
      { message: 'The file must have 10 rows or fewer' },
    ]);
  });

  it('refuses files over 10 MB and empty files', async () => {
    expect(await problemsOf(read(Buffer.alloc(10 * 1024 * 1024 + 1, 65), 'file.csv'))).toEqual([
      { message: fileMessages.tooLarge },
    ]);
    expect(await problemsOf(read(Buffer.alloc(0), 'file.csv'))).toEqual([
      { message: fileMessages.empty },
    ]);
  });

  it('refuses a file that is neither CSV nor Excel', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(await problemsOf(read(png, 'file.csv'))).toEqual([
      { message: 'The file must be a CSV or an Excel .xlsx file' },
    ]);
  });

  it('asks for UTF-8 when a CSV was saved in another encoding', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('Name,Count\n'),
      Buffer.from([0x93, 0x41, 0x94, 0x0a]),
    ]);
    expect(await problemsOf(read(latin1, 'file.csv'))).toEqual([
      { message: 'The CSV file must be saved as UTF-8: in Excel, save it as “CSV UTF-8”' },
    ]);
    expect(await problemsOf(read(latin1, 'file.pdf'))).toEqual([
      { message: fileMessages.notCsvOrXlsx },
    ]);
  });

  it('refuses a text file renamed .xlsx', async () => {
    expect(await problemsOf(read(Buffer.from('Name,Count\nA,1\n'), 'file.xlsx'))).toEqual([
      { message: fileMessages.notCsvOrXlsx },
    ]);
  });

  it('refuses a zip that is not a workbook, such as a Word document', async () => {
    const docx = zip([part('word/document.xml', '<w:document/>')]);
    expect(await problemsOf(read(docx, 'file.docx'))).toEqual([
      { message: fileMessages.notCsvOrXlsx },
    ]);
  });

  it('refuses a workbook that is damaged', async () => {
    const good = await xlsx([
      ['Name', 'Count'],
      ['A', 1],
    ]);
    const damaged = Buffer.concat([good.subarray(0, 200), Buffer.alloc(500, 7)]);
    expect(await problemsOf(read(damaged, 'file.xlsx'))).toEqual([
      { message: fileMessages.unreadableXlsx },
    ]);
  });

  it('refuses a CSV with a quote that never closes', async () => {
    const bad = Buffer.from('Name,Count\nA,"1\n');
    expect(await problemsOf(read(bad, 'file.csv'))).toEqual([
      { row: 2, message: fileMessages.unreadableCsv },
    ]);
  });

  it('refuses quickly, without expanding it, a workbook declaring a huge size', async () => {
    const bomb = zip([
      part('[Content_Types].xml', '<Types/>'),
      part('xl/workbook.xml', '<workbook/>'),
      { ...part('xl/worksheets/sheet1.xml', '<worksheet/>'), declared: 3_000_000_000 },
    ]);
    const started = performance.now();
    const problems = await problemsOf(read(bomb, 'file.xlsx'));
    expect(performance.now() - started).toBeLessThan(200);
    expect(problems).toEqual([
      { message: 'The spreadsheet expands to more than 50 MB when opened' },
    ]);
  });

  it('refuses a workbook whose parts expand beyond the size they declare', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const liar = zip([
      part('xl/workbook.xml', '<workbook/>'),
      { name: 'xl/worksheets/sheet1.xml', data: deflateRawSync(zeros), declared: 1000 },
    ]);
    expect(await problemsOf(read(liar, 'file.xlsx'))).toEqual([
      { message: fileMessages.expandsTooFar },
    ]);
  });

  it('refuses a workbook with thousands of parts', async () => {
    const parts = Array.from({ length: 2001 }, (_, i) => part(`xl/media/p${i}.xml`, 'x'));
    expect(await problemsOf(read(zip(parts), 'file.xlsx'))).toEqual([
      { message: 'The spreadsheet has more than 2,000 parts inside it' },
    ]);
  });
});

describe('reading Excel cells as a person sees them', () => {
  it('reads rich text, formula results, hyperlinks and dates', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Data');
    const r = ws.addRow([]);
    r.getCell(1).value = {
      richText: [{ text: 'Safer ', font: { bold: true } }, { text: 'streets' }],
    };
    r.getCell(2).value = { formula: '"1."&"1"', result: '1.1' };
    r.getCell(3).value = { text: 'Walk the route', hyperlink: 'https://example.org/route' };
    r.getCell(4).value = new Date(Date.UTC(2022, 3, 1));
    r.getCell(4).numFmt = 'dd/mm/yyyy';
    r.getCell(5).value = new Date(Date.UTC(2022, 4, 1));
    r.getCell(5).numFmt = 'mmm-yy';
    r.getCell(6).value = 42;
    const grid = await read(Buffer.from(await wb.xlsx.writeBuffer()), 'file.xlsx');
    expect(grid).toEqual([
      ['Safer streets', '1.1', 'Walk the route', '01/04/2022', 'May 2022', '42'],
    ]);
  });
});
