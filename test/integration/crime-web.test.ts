import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import {
  finishImport,
  INTERRUPTED,
  insertImport,
  markAlive,
} from '../../src/features/crime/crime.repository.js';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import { crimeSnapshot, importLookups, STREET } from '../helpers/crime-data.js';
import { actorFor, member, partnership, PASSWORD, user } from '../helpers/factories.js';

const KENT2018 = join(STREET, 'kent-2018-10_to_2019-02_swale-medway');

let t: TestApp;
let coordinator: Client;
let viewer: Client;
let viewerToken = '';
let asbIndicatorId = 0;
let outsiderToken = '';

const file = (name: string, content: Buffer) => ({
  field: 'file',
  filename: name,
  content,
  type: 'text/csv',
});

/** Follows the status page's refreshes until the import has finished. */
async function finished(client: Client, location: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const res = await client.get(location);
    expect(res.statusCode).toBe(200);
    if (!res.body.includes('http-equiv="refresh"')) return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the import did not finish');
}

beforeAll(async () => {
  t = await testApp();
  await importLookups(t.services.db);
  const p = await partnership(t.services, { slug: 'swale', name: 'Swale', areas: 'E07000113' });
  await partnership(t.services, { slug: 'medway', name: 'Medway', areas: 'E06000035' });
  asbIndicatorId = (
    await t.services.indicators.create(COMMAND_LINE, 'swale', {
      name: 'ASB incidents',
      unit: 'count',
      polarity: 'increase-bad',
      sourceKind: 'police-uk',
      crimeType: 'Anti-social behaviour',
    })
  ).id;
  const coord = await user(t.services);
  await member(t.services, p.slug, coord.email, 'coordinator');
  const reader = await user(t.services);
  await member(t.services, p.slug, reader.email, 'viewer');
  coordinator = await signedIn(t.app, coord.email, PASSWORD);
  viewerToken = (
    await t.services.tokens.create(await actorFor(t.services, reader.id), { name: 'Script' })
  ).token;
  const outsider = await user(t.services);
  await member(t.services, 'medway', outsider.email, 'viewer');
  outsiderToken = (
    await t.services.tokens.create(await actorFor(t.services, outsider.id), { name: 'Script' })
  ).token;
  viewer = await signedIn(t.app, reader.email, PASSWORD);
});

afterAll(async () => {
  await t.close();
});

