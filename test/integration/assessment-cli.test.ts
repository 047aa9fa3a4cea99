import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { COMMAND_LINE } from '../../src/core/actor.js';
import type { AssessmentDocument } from '../../src/features/assessments/assessments.service.js';
import { buildServices } from '../../src/services.js';
import { seedCrime, SWALE } from '../helpers/crime-fixture.js';
import { saferplan } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/database.js';

let url: string;
let drop: () => Promise<void>;
const dir = mkdtempSync(join(tmpdir(), 'assessment-cli-'));

beforeAll(async () => {
  const fresh = await freshDatabase();
  url = fresh.url;
  drop = fresh.drop;
  const services = buildServices(fresh.db, testConfig());
  await seedCrime(fresh.db);
  await services.partnerships.create(COMMAND_LINE, {
    slug: 'swale',
    name: 'Swale CSP',
    type: 'district',
    areas: SWALE,
  });
});
afterAll(async () => {
  await drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('saferplan assessment', () => {
  it('writes every figure as JSON without a saved assessment', async () => {
    const out = join(dir, 'swale.json');
    const r = await saferplan(
      [
        'assessment',
        '--partnership',
        'swale',
        '--year',
        '2021/22',
        '--format',
        'json',
        '--out',
        out,
      ],
      url,
    );
    expect(r.stderr).toContain(
      'Swale CSP strategic assessment 2021/22 (figures only: no assessment is saved for this period)',
    );
    expect(r.stderr).toContain('Flagged months: December 2021.');
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as AssessmentDocument;
    expect(doc.record).toBeNull();
    expect(doc.sections.introduction).toBe('');
    expect(doc.figures.measures.crime).toMatchObject({ count: 1200, rate: { value: '8.0' } });
    expect(doc.figures.measures.crime.basis.flagged[0]?.month).toBe('2021-12');
    expect(doc.figures.measures.asb.basis.source).toContain('data.police.uk');
  });

  it('refuses a period that is not a year, naming the option', async () => {
    const r = await saferplan(
      ['assessment', '--partnership', 'swale', '--year', '2021', '--format', 'json', '--out', '-'],
      url,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('(--year)');
    const none = await saferplan(
      [
        'assessment',
        '--partnership',
        'nowhere',
        '--from',
        '2021-01',
        '--format',
        'html',
        '--out',
        '-',
      ],
      url,
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('there is no partnership with the short name "nowhere"');
  });
});
