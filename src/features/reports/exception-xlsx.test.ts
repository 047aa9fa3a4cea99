import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { flaggedReport, sampleReport } from '../../../test/helpers/report-fixture.js';
import type { ExceptionReport } from './exception-report.js';
import { exceptionReportXlsx } from './exception-xlsx.js';

async function read(xlsx: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  return workbook;
}

function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = workbook.getWorksheet(name);
  if (!found) throw new Error(`No sheet ${name}`);
  return found;
}

/** Each row's cell values, empty cells as null. */
function rows(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow((row) => {
    const values: unknown[] = [];
    for (let c = 1; c <= ws.columnCount; c++) values.push(row.getCell(c).value ?? null);
    out.push(values);
  });
  return out;
}

describe('the exception report as a spreadsheet', () => {
  it('gives a row per indicator, its figures as numbers where both years are complete', async () => {
    const figures = sheet(await read(await exceptionReportXlsx(sampleReport())), 'Figures');
    expect(rows(figures)).toEqual([
      [
        'Theme type',
        'Theme',
        'Indicator',
        'Source',
        'Unit',
        'Previous from',
        'Previous to',
        'Previous figure',
        'Current from',
        'Current to',
        'Current figure',
        'Change',
        'Change (%)',
        'Change text',
        'Direction',
        'Complete',
        'Flagged months',
      ],
      [
        'Priority',
        'Domestic abuse',
        'Domestic abuse incidents',
        'Kent Police',
        'Count',
        '2020-09',
        '2021-08',
        3300,
        '2021-09',
        '2022-08',
        3471,
        171,
        5.2,
        '5.2% or 171 incident increase',
        'Neutral',
        'Yes',
        null,
      ],
      [
        'Priority',
        'Domestic abuse',
        'Repeat victims per 1,000',
        'Kent Police',
        'Rate',
        '2020-09',
        '2021-08',
        6,
        '2021-09',
        '2022-08',
        3,
        -3,
        -50,
        '-50.0% or 3 decrease',
        'Better',
        'Yes',
        null,
      ],
      [
        'Priority',
        'Domestic abuse',
        'MARAC cases',
        'MARAC',
        'Count',
        '2020-09',
        '2021-08',
        120,
        '2021-09',
        '2022-08',
        'incomplete (10 of 12 months)',
        null,
        null,
        'incomplete (10 of 12 months)',
        null,
        'No',
        null,
      ],
    ]);
    for (const ref of ['H2', 'K2', 'L2', 'M2', 'H4']) {
      expect(figures.getCell(ref).type).toBe(ExcelJS.ValueType.Number);
    }
    expect(figures.getCell('K4').type).toBe(ExcelJS.ValueType.String);
    expect(figures.getCell('H2').numFmt).toBe('#,##0');
  });

  it('names the flagged police.uk months of an indicator in its row', async () => {
    const figures = sheet(await read(await exceptionReportXlsx(flaggedReport())), 'Figures');
    expect(figures.getCell('Q2').value).toBe(
      'November 2020 (Kent Police: records fell to half of the months around it); August 2022 (Kent Police: records fell to a third of the months around it)',
    );
    expect(figures.getCell('Q3').value).toBeNull();
  });

  it('counts each theme’s actions in the three groups, with the total', async () => {
    const counts = sheet(await read(await exceptionReportXlsx(sampleReport())), 'Action counts');
    expect(rows(counts)).toEqual([
      ['Theme type', 'Theme', 'Complete', 'In Progress', 'Not yet started/Off track', 'Total'],
      ['Priority', 'Domestic abuse', 1, 1, 1, 3],
      ['Cross-cutting theme', 'Substance misuse', 0, 0, 1, 1],
    ]);
  });

  it('makes each sheet’s header row bold and keeps it in view', async () => {
    const workbook = await read(await exceptionReportXlsx(sampleReport()));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Report', 'Figures', 'Action counts']);
    for (const ws of workbook.worksheets) {
      expect(ws.getCell('A1').font.bold).toBe(true);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
  });

  it('says which report and edition it is, and which figures are incomplete', async () => {
    const report = rows(sheet(await read(await exceptionReportXlsx(sampleReport())), 'Report'));
    expect(report[0]?.[0]).toBe('Exception report: Community Safety Plan 2022/23');
    expect(report).toContainEqual(['Status', 'Version 1, issued 12 October 2022']);
    expect(report).toContainEqual(['Date', '12 October 2022']);
    expect(report).toContainEqual([
      'Incomplete figures',
      'MARAC cases: Current rolling year (Sep 21 – end Aug 22) incomplete (10 of 12 months)',
    ]);
    expect(JSON.stringify(report)).not.toMatch(/draft/i);
  });

  it('never lets text someone typed run as a formula', async () => {
    const typed = sampleReport();
    const [abuse] = typed.themes;
    if (!abuse?.indicators[0]) throw new Error('The sample changed');
    abuse.title = '+SUM(1,2)';
    abuse.indicators[0].name = '=HYPERLINK("http://example.com","Click")';
    abuse.indicators[0].source = '@source';
    const xlsx = await exceptionReportXlsx(typed);
    const workbook = await read(xlsx);
    const figures = sheet(workbook, 'Figures');
    expect(figures.getCell('B2').value).toBe("'+SUM(1,2)");
    expect(figures.getCell('C2').value).toBe('\'=HYPERLINK("http://example.com","Click")');
    expect(figures.getCell('D2').value).toBe("'@source");
    expect(sheet(workbook, 'Action counts').getCell('B2').value).toBe("'+SUM(1,2)");
    // No cell of any sheet is a formula.
    const zip = await JSZip.loadAsync(xlsx);
    const sheets = zip.file(/^xl\/worksheets\/sheet\d+\.xml$/);
    expect(sheets).toHaveLength(3);
    for (const s of sheets) expect(await s.async('string')).not.toMatch(/<f[ >]/);
  });
});

describe('a draft exception report as a spreadsheet', () => {
  it('says it is a draft on its first sheet, in its title and on every printed page', async () => {
    const draft: ExceptionReport = {
      ...sampleReport(),
      edition: { status: 'draft', version: null, issuedAt: null, issuedBy: null },
    };
    const workbook = await read(await exceptionReportXlsx(draft));
    const [first] = workbook.worksheets;
    expect(first?.getCell('A1').value).toBe(
      'Draft exception report: Community Safety Plan 2022/23',
    );
    expect(first?.getCell('B2').value).toBe(
      'Draft: not yet issued. Figures and updates may change.',
    );
    expect(workbook.title).toBe('Draft exception report: Community Safety Plan 2022/23');
    for (const ws of workbook.worksheets) {
      expect(ws.headerFooter.oddHeader).toContain('DRAFT – not yet issued');
    }
  });
});
