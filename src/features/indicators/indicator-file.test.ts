import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../core/grid-file.js';
import { toCsv, toXlsx } from '../../core/grid-export.js';
import {
  indicatorFileRows,
  indicatorFileMessages as msg,
  readGrid,
  readIndicatorFile,
} from './indicator-file.js';
import type { Indicator, IndicatorFigures } from './indicators.repository.js';

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
          { row: 2, month: '2024-04', months: 1, text: '1,204' },
          { row: 3, month: '2024-05', months: 1, text: '1198' },
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

  it('reads a 12-month total from Months 12, beside the months it covers', () => {
    const file = readGrid(
      [
        [...HEADER, 'Months'],
        ['KSI casualties', '2024-03', '52', '', '', '', '', '', '12'],
        ['KSI casualties', '2024-03', '4', '', '', '', '', '', '1'],
        ['KSI casualties', '2024-02', '5', '', '', '', '', '', ''],
      ],
      TODAY,
    );
    expect(file.problems).toEqual([]);
    expect(file.indicators[0]?.values.map((v) => [v.month, v.months, v.text])).toEqual([
      ['2024-03', 12, '52'],
      ['2024-03', 1, '4'],
      ['2024-02', 1, '5'],
    ]);
    expect(
      problemsOf([
        [...HEADER, 'Months'],
        ['KSI', '2024-03', '52', '', '', '', '', '', '12'],
        ['KSI', '2024-04', '50', '', '', '', '', '', '3'],
        ['KSI', '2024-05', '50', '', '', '', '', '', 'twelve'],
        ['KSI', '2024-03', '53', '', '', '', '', '', '12'],
      ]),
    ).toEqual([
      `3|Months|${msg.monthsBad}`,
      `4|Months|${msg.monthsBad}`,
      '5|Month|KSI has a 12-month total for April 2023 to March 2024 on row 2 and row 5: give each total once',
    ]);
  });

  it('writes every figure in the columns it reads, so a file reads back as written', async () => {
    const indicators: (Indicator & { figures: IndicatorFigures })[] = [
      {
        id: 1,
        name: '=Repeat callers',
        source: 'Kent Police',
        unit: 'percentage',
        noun: '',
        polarity: 'increase-bad',
        notes: '',
        theme: {
          id: 3,
          title: 'Listening',
          type: 'priority',
          planId: 1,
          planTitle: 'Plan',
          periodLabel: '2024/25',
        },
        figures: {
          months: [
            { month: '2024-04', value: '27.5' },
            { month: '2024-05', value: '26.1' },
          ],
          totals: [{ endMonth: '2024-03', value: '26.95' }],
        },
      },
      ...(['count', 'rate'] as const).flatMap((unit) =>
        (['increase-good', 'neutral'] as const).map((polarity) => ({
          id: 2,
          name: `Visits ${unit} ${polarity}`,
          source: '',
          unit,
          noun: 'visits',
          polarity,
          notes: '',
          theme: null,
          figures: { months: [{ month: '2024-01', value: '40' }], totals: [] },
        })),
      ),
      {
        id: 9,
        name: 'No figures',
        source: '',
        unit: 'count',
        noun: '',
        polarity: 'neutral',
        notes: '',
        theme: null,
        figures: { months: [], totals: [] },
      },
    ];
    const rows = indicatorFileRows(indicators);
    expect(rows.slice(0, 4)).toEqual([
      [...HEADER, 'Months'],
      [
        '=Repeat callers',
        '2024-04',
        '27.5',
        'Listening',
        'Kent Police',
        'Percentage',
        'Increase is bad',
        '',
        '1',
      ],
      ['=Repeat callers', '2024-05', '26.1', '', '', '', '', '', '1'],
      ['=Repeat callers', '2024-03', '26.95', '', '', '', '', '', '12'],
    ]);
    for (const [content, name] of [
      [toCsv(rows), 'figures.csv'],
      [await toXlsx(rows, { sheet: 'Indicators', widths: [] }), 'figures.xlsx'],
    ] as const) {
      const file = await readIndicatorFile(content, name, TODAY);
      expect(file.problems).toEqual([]);
      // Every indicator with a figure, with its details, unit and polarity as they were.
      expect(
        file.indicators.map((e) => [e.name, e.theme?.title, e.source, e.unit, e.polarity, e.noun]),
      ).toEqual(
        indicators
          .filter((i) => i.figures.months.length)
          .map((i) => [
            i.name,
            i.theme?.title,
            i.source || undefined,
            i.unit,
            i.polarity,
            i.noun || undefined,
          ]),
      );
      expect(file.indicators[0]?.values.map((v) => [v.month, v.months, v.text])).toEqual([
        ['2024-04', 1, '27.5'],
        ['2024-05', 1, '26.1'],
        ['2024-03', 12, '26.95'],
      ]);
    }
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
