import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { freshDatabase, testMigrator } from '../helpers/database.js';

// 0018 keeps a ward's crime and ASB for a force's month in one row; every count comes through,
// both ways.
let db: Db;
let drop: () => Promise<void>;

const BEFORE = '0017-page-versions';
const measureRows: [string, string, string, string, number][] = [
  ['Kent Police', '2024-01', 'E05009544', 'crime', 63],
  ['Kent Police', '2024-01', 'E05009544', 'asb', 7],
  ['Kent Police', '2024-01', 'E05009546', 'asb', 40],
  ['British Transport Police', '2024-01', 'E05009546', 'crime', 2],
  ['Kent Police', '2024-02', 'E05009544', 'crime', 5],
];

const byMeasure = async () =>
  (
    await sql<{ force: string; month: string; ward_code: string; measure: string; count: number }>`
      select force, month, ward_code, measure, ${sql.ref('count')} from crime_ward_counts
      order by force, month, ward_code, measure`.execute(db)
  ).rows;

const row = (force: string, month: string, ward_code: string, crime: number, asb: number) => ({
  force,
  month,
  ward_code,
  ward_vintage: '2022',
  district_code: 'E07000113',
  crime,
  asb,
});

beforeAll(async () => {
  ({ db, drop } = await freshDatabase(BEFORE));
  for (const [force, month, ward, measure, count] of measureRows) {
    await sql`insert into crime_ward_counts
        (force, month, ward_code, ward_vintage, district_code, measure, ${sql.ref('count')})
      values (${force}, ${month}, ${ward}, '2022', 'E07000113', ${measure}, ${count})`.execute(db);
  }
  await migrateToLatest(db);
});

afterAll(() => drop());

describe('ward counts of crime and ASB in one row (migration 0018)', () => {
  it('puts each ward’s crime and ASB for a force’s month in one row, 0 where there was none', async () => {
    expect(
      await db
        .selectFrom('crime_ward_counts')
        .selectAll()
        .orderBy('force')
        .orderBy('month')
        .orderBy('ward_code')
        .execute(),
    ).toEqual([
      row('British Transport Police', '2024-01', 'E05009546', 2, 0),
      row('Kent Police', '2024-01', 'E05009544', 63, 7),
      row('Kent Police', '2024-01', 'E05009546', 0, 40),
      row('Kent Police', '2024-02', 'E05009544', 5, 0),
    ]);
  });

  it('keeps one row per force, month, ward and ward set, and no negative count', async () => {
    await expect(
      db
        .insertInto('crime_ward_counts')
        .values(row('Kent Police', '2024-01', 'E05009544', 1, 1))
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('crime_ward_counts')
        .values(row('Kent Police', '2024-03', 'E05009544', -1, 0))
        .execute(),
    ).rejects.toThrow();
  });

  it('goes back to a row per measure, with the counts', async () => {
    const { error } = await testMigrator(db).migrateTo(BEFORE);
    expect(error).toBeUndefined();
    const expected = measureRows
      .map(([force, month, ward_code, measure, count]) => ({
        force,
        month,
        ward_code,
        measure,
        count,
      }))
      .sort((a, b) =>
        [a.force, a.month, a.ward_code, a.measure]
          .join('|')
          .localeCompare([b.force, b.month, b.ward_code, b.measure].join('|')),
      );
    expect(await byMeasure()).toEqual(expected);
    await migrateToLatest(db);
    expect(await db.selectFrom('crime_ward_counts').selectAll().execute()).toHaveLength(4);
  });
});
