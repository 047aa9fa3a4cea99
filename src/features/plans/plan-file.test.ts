import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FileError, type FileProblem } from '../../core/grid-file.js';
import {
  MAX_ROWS,
  planFileMessages as msg,
  readPlanFile,
  splitLeads,
  type PlanFile,
} from './plan-file.js';

const HEADER = [
  'Theme type',
  'Theme',
  'No.',
  'Action',
  'Desired outcome',
  'Key milestones',
  'Timescales',
  'Lead agency',
  'Status',
  'Update',
  'Update month',
];

type Row = string[];

/** One action row; `over` replaces cells by header name. */
function row(over: Partial<Record<(typeof HEADER)[number], string>> = {}): Row {
  const base: Record<string, string> = {
    'Theme type': 'Priority',
    Theme: 'Safer streets',
    'No.': '1.1',
    Action: 'Walk the route with residents',
    'Desired outcome': 'People feel safer',
    'Key milestones': 'Plan the walk',
    Timescales: 'May 2024',
    'Lead agency': 'Council',
    Status: '',
    Update: '',
    'Update month': '',
  };
  return HEADER.map((h) => over[h] ?? base[h] ?? '');
}

const quote = (c: string): string => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

function csv(rows: Row[], eol = '\n'): Buffer {
  return Buffer.from(rows.map((r) => r.map(quote).join(',')).join(eol) + eol, 'utf8');
}

async function xlsx(rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Plan');
  for (const r of rows) ws.addRow(r);
  wb.addWorksheet('Notes').addRow(['This sheet is ignored']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function problemsOf(p: Promise<PlanFile>): Promise<FileProblem[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FileError) return e.problems;
    throw e;
  }
  throw new Error('The file was accepted');
}

const readCsv = (rows: Row[]) => readPlanFile(csv(rows), 'plan.csv');

describe('the sample action plan', () => {
  it('reads the CSV into themes in order, with their actions', async () => {
    const plan = await readPlanFile(readFileSync('samples/action-plan.csv'), 'action-plan.csv');
    expect(plan.rows).toBe(10);
    expect(plan.themes.map((t) => [t.type, t.title, t.actions.length])).toEqual([
      ['priority', 'Safer town centres at night', 3],
      ['priority', 'Domestic abuse', 3],
      ['priority', 'Young people and exploitation', 2],
      ['cross-cutting', 'Listening to communities', 2],
    ]);
    const all = plan.themes.flatMap((t) => t.actions);
    expect(all.every((a) => a.milestoneNote === undefined)).toBe(true);
    expect(all[0]).toMatchObject({
      number: '1.1',
      leads: ['Police', 'Council licensing'],
      status: 'in-progress',
      updateMonth: '2024-09',
    });
  });

  it('reads the Excel copy exactly as the CSV', async () => {
    const fromCsv = await readPlanFile(readFileSync('samples/action-plan.csv'), 'a.csv');
    const fromXlsx = await readPlanFile(readFileSync('samples/action-plan.xlsx'), 'a.xlsx');
    expect(fromXlsx).toEqual(fromCsv);
  });
});

