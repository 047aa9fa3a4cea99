import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../core/grid-file.js';
import { indicatorFileMessages as msg, readGrid, readIndicatorFile } from './indicator-file.js';

const TODAY = '2025-06-15';
const HEADER = ['Indicator', 'Month', 'Value', 'Theme', 'Source', 'Unit', 'Polarity', 'Noun'];

const problemsOf = (grid: string[][]) =>
  readGrid(grid, TODAY).problems.map((p) => `${p.row ?? ''}|${p.column ?? ''}|${p.message}`);

describe('reading an indicator file', () => {
  it('groups rows by indicator, case and spacing aside, taking details from any row', () => {
    const file = readGrid(
      [
        ['value', ' MONTH ', 'indicator', 'Extra'],
        ['1,204', '2024-04', 'ASB incidents', 'ignored'],
        ['1198', '2024-05', 'asb  incidents', ''],
      ],
      TODAY,
    );
    expect(file.problems).toEqual([]);
    expect(file.indicators).toEqual([
      {
        name: 'ASB incidents',
        row: 2,
        values: [
          { row: 2, month: '2024-04', text: '1,204' },
          { row: 3, month: '2024-05', text: '1198' },
        ],
      },
    ]);
  });

  it('reads the optional details, in the words people use', () => {
    const [entry] = readGrid(
      [
        HEADER,
        ['Repeat callers', '2024-04', '27.5%', '', '', '', '', ''],
        ['Repeat callers', '2024-05', '26.1', 'Listening', 'Kent Police', '%', 'Bad', 'callers'],
      ],
      TODAY,
    ).indicators;
    expect(entry).toMatchObject({
      theme: { title: 'Listening', row: 3 },
      source: 'Kent Police',
      unit: 'percentage',
      polarity: 'increase-bad',
      noun: 'callers',
    });
  });

  it('finds every problem, each by row and column', () => {
    expect(
      problemsOf([
        HEADER,
        ['', '2024-04', '1', '', '', '', '', ''],
        ['ASB', '', '', '', '', '', '', ''],
        ['ASB', '2025-07', '-4', '', '', 'Count', '', ''],
        ['ASB', '2024-04', '1', '', '', 'Rate', 'Upwards', ''],
        ['ASB', '04/2024', '2', '', '', '', '', ''],
        ['ASB', 'April 2024', '3', '', '', '', '', ''],
      ]),
    ).toEqual([
      `2|Indicator|${msg.nameEmpty}`,
      `3|Month|${msg.monthEmpty}`,
      `3|Value|${msg.valueEmpty}`,
      `4|Month|${msg.monthFuture}`,
      '4|Value|Value must be 0 or more',
      '5|Unit|Unit must be the same on every row of ASB: row 4 says Count',
      `5|Polarity|${msg.polarityBad}`,
      `6|Month|${msg.monthBad}`,
      '7|Month|ASB has April 2024 on row 5 and row 7: give each month once',
    ]);
  });

  it('refuses a file without its required columns outright', () => {
    expect(() =>
      readGrid(
        [
          ['Indicator', 'Value'],
          ['ASB', '1'],
        ],
        TODAY,
      ),
    ).toThrow('The file is missing the column: Month');
  });

  it('reads an Excel workbook, months typed as dates included', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Figures');
    sheet.addRow(['Indicator', 'Month', 'Value']);
    sheet.addRow(['Shoplifting', new Date(Date.UTC(2024, 8, 1)), 97]);
    sheet.getCell('B2').numFmt = 'mmm-yy';
    sheet.addRow(['Shoplifting', '2024-10', 101]);
    const content = Buffer.from(await book.xlsx.writeBuffer());
    const file = await readIndicatorFile(content, 'figures.xlsx', TODAY);
    expect(file.problems).toEqual([]);
    expect(file.indicators[0]?.values.map((v) => [v.month, v.text])).toEqual([
      ['2024-09', '97'],
      ['2024-10', '101'],
    ]);
    await expect(readIndicatorFile(Buffer.from(''), 'empty.csv', TODAY)).rejects.toBeInstanceOf(
      FileError,
    );
  });
});
