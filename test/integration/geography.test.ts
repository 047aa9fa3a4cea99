import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { ForbiddenError, ValidationFailed } from '../../src/core/errors.js';
import { FileError } from '../../src/core/grid-file.js';
import { populationFor } from '../../src/features/geography/geography.repository.js';
import { signedIn, testApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, actorFor, member, partnership, user } from '../helpers/factories.js';
import {
  allLookupFiles,
  LOOKUP_FILES,
  lookupFile,
  POPULATION_FILES,
  populationFile,
} from '../helpers/public-data.js';

let t: TestApp;

beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t.close());

async function tableCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'geo_areas',
    'geo_lsoa_wards',
    'geo_district_links',
    'population_estimates',
    'data_imports',
  ] as const) {
    const row = await t.services.db
      .selectFrom(table)
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = row.n;
  }
  return counts;
}

describe('importing ONS geography', () => {
  it('imports every lookup, and importing them again changes nothing but the record of imports', async () => {
    const imported = await t.services.geography.importLookups(COMMAND_LINE, allLookupFiles());
    expect(imported).toHaveLength(8);
    const first = await tableCounts();
    expect(first.geo_lsoa_wards).toBe(1384 + 1433 + 1433);
    await t.services.geography.importLookups(COMMAND_LINE, allLookupFiles());
    const second = await tableCounts();
    expect({ ...second, data_imports: 0 }).toEqual({ ...first, data_imports: 0 });
    expect(second.data_imports).toBe((first.data_imports ?? 0) + 8);

    // Swale's 2011 LSOAs resolve to its 2021 wards, its 2021 LSOAs to the 2022 and 2023 ward sets.
    const swale = await t.services.db
      .selectFrom('geo_lsoa_wards')
      .select(['lsoa_vintage', 'ward_vintage', sql<number>`count(*)`.as('n')])
      .where('district_code', '=', 'E07000113')
      .groupBy(['lsoa_vintage', 'ward_vintage'])
      .orderBy('ward_vintage')
      .execute();
    expect(swale.map((r) => [r.lsoa_vintage, r.ward_vintage, r.n])).toEqual([
      ['2011', '2021', 85],
      ['2021', '2022', 90],
      ['2021', '2023', 90],
    ]);
  });

  it('imports nothing when any of the files has a problem, naming the file, row and column', async () => {
    const before = await tableCounts();
    const bad = {
      filename: 'wards.csv',
      content: Buffer.from(
        'LSOA21CD,LSOA21NM,WD23CD,WD23NM,LAD23CD,LAD23NM\nE01016024,Medway 022C,E05002249,Chatham Central,E0600003,Medway\n',
      ),
    };
    const err = await t.services.geography
      .importLookups(COMMAND_LINE, [lookupFile(LOOKUP_FILES.csp17), bad])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).message).toBe(
      'wards.csv: Row 2, LAD23CD: LAD23CD “E0600003” is not an ONS area code (9 characters, like E07000113)',
    );
    expect(await tableCounts()).toEqual(before);
  });

  it('lets coordinators and administrators import, and nobody else', async () => {
    const p = await partnership(t.services);
    const lead = await user(t.services);
    const coordinator = await user(t.services);
    await member(t.services, p.slug, lead.email, 'lead');
    await member(t.services, p.slug, coordinator.email, 'coordinator');
    const file = [lookupFile(LOOKUP_FILES.region23)];
    await expect(
      t.services.geography.importLookups(await actorFor(t.services, lead.id), file),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      t.services.geography.importLookups(await actorFor(t.services, coordinator.id), file),
    ).resolves.toHaveLength(1);
  });
});

