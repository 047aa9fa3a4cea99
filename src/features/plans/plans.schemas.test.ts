import { describe, expect, it } from 'vitest';
import { MAX_ROWS, MILESTONE_ROWS, messages, readRows, themeSchema } from './plans.schemas.js';

describe('readRows', () => {
  it('reads every numbered row in order, however far the numbers go, dropping blank rows', () => {
    const input = {
      milestone70: 'Last',
      timescale70: 'March 2025',
      milestone2: 'Second',
      milestone1: '',
      timescale1: '',
      milestone10: 'Tenth',
    };
    expect(readRows(input, 'milestone', 'timescale', MILESTONE_ROWS)).toEqual({
      rows: [
        ['Second', ''],
        ['Tenth', ''],
        ['Last', 'March 2025'],
      ],
      errors: [],
    });
  });

  it('refuses the row past the limit instead of dropping it', () => {
    const input: Record<string, string> = {};
    for (let i = 1; i <= MAX_ROWS + 1; i++) input[`milestone${i}`] = `Milestone ${i}`;
    const { rows, errors } = readRows(input, 'milestone', 'timescale', MILESTONE_ROWS);
    expect(rows).toHaveLength(MAX_ROWS);
    expect(errors).toEqual([{ field: `milestone${MAX_ROWS + 1}`, text: messages.tooManyLines }]);
  });

  it('names the row of a timescale without its milestone', () => {
    const { errors } = readRows({ timescale3: 'May' }, 'milestone', 'timescale', MILESTONE_ROWS);
    expect(errors).toEqual([{ field: 'milestone3', text: messages.milestoneEmpty }]);
  });
});

describe('a list of lines', () => {
  const theme = { type: 'priority', title: 'Domestic abuse' };

  it('reads a textarea one item a line, without bullets or blank lines', () => {
    const parsed = themeSchema.parse({ ...theme, priorityActions: '- Train staff\r\n\n• Audit' });
    expect(parsed.priorityActions).toEqual(['Train staff', 'Audit']);
  });

  it('reads a list the same way', () => {
    const parsed = themeSchema.parse({
      ...theme,
      priorityActions: ['Train staff', ' ', '* Audit'],
    });
    expect(parsed.priorityActions).toEqual(['Train staff', 'Audit']);
  });

  it('refuses a line that is too long, naming the field', () => {
    const r = themeSchema.safeParse({ ...theme, priorityActions: ['x'.repeat(1001)] });
    expect(r.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['priorityActions', messages.lineTooLong],
    ]);
  });
});
