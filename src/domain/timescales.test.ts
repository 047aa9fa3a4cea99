import { describe, expect, it } from 'vitest';
import { readTimescale, type TimescalePart } from './timescales.js';

// A 2024/25 plan: 1 April 2024 to 31 March 2025.
const plan = { start: '2024-04-01' };
const read = (text: string) => readTimescale(text, plan);

const by = (
  due: string,
  extra: Partial<Extract<TimescalePart, { kind: 'by' }>> = {},
): TimescalePart => ({
  kind: 'by',
  due,
  ...extra,
});
const fromPlan = { yearFromPlan: true } as const;

// [written, parts expected]
const READABLE: [string, TimescalePart[]][] = [
  // Month and year, as partners write them
  ['By March 23', [by('2023-03-31')]],
  ['Sept 22', [by('2022-09-30')]],
  ['Sep 22', [by('2022-09-30')]],
  ['September 24', [by('2024-09-30')]],
  ['May-22', [by('2022-05-31')]],
  ['April 2022', [by('2022-04-30')]],
  ['March 2025', [by('2025-03-31')]],
  ["March '25", [by('2025-03-31')]],
  ['By June 22', [by('2022-06-30')]],
  ['by july 24', [by('2024-07-31')]],
  ['Feb 24', [by('2024-02-29')]],
  ['Feb 2023', [by('2023-02-28')]],
  ['Dec 2024.', [by('2024-12-31')]],
  ['before October 2024', [by('2024-10-31')]],
  ['By the end of December 24', [by('2024-12-31')]],
  // Exact dates
  ['01/04/2022', [by('2022-04-01')]],
  ['31/3/25', [by('2025-03-31')]],
  ['30.09.2024', [by('2024-09-30')]],
  ['2024-11-15', [by('2024-11-15')]],
  ['1st April 2024', [by('2024-04-01')]],
  ['by 31 March 2025', [by('2025-03-31')]],
  // A month with no year falls in the plan's year
  ['End of April', [by('2024-04-30', fromPlan)]],
  ['End of January', [by('2025-01-31', fromPlan)]],
  ['November', [by('2024-11-30', fromPlan)]],
  ['By end of March', [by('2025-03-31', fromPlan)]],
  ['Year end', [by('2025-03-31', fromPlan)]],
  ['End of the financial year', [by('2025-03-31', fromPlan)]],
  // Starting points
  ['May onwards', [{ kind: 'from', from: '2024-05-01', yearFromPlan: true }]],
  ['From April 2024', [{ kind: 'from', from: '2024-04-01' }]],
  ['from April 24', [{ kind: 'from', from: '2024-04-01' }]],
  ['September 2024 onwards', [{ kind: 'from', from: '2024-09-01' }]],
  // Spans
  ['April - June 2024', [by('2024-06-30', { from: '2024-04-01' })]],
  ['November 2024 to February 2025', [by('2025-02-28', { from: '2024-11-01' })]],
  ['Oct – Dec 24', [by('2024-12-31', { from: '2024-10-01' })]],
  // Seasons (UK: spring March–May, summer June–August, autumn September–November, winter December–February)
  ['Summer 24', [by('2024-08-31')]],
  ['Autumn 25', [by('2025-11-30')]],
  ['Spring 2023', [by('2023-05-31')]],
  ['Winter 24', [by('2025-02-28')]],
  ['Winter 2024/25', [by('2025-02-28')]],
  ['Summer', [by('2024-08-31', fromPlan)]],
  ['Winter', [by('2025-02-28', fromPlan)]],
  ['By Autumn 24', [by('2024-11-30')]],
  // Financial quarters
  ['Q3', [by('2024-12-31', fromPlan)]],
  ['Q4 2023/24', [by('2024-03-31')]],
  // Recurring
  [
    'Quarterly (April, July, October and January)',
    [{ kind: 'recurring', every: 'quarter', months: [4, 7, 10, 1] }],
  ],
  ['Quarterly', [{ kind: 'recurring', every: 'quarter', months: [] }]],
  ['Monthly', [{ kind: 'recurring', every: 'month', months: [] }]],
  ['monthly meetings', [{ kind: 'recurring', every: 'month', months: [] }]],
  ['Annually', [{ kind: 'recurring', every: 'year', months: [] }]],
  ['Annually in May', [{ kind: 'recurring', every: 'year', months: [5] }]],
  ['Six-monthly', [{ kind: 'recurring', every: 'half-year', months: [] }]],
  ['Weekly', [{ kind: 'recurring', every: 'week', months: [] }]],
  // Words that are timescales without a date
  ['Ongoing', [{ kind: 'ongoing' }]],
  ['on-going', [{ kind: 'ongoing' }]],
  ['As required', [{ kind: 'as-required' }]],
  ['As and when required', [{ kind: 'as-required' }]],
  ['TBC', [{ kind: 'to-be-confirmed' }]],
  ['To be agreed', [{ kind: 'to-be-confirmed' }]],
  // Two in one cell
  ['April 2022 By March 2023', [by('2022-04-30'), by('2023-03-31')]],
  ['Quarterly Ongoing', [{ kind: 'recurring', every: 'quarter', months: [] }, { kind: 'ongoing' }]],
  ['Sept 24, March 25', [by('2024-09-30'), by('2025-03-31')]],
  ['From April 2024 and by March 2025', [{ kind: 'from', from: '2024-04-01' }, by('2025-03-31')]],
];

describe('readTimescale', () => {
  it.each(READABLE)('reads “%s”', (text, parts) => {
    const result = read(text);
    expect(result.unread).toBeNull();
    expect(result.parts).toEqual(parts);
    expect(result.text).toBe(text.trim());
  });

  it('has real-style cases for every form users write', () => {
    expect(READABLE.length).toBeGreaterThanOrEqual(40);
  });

  it('gives the latest deadline as the milestone’s due date', () => {
    expect(read('April 2022 By March 2023').due).toBe('2023-03-31');
    expect(read('Summer 24').due).toBe('2024-08-31');
    expect(read('May onwards').due).toBeNull();
    expect(read('Quarterly').due).toBeNull();
  });

  it('reads a month without a year into the plan’s own year, for other plan years too', () => {
    expect(readTimescale('End of April', { start: '2022-04-01' }).due).toBe('2022-04-30');
    expect(readTimescale('End of February', { start: '2022-04-01' }).due).toBe('2023-02-28');
    expect(readTimescale('End of February', { start: '2023-04-01' }).due).toBe('2024-02-29');
  });

  it('keeps what it cannot read and says which words, never guessing', () => {
    const cases: [string, string][] = [
      ['When funding allows', 'Could not read “When funding allows”'],
      ['June 30 2024', 'Could not read'],
      ['31/02/2024', 'Could not read “31/02/2024”'],
      ['By the next meeting', 'Could not read “the next meeting”'],
      ['In progress', 'Could not read “In progress”'],
      ['From', '“from” is not followed by a date'],
      ['Summer 24 subject to review', 'Could not read “subject to review”'],
      ['', 'No timescale written'],
      ['   ', 'No timescale written'],
    ];
    for (const [text, message] of cases) {
      const result = read(text);
      expect(result.unread, text).toContain(message);
      expect(result.parts, text).toEqual([]);
      expect(result.due, text).toBeNull();
      expect(result.text).toBe(text.trim());
    }
  });
});