describe('reading rows', () => {
  const rows: Row[] = [
    HEADER,
    row({
      'No.': '1.1',
      'Key milestones': 'Agree the route\nWalk it\nReport back',
      Timescales: 'April 2024\nMay 2024\nBy March 25',
      'Lead agency': 'Police / Council; VCS\nHealth',
      Update: 'In progress - two walks done, more booked',
      'Update month': '2024-06',
    }),
    row({ 'Theme type': 'Cross-cutting theme', Theme: 'Listening', 'No.': '9.1' }),
    row({ 'No.': '1.2', Status: 'on HOLD', Update: 'Waiting for funding' }),
  ];

  it('gives the same plan from CSV and from Excel', async () => {
    const fromCsv = await readPlanFile(csv(rows), 'plan.csv');
    const fromXlsx = await readPlanFile(await xlsx(rows), 'plan.xlsx');
    expect(fromXlsx).toEqual(fromCsv);
    expect(fromCsv.themes.map((t) => t.title)).toEqual(['Safer streets', 'Listening']);
  });

  it('pairs milestones with timescales, splits leads and takes the status from the update', async () => {
    const plan = await readCsv(rows);
    const [first, second] = plan.themes[0]?.actions ?? [];
    expect(first).toEqual({
      number: '1.1',
      action: 'Walk the route with residents',
      desiredOutcome: 'People feel safer',
      milestones: [
        { text: 'Agree the route', timescale: 'April 2024' },
        { text: 'Walk it', timescale: 'May 2024' },
        { text: 'Report back', timescale: 'By March 25' },
      ],
      leads: ['Police', 'Council', 'VCS', 'Health'],
      status: 'in-progress',
      update: 'two walks done, more booked',
      updateMonth: '2024-06',
    });
    expect(second).toMatchObject({ status: 'on-hold', update: 'Waiting for funding' });
    expect(plan.themes[1]?.type).toBe('cross-cutting');
  });

  it('reads UTF-8 with a byte order mark and Windows line ends the same as plain', async () => {
    const plain = await readPlanFile(csv(rows), 'plan.csv');
    const windows = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(rows, '\r\n')]);
    const fromWindows = await readPlanFile(windows, 'plan.csv');
    expect(fromWindows.themes[0]?.actions[0]?.milestones).toEqual(
      plain.themes[0]?.actions[0]?.milestones,
    );
    expect(fromWindows.rows).toBe(3);
  });

  it('matches headers whatever their case, spacing or order, and ignores other columns', async () => {
    const order = [7, 6, 5, 4, 3, 2, 1, 0];
    const header = ['Notes', ...order.map((i) => `  ${HEADER[i]?.toUpperCase() ?? ''} `)];
    const data = ['ignored', ...order.map((i) => row()[i] ?? '')];
    const plan = await readCsv([header, data]);
    expect(plan.themes[0]?.actions[0]).toEqual({
      number: '1.1',
      action: 'Walk the route with residents',
      desiredOutcome: 'People feel safer',
      milestones: [{ text: 'Plan the walk', timescale: 'May 2024' }],
      leads: ['Council'],
    });
  });

  it('keeps themes in the order they first appear', async () => {
    const plan = await readCsv([
      HEADER,
      row({ Theme: 'B', 'No.': '2.1' }),
      row({ Theme: 'A', 'No.': '1.1' }),
      row({ Theme: 'B', 'No.': '2.2' }),
    ]);
    expect(plan.themes.map((t) => [t.title, t.actions.map((a) => a.number)])).toEqual([
      ['B', ['2.1', '2.2']],
      ['A', ['1.1']],
    ]);
  });

  it('keeps both lists and says so when milestones and timescales do not pair up', async () => {
    const plan = await readCsv([
      HEADER,
      row({ 'Key milestones': 'One\nTwo\nThree', Timescales: 'Ongoing' }),
    ]);
    expect(plan.themes[0]?.actions[0]).toMatchObject({
      milestones: [
        { text: 'One', timescale: 'Ongoing' },
        { text: 'Two', timescale: '' },
        { text: 'Three', timescale: '' },
      ],
      milestoneNote: 'The file had 3 milestones and 1 timescale: check they are paired correctly',
    });
  });

  it.each([
    ['On hold – the lead has left', 'on-hold', 'the lead has left'],
    ['Complete', 'complete', undefined],
    ['not yet started: waiting', 'not-started', 'waiting'],
    ['Off track - behind schedule', 'off-track', 'behind schedule'],
  ])('reads the update "%s" as status %s', async (update, status, narrative) => {
    const plan = await readCsv([HEADER, row({ Update: update })]);
    const action = plan.themes[0]?.actions[0];
    expect(action?.status).toBe(status);
    expect(action?.update).toBe(narrative);
  });

  it('leaves the update alone when the Status column is filled', async () => {
    const plan = await readCsv([HEADER, row({ Status: 'Complete', Update: 'In progress - x' })]);
    expect(plan.themes[0]?.actions[0]).toMatchObject({
      status: 'complete',
      update: 'In progress - x',
    });
  });

  it('reads without the optional columns', async () => {
    const plan = await readCsv([HEADER.slice(0, 8), row().slice(0, 8)]);
    expect(plan.rows).toBe(1);
  });

  it('numbers rows as the spreadsheet does, counting blank rows', async () => {
    const blank = HEADER.map(() => '');
    const problems = await problemsOf(
      readCsv([HEADER, row(), blank, row({ 'No.': '1.2', Status: 'Done' })]),
    );
    expect(problems).toEqual([{ row: 4, column: 'Status', message: msg.statusBad }]);
  });
});

