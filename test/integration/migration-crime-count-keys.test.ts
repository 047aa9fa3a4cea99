import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { crimeSnapshot } from '../helpers/crime-data.js';
import { freshDatabase, testMigrator } from '../helpers/database.js';

// 0015 keys the count tables the way they are read; every count must come through, both ways.
let db: Db;
let drop: () => Promise<void>;

const district = (month: string, code: string, type: string, count: number) => ({
  force: 'Kent Police',
  month,
  district_code: code,
  crime_type: type,
  count,
});
const ward = (month: string, code: string, measure: 'crime' | 'asb', count: number) => ({
  force: 'Kent Police',
  month,
  ward_code: code,
  ward_vintage: '2022',
  district_code: 'E07000113',
  measure,
  count,
});
const districts = [
  district('2024-01', 'E07000113', 'Burglary', 5),
  district('2024-01', 'E07000113', 'Anti-social behaviour', 9),
  district('2024-01', 'E06000035', 'Burglary', 12),
  district('2024-02', 'E07000113', 'Burglary', 4),
];
const wards = [
  ward('2024-01', 'E05009544', 'crime', 5),
  ward('2024-01', 'E05009544', 'asb', 9),
  ward('2024-02', 'E05009546', 'crime', 4),
];

const sorted = {
  districts: [districts[2], districts[1], districts[0], districts[3]],
  wards: [wards[1], wards[0], wards[2]],
};

beforeAll(async () => {
  ({ db, drop } = await freshDatabase('0014-import-heartbeat'));
  await db.insertInto('crime_district_counts').values(districts).execute();
  await db.insertInto('crime_ward_counts').values(wards).execute();
  await migrateToLatest(db);
});

afterAll(() => drop());

describe('count tables keyed as they are read (migration 0015)', () => {
  it('keeps every count', async () => {
    expect(await crimeSnapshot(db)).toMatchObject(sorted);
  });

  it('still holds one row per force, month, area and type or measure', async () => {
    await expect(
      db
        .insertInto('crime_district_counts')
        .values(district('2024-01', 'E07000113', 'Burglary', 1))
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('crime_ward_counts')
        .values(ward('2024-01', 'E05009544', 'asb', 1))
        .execute(),
    ).rejects.toThrow();
    // Another force's count for the same place and month is a row of its own.
    await db
      .insertInto('crime_district_counts')
      .values({
        ...district('2024-01', 'E07000113', 'Burglary', 1),
        force: 'British Transport Police',
      })
      .execute();
    await db
      .deleteFrom('crime_district_counts')
      .where('force', '=', 'British Transport Police')
      .execute();
  });

  it('goes back to the keys before, with the counts', async () => {
    const { error } = await testMigrator(db).migrateTo('0014-import-heartbeat');
    expect(error).toBeUndefined();
    expect(await crimeSnapshot(db)).toMatchObject(sorted);
    await migrateToLatest(db);
    expect(await crimeSnapshot(db)).toMatchObject(sorted);
  });
});
