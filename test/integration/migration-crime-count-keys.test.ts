import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
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

// The ward table as 0015 left it: later migrations change its columns.
const MIGRATION = '0015-crime-count-keys';
const insertWard = (row: ReturnType<typeof ward>) =>
  sql`insert into crime_ward_counts
      (force, month, ward_code, ward_vintage, district_code, measure, ${sql.ref('count')})
    values (${row.force}, ${row.month}, ${row.ward_code}, ${row.ward_vintage},
            ${row.district_code}, ${row.measure}, ${row.count})`.execute(db);

async function snapshot(): Promise<unknown> {
  const { rows } = await sql`select * from crime_ward_counts
    order by force, month, ward_code, ward_vintage, measure`.execute(db);
  return { ...(await crimeSnapshot(db)), wards: rows };
}

async function migrateTo(name: string): Promise<void> {
  const { error } = await testMigrator(db).migrateTo(name);
  expect(error).toBeUndefined();
}

beforeAll(async () => {
  ({ db, drop } = await freshDatabase('0014-import-heartbeat'));
  await db.insertInto('crime_district_counts').values(districts).execute();
  for (const w of wards) await insertWard(w);
  await migrateTo(MIGRATION);
});

afterAll(() => drop());

describe('count tables keyed as they are read (migration 0015)', () => {
  it('keeps every count', async () => {
    expect(await snapshot()).toMatchObject(sorted);
  });

  it('still holds one row per force, month, area and type or measure', async () => {
    await expect(
      db
        .insertInto('crime_district_counts')
        .values(district('2024-01', 'E07000113', 'Burglary', 1))
        .execute(),
    ).rejects.toThrow();
    await expect(insertWard(ward('2024-01', 'E05009544', 'asb', 1))).rejects.toThrow();
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
    await migrateTo('0014-import-heartbeat');
    expect(await snapshot()).toMatchObject(sorted);
    await migrateTo(MIGRATION);
    expect(await snapshot()).toMatchObject(sorted);
  });
});
