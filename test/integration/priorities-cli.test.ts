import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { loadDemo } from '../../src/features/demo/demo.service.js';
import { buildServices } from '../../src/services.js';
import { saferplan } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/database.js';

let url: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshDatabase();
  url = fresh.url;
  drop = fresh.drop;
  await loadDemo(buildServices(fresh.db, testConfig()));
});
afterAll(() => drop());

describe('saferplan priorities', () => {
  it('lists the demo exercise and prints its ranked result as text and JSON', async () => {
    const list = await saferplan(['priorities', 'list', '--partnership', 'swale'], url);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /^2025\/26: Priority setting for 2025\/26; scoring open; 6 candidates; 3 partners scored; id \d+$/m,
    );

    const json = await saferplan(
      ['priorities', 'result', '--partnership', 'swale', '--year', '2025-26', '--format', 'json'],
      url,
    );
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout) as {
      criteria: { name: string; weight: number }[];
      ranked: {
        rank: number;
        candidate: string;
        weightedScore: { num: string; den: string; text: string };
        scorers: number;
      }[];
    };
    expect(r.criteria.map((k) => k.name)).toEqual([
      'Harm',
      'Volume',
      'Trend',
      'Public concern',
      'Vulnerability',
      'Partnership capacity',
    ]);
    // Domestic abuse: 3×14/3 + 13/3 + 11/3 + 10/3 + 2×15/3 + 11/3 = 117/3 = 39, worked by hand.
    expect(r.ranked[0]).toMatchObject({
      rank: 1,
      candidate: 'Domestic abuse',
      weightedScore: { num: '39', den: '1', text: '39.00' },
      scorers: 3,
    });
    expect(r.ranked).toHaveLength(6);

    const text = await saferplan(
      ['priorities', 'result', '--partnership', 'swale', '--year', '2025/26'],
      url,
    );
    expect(text.stdout).toContain('1. Domestic abuse: 39.00, scored by 3 partners');
    expect(text.stdout).toContain('Weighted score = the sum');
  });

  it('says which option to fix', async () => {
    const none = await saferplan(
      ['priorities', 'result', '--partnership', 'swale', '--year', '2019/20'],
      url,
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      'Swale Community Safety Partnership has no priority-setting exercise for 2019/20 (--year)',
    );
    const bad = await saferplan(
      ['priorities', 'result', '--partnership', 'swale', '--year', '2025'],
      url,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('(--year)');
    const missing = await saferplan(['priorities', 'result', '--partnership', 'swale'], url);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--year is required');
  });
});
