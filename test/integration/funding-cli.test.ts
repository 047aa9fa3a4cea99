import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saferplan } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/database.js';

let url: string;
let drop: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  const fresh = await freshDatabase();
  url = fresh.url;
  drop = fresh.drop;
  dir = mkdtempSync(join(tmpdir(), 'saferplan-funding-'));
  const demo = await saferplan(['demo'], url);
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await drop();
});

describe('saferplan funding', () => {
  it('lists the demo county’s fund with every amount in pence', async () => {
    const res = await saferplan(
      ['funding', 'list', '--partnership', 'kent', '--format', 'json'],
      url,
    );
    expect(res.code, res.stderr).toBe(0);
    const funds = JSON.parse(res.stdout) as Record<string, unknown>[];
    expect(funds).toHaveLength(1);
    expect(funds[0]).toMatchObject({
      partnership: 'kent',
      name: 'Crime Reduction Grant',
      status: 'confirmed',
      amountPence: 4_081_000,
      committedPence: 1_220_000,
      spentPence: 616_050,
    });
    const text = await saferplan(['funding', 'list'], url);
    expect(text.stdout).toMatch(
      /^1\tkent\tCrime Reduction Grant \d{4}\/\d{2}\t£40,810\tconfirmed\t/m,
    );
  });

  it('writes the fund’s report as Word, and the JSON its figures come from', async () => {
    const out = join(dir, 'report.docx');
    const res = await saferplan(
      [
        'funding',
        'report',
        '--partnership',
        'kent',
        '--fund',
        '1',
        '--format',
        'docx',
        '--out',
        out,
      ],
      url,
    );
    expect(res.code, res.stderr).toBe(0);
    const { value } = await mammoth.convertToHtml({ buffer: readFileSync(out) });
    expect(value).toContain('<h1>Appendix: project summaries</h1>');
    expect(value).toContain('Knife crime education theatre tour (£6,500)');
    const json = await saferplan(
      [
        'funding',
        'report',
        '--partnership',
        'kent',
        '--fund',
        '1',
        '--format',
        'json',
        '--out',
        '-',
      ],
      url,
    );
    const report = JSON.parse(json.stdout) as {
      proposals: Record<string, number>;
      allocation: { pots: { allocatedPence: number; remainderPence: number }[] };
    };
    expect(report.proposals).toEqual({
      received: 12,
      shortlisted: 9,
      submittedForApproval: 7,
      approved: 4,
      pending: 1,
      declined: 1,
      withdrawn: 1,
    });
    // £40,810 split two thirds and one third, the £1 left over to the tactical pot, then £1,000 moved.
    expect(report.allocation.pots).toMatchObject([
      { allocatedPence: 2_820_600, remainderPence: 0 },
      { allocatedPence: 1_260_400, remainderPence: 100 },
    ]);
  });

  it('refuses a fund of no partnership, an unknown format and a missing option', async () => {
    const other = await saferplan(
      [
        'funding',
        'report',
        '--partnership',
        'swale',
        '--fund',
        '1',
        '--format',
        'json',
        '--out',
        '-',
      ],
      url,
    );
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('swale has no fund 1');
    const format = await saferplan(
      [
        'funding',
        'report',
        '--partnership',
        'kent',
        '--fund',
        '1',
        '--format',
        'pdf',
        '--out',
        '-',
      ],
      url,
    );
    expect(format.code).toBe(2);
    const missing = await saferplan(['funding', 'report', '--partnership', 'kent'], url);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--fund');
  });
});