describe('partnerships and their districts', () => {
  it('names a partnership’s districts, and refuses a code that is no district once they are known', async () => {
    await t.services.geography.importLookups(COMMAND_LINE, [lookupFile(LOOKUP_FILES.csp23)]);
    const p = await partnership(t.services, { areas: 'E07000107, E07000109' });
    const detail = await t.services.partnerships.get(COMMAND_LINE, p.slug);
    expect(detail.areaNames).toEqual([
      { code: 'E07000107', name: 'Dartford' },
      { code: 'E07000109', name: 'Gravesham' },
    ]);
    const err = await t.services.partnerships
      .updateSettings(COMMAND_LINE, p.slug, {
        name: p.name,
        type: 'district',
        areas: 'E07000107 E07000999 E01016024',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationFailed);
    expect((err as ValidationFailed).errors.fields.areas?.text).toBe(
      'E07000999, E01016024 are not districts in the ONS lookups imported: check the codes',
    );
    expect((await t.services.partnerships.get(COMMAND_LINE, p.slug)).areas).toEqual([
      'E07000107',
      'E07000109',
    ]);
  });
});

describe('importing population estimates', () => {
  it('keeps each release apart and answers from the newest release that has every area', async () => {
    await t.services.geography.importPopulation(
      COMMAND_LINE,
      populationFile(POPULATION_FILES.mid2022),
    );
    await t.services.geography.importPopulation(
      COMMAND_LINE,
      populationFile(POPULATION_FILES.mid2023),
    );
    const db = t.services.db;
    // Mid-2022 is in both releases; the July 2024 release revised Swale's figure.
    expect(await populationFor(db, ['E07000113'], 2022)).toEqual({
      population: 154_598,
      year: 2022,
      release: 'Mid-Year Population Estimates, England and Wales, June 2023',
      published: '2024-07-15',
    });
    // Dartford and Gravesham together.
    const dg = await populationFor(db, ['E07000107', 'E07000109'], 2021);
    const each = await Promise.all(
      ['E07000107', 'E07000109'].map((c) => populationFor(db, [c], 2021)),
    );
    expect(dg?.population).toBe(each.reduce((sum, e) => sum + (e?.population ?? 0), 0));
    expect(await populationFor(db, ['E07000113'], 2010)).toBeUndefined();
  });

  it('replaces a release imported again rather than doubling it', async () => {
    const before = await tableCounts();
    await t.services.geography.importPopulation(
      COMMAND_LINE,
      populationFile(POPULATION_FILES.mid2023),
    );
    expect(await tableCounts()).toEqual(before);
    const overview = await t.services.geography.overview(COMMAND_LINE);
    expect(overview.population.map((p) => [p.title, p.release])).toEqual([
      ['Mid-Year Population Estimates, England and Wales, June 2023', '2024-07-15'],
      ['Mid-Year Population Estimates, UK, June 2022', '2024-03-26'],
    ]);
  });
});

describe('the public data pages', () => {
  it('show what is loaded to everyone, and take imports from coordinators only', async () => {
    const p = await partnership(t.services);
    const viewer = await user(t.services);
    const coordinator = await user(t.services);
    await member(t.services, p.slug, viewer.email, 'viewer');
    await member(t.services, p.slug, coordinator.email, 'coordinator');
    const asViewer = await signedIn(t.app, viewer.email, PASSWORD);
    const page = await asViewer.get('/data');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('LSOA (2011) to ward (2021) to district (2021)');
    expect(page.body).toContain('Mid-Year Population Estimates, England and Wales, June 2023');
    expect(page.body).toContain('15 July 2024');
    expect(page.body).not.toContain('href="/data/lookups/import"');
    expect((await asViewer.get('/data/lookups/import')).statusCode).toBe(403);

    const asCoordinator = await signedIn(t.app, coordinator.email, PASSWORD);
    expect((await asCoordinator.get('/data')).body).toContain('href="/data/lookups/import"');
    await asCoordinator.get('/data/lookups/import');
    const missing = await asCoordinator.upload('/data/lookups/import', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select the lookup file');
    const bad = await asCoordinator.upload(
      '/data/lookups/import',
      {},
      {
        field: 'file',
        filename: 'crimes.csv',
        content: Buffer.from('Crime ID,Month\n1,2024-01\n'),
      },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The file is not an ONS lookup this service reads');
    const good = await asCoordinator.upload(
      '/data/lookups/import',
      {},
      { field: 'file', ...lookupFile(LOOKUP_FILES.county23) },
    );
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/data?notice=lookup');
    expect((await asCoordinator.get('/data?notice=lookup')).body).toContain(
      'Lookup file imported.',
    );

    await asCoordinator.get('/data/population/import');
    const notWorkbook = await asCoordinator.upload(
      '/data/population/import',
      {},
      { field: 'file', filename: 'population.csv', content: Buffer.from('Area,2016\n') },
    );
    expect(notWorkbook.body).toContain('The file must be an Excel .xlsx workbook');
  });
});
