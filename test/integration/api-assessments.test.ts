import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssessmentFigures,
  PartnershipGeography,
} from '../../src/features/api/assessments.endpoints.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { RELEASE, seedCrime, SWALE } from '../helpers/crime-fixture.js';
import { member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
const tokens = { viewer: '', medway: '' };

const api = (url: string, token: string) =>
  t.app.inject({
    method: 'GET',
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${token}` },
  });

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await seedCrime(s.db);
  await s.db
    .insertInto('geo_lsoa_wards')
    .values([
      {
        lsoa_code: 'E01024563',
        lsoa_vintage: '2011',
        ward_code: 'E05009544',
        ward_vintage: '2022',
        district_code: SWALE,
      },
      {
        lsoa_code: 'E01024564',
        lsoa_vintage: '2011',
        ward_code: 'E05009546',
        ward_vintage: '2022',
        district_code: SWALE,
      },
    ])
    .execute();
  await partnership(s, { slug: 'swale', name: 'Swale CSP', areas: SWALE });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  for (const [key, slug] of [
    ['viewer', 'swale'],
    ['medway', 'medway'],
  ] as const) {
    const u = await user(s);
    await member(s, slug, u.email, key === 'viewer' ? 'viewer' : 'coordinator');
    const actor = await s.auth.actorFor(u.id);
    if (!actor) throw new Error('no actor');
    tokens[key] = (await s.tokens.create(actor, { name: 'Script' })).token;
  }
});
afterAll(() => t.close());

describe('assessments in the API', () => {
  it('gives a period’s figures with their sources and flagged months', async () => {
    const res = await api('/partnerships/swale/assessment-figures?year=2021/22', tokens.viewer);
    expect(res.statusCode, res.body).toBe(200);
    const f = AssessmentFigures.parse(res.json());
    expect(f.measures.crime.count).toBe(1200);
    expect(f.measures.crime.basis.flagged.map((m) => m.month)).toEqual(['2021-12']);
    const other = await api('/partnerships/swale/assessment-figures?from=2021-01', tokens.viewer);
    expect(AssessmentFigures.parse(other.json()).window).toEqual({
      from: '2021-01',
      to: '2021-12',
    });
  });

  it('refuses a period that is not one, and another partnership’s figures', async () => {
    const bad = await api('/partnerships/swale/assessment-figures?year=2021', tokens.viewer);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Financial year must be written like 2024/25');
    expect(
      (await api('/partnerships/swale/assessment-figures?year=2021/22', tokens.medway)).statusCode,
    ).toBe(404);
    expect((await api('/partnerships/swale/geography', tokens.medway)).statusCode).toBe(404);
  });

  it('gives the partnership’s districts, wards by vintage and populations', async () => {
    const res = await api('/partnerships/swale/geography', tokens.viewer);
    expect(res.statusCode, res.body).toBe(200);
    const g = PartnershipGeography.parse(res.json());
    expect(g.districts).toHaveLength(1);
    expect(g.districts[0]).toMatchObject({ code: SWALE, name: 'Swale' });
    expect(g.districts[0]?.wardSets).toEqual([
      {
        vintage: '2022',
        wards: [
          { code: 'E05009544', name: 'Abbey' },
          { code: 'E05009546', name: 'Borden and Grove Park' },
        ],
      },
    ]);
    expect(g.districts[0]?.population.map((p) => [p.year, p.population, p.release])).toEqual([
      [2019, 150000, RELEASE],
      [2020, 150000, RELEASE],
      [2021, 150000, RELEASE],
    ]);
  });
});