describe('refusing bad rows', () => {
  it('names every missing column in one message', async () => {
    const header = HEADER.filter(
      (h) => !['Theme type', 'Desired outcome', 'Timescales'].includes(h),
    );
    const problems = await problemsOf(readCsv([header, header.map(() => 'x')]));
    expect(problems).toEqual([
      {
        row: 1,
        message: 'The file is missing these columns: Theme type, Desired outcome, Timescales',
      },
    ]);
  });

  it('refuses an unknown status naming the row and column', async () => {
    const problems = await problemsOf(readCsv([HEADER, row({ Status: 'Nearly there' })]));
    expect(problems).toEqual([
      {
        row: 2,
        column: 'Status',
        message: 'Status must be Not yet started, In progress, Complete, On hold or Off track',
      },
    ]);
  });

  it('refuses a duplicated action number naming both rows', async () => {
    const problems = await problemsOf(
      readCsv([HEADER, row({ 'No.': '1.1' }), row({ 'No.': '1.2' }), row({ 'No.': '1.1' })]),
    );
    expect(problems).toEqual([
      {
        row: 4,
        column: 'No.',
        message: 'Action 1.1 is on row 2 and row 4: each number must be used once',
      },
    ]);
  });

  it('refuses an update that gives no status', async () => {
    const rows = [
      HEADER,
      row({ Update: 'Completely new approach agreed', 'Update month': '2024-09' }),
      row({ 'No.': '1.2', 'Update month': '2024-09' }),
    ];
    const message = 'Enter the status, or start the update with it, like “In progress - …”';
    expect(await problemsOf(readCsv(rows))).toEqual([
      { row: 2, column: 'Status', message },
      { row: 3, column: 'Status', message },
    ]);
  });

  it.each([
    ['Sep-24', '2024-09'],
    ['Sept 2024', '2024-09'],
    ['September 2024', '2024-09'],
    ['01/09/2024', '2024-09'],
    ['2024-9', undefined],
  ])('reads the update month %s, as Excel may rewrite it, as %s', async (month, expected) => {
    const read = readCsv([HEADER, row({ Status: 'Complete', 'Update month': month })]);
    if (expected) expect((await read).themes[0]?.actions[0]?.updateMonth).toBe(expected);
    else expect(await problemsOf(read)).toHaveLength(1);
  });

  it.each(['2022-13', '22-01', '2022-00', 'Summer 24', 'Septober 2022'])(
    'refuses the update month %s',
    async (month) => {
      const problems = await problemsOf(
        readCsv([HEADER, row({ Status: 'Complete', 'Update month': month })]),
      );
      expect(problems).toEqual([
        {
          row: 2,
          column: 'Update month',
          message: 'Update month must be a real month written like 2024-09',
        },
      ]);
    },
  );

  it('refuses an unknown theme type and empty required cells, listing every problem', async () => {
    const problems = await problemsOf(
      readCsv([
        HEADER,
        row({ 'Theme type': 'Objective' }),
        row({ 'No.': '1.2', Theme: '', Action: '', 'Lead agency': ' / ' }),
      ]),
    );
    expect(problems).toEqual([
      { row: 2, column: 'Theme type', message: msg.themeTypeBad },
      { row: 3, column: 'Theme', message: 'Enter the theme' },
      { row: 3, column: 'Action', message: 'Enter the action' },
      { row: 3, column: 'Lead agency', message: 'Enter at least one lead agency' },
    ]);
  });

  it('refuses numbers not written like 1.1 and text longer than a plan holds', async () => {
    const problems = await problemsOf(
      readCsv([
        HEADER,
        row({ 'No.': 'One', Theme: 't'.repeat(201) }),
        row({
          'No.': '1.2',
          Action: 'a'.repeat(2001),
          'Desired outcome': 'o'.repeat(2001),
          'Key milestones': `Short\n${'m'.repeat(1001)}`,
          Timescales: `May 2024\n${'t'.repeat(201)}`,
        }),
      ]),
    );
    expect(problems).toEqual([
      { row: 2, column: 'Theme', message: 'Theme must be 200 characters or fewer' },
      { row: 2, column: 'No.', message: 'Action number must be written like 1.1' },
      { row: 3, column: 'Action', message: 'Action must be 2,000 characters or fewer' },
      {
        row: 3,
        column: 'Desired outcome',
        message: 'Desired outcome must be 2,000 characters or fewer',
      },
      {
        row: 3,
        column: 'Key milestones',
        message: 'Each milestone must be 1,000 characters or fewer',
      },
      { row: 3, column: 'Timescales', message: 'Each timescale must be 200 characters or fewer' },
    ]);
  });

  it('refuses a theme given two different types', async () => {
    const problems = await problemsOf(
      readCsv([HEADER, row(), row({ 'No.': '1.2', 'Theme type': 'Cross-cutting theme' })]),
    );
    expect(problems).toEqual([
      {
        row: 3,
        column: 'Theme type',
        message: 'Theme type must be the same on every row of a theme: row 2 says Priority',
      },
    ]);
  });
});

