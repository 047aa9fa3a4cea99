import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import type { Db } from '../../src/db/database.js';
import { CrimeService } from '../../src/features/crime/crime.service.js';
import { STREET_COLUMNS } from '../../src/features/crime/crime-files.js';
import { PartnershipsService } from '../../src/features/partnerships/partnerships.service.js';
import { freshDatabase } from '../helpers/database.js';

// A month's codes are placed through the LSOA vintage that knows most of them; a code only
// another vintage knows is placed through that one. Made-up codes, so each case is plain.
let db: Db;
let drop: () => Promise<void>;
let crime: CrimeService;
let temp: string;

const lookup = (code: string, vintage: string, ward: string, district: string) => ({
  lsoa_code: code,
  lsoa_vintage: vintage,
  ward_code: ward,
  ward_vintage: '2023',
  district_code: district,
});

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  crime = new CrimeService(db, new PartnershipsService(db));
  await db
    .insertInto('geo_lsoa_wards')
    .values([
      lookup('E01900001', '2011', 'E05900001', 'E07900001'),
      lookup('E01900002', '2011', 'E05900002', 'E07900001'),
      // Split in 2021: the 2011 code is in one ward and district, the 2021 code in another.
      lookup('E01900003', '2011', 'E05900003', 'E07900001'),
      lookup('E01900003', '2021', 'E05900004', 'E07900002'),
      // New in 2021.
      lookup('E01900005', '2021', 'E05900005', 'E07900002'),
      lookup('E01900006', '2021', 'E05900006', 'E07900002'),
    ])
    .execute();
  temp = mkdtempSync(join(tmpdir(), 'crime-placing-test-'));
});

afterAll(async () => {
  await drop();
  rmSync(temp, { recursive: true, force: true });
});

function file(month: string, codes: string[]): string {
  const path = join(temp, `${month}-test-street.csv`);
  const lines = codes.map(
    (code) => `,${month},Test Police,Test Police,,,On or near X,${code},Somewhere,Burglary,,`,
  );
  writeFileSync(path, [STREET_COLUMNS.join(','), ...lines].join('\n') + '\n');
  return path;
}

async function wardsOf(month: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('crime_ward_counts')
    .select(['ward_code', 'crime'])
    .where('month', '=', month)
    .orderBy('ward_code')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.ward_code, r.crime]));
}

describe('placing each LSOA code through the lookup of the right vintage', () => {
  it('places a 2011 month through 2011, and a code only 2021 knows through 2021', async () => {
    const { summary } = await crime.importFiles(COMMAND_LINE, [
      file('2022-01', ['E01900001', 'E01900002', 'E01900003', 'E01900003', 'E01900005']),
    ]);
    expect(summary.months[0]).toMatchObject({ lsoaVintage: '2011', unknownLsoa: 0 });
    expect(await wardsOf('2022-01')).toEqual({
      E05900001: 1,
      E05900002: 1,
      E05900003: 2,
      E05900005: 1,
    });
  });

  it('places a 2021 month through 2021, and a code only 2011 knows through 2011', async () => {
    const { summary } = await crime.importFiles(COMMAND_LINE, [
      file('2024-01', ['E01900003', 'E01900005', 'E01900006', 'E01900001', 'E01900099']),
    ]);
    expect(summary.months[0]).toMatchObject({ lsoaVintage: '2021', unknownLsoa: 1 });
    expect(summary.unassigned.unknownLsoaCodes).toEqual([{ code: 'E01900099', records: 1 }]);
    expect(await wardsOf('2024-01')).toEqual({
      E05900001: 1,
      E05900004: 1,
      E05900005: 1,
      E05900006: 1,
    });
  });
});

describe('importing before any lookup is loaded', () => {
  it('says to import the lookups first, and saves no counts', async () => {
    const empty = await freshDatabase();
    try {
      const service = new CrimeService(empty.db, new PartnershipsService(empty.db));
      await expect(
        service.importFiles(COMMAND_LINE, [file('2022-02', ['E01900001'])]),
      ).rejects.toThrow('No LSOA lookups are loaded');
      expect(await empty.db.selectFrom('crime_months').selectAll().execute()).toEqual([]);
    } finally {
      await empty.drop();
    }
  });
});

describe('reading lookups longer than a page', () => {
  it('places every code, whichever page its newest ward is on', async () => {
    // 10,500 codes, each in a ward of 2021, 2022 and 2023: 31,500 rows, read 10,000 at a
    // time, so pages end part-way through a code's rows. A row lost at a page's edge leaves its
    // code unplaced or in an older ward.
    const codes = Array.from({ length: 10_500 }, (_, i) => `E0180${String(i).padStart(4, '0')}`);
    const rows = codes.flatMap((code) =>
      ['2021', '2022', '2023'].map((vintage) => ({
        ...lookup(code, '2011', `E0580${vintage}`, 'E07800001'),
        ward_vintage: vintage,
      })),
    );
    for (let i = 0; i < rows.length; i += 1000) {
      await db
        .insertInto('geo_lsoa_wards')
        .values(rows.slice(i, i + 1000))
        .execute();
    }
    const { summary } = await crime.importFiles(COMMAND_LINE, [file('2023-06', codes)]);
    expect(summary.months[0]).toMatchObject({ records: 10_500, unknownLsoa: 0 });
    expect(await wardsOf('2023-06')).toEqual({ E05802023: 10_500 });
  });
});