describe('the crime data pages', () => {
  it('lets a coordinator upload a month, shows progress and then the months with flags', async () => {
    for (const month of ['2018-10', '2018-11', '2018-12', '2019-01', '2019-02']) {
      await coordinator.get('/crime-data');
      const res = await coordinator.upload(
        '/crime-data/imports',
        {},
        file(`${month}-kent-street.csv`, readFileSync(join(KENT2018, `${month}-kent-street.csv`))),
      );
      expect(res.statusCode).toBe(303);
      const location = String(res.headers.location);
      expect(location).toMatch(/^\/crime-data\/imports\/\d+$/);
      const body = await finished(coordinator, location);
      expect(body).toContain('Complete');
      expect(body).toContain(`${month}-kent-street.csv`);
    }
    const page = await viewer.get('/crime-data');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Kent Police (2 flagged)');
    // The partnership's indicator filled from police.uk data followed the imports.
    // It is filled after the import commits, so the last month may be a moment behind.
    let figures = await t.services.indicators.figures(COMMAND_LINE, 'swale', asbIndicatorId);
    for (let i = 0; i < 100 && figures.months.length < 5; i++) {
      await new Promise((r) => setTimeout(r, 50));
      figures = await t.services.indicators.figures(COMMAND_LINE, 'swale', asbIndicatorId);
    }
    const asb = await t.services.crime.countsForDistricts(['E07000113'], '2018-10', '2019-02');
    expect(figures.months).toEqual(
      asb.counts
        .filter((c) => c.crimeType === 'Anti-social behaviour')
        .map((c) => ({ month: c.month, value: String(c.count) })),
    );
    expect(page.body.match(/Looks incomplete/g)).toHaveLength(2);
    expect(page.body).toContain('1,407 crimes (anti-social behaviour not counted)');
    expect(page.body).toContain('November 2018');
  });

  it('shows why a failed import failed and keeps the data', async () => {
    const before = await crimeSnapshot(t.services.db);
    await coordinator.get('/crime-data');
    const cut = readFileSync(join(KENT2018, '2018-10-kent-street.csv')).subarray(0, 20_000);
    const res = await coordinator.upload(
      '/crime-data/imports',
      {},
      file('2018-10-kent-street.csv', cut),
    );
    const body = await finished(coordinator, String(res.headers.location));
    expect(body).toContain('Failed');
    expect(body).toMatch(/2018-10-kent-street\.csv, line \d+: the file is corrupt or cut short/);
    expect(body).toContain('Nothing was imported');
    expect(await crimeSnapshot(t.services.db)).toEqual(before);
  });

  it('says an import cut off by a restart stopped, once it has long shown no sign of work', async () => {
    const started = (minutesAgo: number) =>
      new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const running = async (minutesAgo: number) => {
      const id = await insertImport(t.services.db, 'crime', ['kent.zip'], 'Command line');
      await t.services.db
        .updateTable('data_imports')
        .set({ started_at: started(minutesAgo), alive_at: started(minutesAgo) })
        .where('id', '=', id)
        .execute();
      return id;
    };
    const cutOff = await running(20);
    const working = await running(2);
    const page = await viewer.get(`/crime-data/imports/${cutOff}`);
    expect(page.body).toContain('Failed');
    expect(page.body).toContain(INTERRUPTED);
    expect(page.body).not.toContain('http-equiv="refresh"');
    expect((await t.services.crime.import(working)).status).toBe('running');
    expect((await viewer.get(`/crime-data/imports/${working}`)).body).toContain('Running');
  });

  it('shows how far an import has got on every server, not only the one running it', async () => {
    // Started elsewhere: this server holds nothing of it but what the database does.
    const id = await insertImport(t.services.db, 'crime', ['national.zip'], 'Command line');
    await markAlive(t.services.db, id, {
      stage: 'reading',
      filesRead: 3,
      files: 10,
      records: 1234,
    });
    expect((await viewer.get(`/crime-data/imports/${id}`)).body).toContain(
      'Read 3 of 10 files: 1,234 records counted.',
    );
    await markAlive(t.services.db, id, { stage: 'writing', filesRead: 10, files: 10, records: 50 });
    expect((await viewer.get(`/crime-data/imports/${id}`)).body).toContain(
      'Saving the counts: 50 rows saved.',
    );
    await finishImport(t.services.db, id, { status: 'failed', error: 'Stopped for the test' });
    expect((await t.services.crime.import(id)).progress).toBeNull();
  });

  it('refuses a file that is neither CSV nor ZIP', async () => {
    await coordinator.get('/crime-data');
    const res = await coordinator.upload(
      '/crime-data/imports',
      {},
      file('figures.xlsx', Buffer.from('x')),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The selected file must be a CSV or a ZIP file');
  });

  it('lets everyone read but only coordinators and administrators import', async () => {
    const page = await viewer.get('/crime-data');
    expect(page.body).not.toContain('Import the file');
    const res = await viewer.upload(
      '/crime-data/imports',
      {},
      file('2018-10-kent-street.csv', readFileSync(join(KENT2018, '2018-10-kent-street.csv'))),
    );
    expect(res.statusCode).toBe(403);
  });
});

describe('the crime data API', () => {
  const get = (url: string, token: string) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
    });

  it('lists the months loaded with their flags', async () => {
    const res = await get('/crime/months?force=Kent%20Police', viewerToken);
    expect(res.statusCode).toBe(200);
    const months = res.json<{ month: string; flag: string | null }[]>();
    expect(months.map((m) => m.month)).toEqual([
      '2018-10',
      '2018-11',
      '2018-12',
      '2019-01',
      '2019-02',
    ]);
    expect(months.filter((m) => m.flag).map((m) => m.month)).toEqual(['2018-11', '2018-12']);
  });

  it('counts a partnership’s districts by month and type, flags included', async () => {
    const res = await get('/partnerships/swale/crime?from=2018-10&to=2019-02', viewerToken);
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      districtCodes: string[];
      counts: { month: string; crimeType: string; count: number }[];
      flaggedMonths: { month: string }[];
    }>();
    expect(body.districtCodes).toEqual(['E07000113']);
    const stored = await t.services.db
      .selectFrom('crime_district_counts')
      .select((eb) => eb.fn.sum<number>('count').as('n'))
      .where('district_code', '=', 'E07000113')
      .executeTakeFirstOrThrow();
    expect(body.counts.reduce((s, c) => s + c.count, 0)).toBe(stored.n);
    expect(body.flaggedMonths.map((f) => f.month)).toEqual(['2018-11', '2018-12']);
    // By default, the 12 months to the latest loaded.
    const latest = (await get('/partnerships/swale/crime', viewerToken)).json<{
      from: string;
      to: string;
    }>();
    expect(latest).toMatchObject({ from: '2018-03', to: '2019-02' });
  });

  it('answers 404 for another partnership and 400 for a month that is not one', async () => {
    expect((await get('/partnerships/swale/crime', outsiderToken)).statusCode).toBe(404);
    expect((await get('/partnerships/swale/crime?to=2019-13', viewerToken)).statusCode).toBe(400);
  });
});