describe('refusing bad files', () => {
  it.each([
    ['an empty file', Buffer.alloc(0), msg.empty],
    ['blank lines', Buffer.from('\r\n\r\n , \r\n'), msg.empty],
    ['a header row only', csv([HEADER]), 'The file has a header row but no actions below it'],
  ])('refuses %s', async (_, buffer, message) => {
    expect(await problemsOf(readPlanFile(buffer, 'plan.csv'))).toEqual([{ message }]);
  });

  it('refuses an overlong cell naming its row and column', async () => {
    const long = 'x'.repeat(20_001);
    expect(
      await problemsOf(
        readCsv([HEADER, row(), row({ 'No.': '1.2', Status: 'Complete', Update: long })]),
      ),
    ).toEqual([{ row: 3, column: 'Update', message: 'Cell must be 20,000 characters or fewer' }]);
    const huge = Array.from({ length: 13 }, () => long);
    expect(await problemsOf(readCsv([HEADER, huge]))).toEqual([
      { row: 2, message: 'Row is too long: each cell must be 20,000 characters or fewer' },
    ]);
  });

  it('counts only rows with something in them towards the limit', async () => {
    const blank = HEADER.map(() => '');
    const rows = Array.from({ length: MAX_ROWS }, (_, i) =>
      row({ 'No.': `${Math.floor(i / 100)}.${i % 100}` }),
    );
    const plan = await readCsv([HEADER, blank, blank, ...rows, blank]);
    expect(plan.rows).toBe(MAX_ROWS);
  });

  it('refuses more rows than an action plan can have', async () => {
    const rows = Array.from({ length: MAX_ROWS + 1 }, (_, i) =>
      row({ 'No.': `${Math.floor(i / 100)}.${i % 100}` }),
    );
    expect(await problemsOf(readCsv([HEADER, ...rows]))).toEqual([
      { message: 'The file must have 5,000 actions or fewer' },
    ]);
  });

  it('takes no harm from headers named __proto__ or constructor', async () => {
    const header = [...HEADER, '__proto__', 'constructor', 'hasOwnProperty'];
    const plan = await readCsv([header, [...row(), '{"polluted":true}', 'x', 'y']]);
    const plain = await readCsv([HEADER, row()]);
    expect(plan).toEqual(plain);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(plan.themes[0]?.actions[0])).toBe(Object.prototype);
  });
});

describe('splitting a lead agency cell', () => {
  const known = new Set(['asb/tasking panel', 'police/council unit']);
  const isLead = (name: string) => known.has(name.toLowerCase());

  it('splits by line, ";" and "/", dropping blanks and repeats', () => {
    expect(splitLeads('Police / Council;VCS\n\nHealth; police', isLead)).toEqual([
      'Police',
      'Council',
      'VCS',
      'Health',
    ]);
  });

  it('keeps names the partnership knows whole, the longest first', () => {
    expect(splitLeads('Police/Council Unit / ASB / Tasking Panel / ASB', isLead)).toEqual([
      'Police/Council Unit',
      'ASB/Tasking Panel',
      'ASB',
    ]);
  });
});
